"""Benchmark the text pipeline: throughput, batch scaling and cold start. Prints a table.

    python benchmarks/bench_text.py [--copies 6] [--big-mb 20]

Throughput is measured without start-up: the time for N inputs minus the time for one, in one
process, so import and dictionary costs cancel out. Cold start is a fresh ``planparse`` process.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SEED = ROOT / "data" / "raw" / "dongbei_13th_fyp_2016.txt"


def _best(run, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def _cold(args: list[str], cwd: Path, repeat: int = 5) -> float:
    exe = shutil.which("planparse") or "planparse"
    return _best(lambda: subprocess.run([exe, *args], cwd=cwd, capture_output=True, check=False), repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=6)
    parser.add_argument("--big-mb", type=float, default=20.0, help="size of the concatenated stress input")
    parser.add_argument("--blob-digits", type=int, default=100_000)
    options = parser.parse_args()

    from planparse.config import ExtractConfig
    from planparse.load import load_text
    from planparse.pipeline import extract_document

    text = SEED.read_text(encoding="utf-8")
    config = ExtractConfig()
    extract_document(load_text(text), config)  # warm caches (data files, cn2an)
    def run_copies() -> None:
        # As a batch does: each record is used (here: dropped) before the next document starts.
        for index in range(options.copies):
            extract_document(load_text(text + "\n" * index), config)

    one = _best(lambda: extract_document(load_text(text), config), 5)
    many = _best(run_copies, 3)
    per_doc = (many - one) / (options.copies - 1)
    chars_per_s = len(text) / per_doc
    mb_per_s = len(text.encode("utf-8")) / per_doc / 1e6
    rows: list[tuple[str, str]] = [
        ("seed size", f"{len(text):,} chars, {len(text.encode('utf-8')) / 1e3:.0f} kB"),
        ("text pipeline, one seed", f"{one * 1000:.0f} ms"),
        ("text pipeline throughput", f"{chars_per_s / 1e3:,.0f} k chars/s = {mb_per_s:.2f} MB/s = {1 / per_doc:.1f} docs/s"),
    ]

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        raw = work / "raw"
        raw.mkdir()
        count = max(4, os.cpu_count() or 2) * 2
        for index in range(count):
            (raw / f"plan{index:02d}.txt").write_text(text + "\n" * index, encoding="utf-8")
        cpus = os.cpu_count() or 1
        for jobs in sorted({1, cpus}):
            elapsed = _best(
                lambda jobs=jobs: subprocess.run(
                    [sys.executable, "-m", "planparse", "extract", str(raw), "-o", str(work / f"out{jobs}"),
                     "--jobs", str(jobs), "--force", "--quiet", "--format", "json"],
                    check=True, capture_output=True,
                ),
                2,
            )
            rows.append((f"batch of {count} seeds, --jobs {jobs}", f"{elapsed:.2f} s = {count / elapsed:.1f} docs/s"))
        rows.append(("cold start: planparse --help", f"{_cold(['--help'], work) * 1000:.0f} ms"))
        one_file = raw / "plan00.txt"
        rows.append(
            ("cold start: extract one seed", f"{_cold(['extract', str(one_file), '-o', str(work / 'cold'), '--force', '-q'], work, 3) * 1000:.0f} ms")
        )
        # A clean 100 kB text (line breaks, decimals intact): no damage, so no jieba dictionary.
        clean = CORPUS / "lawtext" / "五年规划" / "2011-十二五规划纲要.md"
        if clean.exists():
            plain = work / "clean.txt"
            body = re.sub(r"\A---\n.*?\n---\n", "", clean.read_text(encoding="utf-8"), flags=re.S)
            plain.write_text(re.sub(r"[#*>]|<[^>]+>", "", body)[:100_000 // 3], encoding="utf-8")
            probe = subprocess.run(
                [sys.executable, "-c", "import sys, planparse; planparse.parse(sys.argv[1]); print('jieba' in sys.modules)", str(plain)],
                capture_output=True, text=True, check=True,
            )
            cold = _cold(["extract", str(plain), "-o", str(work / "cold-clean"), "--force", "-q"], work, 3)
            rows.append((f"cold start: extract a clean {len(plain.read_bytes()) / 1e3:.0f} kB text",
                         f"{cold * 1000:.0f} ms, jieba loaded: {probe.stdout.strip()}"))

        big = (text * int(options.big_mb * 1e6 / len(text.encode("utf-8")) + 1))
        start = time.perf_counter()
        record = extract_document(load_text(big), config)
        elapsed = time.perf_counter() - start
        rows.append(
            (f"stress: {len(big.encode('utf-8')) / 1e6:.0f} MB concatenated plans", f"{elapsed:.1f} s, {len(record.warnings)} warnings")
        )
        blob = text.replace("注：", "1" * options.blob_digits + "注：", 1)
        start = time.perf_counter()
        record = extract_document(load_text(blob), config)
        rows.append((f"stress: {options.blob_digits:,}-digit table row", f"{time.perf_counter() - start:.2f} s"))

    width = max(len(name) for name, _ in rows)
    print(f"{'measure'.ljust(width)}  value")
    print(f"{'-' * width}  {'-' * 40}")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")


if __name__ == "__main__":
    main()
