"""Stage ``tokens``: restore Latin tokens the damaged text lost (``（）模式`` → ``（PPP）模式``).

Only texts that show the seed-style damage (no ASCII letters at all, plus empty ``（）`` or long
digit runs) are touched, and only where a lexicon pattern's context supports the token. Restored
characters are *inserted*, so :meth:`PagedText.raw_slice` can still give the damaged form.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from typing import Any

import regex
import yaml

from .document import PagedText
from .models import Repair
from .offsets import OffsetMapBuilder

_DAMAGE_SIGNS = regex.compile(r"（）|\d{7,}")
_LETTERS = regex.compile(r"[A-Za-z]")


@lru_cache(maxsize=1)
def lexicon() -> list[dict[str, Any]]:
    data = yaml.safe_load((resources.files("planparse") / "data" / "tokens.yaml").read_text(encoding="utf-8"))
    entries = []
    for entry in data["tokens"]:
        entries.append({**entry, "compiled": regex.compile(entry["pattern"])})
    return entries


def is_damaged(text: str) -> bool:
    """The seed's damage: every ASCII letter gone, with empty parentheses or digit blobs left."""
    return _LETTERS.search(text) is None and _DAMAGE_SIGNS.search(text) is not None


def restore_tokens(paged: PagedText) -> PagedText:
    """Insert the lexicon's tokens where their context matches; record each as a ``token`` repair."""
    text = paged.text
    if not is_damaged(text):
        return paged
    inserts: dict[int, tuple[str, str, float, int, int]] = {}  # offset -> (piece, token, confidence, match start, end)
    for entry in lexicon():
        for match in entry["compiled"].finditer(text):
            at = match.start("at")
            pieces = [(at + offset, piece) for offset, piece in entry["insert"]]
            if any(position in inserts for position, _ in pieces):
                continue  # an earlier (more specific) entry restored here already
            for position, piece in pieces:
                inserts[position] = (piece, entry["token"], float(entry["confidence"]), match.start(), match.end())
    if not inserts:
        return paged
    builder = OffsetMapBuilder()
    cursor = 0
    insertions: list[tuple[int, str]] = []
    for position in sorted(inserts):
        builder.keep(text[cursor:position], cursor)
        insertions.append((builder.length, inserts[position][0]))
        builder.insert(inserts[position][0], position)
        cursor = position
    builder.keep(text[cursor:], cursor)
    restored, to_old = builder.build()
    positions = sorted(inserts)
    prefix = [0]
    for position in positions:
        prefix.append(prefix[-1] + len(inserts[position][0]))

    def to_new(offset: int) -> int:
        # Text inserted at an offset precedes the character there, so a page starting at that
        # character starts before the insertion.
        return offset + prefix[bisect_left(positions, offset)]

    repairs = []
    grouped: dict[tuple[int, int], list[int]] = {}
    for position in positions:
        _piece, _token, _confidence, start, end = inserts[position]
        grouped.setdefault((start, end), []).append(position)
    for (start, end), members in sorted(grouped.items()):
        token = inserts[members[0]][1]
        before = text[start:end]
        after = before
        for position in sorted(members, reverse=True):
            local = position - start
            after = after[:local] + inserts[position][0] + after[local:]
        repairs.append(
            Repair(
                kind="token",
                page=paged.page_at(start),
                offset=paged.source_offset(start),
                before=before or "",
                after=after or token,
                confidence=inserts[members[0]][2],
                context=text[max(0, start - 8) : end + 8],
            )
        )
    return replace(
        paged,
        text=restored,
        to_normalized=to_old.then(paged.to_normalized),  # type: ignore[arg-type]
        page_starts=tuple((to_new(start), page) for start, page in paged.page_starts),
        body_start=to_new(paged.body_start),
        line_breaks=frozenset(to_new(offset) for offset in paged.line_breaks),
        insertions=tuple(insertions),
        repairs=(*paged.repairs, *repairs),
    )
