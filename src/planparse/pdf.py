"""PDF input: text with line and paragraph structure through PDFium, page furniture removed.

PDFium (pypdfium2) reads a page's text about 35× faster than pdfplumber; its line breaks and
character boxes are enough to tell furniture (running headers, footers, printed page numbers in
the top and bottom bands) from body text and to recover paragraph breaks from indentation.
Pages are read one at a time and closed, so memory stays bounded for long documents.

Layout beyond plain text:
- bold leads: a line whose first characters are bold (font weight ≥ 600, or fake bold drawn
  with text render mode fill+stroke as office tools do) records their span in
  :attr:`PdfPageText.bold`; :mod:`planparse.segment` takes a bold lead sentence as the paragraph's
  headline;
- ruled tables: a page whose paths rule a grid (:mod:`planparse.io.pdf.ruling`) goes through
  pdfplumber's table finder (:mod:`planparse.pdf_tables`). Each table, its continuations joined by
  layout, becomes a :class:`~planparse.document.Grid` in :attr:`SourceDocument.grids` (cells as
  printed, merged cells named, each row's printed page, each cell's source offsets), which the
  tables stage reads cell by cell. On its page the table's text lines are replaced by one line per
  printed row, each cell once, cells separated by `` | `` (a title row first, on a line of its own
  before the grid's span); the lines' span is kept in :attr:`PdfPageText.tables`. Prose pages never
  reach pdfplumber; where pdfplumber cannot read a page, its table stays PDFium's text lines, which
  the tables stage reads as it reads text.
- fonts: PDFium gets planparse's own fonts for non-embedded CJK fonts (:mod:`planparse.io.pdf.fonts`),
  so text and boxes do not depend on the host; characters still measured without a glyph are
  counted against pdfminer and warned (``pdf_glyphs_missing``).
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

import regex

from .document import PdfLine, PdfPageText, SourceDocument
from .errors import InputError
from .pdf_tables import (
    FinderUnavailable,
    RuledTable,
    TableFinder,
    build_grids,
    has_ruling,
    join_continuations,
    printed_lines,
)

PAGE_JOIN = "\n\f\n"  # between page texts in SourceDocument.text (pipeline maps page starts by it)
# Between a page and the next when a paragraph runs on over the break: as long as PAGE_JOIN, but
# word joiners (U+2060), which normalization drops, so the paragraph's two halves are one line.
CONTINUED_JOIN = "\u2060" * len(PAGE_JOIN)
BAND = 0.10  # top and bottom tenth of a page: where headers, footers and page numbers sit
_PAGE_NUMBER = regex.compile(r"^[\s—\-–－―_]*(?:第\s*)?(\d{1,4})(?:\s*页)?(?:\s*/\s*\d+)?[\s—\-–－―_]*$")
# Front-matter page numbers in Roman numerals (i, ii, Ⅲ), bare or between dashes: furniture
# without a printed number of their own (records number pages with integers).
_ROMAN_PAGE = regex.compile(r"^[\s—\-–－―_]*(?:[ivxlc]{1,7}|[IVXLC]{1,7}|[\u2160-\u217f]{1,3})[\s—\-–－―_]*$")
DECORATION_SHARE = 0.5  # a short body line repeated at the same place on this share of pages is decoration
DECORATION_LENGTH = 12  # at most this many characters: a stamp or notice (样本, 征求意见稿), never a sentence or a table row
_GARBAGE = regex.compile(r"[\ufffd\ue000-\uf8ff]|\(cid:\d+\)")
_SENTENCE_END = "。！？；：”）"
SHORT_LINE = 0.85  # a line with fewer characters than this share of a full line's is short (not a wrap)
FULL_LINE = 0.9  # a full line has as many characters as this share of the body's lines (or fewer)
RIGHT_EDGE = 0.95  # the share of body lines that end at or before the text block's right edge


@dataclass(frozen=True)
class _Line:
    text: str
    left: float
    right: float
    bottom: float
    top: float
    bold: int = 0  # leading characters of ``text`` set in bold
    hard: bool = False  # a line of its own (a ruled-table row): breaks before and after
    anchor: tuple[int, int] | None = None  # a table line: (piece, grid row or TITLE_LINE)
    size: float = 0.0  # font size (pt) of its first character
    rotated: bool = False  # set at an angle (a diagonal watermark)


_BOLD_FONT = regex.compile(rb"[Bb]old|[Hh]eavy|[Bb]lack|[Dd]emi|Hei(?:ti)?\b(?![-,\w]*(?:Regular|Medium|Light|Normal|Book))")
_FORCE_BOLD = 1 << 18  # font descriptor flag ForceBold (PDF 32000-1, table 123, bit 19)


def _is_bold(textpage: object, index: int) -> bool:
    """Bold by font weight, font name (``SimSun,Bold``, ``Helvetica-Bold``, 黑体 ``SimHei``, but not a
    黑体 face that names a regular weight: ``WenQuanYi-Zen-Hei-Medium``), the ForceBold flag, or fake bold (glyphs filled and stroked, text render mode 1/2)."""
    import ctypes

    pdfium_c = _api()
    raw = textpage.raw  # type: ignore[attr-defined]
    if pdfium_c.FPDFText_GetFontWeight(raw, index) >= 600:
        return True
    obj = pdfium_c.FPDFText_GetTextObject(raw, index)
    if obj and pdfium_c.FPDFTextObj_GetTextRenderMode(obj) in (
        pdfium_c.FPDF_TEXTRENDERMODE_FILL_STROKE, pdfium_c.FPDF_TEXTRENDERMODE_STROKE,
    ):
        return True
    name = ctypes.create_string_buffer(128)
    flags = ctypes.c_int(0)
    length = pdfium_c.FPDFText_GetFontInfo(raw, index, name, len(name), ctypes.byref(flags))
    return bool(flags.value & _FORCE_BOLD) or (0 < length <= len(name) and bool(_BOLD_FONT.search(name.raw[: length - 1])))


ROTATED = 0.05  # radians: text turned further than this is not a line of the body (a watermark)
GLYPHLESS = 0.01  # a tight box this share of the loose box's height: PDFium had no glyph for it


def _glyphless(textpage: object, index: int, height: float) -> bool:
    """True when PDFium measured a character without its glyph (no font for it): the tight box
    is a sliver of the line height the font's metrics give (thin glyphs such as — are ~5 %)."""
    _, bottom, _, top = textpage.get_charbox(index, loose=True)  # type: ignore[attr-defined]
    return top - bottom > 0 and height < GLYPHLESS * (top - bottom)


