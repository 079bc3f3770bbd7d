"""Ruled tables in PDFs: pdfplumber's table finder on the pages that have ruling lines.

PDFium reads every page's text; only a page whose vector paths could draw a grid (checked
cheaply from PDFium's page objects) is handed to pdfplumber, whose ``find_tables`` (lines
strategy) returns the grid. Merged cells come back as ``None``: they are filled from the cell
that spans them, so a two-level header gives ``规划目标/2020年`` and a parent cell (``（3）空气质量``)
reaches each of its sub-rows. A table that runs on at the top of the next page (with its header
repeated or not) is joined to the table it continues; every row keeps its own page.

Each table becomes a :class:`~planparse.document.Grid` (:func:`build_grids`): the cells as printed,
merged cells named, each row's printed page, each cell's place in the page text, where
:func:`printed_lines` writes the table one row per line, each printed cell once
(``（3）空气质量 | 地级及以上城市空气质量优良天数比率（%） | 约束性 | 85.0 | 87.5 | [2.5]``). The tables
stage reads the grid's cells; nothing re-parses those lines.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import regex

from .document import Grid

AREA_MARGIN = 4.0  # pt around the ruled area handed to pdfplumber (rule widths, text touching a rule)
_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_VALUE = regex.compile(r"^(?:[<>≤≥＜＞]=?)?\[?[-+]?\d[\d.,]*%?\]?$|^[-—－]{1,2}$")
_LEAF = regex.compile(
    r"^(?:\d{4}年\S*|(?:年均|五年)?(?:增长|增速|增幅|变化)(?:率)?\S*|累计\S*|\[累计\]\S*)$"
)
_LABEL = regex.compile(r"^[（(]\d{1,3}[）)]")
_YEAR = regex.compile(r"^(?:19|20)\d{2}$")


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
    title: str | None = None  # a first row of one cell across the table (专栏1主要指标)
    edges: tuple[float, ...] = ()  # x of the column boundaries, left to right (columns + 1 values)
    merged: tuple[Span, ...] = ()  # merged cells of header + rows
    header_boxes: tuple[tuple[float, float], ...] = ()  # (bottom, top) of each header row
    repeated: int = 0  # leading header rows repeating the header of the piece this one continues
    carried: tuple[int, ...] = ()  # columns of the first body row filled from the previous page's last row

    @property
    def grid(self) -> tuple[tuple[str, ...], ...]:
        return self.header + self.rows

    @property
    def width(self) -> int:
        return len((self.header or self.rows)[0]) if (self.header or self.rows) else 0

    def merged_width(self, row: int, column: int) -> int:
        """How many columns the cell at (row, column) of the grid spans."""
        return next((cs for r, c, rs, cs in self.merged if r <= row < r + rs and c <= column < c + cs), 1)

    def covered(self) -> set[tuple[int, int]]:
        """Grid positions inside a merged cell other than its first (top-left) one."""
        inside = set()
        for row, column, row_span, column_span in self.merged:
            for r in range(row, row + row_span):
                for c in range(column, column + column_span):
                    if (r, c) != (row, column):
                        inside.add((r, c))
        return inside



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
    """Mark a table that continues the last table of the previous page. A continuation is joined by
    layout: the same columns at the same x-positions, nothing but page furniture between the pieces
    (``adjoining``), and either no header or a header whose rows repeat rows of the first piece's
    header (a repeat may leave out a level). A row split over the page break is joined back
    (:func:`_rejoin_split_row`), a cell merged down over it filled (:func:`_carry`)."""
    result: list[RuledTable] = []
    first: RuledTable | None = None  # the first piece of the table the last piece belongs to
    for table in tables:
        previous = result[-1] if result else None
        if (
            previous is not None
            and first is not None
            and previous.page == table.page - 1
            and same_layout(previous, table)
            and not any(other.page == table.page for other in result)
            and adjoining(previous, table)
        ):
            candidate = _header_repeats(table, first.header)
            if not candidate.header or all(row in first.header for row in candidate.header):
                candidate = replace(candidate, continues=True, repeated=len(candidate.header))
                previous, candidate = _rejoin_split_row(previous, candidate)
                result[-1] = previous
                result.append(_carry(previous, candidate))
                continue
        piece = replace(table, continues=False)
        result.append(piece)
        first = piece
    return result


def _header_repeats(table: RuledTable, header: tuple[tuple[str, ...], ...]) -> RuledTable:
    """A continuation's header is only the rows repeating the first piece's header: rows the layout
    guess added after them (the empty rest of a row split over the break) go back to the body."""
    count = 0
    while count < len(table.header) and table.header[count] in header:
        count += 1
    if count == len(table.header) or count == 0:
        return table
    return replace(table, header=table.header[:count], rows=table.header[count:] + table.rows,
                   header_boxes=table.header_boxes[:count], row_boxes=table.header_boxes[count:] + table.row_boxes)


_ROW_START = regex.compile(r"^[（(]\d{1,3}[）)]")


def _rejoin_split_row(previous: RuledTable, table: RuledTable) -> tuple[RuledTable, RuledTable]:
    """A row that Word or LibreOffice split over the page break leaves its rest as the
    continuation's first row: no value, and text only where the previous page's last row has a cell
    that ran on (a long name, a parent cell merged down whose text did not fit). An empty rest is
    dropped; text that ran on is joined to the cell it continues, on both pages (the cell it belongs
    to may span rows of each piece)."""
    if not table.rows or not previous.rows:
        return previous, table
    at = len(table.header)
    rest, last = table.rows[0], previous.rows[-1]
    texts = {column: cell for column, cell in enumerate(rest) if cell}
    if any(not last[column] or _ROW_START.match(cell) or _VALUE.match(cell) for column, cell in texts.items()):
        return previous, table
    if texts and any(previous.merged_width(len(previous.grid) - 1, column) != table.merged_width(at, column) for column in texts):
        return previous, table
    joined = {column: last[column] + cell for column, cell in texts.items()}
    previous = _retext(previous, len(previous.grid) - 1, joined, last)
    table = _retext(table, at, joined, rest)
    merged = tuple((r - 1 if r > at else r, c, rs - 1 if r <= at < r + rs else rs, cs) for r, c, rs, cs in table.merged
                   if not (r == at and rs == 1))
    rows, boxes = table.rows[1:], table.row_boxes[1:]
    return previous, replace(table, rows=rows, row_boxes=boxes, merged=tuple(entry for entry in merged if entry[2] > 1 or entry[3] > 1),
                             carried=tuple(sorted(set(table.carried) | set(texts))))


def _retext(table: RuledTable, row: int, texts: dict[int, str], old: tuple[str, ...]) -> RuledTable:
    """Give the cells at (row, column) — and every position of the merged cell they belong to — new text."""
    grid = [list(cells) for cells in table.grid]
    for column, text in texts.items():
        span = next(((r, c, rs, cs) for r, c, rs, cs in table.merged if r <= row < r + rs and c <= column < c + cs),
                    (row, column, 1, 1))
        for r in range(span[0], span[0] + span[2]):
            for c in range(span[1], span[1] + span[3]):
                if grid[r][c] == old[column]:
                    grid[r][c] = text
    header = len(table.header)
    return replace(table, header=tuple(tuple(cells) for cells in grid[:header]), rows=tuple(tuple(cells) for cells in grid[header:]))


def _carry(previous: RuledTable, table: RuledTable) -> RuledTable:
    """A cell merged down over a page break is printed on the first page only: the continuation's
    first row then has empty cells where the previous page's last row has its label or attribute.
    Those cells are the spanning cell's: an empty leading cell beside the previous row's label, or
    an empty cell under a cell merged down to the previous piece's bottom. Fill them, down the rows
    the continuation's own cell covers (the grid records the span across the break)."""
    if not table.rows or not previous.rows:
        return table
    first, last = table.rows[0], previous.rows[-1]
    filled = next((index for index, cell in enumerate(first) if cell), None)
    if filled is None:
        return table
    bottom = len(previous.grid) - 1
    merged_down = {c for r, c, rs, cs in previous.merged if rs > 1 and r + rs - 1 == bottom and cs == 1}
    columns = tuple(index for index, cell in enumerate(first)
                    if not cell and index < len(last) and last[index] and (index < filled or index in merged_down))
    if not columns:
        return table
    at = len(table.header)
    rows = [list(row) for row in table.rows]
    for column in columns:
        span = next((rs for r, c, rs, cs in table.merged if (r, c) == (at, column) and cs == 1), 1)
        for index in range(min(span, len(rows))):
            if not rows[index][column]:
                rows[index][column] = last[column]
    return replace(table, rows=tuple(tuple(row) for row in rows), carried=tuple(sorted(set(table.carried) | set(columns))))


