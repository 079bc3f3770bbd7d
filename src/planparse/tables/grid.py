"""Grids: tables whose cells the input's own layout gives (Markdown pipe tables, HTML tables, PDF
and Word grids), read cell by cell — no text round trip, so every cell is intact and nothing is cut.

A chain of small steps, each a pure function:
``clean_rows`` (markup and layout spaces out, ragged rows padded, columns empty everywhere dropped)
→ ``split_header`` (a caption row of one cell, the header rows, the body)
→ ``column_roles`` (header paths, and each column's role from the soft lexicon or, for a label the
lexicon does not know, from what its cells hold)
→ ``typed_cell`` per cell (number with its unit and comparator, unit, text, empty)
→ ``classify_rows`` (category rows across the table, parent rows over the rows below, data rows).
An indicator table (an attribute column, or base/target/change columns) keeps the richer indicator
record and goes to the solver, which only checks intact numbers; any other table becomes a
generic ``tables`` entry with its typed cells, header paths and provenance.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from .. import models
from ..document import Grid, PagedText, TableBlock
from . import lexicon
from .header import VALUE_ROLES, Label, label_at, layout_of
from .model import ParsedTable, Row, TableResult, Token
from .rows import _names_no_unit

_MARKUP = regex.compile(r"<br\s*/?>|</?[a-zA-Z][^<>]{0,40}>|\*\*|__")
_SPACE_IN_HAN = regex.compile(r"(?<=[\p{Han}（）])\s+(?=[\p{Han}（）])")
_NUMBER = regex.compile(
    r"(?P<cmp>[<>≤≥＜＞]=?)?\s*(?P<open>\[)?\s*(?P<inner>[<>≤≥＜＞]=?)?(?P<num>[-+−]?\d[\d,]*(?:\.\d+)?)(?P<close>\])?\s*(?P<pct>%|‰)?\s*(?P<unit>[^\d\s].{0,15})?"
)
_GROUPED = regex.compile(r"[-+−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_DASH = regex.compile(r"[-—－–]{1,2}|…+")
_CAPTION = regex.compile(r"表\s?\d{1,3}")
_BARE_YEAR = regex.compile(r"(?:19|20)\d{2}(?:[-—－至~](?:19|20)\d{2})?")
_ROW_NUMBER = regex.compile(r"^[（(](\d{1,3})[）)]")
_NAME_UNIT = regex.compile(r"[（(]([^（）()\d]{0,12})[）)]$")  # a unit ending a label (（）: a stripped %)
LABEL_ROLES = frozenset({"name", "number", "unit", "attribute", "note"})


@dataclass(frozen=True)
class GridCell:
    text: str
    kind: str  # number | unit | text | empty
    value: float | None = None
    unit: str | None = None
    comparator: str | None = None
    bracket: bool = False
    merged: bool = False
    offset: int | None = None  # source offset of the cell's text
    suspect: bool = False  # a number printed in a form no reading can trust (6,352,8)
    inside: bool = False  # the comparator printed inside the brackets ([>3])


@dataclass(frozen=True)
class GridColumn:
    path: str
    role: str  # name | number | unit | attribute | note | base | target | actual | change | value
    year: int | None = None
    cumulative: bool | None = None
    known: bool = True  # the lexicon knew the label


@dataclass(frozen=True)
class RowLabel:
    """A row's label cells read apart: its number (a 序号 cell or a leading （N）), the category a
    category column gives, the group (the parent cell beside the name, or the parent row above),
    the name, and a unit in parentheses ending the name."""

    number: int | None = None
    category: str | None = None
    group: str | None = None
    name: str = ""
    unit: str | None = None


@dataclass(frozen=True)
class GridRow:
    kind: str  # category | parent | data
    label: str
    cells: tuple[GridCell, ...]
    category: str | None = None
    parent: str | None = None
    page: int | None = None
    offset: int | None = None
    parts: RowLabel | None = None  # parent and data rows: the label read apart


@dataclass(frozen=True)
class GridTable:
    caption: str | None
    columns: tuple[GridColumn, ...]
    rows: tuple[GridRow, ...]
    warnings: tuple[tuple[str, str], ...] = field(default=())  # (code, message)


# ------------------------------------------------------------------ steps


def clean_cell(text: str) -> str:
    """A cell's text without markup and without the spaces layout puts between Han characters."""
    text = _MARKUP.sub(" ", text)
    text = " ".join(text.split())
    return _SPACE_IN_HAN.sub("", text)


