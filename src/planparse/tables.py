"""Stage ``tables``: parse indicator tables (inside 专栏 or 表N) from damaged or intact text.

The header fixes the value columns (one or two levels: 规划目标 → 2015年, 年均增长（%）); each row
is category? (N)? name (unit)? attribute? followed by its cells. In damaged text the cells of a
row run together as one digit blob; :mod:`planparse.repair` cuts and ranks the readings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

import regex
import yaml

from . import models
from .document import Damage, PagedText, Skeleton, TableBlock


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, list[str]]:
    text = (resources.files("planparse") / "data" / "tables_vocabulary.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass(frozen=True)
class HeaderColumn:
    path: str  # 规划目标/2015年
    year: int | None
    role: str  # base | target | change | actual | value | other
    cumulative: bool | None  # True: 累计/[ ]; False: 年均; None: either


@dataclass(frozen=True)
class Token:
    """One piece of a row's value region: a fixed cell or a digit blob to be cut."""

    kind: str  # dash | word | blob | number (intact)
    text: str  # as printed (digits only for blobs)
    start: int  # clean offset
    comparator: str | None = None
    bracket: bool = False  # intact [x]
    word: str | None = None  # words printed right after the number (19.6完成任务)


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


# ------------------------------------------------------------------ header

_HEADER_TOKEN = regex.compile(
    r"指标名称|指标|属性|单位|序号|类别"
    r"|(?P<group>规划目标|实际完成|完成情况|预计完成)"
    r"|(?P<year>\d{4})年(?P<yearrole>基数|目标|预期|预计(?!完成)|实际(?!完成)|现状|规划(?!目标))?"
    r"|(?P<growth>(?:年均|五年)?(?:增长|增速|增幅|变化)(?:率)?)(?:（(?!\d{1,3}）)[^）]{0,6}）)?(?P<cum>\[?累计\]?)?"
    r"|(?P<cumonly>累计(?:增长|增加|变化)?)(?:（(?!\d{1,3}）)[^）]{0,6}）)?"
)


