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


def damage_text(text: str, *, page_numbers: bool = True, chars_per_page: int = 600, seed: int = 0) -> DamagedText:
    """Damage ``text``; with ``page_numbers``, glue 1, 2, 3 … at (jittered) page starts first."""
    rng = random.Random(seed)
    stripped = strip_like_seed(text)
    if not page_numbers:
        return DamagedText(stripped, ())
    pieces = []
    pages = []
    cursor = 0
    page = 1
    length = 0
    while cursor < len(stripped):
        size = max(50, int(chars_per_page * rng.uniform(0.8, 1.2)))
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
