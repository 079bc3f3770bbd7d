"""Markdown as published (front matter, ``#`` headings, ``**bold**`` lines, ``<details>`` TOCs,
images, pipe tables with ``<br>`` in cells) read into a :class:`TextView`.

The view is the document's plain text, line by line, with every mark removed; each kept character
maps back to its offset in the decoded Markdown, so records cite the file as published. What the
marks said is kept as hints: heading lines (with their ``#`` level, or 0 for a line set wholly in
bold), bold spans, the TOC a ``<details>`` block delimits, images, and pipe tables as
:class:`Grid`\\ s with their cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex
import yaml

from ..document import Grid, TextView
from ..offsets import OffsetMapBuilder

_FRONT_MATTER = regex.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", regex.S)
_COMMENT = regex.compile(r"<!--.*?-->", regex.S)
_HEADING = regex.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+")
_QUOTE = regex.compile(r"^[ \t]*(?:>[ \t]?)+")
_BULLET = regex.compile(r"^[ \t]*[-*+][ \t]+")
_TABLE_ROW = regex.compile(r"^[ \t]*\|")
_SEPARATOR_ROW = regex.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*(?:\|[ \t]*)*$")
# Inline marks: images, links, bold/italic markers, HTML tags (<br>, <details>, <summary> …).
_INLINE = regex.compile(
    r"(?P<image>!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]*)(?:\s+\"(?P<caption>[^\"]*)\")?[^)]*\))"
    r"|(?P<link>\[(?P<label>[^\]]*)\]\([^)]*\))"
    r"|(?P<bold>\*\*|__)"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>)"
    r"|(?P<escape>\\(?P<escaped>[\\`*_{}\[\]()#+\-.!|>]))"
)
_DETAILS_OPEN = regex.compile(r"^\s*<details>\s*$", regex.I)
_DETAILS_CLOSE = regex.compile(r"^\s*</details>\s*$", regex.I)
_CELL_SPACE = regex.compile(r"[\s\u00a0\u3000]+")


@dataclass
class _Builder:
    """The view under construction: text, offset map and hints."""

    out: OffsetMapBuilder = field(default_factory=OffsetMapBuilder)
    headings: list[tuple[int, int]] = field(default_factory=list)
    bold: list[tuple[int, int]] = field(default_factory=list)
    images: list[tuple[int, str]] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    toc_start: int | None = None
    toc_end: int | None = None
    quotes: list[tuple[int, int]] = field(default_factory=list)
    quote_start: int | None = None  # view offset where the open blockquote's text begins

    @property
    def length(self) -> int:
        return self.out.length

    def newline(self, origin: int) -> None:
        if self.out.length and not self.out.parts[-1].endswith("\n"):
            self.out.insert("\n", origin)

    def quote(self, inside: bool) -> None:
        """Open or close the blockquote run (``>`` lines) the next line belongs to or ends."""
        if inside and self.quote_start is None:
            self.quote_start = self.length
        elif not inside and self.quote_start is not None:
            if self.length > self.quote_start:
                self.quotes.append((self.quote_start, self.length))
            self.quote_start = None


def _inline(builder: _Builder, line: str, origin: int) -> tuple[int, int | None]:
    """Copy one line's text without its inline marks; return (view start, view end of a bold lead
    that opens the line, or None)."""
    start = builder.length
    cursor = 0
    bold_open: int | None = None
    lead_end: int | None = None
    for match in _INLINE.finditer(line):
        builder.out.keep(line[cursor : match.start()], origin + cursor)
        cursor = match.end()
        if match.group("image") is not None:
            # What the picture stands for: its alt text, else its title ("专栏1 …主要指标"), else its file.
            builder.images.append((builder.length, match.group("alt") or match.group("caption") or match.group("src")))
        elif match.group("link") is not None:
            label_start = match.start("label")
            builder.out.keep(match.group("label"), origin + label_start)
        elif match.group("bold") is not None:
            if bold_open is None:
                bold_open = builder.length
            else:
                if bold_open < builder.length:
                    builder.bold.append((bold_open, builder.length))
                    if bold_open == start and lead_end is None:
                        lead_end = builder.length
                bold_open = None
        elif match.group("escape") is not None:
            builder.out.keep(match.group("escaped"), origin + match.start("escaped"))
        # tags (<br>, <summary> …) vanish
    builder.out.keep(line[cursor:], origin + cursor)
    return start, lead_end


def _split_cells(line: str) -> list[tuple[str, int]]:
    """(cell text without marks, offset of its first character in the line) of one pipe row."""
    cells: list[tuple[str, int]] = []
    body = line.rstrip()
    first = body.find("|")
    position = first + 1
    while position <= len(body):
        bar = body.find("|", position)
        while bar > 0 and body[bar - 1] == "\\":
            bar = body.find("|", bar + 1)
        if bar == -1:
            if body[position:].strip():
                cells.append((body[position:], position))
            break
        cells.append((body[position:bar], position))
        position = bar + 1
    return cells


def _cell_text(raw: str) -> str:
    text = _INLINE.sub(lambda m: m.group("label") or m.group("escaped") or "", raw)
    return _CELL_SPACE.sub(" ", text).strip()


def _table(builder: _Builder, lines: list[tuple[str, int]]) -> None:
    """A block of pipe rows: a Grid with its cells, and the rows as lines of the view."""
    rows: list[tuple[str, ...]] = []
    spans: list[tuple[tuple[int, int], ...]] = []
    header_rows: int | None = None
    for line, origin in lines:
        if _SEPARATOR_ROW.match(line):
            if header_rows is None:
                header_rows = len(rows)
            continue
        cells = _split_cells(line)
        texts = []
        cell_spans = []
        builder.newline(origin)
        for index, (raw, at) in enumerate(cells):
            text = _cell_text(raw)
            texts.append(text)
            left = len(raw) - len(raw.lstrip())
            right = len(raw.rstrip())
            cell_spans.append((origin + at + left, origin + at + right) if text else (-1, -1))
            if index:
                builder.out.insert(" | ", origin + at)
            _inline(builder, raw.strip(), origin + at + left)
        rows.append(tuple(texts))
        spans.append(tuple(cell_spans))
    width = max((len(row) for row in rows), default=0)
    # Trailing empty columns (a ragged `| |` at the row ends) carry nothing.
    while width and all(len(row) < width or not row[width - 1] for row in rows):
        width -= 1
    rows = [tuple(row[:width]) + ("",) * (width - len(row[:width])) for row in rows]
    spans = [tuple(span[:width]) + ((-1, -1),) * (width - len(span[:width])) for span in spans]
    if rows and width:
        start = lines[0][1] + len(lines[0][0]) - len(lines[0][0].lstrip())
        end = lines[-1][1] + len(lines[-1][0].rstrip())
        builder.grids.append(
            Grid(rows=tuple(rows), cell_spans=tuple(spans), start=start, end=end, origin="markdown", header_rows=header_rows)
        )


def _front_matter(text: str) -> tuple[tuple[tuple[str, str], ...], int]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return (), 0
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return (), 0
    if not isinstance(data, dict):
        return (), match.end()
    meta = tuple((str(key), str(value)) for key, value in data.items() if isinstance(value, (str, int, float)))
    return meta, match.end()


def _blank_comments(text: str) -> str:
    """HTML comments become spaces (offsets stay put), keeping their line breaks."""
    return _COMMENT.sub(lambda m: regex.sub(r"[^\n]", " ", m.group()), text)


def markdown_view(text: str) -> tuple[TextView, tuple[Grid, ...]]:
    """The plain view of a Markdown document and its pipe tables (see the module docstring)."""
    meta, body_start = _front_matter(text)
    work = _blank_comments(text)
    builder = _Builder()
    lines: list[tuple[str, int]] = []
    position = body_start
    for line in work[body_start:].splitlines(keepends=True):
        lines.append((line.rstrip("\r\n"), position))
        position += len(line)
    index = 0
    while index < len(lines):
        line, origin = lines[index]
        # A blockquote (a box, as the outlines publish them) runs over its ``>`` lines, the bare
        # ``>`` lines between its paragraphs included; any other line ends it.
        builder.quote(_QUOTE.match(line) is not None)
        if _TABLE_ROW.match(line):
            block = []
            while index < len(lines) and _TABLE_ROW.match(lines[index][0]):
                block.append(lines[index])
                index += 1
            _table(builder, block)
            continue
        index += 1
        if _DETAILS_OPEN.match(line):
            builder.newline(origin)
            builder.toc_start = builder.length
            continue
        if _DETAILS_CLOSE.match(line):
            builder.newline(origin)
            if builder.toc_start is not None and builder.toc_end is None:
                builder.toc_end = builder.length
            continue
        if not line.strip():
            continue
        level = 0
        cut = 0
        heading = _HEADING.match(line)
        if heading:
            level, cut = len(heading.group(1)), heading.end()
        else:
            for pattern in (_QUOTE, _BULLET):
                mark = pattern.match(line, cut)
                if mark:
                    cut = mark.end()
        content = line[cut:].rstrip()
        stripped = content.lstrip()
        cut += len(content) - len(stripped)
        if not stripped.strip("*_ "):
            continue  # a rule (***) or an empty bold pair
        builder.newline(origin)
        start, lead_end = _inline(builder, stripped, origin + cut)
        end = builder.length
        if start == end:
            continue
        if level:
            builder.headings.append((start, level))
        elif lead_end is not None and lead_end >= end:
            builder.headings.append((start, 0))  # a line set wholly in bold
    if builder.toc_start is not None and builder.toc_end is None:
        builder.toc_end = builder.length
    builder.quote(False)
    view_text, mapping = builder.out.build()
    toc_span = (builder.toc_start, builder.toc_end) if builder.toc_start is not None and builder.toc_end else None
    return (
        TextView(
            text=view_text,
            to_source=mapping,
            heading_lines=tuple(builder.headings),
            toc_span=toc_span,
            images=tuple(builder.images),
            meta=meta,
            bold=tuple(builder.bold),
            quotes=tuple(builder.quotes),
        ),
        tuple(builder.grids),
    )