_SPACED = regex.compile(r"[\p{Han}\d\u3000-\u303f\uff01-\uff65]")  # CJK characters, digits, CJK punctuation
LETTER_SPACING = 1.0  # a generated space narrower than this many ems between CJK characters or digits is letter spacing


def _turned(angle: float) -> bool:
    """An angle (radians, 0 to 2π; -1 when unknown) away from upright."""
    import math

    return angle >= 0 and min(angle, 2 * math.pi - angle) > ROTATED


def _spacing(textpage: object, text: str, index: int, count: int) -> bool:
    """True for a space PDFium made up (not in the content stream) between two CJK characters or
    digits set less than an em apart: letter spacing (``税 务 总 局``, ``5 0座``, ``2019 年``), not a gap
    between words or columns."""
    if not 0 < index < count - 1 or not (_SPACED.match(text[index - 1]) and _SPACED.match(text[index + 1])):
        return False
    pdfium_c = _api()
    raw = textpage.raw  # type: ignore[attr-defined]
    if pdfium_c.FPDFText_IsGenerated(raw, index) != 1:
        return False
    _, _, right, _ = textpage.get_charbox(index - 1)  # type: ignore[attr-defined]
    left, _, _, _ = textpage.get_charbox(index + 1)  # type: ignore[attr-defined]
    size = pdfium_c.FPDFText_GetFontSize(raw, index - 1)
    return size > 0 and left - right < LETTER_SPACING * size


@cache
def _api() -> Any:
    """PDFium's raw calls (imported once, on first use: start-up stays light)."""
    import pypdfium2.raw as pdfium_c

    return pdfium_c


