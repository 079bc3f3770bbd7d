"""HTML pages (government sites, saved articles) read into a :class:`TextView`.

Block elements (``p``, ``div``, ``li``, ``br``, ``h1``–``h6``, table rows …) end lines; ``h1``–``h6``
become heading lines with their level, ``b``/``strong`` bold spans (a paragraph wholly in bold is a
heading line of level 0), ``img`` images, ``<table>`` a :class:`Grid` with its cells (``th`` rows
as header rows, ``rowspan``/``colspan`` filled from the spanning cell), ``<title>`` and
``<meta name=…>`` front matter. ``script`` and ``style`` contents are dropped. Every kept
character maps back to its offset in the decoded HTML; an entity (``&nbsp;``, ``&#12288;``)
maps to its own offset.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

import regex

from ..document import Grid, TextView
from ..offsets import OffsetMapBuilder

_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "section", "article", "header",
    "footer", "blockquote", "pre", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "details", "summary",
    "caption", "center", "form", "main", "nav", "aside", "figure", "figcaption",
}
_SKIP = {"script", "style", "noscript", "template"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BOLD = {"b", "strong"}
_SPACE = regex.compile(r"[\s\u00a0\u3000]+")


@dataclass
class _Cell:
    text: list[str] = field(default_factory=list)
    start: int = -1
    end: int = -1
    header: bool = False
    rowspan: int = 1
    colspan: int = 1


@dataclass
class _Table:
    start: int
    rows: list[list[_Cell]] = field(default_factory=list)
    caption: list[str] = field(default_factory=list)
    in_caption: bool = False


class _ViewParser(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0]
        for index, char in enumerate(source):
            if char == "\n":
                self.line_starts.append(index + 1)
        self.out = OffsetMapBuilder()
        self.skip_depth = 0
        self.headings: list[tuple[int, int]] = []
        self.heading_open: tuple[int, int] | None = None
        self.bold: list[tuple[int, int]] = []
        self.quotes: list[tuple[int, int]] = []
        self.quote_open: list[int] = []
        self.bold_open: list[int] = []
        self.images: list[tuple[int, str]] = []
        self.meta: list[tuple[str, str]] = []
        self.title: list[str] | None = None
        self.tables: list[_Table] = []
        self.grids: list[Grid] = []
        self.cell: _Cell | None = None
        self.line_start = 0
        self.toc_start: int | None = None
        self.toc_end: int | None = None
        self.details_depth = 0

    # ------------------------------------------------------------ positions

    def _position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def newline(self) -> None:
        if self.out.length and not self.out.parts[-1].endswith("\n"):
            self._close_line()
            self.out.insert("\n", self._position())
        self.line_start = self.out.length

    def _close_line(self) -> None:
        """A line whose text lay wholly inside one bold span is a heading line of level 0."""
        end = self.out.length
        wholly_bold = end > self.line_start and any(start <= self.line_start and stop >= end for start, stop in self.bold)
        if wholly_bold and not any(at == self.line_start for at, _ in self.headings):
            self.headings.append((self.line_start, 0))

    # ------------------------------------------------------------ text

    def _text(self, data: str, origin: int) -> None:
        if self.skip_depth:
            return
        if self.title is not None:
            self.title.append(data)
            return
        table = self.tables[-1] if self.tables else None
        if table is not None and table.in_caption:
            table.caption.append(data)
        if self.cell is not None:
            if self.cell.start < 0 and data.strip():
                self.cell.start = origin + len(data) - len(data.lstrip())
            if data.strip():
                self.cell.end = origin + len(data.rstrip())
            self.cell.text.append(data)
        # Whitespace runs collapse as a browser would; a run at a line start vanishes.
        cursor = 0
        for match in _SPACE.finditer(data):
            self.out.keep(data[cursor : match.start()], origin + cursor)
            at_line_start = self.out.length == self.line_start
            if not at_line_start and match.end() < len(data) or (not at_line_start and match.end() == len(data)):
                self.out.keep(" ", origin + match.start())
            cursor = match.end()
        self.out.keep(data[cursor:], origin + cursor)

    def handle_data(self, data: str) -> None:
        self._text(data, self._position())

    def handle_entityref(self, name: str) -> None:
        self._text(html.unescape(f"&{name};"), self._position())

    def handle_charref(self, name: str) -> None:
        self._text(html.unescape(f"&#{name};"), self._position())

    # ------------------------------------------------------------ tags

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        values = {key: value or "" for key, value in attrs}
        if tag == "title":
            self.title = []
            return
        if tag == "meta" and values.get("name") and values.get("content"):
            self.meta.append((values["name"], values["content"]))
            return
        if tag in _BLOCK:
            self.newline()
        if tag in _HEADINGS:
            self.heading_open = (self.out.length, _HEADINGS[tag])
        elif tag in _BOLD:
            self.bold_open.append(self.out.length)
        elif tag == "blockquote":
            self.quote_open.append(self.out.length)
        elif tag == "img":
            self.images.append((self.out.length, values.get("alt") or values.get("title") or values.get("src", "")))
        elif tag == "details":
            self.details_depth += 1
            if self.toc_start is None:
                self.toc_start = self.out.length
        elif tag == "table":
            self.tables.append(_Table(self._position()))
        elif tag == "caption" and self.tables:
            self.tables[-1].in_caption = True
        elif tag == "tr" and self.tables:
            self.tables[-1].rows.append([])
        elif tag in ("td", "th") and self.tables and self.tables[-1].rows:
            self.cell = _Cell(header=tag == "th", rowspan=_span(values.get("rowspan")), colspan=_span(values.get("colspan")))
            self.tables[-1].rows[-1].append(self.cell)
            if len(self.tables[-1].rows[-1]) > 1:
                self.out.insert(" | ", self._position())

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr", "meta"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if self.skip_depth:
            return
        if tag == "title" and self.title is not None:
            text = _SPACE.sub(" ", "".join(self.title)).strip()
            if text:
                self.meta.append(("title", text))
            self.title = None
            return
        if tag in _HEADINGS and self.heading_open is not None:
            start, level = self.heading_open
            if self.out.length > start:
                self.headings.append((start, level))
            self.heading_open = None
        elif tag in _BOLD and self.bold_open:
            start = self.bold_open.pop()
            if self.out.length > start:
                self.bold.append((start, self.out.length))
        elif tag == "blockquote" and self.quote_open:
            start = self.quote_open.pop()
            if self.out.length > start and not self.quote_open:
                self.quotes.append((start, self.out.length))  # the outermost quote: a box's extent
        elif tag == "details":
            self.details_depth = max(0, self.details_depth - 1)
            if self.details_depth == 0 and self.toc_start is not None and self.toc_end is None:
                self.newline()
                self.toc_end = self.out.length
        elif tag in ("td", "th"):
            self.cell = None
        elif tag == "caption" and self.tables:
            self.tables[-1].in_caption = False
        elif tag == "table" and self.tables:
            table = self.tables.pop()
            grid = _grid(table, self._position())
            if grid is not None:
                self.grids.append(grid)
        if tag in _BLOCK:
            self.newline()

    def view(self) -> tuple[TextView, tuple[Grid, ...]]:
        self._close_line()
        if self.quote_open:  # a blockquote left open runs to the end, as a browser reads it
            self.quotes.append((self.quote_open[0], self.out.length))
            self.quote_open = []
        text, mapping = self.out.build()
        toc = (self.toc_start, self.toc_end) if self.toc_start is not None and self.toc_end else None
        headings = tuple(sorted(set(self.headings)))
        return (
            TextView(text=text, to_source=mapping, heading_lines=headings, toc_span=toc, images=tuple(self.images),
                     meta=tuple(self.meta), bold=tuple(sorted(self.bold)), quotes=tuple(sorted(self.quotes))),
            tuple(sorted(self.grids, key=lambda grid: grid.start)),
        )


def _span(value: str | None) -> int:
    try:
        return max(1, min(100, int(value or 1)))
    except ValueError:
        return 1


def _grid(table: _Table, end: int) -> Grid | None:
    """Lay the table's cells on a grid, filling row and column spans from the spanning cell."""
    placed: dict[tuple[int, int], tuple[str, tuple[int, int]]] = {}
    merged: list[tuple[int, int, int, int]] = []
    header_rows = 0
    for row_index, row in enumerate(table.rows):
        column = 0
        for cell in row:
            while (row_index, column) in placed:
                column += 1
            text = _SPACE.sub(" ", html.unescape("".join(cell.text))).strip()
            span = (cell.start, cell.end) if text else (-1, -1)
            if cell.rowspan > 1 or cell.colspan > 1:
                merged.append((row_index, column, cell.rowspan, cell.colspan))
            for down in range(cell.rowspan):
                for across in range(cell.colspan):
                    placed[(row_index + down, column + across)] = (text, span if not (down or across) else (-1, -1))
            column += cell.colspan
        if row and all(cell.header for cell in row) and row_index == header_rows:
            header_rows += 1
    if not placed:
        return None
    height = max(row for row, _ in placed) + 1
    width = max(column for _, column in placed) + 1
    rows = tuple(tuple(placed.get((r, c), ("", (-1, -1)))[0] for c in range(width)) for r in range(height))
    spans = tuple(tuple(placed.get((r, c), ("", (-1, -1)))[1] for c in range(width)) for r in range(height))
    caption = _SPACE.sub(" ", "".join(table.caption)).strip() or None
    return Grid(rows=rows, cell_spans=spans, start=table.start, end=end, origin="html",
                header_rows=header_rows or None, merged=tuple(merged), caption=caption)


def html_view(text: str) -> tuple[TextView, tuple[Grid, ...]]:
    """The plain view of an HTML document and its tables (see the module docstring)."""
    parser = _ViewParser(text)
    parser.feed(text)
    parser.close()
    return parser.view()
