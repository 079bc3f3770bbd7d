"""Place each repair inside its ``context``: which occurrence of the repaired characters is the
one at the repair's offset (``16年11月1目录`` holds four 1s; the page number is the last).

Stages cut a repair's context from their own text (page numbers already removed, whitespace
collapsed), so the context is aligned with the source around the offset: each occurrence of
``before`` in the context is scored by how many characters after it (and before it) agree with
the source at the offset, and the best one wins. An occurrence that no source character backs is
not chosen: the repair then has no ``context_offset``.
"""

from __future__ import annotations

from collections.abc import Sequence

from .models import Repair


def _common_prefix(one: str, two: str) -> int:
    size = 0
    for a, b in zip(one, two):
        if a != b:
            break
        size += 1
    return size


def context_offset(repair: Repair, source: str) -> int | None:
    """Index of ``repair.before`` in ``repair.context`` at the repair's source offset, or None."""
    context, before = repair.context, repair.before
    if not context or source[repair.offset : repair.offset + len(before)] != before:
        return None
    window = len(context) + len(before)
    after = source[repair.offset : repair.offset + window]
    ahead = source[max(0, repair.offset - window) : repair.offset][::-1]
    best: tuple[int, int] | None = None
    start = context.find(before)
    while start >= 0:
        score = _common_prefix(after, context[start:]) + _common_prefix(ahead, context[:start][::-1])
        if score > len(before) and (best is None or score > best[0]):
            best = (score, start)
        start = context.find(before, start + 1)
    return best[1] if best else None


def with_context_offsets(repairs: Sequence[Repair], source: str) -> list[Repair]:
    """The repairs with ``context_offset`` filled where the source places them (the builder calls this)."""
    placed = []
    for repair in repairs:
        found = context_offset(repair, source) if repair.context_offset is None else repair.context_offset
        placed.append(repair if found is None else repair.model_copy(update={"context_offset": found}))
    return placed