def _rect_box(raw: object, first: int, count: int) -> tuple[float, float, float, float] | None:
    """The box around PDFium's text rectangles for a run of characters (one call per rectangle,
    not per character), or None when a rectangle is a sliver (a glyph PDFium could not measure)."""
    import ctypes

    pdfium_c = _api()
    rects = pdfium_c.FPDFText_CountRects(raw, first, count)
    if rects <= 0:
        return None
    left, top, right, bottom = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    x0 = y0 = float("inf")
    x1 = y1 = float("-inf")
    for index in range(rects):
        pdfium_c.FPDFText_GetRect(raw, index, ctypes.byref(left), ctypes.byref(top), ctypes.byref(right), ctypes.byref(bottom))
        if top.value - bottom.value < 0.1:
            return None
        x0, x1 = min(x0, left.value), max(x1, right.value)
        y0, y1 = min(y0, bottom.value), max(y1, top.value)
    return (x0, y0, x1, y1)


def _char_box(textpage: object, text: str, kept: list[int]) -> tuple[tuple[float, float, float, float] | None, int]:
    """The box around the characters' own boxes, and how many PDFium measured without a glyph."""
    boxes = []
    glyphless = 0
    for index in kept:
        if text[index].isspace():
            continue
        left, bottom, right, top = textpage.get_charbox(index)  # type: ignore[attr-defined]
        if top - bottom < 0.1 and _glyphless(textpage, index, top - bottom):
            glyphless += 1
        if right > left or top > bottom:
            boxes.append((left, bottom, right, top))
    if not boxes:
        return None, glyphless
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)), glyphless


_BREAKS = regex.compile(r"\r\n|\n|\r")


def _lines(textpage: object, count: int, missing: list[int] | None = None) -> list[_Line]:
    """Lines in PDFium's reading order, each with its bounding box, bold lead, font size and
    rotation; letter-spaced runs are joined (their generated spaces dropped).

    ``missing`` receives the number of visible characters PDFium measured without a glyph."""
    pdfium_c = _api()
    raw = textpage.raw  # type: ignore[attr-defined]
    text = textpage.get_text_range(0, count)  # type: ignore[attr-defined]
    lines: list[_Line] = []
    glyphless = 0
    start = 0
    for match in _BREAKS.finditer(text + "\n"):
        end = min(match.start(), count)
        piece = text[start:end]
        if piece.strip():
            first = start + len(piece) - len(piece.lstrip())
            last = start + len(piece.rstrip())  # exclusive
            if " " in piece.strip():
                kept = [index for index in range(first, last)
                        if not (text[index] == " " and _spacing(textpage, text, index, count))]
                line_text = "".join(text[index] for index in kept)
            else:
                kept = list(range(first, last))
                line_text = text[first:last]
            box = _rect_box(raw, first, last - first)
            if box is None:  # a sliver: measure character by character, count the glyphless
                box, lost = _char_box(textpage, text, kept)
                glyphless += lost
            if box is not None:
                bold = 0
                while bold < len(kept) and _is_bold(textpage, kept[bold]):
                    bold += 1
                lines.append(
                    _Line(line_text, box[0], box[2], box[1], box[3], bold,
                          size=round(pdfium_c.FPDFText_GetFontSize(raw, first), 2),
                          rotated=_turned(pdfium_c.FPDFText_GetCharAngle(raw, first)))
                )
        start = match.end()
    if missing is not None:
        missing.append(glyphless)
    return lines


def _with_tables(lines: list[_Line], tables: list[RuledTable], piece: int = 0) -> list[_Line]:
    """Replace the text lines inside each ruled table by the table's own lines (one per row);
    ``piece`` numbers the first table (its lines' anchors)."""
    for number, table in enumerate(tables, start=piece):
        x0, bottom, x1, top = table.bbox
        inside = [
            index for index, line in enumerate(lines)
            if not line.hard and x0 - 2 <= (line.left + line.right) / 2 <= x1 + 2 and bottom - 2 <= (line.bottom + line.top) / 2 <= top + 2
        ]
        at = inside[0] if inside else next((index for index, line in enumerate(lines) if line.top < top), len(lines))
        rows = []
        for line in printed_lines(table):
            low, high = line.box if line.box is not None else (top - 1, top)
            rows.append(_Line(line.text, x0, x1, low, high, 0, True, (number, line.row)))
        dropped = set(inside)
        kept = [line for index, line in enumerate(lines) if index not in dropped]
        at -= sum(1 for index in inside if index < at)
        lines = kept[:at] + rows + kept[at:]
    return lines


