"""Word documents (.docx) read into a :class:`TextView` and :class:`Grid` tables (python-docx).

Many ministries publish a plan as .docx first. The body is read in document order: each paragraph
is one line; a heading style (``Heading N``/``标题 N``, ``Title``) makes a heading line of level N
(a paragraph wholly in bold one of level 0); Word's automatic numbering is written out as Word
shows it (``第一章``, ``一、``, ``（一）``, ``1.``: the level's ``lvlText`` with its counters in the
level's number format), since the label is part of the heading's text; bold runs become bold
spans; paragraphs in the ``TOC N`` styles are the TOC. A table is a :class:`Grid` (origin
``docx``) whose rows are written to the text as ``cell | cell`` lines; a merged cell (``gridSpan``,
``vMerge``) fills every position it covers and is named in ``merged``. Headers and footers are page
furniture: never part of the text.

The decoded text of a Word file *is* this text: :attr:`SourceDocument.text` holds it and the view
maps to it one to one, so every offset cites a place in it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import regex

from ..document import Grid, SourceDocument, TextView
from ..errors import InputError
from ..offsets import OffsetMap

_HEADING_STYLE = regex.compile(r"^(?:heading|标题)\s*(\d)$", regex.IGNORECASE)
_TITLE_STYLES = {"title", "标题"}
_TOC_STYLE = regex.compile(r"^(?:toc|目录)\s*\d$", regex.IGNORECASE)
_SPACE = regex.compile(r"[ \t\u00a0]+")
CELL_SEPARATOR = " | "


@dataclass
class _Builder:
    parts: list[str] = field(default_factory=list)
    length: int = 0
    headings: list[tuple[int, int]] = field(default_factory=list)
    bold: list[tuple[int, int]] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    toc_start: int | None = None
    toc_end: int | None = None

    def write(self, text: str) -> int:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start

    def newline(self) -> None:
        if self.length:
            self.write("\n")


# ---------------------------------------------------------------- Word's automatic numbering

_CHINESE = "零一二三四五六七八九"


def _chinese(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (Word's chineseCounting)."""
    if number < 10:
        return _CHINESE[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return ("" if tens == 1 else _CHINESE[tens]) + "十" + (_CHINESE[ones] if ones else "")
    hundreds, rest = divmod(number, 100)
    tail = "" if rest == 0 else ("零" + _CHINESE[rest] if rest < 10 else ("一" if rest < 20 else "") + _chinese(rest))
    return _CHINESE[hundreds] + "百" + tail


def _roman(number: int) -> str:
    values = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
              (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    out = []
    for value, letters in values:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _format(number: int, kind: str) -> str:
    """A counter in one of Word's number formats (ECMA-376 ST_NumberFormat)."""
    if kind in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional",
                "taiwaneseCounting", "japaneseCounting"):
        return _chinese(number)
    if kind == "lowerRoman":
        return _roman(number)
    if kind == "upperRoman":
        return _roman(number).upper()
    if kind == "lowerLetter":
        return chr(ord("a") + (number - 1) % 26)
    if kind == "upperLetter":
        return chr(ord("A") + (number - 1) % 26)
    if kind == "decimalFullWidth":
        return "".join(chr(ord(digit) + 0xFEE0) for digit in str(number))
    if kind == "decimalEnclosedCircle" and 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    if kind in ("none", "bullet"):
        return ""
    return str(number)


@dataclass(frozen=True)
class _Level:
    start: int
    kind: str
    text: str  # lvlText: %1 … %9 stand for the counters of levels 1 … 9
    suffix: str = "tab"  # what follows the label: tab | space | nothing


class _Numbering:
    """Counters of Word's list numbering, level by level, as paragraphs are read in order."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, _Level]] = {}  # numId → ilvl → level
        self.counters: dict[str, list[int]] = {}
        self.abstract_of: dict[str, str] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstracts: dict[str, dict[int, _Level]] = {}
        for abstract in root.findall(_q("w:abstractNum")):
            levels = {}
            for level in abstract.findall(_q("w:lvl")):
                levels[int(level.get(_q("w:ilvl")))] = _Level(
                    start=int(_value(level, "w:start", "1")), kind=_value(level, "w:numFmt", "decimal"),
                    text=_value(level, "w:lvlText", ""), suffix=_value(level, "w:suff", "tab"),
                )
            abstracts[abstract.get(_q("w:abstractNumId"))] = levels
        for num in root.findall(_q("w:num")):
            abstract_id = _value(num, "w:abstractNumId", "")
            self.levels[num.get(_q("w:numId"))] = abstracts.get(abstract_id, {})
            self.abstract_of[num.get(_q("w:numId"))] = abstract_id

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        # Lists sharing an abstract definition count together (Word's behaviour for one outline).
        key = self.abstract_of.get(num_id, num_id)
        counters = self.counters.setdefault(key, [0] * 9)
        level = levels[ilvl]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else level.start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        text = level.text
        for index in range(ilvl, -1, -1):
            shown = levels.get(index)
            value = counters[index] or (shown.start if shown else 1)
            text = text.replace(f"%{index + 1}", _format(value, shown.kind if shown else "decimal"))
        return text + ("" if level.suffix == "nothing" or not text else " ")


def _q(name: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(name))


def _value(element: Any, child: str, default: str) -> str:
    found = element.find(_q(child))
    return found.get(_q("w:val"), default) if found is not None else default


def _paragraph_numbering(paragraph: Any, numbering: _Numbering) -> str:
    """The label Word's automatic numbering shows before a paragraph (from its own properties or its style's)."""
    candidates = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        candidates.append(style.element.pPr)
        style = style.base_style
    for properties in candidates:
        if properties is None or properties.numPr is None:
            continue
        num_pr = properties.numPr
        num_id = num_pr.numId.val if num_pr.numId is not None else None
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        if num_id is None or str(num_id) == "0":
            return ""
        return numbering.label(str(num_id), int(ilvl))
    return ""


# ---------------------------------------------------------------- paragraphs and tables


def _heading_level(paragraph: Any) -> int | None:
    style = paragraph.style
    while style is not None:
        name = (style.name or "").strip()
        match = _HEADING_STYLE.match(name)
        if match:
            return int(match.group(1))
        if name.lower() in _TITLE_STYLES:
            return 1
        style = style.base_style
    return None


def _is_toc(paragraph: Any) -> bool:
    name = (paragraph.style.name or "").strip() if paragraph.style is not None else ""
    return bool(_TOC_STYLE.match(name))


def _runs(paragraph: Any) -> list[tuple[str, bool]]:
    """The paragraph's text in runs with their boldness (tabs kept as a space, line breaks as breaks)."""
    pieces = []
    for run in paragraph.runs:
        text = run.text.replace("\t", " ")
        if text:
            pieces.append((text, bool(run.bold)))
    if not pieces and paragraph.text:
        pieces.append((paragraph.text, False))
    return pieces


