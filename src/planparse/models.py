"""The output record: pydantic models, the single source of the JSON Schema (``planparse schema``).

Field names here are the public contract of the datasets; add fields freely, rename none, and bump
``SCHEMA_VERSION`` when the shape changes. Every ``offset`` is a character offset into the decoded
input text (the source), so a record can always cite where a thing came from.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

Level = Literal["part", "chapter", "section"]
BoxKind = Literal["indicator_table", "list", "groups", "text", "omitted"]
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
    kind: Literal["line_breaks_lost", "decimals_stripped", "letters_stripped", "page_numbers_glued", "spaces_stripped"]
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


class TocEntry(Model):
    level: Level
    number: int = Field(ge=0)
    title: str
    page: int | None


class Paragraph(Model):
    text: str
    page: int | None
    headline: str | None = Field(description="The paragraph's topic headline (its bold lead sentence), or null.")
    offset: int = Field(ge=0)


class Section(Model):
    number: int = Field(ge=0)
    title: str
    page: int | None
    offset: int = Field(ge=0)
    paragraphs: list[Paragraph]


class Chapter(Model):
    number: int = Field(ge=0)
    part: int | None
    title: str
    page: int | None
    offset: int = Field(ge=0)
    paragraphs: list[Paragraph] = Field(description="Paragraphs before the first section.")
    sections: list[Section]
    keywords: list[str] | None = Field(default=None, description="Top jieba keywords (with --keywords).")


class Part(Model):
    number: int = Field(ge=0)
    title: str
    page: int | None
    offset: int = Field(ge=0)


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
    confidence: float = Field(ge=0, le=1)
    alternatives: list[Alternative] = Field(max_length=3)


class Indicator(Model):
    box: int | None
    table: str | None
    row: int = Field(ge=1)
    number: int | None
    group: str | None
    category: str | None
    indicator: str
    indicator_raw: str
    unit: str | None
    attribute: Literal["预期性", "约束性"] | None
    page: int | None
    offset: int = Field(ge=0)
    cells: list[Cell]


class Column(Model):
    index: int = Field(ge=1)
    path: str
    year: int | None
    role: Literal["base", "target", "change", "actual", "value", "other"]
    cumulative: bool | None = Field(description="Growth column printed as 累计 or marked [ ].")


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


class Repair(Model):
    kind: RepairKind
    page: int | None
    offset: int = Field(ge=0, description="Source offset of the repaired characters.")
    before: str
    after: str
    confidence: float = Field(ge=0, le=1)
    context: str | None = Field(default=None, description="A few characters around the repair.")
    alternatives: list[Alternative] = Field(
        default_factory=list,
        max_length=3,
        description="Runner-up readings with their probabilities, best first (prose numbers).",
    )


class RecordWarning(Model):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    message: str
    page: int | None


class PlanRecord(Model):
    schema_version: str = SCHEMA_VERSION
    source: Source
    document: DocumentMeta
    pages: list[Page]
    toc: list[TocEntry]
    preamble: list[Paragraph]
    parts: list[Part]
    chapters: list[Chapter]
    boxes: list[Box]
    figures: list[Figure]
    tables: list[Table]
    indicators: list[Indicator]
    repairs: list[Repair]
    warnings: list[RecordWarning]
