"""Stage ``tables``: read tables (inside 专栏 or 表N, or grids with known cells), then repair or check
their values (:mod:`planparse.repair`).

- :mod:`.detect` finds where a table's header starts (labels, then rows that confirm them);
- :mod:`.header` maps the header's labels to column roles through the soft lexicon;
- :mod:`.rows` reads the rows from text, damaged (one digit blob per row) or intact;
- :mod:`.grid` reads grids (Markdown, HTML, PDF, Word tables) cell by cell.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

import regex

from .. import models
from ..document import Damage, PagedText, Skeleton, TableBlock
from .header import parse_header, read_header
from .lexicon import plan_periods, vocabulary
from .model import HeaderColumn, Layout, ParsedTable, Row, TableResult, Token
from .rows import parse_rows

__all__ = [
    "HeaderColumn",
    "Layout",
    "ParsedTable",
    "Row",
    "TableResult",
    "Token",
    "bracket_meaning",
    "extract_tables",
    "parse_header",
    "parse_rows",
    "parse_table",
    "vocabulary",
]

_SEPARATED = regex.compile(r"[\d\]][ |]+[-\d<>≤≥\[—]")
_PERIOD = regex.compile(r"十[一二三四五六]五")


def bracket_meaning(notes: Sequence[str]) -> str | None:
    """What [ ] means, from a note such as ``[ ]内为5年累计数`` (damaged: ``内为5年累计数``)."""
    for note in notes:
        match = regex.search(r"(?:\[\s*\])?内(?:为|是)([^。；]*累计[^。；]*)", note)
        if match:
            return match.group(1).strip()
    return None


def table_name(block: TableBlock) -> str:
    return f"专栏{block.box}" if block.box is not None else (block.label or "table")


def _period(title: str) -> tuple[int, int] | None:
    match = _PERIOD.search(title)
    return plan_periods().get(match.group()) if match else None


def is_damaged(region: str, separated: bool, damage: Damage | None) -> bool:
    """Whether a table's numbers may have lost their decimal points, '%' and '[ ]'.

    No '.', '%' or '[' in the region is necessary; then the document's damage profile decides, and
    without one (or when it is unsure) the region's own evidence: empty unit parentheses ``（）``
    or cells that no separator divides."""
    if "." in region or "[" in region or "%" in region:
        return False
    if damage is None or damage.has("decimals_stripped") or damage.has("letters_stripped"):
        return True
    return "（）" in region or not separated


def _intact_tokens(row: Row) -> Row:
    """An intact table's digit runs are whole numbers as printed: never cut, never given a point."""
    if not any(token.kind == "blob" for token in row.tokens):
        return row
    tokens = tuple(replace(token, kind="number", whole=True) if token.kind == "blob" else token for token in row.tokens)
    return replace(row, tokens=tokens)


def _generic_columns(rows: Sequence[Row]) -> tuple[HeaderColumn, ...]:
    width = max((len(row.tokens) for row in rows), default=1) or 1
    return tuple(HeaderColumn(f"列{index + 1}", None, "value", None) for index in range(width))


def parse_table(
    block: TableBlock, text: str, raw_region: str | None = None, breaks: frozenset[int] = frozenset(), *, ruled: bool = False,
    damage: Damage | None = None,
) -> ParsedTable:
    """Parse one table block into header columns and rows.

    ``raw_region`` is the block's text before token restoration (PM2.5 brings its own '.'), which
    decides whether the table lost its decimal points. ``ruled``: the rows come from a PDF's
    ruled table, cell by cell, so the numbers are intact even without any '.', '%' or '[ ]'."""
    layout = read_header(text, block.start, block.end, breaks)
    name = table_name(block)
    warnings: list[models.RecordWarning] = []
    if not layout.columns:
        # The header's labels hold no value column: the rows still stand; their cells get generic columns.
        probe = Layout(_generic_columns([]) * 8, "before", end=layout.end)
        found, _ = parse_rows(text, layout.end, block.end, probe, breaks)
        layout = replace(layout, columns=_generic_columns(found), attribute="before")
        warnings.append(models.RecordWarning(
            code="table_header_unknown",
            message=f"{name}: header not recognised; {len(layout.columns)} generic value column(s) assumed from the rows",
            page=None).at(tables=[block.start]))
    region = raw_region if raw_region is not None else text[layout.end : block.end]
    separated = bool(_SEPARATED.search(region))
    damaged = not ruled and is_damaged(region, separated, damage)
    rows, skipped = parse_rows(text, layout.end, block.end, layout, breaks, separated=separated or not damaged, damaged=damaged)
    if not damaged:
        rows = [_intact_tokens(row) for row in rows]
    if skipped:
        shown = "".join(skipped)[:20]
        warnings.append(models.RecordWarning(
            code="table_text_skipped", message=f"{name}: {len(skipped)} character(s) started no row and were skipped ({shown})", page=None
        ).at(tables=[block.start]))
    if layout.glued:
        warnings.append(models.RecordWarning(
            code="table_header_digits", message=f"{name}: digits in the header taken for a glued page number: {', '.join(layout.glued)}",
            page=None).at(tables=[block.start]))
    if layout.generic:
        labels = ", ".join(layout.columns[index].path for index in layout.generic)
        warnings.append(models.RecordWarning(
            code="table_label_unknown", message=f"{name}: header label(s) {labels} unknown; read as generic value columns", page=None
        ).at(tables=[block.start]))
    return ParsedTable(block, layout.columns, layout.has_attribute, tuple(rows), damaged, layout.end, bracket_meaning(block.notes),
                       tuple(warnings), layout, _period(block.title))