_WHITESPACE = regex.compile(r"\s+")
_DIGITS = regex.compile(r"\d+")


def _decoration_key(line: _Line) -> tuple[str, int, int]:
    return (_WHITESPACE.sub("", line.text), round(line.left / 4), round(line.top / 4))


def _decorations(raw_pages: list[tuple[list[_Line], float]]) -> set[tuple[str, int, int]]:
    """Short body lines printed at the same place on most pages (a stamp, a repeated notice)."""
    if len(raw_pages) < 3:
        return set()
    counts: Counter[tuple[str, int, int]] = Counter()
    for lines, _ in raw_pages:
        counts.update({_decoration_key(line) for line in lines if not line.hard and len(line.text) <= DECORATION_LENGTH})
    return {key for key, count in counts.items() if count >= max(3, DECORATION_SHARE * len(raw_pages))}


def _furniture_key(text: str, size: float = 0.0) -> str:
    """Band lines repeat when their text (digits aside) and their size agree: a cover's title in
    the top band is not the running header that repeats its words in small print."""
    return _DIGITS.sub("#", _WHITESPACE.sub("", text)) + f"@{round(size)}"


def _open(data: bytes, password: str | None, path: str) -> Any:
    import pypdfium2 as pdfium

    from .io.pdf import fonts

    fonts.install()  # the record must not depend on the host's fonts
    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as error:
        message = str(error).lower()
        if "password" in message:
            hint = "wrong password" if password else "encrypted PDF: give its password with --password"
            raise InputError(hint, source=path) from None
        raise InputError("corrupt or truncated PDF (PDFium cannot read it)", source=path) from None