def groups(tables: list[RuledTable]) -> list[list[RuledTable]]:
    """Joined pieces grouped per table: a first piece and its continuations."""
    result: list[list[RuledTable]] = []
    for table in tables:
        if table.continues and result:
            result[-1].append(table)
        else:
            result.append([table])
    return result


TITLE_LINE = -1  # the grid row of a table's title line (a first row of one cell across the table)
CELL_SEPARATOR = " | "  # between the cells of a row in the page text (as Word tables are written)
LocalSpans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class PrintedLine:
    """One line of a ruled table in the page text: a title, or one grid row with each cell printed
    once (a merged cell at its first position only), cells separated by :data:`CELL_SEPARATOR`."""

    text: str
    box: tuple[float, float] | None  # (bottom, top) of the row in user space; None when unknown
    row: int  # the piece's grid row (header rows first), or TITLE_LINE
    cells: LocalSpans  # per grid column, [start, end) of its text in ``text``; (-1, -1) when not printed


def printed_lines(table: RuledTable) -> list[PrintedLine]:
    """The table as the page prints it: its title (a first piece's title row), then every row of
    its grid (a continuation's repeated header too), each printed cell once."""
    lines = []
    if table.title is not None and not table.continues:
        lines.append(PrintedLine(table.title, None, TITLE_LINE, ()))
    inside = table.covered() | {(len(table.header), column) for column in table.carried}
    boxes = [*table.header_boxes, *table.row_boxes]
    for index, row in enumerate(table.grid):
        pieces: list[str] = []
        spans: list[tuple[int, int]] = []
        length = 0
        for column, cell in enumerate(row):
            if not cell or (index, column) in inside:
                spans.append((-1, -1))
                continue
            if pieces:
                pieces.append(CELL_SEPARATOR)
                length += len(CELL_SEPARATOR)
            spans.append((length, length + len(cell)))
            pieces.append(cell)
            length += len(cell)
        if pieces:
            lines.append(PrintedLine("".join(pieces), boxes[index] if index < len(boxes) else None, index, tuple(spans)))
    return lines


