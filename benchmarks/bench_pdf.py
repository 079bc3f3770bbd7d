"""Benchmark the PDF path on generated plan PDFs (reportlab, STSong-Light). Prints a table.

    python benchmarks/bench_pdf.py [--pages 60] [--long 500]

The plan has a 目录, parts/chapters/sections, bold leads, framed boxes and, every few pages, a
ruled indicator table (two-level header, merged cells, continued on the next page), so the cost
of the table finder (pdfplumber, on ruled pages only) shows. Compares planparse with pdfplumber's
bare ``page.extract_text()`` over the same file (the floor for that dependency), splits
planparse's time into its stages, and reports pages/s and peak memory; then measures peak memory
on a long PDF (pages are read one at a time).
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


def _make(pages: int) -> tuple[Path, int, int]:
    """A generated plan PDF with at least ``pages`` pages: (path, pages, pages with ruled tables)."""
    import pypdfium2 as pdfium

    from tests.fixtures.make_plan_pdf import rich_plan_pdf

    copies, prose = (40, 1) if pages <= 80 else (max(1, pages // 4), 35)
    while True:
        plan = rich_plan_pdf(copies=copies, table_every=5, prose=prose)
        document = pdfium.PdfDocument(plan.pdf)
        count = len(document)
        document.close()
        if count >= pages:
            break
        copies = max(copies + 1, int(copies * pages / max(count, 1)))
    path = Path(tempfile.mkdtemp()) / f"plan{pages}.pdf"
    path.write_bytes(plan.pdf)
    return path, count, len(plan.table_pages)


def _timed(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def _stages(path: Path) -> list[tuple[str, float]]:
    """Time of each part of the PDF load, measured by wrapping its functions (one run)."""
    from planparse import pdf, pdf_tables

    spent: dict[str, float] = {"PDFium text + char boxes + bold": 0.0, "ruling check (PDFium paths)": 0.0,
                               "pdfplumber find_tables (ruled pages)": 0.0}
    originals = (pdf._lines, pdf.has_ruling, pdf_tables.TableFinder.find)

    def wrap(name: str, function):  # type: ignore[no-untyped-def]
        def inner(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start
        return inner

    pdf._lines = wrap("PDFium text + char boxes + bold", originals[0])  # type: ignore[assignment]
    pdf.has_ruling = wrap("ruling check (PDFium paths)", originals[1])  # type: ignore[assignment]
    pdf_tables.TableFinder.find = wrap("pdfplumber find_tables (ruled pages)", originals[2])  # type: ignore[method-assign]
    try:
        from planparse.load import load

        load(path)
    finally:
        pdf._lines, pdf.has_ruling, pdf_tables.TableFinder.find = originals  # type: ignore[method-assign]
    return list(spent.items())


def _peak(path: Path) -> tuple[float, float]:
    """(peak traced Python memory, growth of the max RSS) of one parse, in MB."""
    import planparse

    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()  # a separate run: tracing slows Python down several times
    planparse.parse(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6, (after - before) / 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--long", type=int, default=500, help="pages of the memory run (0: skip)")
    options = parser.parse_args()
    path, count, ruled = _make(options.pages)

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
    _, loading = _timed(load, path)
    _, no_tables = _timed(_load_plain, path)
    planparse.parse(path)
    record, total = _timed(planparse.parse, path)
    stages = _stages(path)
    peak, rss = _peak(path)

    rows = [
        ("pages", f"{count} ({path.stat().st_size / 1e3:.0f} kB), {ruled} with ruled tables"),
        ("pdfplumber extract_text, all pages", f"{plumber:.2f} s = {count / plumber:.0f} pages/s"),
        ("planparse load without table finder", f"{no_tables:.3f} s = {count / no_tables:.0f} pages/s"),
        ("planparse load (text, furniture, bold, tables)", f"{loading:.3f} s = {count / loading:.0f} pages/s"),
        *((f"  {name}", f"{seconds:.3f} s") for name, seconds in stages),
        ("planparse parse (whole record)", f"{total:.3f} s = {count / total:.0f} pages/s"),
        ("ratio parse / pdfplumber text", f"{total / plumber:.2f}"),
        ("peak traced memory during parse", f"{peak:.1f} MB"),
        ("max RSS of this process", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB"),
        ("record", f"{len(record.chapters)} chapters, {len(record.tables)} tables, {len(record.indicators)} indicators"),
    ]
    if options.long:
        long_path, long_count, long_ruled = _make(options.long)
        _, long_total = _timed(planparse.parse, long_path)
        long_peak, long_rss = _peak(long_path)
        rows += [
            ("long PDF", f"{long_count} pages ({long_path.stat().st_size / 1e6:.1f} MB), {long_ruled} with ruled tables"),
            ("  parse", f"{long_total:.2f} s = {long_count / long_total:.0f} pages/s"),
            ("  peak traced memory during parse", f"{long_peak:.1f} MB"),
            ("  max RSS of this process after it", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB"),
        ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")


def _load_plain(path: Path) -> object:
    from planparse.pdf import load_pdf

    return load_pdf(path.read_bytes(), path=str(path), sha256="", tables=False)


if __name__ == "__main__":
    main()
