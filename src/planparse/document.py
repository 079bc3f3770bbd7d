"""Internal hand-off values between pipeline stages (frozen dataclasses).

Offsets come in three coordinate systems, named by their attribute:
- *source*: the decoded input text (what records cite);
- *normalized*: :class:`NormalizedText.text`;
- *clean*: :class:`PagedText.text`, the normalized text with page numbers removed.
Stages that create ``Repair``/``RecordWarning`` records convert to source offsets themselves, using
the maps carried here.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from .models import RecordWarning, Repair
from .offsets import ComposedMap, OffsetMap


@dataclass(frozen=True)
class PdfLine:
    """How one printed line of a PDF page is set (filled by the PDF loader): evidence for
    headings and headlines next to their wording."""

    start: int  # [start, end) in PdfPageText.text
    end: int
    size: float  # font size (pt) of its first character
    bold: bool  # every character bold
    centred: bool  # centred in the text block and narrower than it
    gap: float  # blank space above the line in body line pitches (0 for a page's first line)


@dataclass(frozen=True)
class PdfPageText:
    """One physical PDF page's text after furniture removal (filled by the PDF loader)."""

    index: int
    printed: int | None
    text: str
    bold: tuple[tuple[int, int], ...] = ()  # [start, end) of bold leads, offsets into ``text``
    tables: tuple[tuple[int, int], ...] = ()  # [start, end) of ruled tables' rows (intact cells)
    lines: tuple[PdfLine, ...] = ()  # every body line's layout, in reading order


@dataclass(frozen=True)
class Grid:
    """A table whose cells are known from the input's own layout: a Markdown pipe table, an HTML
    ``<table>``, a PDF ruled grid or a Word table. The tables stage reads its cells directly (no
    text round trip), so every cell is intact: separators tell where a cell ends.

    Offsets are *source* offsets (into :attr:`SourceDocument.text`); ``(-1, -1)`` when a cell has
    no place of its own in the decoded text (a merged cell filled from the one that spans it).
    """

    rows: tuple[tuple[str, ...], ...]  # cell texts as printed (markup removed); merged cells filled
    cell_spans: tuple[tuple[tuple[int, int], ...], ...]  # per cell, its [start, end) in the source
    start: int  # source offset of the table's first character
    end: int  # source offset after its last character
    origin: str  # markdown | html | pdf | docx
    header_rows: int | None = None  # header rows when the markup says (HTML <th>, a Markdown |---| line)
    row_pages: tuple[int | None, ...] = ()  # printed page of each row (PDF); empty when unknown
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (row, col, row_span, col_span) of merged cells
    caption: str | None = None  # a title the markup attaches to the table (HTML <caption>)


@dataclass(frozen=True)
class TextView:
    """What a markup loader (Markdown, HTML, Word) hands on: the document's plain text with a map
    back into the decoded source, plus the structure the markup itself declares.

    ``text`` keeps line breaks; marks are gone (``##``, ``**``, ``<details>``, image links).
    Offsets in the hint fields are offsets into ``text`` (the *view*)."""

    text: str
    to_source: OffsetMap
    # (view offset of a heading line's text, markup level 1-6 or 0 for a bold-only line)
    heading_lines: tuple[tuple[int, int], ...] = ()
    toc_span: tuple[int, int] | None = None  # a TOC the markup delimits (<details><summary>目录)
    # (view offset, alt text or file name) of images: figures, or boxes/tables published as images
    images: tuple[tuple[int, str], ...] = ()
    # front matter fields (title, source, date …) as given
    meta: tuple[tuple[str, str], ...] = ()
    bold: tuple[tuple[int, int], ...] = ()  # [start, end) of text the markup sets in bold
    quotes: tuple[tuple[int, int], ...] = ()  # [start, end) of blockquotes (Markdown > lines, HTML <blockquote>)


@dataclass(frozen=True)
class SourceDocument:
    """Stage ``load``: the decoded input."""

    path: str
    sha256: str
    format: str  # "text" | "pdf" | "markdown" | "html" | "docx"
    encoding: str | None
    text: str
    page_count: int | None = None
    pdf_pages: tuple[PdfPageText, ...] | None = None
    warnings: tuple[tuple[str, str, int | None], ...] = ()  # (code, message, printed page): non-fatal load problems
    view: TextView | None = None  # markup inputs: the plain text the pipeline reads, mapped to ``text``
    grids: tuple[Grid, ...] = ()  # tables with known cells (markup or PDF grids), source offsets


