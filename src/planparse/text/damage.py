"""Stage ``damage``: is this text damaged, and how?

Text pulled out of a PDF by a careless tool arrives with its line breaks gone, its ASCII letters,
``.``, ``%`` and ``[ ]`` stripped and its printed page numbers glued into the sentences. Clean
text (Markdown, HTML, Word, a PDF's own text layer, a careful transcription) has none of that, and
the repairs that only make sense on damaged text must not touch it. This stage reads the evidence
and says which damage is present, with a confidence; later stages ask it before they repair.

Evidence, per kind:
- ``line_breaks_lost``: a long text with (almost) no line breaks.
- ``letters_stripped``: no ASCII letter in a long Chinese text, and empty brackets ``（）`` where
  units and abbreviations (``（%）``, ``（PPP）``) stood.
- ``decimals_stripped``: many numbers, but no decimal point and no percent sign among them,
  although Chinese plans and reports print both wherever they print numbers.
- ``page_numbers_glued`` is only *possible* here (text input whose lines are lost); the ``pages``
  stage decides it from the periodic chain of page-like numbers and records what it found.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import regex

from ..document import Damage, DamageSignal, NormalizedText, SourceDocument

_HAN_RUNS = regex.compile(r"\p{Han}+")
_LETTER = regex.compile(r"[A-Za-z]")
_NUMBER = regex.compile(r"\d+(?:[.．]\d+)?")
_DECIMAL = regex.compile(r"\d[.．]\d")
# Percent signs as evidence that they survived. Not ‰: a producer that strips the ASCII ``%`` keeps
# the non-ASCII per-mille sign (damaged communiqués print ``出生率为1048‰``).
_PERCENT = regex.compile(r"[%％]")
_EMPTY_BRACKETS = regex.compile(r"（）|\(\)|\[\]|【】")


@dataclass(frozen=True)
class DamageSettings:
    """Tunables of the damage stage (characters and counts; see the module docstring)."""

    # A text shorter than this tells too little: no damage is claimed.
    min_chars: int = 1500
    # Line breaks lost: fewer than one break per this many characters.
    chars_per_break: int = 1500
    # Decimals stripped: at least this many numbers and not one decimal point or percent sign.
    min_numbers: int = 30
    # Letters stripped: Han characters per ASCII letter expected at least this high …
    min_han_for_letters: int = 4000


SETTINGS = DamageSettings()


def _odds_confidence(evidence: float) -> float:
    """A probability from a log-odds score (clamped so no evidence makes a certainty)."""
    return round(min(0.99, max(0.5, 1.0 / (1.0 + math.exp(-evidence)))), 2)


def _line_breaks(source_text: str, norm: NormalizedText, settings: DamageSettings) -> DamageSignal:
    length = len(norm.text)
    breaks = source_text.count("\n") + source_text.count("\r") - source_text.count("\r\n")
    if length < settings.min_chars:
        return DamageSignal("line_breaks_lost", False, 0.6, f"{length} characters: too short to tell")
    expected = length / settings.chars_per_break
    lost = breaks < expected
    evidence = (expected - breaks) / max(expected, 1.0) * 6.0 if lost else (breaks - expected) / max(expected, 1.0) * 3.0
    return DamageSignal(
        "line_breaks_lost", lost, _odds_confidence(abs(evidence) + 1.0), f"{breaks} line breaks in {length} characters"
    )


def _decimals(norm: NormalizedText, settings: DamageSettings) -> DamageSignal:
    text = norm.text
    numbers = len(_NUMBER.findall(text))
    decimals = len(_DECIMAL.findall(text))
    percents = len(_PERCENT.findall(text))
    evidence = f"{numbers} numbers, {decimals} decimal points, {percents} percent signs"
    if numbers < settings.min_numbers:
        return DamageSignal("decimals_stripped", False, 0.6, evidence + ": too few numbers to tell")
    stripped = decimals == 0 and percents == 0
    # Each number without a decimal or percent anywhere is weak evidence; many of them are strong.
    score = math.log(numbers / settings.min_numbers + 1.0) * 4.0 if stripped else math.log(decimals + percents + 1.0) * 3.0
    return DamageSignal("decimals_stripped", stripped, _odds_confidence(score), evidence)


def _letters(norm: NormalizedText, settings: DamageSettings) -> DamageSignal:
    text = norm.text
    han = sum(map(len, _HAN_RUNS.findall(text)))  # runs, not one string per character
    letters = len(_LETTER.findall(text))
    empty = len(_EMPTY_BRACKETS.findall(text))
    evidence = f"{letters} ASCII letters, {empty} empty brackets in {han} Han characters"
    if han < settings.min_han_for_letters and not empty:
        return DamageSignal("letters_stripped", False, 0.6, evidence + ": too short to tell")
    stripped = letters == 0 and (empty > 0 or han >= settings.min_han_for_letters)
    score = (2.0 + math.log1p(empty)) if stripped else math.log1p(letters) * 2.0
    return DamageSignal("letters_stripped", stripped, _odds_confidence(score), evidence)


def _page_numbers_possible(source: SourceDocument, breaks_lost: DamageSignal) -> DamageSignal:
    """Glued page numbers are possible only in plain text whose lines were lost: the pages stage
    looks for their chain there and nowhere else (markup and PDF inputs know their pages)."""
    if source.format != "text":
        return DamageSignal("page_numbers_glued", False, 0.99, f"{source.format} input: pages are known or absent")
    if not breaks_lost.present:
        return DamageSignal("page_numbers_glued", False, breaks_lost.confidence, "line breaks present: page numbers stand on their own lines")
    return DamageSignal("page_numbers_glued", True, 0.5, "line breaks lost: the pages stage looks for a chain of page numbers")


def detect_damage(source: SourceDocument, norm: NormalizedText, settings: DamageSettings = SETTINGS) -> Damage:
    """Stage entry point: the damage signals of a normalized text (see the module docstring)."""
    source_text = source.view.text if source.view is not None else source.text
    if source.format != "text":
        breaks = DamageSignal("line_breaks_lost", False, 0.99, f"{source.format} input")
    else:
        breaks = _line_breaks(source_text, norm, settings)
    decimals = _decimals(norm, settings)
    letters = _letters(norm, settings)
    if decimals.present and not (breaks.present or letters.present):
        # Numbers without a decimal point or % can be a document's own (a list of bodies, counts
        # of offices): stripping is claimed only where the extraction left other marks of damage.
        decimals = DamageSignal("decimals_stripped", False, 0.7,
                                decimals.evidence + ", but letters and line breaks are intact: no other sign of damage")
    return Damage((breaks, decimals, letters, _page_numbers_possible(source, breaks)))


def with_pages_found(damage: Damage, found: int, evidence: str, confidence: float) -> Damage:
    """The damage profile after the pages stage: ``page_numbers_glued`` is what it found."""
    signal = DamageSignal("page_numbers_glued", found > 0, round(confidence, 2), evidence)
    return Damage(tuple(signal if old.kind == "page_numbers_glued" else old for old in damage.signals))
