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

from .tables import vocabulary

_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_VALUE = regex.compile(r"^(?:[<>≤≥＜＞]=?)?\[?[-+]?\d[\d.,]*%?\]?$|^[-—－]{1,2}$")
_LEAF = regex.compile(
    r"^(?:\d{4}年\S*|(?:年均|五年)?(?:增长|增速|增幅|变化)(?:率)?\S*|累计\S*|\[累计\]\S*)$"
)
_LABEL = regex.compile(r"^[（(]\d{1,3}[）)]")
_YEAR = regex.compile(r"^(?:19|20)\d{2}$")
_SKIP_LABELS = {"属性", "单位"}


@dataclass(frozen=True)
class RuledTable:
    """One ruled table on one page (a continuation is a separate piece with ``continues`` set)."""

    page: int  # 0-based physical page index
    bbox: tuple[float, float, float, float]  # x0, bottom, x1, top in PDF user space (origin bottom left)
    header: tuple[tuple[str, ...], ...]  # filled header rows
    rows: tuple[tuple[str, ...], ...]  # filled body rows
    row_boxes: tuple[tuple[float, float], ...]  # (bottom, top) of each body row, user space
    continues: bool = False  # the rows continue the table on the previous page
    columns: tuple[str, ...] = field(default=())  # header paths (from this piece or the one it continues)
    title: str | None = None  # a first row of one cell across the table (专栏1主要指标)


def has_ruling(page: Any) -> bool:
    """True when the PDFium page's paths rule at least a 2×2 grid (see :mod:`planparse.io.pdf.ruling`)."""
    from .io.pdf.ruling import has_grid

    return has_grid(page)


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

    def find(self, index: int) -> list[RuledTable]:
        page = self._open().pages[index]
        try:
            height = float(page.height)
            found = []
            for table in page.find_tables(_SETTINGS):
                grid = _filled(table)
                if sum(1 for row in grid if sum(1 for cell in row if cell) >= 2) < 2:
                    continue  # a frame around a box or a chart's grid, not a table of text
                x0, top, x1, bottom = table.bbox
                title = None
                if len(grid) > 2 and len(set(grid[0])) == 1 and grid[0][0] and not _LEAF.match(grid[0][0]):
                    title, grid = grid[0][0], grid[1:]  # one cell across the table: its title
                skip = 1 if title is not None else 0
                header_count = _header_rows(grid)
                row_boxes = tuple((height - row.bbox[3], height - row.bbox[1]) for row in table.rows[skip + header_count :])
                rows = [tuple(row) for row in grid]
                found.append(
                    RuledTable(index, (x0, height - bottom, x1, height - top), tuple(rows[:header_count]),
                               tuple(rows[header_count:]), row_boxes, title=title)
                )
            return found
        finally:
            page.close()

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None


def _clean(text: str | None) -> str:
    return regex.sub(r"\s+", "", text or "")


def _filled(table: Any) -> list[list[str]]:
    """The table's grid with every merged position filled from the cell that spans it."""
    texts = table.extract()
    spans: list[tuple[tuple[float, float, float, float], str]] = []
    for row, values in zip(table.rows, texts):
        for cell, value in zip(row.cells, values):
            if cell is not None:
                spans.append((cell, _clean(value)))
    # Grid lines from the cells' edges: a merged cell's own box would blur a column or row.
    xs = sorted({round(box[0], 1) for box, _ in spans} | {round(box[2], 1) for box, _ in spans})
    ys = sorted({round(box[1], 1) for box, _ in spans} | {round(box[3], 1) for box, _ in spans})
    grid: list[list[str]] = []
    for row_index, (row, values) in enumerate(zip(table.rows, texts)):
        line = []
        for index, (cell, value) in enumerate(zip(row.cells, values)):
            if cell is not None:
                line.append(_clean(value))
                continue
            if index + 1 >= len(xs) or row_index + 1 >= len(ys):
                line.append("")
                continue
            x = (xs[index] + xs[index + 1]) / 2
            y = (ys[row_index] + ys[row_index + 1]) / 2
            owner = next((text for box, text in spans if box[0] <= x <= box[2] and box[1] <= y <= box[3]), "")
            line.append(owner)
        grid.append(line)
    return grid