def load_pdf(data: bytes, *, path: str, sha256: str, password: str | None = None, tables: bool = True) -> SourceDocument:
    """Read a PDF into page texts without furniture; raise :class:`InputError` for bad PDFs.

    With ``tables``, pages whose vector paths could rule a table go through pdfplumber's table
    finder; each ruled table is a :class:`Grid` in :attr:`SourceDocument.grids` and its text is
    replaced by its printed rows (see :mod:`planparse.pdf_tables`)."""
    document = _open(data, password, path)
    finder = TableFinder(data, password)  # opens pdfplumber only if a page needs it
    try:
        page_count = len(document)
        if page_count == 0:
            raise InputError("PDF has no pages", source=path)
        raw_pages: list[tuple[list[_Line], float]] = []
        widths: list[float] = []
        ruled_tables: list[RuledTable] = []
        unread: list[tuple[int, str]] = []  # (page index, error) where the table finder failed
        unopened: list[int] = []  # ruled pages left to their text because pdfplumber could not open the file
        total_chars = 0
        garbage = 0
        glyphless: list[tuple[int, int, int]] = []  # (page index, glyphless characters, visible characters)
        for index in range(page_count):
            page = document[index]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    count = textpage.count_chars()
                    missing: list[int] = []
                    lines = _lines(textpage, count, missing) if count else []
                finally:
                    textpage.close()
                area = has_ruling(page) if tables and lines else None
            finally:
                page.close()
            if area is not None:
                try:
                    ruled_tables.extend(finder.find(index, area))
                except FinderUnavailable:
                    unopened.append(index)
                except Exception as error:  # pdfminer's many parse errors: keep the page, say so
                    # The page's tables stay text lines, which the text path reads as it reads text input.
                    unread.append((index, type(error).__name__))
            if missing and missing[0]:
                glyphless.append((index, missing[0], sum(len(regex.sub(r"\s+", "", line.text)) for line in lines)))
            for line in lines:
                total_chars += len(line.text)
                garbage += sum(len(found) for found in _GARBAGE.findall(line.text))
            raw_pages.append((lines, height))
            widths.append(width)
        disagreement = _check_glyphless(glyphless, finder)
    finally:
        document.close()
        finder.close()

    def body_beyond(table: RuledTable, above: bool) -> bool:
        """Body text (outside the bands and the table) above or below a table on its page."""
        lines, height = raw_pages[table.page]
        x0, bottom, x1, top = table.bbox
        for line in lines:
            middle = (line.bottom + line.top) / 2
            if line.top > height * (1 - BAND) or line.bottom < height * BAND or bottom - 2 <= middle <= top + 2:
                continue
            if (middle > top) if above else (middle < bottom):
                return True
        return False

    joined = join_continuations(
        ruled_tables, lambda first, second: not body_beyond(first, False) and not body_beyond(second, True)
    )
    for number, table in enumerate(joined):
        lines, height = raw_pages[table.page]
        raw_pages[table.page] = (_with_tables(lines, [table], number), height)
    if total_chars == 0:
        raise InputError("no text layer (scanned images?): OCR is needed before planparse can read it", source=path)
    if garbage > 0.2 * total_chars:
        raise InputError("the fonts map to unknown glyphs ((cid:…) garbage): the text layer is unusable", source=path)
    anchors: list[list[tuple[tuple[int, int], int]]] = []
    continued: list[bool] = []
    pages = _strip_furniture(raw_pages, statistics.median(widths), anchors, continued)
    text = "".join((CONTINUED_JOIN if continued[index] else PAGE_JOIN) + page.text if index else page.text
                   for index, page in enumerate(pages))
    made = build_grids(joined, [page.printed for page in pages], _source_anchors(pages, anchors))
    warnings = tuple(
        ("pdf_table_unread", f"physical page {index + 1}: pdfplumber could not read its ruled table ({error}); read from its text instead",
         pages[index].printed)
        for index, error in unread
    )
    if unopened:
        shown = ", ".join(str(index + 1) for index in unopened[:10]) + (" …" if len(unopened) > 10 else "")
        warnings += ((
            "pdf_table_unread",
            f"pdfplumber could not open the document ({finder.failed}): the ruled tables of {len(unopened)} "
            f"pages (physical {shown}) are read from their text instead",
            pages[unopened[0]].printed,
        ),)
    if disagreement is not None:
        warnings += (disagreement,)
    return SourceDocument(path=path, sha256=sha256, format="pdf", encoding=None, text=text,
                          page_count=page_count, pdf_pages=tuple(pages), warnings=warnings, grids=made)


def _source_anchors(pages: list[PdfPageText], anchors: list[list[tuple[tuple[int, int], int]]]) -> dict[tuple[int, int], int]:
    """Source offsets of the tables' lines, by (piece, grid row)."""
    result: dict[tuple[int, int], int] = {}
    cursor = 0
    for page, found in zip(pages, anchors):
        for anchor, offset in found:
            result.setdefault(anchor, cursor + offset)
        cursor += len(page.text) + len(PAGE_JOIN)
    return result


def _check_glyphless(glyphless: list[tuple[int, int, int]], finder: TableFinder) -> tuple[str, str, int | None] | None:
    """Pages where PDFium had no glyph for some characters: count the page's characters with
    pdfminer (which measures from the PDF's own widths, never from a font) and say how far the
    two readings disagree. Returns one warning for the document, or None when no page lacks glyphs."""
    if not glyphless:
        return None
    compared = []
    for index, missing, visible in glyphless:
        try:
            other = finder.visible_chars(index)
        except Exception as error:  # pdfminer cannot read the page either: say so, count nothing
            other = None
            compared.append(f"p.{index + 1}: {missing} glyphless, pdfminer failed ({type(error).__name__})")
            continue
        compared.append(f"p.{index + 1}: {missing} glyphless, PDFium {visible} vs pdfminer {other} characters")
    missing_total = sum(missing for _, missing, _ in glyphless)
    shown = "; ".join(compared[:5]) + (f"; … {len(compared) - 5} more pages" if len(compared) > 5 else "")
    return (
        "pdf_glyphs_missing",
        f"{missing_total} characters on {len(glyphless)} pages have no glyph in any font PDFium has, so their "
        f"boxes (and possibly the characters) are lost: {shown}",
        None,
    )