@dataclass(frozen=True)
class DamageSignal:
    """One kind of damage and the evidence for it (stage ``damage``)."""

    kind: str  # line_breaks_lost | decimals_stripped | letters_stripped | page_numbers_glued | spaces_stripped | lines_hard_wrapped
    present: bool
    confidence: float  # probability that ``present`` is right
    evidence: str  # a short human-readable account (counts) of what was seen


@dataclass(frozen=True)
class Damage:
    """Stage ``damage``: whether the text is damaged, and how. Repairs that only make sense on
    damaged text consult it (page-number removal, prose decimals, token restoration)."""

    signals: tuple[DamageSignal, ...] = ()

    def has(self, kind: str) -> bool:
        return any(signal.kind == kind and signal.present for signal in self.signals)

    @property
    def clean(self) -> bool:
        return not any(signal.present for signal in self.signals)


@dataclass(frozen=True)
class NormalizedText:
    """Stage ``normalize``: canonical characters, whitespace collapsed, line breaks remembered."""

    text: str
    to_source: OffsetMap | ComposedMap
    # Offsets in ``text`` before which the input had a line break (a hint for headings/paragraphs).
    line_breaks: frozenset[int] = frozenset()


@dataclass(frozen=True)
class TocEntry:
    level: str  # grammar kind: part | chapter | section | outline1 | outline2 | unnumbered
    number: int | None  # None for a named entry (序言)
    label: str  # as printed: 第一章, 第十二节, 一、, 序言
    title: str
    page: int | None


@dataclass(frozen=True)
class PageMarker:
    """A printed page number found inside the running text (normalized coordinates)."""

    offset: int  # start of the page-number digits in normalized text
    length: int
    page: int
    digits: str  # the whole digit run it was cut from, e.g. "1320"
    confidence: float
    front: bool = False  # True for front-matter (cover/TOC) page numbers
    raw: float = 0.0  # the uncalibrated local posterior (pages stage), for fitting the calibration
    covariates: tuple[str, ...] = ()  # where it stands (pages.removal_covariates), for the same fit


@dataclass(frozen=True)
class FrontMatter:
    """Stage ``toc``: metadata, TOC and where the body starts (normalized coordinates)."""

    label: str | None
    title: str | None
    issuer: str | None
    date: str | None  # YYYY-MM
    toc: tuple[TocEntry, ...]
    toc_span: tuple[int, int] | None
    body_start: int
    markers: tuple[PageMarker, ...] = ()  # front-matter page numbers (inside the TOC area)
    warnings: tuple[RecordWarning, ...] = ()


@dataclass(frozen=True)
class PagedText:
    """Stage ``pages``: the normalized text with page numbers removed (the *clean* text)."""

    text: str
    to_normalized: OffsetMap
    normalized: NormalizedText
    # (clean offset where a printed page starts, printed page number), sorted by offset.
    page_starts: tuple[tuple[int, int], ...]
    markers: tuple[PageMarker, ...]
    body_start: int  # clean offset of the body (after the TOC)
    repairs: tuple[Repair, ...] = ()
    warnings: tuple[RecordWarning, ...] = ()
    line_breaks: frozenset[int] = frozenset()  # clean offsets
    # Text restored by the ``tokens`` stage: (clean offset where the inserted string starts, string).
    insertions: tuple[tuple[int, str], ...] = ()
    # Printed pages whose number was not found: their start in ``page_starts`` is estimated.
    estimated_pages: frozenset[int] = frozenset()
    _offsets: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_offsets", tuple(start for start, _ in self.page_starts))

    def page_at(self, clean_offset: int) -> int | None:
        """Printed page number on which a clean offset lies, or None before the first page mark."""
        index = bisect_right(self._offsets, clean_offset) - 1
        return self.page_starts[index][1] if index >= 0 else None

    def source_offset(self, clean_offset: int) -> int:
        """Source offset of a clean offset."""
        return self.normalized.to_source(self.to_normalized(clean_offset))

    def clean_offset(self, normalized_offset: int) -> int:
        """The first clean offset whose normalized offset is at or after ``normalized_offset``."""
        low, high = 0, len(self.text)
        while low < high:
            middle = (low + high) // 2
            if self.to_normalized(middle) < normalized_offset:
                low = middle + 1
            else:
                high = middle
        return low

    def raw_slice(self, start: int, end: int) -> str:
        """The clean text between two offsets without the strings the ``tokens`` stage inserted."""
        pieces = []
        cursor = start
        for at, inserted in self.insertions:
            if at >= end:
                break
            if at + len(inserted) <= start:
                continue
            pieces.append(self.text[cursor:max(at, cursor)])
            cursor = max(cursor, min(at + len(inserted), end))
        pieces.append(self.text[cursor:end])
        return "".join(pieces)

    @property
    def to_source(self) -> ComposedMap:
        return self.to_normalized.then(self.normalized.to_source)


