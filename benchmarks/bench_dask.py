"""Benchmark corpus-scale batch extraction: the local executor versus 1 and 2 local Dask workers.

    python benchmarks/bench_dask.py [--copies 12]

Runs ``run_batch`` on copies of the seed plan (``data/raw/dongbei_13th_fyp_2016.txt``) and prints a
table: wall time, documents/s, MB/s, and the start-up cost (cluster or pool) measured apart from
the steady state. It also profiles one file in-process to say what dominates per-file cost on a
worker (reading, extraction, serialization, writing), and extrapolates to a 10^5-document corpus.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "dongbei_13th_fyp_2016.txt"


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def _batch(inputs: Path, out: Path, executor: str, workers: int, scheduler: str | None) -> float:
    from planparse.batch import collect_inputs, plan_jobs, run_batch
    from planparse.config import ExtractConfig

    config = ExtractConfig()
    shutil.rmtree(out, ignore_errors=True)
    paths, _ = collect_inputs([inputs])
    jobs = plan_jobs(paths, out, config)
    start = time.perf_counter()
    report = run_batch(jobs, out, config, workers=workers, executor=executor, scheduler=scheduler, force=True)
    elapsed = time.perf_counter() - start
    failed = [result for result in report.results if result.status != "written"]
    if failed:
        raise SystemExit(f"benchmark inputs failed: {failed[:1]}")
    return elapsed


def _digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.glob("*.json")):
        sha.update(path.read_bytes())
    return sha.hexdigest()[:12]


def _profile(seed: Path, out: Path) -> list[tuple[str, float]]:
    """Per-stage seconds for one file, warm (imports and data files already loaded)."""
    from planparse.emit import serialize
    from planparse.fsio import read_bytes, write_atomic
    from planparse.load import load_bytes
    from planparse.pipeline import extract_document

    data = read_bytes(seed)
    extract_document(load_bytes(data, "seed.txt"))  # warm-up
    stages: list[tuple[str, float]] = []
    stages.append(("read", _timed(lambda: read_bytes(seed))))
    stages.append(("decode", _timed(lambda: load_bytes(data, "seed.txt"))))
    source = load_bytes(data, "seed.txt")
    holder: dict[str, object] = {}
    stages.append(("extract", _timed(lambda: holder.setdefault("record", extract_document(source)))))
    record = holder["record"]
    blobs: dict[str, bytes] = {}
    stages.append(("serialize json+yaml", _timed(
        lambda: blobs.update({suffix: serialize(record, suffix) for suffix in (".json", ".yaml")})
    )))
    stages.append(("write", _timed(lambda: [write_atomic(out / f"p{s}", b) for s, b in blobs.items()])))
    return stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=12, help="copies of the seed to extract")
    args = parser.parse_args()

    from dask.distributed import LocalCluster

    size = SEED.stat().st_size
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = work / "in"
        inputs.mkdir()
        for number in range(args.copies):
            shutil.copyfile(SEED, inputs / f"seed{number:03d}.txt")
        rows: list[tuple[str, float, float, str]] = []
        digests = set()

        for workers in (1, 2):
            rows.append((f"local, {workers} process(es)",
                         _batch(inputs, work / "out", "local", workers, None), 0.0, ""))
            digests.add(_digest(work / "out"))

        for workers in (1, 2):
            startup = time.perf_counter()
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            startup = time.perf_counter() - startup
            try:
                address = cluster.scheduler_address
                # The first batch pays each worker's imports and data-file loading; the second is steady state.
                first = _batch(inputs, work / "out", "dask", workers, address)
                digests.add(_digest(work / "out"))
                steady = _batch(inputs, work / "out", "dask", workers, address)
                digests.add(_digest(work / "out"))
            finally:
                cluster.close()
            rows.append((f"dask, {workers} worker(s), first batch", first, startup, ""))
            rows.append((f"dask, {workers} worker(s), steady", steady, 0.0, ""))

        profile = _profile(SEED, work)

    mb = size * args.copies / 1e6
    print(f"{args.copies} copies of {SEED.name} ({size / 1e6:.2f} MB each), records json+yaml")
    print(f"{'run':36} {'wall s':>8} {'docs/s':>8} {'MB/s':>7} {'cluster start s':>16}")
    for name, seconds, startup, _ in rows:
        print(f"{name:36} {seconds:8.2f} {args.copies / seconds:8.2f} {mb / seconds:7.2f} {startup:16.2f}")
    print("identical records across executors:", "yes" if len(digests) == 1 else f"NO {digests}")
    total = sum(seconds for _, seconds in profile)
    print("\nper-file cost on a warm worker (one seed copy):")
    for name, seconds in profile:
        print(f"  {name:22} {seconds * 1000:8.1f} ms  {100 * seconds / total:5.1f} %")
    per_doc = min(seconds / args.copies for name, seconds, _, _ in rows if "steady" in name and "1 worker" in name)
    core_hours = 1e5 * per_doc / 3600
    print(f"\n10^5 text documents like the seed: {per_doc:.2f} s/doc/core -> {core_hours:.1f} core-hours;"
          f" on 100 single-thread workers ~{core_hours * 60 / 100:.0f} min (PDFs cost more: see bench_pdf.py)")


if __name__ == "__main__":
    main()