def build_grids(pieces: list[RuledTable], printed: list[int | None], anchors: dict[tuple[int, int], int]) -> tuple[Grid, ...]:
    """One :class:`Grid` per ruled table (its continuations joined): the cells as printed, merged
    cells filled and named in ``merged``, the header rows as the layout shows them (the rows above
    the first row with a row label or a value; a header merged over two rows counts both), each
    row's printed page, and each printed cell's place in the source text. ``anchors`` gives, per
    (piece number, grid row), the source offset of the row's :func:`printed_lines` line; a merged
    cell's other positions have ``(-1, -1)``. The grid's span runs from its first row's line to the
    end of its last line (its title line stands before it)."""
    grids = []
    number = 0
    for group in groups(pieces):
        rows: list[tuple[str, ...]] = []
        spans: list[tuple[tuple[int, int], ...]] = []
        pages: list[int | None] = []
        merged: list[Span] = []
        starts: list[int] = []
        ends: list[int] = []
        for piece in group:
            skip_rows = piece.repeated if piece.continues else 0
            base = len(rows) - skip_rows
            first_body = len(piece.header)
            carried: dict[int, int] = {}  # column → rows of this piece the cell merged down over the break covers
            for column in piece.carried:
                carried[column] = next((rs for r, c, rs, cs in piece.merged if (r, c) == (first_body, column) and cs == 1), 1)
                merged = _extend_down(merged, len(rows) - 1, column, carried[column])
            merged += [(r + base, c, rs, cs) for r, c, rs, cs in piece.merged
                       if r >= skip_rows and not (r == first_body and c in carried and cs == 1)]
            lines = {line.row: line for line in printed_lines(piece)}
            for index, row in enumerate(piece.grid):
                at = anchors.get((number, index))
                line = lines.get(index)
                if at is not None and line is not None:
                    starts.append(at)
                    ends.append(at + len(line.text))
                if index < skip_rows:
                    continue
                rows.append(row)
                pages.append(printed[piece.page] if piece.page < len(printed) else None)
                if at is None or line is None:
                    spans.append(tuple((-1, -1) for _ in row))
                else:
                    spans.append(tuple((at + start, at + end) if start >= 0 else (-1, -1) for start, end in line.cells))
            number += 1
        grids.append(Grid(
            rows=tuple(rows), cell_spans=tuple(spans), start=min(starts, default=-1), end=max(ends, default=-1), origin="pdf",
            header_rows=len(group[0].header) or None, row_pages=tuple(pages), merged=tuple(merged), caption=group[0].title,
        ))
    return tuple(grids)


def _extend_down(merged: list[Span], row: int, column: int, rows: int = 1) -> list[Span]:
    """The merged cell covering (row, column) grown ``rows`` rows down (a 1×1 cell becomes a span)."""
    for index, (r, c, rs, cs) in enumerate(merged):
        if r <= row < r + rs and c <= column < c + cs and r + rs - 1 == row:
            return [*merged[:index], (r, c, rs + rows, cs), *merged[index + 1 :]]
    return [*merged, (row, column, 1 + rows, 1)]
