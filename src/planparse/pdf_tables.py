"""Ruled tables in PDFs: pdfplumber's table finder on the pages that have ruling lines.

PDFium reads every page's text; only a page whose vector paths could draw a grid (checked
cheaply from PDFium's page objects) is handed to pdfplumber, whose ``find_tables`` (lines
strategy) returns the grid. Merged cells come back as ``None``: they are filled from the cell
that spans them, so a two-level header gives ``规划目标/2020年`` and a parent cell (``（3）空气质量``)
reaches each of its sub-rows. A table that runs on at the top of the next page (with its header
repeated or not) is joined to the table it continues; every row keeps its own page.

:func:`table_lines` writes a table in the form :mod:`planparse.tables` reads for intact tables:
a header line with explicit groups (``指标 属性 规划目标/2020年 规划目标/2025年 年均增长``) and one
line per row (``（3）空气质量|细颗粒物浓度（微克/立方米） 约束性 38 35 [-3]``), numbers exactly as
printed.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import regex

from .document import Grid
from .tables import vocabulary

AREA_MARGIN = 4.0  # pt around the ruled area handed to pdfplumber (rule widths, text touching a rule)
_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_VALUE = regex.compile(r"^(?:[<>≤≥＜＞]=?)?\[?[-+]?\d[\d.,]*%?\]?$|^[-—－]{1,2}$")
_LEAF = regex.compile(
    r"^(?:\d{4}年\S*|(?:年均|五年)?(?:增长|增速|增幅|变化)(?:率)?\S*|累计\S*|\[累计\]\S*)$"
)
_LABEL = regex.compile(r"^[（(]\d{1,3}[）)]")
_YEAR = regex.compile(r"^(?:19|20)\d{2}$")
_SKIP_LABELS = {"属性", "单位"}


Span = tuple[int, int, int, int]  # (row, column, row span, column span) of a merged cell


@dataclass(frozen=True)
class RuledTable:
    """One ruled table on one page (a continuation is a separate piece with ``continues`` set).

    ``header`` + ``rows`` is the grid as printed (title row excluded), merged positions filled from
    the cell that spans them; ``merged`` names those cells, in rows of that grid."""

    page: int  # 0-based physical page index
    bbox: tuple[float, float, float, float]  # x0, bottom, x1, top in PDF user space (origin bottom left)
    header: tuple[tuple[str, ...], ...]  # filled header rows (a guess from the cells' content)
    rows: tuple[tuple[str, ...], ...]  # filled body rows
    row_boxes: tuple[tuple[float, float], ...]  # (bottom, top) of each body row, user space
    continues: bool = False  # the rows continue the table on the previous page
    columns: tuple[str, ...] = field(default=())  # header paths (from this piece or the one it continues)
    title: str | None = None  # a first row of one cell across the table (专栏1主要指标)
    edges: tuple[float, ...] = ()  # x of the column boundaries, left to right (columns + 1 values)
    merged: tuple[Span, ...] = ()  # merged cells of header + rows
    header_boxes: tuple[tuple[float, float], ...] = ()  # (bottom, top) of each header row
    repeated: int = 0  # leading header rows repeating the header of the piece this one continues
    carried: tuple[int, ...] = ()  # columns of the first body row filled from the previous page's last row
    category: str | None = None  # the category row in force where this piece starts (from the previous page)

    @property
    def grid(self) -> tuple[tuple[str, ...], ...]:
        return self.header + self.rows

    @property
    def width(self) -> int:
        return len((self.header or self.rows)[0]) if (self.header or self.rows) else 0

    def covered(self) -> set[tuple[int, int]]:
        """Grid positions inside a merged cell other than its first (top-left) one."""
        inside = set()
        for row, column, row_span, column_span in self.merged:
            for r in range(row, row + row_span):
                for c in range(column, column + column_span):
                    if (r, c) != (row, column):
                        inside.add((r, c))
        return inside

    def category_rows(self) -> set[int]:
        """Grid rows that are one cell across the whole table (a category: 经济发展)."""
        return {row for row, column, row_span, column_span in self.merged
                if column == 0 and column_span == self.width and row_span == 1 and self.width > 1}


def has_ruling(page: Any) -> tuple[float, float, float, float] | None:
    """Where the PDFium page's paths rule at least a 2×2 grid (x0, bottom, x1, top), or None
    (see :mod:`planparse.io.pdf.ruling`)."""
    from .io.pdf.ruling import ruled_area

    return ruled_area(page)


class FinderUnavailable(Exception):
    """pdfplumber could not open the document at all (raised again, without retrying, on every page)."""


class TableFinder:
    """Opens the document in pdfplumber once, on the first page that needs it."""

    def __init__(self, data: bytes, password: str | None) -> None:
        self._data = data
        self._password = password
        self._pdf: Any = None

    failed: str | None = None  # why pdfplumber could not open the document (remembered: tried once)

    def _open(self) -> Any:
        if self.failed is not None:
            raise FinderUnavailable(self.failed)
        if self._pdf is None:
            import pdfplumber

            try:
                self._pdf = pdfplumber.open(io.BytesIO(self._data), password=self._password or "")
                self._pdf.pages  # noqa: B018 - pdfminer reads the page tree here: its errors belong to the open
            except Exception as error:  # pdfminer's many parse errors
                self.failed = type(error).__name__
                self._pdf = None
                raise FinderUnavailable(self.failed) from None
        return self._pdf

    def visible_chars(self, index: int) -> int:
        """pdfminer's count of the page's non-blank characters."""
        page = self._open().pages[index]
        try:
            return sum(1 for char in page.chars if char["text"].strip())
        finally:
            page.close()

    def find(self, index: int, area: tuple[float, float, float, float] | None = None) -> list[RuledTable]:
        """The ruled tables of a page; with ``area`` (x0, bottom, x1, top, PDF user space: where
        the page's rules cross) pdfplumber reads only that part of the page."""
        page = self._open().pages[index]
        try:
            height = float(page.height)
            searched = page
            if area is not None and tuple(page.bbox[:2]) == (0, 0):
                x0, bottom, x1, top = area
                box = (max(0.0, x0 - AREA_MARGIN), max(0.0, height - top - AREA_MARGIN),
                       min(float(page.width), x1 + AREA_MARGIN), min(height, height - bottom + AREA_MARGIN))
                searched = page.crop(box, strict=False)
            found = []
            for table in searched.find_tables(_SETTINGS):
                piece = _piece(index, table, height, searched)
                if piece is not None:
                    found.append(piece)
            return found
        finally:
            page.close()

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None


def _clean(text: str | None) -> str:
    return regex.sub(r"\s+", "", text or "")


def _cells(table: Any, page: Any = None) -> tuple[list[list[str]], list[Span], list[float]]:
    """The table's grid with every merged position filled from the cell that spans it, the merged
    cells, and the column boundaries. pdfplumber lays a table out on the distinct left edges
    (columns) and tops (rows) of its cells and leaves ``None`` where a cell spans that position."""
    texts = table.extract()
    lefts = sorted({cell[0] for row in table.rows for cell in row.cells if cell is not None})
    tops = sorted({cell[1] for row in table.rows for cell in row.cells if cell is not None})
    width = len(lefts)
    grid = [["" for _ in range(width)] for _ in table.rows]
    owner = [[False] * width for _ in table.rows]
    merged: list[Span] = []
    tolerance = 1.0
    for row_index, (row, values) in enumerate(zip(table.rows, texts)):
        for column, (cell, value) in enumerate(zip(row.cells, values)):
            if cell is None:
                continue
            x0, top, x1, bottom = cell
            column_span = max(1, sum(1 for x in lefts if x0 - tolerance <= x < x1 - tolerance))
            row_span = max(1, sum(1 for y in tops if top - tolerance <= y < bottom - tolerance))
            text = _clean(value)
            for r in range(row_index, min(row_index + row_span, len(grid))):
                for c in range(column, min(column + column_span, width)):
                    if not owner[r][c]:
                        grid[r][c] = text
                        owner[r][c] = (r, c) == (row_index, column)
            if row_span > 1 or column_span > 1:
                merged.append((row_index, column, row_span, column_span))
    right = max((cell[2] for row in table.rows for cell in row.cells if cell is not None), default=0.0)
    edges = [*lefts, right]
    if page is not None:
        _unclosed(page, table, grid, owner, edges, [*tops, table.bbox[3]])
    return grid, merged, edges


def _unclosed(page: Any, table: Any, grid: list[list[str]], owner: list[list[bool]], edges: list[float],
              tops: list[float]) -> None:
    """Positions no cell covers (a cell merged down over a page break has no bottom rule on this
    page, so the finder cannot close it): their text is read from the area they occupy."""
    cells = _all_cells(table)
    for row_index, row in enumerate(grid):
        for column, cell in enumerate(row):
            if cell or owner[row_index][column] or any(_covers(other, edges[column], tops[row_index]) for other in cells):
                continue
            box = (edges[column], tops[row_index], edges[column + 1], tops[row_index + 1])
            row[column] = _clean(page.crop(box, strict=False).extract_text())


def _all_cells(table: Any) -> list[tuple[float, float, float, float]]:
    return [cell for row in table.rows for cell in row.cells if cell is not None]


def _covers(cell: tuple[float, float, float, float], x: float, y: float) -> bool:
    x0, top, x1, bottom = cell
    return x0 - 1 <= x < x1 - 1 and top - 1 <= y < bottom - 1


def _piece(index: int, table: Any, height: float, page: Any = None) -> RuledTable | None:
    """One pdfplumber table as a :class:`RuledTable` (None for a frame or a chart's grid)."""
    grid, merged, edges = _cells(table, page)
    if sum(1 for row in grid if sum(1 for cell in row if cell) >= 2) < 2:
        return None  # a frame around a box or a chart's grid, not a table of text
    x0, top, x1, bottom = table.bbox
    boxes = [(height - row.bbox[3], height - row.bbox[1]) for row in table.rows]
    width = len(edges) - 1
    title = None
    if len(grid) > 2 and (0, 0, 1, width) in merged and width > 1 and grid[0][0] and not _LEAF.match(grid[0][0]):
        # One cell across the table's first row: its title (专栏1主要指标), not a header level.
        title, grid, boxes = grid[0][0], grid[1:], boxes[1:]
        merged = [(r - 1, c, rs, cs) for r, c, rs, cs in merged if r > 0]
    full_width = {r for r, c, rs, cs in merged if c == 0 and cs == width and rs == 1 and width > 1}
    header_count = _header_rows(grid, full_width)
    if header_count:  # a header cell merged down over more rows: they are all header rows
        header_count = max([header_count] + [r + rs for r, c, rs, cs in merged if r == 0 and cs < width and r + rs < len(grid)])
    rows = [tuple(row) for row in grid]
    return RuledTable(
        index, (x0, height - bottom, x1, height - top), tuple(rows[:header_count]), tuple(rows[header_count:]),
        tuple(boxes[header_count:]), title=title, edges=tuple(edges), merged=tuple(merged),
        header_boxes=tuple(boxes[:header_count]),
    )


def _header_rows(grid: list[list[str]], full_width: frozenset[int] | set[int] = frozenset()) -> int:
    """Leading rows that hold no row label and no value (a bare year such as 2025 is a header);
    a row of one cell across the table (a category: 经济发展) ends the header."""
    count = 0
    for index, row in enumerate(grid):
        if index in full_width:
            break
        if any(_LABEL.match(cell) or (_VALUE.match(cell) and not _YEAR.match(cell)) for cell in row if cell):
            break
        count += 1
    return min(count, len(grid) - 1) if count < len(grid) else 0


def header_paths(header: tuple[tuple[str, ...], ...]) -> list[str]:
    """One path per grid column: the distinct header texts from top to bottom joined by '/'."""
    if not header:
        return []
    paths = []
    for index in range(len(header[0])):
        parts: list[str] = []
        for row in header:
            cell = row[index] if index < len(row) else ""
            if _YEAR.match(cell):
                cell += "年"  # the form parse_header reads
            if cell and (not parts or parts[-1] != cell):
                parts.append(cell)
        paths.append("/".join(parts))
    return paths


EDGE_TOLERANCE = 2.0  # pt: column boundaries this close are the same column on two pages


def same_layout(first: RuledTable, second: RuledTable) -> bool:
    """Same number of columns at the same x-positions (when both pieces know their edges)."""
    if first.width != second.width:
        return False
    if not first.edges or not second.edges:
        return True
    return len(first.edges) == len(second.edges) and all(
        abs(a - b) <= EDGE_TOLERANCE for a, b in zip(first.edges, second.edges)
    )


def join_continuations(
    tables: list[RuledTable], adjoining: Callable[[RuledTable, RuledTable], bool] = lambda first, second: True
) -> list[RuledTable]:
    """Mark a table that continues the last table of the previous page and give every piece its
    columns. A continuation is joined by layout: the same columns at the same x-positions, nothing
    but page furniture between the pieces (``adjoining``), and either no header or a header whose
    rows repeat rows of the first piece's header (a repeat may leave out a level)."""
    result: list[RuledTable] = []
    first: RuledTable | None = None  # the first piece of the table the last piece belongs to
    for table in tables:
        previous = result[-1] if result else None
        if (
            previous is not None
            and first is not None
            and previous.page == table.page - 1
            and same_layout(previous, table)
            and (not table.header or all(row in first.header for row in table.header))
            and not any(other.page == table.page for other in result)
            and adjoining(previous, table)
        ):
            joined = replace(table, continues=True, columns=previous.columns, repeated=len(table.header),
                             category=_last_category(previous))
            result.append(_carry(previous, joined))
            continue
        piece = replace(table, continues=False, columns=tuple(header_paths(table.header)) if table.header else ())
        result.append(piece)
        first = piece
    return result


def _last_category(piece: RuledTable) -> str | None:
    rows = piece.category_rows()
    return piece.grid[max(rows)][0] if rows else piece.category


def _carry(previous: RuledTable, table: RuledTable) -> RuledTable:
    """A cell merged down over a page break is printed on the first page only: the continuation's
    first row then starts with empty cells where the previous page's last row has its label. Those
    cells are the spanning cell's: fill them (the grid records the span across the break)."""
    if not table.rows or not previous.rows:
        return table
    first, last = table.rows[0], previous.rows[-1]
    filled = next((index for index, cell in enumerate(first) if cell), None)
    if filled is None or filled == 0:
        return table
    columns = tuple(index for index in range(filled) if index < len(last) and last[index])
    if not columns:
        return table
    row = tuple(last[index] if index in columns else cell for index, cell in enumerate(first))
    return replace(table, rows=(row, *table.rows[1:]), carried=columns)


def groups(tables: list[RuledTable]) -> list[list[RuledTable]]:
    """Joined pieces grouped per table: a first piece and its continuations."""
    result: list[list[RuledTable]] = []
    for table in tables:
        if table.continues and result:
            result[-1].append(table)
        else:
            result.append([table])
    return result


HEADER_LINE, TITLE_LINE = -1, -2  # the row of a table line that is the header, or the title


def table_lines(table: RuledTable) -> list[tuple[str, tuple[float, float] | None, int]]:
    """The table as text lines (title and header first unless it continues), each with its row's
    box and its grid row (``HEADER_LINE``/``TITLE_LINE`` for those lines)."""
    lines = _table_lines(table)
    if table.title is not None and not table.continues:
        return [(table.title, None, TITLE_LINE), *lines]
    return lines


def _table_lines(table: RuledTable) -> list[tuple[str, tuple[float, float] | None, int]]:
    paths = list(table.columns)
    skip = _repeats(table)
    categories = table.category_rows()
    offset = len(table.header)
    body = [
        (index, row, box) for index, (row, box) in enumerate(zip(table.rows, table.row_boxes))
    ]
    if not paths:
        # No header anywhere: the rows alone, each cell once.
        return [(" ".join(_row_cells(row, offset + index, skip)), box, offset + index) for index, row, box in body]
    value_columns = [index for index, path in enumerate(paths) if _LEAF.match(path.rsplit("/", 1)[-1])]
    if not value_columns:
        # Not an indicator table (a ruled list of projects …): its cells in reading order, each once.
        rows: list[tuple[str, tuple[float, float] | None, int]] = [
            (" ".join(_row_cells(row, offset + index, skip)), box, offset + index) for index, row, box in body
        ]
        return rows if table.continues else [(" ".join(_distinct(paths)), None, HEADER_LINE), *rows]
    first_value = value_columns[0]
    lines: list[tuple[str, tuple[float, float] | None, int]] = []
    if not table.continues:
        labels = _distinct(paths[:first_value])
        values = [paths[index] for index in value_columns]
        lines.append((" ".join([*labels, *values]), None, HEADER_LINE))
    category = table.category
    for index, row, box in body:
        if offset + index in categories:
            category = row[0]  # a row of one cell across the table: the category of the rows below
            continue
        label_cells = [
            (paths[column] if column < len(paths) else "", row[column])
            for column in range(min(first_value, len(row))) if (offset + index, column) not in skip
        ]
        names = _distinct([cell for path, cell in label_cells if path not in _SKIP_LABELS and path != "序号"])
        if category is not None and (not names or names[0] != category):
            names.insert(0, category)
        serial = next((cell for path, cell in label_cells if path == "序号" and cell.isdigit()), None)
        if serial is not None and names and not any(_LABEL.match(name) for name in names):
            # （N） before the first name that is not a category: the form parse_rows reads.
            known = set(vocabulary()["categories"])
            at = next((index for index, name in enumerate(names) if name not in known), 0)
            names[at] = f"（{serial}）{names[at]}"
        unit = next((cell for path, cell in label_cells if path == "单位" and cell), None)
        attribute = next((cell for path, cell in label_cells if path == "属性" and cell), None)
        text = "|".join(names)
        if unit:
            text += f"（{unit.strip('（）()')}）"
        if attribute:
            text += f" {attribute}"
        values = [row[column] for column in value_columns if column < len(row)]
        # A row without any value is a parent row (its label covers the sub-rows below);
        # otherwise an empty cell is printed as not applicable.
        cells = [value or "--" for value in values] if any(values) else []
        if not cells:
            text += "|"  # an explicit parent: its label ends at the separator, not at a line break
        lines.append((f"{text} {' '.join(cells)}".strip(), box, offset + index))
    return lines


def _repeats(table: RuledTable) -> set[tuple[int, int]]:
    """Positions a merged cell fills to its right in its own row (printed once, at its start)."""
    return {
        (r, c) for row, column, row_span, column_span in table.merged
        for r in range(row, row + row_span) for c in range(column + 1, column + column_span)
    }


def _row_cells(row: tuple[str, ...], index: int, skip: set[tuple[int, int]]) -> list[str]:
    return [cell for column, cell in enumerate(row) if cell and (index, column) not in skip]


def _distinct(cells: list[str]) -> list[str]:
    """Cells without the repeats a horizontal span leaves (and without empty ones)."""
    result: list[str] = []
    for cell in cells:
        if cell and (not result or result[-1] != cell):
            result.append(cell)
    return result


def build_grids(
    pieces: list[RuledTable], printed: list[int | None], anchors: dict[tuple[int, int], int], text: str
) -> tuple[Grid, ...]:
    """One :class:`Grid` per ruled table (its continuations joined): the cells as printed, merged
    cells filled and named in ``merged``, the header rows as the layout shows them (the rows above
    the first row with a row label or a value; a header merged over two rows counts both), each
    row's printed page, and each cell's place in
    ``text`` where the table's lines carry it (``(-1, -1)`` for a merged cell's other positions
    and for cells the lines do not print as they are)."""
    grids = []
    number = 0
    for group in groups(pieces):
        rows: list[tuple[str, ...]] = []
        spans: list[tuple[tuple[int, int], ...]] = []
        pages: list[int | None] = []
        merged: list[Span] = []
        lines: list[int] = []
        for piece in group:
            skip_rows = piece.repeated if piece.continues else 0
            inside = piece.covered() | {(len(piece.header), column) for column in piece.carried}
            base = len(rows) - skip_rows
            for column in piece.carried:  # a cell merged down over the page break
                merged = _extend_down(merged, len(rows) - 1, column)
            merged += [(r + base, c, rs, cs) for r, c, rs, cs in piece.merged if r >= skip_rows]
            header_at = anchors.get((number, HEADER_LINE))
            for index, row in enumerate(piece.grid):
                if index < skip_rows:
                    continue
                at = anchors.get((number, index))
                if at is None and index < len(piece.header):
                    at = header_at
                if at is None:  # a category row: its text leads the next row's line
                    at = next((anchors[(number, later)] for later in range(index + 1, len(piece.grid))
                               if (number, later) in anchors), None)
                rows.append(row)
                pages.append(printed[piece.page] if piece.page < len(printed) else None)
                spans.append(_cell_spans(row, index, inside, text, at))
                if at is not None:
                    lines.append(at)
            number += 1
        start = min(lines) if lines else -1
        end = max(text.find("\n", at) if text.find("\n", at) >= 0 else len(text) for at in lines) if lines else -1
        grids.append(Grid(
            rows=tuple(rows), cell_spans=tuple(spans), start=start, end=end, origin="pdf",
            header_rows=len(group[0].header) or None, row_pages=tuple(pages), merged=tuple(merged), caption=group[0].title,
        ))
    return tuple(grids)


def _extend_down(merged: list[Span], row: int, column: int) -> list[Span]:
    """The merged cell covering (row, column) grown one row down (a 1×1 cell becomes a span)."""
    for index, (r, c, rs, cs) in enumerate(merged):
        if r <= row < r + rs and c <= column < c + cs and r + rs - 1 == row:
            return [*merged[:index], (r, c, rs + 1, cs), *merged[index + 1 :]]
    return [*merged, (row, column, 2, 1)]


def _cell_spans(row: tuple[str, ...], index: int, inside: set[tuple[int, int]], text: str, at: int | None) -> tuple[tuple[int, int], ...]:
    if at is None:
        return tuple((-1, -1) for _ in row)
    line_end = text.find("\n", at)
    line_end = len(text) if line_end < 0 else line_end
    result = []
    cursor = at
    for column, cell in enumerate(row):
        if not cell or (index, column) in inside:
            result.append((-1, -1))
            continue
        found = text.find(cell, cursor, line_end)
        if found < 0:
            found = text.find(cell, at, line_end)
        if found < 0:
            result.append((-1, -1))
            continue
        result.append((found, found + len(cell)))
        cursor = found + len(cell)
    return tuple(result)