def clean_rows(grid: Grid) -> tuple[list[list[str]], list[list[tuple[int, int]]], list[list[bool]], int]:
    """(texts, spans, merged flags) per row, padded to one width, without the columns that are
    empty everywhere; and how many such columns were dropped."""
    merged_cells = {(row + r, col + c) for row, col, rows, cols in grid.merged for r in range(rows) for c in range(cols)
                    if (r, c) != (0, 0)}
    width = max((len(row) for row in grid.rows), default=0)
    texts, spans, merged = [], [], []
    for index, row in enumerate(grid.rows):
        row_spans = grid.cell_spans[index] if index < len(grid.cell_spans) else ()
        texts.append([clean_cell(row[col]) if col < len(row) else "" for col in range(width)])
        spans.append([row_spans[col] if col < len(row_spans) else (-1, -1) for col in range(width)])
        merged.append([(index, col) in merged_cells for col in range(width)])
    keep = [col for col in range(width) if any(row[col] for row in texts)]
    dropped = width - len(keep)
    return ([[row[col] for col in keep] for row in texts], [[row[col] for col in keep] for row in spans],
            [[row[col] for col in keep] for row in merged], dropped)


def _numeric(text: str) -> bool:
    match = _NUMBER.fullmatch(text)
    return match is not None and not _BARE_YEAR.fullmatch(text)


def split_header(texts: Sequence[Sequence[str]], header_rows: int | None, caption: str | None) -> tuple[str | None, int, int]:
    """(caption, first header row, first body row): a leading row of one cell is the caption; the
    header rows are the markup's (a |---| line, <th>) or the leading rows without a figure."""
    start = 0
    if texts and sum(1 for cell in texts[0] if cell) == 1 and len(texts[0]) > 1 and not _numeric(next(c for c in texts[0] if c)):
        first = next(cell for cell in texts[0] if cell)
        if caption is None or _CAPTION.match(first):
            caption, start = first, 1
    if header_rows is not None and header_rows > start:
        return caption, start, min(len(texts), header_rows)
    # No markup header, or the markup's header row is the caption (| **表3 …** | | |, then |---|):
    # the header is the leading rows without a figure.
    end = start
    while end < len(texts) and end - start < 3 and not any(_numeric(cell) for cell in texts[end]) and any(texts[end]):
        end += 1
    if end == len(texts):
        end = start  # no figure anywhere: a list laid out as a table, its first row is data
    return caption, start, end


def _path(header: Sequence[Sequence[str]], column: int) -> str:
    parts: list[str] = []
    for row in header:
        cell = row[column] if column < len(row) else ""
        if cell and (not parts or parts[-1] != cell):
            parts.append(cell)
    return "/".join(parts)


def column_roles(header: Sequence[Sequence[str]], body: Sequence[Sequence[str]]) -> tuple[GridColumn, ...]:
    """Each column's header path and role: the lexicon's role of its leaf label, else what its cells hold."""
    width = max((len(row) for row in (*header, *body)), default=0)
    columns = []
    for column in range(width):
        path = _path(header, column) or f"列{column + 1}"
        leaf = path.rsplit("/", 1)[-1]
        label = label_at(leaf, 0, len(leaf)) if not path.startswith("列") else None
        year = _BARE_YEAR.fullmatch(leaf)
        cells = [row[column] for row in body if column < len(row) and row[column]]
        numeric = sum(_numeric(cell) for cell in cells)
        if label is not None and (label.end >= len(leaf) - 1 or label.year is not None):
            # A known label, or a year with words the lexicon lacks (1952年人数): a dated value column.
            role = label.role if label.role != "group" else "value"
            columns.append(GridColumn(path, role, label.year, label.cumulative))
        elif year is not None:
            columns.append(GridColumn(path, "value", int(leaf[:4]) if not year.group().count("-") else None))
        elif cells and numeric * 2 >= len(cells):
            columns.append(GridColumn(path, "value", known=False))
        else:
            role = "name" if not any(c.role == "name" for c in columns) and column == len(columns) and all(
                c.role in LABEL_ROLES for c in columns) else "note"
            columns.append(GridColumn(path, role, known=label is not None))
    return tuple(columns)


