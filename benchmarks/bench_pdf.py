"""Benchmark the PDF path on generated plan PDFs (reportlab, STSong-Light). Prints tables.

    python benchmarks/bench_pdf.py [--pages 60] [--long 500]

First, one run on the same files (a prose-only plan without tables, the plan with ruled tables,
the committed fixture PDFs of three producers, the real govdoc 397 PDF): PDFium's bare text
extraction (``get_textpage`` + ``get_text_range`` per page; in a separate process with the host's
own fonts, and in this process with planparse's fonts), pdfplumber's bare ``extract_text()``,
and planparse's PDF path (load: text, boxes, bold, layout, furniture, ruling check, tables) and
whole record. The goals: load ≤ 3× bare PDFium on pages without tables, and ≤ pdfplumber overall.

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


_BARE = """
import sys, time
import pypdfium2 as pdfium
data = open(sys.argv[1], "rb").read()
best = 1e9
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    document = pdfium.PdfDocument(data)
    for page in document:
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    document.close()
    best = min(best, time.perf_counter() - start)
print(best)
"""


def _bare_host(path: Path, repeat: int) -> float:
    """PDFium's bare text extraction with the host's fonts (a process without planparse)."""
    import subprocess

    result = subprocess.run([sys.executable, "-c", _BARE, str(path), str(repeat)], capture_output=True, text=True, check=True)
    return float(result.stdout)


def _best(repeat: int, function, *args, **kwargs) -> float:  # type: ignore[no-untyped-def]
    best = 1e9
    for _ in range(repeat):
        best = min(best, _timed(function, *args, **kwargs)[1])
    return best


def _bare_here(path: Path) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path.read_bytes())
    for page in document:
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    document.close()


def _plumber(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()


def comparison(files: list[tuple[str, Path]], repeat: int = 5) -> list[list[str]]:
    """One row per file: pages, the bare extractions and planparse, in seconds, and the ratios."""
    import pypdfium2 as pdfium

    import planparse
    from planparse.io.pdf import fonts
    from planparse.load import load

    fonts.install()
    rows = [["file", "pages", "PDFium bare (host fonts)", "PDFium bare (planparse fonts)", "pdfplumber extract_text",
             "planparse load", "planparse load, tables off", "planparse record", "load / PDFium host",
             "load tables off / PDFium host", "record / pdfplumber"]]
    for name, path in files:
        document = pdfium.PdfDocument(path)
        count = len(document)
        document.close()
        host = _bare_host(path, repeat)
        here = _best(repeat, _bare_here, path)
        plumber = _best(1, _plumber, path)
        loading = _best(repeat, load, path)
        plain = _best(repeat, _load_plain, path)
        record = _best(repeat, planparse.parse, path)
        rows.append([name, str(count), f"{host:.3f}", f"{here:.3f}", f"{plumber:.3f}", f"{loading:.3f}", f"{plain:.3f}",
                     f"{record:.3f}", f"{loading / host:.2f}", f"{plain / host:.2f}", f"{record / plumber:.2f}"])
    return rows


def _prose_pdf(pages: int) -> Path:
    """A plan of prose pages only (running header, — N — footers, no tables)."""
    from tests.fixtures.make_plan_pdf import plan_pdf

    repeat = max(1, pages * 40 // 11)
    data, _ = plan_pdf(repeat_body=repeat)
    path = Path(tempfile.mkdtemp()) / f"prose{pages}.pdf"
    path.write_bytes(data)
    return path


def _markdown(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--long", type=int, default=500, help="pages of the memory run (0: skip)")
    parser.add_argument("--compare-only", action="store_true", help="only the one-run comparison table")
    options = parser.parse_args()
    path, count, ruled = _make(options.pages)
    files = [("prose plan (reportlab, no tables)", _prose_pdf(options.pages)), (f"plan with {ruled} ruled-table pages", path)]
    files += [(f"tests/pdfs/{pdf.name}", pdf) for pdf in sorted((ROOT / "tests" / "pdfs").glob("*.pdf"))]
    real = ROOT.parent / "shared" / "corpus" / "govdoc_cn_397" / "397.pdf"
    if real.exists():
        files.append(("govdoc 397 (real, 5 pages)", real))
    print(_markdown(comparison(files)))
    print()
    if options.compare_only:
        return

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
