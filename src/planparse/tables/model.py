"""The tables stage's values: header columns, row tokens, rows, parsed tables (frozen dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import models
from ..document import TableBlock


@dataclass(frozen=True)
class HeaderColumn:
    path: str  # 规划目标/2015年
    year: int | None
    role: str  # base | target | change | actual | value | other
    cumulative: bool | None  # True: 累计/[ ]; False: 年均; None: either
    unit: str | None = None  # a unit printed in the label (年末数（万人）, 比重（%）)


@dataclass(frozen=True)
class Layout:
    """Where a row's parts stand, from the header: the value columns and the non-value columns."""

    columns: tuple[HeaderColumn, ...]
    attribute: str = "none"  # before | after | none: the 属性 column relative to the value cells
    unit_column: bool = False  # a 单位 column: the unit is printed without parentheses
    note_column: bool = False  # a 备注 column after the value cells
    number_column: bool = False  # a 序号 column before the name
    end: int = 0  # clean offset where the header ends
    generic: tuple[int, ...] = ()  # indices of value columns whose label the lexicon did not know
    glued: tuple[str, ...] = ()  # year labels a glued page number was taken out of

    @property
    def has_attribute(self) -> bool:
        return self.attribute != "none"


@dataclass(frozen=True)
class Token:
    """One piece of a row's value region: a fixed cell or a digit blob to be cut."""

    kind: str  # dash | word | blob | number (intact)
    text: str  # as printed (digits only for blobs)
    start: int  # clean offset
    comparator: str | None = None
    bracket: bool = False  # intact [x]
    word: str | None = None  # words printed right after the number (19.6完成任务)
    whole: bool = False  # separators delimit it: one cell, never cut (its decimal point may still be lost)
    negative: bool = False  # a blob printed after a minus sign (-22: its first cell is negative)
    commas: tuple[int, ...] = ()  # a blob's thousands commas (1,012453601,54841529): the digit positions a comma stood before
    inside: bool = False  # the comparator is printed inside the brackets ([>3], not >[3])

    @property
    def printed(self) -> str:
        """The number as printed: comparator and brackets in their printed order."""
        if not self.bracket:
            return (self.comparator or "") + self.text
        if self.inside:
            return "[" + (self.comparator or "") + self.text + "]"
        return (self.comparator or "") + "[" + self.text + "]"


@dataclass(frozen=True)
class Row:
    category: str | None
    number: int | None
    group: str | None
    name: str
    name_start: int
    name_end: int
    unit: str | None
    unit_raw: str | None
    attribute: str | None
    tokens: tuple[Token, ...]
    start: int
    end: int
    leftover: str = ""  # digits after the row's cells that belong to the next label
    note: str | None = None  # the 备注 cell
    spare: int = 0  # digits the last blob may give to the next row's name (a variable of the search)
    spare_prior: float = -8.0  # score per digit given away
    uncertain: str | None = None  # what the row parser had to guess (a warning names it)


@dataclass(frozen=True)
class ParsedTable:
    block: TableBlock
    columns: tuple[HeaderColumn, ...]
    has_attribute: bool
    rows: tuple[Row, ...]
    damaged: bool
    header_end: int
    bracket_meaning: str | None
    warnings: tuple[models.RecordWarning, ...] = field(default=())
    layout: Layout | None = None
    period: tuple[int, int] | None = None  # base and target year named by the title (“十四五”)


@dataclass(frozen=True)
class TableResult:
    tables: tuple[models.Table, ...]
    indicators: tuple[models.Indicator, ...]
    repairs: tuple[models.Repair, ...]
    warnings: tuple[models.RecordWarning, ...]
