"""The seed plan (data/raw/dongbei_13th_fyp_2016.txt) as a plain ministry-style PDF: a Word document
made with python-docx, converted by LibreOffice, as a ministry's office produces it. Run from the
project root (needs LibreOffice and the Noto CJK fonts, as tests/pdfs/make_pdfs.py):

    python -m tests.pdfs.make_pdfs seed_plan

The seed is text extracted from a PDF and damaged (line breaks, '.', '%', '[ ]' and letters
stripped, page numbers glued in); what the PDF prints is its record's reading, laid out again:

- cover (附件, title, issuer, date), a 目录 with dot leaders and the printed page of every chapter
  and section, ``— N —`` footers and a running header in the body;
- chapters and sections as heading lines, each paragraph of the record (a headline in bold), the
  boxes (专栏N title, then its list, groups or text), the figures' captions;
- the two indicator tables as Word tables: a two-level header (规划目标/实际完成 over their years),
  category rows merged across the table, a parent cell merged down beside its sub-rows (the
  attribute merged down with it), word cells, ``[ ]`` cumulative cells, comparators; Word repeats
  the header on the next page. Each cell prints the record's value with the decimals its digits
  carry (raw ``605`` read as 60.5 prints ``60.5``), so the 187 cells printed are known exactly;
- what the seed's damage took away is put back where the record shows its place: ``（%）`` for an
  empty unit ``（）``, ``[ ]`` before ``内为…累计数`` in a note.

Besides the PDF it writes ``seed_plan.txt`` (the plan's text as the PDF prints it: one line per
heading, paragraph and table row) and ``seed_plan_cells.json`` (every printed indicator cell with
its row: the truth the PDF record is measured against).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

ROOT = Path(__file__).resolve().parents[2]
SEED_RECORD = ROOT / "data" / "structured" / "dongbei_13th_fyp_2016.json"
FONT, HEADING_FONT = "Noto Serif SC", "Noto Sans SC"
_CHINESE = "零一二三四五六七八九"
_EMPTY_UNIT = regex.compile(r"[（(][）)]")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


def _chinese(number: int) -> str:
    if number < 10:
        return _CHINESE[number]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else _CHINESE[tens]) + "十" + (_CHINESE[ones] if ones else "")


def _undamaged(text: str) -> str:
    """An empty unit ``（）`` is a ``（%）`` the seed's damage stripped."""
    return _EMPTY_UNIT.sub("（%）", text)


def cell_text(cell: dict[str, Any]) -> str:
    """A cell as printed: the record's value with the decimals its raw digits carry, ``[ ]`` for a
    cumulative change, its comparator, its words; ``--`` for an empty cell."""
    value, raw = cell["value"], cell["raw"]
    words = cell["text"] or ""
    if value is None:
        return words or "--"
    digits = regex.sub(r"\D", "", raw)
    whole = len(str(int(abs(value))))
    decimals = max(0, len(digits) - whole)
    number = f"{value:.{decimals}f}"
    if cell["cumulative"]:
        number = f"[{(cell['comparator'] or '')}{number}]"
    elif cell["comparator"]:
        number = cell["comparator"] + number
    return number + words


@dataclass
class _Table:
    """One indicator table laid out as printed: header rows, body rows, merged cells."""

    header: list[list[str]]
    rows: list[list[str]] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row, column, rows, columns) in header + rows
    lines: list[str] = field(default_factory=list)  # the table as text lines
    cells: list[dict[str, Any]] = field(default_factory=list)  # the printed truth, one entry per indicator row


