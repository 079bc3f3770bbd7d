"""Offset maps: carry every character of a derived text back to its place in the text it came from.

A map is stored as breakpoints: sorted derived offsets at which the shift to the origin changes.
Lookup is a binary search, so a map costs memory per edit, not per character.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass(frozen=True)
class OffsetMap:
    """Map derived-text offsets to origin-text offsets.

    ``starts[i]`` is a derived offset from which ``origin = derived + shifts[i]`` holds, until the
    next breakpoint. The identity map has one breakpoint at 0 with shift 0.
    """

    starts: tuple[int, ...] = (0,)
    shifts: tuple[int, ...] = (0,)

    def __call__(self, offset: int) -> int:
        index = bisect_right(self.starts, offset) - 1
        return offset + self.shifts[max(index, 0)]

    def then(self, outer: OffsetMap | ComposedMap) -> ComposedMap:
        """Compose: first this map (derived → middle), then ``outer`` (middle → origin)."""
        return ComposedMap((self, outer))


@dataclass(frozen=True)
class ComposedMap:
    """A chain of maps applied left to right."""

    maps: tuple[OffsetMap | ComposedMap, ...]

    def __call__(self, offset: int) -> int:
        for mapping in self.maps:
            offset = mapping(offset)
        return offset

    def then(self, outer: OffsetMap | ComposedMap) -> ComposedMap:
        return ComposedMap((*self.maps, outer))


@dataclass
class OffsetMapBuilder:
    """Build a text and its :class:`OffsetMap` piece by piece.

    Call :meth:`keep` for text copied from the origin at a known origin offset and :meth:`insert`
    for text that has no origin of its own (it maps to the origin offset of what follows it).
    """

    parts: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    shifts: list[int] = field(default_factory=list)
    length: int = 0

    def keep(self, text: str, origin_offset: int) -> None:
        if not text:
            return
        self._mark(origin_offset - self.length)
        self.parts.append(text)
        self.length += len(text)

    def insert(self, text: str, origin_offset: int) -> None:
        """Add text absent from the origin; every inserted char maps to ``origin_offset``."""
        for char in text:
            self._mark(origin_offset - self.length)
            self.parts.append(char)
            self.length += 1

    def _mark(self, shift: int) -> None:
        if self.shifts and self.shifts[-1] == shift:
            return
        if self.starts and self.starts[-1] == self.length:
            self.shifts[-1] = shift
            if len(self.shifts) > 1 and self.shifts[-2] == shift:
                self.starts.pop()
                self.shifts.pop()
            return
        self.starts.append(self.length)
        self.shifts.append(shift)

    def build(self) -> tuple[str, OffsetMap]:
        if not self.starts:
            return "".join(self.parts), OffsetMap()
        return "".join(self.parts), OffsetMap(tuple(self.starts), tuple(self.shifts))


def delete_spans(text: str, spans: list[tuple[int, int]]) -> tuple[str, OffsetMap]:
    """Remove the given non-overlapping ``(start, end)`` spans; return the new text and its map."""
    builder = OffsetMapBuilder()
    cursor = 0
    for start, end in sorted(spans):
        if start < cursor:
            raise ValueError("overlapping spans")
        builder.keep(text[cursor:start], cursor)
        cursor = end
    builder.keep(text[cursor:], cursor)
    return builder.build()