@dataclass(frozen=True)
class Paragraph:
    text: str
    start: int  # clean offsets
    end: int
    page: int | None
    headline: str | None


@dataclass(frozen=True)
class Heading:
    level: str  # the record level it fills: "part" | "chapter" | "section" | "none" (deeper)
    number: int  # 0 for an unnumbered heading (see ``numbered``)
    label: str  # as printed: 第一章, 一、, （一）, or the named entry (序言); "" for other unnumbered
    title: str
    start: int  # clean offset of the label
    end: int  # clean offset after the title
    page: int | None
    kind: str = ""  # grammar kind: part | chapter | section | outline1 | outline2 | outline3 | outline4 | unnumbered
    depth: int = 1  # nesting depth in the document's own hierarchy, 1 = outermost
    in_toc: bool | None = None  # None when the document has no TOC
    numbered: bool = True


@dataclass(frozen=True)
class Section:
    heading: Heading
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Chapter:
    heading: Heading
    part: int | None
    paragraphs: tuple[Paragraph, ...]
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Group:
    label: str
    items: tuple[str, ...]
    text: str
    groups: tuple[Group, ...] = ()


@dataclass(frozen=True)
class TableBlock:
    """The text of an indicator table (inside a 专栏 or a 表N in running text), clean coordinates."""

    box: int | None
    label: str | None  # 表1 for tables outside boxes
    title: str
    start: int  # clean offset of the table body (after the title)
    end: int
    text: str  # clean text of the table body, header included, notes excluded
    notes: tuple[str, ...]
    notes_start: int | None = None
    chapter: int | None = None
    section: int | None = None
    grid: Grid | None = None  # the table's cells, when the input's layout gave them


@dataclass(frozen=True)
class Box:
    number: int
    title: str
    kind: str  # indicator_table | list | groups | text | omitted | image
    start: int
    end: int
    page: int | None
    chapter: int | None
    section: int | None
    text: str
    items: tuple[str, ...]
    groups: tuple[Group, ...]
    notes: tuple[str, ...]
    item_offsets: tuple[int, ...] = ()  # clean offsets of items (for token/decimal repairs)


@dataclass(frozen=True)
class Figure:
    number: int
    title: str
    start: int
    page: int | None
    chapter: int | None
    section: int | None


@dataclass(frozen=True)
class TextEdit:
    """A replacement of clean text ``[start, end)`` by ``after``, applied when the record is built."""

    start: int
    end: int
    after: str


@dataclass(frozen=True)
class Skeleton:
    """Stage ``segment``: the document's structure in clean coordinates."""

    numbering: str  # see models.NumberingStyle
    preamble: tuple[Paragraph, ...]
    parts: tuple[Heading, ...]
    chapters: tuple[Chapter, ...]
    boxes: tuple[Box, ...]
    figures: tuple[Figure, ...]
    tables: tuple[TableBlock, ...]
    warnings: tuple[RecordWarning, ...] = ()
    headings: tuple[Heading, ...] = ()  # every heading found, in document order (all depths)
    front_matter: tuple[Paragraph, ...] = ()  # the lines before the TOC or the body (title block)
    part_paragraphs: tuple[tuple[Paragraph, ...], ...] = ()  # per part: its text before its first chapter
