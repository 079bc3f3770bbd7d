"""Benchmark the PDF path on a generated plan PDF (reportlab, STSong-Light). Prints a table.

    python benchmarks/bench_pdf.py [--pages 60]

Compares planparse with pdfplumber's bare ``page.extract_text()`` over the same file (the floor
for that dependency) and reports pages/s and peak memory.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _make(pages: int) -> tuple[Path, int]:
    from tests.fixtures.make_plan_pdf import plan_pdf

    repeat = 1
    while True:
        data, _ = plan_pdf(repeat_body=repeat)
        import pypdfium2 as pdfium

        count = len(pdfium.PdfDocument(data))
        if count >= pages:
            break
        repeat = max(repeat + 1, int(repeat * pages / max(count, 1)))
    path = Path(tempfile.mkdtemp()) / "plan.pdf"
    path.write_bytes(data)
    return path, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=60)
    options = parser.parse_args()
    path, count = _make(options.pages)

    import pdfplumber

    import planparse
    from planparse.load import load

    start = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
    plumber = time.perf_counter() - start

    load(path)  # warm imports
    start = time.perf_counter()
    load(path)
    loading = time.perf_counter() - start

    planparse.parse(path)
    start = time.perf_counter()
    record = planparse.parse(path)
    total = time.perf_counter() - start
    gc.collect()
    tracemalloc.start()  # a separate run: tracing slows Python down several times
    planparse.parse(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    rows = [
        ("pages", f"{count} ({path.stat().st_size / 1e3:.0f} kB)"),
        ("pdfplumber extract_text, all pages", f"{plumber:.2f} s = {count / plumber:.0f} pages/s"),
        ("planparse load (PDFium text + furniture)", f"{loading:.3f} s = {count / loading:.0f} pages/s"),
        ("planparse parse (whole record)", f"{total:.3f} s = {count / total:.0f} pages/s"),
        ("ratio parse / pdfplumber text", f"{total / plumber:.2f}"),
        ("peak traced memory during parse", f"{peak / 1e6:.1f} MB"),
        ("max RSS of this process", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB"),
        ("record", f"{len(record.chapters)} chapters, {len(record.indicators)} indicators"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")


if __name__ == "__main__":
    main()