def parse_header(text: str, start: int) -> tuple[tuple[HeaderColumn, ...], bool, int]:
    """(value columns, has attribute column, end offset) of the header at ``start``."""
    groups: list[str] = []
    leaves: list[tuple[str, int | None, str, bool | None]] = []
    leaf_groups: list[int] = []
    year: int | None  # index of the group a leaf was printed after (-1 none)
    has_attribute = False
    # ``规划目标/2020年`` (written by the PDF table reader from merged header cells): the group owns
    # exactly the leaf after its slash; in such a header a leaf without a slash has no group.
    explicit: list[str | None] = []
    pending: str | None = None
    cursor = start
    while True:
        match = _HEADER_TOKEN.match(text, cursor)
        if not match:
            break
        piece = match.group()
        if match.group("group") and text.startswith("/", match.end()):
            pending = match.group("group")
            cursor = match.end() + 1
            continue
        if piece == "属性":
            has_attribute = True
        elif match.group("group"):
            groups.append(match.group("group"))
        elif match.group("year"):
            year = int(match.group("year"))
            role = {"基数": "base", "目标": "target", "规划": "target", "实际": "actual", "现状": "base"}.get(
                match.group("yearrole") or "", "value"
            )
            leaves.append((piece, year, role, None))
            leaf_groups.append(len(groups) - 1)
            explicit.append(pending)
            pending = None
        elif match.group("growth") or match.group("cumonly"):
            label = piece.replace("（）", "（%）")
            annual = "年均" in piece
            cumulative = bool(match.group("cum")) or bool(match.group("cumonly"))
            flag = None if annual and cumulative else (True if cumulative else (False if annual else None))
            if match.group("cum") and "[" not in label:
                label = label.replace("累计", "[累计]")
            leaves.append((label, None, "change", flag))
            leaf_groups.append(len(groups) - 1)
            explicit.append(pending)
            pending = None
        cursor = match.end()
    columns: list[HeaderColumn] = []
    if len(groups) >= 2 and leaves and all(index == len(groups) - 1 for index in leaf_groups) and len(leaves) % len(groups) == 0:
        # 规划目标实际完成 2015年 年均增长 2015年 年均增长: leaves shared out in order.
        per = len(leaves) // len(groups)
        owners = [groups[index // per] for index in range(len(leaves))]
    else:
        owners = [groups[index] if index >= 0 else "" for index in leaf_groups]
    if any(explicit):
        owners = [owner or "" for owner in explicit]
    raw_roles = [leaf[2] for leaf in leaves]
    for (label, year, role, flag), owner in zip(leaves, owners):
        if owner and role == "value":
            role = "actual" if owner in ("实际完成", "完成情况", "预计完成") else "target"
        columns.append(HeaderColumn(f"{owner}/{label}" if owner else label, year, role, flag))
    year_owners = {owner for owner, leaf in zip(owners, leaves) if leaf[1]}
    if (
        columns
        and all(role == "value" for role, leaf in zip(raw_roles, leaves) if leaf[1])
        and sum(1 for c in columns if c.year) == 2
        and len(year_owners) == 1
        and year_owners <= {"", "规划目标"}
    ):
        # 2020年 2025年, or both under one 规划目标: the earlier year is the base.
        years = [column for column in columns if column.year]
        first, second = sorted(years, key=lambda column: column.year or 0)
        columns = [
            HeaderColumn(c.path, c.year, "base" if c is first else "target" if c is second else c.role, c.cumulative)
            for c in columns
        ]
    return tuple(columns), has_attribute, cursor


# ------------------------------------------------------------------ rows

_NUMBER_LABEL = regex.compile(r"[（(](\d{1,3})[）)]")
_UNIT = regex.compile(r"[（(]([^（）()]{0,10})[）)]")
_GROUPED = regex.compile(r"-?\d{1,3}(?:,\d{3})+$")
_NUMBER_CELL = regex.compile(r"(?P<cmp>[<>≤≥＜＞]=?)?(?P<open>\[)?(?P<num>-?\d[\d.,]*%?)(?P<close>\])?")
_NAME_CHAR = regex.compile(r"[\p{Han}“”‘’、ⅠⅡⅢⅣⅤⅥ·/]|[A-Za-z][A-Za-z0-9.]*")


@lru_cache(maxsize=1)
def _word_cells() -> regex.Pattern[str]:
    """One pattern for every word cell (longest first, as printed) and then every number-with-word
    pattern, in the vocabulary's order (built once)."""
    vocab = vocabulary()
    words = sorted(vocab["word_cells"], key=len, reverse=True)
    alternatives = [regex.escape(word) for word in words] + [f"(?:{pattern})" for pattern in vocab["word_cell_patterns"]]
    return regex.compile("|".join(alternatives))


def _word_at(text: str, position: int) -> str | None:
    match = _word_cells().match(text, position)
    return match.group() if match else None


def _value_tokens(text: str, start: int, end: int) -> tuple[list[Token], int]:
    """Tokens of a value region from ``start``; stops at the next row's label. Returns (tokens, end)."""
    tokens: list[Token] = []
    cursor = start
    while cursor < end:
        char = text[cursor]
        if char == " " or char == "|":
            cursor += 1
            continue
        word = _word_at(text, cursor)
        if word is not None:
            if tokens and tokens[-1].kind in ("blob", "number") and tokens[-1].word is None and cursor == tokens[-1].start + len(tokens[-1].text) + (1 if tokens[-1].comparator else 0):
                last = tokens[-1]
                tokens[-1] = Token(last.kind, last.text, last.start, last.comparator, last.bracket, word)
            else:
                tokens.append(Token("word", word, cursor))
            cursor += len(word)
            continue
        if text.startswith("--", cursor) or char in "—－":
            width = 2 if text.startswith("--", cursor) else 1
            if char == "—" and text.startswith("——", cursor):
                width = 2
            tokens.append(Token("dash", text[cursor : cursor + width], cursor))
            cursor += width
            continue
        match = _NUMBER_CELL.match(text, cursor, end)
        if match:
            number = match.group("num")
            comparator = match.group("cmp")
            if comparator:
                comparator = comparator.replace("＜", "<").replace("＞", ">")
            # Thousands separators survive the damage: a grouped integer (1,200) is printed intact.
            intact = "." in number or bool(match.group("open")) or "%" in number or bool(_GROUPED.match(number))
            tokens.append(
                Token("number" if intact else "blob", number, match.start("num") if not comparator else match.start(), comparator,
                      bool(match.group("open") and match.group("close")))
            )
            cursor = match.end()
            continue
        if char == "-":
            tokens.append(Token("dash", "-", cursor))
            cursor += 1
            continue
        break
    return tokens, cursor


def parse_rows(text: str, start: int, end: int, has_attribute: bool, breaks: frozenset[int] = frozenset()) -> list[Row]:
    """Rows of a table body between ``start`` and ``end`` (clean offsets).

    ``breaks`` are the input's line breaks: a numbered label on a line of its own (``（3）空气质量``)
    is a parent row even when its sub-rows' names run on without a separator."""
    vocab = vocabulary()
    categories = sorted(vocab["categories"], key=len, reverse=True)
    attributes = vocab["attributes"]
    rows: list[Row] = []
    cursor = start
    category: str | None = None
    parent: tuple[int | None, str | None, str | None, str | None] | None = None  # number, name, unit, attribute
    broken: dict[tuple[int | None, str], int] = {}  # parents whose label ended at a line break → name start
    while cursor < end:
        while cursor < end and text[cursor] in " |":
            cursor += 1
        if cursor >= end:
            break
        row_start = cursor
        found_category = next((word for word in categories if text.startswith(word, cursor)), None)
        after_category = cursor + len(found_category) if found_category else cursor
        if found_category is not None and (
            not text.startswith(("（", "("), after_category) or _NUMBER_LABEL.match(text, after_category)
        ):
            if found_category != category:
                parent = None  # a new category ends a parent's sub-rows; the same one repeated does not
            category = found_category
            cursor += len(found_category)
            continue
        number = None
        label = _NUMBER_LABEL.match(text, cursor)
        if label:
            number = int(label.group(1))
            cursor = label.end()
            parent = None
        name_start = cursor
        at_break = False
        while cursor < end:
            if number is not None and cursor > name_start and cursor in breaks:
                at_break = True
                break
            if any(text.startswith(attribute, cursor) for attribute in attributes):
                break
            if _word_at(text, cursor) is not None and cursor > name_start:
                break
            match = _NAME_CHAR.match(text, cursor)
            if match is None:
                break
            cursor = match.end()
        name = text[name_start:cursor]
        if not name:
            # Leftover characters that start no row: skip one so the parse always advances.
            cursor = max(cursor + 1, row_start + 1)
            continue
        unit_raw = None
        unit_match = _UNIT.match(text, cursor)
        if unit_match:
            unit_raw = unit_match.group()
            cursor = unit_match.end()
        attribute = next((word for word in attributes if text.startswith(word, cursor)), None)
        if attribute:
            cursor += len(attribute)
        tokens, after = _value_tokens(text, cursor, end)
        unit = None
        if unit_raw is not None:
            inner = unit_raw[1:-1].strip()
            unit = inner or "%"
        if not tokens and attribute is None and (unit_raw is None or _NAME_CHAR.match(text, after)):
            # A parent row: its label (and maybe unit/attribute) covers the sub-rows that follow.
            parent = (number, name, unit, attribute)
            if at_break:
                broken[(number, name)] = name_start
            cursor = after
            continue
        group = None
        if number is None and parent is not None:
            group = parent[1] if parent[1] is not None else ""  # "": parent label still inside the first row
            number = parent[0]
            unit = unit if unit is not None else parent[2]
            attribute = attribute or parent[3]
            if parent[3] is None and attribute is not None:
                # 化学需氧量约束性…氨氮…: the first sub-row prints the attribute its siblings share.
                parent = (parent[0], parent[1], parent[2], attribute)
        elif number is not None:
            parent = (number, None, unit, attribute)
        rows.append(Row(category, number, group, name, name_start, name_start + len(name), unit, unit_raw, attribute,
                        tuple(tokens), row_start, after))
        cursor = after
    return _split_parents(_join_wrapped(rows, broken))


def _join_wrapped(rows: list[Row], broken: dict[tuple[int | None, str], int]) -> list[Row]:
    """A label that ended at a line break with a single row under it was a name wrapped onto the
    next line (``（12）单位地区生产总值`` / ``二氧化碳排放降低（%）…``), not a parent."""
    members: Counter[tuple[int | None, str | None]] = Counter((row.number, row.group) for row in rows)
    result = []
    for row in rows:
        key = (row.number, row.group)
        if row.group and (row.number, row.group) in broken and members[key] == 1:
            start = broken[(row.number, row.group)]
            row = replace(row, group=None, name=row.group + row.name, name_start=start)
        result.append(row)
    return result


def _split_parents(rows: list[Row]) -> list[Row]:
    """``（5）互联网普及率固定宽带家庭普及率…移动宽带用户普及率…``: when un-numbered rows follow a
    numbered one, the numbered row's name starts with the parent label; find where it ends."""
    from .repair import known_names

    result = list(rows)
    for index, row in enumerate(rows):
        if row.number is None or row.group is not None:
            continue
        followers = []
        for later in range(index + 1, len(rows)):
            if rows[later].group != "" or rows[later].number != row.number:
                break
            followers.append(later)
        if not followers:
            continue
        cut = _parent_cut(row.name, [rows[later].name for later in followers], known_names())
        label = row.name[:cut] if cut is not None else None
        if cut is not None:
            result[index] = replace(row, group=label, name=row.name[cut:], name_start=row.name_start + cut)
        for later in followers:
            result[later] = replace(result[later], group=label, attribute=result[later].attribute or row.attribute)
    return [replace(row, group=None) if row.group == "" else row for row in result]


def _parent_cut(name: str, siblings: Sequence[str], names: frozenset[str]) -> int | None:
    """Where the parent label ends inside ``parent + first sub-indicator``."""
    best = None
    for cut in range(2, len(name) - 1):
        if name[cut:] in names:
            best = cut
            break
    if best is not None:
        return best
    for sibling in siblings:
        for length in range(min(len(sibling), 6), 1, -1):
            tail = sibling[-length:]
            if name.endswith(tail):
                first = name.find(tail)
                if 0 < first + length < len(name) - length + 1 and first + length <= len(name) - 2:
                    return first + length if name[: first + length].endswith(tail) else None
    # A repeated word: the sub-indicator restates the parent's head (森林发展森林覆盖率).
    for length in range(4, 1, -1):
        head = name[:length]
        second = name.find(head, length)
        if second > 0:
            return second
    return None


def bracket_meaning(notes: Sequence[str]) -> str | None:
    """What [ ] means, from a note such as ``[ ]内为5年累计数`` (damaged: ``内为5年累计数``)."""
    for note in notes:
        match = regex.search(r"(?:\[\s*\])?内(?:为|是)([^。；]*累计[^。；]*)", note)
        if match:
            return match.group(1).strip()
    return None


def parse_table(
    block: TableBlock, text: str, raw_region: str | None = None, breaks: frozenset[int] = frozenset(), *, ruled: bool = False
) -> ParsedTable:
    """Parse one table block into header columns and rows.

    ``raw_region`` is the block's text before token restoration (PM2.5 brings its own '.'), which
    decides whether the table lost its decimal points. ``ruled``: the rows come from a PDF's
    ruled table, cell by cell, so the numbers are intact even without any '.', '%' or '[ ]'."""
    columns, has_attribute, header_end = parse_header(text, block.start)
    rows = parse_rows(text, header_end, block.end, has_attribute, breaks)
    region = raw_region if raw_region is not None else text[header_end : block.end]
    damaged = not ruled and "." not in region and "[" not in region and "%" not in region
    warnings = []
    if not columns:
        warnings.append(models.RecordWarning(code="table_header_unknown", message=f"{_table_name(block)}: header not recognised", page=None))
    return ParsedTable(block, columns, has_attribute, tuple(rows), damaged, header_end, bracket_meaning(block.notes), tuple(warnings))


def _table_name(block: TableBlock) -> str:
    return f"专栏{block.box}" if block.box is not None else (block.label or "table")


@dataclass(frozen=True)
class TableResult:
    tables: tuple[models.Table, ...]
    indicators: tuple[models.Indicator, ...]
    repairs: tuple[models.Repair, ...]
    warnings: tuple[models.RecordWarning, ...]


def extract_tables(
    skeleton: Skeleton, paged: PagedText, ruled: Iterable[tuple[int, int]] = (), damage: Damage | None = None
) -> TableResult:
    """Parse every table block and repair (or check) its values; see :mod:`planparse.repair`.

    ``ruled``: clean spans of rows read from PDF ruled tables; a block whose body lies in them
    has intact cells, which the solver checks but never rewrites."""
    from .repair import solve_tables

    spans = sorted(ruled)

    def is_ruled(block: TableBlock) -> bool:
        return any(start <= block.start + 1 and block.start < end for start, end in spans)

    parsed = [
        parse_table(block, paged.text, paged.raw_slice(block.start, block.end), paged.line_breaks, ruled=is_ruled(block))
        for block in skeleton.tables
    ]
    return solve_tables(parsed, skeleton, paged)
