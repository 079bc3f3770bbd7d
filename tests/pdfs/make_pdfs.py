"""Make the committed fixture PDFs: one plan, three producers. Run from the project root:

    python -m tests.pdfs.make_pdfs

Needs what a test machine does not: LibreOffice (Debian: ``apt-get install libreoffice-writer-nogui``)
WeasyPrint and the Noto CJK fonts the office producers embed (``pip install weasyprint
pylopdf-fonts-zh-cn``). The PDFs are committed; the tests read them as they are.

- ``reportlab_plan.pdf``: tests.fixtures.make_plan_pdf's rich plan (reportlab, the CID font
  STSong-Light, *not embedded*): TOC with pages, parts, bold leads, a two-page ruled table with a
  merged parent cell and a repeated header, ``— N —`` footers, a running header.
- ``libreoffice_plan.pdf``: tests.fixtures.make_plan_docx's Word document converted by LibreOffice
  (``soffice --headless --convert-to pdf``, as Word/WPS output looks; Noto Serif SC *embedded* as a
  subset): heading styles with automatic numbering, a TOC with dot leaders, Roman-numeral footers on
  the front pages and ``— N —`` in the body, a running header, the indicator table with category
  rows across the table, a merged parent, word cells and a continuation with its header repeated.
- ``weasyprint_plan.pdf``: the same plan as HTML printed by WeasyPrint (Noto Sans SC *embedded*):
  a TOC with CSS dot leaders and target page numbers, running header and footers from ``@page``
  rules, the table with ``thead`` repeated on the next page, ``rowspan``/``colspan`` merged cells.

- ``seed_plan.pdf``: the seed plan (data/raw) as a plain ministry-style PDF, a Word document
  converted by LibreOffice (tests/pdfs/make_seed_pdf.py), with ``seed_plan_cells.json``: its 187
  printed indicator cells.

Each PDF gets ``<name>.txt`` beside it: the plan's clean text with the printed pages of its TOC,
what the record from the PDF must equal. LibreOffice's and WeasyPrint's page breaks decide the TOC
pages and where the table breaks: the script lays each document out, reads where its headings and
table rows landed (with planparse's own PDF loader), and lays it out again with those pages and
with as much filler prose before the table as puts the table across a page break.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.fixtures.make_plan_docx import (
    DATE,
    INDICATORS,
    ISSUER,
    NOTE,
    TITLE,
    _chinese,
    body_sections,
    plan_docx,
)

HERE = Path(__file__).resolve().parent


def _noto(name: str) -> Path:
    import pylopdf_fonts_zh_cn

    return Path(pylopdf_fonts_zh_cn.__file__).parent / name


def _pages(pdf: bytes) -> list[tuple[int | None, str]]:
    """(printed page, text) of each physical page, read as planparse reads it."""
    from planparse.pdf import load_pdf

    source = load_pdf(pdf, path="fixture.pdf", sha256="")
    assert source.pdf_pages is not None
    return [(page.printed, page.text) for page in source.pdf_pages]


def _landed(pdf: bytes, headings: list[str], skip: int) -> list[int | None]:
    """The printed page on which each heading (label and title, spaces ignored) first appears after
    physical page ``skip`` (the TOC's own pages come first)."""
    pages = _pages(pdf)
    found: list[int | None] = []
    for heading in headings:
        page = next((printed for index, (printed, text) in enumerate(pages) if index >= skip
                     and any(line.replace(" ", "") == heading for line in text.split("\n"))), None)
        found.append(page)
    return found


def _table_pages(pdf: bytes) -> int:
    """On how many pages a row of the indicator table is printed."""
    names = [name for _, _, name, *_ in INDICATORS]
    return sum(1 for _, text in _pages(pdf) if any(name in text for name in names))


def _toc_entries(filler: int) -> list[tuple[int, str]]:
    entries = []
    for number, chapter, items in body_sections(filler):
        entries.append((0, f"第{_chinese(number)}章{chapter}"))
        entries += [(1, f"第{_chinese(index)}节{name}") for index, name, _, _ in items]
    return entries


# ---------------------------------------------------------------- LibreOffice


def _soffice(docx: bytes, work: Path) -> bytes:
    """Convert with LibreOffice, which sees only the Noto CJK fonts (a private fontconfig)."""
    fonts = work / "fonts"
    fonts.mkdir(exist_ok=True)
    for name in ("NotoSerifSC-Regular.otf", "NotoSansSC-Regular.otf"):
        shutil.copy(_noto(name), fonts / name)
    config = work / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>{fonts}</dir>'
        f"<dir>/usr/share/fonts/truetype/liberation2</dir><cachedir>{work / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    source = work / "plan.docx"
    source.write_bytes(docx)
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "HOME": str(work)}
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(source)],
                   check=True, capture_output=True, env=env, timeout=300)
    return (work / "plan.pdf").read_bytes()