def typed_cell(text: str, role: str, span: tuple[int, int], merged: bool) -> GridCell:
    offset = span[0] if span[0] >= 0 and not merged else None
    if not text or _DASH.fullmatch(text):
        return GridCell(text, "empty", merged=merged, offset=offset)
    if role == "unit":
        return GridCell(text, "unit", unit=text, merged=merged, offset=offset)
    if role in VALUE_ROLES:
        match = _NUMBER.fullmatch(text)
        if match is not None:
            number = match.group("num").replace("−", "-")
            suspect = "," in number and not _GROUPED.match(number)
            value = None if suspect else float(number.replace(",", ""))
            comparator = match.group("cmp") or match.group("inner")
            if comparator:
                comparator = comparator.replace("＜", "<").replace("＞", ">")
            unit = match.group("pct") or (match.group("unit") or "").strip() or None
            bracket = bool(match.group("open") and match.group("close"))
            inside = bracket and bool(match.group("inner")) and not match.group("cmp")
            return GridCell(text, "number", value, unit, comparator, bracket, merged, offset, suspect, inside)
    return GridCell(text, "text", merged=merged, offset=offset)


def _category_column(cells: Sequence[Sequence[GridCell]], columns: Sequence[GridColumn], labels: Sequence[int]) -> int | None:
    """A first label column that names each row's category: its own header label (类别 beside 指标),
    and never the same cell as the label column after it (a parent column is merged across both
    where a row has no parent)."""
    names = [index for index in labels if columns[index].role == "name"]
    if len(names) < 2 or columns[names[0]].path == columns[names[1]].path:
        return None
    first, second = names[0], names[1]
    if any(row[first].kind != "empty" and row[first].text == row[second].text for row in cells if second < len(row)):
        return None
    return first


def row_label(row: Sequence[GridCell], columns: Sequence[GridColumn], category_column: int | None = None) -> RowLabel:
    """The row's label cells read apart (see :class:`RowLabel`): each printed label once (a cell
    merged across label columns counts once); a first label that is a category (from a category
    column, or a lexicon category beside the name) is the row's category; of the labels left, the
    last is the name and the ones before it the group."""
    texts: list[str] = []
    number = category = None
    for index, (cell, column) in enumerate(zip(row, columns)):
        if column.role not in ("name", "number") or cell.kind == "empty":
            continue
        if column.role == "number" and cell.text.isdigit():
            number = int(cell.text)
        elif index == category_column:
            category = cell.text
        elif not texts or texts[-1] != cell.text:
            texts.append(cell.text)
    if len(texts) > 1 and category is None and texts[0] in lexicon.categories():
        category, texts = texts[0], texts[1:]
    if not texts:
        return RowLabel(number, category)
    numbered = _ROW_NUMBER.match(texts[0])
    if numbered is not None:
        number = int(numbered.group(1)) if number is None else number
        texts[0] = texts[0][numbered.end():]
    name, name_unit = _split_unit(texts[-1])
    group, group_unit = _split_unit("".join(texts[:-1])) if len(texts) > 1 else (None, None)
    return RowLabel(number, category, group, name, name_unit if name_unit is not None else group_unit)


def _split_unit(text: str) -> tuple[str, str | None]:
    """A label and the unit in parentheses that ends it (a parent's unit is its sub-rows'); words in
    parentheses that hold no unit qualify the name (烧碱（折合百分之百）, 水轮机（水力透平）: the 1953 plan)."""
    unit = _NAME_UNIT.search(text)
    if unit is not None and unit.start() >= 1 and not _names_no_unit(unit.group(1).strip()):
        return text[: unit.start()], unit.group(1).strip()
    return text, None


