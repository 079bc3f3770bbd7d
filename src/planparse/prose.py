"""Stage ``prose``: repair the numbers in the body that name an indicator.

``全员劳动生产率年均增长62`` lost its decimal point and ``%``. When a table value of the same
indicator (or a prior) has exactly those digits, the paragraph text gets ``6.2%`` back, recorded as
a ``decimal`` repair. A number that looks wrong for its indicator but has no support is flagged and
left as printed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import regex

from . import models
from .document import Damage, PagedText, Paragraph, Skeleton, TextEdit
from .repair import lookup

# Verbs that put a target level or a growth rate after an indicator's name.
_VERB = regex.compile(r"(?P<verb>达到|提高到|提升到|增加到|控制在|保持在|年均增长|年均提高|累计下降|累计降低|下降|降低|增长|提高|超过|不低于|低于)(?:约|以上)?(?P<digits>\d{2,5})(?![\d.%％])(?P<unit>[\p{Han}]?)")
_WINDOW = 14


@dataclass(frozen=True)
class ProseResult:
    edits: tuple[TextEdit, ...]
    repairs: tuple[models.Repair, ...]
    warnings: tuple[models.RecordWarning, ...]


def _paragraphs(skeleton: Skeleton) -> Iterable[Paragraph]:
    yield from skeleton.preamble
    for chapter in skeleton.chapters:
        yield from chapter.paragraphs
        for section in chapter.sections:
            yield from section.paragraphs


def _digits(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}".replace(".", "")


def _candidates(indicator: models.Indicator, verb: str) -> list[tuple[float, int, bool]]:
    """(value, decimals, is_rate) of the indicator's cells that fit the verb."""
    growth_verb = "增长" in verb or "下降" in verb or "降低" in verb or verb == "提高"
    found = []
    for cell in indicator.cells:
        if cell.value is None:
            continue
        shown = cell.raw if cell.raw.isdigit() else ""
        decimals = len(str(cell.value).split(".")[1]) if cell.value != int(cell.value) else 0
        is_change = "增" in cell.column or "累计" in cell.column or "降" in cell.column
        if growth_verb != is_change:
            continue
        if shown and len(shown) > len(_digits(cell.value, decimals)):
            decimals = len(shown) - len(str(int(cell.value)))
        found.append((cell.value, decimals, is_change and not cell.cumulative))
    return found


def repair_prose(
    skeleton: Skeleton, paged: PagedText, indicators: Sequence[models.Indicator], damage: Damage | None = None
) -> ProseResult:
    """Find indicator names followed by a verb and a number in the body; repair or flag them."""
    names: dict[str, list[models.Indicator]] = {}
    for indicator in indicators:
        for name in {indicator.indicator, indicator.indicator_raw}:
            if len(name) >= 4:
                names.setdefault(name, []).append(indicator)
    edits: list[TextEdit] = []
    repairs: list[models.Repair] = []
    warnings: list[models.RecordWarning] = []
    if not names:
        return ProseResult((), (), ())
    pattern = regex.compile("|".join(regex.escape(name) for name in sorted(names, key=len, reverse=True)))
    taken: set[int] = set()
    for paragraph in _paragraphs(skeleton):
        text = paragraph.text
        for match in pattern.finditer(text):
            verb = _VERB.match(text, match.end(), min(len(text), match.end() + _WINDOW))
            if verb is None:
                continue
            digits = verb.group("digits")
            start = paragraph.start + verb.start("digits")
            if start in taken:
                continue
            rows = names[match.group()]
            chosen = None
            for row in rows:
                for value, decimals, is_rate in _candidates(row, verb.group("verb")):
                    if decimals and _digits(value, decimals) == digits:
                        chosen = (row, value, decimals, is_rate)
                        break
                if chosen:
                    break
            if chosen is None:
                _flag(rows[0], digits, verb.group("verb"), paragraph, warnings)
                continue
            row, value, decimals, is_rate = chosen
            percent = (is_rate or row.unit == "%") and verb.group("unit") == ""
            after = f"{value:.{decimals}f}" + ("%" if percent else "")
            taken.add(start)
            edits.append(TextEdit(start, start + len(digits), after))
            repairs.append(
                models.Repair(
                    kind="decimal",
                    page=paragraph.page,
                    offset=paged.source_offset(start),
                    before=digits,
                    after=after,
                    confidence=min(1.0, max(cell.confidence for cell in row.cells if cell.value == value)),
                    context=text[max(0, match.start()) : verb.end()],
                )
            )
    return ProseResult(tuple(sorted(edits, key=lambda edit: edit.start)), tuple(repairs), tuple(warnings))


def _flag(row: models.Indicator, digits: str, verb: str, paragraph: Paragraph, warnings: list[models.RecordWarning]) -> None:
    """Warn about a number that looks impossible for its indicator and has no table support."""
    number = int(digits)
    entry = lookup(row.indicator)
    kind = (entry or {}).get("kind")
    suspicious = (row.unit == "%" and number > 100) or ("增长" in verb and number > 30) or kind in ("share", "rate") and number > 100
    if suspicious:
        warnings.append(
            models.RecordWarning(
                code="prose_number_unrepaired",
                message=f"{row.indicator}{verb}{digits}: the number looks damaged but no table value supports a repair",
                page=paragraph.page,
            )
        )
