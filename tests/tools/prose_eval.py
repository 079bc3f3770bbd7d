"""Measure the prose stage on damaged corpus variants whose truth is known (tests/tools/numbers.py).

:func:`extract_variant` runs the whole pipeline on a variant and keeps, besides the record, what
the prose stage judged (its :class:`planparse.prose.ProseResult`, caught on its way to the
builder). :func:`score_variant` compares the record's ``decimal``/``percent`` repairs and its
``prose_number_unverified`` warnings with the truth of every digit run, and :class:`Tally` adds
the figures up: stripped decimals in truth, restored, precision of restorations at confidence
≥ 0.8, flagged, and the reliability of the confidences.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.tools.numbers import DigitRun, IntactNumber, Variant

_FLAGGED = re.compile(r"(\d+) \(([^()]*)\) at (\d+)")
HIGH = 0.8  # the confidence at which the goal (precision ≥ 99%) is measured


@dataclass(frozen=True)
class Extraction:
    record: Any | None  # models.PlanRecord, or None when the variant was rejected
    error: str | None
    judged: tuple[tuple[int, str, Any, float], ...]  # (source offset, digits, best reading, confidence) per number


@contextmanager
def _catching_prose() -> Iterator[list[tuple[Any, Any]]]:
    """Catch every (ProseResult, PagedText) of the prose stage while the block runs."""
    from planparse import prose

    caught: list[tuple[Any, Any]] = []
    original = prose.repair_prose

    def spy(skeleton: Any, paged: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(skeleton, paged, *args, **kwargs)
        caught.append((result, paged))
        return result

    prose.repair_prose = spy  # type: ignore[assignment]
    try:
        yield caught
    finally:
        prose.repair_prose = original  # type: ignore[assignment]


def extract_variant(text: str) -> Extraction:
    from planparse.errors import PlanparseError
    from planparse.load import load_text
    from planparse.pipeline import extract_document

    with _catching_prose() as caught:
        try:
            record = extract_document(load_text(text))
        except PlanparseError as error:
            return Extraction(None, str(error).split(": ", 1)[-1], ())
    judged: list[tuple[int, str, Any, float]] = []
    for result, paged in caught:
        for number in getattr(result, "numbers", ()):
            reading, confidence = number.best
            judged.append((paged.source_offset(number.start), number.digits, reading, confidence))
    return Extraction(record, None, tuple(judged))


def extract_prose_only(text: str) -> Extraction:
    """The prose stage alone on the whole body read as one paragraph (the stages before it as the
    pipeline runs them): what it does when the structure stages find no structure."""
    from types import SimpleNamespace

    from planparse import prose, toc, tokens
    from planparse.document import Paragraph, Skeleton
    from planparse.load import load_text
    from planparse.normalize import normalize
    from planparse.text import pages
    from planparse.text.damage import detect_damage

    source = load_text(text)
    norm = normalize(source)
    damage = detect_damage(source, norm)
    front = toc.scan_front_matter(norm)
    if damage.has("page_numbers_glued"):
        paged = pages.remove_page_numbers(norm, front)
    else:
        paged = pages.paged_without_detection(norm, front, ())
    paged = tokens.restore_tokens(paged)
    body = Paragraph(paged.text[paged.body_start :], paged.body_start, len(paged.text), None, None)
    skeleton = Skeleton("none", (body,), (), (), (), (), ())
    result = prose.repair_prose(skeleton, paged, (), damage)
    judged = tuple(
        (paged.source_offset(number.start), number.digits, *number.best) for number in getattr(result, "numbers", ())
    )
    return Extraction(SimpleNamespace(repairs=result.repairs, warnings=result.warnings), None, judged)


def _truth_at(variant_runs: dict[int, DigitRun], offset: int, digits: str) -> tuple[str, IntactNumber | None]:
    """What the digits at ``offset`` were: (kind, intact number) when they are exactly one intact
    number's digits; ("other", None) when they cover page digits or several numbers."""
    run = variant_runs.get(offset)
    if run is None:
        return "missing", None
    if run.truth is not None and run.number_start == offset and run.number_end == offset + len(digits):
        return run.kind, run.truth
    if run.truth is not None and run.number_start <= offset and offset + len(digits) <= run.number_end:
        return "cut", None  # the pages stage removed some of its digits as a page number
    if run.page_digits:
        return "page", None  # glued page digits the pages stage left in the number
    return "other", None


