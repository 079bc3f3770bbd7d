"""A tiny Markdown pipe-table reader for tests: the corpus's tables as :class:`planparse.document.Grid`
values (with source offsets), and as the text and damaged text a table leaves in plain text.

It stands in for the Markdown loader until that fills ``SourceDocument.grids``: a table is a run of
lines that start with ``|``; a ``| --- |`` line ends the header; the caption is a ``**表N …**`` line
just before the table (blank lines between allowed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from planparse.document import Grid

_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_CAPTION = re.compile(r"^\*\*(表\s?\d{1,3}.*?)\*\*\s*$")


@dataclass(frozen=True)
class PipeTable:
    grid: Grid
    caption: str | None
    line: int  # 1-based line of the table's first row


def _cells(line: str, offset: int) -> tuple[list[str], list[tuple[int, int]]]:
    """Cell texts and their [start, end) source offsets (stripped) of one table line."""
    texts, spans = [], []
    bars = [index for index, char in enumerate(line) if char == "|"]
    if not bars:
        return [], []
    if bars[0] != 0:
        bars.insert(0, -1)
    if bars[-1] != len(line.rstrip()) - 1:
        bars.append(len(line.rstrip()))
    for left, right in zip(bars, bars[1:]):
        raw = line[left + 1 : right]
        stripped = raw.strip()
        start = left + 1 + (len(raw) - len(raw.lstrip()))
        texts.append(stripped)
        spans.append((offset + start, offset + start + len(stripped)) if stripped else (-1, -1))
    return texts, spans


def pipe_tables(text: str) -> list[PipeTable]:
    """Every pipe table of a Markdown text."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    found: list[PipeTable] = []
    index = 0
    while index < len(lines):
        if not lines[index].lstrip().startswith("|"):
            index += 1
            continue
        first = index
        rows: list[tuple[str, ...]] = []
        spans: list[tuple[tuple[int, int], ...]] = []
        header_rows = None
        while index < len(lines) and lines[index].lstrip().startswith("|"):
            line = lines[index]
            if _SEPARATOR.match(line.strip()):
                header_rows = len(rows)
            else:
                cells, cell_spans = _cells(line, offsets[index])
                rows.append(tuple(cells))
                spans.append(tuple(cell_spans))
            index += 1
        caption = None
        back = first - 1
        while back >= 0 and not lines[back].strip() and first - back <= 3:
            back -= 1
        if back >= 0 and (match := _CAPTION.match(lines[back].strip())):
            caption = match.group(1)
        grid = Grid(tuple(rows), tuple(spans), offsets[first], offsets[index] - 1, "markdown", header_rows, caption=caption)
        found.append(PipeTable(grid, caption, first + 1))
    return found


def corpus_tables(path: Path) -> list[PipeTable]:
    return pipe_tables(path.read_text(encoding="utf-8"))