def _paragraph(builder: _Builder, paragraph: Any, numbering: _Numbering) -> None:
    label = _paragraph_numbering(paragraph, numbering)
    runs = _runs(paragraph)
    text = "".join(piece for piece, _ in runs)
    if not (label + text).strip():
        return
    builder.newline()
    start = builder.length
    if label:
        builder.write(label)
    bold_chars = 0
    lead = True
    for piece, bold in runs:
        for line_index, line in enumerate(piece.split("\n")):
            if line_index:
                builder.write("\n")
            line = _SPACE.sub(" ", line)
            if not line:
                continue
            at = builder.write(line)
            if bold and line.strip():
                if builder.bold and builder.bold[-1][1] == at:
                    builder.bold[-1] = (builder.bold[-1][0], at + len(line))
                else:
                    builder.bold.append((at, at + len(line)))
            if lead and bold:
                bold_chars += len(line)
            elif line.strip():
                lead = False
    level = _heading_level(paragraph)
    if level is not None:
        builder.headings.append((start, level))
    elif bold_chars and bold_chars >= len(text.strip()):
        builder.headings.append((start, 0))  # a paragraph wholly in bold
    if _is_toc(paragraph):
        if builder.toc_start is None:
            builder.toc_start = start
        builder.toc_end = builder.length


def _cell_text(cell: Any) -> str:
    return _SPACE.sub(" ", " ".join(p.text for p in cell.paragraphs)).strip()