def _same_reading(after: str, truth: IntactNumber | None) -> bool:
    if truth is None:
        return False
    return after.replace("%", "") == truth.text.replace("%", "").strip() and after.endswith("%") == truth.percent


@dataclass
class Tally:
    """Figures over many variants (add them with :meth:`add`)."""

    variants: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    decimals: int = 0  # stripped decimals in truth (runs that are one decimal number)
    percents: int = 0  # integers that lost only their %
    integers: int = 0
    decimals_restored: int = 0  # restored to exactly the intact reading
    decimals_wrong: int = 0  # restored to another reading
    decimals_flagged: int = 0
    decimals_silent: int = 0  # judged, left as printed, not flagged
    decimals_unseen: int = 0  # not in the prose the stage read (headings, tables, boxes, rejected)
    percents_restored: int = 0
    percents_flagged: int = 0
    integers_changed: int = 0  # an intact integer given a decimal point or % (harm)
    integers_flagged: int = 0
    restorations: int = 0
    restorations_high: int = 0
    restorations_high_right: int = 0
    offsets_off: int = 0  # repairs whose digits are not at their offset in the input (a bug)
    other_prose_warnings: int = 0  # prose_* warnings that name no numbers (the code before this stage)
    reliability: list[tuple[float, bool]] = field(default_factory=list)  # every judged number's best reading
    restored_reliability: list[tuple[float, bool]] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    def add(self, other: Tally) -> None:
        for name, value in vars(other).items():
            mine = getattr(self, name)
            if isinstance(value, Counter):
                mine.update(value)
            elif isinstance(value, list):
                mine.extend(value)
            elif isinstance(value, dict):
                for key, example in value.items():
                    mine.setdefault(key, example)
            else:
                setattr(self, name, mine + value)

    def _fail(self, cause: str, example: str) -> None:
        self.failures[cause] += 1
        self.examples.setdefault(cause, example)

    # --------------------------------------------------------------- figures

    @property
    def precision_high(self) -> float:
        return self.restorations_high_right / self.restorations_high if self.restorations_high else 1.0

    def fraction(self, count: int) -> float:
        return count / self.decimals if self.decimals else 0.0


def _context(text: str, offset: int, digits: str) -> str:
    return text[max(0, offset - 10) : offset] + "[" + digits + "]" + text[offset + len(digits) : offset + len(digits) + 4]


