"""Hard-wrapped lines: a print's line breaks that are not the text's own.

A typed or scanned print (the 1980s and 1990s plans as transcribed) breaks its lines at a fixed
width, mid-sentence, and a transcription keeps those breaks. Read as the text's own breaks, they
make every wrapped line a candidate heading or paragraph: a numbered item whose sentence runs on
(``一、工农业生产，在提高经济效益的前提下，计划平均`` / ``每年递增4%，…``) reads as an outline
heading cut at the print's margin. This stage tells such a text by its lines' widths (most lines
fill one width, and most of those end mid-sentence) and drops the breaks that are wraps: a line
that fills the width and does not end a sentence runs on into the next line. Its other breaks
(a paragraph's short last line, a heading's line, a page number's line) stay hints.

Widths count a CJK character as 1 and any other as ½ (digits and Latin letters are half-width in
print).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

import regex

from ..document import DamageSignal, NormalizedText

_HAN = regex.compile(r"\p{Han}")
_HAN_RUNS = regex.compile(r"\p{Han}+")
# A line that ends a sentence (or a clause that opens a list: 具体要求是：), closing quotes aside.
_SENTENCE_END = regex.compile(r"[。！？；：:]\s*[”’」』）)]*\s*$")
_CLAUSE_MARK = regex.compile(r"[，、；：。！？“”（）《》]")
_NUMBER_MARK = regex.compile(r"(?<=\d)[，,．.](?=\d)")  # 2，716 and 8．8: marks inside numbers


@dataclass(frozen=True)
class WrapSettings:
    """Tunables of the hard-wrap test (shares of lines and widths; see the module docstring)."""

    # Fewer lines with Han text than this tell too little.
    min_lines: int = 20
    # The print's width: this percentile of the line widths …
    width_percentile: float = 0.9
    # … at most this wide (a text whose lines are paragraphs has a far larger percentile).
    max_width: float = 60.0
    # A line is full when it is at least this share of the width.
    full_share: float = 0.85
    # Hard-wrapped: at least this share of lines are full …
    min_full_lines: float = 0.5
    # … and at least this share of the full lines end mid-sentence.
    min_run_on: float = 0.6
    # Lines of running text have at least this share of Han characters (table rows far fewer).
    min_han_share: float = 0.6


SETTINGS = WrapSettings()


def _width(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.5 for char in text)


def _lines(norm: NormalizedText) -> list[tuple[int, int]]:
    """(start, end) of each line of the normalized text."""
    starts = sorted({0, *norm.line_breaks})
    return [(start, end) for start, end in zip(starts, [*starts[1:], len(norm.text)]) if end > start]


def _print_width(widths: list[float], settings: WrapSettings) -> float:
    ordered = sorted(widths)
    return ordered[min(len(ordered) - 1, int(settings.width_percentile * len(ordered)))]


def _is_prose(line: str, settings: WrapSettings) -> bool:
    """A line of running text: mostly Han characters, or Han with the clause marks of a sentence
    (a table row is figures and names without them — its ``，`` and ``．`` stand between digits —
    and a page number's or a rule's line has no Han character at all)."""
    han = sum(map(len, _HAN_RUNS.findall(line)))  # (runs, not characters: a flattened text is one long line)
    if han >= settings.min_han_share * max(1, len(line.strip())):
        return True
    return han > 0 and bool(_CLAUSE_MARK.search(_NUMBER_MARK.sub("", line)))


def _runs_on(line: str, full: bool, following: str) -> bool:
    """Whether ``following`` continues ``line`` across a wrap: ``line`` is a full line of running
    text (a table's rows keep their lines) that does not end a sentence, and ``following`` is text
    (a paragraph's last line may be mostly figures: 38.1%下降了10.2%。; a page number's or a rule's
    line has no Han character)."""
    return full and not _SENTENCE_END.search(line) and bool(_HAN.search(following))


def hard_wrap(norm: NormalizedText, settings: WrapSettings = SETTINGS) -> tuple[NormalizedText, DamageSignal]:
    """Stage entry point: the text with its wrap breaks dropped from the line-break hints, and the
    ``lines_hard_wrapped`` signal that says whether (and on what evidence) it was wrapped."""
    spans = _lines(norm)
    texts = [norm.text[start:end] for start, end in spans]
    prose = [_is_prose(text, settings) for text in texts]
    lines = [text for text, is_prose in zip(texts, prose, strict=True) if is_prose]
    if len(lines) < settings.min_lines:  # (before any width is measured: flattened text is one long line)
        return norm, DamageSignal("lines_hard_wrapped", False, 0.6, f"{len(lines)} text lines: too few to tell")
    # Width of each line of running text (None for the others: they are never full).
    line_widths = [_width(text) if is_prose else None for text, is_prose in zip(texts, prose, strict=True)]
    widths = [line_width for line_width in line_widths if line_width is not None]
    width = _print_width(widths, settings)
    is_full = [line_width is not None and line_width >= settings.full_share * width for line_width in line_widths]
    full = [text for text, full_line in zip(texts, is_full, strict=True) if full_line]
    run_on = sum(1 for text in full if not _SENTENCE_END.search(text))
    full_share = len(full) / len(widths)
    run_on_share = run_on / max(1, len(full))
    evidence = (f"{len(widths)} text lines, {full_share:.0%} fill the width of {width:g} characters, "
                f"{run_on_share:.0%} of those end mid-sentence")
    wrapped = width <= settings.max_width and full_share >= settings.min_full_lines and run_on_share >= settings.min_run_on
    # The shares' distance from their thresholds, as a rough probability of the decision.
    margin = min(abs(full_share - settings.min_full_lines), abs(run_on_share - settings.min_run_on))
    confidence = round(min(0.99, 0.6 + margin), 2)
    if not wrapped:
        return norm, DamageSignal("lines_hard_wrapped", False, confidence, evidence)
    wraps = {
        spans[index + 1][0]
        for index in range(len(spans) - 1)
        if _runs_on(texts[index], is_full[index], texts[index + 1])
    }
    kept = frozenset(norm.line_breaks - wraps)
    signal = DamageSignal("lines_hard_wrapped", True, confidence, f"{evidence}: {len(wraps)} wraps joined")
    return replace(norm, line_breaks=kept), signal