def stack_panels(cells: Sequence[Sequence[GridCell]], columns: Sequence[GridColumn]) -> tuple[list[list[GridCell]], list[GridColumn]]:
    """A table printed as side-by-side panels (``行业 | 比上年增长（%） | 行业 | 比上年增长（%）``: the
    columns fall into equal groups with the same labels, a name label first; the header reader may
    give a repeated label another role) holds one row per panel and line: the right panel's rows are stacked under the left one's, each a row of its own (an empty
    panel row, the right panel's last line, is no row). Any other table is returned as it is."""
    width = next((size for size in range(2, len(columns) // 2 + 1)
                  if len(columns) % size == 0 and columns[0].role == "name"
                  and all([column.path for column in columns[start : start + size]] == [column.path for column in columns[:size]]
                          for start in range(size, len(columns), size))), None)
    if width is None:
        return [list(row) for row in cells], list(columns)
    stacked = [list(row[start : start + width]) for row in cells for start in range(0, len(columns), width)]
    return [row for row in stacked if any(cell.kind != "empty" for cell in row)], list(columns[:width])


def classify_rows(cells: Sequence[Sequence[GridCell]], columns: Sequence[GridColumn]) -> list[GridRow]:
    """Category rows (one cell across a table whose other rows have figures), parent rows (a label
    whose value cells are all empty, over labelled rows below, until a row with a number of its
    own), data rows; each label read apart (:func:`row_label`)."""
    labels = [index for index, column in enumerate(columns) if column.role in ("name", "number")] or [0]
    values = [index for index, column in enumerate(columns) if column.role in VALUE_ROLES]
    category_column = _category_column(cells, columns, labels)
    rows: list[GridRow] = []
    category: str | None = None
    parent: RowLabel | None = None
    for row in cells:
        filled = [cell for cell in row if cell.kind != "empty"]
        label = "".join(row[index].text for index in labels if index < len(row) and row[index].kind != "empty")
        value_cells = [row[index] for index in values if index < len(row)]
        offset = next((cell.offset for cell in row if cell.offset is not None), None)
        if not filled:
            continue
        distinct = {cell.text for cell in filled}
        if len(row) > 1 and len(filled) == len(row) and len(distinct) == 1 and filled[0].kind == "text":
            category, parent = filled[0].text, None  # one cell merged across the table
            rows.append(GridRow("category", category, tuple(row), None, None, None, offset))
            continue
        parts = row_label(row, columns, category_column)
        if values and not any(cell.kind != "empty" for cell in value_cells):
            if len(distinct) == 1 and next(iter(distinct)) in lexicon.categories():
                category, parent = next(iter(distinct)), None
                rows.append(GridRow("category", category, tuple(row), None, None, None, offset))
                continue
            parent = parts if parts.name else RowLabel(parts.number, parts.category, None, label or next(iter(distinct)))
            rows.append(GridRow("parent", parent.name, tuple(row), parts.category or category, None, None, offset, parent))
            continue
        if parent is not None and parts.group is None and parts.number is not None and parts.number != parent.number:
            parent = None  # a row numbered on its own: the parent's sub-rows have ended
        if parent is not None and parts.group is None:
            parts = RowLabel(parent.number if parts.number is None else parts.number, parts.category, parent.name, parts.name,
                             parts.unit if parts.unit is not None else parent.unit)
        rows.append(GridRow("data", label, tuple(row), parts.category or category, parts.group, None, offset, parts))
    return rows


def read_grid(grid: Grid) -> GridTable:
    """The grid as a table: caption, columns with roles, typed rows (see the module docstring)."""
    texts, spans, merged, dropped = clean_rows(grid)
    caption, header_start, body_start = split_header(texts, grid.header_rows, grid.caption)
    header, body = texts[header_start:body_start], texts[body_start:]
    columns = column_roles(header, body)
    typed = [
        [typed_cell(text, columns[col].role if col < len(columns) else "value", spans[body_start + index][col],
                    merged[body_start + index][col]) for col, text in enumerate(row)]
        for index, row in enumerate(body)
    ]
    if not grid.row_pages:
        typed, stacked = stack_panels(typed, columns)
        columns = tuple(stacked)
    rows = classify_rows(typed, columns)
    if grid.row_pages:
        pages = grid.row_pages[body_start:]
        rows = [GridRow(row.kind, row.label, row.cells, row.category, row.parent, pages[index] if index < len(pages) else None,
                        row.offset, row.parts) for index, row in enumerate(rows)]
    warnings = []
    suspect = [cell.text for row in rows for cell in row.cells if cell.suspect]
    if suspect:
        warnings.append(("grid_number_suspect", f"{len(suspect)} cell(s) print a number no reading can trust, kept as text: "
                                                 + ", ".join(suspect[:5])))
    unknown = [column.path for column in columns if not column.known and column.role in VALUE_ROLES]
    if unknown:
        warnings.append(("table_label_unknown", "header label(s) " + ", ".join(unknown) + " unknown; read as value columns"))
    if dropped:
        warnings.append(("grid_columns_empty", f"{dropped} column(s) empty in every row dropped"))
    # A column without a header label that few rows fill: cells shifted by a row the source split wrongly.
    stray = [index for index, column in enumerate(columns) if header and column.path.startswith("列")
             and sum(1 for row in rows if index < len(row.cells) and row.cells[index].kind != "empty") * 10 <= max(1, len(rows))]
    ragged = [row.label or row.cells[0].text for row in rows if any(index < len(row.cells) and row.cells[index].kind != "empty" for index in stray)]
    if ragged:
        warnings.append(("grid_row_ragged", f"{len(ragged)} row(s) hold more cells than the header has columns: " + ", ".join(ragged[:5])))
    return GridTable(caption, columns, tuple(rows), tuple(warnings))


# ------------------------------------------------------------------ records


def is_indicator(table: GridTable) -> bool:
    """An indicator table: an attribute column, base/target/change value columns beside a name, or
    value columns under a plan's header group (规划目标/2020年, 实际完成/2015年)."""
    roles = {column.role for column in table.columns}
    planned = any(column.role in VALUE_ROLES and column.path.split("/")[0] in lexicon.header_groups() for column in table.columns)
    return "attribute" in roles or {"base", "target"} <= roles or {"target", "actual"} <= roles or planned


def _clean_offset(paged: PagedText, source: int) -> int:
    """The clean offset of a source offset (the clean→source map is monotone)."""

    class _Sources:
        def __len__(self) -> int:
            return len(paged.text)

        def __getitem__(self, index: int) -> int:
            return paged.source_offset(index)

    return min(len(paged.text), bisect_left(_Sources(), source))


def to_parsed(block: TableBlock, table: GridTable, paged: PagedText) -> ParsedTable:
    """An indicator grid as a parsed table of intact rows (the solver checks, never rewrites them)."""
    from . import _period, bracket_meaning

    value_index = [index for index, column in enumerate(table.columns) if column.role in VALUE_ROLES]
    labels = []
    for column in table.columns:
        group, _, leaf = column.path.rpartition("/")
        role = column.role
        labels.append(Label(leaf, 0, 0, role, column.year, column.cumulative, None, group or None, column.known))
    layout = layout_of(labels, block.start)
    rows = []
    category: str | None = None
    for row in table.rows:
        start = _clean_offset(paged, row.offset) if row.offset is not None else block.start
        if row.kind == "category":
            category = row.label
            continue
        if row.kind == "parent":
            continue
        unit = next((cell.text for cell, column in zip(row.cells, table.columns) if column.role == "unit" and cell.kind != "empty"), None)
        attribute = next((cell.text for cell, column in zip(row.cells, table.columns) if column.role == "attribute"
                          and cell.text in lexicon.attributes()), None)
        tokens = tuple(_token(row.cells[index], start) for index in value_index if index < len(row.cells))
        parts = row.parts or RowLabel(name=row.label)
        unit_raw = unit or (f"（{parts.unit}）" if parts.unit is not None else None)
        unit = unit.strip("（）()") if unit else (parts.unit or "%" if parts.unit is not None else None)
        name_start = paged.text.find(parts.name, start, start + len(row.label) + 8) if parts.name else -1
        name_end = name_start + len(parts.name) if name_start >= 0 else start
        rows.append(Row(row.category or category, parts.number, parts.group, parts.name, max(name_start, start), name_end, unit, unit_raw,
                        attribute, tokens, start, start))
    return ParsedTable(block, layout.columns, layout.has_attribute, tuple(rows), False, block.start, bracket_meaning(block.notes), (),
                       layout, _period(block.title))


def _token(cell: GridCell, start: int) -> Token:
    if cell.kind == "empty":
        return Token("dash", cell.text or "--", start)
    if cell.kind == "number" and cell.value is not None:
        number = cell.text
        match = _NUMBER.fullmatch(cell.text)
        if match is not None:
            number = match.group("num") + (match.group("pct") or "")
        return Token("number", number, start, cell.comparator, cell.bracket, cell.unit if cell.unit and cell.unit != "%" else None,
                     whole=True, inside=cell.inside)
    return Token("word", cell.text, start)


def to_model(block: TableBlock, table: GridTable, page: int | None, offset: int, origin: str) -> models.Table:
    """A generic table's record: its columns (label and value columns alike), typed rows, provenance."""
    columns = [
        models.Column(index=index + 1, path=column.path, year=column.year, role=column.role,  # type: ignore[arg-type]
                      cumulative=column.cumulative)
        for index, column in enumerate(table.columns)
    ]
    rows = [
        models.TableRow(
            kind=row.kind,  # type: ignore[arg-type]
            label=row.label,
            category=row.category,
            parent=row.parent,
            page=row.page if row.page is not None else page,
            offset=row.offset,
            cells=[
                models.TableCell(column=table.columns[index].path if index < len(table.columns) else f"列{index + 1}",
                                 column_index=index + 1, text=cell.text, kind=cell.kind,  # type: ignore[arg-type]
                                 value=cell.value, unit=cell.unit, comparator=cell.comparator,  # type: ignore[arg-type]
                                 merged=cell.merged, offset=cell.offset)
                for index, cell in enumerate(row.cells)
            ],
        )
        for row in table.rows
    ]
    title = block.title or table.caption or ""
    return models.Table(box=block.box, table=block.label, title=title, page=page, offset=offset, columns=columns,
                        attribute_column=any(column.role == "attribute" for column in table.columns), notes=list(block.notes),
                        bracket_meaning=None, damaged=False, kind="generic", origin=origin, rows=rows)  # type: ignore[arg-type]


def grid_tables(blocks: Sequence[TableBlock], paged: PagedText) -> TableResult:
    """Read every block's grid; indicator grids are solved (checked) like intact text tables."""
    from ..repair import solve_tables
    from . import table_name

    generic: list[models.Table] = []
    parsed: list[ParsedTable] = []
    warnings: list[models.RecordWarning] = []
    for block in blocks:
        assert block.grid is not None
        table = read_grid(block.grid)
        page = paged.page_at(block.start)
        name = table_name(block)
        warnings.extend(models.RecordWarning(code=code, message=f"{name}: {message}", page=page).at(tables=[block.start])
                        for code, message in table.warnings)
        if is_indicator(table):
            parsed.append(to_parsed(block, table, paged))
        else:
            generic.append(to_model(block, table, page, block.grid.start, block.grid.origin))
    solved = solve_tables(parsed, None, paged) if parsed else TableResult((), (), (), ())
    origins = [block.grid.origin for block in blocks if block.grid is not None and is_indicator(read_grid(block.grid))]
    indicator_tables = tuple(table.model_copy(update={"origin": origin}) for table, origin in zip(solved.tables, origins))
    return TableResult(indicator_tables + tuple(generic), solved.indicators, solved.repairs, tuple(warnings) + solved.warnings)