def libreoffice_plan() -> tuple[bytes, str]:
    font = "Noto Serif SC"
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for filler in range(0, 30):
            first = plan_docx(font=font, filler=filler)
            pdf = _soffice(first.docx, work)
            if _table_pages(pdf) == 2:
                break
        else:
            raise SystemExit("libreoffice: no filler puts the table over a page break")
        toc = len(_toc_entries(filler))
        pages = _landed(pdf, [entry for _, entry in _toc_entries(filler)], skip=2)
        final = plan_docx(font=font, filler=filler, toc_pages=tuple(page or 0 for page in pages))
        pdf = _soffice(final.docx, work)
        again = _landed(pdf, [entry for _, entry in _toc_entries(filler)], skip=2)
        assert again == pages and len(pages) == toc, (pages, again)
        assert _table_pages(pdf) == 2
        return pdf, final.text


# ---------------------------------------------------------------- WeasyPrint

_CSS = """
@font-face { font-family: "Noto Sans SC"; src: url("{font}"); }
@page { size: A4; margin: 25mm 22mm;
        @top-center { content: "{title}"; font: 9pt "Noto Sans SC"; }
        @bottom-center { content: "— " counter(page) " —"; font: 9pt "Noto Sans SC"; } }
@page :first { @top-center { content: none; } @bottom-center { content: none; } }
body { font: 12pt/1.8 "Noto Sans SC"; }
.cover { text-align: center; page-break-after: always; margin-top: 60mm; }
.cover h1 { font-size: 22pt; }
.cover p { font-size: 16pt; margin: 6mm 0; }
.toc { page-break-after: always; }
.toc h2 { text-align: center; font-size: 16pt; }
.toc a { display: block; color: black; text-decoration: none; }
.toc a.section { padding-left: 2em; }
.toc a::after { content: leader('.') target-counter(attr(href), page); }
h1.chapter { font-size: 16pt; text-align: center; }
h2.section { font-size: 14pt; text-align: center; }
p.body { text-indent: 2em; margin: 0; text-align: justify; }
p.title { text-align: center; font-weight: bold; margin-top: 4mm; }
table { border-collapse: collapse; margin: 0 auto; font-size: 9pt; }
td, th { border: 0.6pt solid black; padding: 1.5mm 2mm; font-weight: normal; }
td.value { text-align: center; }
p.note { font-size: 9pt; }
"""


def _html(filler: int) -> str:
    out = [f'<div class="cover"><h1>{TITLE}</h1><p>{ISSUER}</p><p>{DATE}</p></div>',
           '<div class="toc"><h2>目录</h2>']
    for level, entry in _toc_entries(filler):
        out.append(f'<a class="{"chapter" if level == 0 else "section"}" href="#h{len(out)}">{html.escape(entry)}</a>')
    out.append("</div>")
    anchors = iter(range(2, len(out)))
    for number, chapter, items in body_sections(filler):
        out.append(f'<h1 class="chapter" id="h{next(anchors)}">第{_chinese(number)}章 {chapter}</h1>')
        for index, name, paragraphs, table in items:
            out.append(f'<h2 class="section" id="h{next(anchors)}">第{_chinese(index)}节 {name}</h2>')
            for text in paragraphs:
                lead, _, rest = text.partition("。")
                if rest and len(lead) < 16:
                    out.append(f'<p class="body"><b>{lead}。</b>{rest}</p>')
                else:
                    out.append(f'<p class="body">{text}</p>')
            if table:
                out.append(_html_table())
    return "<html><head><meta charset='utf-8'></head><body>" + "".join(out) + "</body></html>"


