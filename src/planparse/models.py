"""The output record: pydantic models, the single source of the JSON Schema (``planparse schema``).

Field names here are the public contract of the datasets; add fields freely, rename none, and bump
``SCHEMA_VERSION`` when the shape changes. Every ``offset`` is a character offset into the decoded
input text (the source), so a record can always cite where a thing came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from .anchor import Anchor

SCHEMA_VERSION = "1.0"

Level = Literal["part", "chapter", "section"]
HeadingKind = Literal["part", "chapter", "section", "outline1", "outline2", "outline3", "outline4", "unnumbered"]
BoxKind = Literal["indicator_table", "list", "groups", "text", "omitted", "image"]
RepairKind = Literal["page_number", "decimal", "token", "percent", "bracket", "whitespace"]
NumberingStyle = Literal["chapter", "part_chapter", "outline", "outline_part", "none"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Model):
    path: str = Field(description="Input path as given or relative to the working directory; never absolute.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    format: Literal["text", "pdf", "markdown", "html", "docx"]
    encoding: str | None = Field(description="Detected or given text encoding; null for PDF.")
    page_count: int | None = Field(default=None, description="Physical pages of a PDF; null for text.")


class DamageSignal(Model):
    kind: Literal[
        "line_breaks_lost", "decimals_stripped", "letters_stripped", "page_numbers_glued", "spaces_stripped",
        "lines_hard_wrapped",
    ] = Field(description="What kind of damage (lines_hard_wrapped: a print's fixed-width line breaks, "
              "which are not the text's own, were dropped from the line hints).")
    present: bool
    confidence: float = Field(ge=0, le=1, description="Probability that `present` is right.")
    evidence: str = Field(description="What was seen (counts), in words.")


class DocumentMeta(Model):
    label: str | None = Field(description="Attachment label such as 附件2, without the colon.")
    title: str | None
    issuer: str | None
    date: str | None = Field(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")
    numbering: NumberingStyle = Field(
        description="How headings are numbered: 第X章/节 (chapter), with 第X篇 (part_chapter), "
        "一、/（一） outline numbering (outline), 第一部分 + outline (outline_part)."
    )
    damage: list[DamageSignal] = Field(
        default_factory=list,
        description="Whether the input text is damaged, and how (stage damage); repairs that only make "
        "sense on damaged text ran only where it is present.",
    )


class Page(Model):
    index: int = Field(ge=1, description="Physical page (PDF) or order of detected pages (text), 1-based.")
    printed: int | None = Field(description="The printed page number, or null.")
    offset: int | None = Field(default=None, description="Source offset where the page's text starts (for PDF input, in the text read from the PDF).")
    estimated: bool = Field(default=False, description="The page's number was not found in the text: its start is "
                            "estimated from its neighbours' (the pages between two found marks share the text evenly).")


class TocEntry(Model):
    level: HeadingKind = Field(
        description="The entry's label kind: part (第X篇/编/部分), chapter (第X章), section (第X节), "
        "outline1 (一、), outline2 (（一）), or unnumbered (a named entry such as 序言)."
    )
    number: int | None = Field(ge=0, description="第十二章 → 12; null for a named entry.")
    title: str
    page: int | None


class Paragraph(Model):
    text: str
    page: int | None
    headline: str | None = Field(description="The paragraph's topic headline (its bold lead sentence), or null.")
    offset: int = Field(ge=0)


class Heading(Model):
    kind: HeadingKind = Field(description="The label kind as printed (see TocEntry.level).")
    label: str | None = Field(description="The label as printed: 第一章, 一、, （一）, 序言; null for an unnumbered heading.")
    number: int | None = Field(ge=0, description="The label's number; null for an unnumbered heading.")
    title: str
    level: Literal["part", "chapter", "section", "none"] = Field(
        description="Which record level holds it (parts, chapters, sections); none for a deeper heading, "
        "whose line stays in the paragraphs of the section that holds it."
    )
    depth: int = Field(ge=1, description="Nesting depth in the document's own hierarchy, 1 = outermost.")
    page: int | None
    offset: int = Field(ge=0)
    in_toc: bool | None = Field(description="Whether the TOC lists it; null when the document has no TOC.")


class Section(Model):
    number: int | None = Field(ge=0, description="null for an unnumbered heading.")
    title: str
    page: int | None
    offset: int = Field(ge=0)
    paragraphs: list[Paragraph]


class Chapter(Model):
    number: int | None = Field(ge=0, description="null for an unnumbered heading (序言, 2014年工作回顾).")
    part: int | None
    title: str
    page: int | None
    offset: int = Field(ge=0)
    paragraphs: list[Paragraph] = Field(description="Paragraphs before the first section.")
    sections: list[Section]
    keywords: list[str] | None = Field(default=None, description="Top jieba keywords (with --keywords).")


class Part(Model):
    number: int | None = Field(ge=0, description="null for an unnumbered heading.")
    title: str
    page: int | None
    offset: int = Field(ge=0)
    paragraphs: list[Paragraph] = Field(default_factory=list, description="The part's text before its first chapter.")


class Group(Model):
    label: str
    items: list[str]
    text: str
    groups: list[Group] = Field(default_factory=list, description="Second-level groups (发展重点：… 主要基地：…).")


class Box(Model):
    number: int = Field(ge=0)
    title: str
    kind: BoxKind
    page: int | None
    chapter: int | None
    section: int | None
    offset: int = Field(ge=0)
    items: list[str]
    groups: list[Group]
    text: str = Field(description="The box body as clean text.")
    notes: list[str]


class Figure(Model):
    number: int = Field(ge=0)
    title: str
    page: int | None
    chapter: int | None
    section: int | None
    offset: int = Field(ge=0)


class Alternative(Model):
    value: float | None
    text: str | None = None
    cumulative: bool | None = None
    score: float


class Cell(Model):
    column: str = Field(description="Header path, e.g. 规划目标/2015年.")
    column_index: int = Field(ge=1, description="1-based over the value columns.")
    raw: str = Field(description="The cell's characters as they stand in the input (digits of a blob).")
    value: float | None
    comparator: Literal["<", ">", "<=", ">=", "≤", "≥"] | None
    cumulative: bool | None = Field(description="True for a five-year cumulative change ([ ]).")
    text: str | None = Field(description="A word cell (完成国家指标) or the words of a number-plus-word cell.")
    confidence: float = Field(ge=0, le=1, description="Probability that the value is right (calibrated on generated tables).")
    alternatives: list[Alternative] = Field(max_length=3)
    basis: Literal["intact", "arithmetic", "cross_table", "prior_only"] = Field(
        default="intact",
        description="What decided the value: intact (printed so), arithmetic (its row adds up better than with any rival), "
        "cross_table (another table's value), prior_only (only the soft priors told it from its rival).",
    )


class Indicator(Model):
    box: int | None
    table: str | None
    row: int = Field(ge=1)
    number: int | None
    group: str | None
    category: str | None
    indicator: str
    indicator_raw: str
    indicator_id: str | None = Field(
        default=None,
        description="Stable id of the indicator (data/indicator_ids.yaml), shared by the same indicator in "
        "every plan whatever its printed name; null for an indicator the list does not know.",
    )
    unit: str | None
    attribute: Literal["预期性", "约束性"] | None
    page: int | None
    offset: int = Field(ge=0)
    cells: list[Cell]
    note: str | None = Field(default=None, description="The row's 备注 (note) cell, when the table has one.")


class Column(Model):
    index: int = Field(ge=1)
    path: str
    year: int | None
    role: Literal["base", "target", "change", "actual", "value", "other", "name", "number", "attribute", "unit", "note"] = Field(
        description="A value column's role (base, target, change, actual, value), or a generic table's label column "
        "(name, number, attribute, unit, note)."
    )
    cumulative: bool | None = Field(description="Growth column printed as 累计 or marked [ ].")


class TableCell(Model):
    column: str = Field(description="Header path of the cell's column (规划目标/2020年); 列N when the table has no header.")
    column_index: int = Field(ge=1, description="1-based over the table's columns (the label columns included).")
    text: str = Field(description="The cell as printed (markup removed).")
    kind: Literal["number", "unit", "text", "empty"] = Field(
        description="number: a figure (value, maybe a unit after it); unit: a 单位 cell; text: words; empty: blank or a dash."
    )
    value: float | None = Field(description="The figure of a number cell, exactly as printed (grids are never repaired).")
    unit: str | None = Field(default=None, description="A unit printed in the cell after the figure (72.6亿度 → 亿度), or %.")
    comparator: Literal["<", ">", "<=", ">=", "≤", "≥"] | None = None
    merged: bool = Field(default=False, description="Filled from a merged cell that spans it (printed once, elsewhere).")
    offset: int | None = Field(default=None, description="Source offset of the cell's text; null for a merged copy.")


class TableRow(Model):
    kind: Literal["category", "parent", "data"] = Field(
        description="category: a full-width group row; parent: a label over the rows below it; data: a row with cells."
    )
    label: str = Field(description="The row's label cells joined (its name, 其中：城镇), as printed.")
    category: str | None = Field(default=None, description="The category row above it.")
    parent: str | None = Field(default=None, description="The parent row above it.")
    page: int | None = None
    offset: int | None = Field(default=None, description="Source offset of the row's first cell.")
    cells: list[TableCell]


class Table(Model):
    box: int | None
    table: str | None
    title: str
    page: int | None
    offset: int = Field(ge=0)
    columns: list[Column]
    attribute_column: bool
    notes: list[str]
    bracket_meaning: str | None = Field(description="What [ ] means, from the notes (e.g. 5年累计数).")
    damaged: bool = Field(description="True when the row values had lost decimals and separators.")
    kind: Literal["indicator", "generic"] = Field(
        default="indicator",
        description="indicator: its rows are `indicators` entries; generic: any other table (a communiqué's 表N), its rows below.",
    )
    origin: Literal["text", "markdown", "html", "pdf", "docx"] = Field(
        default="text", description="Where the cells came from: the text, or a grid of the input's own layout."
    )
    rows: list[TableRow] = Field(default_factory=list, description="A generic table's rows with typed cells, in order.")


class Repair(Model):
    kind: RepairKind
    page: int | None
    offset: int = Field(ge=0, description="Source offset of the repaired characters.")
    before: str
    after: str
    confidence: float = Field(ge=0, le=1)
    context: str | None = Field(default=None, description="A few characters around the repair.")
    context_offset: int | None = Field(
        default=None, ge=0,
        description="Where `before` starts inside `context` (so a reader can mark the repaired characters "
        "themselves, not the first look-alike); null when it cannot be placed.",
    )
    ref: str | None = Field(
        default=None,
        description="JSON pointer of the record element the repaired characters are in "
        "(/chapters/3/sections/1/paragraphs/2, /indicators/7, /boxes/4, /toc for the cover and TOC).",
    )
    alternatives: list[Alternative] = Field(
        default_factory=list,
        max_length=3,
        description="Runner-up readings with their probabilities, best first (prose numbers).",
    )


class RecordWarning(Model):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    message: str
    page: int | None
    ref: str | None = Field(
        default=None,
        description="JSON pointer of what the warning concerns: the element (/indicators/2/cells/0, "
        "/headings/5, /toc/3, /tables/1, /pages/4, a paragraph), the nearest element holding all of `refs` "
        "when it names several, or the list it is about as a whole (/headings, /toc, /pages); null only "
        "in records made before warnings had pointers.",
    )
    refs: list[str] = Field(
        default_factory=list,
        description="JSON pointers of every element the warning names, in the order of its message "
        "(each TOC entry, cell or paragraph it lists); empty when it concerns a list as a whole.",
    )
    # What the raising stage knows about where the warning belongs (planparse.anchor); the builder
    # turns it into ``ref``/``refs`` and the record's warnings carry none.
    _anchor: Anchor | None = PrivateAttr(default=None)

    def at(
        self,
        *,
        headings: Iterable[int] = (),
        boxes: Iterable[int] = (),
        tables: Iterable[int] = (),
        rows: Iterable[int] = (),
        cells: Iterable[tuple[int, int]] = (),
        text: Iterable[int] = (),
        toc: Iterable[int] = (),
        pages: Iterable[int] = (),
    ) -> RecordWarning:
        """This warning with where it belongs in stage coordinates (see :class:`planparse.anchor.Anchor`)."""
        copy = self.model_copy()
        copy._anchor = Anchor(tuple(headings), tuple(boxes), tuple(tables), tuple(rows), tuple(cells), tuple(text),
                              tuple(toc), tuple(pages))
        return copy

    @property
    def anchor(self) -> Anchor | None:
        return self._anchor


class PlanRecord(Model):
    schema_version: str = SCHEMA_VERSION
    source: Source
    document: DocumentMeta
    pages: list[Page]
    toc: list[TocEntry]
    headings: list[Heading] = Field(
        default_factory=list,
        description="Every heading found, in document order, at every depth (parts, chapters and sections "
        "are the outer three levels of it).",
    )
    front_matter: list[Paragraph] = Field(
        default_factory=list,
        description="The lines before the TOC and the body (title, issuer, date, subtitle), as printed.",
    )
    preamble: list[Paragraph]
    parts: list[Part]
    chapters: list[Chapter]
    boxes: list[Box]
    figures: list[Figure]
    tables: list[Table]
    indicators: list[Indicator]
    repairs: list[Repair]
    warnings: list[RecordWarning]
