"""Where a table starts: a header of labels followed by rows that share the row grammar.

Evidence first, decision second: every place where a header could start (a name or number label
such as 指标, 项目, 产品名称, 序号, or, in line-broken text, a line of labels) is a candidate; a
candidate is a table header when its labels hold at least one value column and the text after it
parses as rows with cells (name, then numbers, dashes or word cells), at least two of them. The
vocabulary only proposes candidates; the rows decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import regex

from . import lexicon
from .header import VALUE_ROLES, label_at, layout_of, scan_labels
from .rows import parse_rows

ROW_WINDOW = 400  # characters after a header read to confirm its rows
MIN_ROWS = 2  # rows with cells that confirm a header


def _candidate(text: str, position: int, limit: int, breaks: frozenset[int]) -> bool:
    label = label_at(text, position, limit)
    if label is None:
        return False
    if label.role in ("name", "number"):
        return True
    return position in breaks and label.role in VALUE_ROLES


def confirmed_rows(text: str, start: int, breaks: frozenset[int], body_limit: int | None = None) -> int | None:
    """The header's end when the header at ``start`` has value columns and rows follow it."""
    limit = len(text) if body_limit is None else body_limit
    labels = scan_labels(text, start, limit, breaks)
    if sum(label.role in VALUE_ROLES for label in labels) < 1:
        return None
    layout = layout_of(labels, labels[-1].end)
    window = min(limit, layout.end + ROW_WINDOW)
    rows, _ = parse_rows(text, layout.end, window, layout, breaks)
    with_cells = [row for row in rows if any(token.kind in ("blob", "number", "dash") for token in row.tokens)]
    if len(with_cells) >= MIN_ROWS:
        return layout.end
    if len(with_cells) == 1 and (with_cells[0].end >= window or (window == limit and len(rows) == 1)):
        return layout.end  # one row, as long as the window (a very long digit run) or the whole body
    return None


def find_table_header(text: str, start: int, limit: int, breaks: frozenset[int] = frozenset(),
                      body_limit: int | None = None) -> int | None:
    """Offset of a table header that starts in ``[start, limit)`` and that rows confirm, or None.

    ``body_limit``: where the rows must end (the enclosing block's end); the rows are read at most
    :data:`ROW_WINDOW` characters past the header."""
    stop = min(limit, len(text))
    lines = {offset for offset in breaks if start <= offset < stop}
    positions = sorted({match.start() for match in _starts().finditer(text, start, stop)} | lines)
    if lines:
        # Line-broken text: a header starts a line (行业 inside 2014年分行业固定资产投资… is the title's).
        positions = [position for position in positions if position in lines or position == start]
    for index, position in enumerate(positions):
        if not _candidate(text, position, min(len(text), position + 40), breaks):
            continue
        end = confirmed_rows(text, position, breaks, body_limit)
        if end is not None:
            return _inner_header(text, position, end, positions[index + 1 :], breaks, body_limit)
    return None


def _inner_header(text: str, position: int, end: int, later: Sequence[int], breaks: frozenset[int], body_limit: int | None) -> int:
    """A header accepted inside the title (主要指标及其增长速度指标单位…: 指标 of the title, then 及其
    as an unknown label) gives way to a name label inside it from which the labels are all known
    and the same rows confirm: the title's words are no columns."""
    labels = scan_labels(text, position, len(text) if body_limit is None else body_limit, breaks)
    for inner in later:
        if inner > end:
            break
        unknown_before = any(not label.known and label.start < inner for label in labels)
        if not unknown_before or label_at(text, inner, min(len(text), inner + 40)) is None:
            continue
        if label_at(text, inner, min(len(text), inner + 40)).role not in ("name", "number"):  # type: ignore[union-attr]
            continue
        inner_labels = scan_labels(text, inner, len(text) if body_limit is None else body_limit, breaks)
        if all(label.known for label in inner_labels) and confirmed_rows(text, inner, breaks, body_limit) is not None:
            return inner
    return position


_ANNOUNCE = regex.compile(r"[：:]")
MIN_FLAT_VALUE_LABELS = 2  # value columns a caption-less header of flattened text needs


def flat_bare_header(text: str, start: int, limit: int, breaks: frozenset[int] = frozenset()) -> int | None:
    """The first header in ``[start, limit)`` of a table printed without a 表N caption in flattened
    text (no line breaks, no spaces; the 1953 plan's tables: …主要工业品产量的增长如下列：产品名称1952年产量
    1957年计划产量1957年为1952年的百分比发电量…). Nothing but the labels marks it, so the evidence asked
    is more than a caption's: it follows the clause that announces it (a colon: 如下列：, 如下：,
    （单位――万人）：), opens with a name label (产品名称, 种类, 类别), every label is known, at least
    :data:`MIN_FLAT_VALUE_LABELS` of them value columns, and rows confirm them (:func:`confirmed_rows`)."""
    for mark in _ANNOUNCE.finditer(text, start, min(limit, len(text))):
        position = mark.end()
        first = label_at(text, position, min(len(text), position + 40))
        if first is None or first.role not in ("name", "number"):
            continue
        labels = scan_labels(text, position, limit, breaks)
        if sum(label.role in VALUE_ROLES for label in labels) < MIN_FLAT_VALUE_LABELS or not all(label.known for label in labels):
            continue
        if confirmed_rows(text, position, breaks, limit) is not None:
            return position
    return None


@lru_cache(maxsize=1)
def _starts() -> regex.Pattern[str]:
    """Where a name or number label may start a header (a quick first pass over the window)."""
    words = [word for word, role in lexicon.label_words() if role in ("name", "number")]
    return regex.compile("|".join(regex.escape(word) for word in words))