def _strip_furniture(
    raw_pages: list[tuple[list[_Line], float]], page_width: float, anchors: list[list[tuple[tuple[int, int], int]]] | None = None,
    continued: list[bool] | None = None,
) -> list[PdfPageText]:
    """Remove headers/footers (by position and repetition) and keep printed page numbers.
    ``anchors`` receives, per page, the page-text offsets of the tables' lines; ``continued``, per
    page, whether its first line goes on with the paragraph the previous page's body ends in."""
    band_keys: Counter[str] = Counter()
    for lines, height in raw_pages:
        seen = set()
        for line in lines:
            if line.top > height * (1 - BAND) or line.bottom < height * BAND:
                seen.add(_furniture_key(line.text, line.size))
        band_keys.update(seen)
    repeated = {key for key, count in band_keys.items() if len(raw_pages) >= 3 and count >= max(2, 0.3 * len(raw_pages))}
    decorations = _decorations(raw_pages)
    # Margins and character width come from the whole document: a page of short lines alone
    # would hide where the text block's edges are.
    all_lines = [line for lines, _ in raw_pages for line in lines if not line.hard] or [
        line for lines, _ in raw_pages for line in lines
    ]
    left = _percentile([line.left for line in all_lines], 0.05)
    text_lines = [line for line in all_lines if not _LEADER.search(line.text)] or all_lines
    right = max(_percentile([line.right for line in text_lines], RIGHT_EDGE), page_width - left)
    char = statistics.median([(line.right - line.left) / max(len(line.text), 1) for line in all_lines])
    layout = _Layout(
        left=left,
        # The block's right edge is where nearly all lines end (a TOC's page numbers at a tab stop
        # past it do not move it); without a full line it mirrors the left margin.
        right=right,
        char=char,
        pitch=_pitch(raw_pages),
        full=_percentile([float(len(line.text)) for line in text_lines], FULL_LINE),
    )
    pages = []
    last_line: _Line | None = None  # the body's last line so far
    for index, (lines, height) in enumerate(raw_pages, start=1):
        printed = None
        body: list[_Line] = []
        for line in lines:
            if line.hard:
                body.append(line)  # a table row is never furniture
                continue
            in_band = line.top > height * (1 - BAND) or line.bottom < height * BAND
            number = _PAGE_NUMBER.match(line.text) if in_band else None
            if number:
                printed = int(number.group(1))
                continue
            if in_band and (_ROMAN_PAGE.match(line.text) or _furniture_key(line.text, line.size) in repeated):
                continue
            if line.rotated or _decoration_key(line) in decorations:
                continue  # a watermark, or the same decoration at the same place on most pages
            body.append(line)
        if continued is not None:
            continued.append(bool(body) and last_line is not None and not _breaks(last_line, body[0], layout))
        last_line = body[-1] if body else last_line
        found: list[tuple[tuple[int, int], int]] = []
        layouts: list[PdfLine] = []
        text, bold, tables = _page_text(body, layout, found, layouts)
        if anchors is not None:
            anchors.append(found)
        pages.append(PdfPageText(index=index, printed=printed, text=text, bold=bold, tables=tables, lines=tuple(layouts)))
    return pages


@dataclass(frozen=True)
class _Layout:
    left: float
    right: float
    char: float
    pitch: float = 0.0  # the body's baseline-to-baseline distance (0: unknown)
    full: float = 30.0  # characters on a full body line


def _pitch(raw_pages: list[tuple[list[_Line], float]]) -> float:
    """The most common distance between consecutive baselines of body lines."""
    steps: Counter[float] = Counter()
    for lines, _ in raw_pages:
        for previous, line in zip(lines, lines[1:]):
            step = previous.bottom - line.bottom
            if not (line.hard or previous.hard) and step > 0:
                steps[round(step, 1)] += 1
    return steps.most_common(1)[0][0] if steps else 0.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


Spans = tuple[tuple[int, int], ...]


def _line_layout(line: _Line, previous: _Line | None, start: int, layout: _Layout, centred: bool) -> PdfLine:
    gap = 0.0
    if previous is not None and layout.pitch > 0:
        gap = max(0.0, round((previous.bottom - line.bottom) / layout.pitch - 1, 2))
    return PdfLine(start, start + len(line.text), line.size, line.bold >= len(line.text), centred, gap)


