"""A damage simulator: damage clean plan text the way the seed plan was damaged.

Used by the tests and the repair benchmark to measure repair accuracy on text whose truth is
known: page numbers are glued in at page starts (optionally), then every ASCII letter, ``.``,
``%``, ``[``, ``]`` and all whitespace are stripped.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import regex

_STRIPPED = regex.compile(r"[A-Za-z.%\[\]\s]")


@dataclass(frozen=True)
class DamagedText:
    text: str
    pages: tuple[tuple[int, int], ...]  # (offset in the damaged text where the number was glued, page)


def strip_like_seed(text: str) -> str:
    """Remove what the seed's extraction lost: ASCII letters, '.', '%', '[', ']', whitespace."""
    return _STRIPPED.sub("", text)


# Where a printed line, and so a page, may begin. A page number is glued in where a page begins,
# which is where a line begins: the typesetter never starts a line with closing punctuation or
# ends one with an opening mark (W3C "Requirements for Chinese Text Layout" (clreq) §3.1.7, the
# line-start and line-end prohibition rules), and never breaks inside a number (Unicode UAX #14
# LB25: digits, their decimal and thousands separators and a following % are one unit). The seed
# plan's 60 glued body page numbers all stand at such places (取9消, 解4放, 1320境外: between
# characters, after punctuation, between table cells), none inside a number or before a comma.
NO_LINE_START = frozenset("、。，．,：；？！）］｝〕〉》」』】〙〗〟’”%％‰…·—")
NO_LINE_END = frozenset("（［｛〔〈《「『【〘〖〝‘“(")
_NUMBER_INFIX = frozenset(".．,，:：/")
# A line of the source no longer than a printed line is printed on one line (a heading, a
# caption, a table row, a short paragraph's last words): a page begins before it, never inside
# it. GB/T 9704-2012 《党政机关公文格式》 §5.2.1 sets a page of 22 lines of 28 characters.
PRINT_LINE_CHARS = 28


def line_starts_allowed(text: str) -> list[bool]:
    """For each character :func:`strip_like_seed` keeps from ``text``: may a printed line (and
    so a page) begin right before it? The text's own line starts always may."""
    allowed: list[bool] = []
    line_start = 0
    for line in text.splitlines(keepends=True):
        one_printed_line = len(strip_like_seed(line)) <= PRINT_LINE_CHARS
        first = True
        for index in range(line_start, line_start + len(line)):
            char = text[index]
            if _STRIPPED.fullmatch(char):
                continue
            previous = text[index - 1] if index else "\n"
            before_previous = text[index - 2] if index > 1 else ""
            inside_number = char.isdigit() and (
                previous.isdigit() or (previous in _NUMBER_INFIX and before_previous.isdigit())
            )
            if one_printed_line:
                allowed.append(first)  # only before the line itself
            else:
                allowed.append(previous == "\n" or not (char in NO_LINE_START or previous in NO_LINE_END or inside_number))
            first = False
        line_start += len(line)
    return allowed


def next_line_start(allowed: list[bool], position: int) -> int:
    """The first place at or after ``position`` where a line may begin (or the end)."""
    while position < len(allowed) and not allowed[position]:
        position += 1
    return position


def damage_text(text: str, *, page_numbers: bool = True, chars_per_page: int = 600, seed: int = 0) -> DamagedText:
    """Damage ``text``; with ``page_numbers``, glue 1, 2, 3 … at (jittered) page starts first,
    each where a printed line could begin (see :func:`line_starts_allowed`)."""
    rng = random.Random(seed)
    stripped = strip_like_seed(text)
    if not page_numbers:
        return DamagedText(stripped, ())
    allowed = line_starts_allowed(text)
    pieces = []
    pages = []
    cursor = 0
    page = 1
    length = 0
    while cursor < len(stripped):
        size = max(50, int(chars_per_page * rng.uniform(0.8, 1.2)))
        size = next_line_start(allowed, cursor + size) - cursor
        number = str(page)
        pages.append((length, page))
        pieces.append(number)
        length += len(number)
        chunk = stripped[cursor : cursor + size]
        pieces.append(chunk)
        length += len(chunk)
        cursor += size
        page += 1
    return DamagedText("".join(pieces), tuple(pages))