def score_variant(variant: Variant, extraction: Extraction) -> Tally:
    tally = Tally(variants=1)
    runs = variant.runs_by_start()
    for run in variant.runs:
        if run.kind == "decimal":
            tally.decimals += 1
        elif run.kind == "percent":
            tally.percents += 1
        elif run.kind == "integer":
            tally.integers += 1
    if extraction.record is None:
        tally.rejected[extraction.error or "?"] += 1
        tally.decimals_unseen += tally.decimals
        return tally
    record = extraction.record
    restored: dict[int, tuple[str, str, float]] = {}
    for repair in record.repairs:
        if repair.kind not in ("decimal", "percent"):
            continue
        if variant.text[repair.offset : repair.offset + len(repair.before)] != repair.before:
            tally.offsets_off += 1
            continue
        restored[repair.offset] = (repair.before, repair.after, repair.confidence)
    flagged: dict[int, str] = {}
    for warning in record.warnings:
        if warning.code == "prose_number_unverified":
            for digits, _, offset in _FLAGGED.findall(warning.message):
                flagged[int(offset)] = digits
        elif warning.code.startswith("prose_"):
            tally.other_prose_warnings += 1
    judged = {offset: (digits, reading, confidence) for offset, digits, reading, confidence in extraction.judged}
    for offset, (digits, reading, confidence) in judged.items():
        kind, truth = _truth_at(runs, offset, digits)
        if reading.decimals < 0:
            right = kind in ("other", "page", "cut")
        elif kind == "other" or truth is None:
            right = False
        else:
            right = _same_reading(reading.shown, truth)
        tally.reliability.append((confidence, right))
    for offset, (before, after, confidence) in restored.items():
        kind, truth = _truth_at(runs, offset, before)
        right = _same_reading(after, truth)
        tally.restorations += 1
        tally.restored_reliability.append((confidence, right))
        if confidence >= HIGH:
            tally.restorations_high += 1
            tally.restorations_high_right += right
        example = f"{_context(variant.text, offset, before)} → {after} ({confidence:.2f}); truth {truth.text if truth else kind}"
        if kind == "decimal":
            if right:
                tally.decimals_restored += 1
            else:
                tally.decimals_wrong += 1
                self_cause = "decimal restored at the wrong place" if truth and after.rstrip("%").count(".") else "decimal read as a whole percent"
                tally._fail(self_cause + (" (≥ 0.8)" if confidence >= HIGH else ""), example)
        elif kind == "percent":
            if right:
                tally.percents_restored += 1
            else:
                tally._fail("whole percent given a decimal point" + (" (≥ 0.8)" if confidence >= HIGH else ""), example)
        elif kind == "integer":
            tally.integers_changed += 1
            tally._fail("intact integer changed" + (" (≥ 0.8)" if confidence >= HIGH else ""), example)
        elif kind == "page":
            tally._fail("page number glued inside a number, left by the pages stage" + (" (≥ 0.8)" if confidence >= HIGH else ""), example)
        elif kind == "cut":
            tally._fail("number cut by the page-number remover, the rest restored" + (" (≥ 0.8)" if confidence >= HIGH else ""), example)
        else:
            tally._fail("digits of several numbers read as one number" + (" (≥ 0.8)" if confidence >= HIGH else ""), example)
    for offset, digits in flagged.items():
        kind, _ = _truth_at(runs, offset, digits)
        if kind == "decimal":
            tally.decimals_flagged += 1
        elif kind == "percent":
            tally.percents_flagged += 1
        elif kind == "integer":
            tally.integers_flagged += 1
    seen = set(judged)
    tokens = [(repair.offset, repair.offset + len(repair.before), repair.after) for repair in record.repairs if repair.kind == "token"]
    for run in variant.runs:
        if run.kind != "decimal":
            continue
        offset = run.number_start
        if offset in restored or offset in flagged:
            continue
        if run.truth is not None and _restored_as_token(tokens, run):
            tally.decimals_restored += 1  # PM2.5 lost its letters and point: the tokens stage wrote it back
            continue
        if offset in seen:
            tally.decimals_silent += 1
            digits, reading, confidence = judged[offset]
            tally._fail("decimal kept as printed without a flag", f"{_context(variant.text, offset, digits)} kept ({confidence:.2f}); truth {run.truth.text if run.truth else '?'}")
        else:
            tally.decimals_unseen += 1
    return tally


def _restored_as_token(tokens: list[tuple[int, int, str]], run: DigitRun) -> bool:
    """Did a token repair covering the run's digits write the intact number back (25 → PM2.5)?"""
    assert run.truth is not None
    return any(start <= run.number_start and run.number_end <= end and run.truth.text in after
               for start, end, after in tokens)


def reliability_table(points: list[tuple[float, bool]], bins: int = 10) -> tuple[list[tuple[str, int, float, float]], float]:
    """(bin, n, mean confidence, accuracy) rows and the expected calibration error."""
    grouped: dict[int, list[tuple[float, bool]]] = {}
    for confidence, right in points:
        grouped.setdefault(min(bins - 1, int(confidence * bins)), []).append((confidence, right))
    rows = []
    ece = 0.0
    for index in sorted(grouped):
        items = grouped[index]
        mean = sum(c for c, _ in items) / len(items)
        accuracy = sum(1 for _, ok in items if ok) / len(items)
        ece += len(items) / max(len(points), 1) * abs(mean - accuracy)
        rows.append((f"{index / bins:.1f}-{(index + 1) / bins:.1f}", len(items), mean, accuracy))
    return rows, ece