def _layout(table: dict[str, Any], indicators: list[dict[str, Any]]) -> _Table:
    paths = [column["path"] for column in table["columns"]]
    grouped = any(indicator["group"] for indicator in indicators)
    labels = ["指标", "指标"] if grouped else ["指标"]
    if table["attribute_column"]:
        labels.append("属性")
    width = len(labels) + len(paths)
    top = labels + [path.split("/")[0] for path in paths]
    bottom = labels + [path.split("/")[-1] for path in paths]
    header = [top, bottom] if any("/" in path for path in paths) else [top]
    layout = _Table(header)
    levels = len(header)
    label_spans = [(0, 2)] if grouped else [(0, 1)]
    if table["attribute_column"]:
        label_spans.append((label_spans[-1][1], label_spans[-1][1] + 1))
    for start, end in label_spans:  # 指标 (over the parent and name columns) and 属性, down the header
        if levels > 1 or end - start > 1:
            layout.merged.append((0, start, levels, end - start))
    column = len(labels)
    while levels > 1 and column < width:
        group = paths[column - len(labels)].split("/")[0] if "/" in paths[column - len(labels)] else None
        span = 1
        while group and column + span < width and paths[column + span - len(labels)].startswith(group + "/"):
            span += 1
        layout.merged.append((0, column, 1, span) if group else (0, column, 2, 1))
        column += span
    leaves = [path.split("/")[-1] for path in paths]
    groups = [path.split("/")[0] for path in paths if "/" in path]
    layout.lines.append(" ".join([*dict.fromkeys(labels), *dict.fromkeys(groups), *leaves]))
    category = None
    group_rows: dict[str, int] = {}
    for indicator in indicators:
        row_index = len(header) + len(layout.rows)
        if indicator["category"] and indicator["category"] != category:
            category = indicator["category"]
            layout.rows.append([category] * width)
            layout.merged.append((row_index, 0, 1, width))
            layout.lines.append(category)
            row_index += 1
        unit = f"（{indicator['unit']}）" if indicator["unit"] else ""
        name = indicator["indicator"] + unit
        number = f"（{indicator['number']}）" if indicator["number"] is not None else ""
        values = [cell_text(cell) for cell in indicator["cells"]]
        attribute = [indicator["attribute"] or ""] if table["attribute_column"] else []
        group = _undamaged(indicator["group"]) if indicator["group"] else None
        if group is None:
            label = [number + name, number + name] if grouped else [number + name]
            if grouped:
                layout.merged.append((row_index, 0, 1, 2))
            layout.lines.append(" ".join([number + name, *attribute, *values]))
        else:
            if group not in group_rows:
                group_rows[group] = row_index
                layout.lines.append(number + group)
            else:
                start = group_rows[group]
                layout.merged = [entry for entry in layout.merged if entry[:2] != (start, 0)] + [(start, 0, row_index - start + 1, 1)]
                if table["attribute_column"] and layout.rows[start - levels][2] == (indicator["attribute"] or ""):
                    layout.merged = [entry for entry in layout.merged if entry[:2] != (start, 2)] + [(start, 2, row_index - start + 1, 1)]
            label = [number + group, name]
            layout.lines.append(" ".join([name, *attribute, *values]))
        layout.rows.append(label + attribute + values)
        layout.cells.append({
            "box": indicator["box"], "row": indicator["row"], "number": indicator["number"], "category": category,
            "group": regex.sub(r"[（(][^（）()]*[）)]$", "", group) if group else None, "indicator": indicator["indicator"],
            "unit": indicator["unit"] or (regex.search(r"[（(]([^（）()]*)[）)]$", group).group(1) if group and group.endswith("）") else None),
            "attribute": indicator["attribute"], "cells": [
                {"column": cell["column"], "printed": text, "value": cell["value"], "comparator": cell["comparator"],
                 "cumulative": cell["cumulative"], "text": cell["text"]}
                for cell, text in zip(indicator["cells"], values)
            ],
        })
    return layout


def _notes(notes: list[str]) -> str:
    written = [("[ ]" + note if note.startswith("内为") else note) for note in notes]
    if len(written) == 1:
        return "注：" + written[0]
    return "注：" + "".join(f"{_CIRCLED[index]}{note}" for index, note in enumerate(written))


def _box_lines(box: dict[str, Any]) -> list[str]:
    if box["kind"] == "list":
        return ["；".join(f"{index}{item}" for index, item in enumerate(box["items"], start=1)) + "。"]
    if box["kind"] == "groups":
        return [group["label"] + "：" + group["text"] for group in box["groups"]]
    return [box["text"]] if box["text"] else []