def _header_rows(grid: list[list[str]]) -> int:
    """Leading rows that hold no row label and no value (a bare year such as 2025 is a header)."""
    count = 0
    for row in grid:
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


def join_continuations(
    tables: list[RuledTable], adjoining: Callable[[RuledTable, RuledTable], bool] = lambda first, second: True
) -> list[RuledTable]:
    """Mark a table that continues the last table of the previous page (same number of columns;
    header repeated or absent; ``adjoining``: no body text after the first piece or before the
    second) and give every piece its columns."""
    result: list[RuledTable] = []
    for table in tables:
        previous = result[-1] if result else None
        width = len((table.header or table.rows)[0])
        if (
            previous is not None
            and previous.page == table.page - 1
            and len(previous.columns) == width
            and (not table.header or header_paths(table.header) == list(previous.columns))
            and not any(other.page == table.page for other in result)
            and adjoining(previous, table)
        ):
            result.append(replace(table, continues=True, columns=previous.columns))
            continue
        result.append(replace(table, continues=False, columns=tuple(header_paths(table.header)) if table.header else ()))
    return result


def table_lines(table: RuledTable) -> list[tuple[str, tuple[float, float] | None]]:
    """The table as text lines (title and header first unless it continues), each with its row's box."""
    lines = _table_lines(table)
    if table.title is not None and not table.continues:
        return [(table.title, None), *lines]
    return lines


def _table_lines(table: RuledTable) -> list[tuple[str, tuple[float, float] | None]]:
    paths = list(table.columns)
    if not paths:
        # No header anywhere: the rows alone, cells separated by spaces.
        return [(" ".join(cell for cell in row if cell), box) for row, box in zip(table.rows, table.row_boxes)]
    value_columns = [index for index, path in enumerate(paths) if _LEAF.match(path.rsplit("/", 1)[-1])]
    if not value_columns:
        # Not an indicator table (a ruled list of projects …): its cells in reading order.
        rows: list[tuple[str, tuple[float, float] | None]] = [
            (" ".join(_distinct(list(row))), box) for row, box in zip(table.rows, table.row_boxes)
        ]
        return rows if table.continues else [(" ".join(_distinct(paths)), None), *rows]
    first_value = value_columns[0]
    lines: list[tuple[str, tuple[float, float] | None]] = []
    if not table.continues:
        labels = _distinct(paths[:first_value])
        values = [paths[index] for index in value_columns]
        lines.append((" ".join([*labels, *values]), None))
    for row, box in zip(table.rows, table.row_boxes):
        label_cells = [(paths[index] if index < len(paths) else "", row[index]) for index in range(min(first_value, len(row)))]
        names = _distinct([cell for path, cell in label_cells if path not in _SKIP_LABELS and path != "序号"])
        serial = next((cell for path, cell in label_cells if path == "序号" and cell.isdigit()), None)
        if serial is not None and names and not any(_LABEL.match(name) for name in names):
            # （N） before the first name that is not a category: the form parse_rows reads.
            categories = set(vocabulary()["categories"])
            at = next((index for index, name in enumerate(names) if name not in categories), 0)
            names[at] = f"（{serial}）{names[at]}"
        unit = next((cell for path, cell in label_cells if path == "单位" and cell), None)
        attribute = next((cell for path, cell in label_cells if path == "属性" and cell), None)
        text = "|".join(names)
        if unit:
            text += f"（{unit.strip('（）()')}）"
        if attribute:
            text += f" {attribute}"
        values = [row[index] for index in value_columns if index < len(row)]
        # A row without any value is a parent row (its label covers the sub-rows below);
        # otherwise an empty cell is printed as not applicable.
        cells = [value or "--" for value in values] if any(values) else []
        if not cells:
            text += "|"  # an explicit parent: its label ends at the separator, not at a line break
        lines.append((f"{text} {' '.join(cells)}".strip(), box))
    return lines


def _distinct(cells: list[str]) -> list[str]:
    """Cells without the repeats a horizontal span leaves (and without empty ones)."""
    result: list[str] = []
    for cell in cells:
        if cell and (not result or result[-1] != cell):
            result.append(cell)
    return result