def _html_table() -> str:
    rows = ['<p class="title">专栏1 主要指标</p><table><thead>',
            '<tr><th colspan="2" rowspan="2">指标</th><th rowspan="2">属性</th><th colspan="2">规划目标</th>'
            '<th rowspan="2">年均增长</th></tr><tr><th>2020年</th><th>2025年</th></tr></thead><tbody>']
    seen: set[str] = set()
    number = 0
    parents: dict[str, int] = {}
    for category, parent, name, attribute, *cells in INDICATORS:
        if category not in seen:
            seen.add(category)
            rows.append(f'<tr><td colspan="6">{category}</td></tr>')
        values = "".join(f'<td class="value">{html.escape(cell)}</td>' for cell in cells)
        if parent is None:
            number += 1
            rows.append(f'<tr><td colspan="2">（{number}）{name}</td><td class="value">{attribute}</td>{values}</tr>')
            continue
        if parent not in parents:
            number += 1
            parents[parent] = number
            span = sum(1 for row in INDICATORS if row[1] == parent)
            rows.append(f'<tr><td rowspan="{span}">（{number}）{parent}</td><td>{name}</td>'
                        f'<td class="value">{attribute}</td>{values}</tr>')
        else:
            rows.append(f'<tr><td>{name}</td><td class="value">{attribute}</td>{values}</tr>')
    rows.append(f'</tbody></table><p class="note">{html.escape(NOTE)}</p>')
    return "".join(rows)


def _text(filler: int, pages: list[int | None]) -> str:
    """The plan's clean text as the HTML prints it (what its record must equal)."""
    lines = [TITLE, ISSUER, DATE, "目录"]
    lines += [f"{entry}……{page}" for (_, entry), page in zip(_toc_entries(filler), pages)]
    for number, chapter, items in body_sections(filler):
        lines.append(f"第{_chinese(number)}章{chapter}")
        for index, name, paragraphs, table in items:
            lines.append(f"第{_chinese(index)}节{name}")
            lines += paragraphs
            if table:
                lines += plan_docx(filler=filler).text.split("\n")[_table_at(filler):][: _table_length()]
    return "\n".join(lines) + "\n"


def _table_at(filler: int) -> int:
    return plan_docx(filler=filler).text.split("\n").index("专栏1主要指标")


def _table_length() -> int:
    text = plan_docx().text.split("\n")
    return text.index(NOTE) - text.index("专栏1主要指标") + 1


def weasyprint_plan() -> tuple[bytes, str]:
    import weasyprint

    css = _CSS.replace("{font}", _noto("NotoSansSC-Regular.otf").as_uri()).replace("{title}", TITLE)
    for filler in range(0, 30):
        pdf = weasyprint.HTML(string=_html(filler)).write_pdf(stylesheets=[weasyprint.CSS(string=css)])
        if _table_pages(pdf) == 2:
            break
    else:
        raise SystemExit("weasyprint: no filler puts the table over a page break")
    pages = _landed(pdf, [entry for _, entry in _toc_entries(filler)], skip=2)
    return pdf, _text(filler, pages)


# ---------------------------------------------------------------- reportlab


def reportlab_plan() -> tuple[bytes, str]:
    from tests.fixtures.make_plan_pdf import rich_plan_pdf

    plan = rich_plan_pdf()
    return plan.pdf, plan.text


def seed_plan() -> tuple[bytes, str]:
    """The seed plan as a plain ministry-style PDF (tests/pdfs/make_seed_pdf.py); its printed cells
    go to ``seed_plan_cells.json``."""
    import json

    from tests.pdfs.make_seed_pdf import seed_plan as make

    pdf, text, cells = make()
    (HERE / "seed_plan_cells.json").write_text(json.dumps(cells, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return pdf, text


PRODUCERS = {"reportlab_plan": reportlab_plan, "libreoffice_plan": libreoffice_plan, "weasyprint_plan": weasyprint_plan,
             "seed_plan": seed_plan}


def main(names: list[str]) -> None:
    for name in names or list(PRODUCERS):
        pdf, text = PRODUCERS[name]()
        (HERE / f"{name}.pdf").write_bytes(pdf)
        (HERE / f"{name}.txt").write_text(text, encoding="utf-8")
        print(f"{name}.pdf: {len(pdf)} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
