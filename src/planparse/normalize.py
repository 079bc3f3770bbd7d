"""Stage ``normalize``: canonical characters and whitespace, with a map back to the source.

- Full-width ASCII letters and digits (Ａ-Ｚ ａ-ｚ ０-９) become half-width; full-width punctuation
  such as （）：，。 stays as the Chinese documents print it.
- Zero-width characters, soft hyphens, BOMs and other control characters are removed (a soft
  hyphen between digits is a printed dash and becomes ``-``).
- Whitespace: a run of whitespace next to a CJK character (or CJK punctuation) is removed, since
  Chinese has no word spaces and PDF text breaks lines mid-word; between two other characters it
  becomes one space (it separates numbers in intact tables). Line breaks are remembered as hints
  in ``line_breaks`` so that flattened and line-broken texts give the same text but the latter
  can still help segmentation.
"""

from __future__ import annotations

import unicodedata

import regex

from .document import NormalizedText, SourceDocument
from .offsets import OffsetMapBuilder

# Full-width digits and letters → ASCII. Punctuation (（）：，。！？) is deliberately left alone.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}
_FULLWIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)})
_FULLWIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)})
_FULLWIDTH[0x3000] = 0x20  # ideographic space is whitespace

# Characters that vanish: zero-width, BOM, soft hyphen, bidi marks, C0/C1 controls except whitespace.
_DROP = regex.compile(r"[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff\u00ad\p{Cc}--[\t\n\r\f\v]]", regex.V1)
# A soft hyphen between digits is a printed dash some PDF producers write as U+00AD
# (规划纲要（2014­2020年）, the GovDoc-CN notice 397): dropped, it would glue two years into one
# number (20142020年). One character for one, so offsets stay.
_DIGIT_SHY = regex.compile(r"(?<=\d)\u00ad(?=\d)")
_WHITESPACE = regex.compile(r"[\s\u3000]+")
_TOKEN = regex.compile(r"[\s\u3000]+|[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff\u00ad\p{Cc}]")


def _is_wide(char: str) -> bool:
    """True for CJK ideographs and full-width/CJK punctuation: no space is kept next to them."""
    if not char:
        return True
    return unicodedata.east_asian_width(char) in ("W", "F")


def normalize_text(text: str) -> NormalizedText:
    """Normalize a text; see the module docstring for the rules."""
    text = _DIGIT_SHY.sub("-", text.translate(_FULLWIDTH))
    builder = OffsetMapBuilder()
    line_breaks: set[int] = set()
    cursor = 0
    pending_space = False
    pending_break = False
    space_origin = 0  # where the whitespace that becomes the pending space began
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        chunk = text[cursor:start]
        if chunk:
            if pending_space and builder.length and not _is_wide(builder.parts[-1][-1]) and not _is_wide(chunk[0]):
                builder.insert(" ", space_origin)
            if pending_break and builder.length:
                line_breaks.add(builder.length)
            builder.keep(chunk, cursor)
            pending_space = pending_break = False
        piece = match.group()
        if _WHITESPACE.fullmatch(piece):
            if not pending_space:
                space_origin = start
            pending_space = True
            if "\n" in piece or "\r" in piece or "\f" in piece:
                pending_break = True
        cursor = end
    tail = text[cursor:]
    if tail:
        if pending_space and builder.length and not _is_wide(builder.parts[-1][-1]) and not _is_wide(tail[0]):
            builder.insert(" ", space_origin)
        if pending_break and builder.length:
            line_breaks.add(builder.length)
        builder.keep(tail, cursor)
    normalized, mapping = builder.build()
    return NormalizedText(text=normalized, to_source=mapping, line_breaks=frozenset(line_breaks))


def normalize(document: SourceDocument) -> NormalizedText:
    """Stage entry point: normalize a loaded document's text (a markup input's plain view, whose
    offsets are carried on into the decoded source)."""
    if document.view is None:
        return normalize_text(document.text)
    norm = normalize_text(document.view.text)
    return NormalizedText(
        text=norm.text, to_source=norm.to_source.then(document.view.to_source), line_breaks=norm.line_breaks
    )