def _blocks(record: dict[str, Any]) -> list[tuple[int, str, Any]]:
    """The body in document order: (source offset, kind, payload)."""
    blocks: list[tuple[int, str, Any]] = [(p["offset"], "para", p) for p in record["preamble"]]
    for chapter in record["chapters"]:
        blocks.append((chapter["offset"], "chapter", chapter))
        blocks += [(p["offset"], "para", p) for p in chapter["paragraphs"]]
        for section in chapter["sections"]:
            blocks.append((section["offset"], "section", section))
            blocks += [(p["offset"], "para", p) for p in section["paragraphs"]]
    blocks += [(box["offset"], "box", box) for box in record["boxes"]]
    blocks += [(figure["offset"], "figure", figure) for figure in record["figures"]]
    return sorted(blocks, key=lambda block: block[0])


@dataclass(frozen=True)
class SeedPlan:
    docx: bytes
    text: str
    cells: list[dict[str, Any]]
    headings: list[str]


def seed_docx(record: dict[str, Any], toc_pages: list[int] | None = None) -> SeedPlan:
    import docx
    from docx.enum.section import WD_SECTION
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_LEADER
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    from tests.fixtures.make_plan_docx import _font, _merge_borders, _page_field, _repeat_header, _saved

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.line_spacing = 1.3
    for name, size in (("Heading 1", 16), ("Heading 2", 15)):
        style = document.styles[name]
        style.font.name = HEADING_FONT
        style.font.size = Pt(size)
        style.font.bold = False
        style.font.color.rgb = None
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), HEADING_FONT)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    toc_styles = []
    for level in (1, 2):
        style = document.styles.add_style(f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.paragraph_format.left_indent = Cm(0.74 * (level - 1))
        style.paragraph_format.tab_stops.add_tab_stop(Cm(15.5), leader=WD_TAB_LEADER.DOTS)
        toc_styles.append(style)
    first = document.sections[0]
    first.page_width, first.page_height = Cm(21), Cm(29.7)
    meta = record["document"]
    title, issuer = meta["title"], meta["issuer"]
    year, month = meta["date"].split("-")
    lines: list[str] = []
    headings: list[str] = []
    cells: list[dict[str, Any]] = []

    def paragraph(text: str, *, size: float = 14, bold: str = "", indent: bool = True, centre: bool = False,
                  font: str = FONT) -> None:
        made = document.add_paragraph()
        if centre:
            made.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif indent:
            made.paragraph_format.first_line_indent = Pt(2 * size)
        if bold:
            _font(made.add_run(bold), font, size, bold=True)
        if text[len(bold):]:
            _font(made.add_run(text[len(bold):]), font, size)
        lines.append(text)

    # Cover: no page number.
    if meta["label"]:
        paragraph(meta["label"] + "：", size=16, indent=False)
    for text, size in ((title, 22), (issuer, 16), (f"{year}年{int(month)}月", 16)):
        paragraph(text, size=size, centre=True)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    # TOC.
    paragraph("目录", size=16, centre=True, font=HEADING_FONT)
    for index, entry in enumerate(record["toc"]):
        kind = "章" if entry["level"] == "chapter" else "节"
        label = f"第{_chinese(entry['number'])}{kind}"
        made = document.add_paragraph(style=toc_styles[0 if kind == "章" else 1])
        page = toc_pages[index] if toc_pages else None
        made.add_run(f"{label} {entry['title']}" + (f"\t{page}" if page is not None else ""))
        lines.append(f"{label}{entry['title']}" + (f"……{page}" if page is not None else ""))
    # Body: its own section, running header, — N — footers from 1.
    body = document.add_section(WD_SECTION.NEW_PAGE)
    body.header.is_linked_to_previous = False
    body.footer.is_linked_to_previous = False
    header = body.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(header.add_run(title), FONT, 9)
    footer = body.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(footer)
    body._sectPr.append(docx.oxml.parse_xml(
        '<w:pgNumType xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:start="1"/>'
    ))
    tables = {table["box"]: table for table in record["tables"] if table["box"] is not None}
    for _, kind, item in _blocks(record):
        if kind in ("chapter", "section"):
            label = f"第{_chinese(item['number'])}{'章' if kind == 'chapter' else '节'}"
            document.add_paragraph(f"{label} {item['title']}", style="Heading 1" if kind == "chapter" else "Heading 2")
            headings.append(label + item["title"])
            lines.append(label + item["title"])
        elif kind == "para":
            paragraph(item["text"], bold=item["headline"] or "")
        elif kind == "figure":
            paragraph(f"图{item['number']} {item['title']}", size=12, centre=True)
            lines[-1] = f"图{item['number']}{item['title']}"
        elif kind == "box" and item["kind"] == "omitted":
            paragraph(f"专栏{item['number']} 略", centre=True, font=HEADING_FONT)
            lines[-1] = f"专栏{item['number']}略"
        elif kind == "box":
            paragraph(f"专栏{item['number']} {item['title']}", centre=True, font=HEADING_FONT, size=14)
            lines[-1] = f"专栏{item['number']}{item['title']}"
            table = tables.get(item["number"])
            if table is None:
                for text in _box_lines(item):
                    paragraph(text, size=12)
                continue
            layout = _layout(table, [i for i in record["indicators"] if i["box"] == item["number"]])
            _word_table(document, layout, WD_TABLE_ALIGNMENT.CENTER, WD_ALIGN_PARAGRAPH, _font, _merge_borders, _repeat_header)
            lines += layout.lines
            cells += layout.cells
            if table["notes"]:
                paragraph(_notes(table["notes"]), size=10, indent=False)
    return SeedPlan(_saved(document), "\n".join(lines) + "\n", cells, headings)


def _word_table(document: Any, layout: _Table, centre_table: Any, align: Any, font: Any, borders: Any, repeat: Any) -> None:
    from docx.shared import Cm

    grid = layout.header + layout.rows
    width = len(grid[0])
    table = document.add_table(rows=len(grid), cols=width)
    table.alignment = centre_table
    borders(table)
    label_columns = sum(1 for cell in layout.header[0] if cell in ("指标", "属性"))
    widths = [Cm(2.6), Cm(4.6)] if layout.header[0][:2] == ["指标", "指标"] else [Cm(6.2)]
    widths += [Cm(1.6)] * (label_columns - len(widths))
    widths += [Cm((16.5 - sum(w.cm for w in widths)) / (width - label_columns))] * (width - label_columns)
    table.autofit = False
    for column, size in zip(table.columns, widths):
        column.width = size
    for row in table.rows:
        for cell, size in zip(row.cells, widths):
            cell.width = size
    covered = {(r + dr, c + dc) for r, c, rs, cs in layout.merged for dr in range(rs) for dc in range(cs) if (dr, dc) != (0, 0)}
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            cell = table.cell(r, c)
            cell.text = ""
            paragraph = cell.paragraphs[0]
            paragraph.alignment = align.CENTER if c >= label_columns or r < len(layout.header) else align.LEFT
            font(paragraph.add_run(text), FONT, 9)
    for r, c, rs, cs in layout.merged:
        table.cell(r, c).merge(table.cell(r + rs - 1, c + cs - 1))
    for index in range(len(layout.header)):
        repeat(table.rows[index])


def seed_plan() -> tuple[bytes, str, list[dict[str, Any]]]:
    """The PDF (two LibreOffice passes: the second prints the TOC's pages where the first put each
    heading), its text and its printed cells."""
    from tests.pdfs.make_pdfs import _landed, _pages, _soffice

    def body_start(pdf: bytes) -> int:  # the physical page where the body's page numbers start
        return next(index for index, (printed, _) in enumerate(_pages(pdf)) if printed == 1)

    record = json.loads(SEED_RECORD.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        first = seed_docx(record)
        pdf = _soffice(first.docx, work)
        pages = _landed(pdf, first.headings, skip=body_start(pdf))
        final = seed_docx(record, toc_pages=[page or 0 for page in pages])
        pdf = _soffice(final.docx, work)
        again = _landed(pdf, final.headings, skip=body_start(pdf))
        assert again == pages, (pages, again)
    return pdf, final.text, final.cells