def _centred(line: _Line, layout: _Layout, char: float) -> bool:
    return abs((line.left - layout.left) - (layout.right - line.right)) < 2 * char and line.left > layout.left + 2 * char


def _breaks(previous: _Line, line: _Line, layout: _Layout) -> bool:
    """Whether ``line`` starts a new paragraph (or heading, or table row) after ``previous``: it is
    indented, centred or a table row, or ``previous`` ends short of the right edge and ends a
    sentence, or is short in characters too (a heading's or a title's line) by more than the next
    line's first unbreakable unit explains."""
    char = layout.char or 10.0
    indented = line.left > layout.left + 1.5 * char
    gap = layout.right - previous.right
    ends_sentence = previous.text.endswith(tuple(_SENTENCE_END))
    short = len(previous.text) < SHORT_LINE * layout.full and gap > _wrap_room(line.text, char)
    return line.hard or previous.hard or indented or _centred(line, layout, char) or bool(_LEADER_END.search(previous.text)) or (
        gap > 2 * char and (ends_sentence or short))


_LEADER = regex.compile(r"[.…·・]{4,}")  # a TOC entry's dot leader
_LEADER_END = regex.compile(r"[.…·・]{3,}\s*\d{1,4}$")  # a TOC entry ends its line
_UNBREAKABLE = regex.compile(r"^[“‘《（(\[【〔]*(?:[0-9A-Za-z.,%‰+\-－/]+|.)[，。、；：！？”’》）)\]】〕%‰]*")


def _wrap_room(text: str, char: float) -> float:
    """The widest gap a wrapped line can leave before ``text``: what its first unbreakable unit
    (a number or Latin word, a character with the punctuation that may not start a line, an
    opening quote with the character after it) needs, plus a character of slack."""
    unit = _UNBREAKABLE.match(text)
    width = sum(0.55 if piece.isascii() else 1.0 for piece in (unit.group() if unit else text[:1]))
    return (width + 1.0) * char


def _page_text(
    lines: list[_Line], layout: _Layout, anchors: list[tuple[tuple[int, int], int]] | None = None,
    layouts: list[PdfLine] | None = None,
) -> tuple[str, Spans, Spans]:
    """Join lines: a Chinese line wrap joins without a break; a paragraph starts on an indented
    line or after a short line that ends a sentence; short centred lines stand alone (headings);
    table rows stand alone. Returns the text, the spans of bold leads at line starts and the
    spans of ruled tables' lines."""
    if not lines:
        return "", (), ()
    char = layout.char or 10.0
    pieces = [lines[0].text]
    length = len(lines[0].text)
    bold: list[tuple[int, int]] = [(0, lines[0].bold)] if lines[0].bold else []
    tables: list[tuple[int, int]] = [(0, length)] if lines[0].hard else []
    found: list[tuple[tuple[int, int], int]] = [(lines[0].anchor, 0)] if lines[0].anchor is not None else []
    shapes = [_line_layout(lines[0], None, 0, layout, _centred(lines[0], layout, char))]
    for previous, line in zip(lines, lines[1:]):
        centred = _centred(line, layout, char)
        broken = _breaks(previous, line, layout)
        if broken:
            pieces.append("\n")
            length += 1
        if line.bold and not broken and bold and bold[-1][1] == length and previous.bold == len(previous.text):
            bold[-1] = (bold[-1][0], length + line.bold)  # a bold lead wrapped onto this line
        elif line.bold:
            bold.append((length, length + line.bold))
        if line.hard:
            if previous.hard and tables:
                tables[-1] = (tables[-1][0], length + len(line.text))
            else:
                tables.append((length, length + len(line.text)))
        if line.anchor is not None:
            found.append((line.anchor, length))
        shapes.append(_line_layout(line, previous, length, layout, centred))
        pieces.append(line.text)
        length += len(line.text)
    if anchors is not None:
        anchors.extend(found)
    if layouts is not None:
        layouts.extend(shapes)
    return "".join(pieces), tuple(bold), tuple(tables)