def _table(builder: _Builder, table: Any) -> None:
    """One Word table as a Grid: positions from the cells' ``gridSpan``, vertical merges from
    ``vMerge`` (a continuing cell belongs to the cell above it)."""
    from docx.table import _Cell

    texts: dict[tuple[int, int], str] = {}
    owners: list[list[tuple[int, int]]] = []
    for row_index, tr in enumerate(table._tbl.tr_lst):
        row_owners: list[tuple[int, int]] = []
        column = 0
        for tc in tr.tc_lst:
            span = int(tc.grid_span or 1)
            above = owners[row_index - 1] if row_index else []
            if tc.vMerge == "continue" and column < len(above):
                owner = above[column]
            else:
                owner = (row_index, column)
                texts[owner] = _cell_text(_Cell(tc, table))
            row_owners.extend([owner] * span)
            column += span
        owners.append(row_owners)
    width = max((len(row) for row in owners), default=0)
    if not width:
        return
    extent: dict[tuple[int, int], list[int]] = {}
    for row_index, row in enumerate(owners):
        for column, owner in enumerate(row):
            box = extent.setdefault(owner, [row_index, column, row_index, column])
            box[2], box[3] = max(box[2], row_index), max(box[3], column)
    merged = tuple(sorted((r, c, bottom - r + 1, right - c + 1) for (r, c), (_, _, bottom, right) in extent.items()
                          if bottom > r or right > c))
    repeated = 0  # rows Word repeats at the top of each page (w:tblHeader): the table's header rows
    for tr in table._tbl.tr_lst:
        properties = tr.trPr
        if properties is None or properties.find(_q("w:tblHeader")) is None:
            break
        repeated += 1
    rows: list[tuple[str, ...]] = []
    spans: list[tuple[tuple[int, int], ...]] = []
    builder.newline()
    start = builder.length
    for row_index, row in enumerate(owners):
        if row_index:
            builder.write("\n")
        cells = [texts.get(owner, "") for owner in row] + [""] * (width - len(row))
        row_spans = []
        first = True
        for column, cell in enumerate(cells):
            own = column < len(row) and row[column] == (row_index, column)
            if not own or not cell:
                row_spans.append((-1, -1))
                continue
            if not first:
                builder.write(CELL_SEPARATOR)
            at = builder.write(cell)
            row_spans.append((at, at + len(cell)))
            first = False
        rows.append(tuple(cells))
        spans.append(tuple(row_spans))
    builder.grids.append(Grid(
        rows=tuple(rows), cell_spans=tuple(spans), start=start, end=builder.length, origin="docx", merged=merged,
        header_rows=repeated or None,
    ))


def docx_view(data: bytes) -> tuple[str, TextView, tuple[Grid, ...]]:
    """The document's text, its view (identity map) and its tables, written as ``cell | cell`` lines
    (each cell once) and returned as Grids; raise ``ValueError`` for a bad file."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    numbering = _Numbering(document)
    builder = _Builder()
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            _paragraph(builder, Paragraph(child, document), numbering)
        elif tag == "tbl":
            _table(builder, Table(child, document))
        elif tag == "sdt":  # a content control (Word's TOC lives in one): its paragraphs in order
            for inner in child.iter(_q("w:p")):
                _paragraph(builder, Paragraph(inner, document), numbering)
    text = "".join(builder.parts)
    core = document.core_properties
    meta = tuple((key, value) for key, value in (("title", core.title or ""), ("author", core.author or "")) if value)
    toc = (builder.toc_start, builder.toc_end) if builder.toc_start is not None and builder.toc_end else None
    view = TextView(text=text, to_source=OffsetMap(), heading_lines=tuple(builder.headings), toc_span=toc,
                    meta=meta, bold=tuple(builder.bold))
    return text, view, tuple(builder.grids)


def load_docx(data: bytes, *, path: str, sha256: str) -> SourceDocument:
    """Read a .docx file; raise :class:`InputError` with one line for anything that is not one."""
    try:
        text, view, grids = docx_view(data)
    except Exception as error:  # zipfile, lxml and python-docx's own errors: not a readable .docx
        raise InputError(f"not a readable .docx file ({type(error).__name__})", source=path) from None
    if not text.strip():
        raise InputError("the .docx file has no text", source=path)
    return SourceDocument(path=path, sha256=sha256, format="docx", encoding=None, text=text, view=view,
                          grids=grids)