def extract_tables(
    skeleton: Skeleton, paged: PagedText, ruled: Iterable[tuple[int, int]] = (), damage: Damage | None = None
) -> TableResult:
    """Parse every table block and repair (or check) its values; see :mod:`planparse.repair`.

    ``ruled``: clean spans of rows read from PDF ruled tables; a block whose body lies in them
    has intact cells, which the solver checks but never rewrites. A block with a grid (the
    input's own cells) is read cell by cell (:mod:`.grid`)."""
    from ..repair import solve_tables
    from .grid import grid_tables

    spans = sorted(ruled)

    def is_ruled(block: TableBlock) -> bool:
        return any(start <= block.start + 1 and block.start < end for start, end in spans)

    text_blocks = [block for block in skeleton.tables if block.grid is None]
    lined, lined_generic, lined_warnings = _lined_tables(text_blocks, paged, damage, is_ruled)
    handled = set(lined) | set(lined_generic)
    lined_tables = tuple(lined_generic.values())
    parsed = [
        parse_table(block, paged.text, paged.raw_slice(block.start, block.end), paged.line_breaks, ruled=is_ruled(block),
                    damage=damage)
        for block in text_blocks if block.start not in handled
    ]
    parsed = sorted([*parsed, *lined.values()], key=lambda table: table.block.start)
    solved = solve_tables(parsed, skeleton, paged)
    solved = TableResult(tuple(sorted((*solved.tables, *lined_tables), key=lambda table: table.offset)), solved.indicators,
                         solved.repairs, lined_warnings + solved.warnings)
    grid_blocks = [block for block in skeleton.tables if block.grid is not None]
    if not grid_blocks:
        return solved
    from_grids = grid_tables(grid_blocks, paged)
    return TableResult(solved.tables + from_grids.tables, solved.indicators + from_grids.indicators,
                       solved.repairs + from_grids.repairs, solved.warnings + from_grids.warnings)


def _lined_damaged(region: str, damage: Damage | None) -> bool:
    """Whether a table of line-broken text lost its decimal points: its lines and spaces separate
    its cells, so only the document's damage profile (or, without one, a region without any '.',
    '%' or '[') says so."""
    if "." in region or "[" in region or "%" in region:
        return False
    return damage is None or damage.has("decimals_stripped") or damage.has("letters_stripped")


_DIGIT_RUN = regex.compile(r"\d+")


def _text_path_loses(table: ParsedTable, text: str) -> bool:
    """Whether reading an intact table of lines from its text (header labels, then rows cut by the
    row grammar) leaves something out or guesses: the table read as damaged, characters that started no row, a row whose cells do not
    fill the header's value columns, or a digit of the block that no label, cell or column holds.
    Such a table is read line by line instead (do no harm: every printed digit stays)."""
    if table.damaged or not table.columns or any(warning.code == "table_text_skipped" for warning in table.warnings):
        return True
    if any(row.tokens and len(row.tokens) != len(table.columns) for row in table.rows):
        return True
    if any(_glued_mark(row, text) for row in table.rows):
        return True
    kept: list[str] = [column.path for column in table.columns]
    for row in table.rows:
        kept += [row.category or "", row.group or "", row.name, row.unit_raw or "", row.note or "", row.leftover,
                 "" if row.number is None else str(row.number)]
        kept += [token.text + (token.word or "") for token in row.tokens]
    have = Counter(_DIGIT_RUN.findall(" ".join(kept)))
    wanted = Counter(_DIGIT_RUN.findall(text[table.block.start : table.block.end]))
    return any(count > have.get(digits, 0) for digits, count in wanted.items())


_NOTE_MARK = regex.compile(r"\[\d{1,2}\]")


def _glued_mark(row: Row, text: str) -> bool:
    """A row whose first cell is one or two bracketed digits glued to its name (其中：高速铁路[20]):
    a note reference the clean text cannot tell from a cumulative cell; the input's spaces can."""
    first = row.tokens[0] if row.tokens else None
    return (first is not None and first.bracket and row.unit_raw is None and _NOTE_MARK.match(text, row.name_end) is not None
            and first.start == row.name_end + 1)


def _lined_tables(
    blocks: Sequence[TableBlock], paged: PagedText, damage: Damage | None, is_ruled: Callable[[TableBlock], bool]
) -> tuple[dict[int, ParsedTable], dict[int, models.Table], tuple[models.RecordWarning, ...]]:
    """Intact tables of line-broken text, read line by line (:mod:`.lines`): indicator tables as
    parsed tables for the solver to check, the others as generic tables (both by block start)."""
    from .grid import is_indicator, to_model, to_parsed
    from .lines import read_lines

    parsed: dict[int, ParsedTable] = {}
    generic: dict[int, models.Table] = {}
    warnings: list[models.RecordWarning] = []
    for block in blocks:
        if is_ruled(block) or sum(1 for offset in paged.line_breaks if block.start < offset < block.end) < 1:
            continue
        if _lined_damaged(paged.raw_slice(block.start, block.end), damage):
            continue
        if not _text_path_loses(parse_table(block, paged.text, paged.raw_slice(block.start, block.end), paged.line_breaks,
                                            damage=damage), paged.text):
            continue
        read = read_lines(block, paged)
        if read is None:
            continue
        table, unit_notes = read
        block = replace(block, notes=(*unit_notes, *block.notes))
        page = paged.page_at(block.start)
        name = table_name(block)
        warnings.extend(models.RecordWarning(code=code, message=f"{name}: {message}", page=page).at(tables=[block.start])
                        for code, message in table.warnings)
        if is_indicator(table):
            parsed[block.start] = to_parsed(block, table, paged)
        else:
            generic[block.start] = to_model(block, table, page, paged.source_offset(block.start), "text")
    return parsed, generic, tuple(warnings)
