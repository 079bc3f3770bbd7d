"""Stage ``repair`` (solving): cut damaged table rows into cells, rank every reading by evidence,
and make the record's cells and warnings.

A damaged row such as ``常住人口城镇化率（）预期性60565853`` has lost its decimal points, ``%``
and ``[ ]``. Every way to cut its digits into the header's cells (at most one decimal point per
cell) is a *reading*; each reading is scored by

- arithmetic, as a likelihood ratio: target − base = cumulative change, or compounding for annual
  rates; in a plan-versus-actual table both paths must imply one starting value
  (:mod:`.score`, :func:`planparse.repair.score._window_ratios`);
- agreement of the same indicator and year across tables (a second pass);
- scale priors: shares lie in 0–100, annual growth is rarely above 20, counts are whole,
  fewer decimals are likelier, and national reference values (``data/indicators.yaml``) are a
  soft prior for intensive indicators.

Scores become probabilities (softmax); a cell's value is the one with the highest marginal mass,
its confidence that mass less the row's parse risk, calibrated per basis, rival kind and table
structure (:mod:`.calibrate`); its runner-ups share what is left. A row's probability of not adding
up and every cell the record does not vouch for are named in warnings. Intact rows are not
rewritten: the same scorer only checks them and warns when their arithmetic does not hold.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from .. import models
from ..document import PagedText, Skeleton
from ..tables import HeaderColumn, ParsedTable, Row, TableResult, lexicon
from .joint import JointFactors, adjusted, joint_factors
from .model import (
    SETTINGS,
    TEMPERATURE,
    YEARS_DEFAULT,
    CellReading,
    Reading,
    RepairSettings,
    _RowContext,
    lookup,
    period_of,
    prose_quotes,
    prose_weight,
)


def _probabilities(readings: Sequence[Reading]) -> list[float]:
    """Softmax of the scores. The temperature widens near-ties: the soft priors are rough, and a
    reading ahead by one point of prior only is not 'clearly ahead' (calibrated on the harness)."""
    top = readings[0].score
    weights = [math.exp((reading.score - top) / TEMPERATURE) for reading in readings]
    total = sum(weights)
    return [weight / total for weight in weights]


def _display(value: float | None, decimals: int) -> str:
    return "--" if value is None else f"{value:.{decimals}f}"


ARITHMETIC_TIE = SETTINGS.arithmetic_tie


def _basis(key: tuple[float | None, bool | None], rival: tuple[float | None, bool | None] | None,
           supports: dict[tuple[float | None, bool | None], Reading], context: _RowContext | None,
           agreed: bool) -> str:
    """What tells a damaged cell's shown value from its strongest rival: ``cross_table`` (another
    table's confident value), ``arithmetic`` (the rival's row does not add up as well), or
    ``prior_only`` (both add up alike, or nothing can be checked: only the priors decide)."""
    if agreed:
        return "cross_table"
    if rival is None:
        return "arithmetic"  # no other reading within reach
    if context is None:
        return "prior_only"
    own = supports[key].arithmetic
    if own < ARITHMETIC_TIE:
        return "prior_only"  # its own row does not add up: nothing but priors chose it
    other = supports[rival].arithmetic
    return "arithmetic" if own - other >= ARITHMETIC_TIE else "prior_only"


def arithmetic_structure(roles: Sequence[str]) -> str:
    """What a table's rows can check: ``levels`` (base, target and change), ``pairs``
    (plan-versus-actual (level, change) pairs) or ``none``. Calibration maps may differ by it."""
    if "base" in roles and "target" in roles and "change" in roles:
        return "levels"
    if roles.count("change") >= 2 and ("target" in roles or "actual" in roles):
        return "pairs"
    return "none"


def table_structure(columns: Sequence[HeaderColumn]) -> str:
    """What a table's rows can check or share, for the calibration maps: :func:`arithmetic_structure`
    (``levels``, ``pairs``), else ``outcome`` (statistical outcomes: 比上年增长（%）, 比重（%）),
    ``series`` (a range total of its years, or three or more successive years), or ``none``."""
    return _table_structure(tuple(columns))


@lru_cache(maxsize=256)
def _table_structure(columns: tuple[HeaderColumn, ...]) -> str:
    """:func:`table_structure`, kept per header (asked for every cell)."""
    from .score import _outcome_column
    from .wide import consecutive_years, sum_structure

    structure = arithmetic_structure([column.role for column in columns])
    if structure != "none":
        return structure
    if sum_structure(columns) is not None or consecutive_years(columns):
        return "series"
    if any(_outcome_column(column) for column in columns):
        return "outcome"
    return "none"


def column_kind(column: HeaderColumn) -> str:
    """What a column holds, for the calibration maps of real tables: ``rate`` (a statistical outcome:
    比上年增长（%）, 比重（%）, whose priors know its range and its one decimal) or ``level`` (a level,
    a count, a change in other units: its decimals nothing in the column decides)."""
    from .score import _outcome_column

    return "rate" if _outcome_column(column) else "level"


def rival_kind(value: float | None, rival: tuple[float | None, bool | None] | None) -> str:
    """How a cell's shown value differs from its strongest rival: ``scale`` (the same digits with
    the point elsewhere, ×10ⁿ), ``flag`` (the same value, cumulative or annual), ``cut`` (other
    digits), or ``none`` (no rival within reach)."""
    if rival is None:
        return "none"
    other = rival[0]
    if other is None or value is None:
        return "cut"
    if other == value:
        return "flag"
    if value and other:
        exponent = math.log10(abs(other / value))
        if abs(exponent - round(exponent)) < 1e-6:
            return "scale"
    return "cut"


def parse_risk(row: Row | None, readings: Sequence[Reading], settings: RepairSettings = SETTINGS) -> float:
    """The probability that a damaged row was parsed wrong (its cells then are wrong whatever their
    reading): a floor for every row, more where the parse guessed — the row's last digits given to
    the next name, a guessed row end, a word cell beside digits, a word cell no lexicon knows."""
    risk = settings.parse_wrong
    if row is None:
        return risk
    if readings and readings[0].leftover:
        risk += settings.parse_wrong_leftover
    if row.uncertain:
        risk += settings.parse_wrong_boundary
    kinds = {token.kind for token in row.tokens}
    if "word" in kinds and "blob" in kinds:
        risk += settings.parse_wrong_word
    if any(token.kind == "word" and not lexicon.known_word_cell(token.text) for token in row.tokens):
        risk += settings.parse_wrong_unknown_word
    return min(risk, 0.5)


def row_inconsistency(readings: Sequence[Reading], probabilities: Sequence[float]) -> float | None:
    """The probability that the row's printed numbers do not add up: the mass of the readings whose
    arithmetic misses its exact window (rounded targets, nominal levels beside real rates); None
    when the row has nothing to check."""
    missed = checked = 0.0
    for reading, probability in zip(readings, probabilities):
        if reading.adds_up is None:
            continue
        checked += probability
        if not reading.adds_up:
            missed += probability
    return missed / checked if checked > 0.5 else None


def _cells_from(readings: Sequence[Reading], columns: Sequence[HeaderColumn], damaged: bool,
                context: _RowContext | None = None, agree: dict[tuple[str, int | None, str], float] | None = None,
                risk: float = SETTINGS.parse_wrong, probabilities: Sequence[float] | None = None) -> list[models.Cell]:
    """The row's cells. One notion of value and confidence: each damaged cell shows the value with
    the highest probability mass over the readings (its marginal); that mass, less the row's
    ``risk`` of a wrong parse, calibrated for what decided it and how its rival differs
    (:func:`_basis`, :func:`rival_kind`; ``data/calibration.yaml``), is its confidence. A dash or
    a word of a damaged row is printed whole, yet its row may be parsed wrong: it gets the fitted
    ``fixed`` map of ``1 − risk``. No damaged cell is certain."""
    from .calibrate import calibrate

    best = readings[0]
    if probabilities is None:
        probabilities = _probabilities(readings) if damaged else [1.0]
    # Probability mass of each (value, cumulative) per column, readings in order (one pass), and
    # the first (best) reading that holds each.
    changes = [column.role == "change" for column in columns]
    masses: list[dict[tuple[float | None, bool | None], float]] = [{} for _ in columns]
    supports: list[dict[tuple[float | None, bool | None], Reading]] = [{} for _ in columns]
    for reading, probability in zip(readings, probabilities):
        for index, other in enumerate(reading.cells):
            key = (other.value, reading.cumulative if changes[index] and other.value is not None else None)
            mass_of = masses[index]
            mass_of[key] = mass_of.get(key, 0.0) + probability
            supports[index].setdefault(key, reading)
    result = []
    for index, column in enumerate(columns):
        mass = masses[index]
        cell = best.cells[index]
        if damaged and cell.kind == "number":
            ranked = sorted(mass.items(), key=lambda item: (-item[1], str(item[0])))
            own_key, confidence = ranked[0]
            cell = supports[index][own_key].cells[index]
            rival = ranked[1][0] if len(ranked) > 1 else None
            known = (agree or {}).get((context.name_key, column.year, "target" if column.role == "actual" else column.role)) if context else None
            agreed = known is not None and cell.value is not None and abs(known - cell.value) < 1e-9
            basis = _basis(own_key, rival, supports[index], context, agreed)
            structure = table_structure(context.columns) if context else "none"
            raw = confidence
            confidence = calibrate(raw * (1 - risk), basis, rival_kind(own_key[0], rival), structure)
            # The runner-ups share what the calibrated confidence leaves, in proportion to their mass:
            # a cell's confidence and its alternatives' scores never add up to more than 1.
            rest = (1.0 - confidence) / (1.0 - raw) if raw < 1.0 else 0.0
            alternatives = [
                models.Alternative(value=value, cumulative=flag, score=round(min(1.0, p * rest), 4)) for (value, flag), p in ranked[1:4]
            ]
            cumulative = own_key[1] if column.role == "change" and cell.value is not None else None
            if cumulative is None and column.role == "change" and cell.value is not None:
                cumulative = column.cumulative
        else:
            basis = "intact"
            confidence = calibrate(1 - risk, "fixed") if damaged else 1.0
            alternatives = []
            cumulative = None
            if column.role == "change" and cell.value is not None:
                cumulative = best.cumulative if best.cumulative is not None else column.cumulative
                if not damaged:
                    # Intact: printed brackets say cumulative; otherwise the header decides (年均: annual).
                    cumulative = True if "[" in cell.raw else bool(column.cumulative)
        result.append(
            models.Cell(
                column=column.path,
                column_index=index + 1,
                raw=cell.raw,
                value=cell.value,
                comparator=cell.comparator,  # type: ignore[arg-type]
                cumulative=cumulative,
                text=cell.text,
                confidence=round(min(1.0, max(0.0, confidence)), 4),
                alternatives=alternatives,
                basis=basis,  # type: ignore[arg-type]
            )
        )
    return result


def _damaged_row_warnings(label: str, page: int | None, row_start: int, inconsistent: float | None, cells: Sequence[models.Cell],
                          settings: RepairSettings = SETTINGS) -> list[models.RecordWarning]:
    """The warnings of a damaged row: the row when its numbers probably do not add up, and every
    cell the record does not vouch for — below ``flag_threshold`` (indicator_uncertain), decided
    by the priors alone below ``abstain_below`` (indicator_prior_only: the value is the likelier
    one, the record abstains), or below ``vouch`` (a dash or a word too: a guessed word cell)."""
    found: list[models.RecordWarning] = []
    page_of = page
    if inconsistent is not None and inconsistent >= 0.5:
        found.append(models.RecordWarning(
            code="indicator_row_inconsistent",
            message=f"{label}: the row's numbers probably do not add up (probability {inconsistent:.2f}: a rounded target, or "
            "levels and growth on different price bases); its cells rest on the priors", page=page_of).at(rows=[row_start]))
    for cell in cells:
        if cell.basis == "intact" and not cell.alternatives and cell.confidence >= settings.vouch:
            continue
        shown = ", ".join(_display(alt.value, 2) + (" [cumulative]" if alt.cumulative else "") for alt in cell.alternatives)
        read = "--" if cell.value is None else f"{cell.value:g}"
        if cell.confidence < settings.flag_threshold:
            found.append(models.RecordWarning(
                code="indicator_uncertain",
                message=f"{label} / {cell.column}: read {cell.raw} as {read} (confidence {cell.confidence:.2f}); alternatives: {shown}",
                page=page_of).at(cells=[(row_start, cell.column_index)]))
        elif cell.basis == "prior_only" and cell.alternatives and (cell.confidence < max(settings.abstain_below, settings.vouch) or (
                settings.abstain_on_scale and rival_kind(cell.value, (cell.alternatives[0].value, cell.alternatives[0].cumulative)) == "scale")):
            # Only the soft priors tell the reading from its rival (a ×10 scale of a row that adds
            # up either way): the value is the likelier one, but the record abstains from vouching.
            found.append(models.RecordWarning(
                code="indicator_prior_only",
                message=f"{label} / {cell.column}: {cell.raw} read as {read} on priors alone (confidence "
                f"{cell.confidence:.2f}); the row adds up as well with: {shown}", page=page_of).at(cells=[(row_start, cell.column_index)]))
        elif cell.confidence < settings.vouch:
            found.append(models.RecordWarning(
                code="indicator_uncertain",
                message=f"{label} / {cell.column}: read {cell.raw} as {read} (confidence {cell.confidence:.2f}, below "
                f"{settings.vouch:.2f}); alternatives: {shown or 'none within reach'}", page=page_of).at(cells=[(row_start, cell.column_index)]))
    return found


def _years(table: ParsedTable) -> tuple[int | None, int | None]:
    """(base year, target year) of a table's arithmetic: the base column's year and the first
    target's (a 2035 column beside 2020 and 2025 is not the change column's end), else the title's
    plan period (“十四五”), else the years printed."""
    columns = table.columns
    base = next((column.year for column in columns if column.role == "base" and column.year), None)
    target = next((column.year for column in columns if column.role in ("target", "actual") and column.year), None)
    if base is not None and target is not None and target > base:
        return base, target
    if table.period is not None and not any(column.year for column in columns):
        return table.period
    years = sorted({column.year for column in columns if column.year})
    target_year = years[-1] if years else None
    base_year = years[0] if len(years) >= 2 else (target_year - YEARS_DEFAULT if target_year else None)
    return base_year, target_year


_FIGURE = regex.compile(r"\d+")
_CLAUSE_MARKS = "，。；：、！？（）()\n"
_SENTENCE_MARKS = "。；\n"
_NAME_NOISE = regex.compile(r"其中|[：:（）()\[\]\d\s]")


_RATE_WORDS = frozenset({"增长", "下降", "增速"})  # the prose's year-on-year rates: 比上年增长52


def prose_figures(parsed: Sequence[ParsedTable], skeleton: Skeleton | None, paged: PagedText) -> ProseFigures:
    """The figures of the body's prose: the tables' own spans left out, and the front matter and
    TOC, whose digits are page numbers and dates (粮食综合生产能力18 in the seed's TOC had quoted a
    row's digits by chance)."""
    excluded = [(block.start, block.end) for block in (skeleton.tables if skeleton else ())]
    excluded += [(table.block.start, table.block.end) for table in parsed]
    excluded.append((0, paged.body_start))
    return ProseFigures(paged.text, excluded)


def _merged(spans: Sequence[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The union of ``spans`` as disjoint sorted intervals: (starts, ends), for bisecting."""
    starts: list[int] = []
    ends: list[int] = []
    for low, high in sorted(spans):
        if ends and low <= ends[-1]:
            ends[-1] = max(ends[-1], high)
        else:
            starts.append(low)
            ends.append(high)
    return starts, ends


class ProseFigures:
    """The digit runs of the prose outside tables, each with the clause that leads it (the words
    since the last clause mark), indexed by the clauses' two-character pieces."""

    def __init__(self, text: str, excluded: Sequence[tuple[int, int]], settings: RepairSettings = SETTINGS) -> None:
        self.clauses: list[tuple[str, str]] = []
        self.sentences: list[int] = []  # each clause's sentence (。；and line ends close one): what follows a name in it
        self.follow = settings.prose_follow
        self.is_rate: list[bool] = []  # the clause's figure is a year-on-year rate (增长665: 66.5 %, one decimal)
        sentence = 0
        last_end = 0
        self.rates: list[tuple[str, str]] = []  # (the word before, digits) of 增长52, 下降13 …
        self.by_pair: dict[str, set[int]] = {}
        self._near_by_name: dict[str, frozenset[tuple[str, bool]]] = {}  # _near, kept: every pass asks it of every row
        starts, ends = _merged(excluded)
        for match in _FIGURE.finditer(text):
            digits = match.group()
            start = match.start()
            inside = bisect_right(starts, start) - 1
            if inside >= 0 and start < ends[inside]:
                continue
            rate_word = text[max(0, start - 2) : start]
            rate = rate_word in _RATE_WORDS and len(digits) <= 4 and not text.startswith(("个百分点", "倍", "万", "亿"), match.end())
            if rate:
                self.rates.append((rate_word, digits))
            if len(digits) < settings.prose_min_digits:
                continue
            if len(digits) == 4 and digits[:2] in ("19", "20") and text.startswith("年", match.end()):
                continue  # a year
            cursor = start
            before = bisect_right(ends, start) - 1
            floor = ends[before] if before >= 0 else 0  # a clause does not reach into a table
            while cursor > floor and start - cursor < 40 and text[cursor - 1] not in _CLAUSE_MARKS:
                cursor -= 1
            clause = text[cursor:start]
            sentence += sum(text.count(mark, last_end, start) for mark in _SENTENCE_MARKS)
            last_end = match.end()
            index = len(self.clauses)
            self.clauses.append((clause, digits))
            self.sentences.append(sentence)
            self.is_rate.append(rate)
            for position in range(len(clause) - 1):
                self.by_pair.setdefault(clause[position : position + 2], set()).add(index)

    def rate_size(self, settings: RepairSettings = SETTINGS) -> float | None:
        """The median size of the prose's year-on-year rates (增长52 / 下降13: one decimal, as the
        prose prints rates; damaged prose lost the point), None with fewer than ``min_prose_rates``."""
        sizes = sorted(int(digits) / 10 for clause, digits in self.rates)
        if len(sizes) < settings.min_prose_rates:
            return None
        return sizes[len(sizes) // 2]

    def after(self, name: str) -> frozenset[str]:
        """The digit runs printed in a clause that holds ``name`` (其中、：and parentheses aside), and
        the next ``prose_follow`` runs of its sentence (旅客运输周转量28610亿人公里，增长1214: the
        row's rate follows its level in the next clause)."""
        return frozenset(digits for digits, _rate in self._near(name))

    def rates_after(self, name: str) -> frozenset[str]:
        """Those of :meth:`after` that are year-on-year rates (增长1214: printed with one decimal)."""
        return frozenset(digits for digits, rate in self._near(name) if rate)

    def _near(self, name: str) -> frozenset[tuple[str, bool]]:
        near = self._near_by_name.get(name)
        if near is None:
            near = self._near_by_name[name] = frozenset(self._figures_near(name))
        return near

    def _figures_near(self, name: str) -> set[tuple[str, bool]]:
        """(digits, is a rate) of the figures :meth:`after` reads for ``name``."""
        key = _NAME_NOISE.sub("", name)
        if len(key) < 2:
            return set()
        candidates = self.by_pair.get(key[:2], set()) & self.by_pair.get(key[-2:], set())
        found: set[tuple[str, bool]] = set()
        for index in candidates:
            if key not in self.clauses[index][0]:
                continue
            clause, digits = self.clauses[index]
            if clause.endswith(key):
                # A footnote mark right after the name lost its brackets (货物运输总量[28]557 →
                # 货物运输总量28557): the figure may start a digit or two later.
                found.update((digits[cut:], False) for cut in (1, 2) if len(digits) - cut >= 2 and digits[cut] != "0")
            for following in range(index, min(len(self.clauses), index + 1 + self.follow)):
                if self.sentences[following] != self.sentences[index]:
                    break
                found.add((self.clauses[following][1], self.is_rate[following]))
        return found


def _context(table: ParsedTable, row: Row, prose: ProseFigures | None = None,
             ceilings: tuple[tuple[str, float], ...] = (), habit: float | None = None,
             share_total: tuple[int, int, float] | None = None, total_row: bool = False,
             decimal_habits: tuple[tuple[str, tuple[float, float, float]], ...] = ()) -> _RowContext:
    base_year, target_year = _years(table)
    span = (target_year - base_year) if target_year and base_year and target_year > base_year else YEARS_DEFAULT
    prior = lookup(row.name)
    quoted = prose.after(row.name) if prose is not None and table.damaged else frozenset()
    rates = prose.rates_after(row.name) if quoted and prose is not None else frozenset()
    return _RowContext(
        columns=table.columns,
        unit=row.unit,
        prior=prior,
        period=period_of(target_year),
        years=span,
        base_year=base_year,
        target_year=target_year,
        name_key=prior["name"] if prior else row.name,
        brackets=table.bracket_meaning is not None or table.damaged,
        spare_cost=-row.spare_prior,
        prose_digits=quoted,
        prose_rates=rates,
        prose_weight=prose_weight(row.tokens, quoted, rates),
        ceilings=ceilings,
        growth_habit=habit,
        share_total=share_total,
        total_row=total_row,
        decimal_habits=decimal_habits,
    )


def share_columns(columns: Sequence[HeaderColumn]) -> tuple[int, int] | None:
    """(level column, share column) of a two-column table of a level and its share in % (年末数 | 比重（%）)."""
    from .score import _outcome_column

    if len(columns) != 2:
        return None
    shares = [index for index, column in enumerate(columns) if column.role == "value" and _outcome_column(column)]
    levels = [index for index, column in enumerate(columns) if column.role == "value" and not _outcome_column(column)]
    return (levels[0], shares[0]) if len(shares) == 1 and len(levels) == 1 else None


def growth_habit(table: ParsedTable, indicators: Sequence[models.Indicator], prose: ProseFigures | None,
                 settings: RepairSettings = SETTINGS) -> float | None:
    """The typical size of a damaged table's year-on-year rates, from its anchored rows: rows whose
    level digits the prose prints after the row's name (全年全社会固定资产投资43202亿元: the level's
    digits, hence the cut before the rate, are confirmed); the median of their rates' sizes, None
    with fewer than ``min_anchors`` of them."""
    from .score import _outcome_column

    if prose is None or not table.damaged:
        return None
    growth = [index for index, column in enumerate(table.columns) if column.role == "change" and _outcome_column(column)]
    if not growth:
        return None
    sizes = []
    for row, indicator in zip(table.rows, indicators):
        digits = prose.after(row.name)
        for index in growth:
            if index >= len(indicator.cells) or index == 0:
                continue
            rate, level = indicator.cells[index], indicator.cells[index - 1]
            if rate.value is None or not rate.raw or level.value is None:
                continue
            shown, printed = level.raw.lstrip("-"), rate.raw.lstrip("-")
            rates = prose.rates_after(row.name)
            if rates:
                # The prose prints the row's rate too (货物运输总量578亿吨，比上年增长38): the anchor is
                # the rate the prose confirms (one decimal, as the prose prints rates), beside a quoted level.
                if printed in rates and len(shown) >= 2 and prose_quotes(shown, _decimals_of(shown, level.value), digits):
                    sizes.append(int(printed) / 10)
            elif shown in digits and len(shown) >= 3:
                sizes.append(abs(rate.value))
    if len(sizes) < settings.min_anchors:
        return None
    sizes.sort()
    return sizes[len(sizes) // 2]


def _decimals_of(digits: str, value: float) -> int:
    """The decimals a cell's reading gave its digits (22342 read 2234.2: one)."""
    whole = int(digits)
    return next((places for places in range(len(digits) + 1) if abs(whole / 10**places - abs(value)) < 1e-9), 0)


HABIT_STRUCTURES = ("outcome", "series", "none")  # statistical tables; plan tables (levels, pairs) have their arithmetic
JOINT_STRUCTURES = ("outcome", "series")  # statistical tables whose rows' totals and shares bind each other (planparse.repair.joint)


def _habit_columns(columns: Sequence[HeaderColumn]) -> list[int]:
    """The columns whose precision is a habit of the table: levels (not rates, not shares in %)."""
    from .score import _outcome_column

    return [index for index, column in enumerate(columns)
            if column.role in ("value", "base", "target", "actual") and column.unit != "%" and not _outcome_column(column)]


def decimal_votes(readings: Sequence[Reading], column: int, settings: RepairSettings = SETTINGS) -> int | None:
    """The decimals a row's evidence fixes for its cell in ``column``: among the readings that give
    the cell the best reading's digits, the decimal count holding at least ``decimal_evidence`` of
    their mass; None when the priors alone chose (2234.2 or 22342: the same digits, either point)."""
    if not readings:
        return None
    best = readings[0].cells[column] if column < len(readings[0].cells) else None
    if best is None or best.kind != "number" or best.value is None:
        return None
    mass: dict[int, float] = {}
    for reading, probability in zip(readings, _probabilities(readings)):
        cell = reading.cells[column]
        if cell.kind == "number" and cell.raw == best.raw:
            mass[cell.decimals] = mass.get(cell.decimals, 0.0) + probability
    total = sum(mass.values())
    if total < settings.decimal_cut:
        return None  # the cell's digits themselves are in doubt: no evidence of the column's precision
    decided = [decimals for decimals, weight in mass.items() if weight >= settings.decimal_evidence * total]
    return decided[0] if decided else None


Habits = tuple[tuple[str, str | None, tuple[float, float, float]], ...]  # (column path, row unit, log-prior of 0/1/2 decimals)


def decimal_habits(columns: Sequence[HeaderColumn], rows: Sequence[tuple[str | None, Sequence[Reading]]],
                   settings: RepairSettings = SETTINGS) -> Habits:
    """Each level column's decimal habit, from the rows whose evidence fixed their cell's decimals
    (:func:`decimal_votes`): a posterior over the column printing 0, 1 or 2 decimals (a row of a
    column prints another precision with probability ``decimal_mixed``; the prior of a level beside
    outcomes is ``decimal_habit_level`` whole, else even), and the log-prior of a cell's decimals it
    implies (relative to whole). Abstains — no habit — with fewer than ``decimal_votes`` votes or a
    posterior below ``decimal_decide`` (a mixed column). Rows of another unit are another habit
    (2002 表13: incomes in 元 print whole, Engel coefficients in % one decimal, in the same columns)."""
    from .score import _outcome_column

    beside_outcomes = any(_outcome_column(column) for column in columns)
    found = []
    for index in _habit_columns(columns):
        whole = settings.decimal_habit_level if beside_outcomes and columns[index].role == "value" else 0.5
        by_unit = {unit: [vote for vote in (decimal_votes(readings, index, settings) for own, readings in rows if own == unit)
                          if vote is not None] for unit in dict.fromkeys(unit for unit, _ in rows)}
        few = [unit for unit, votes in by_unit.items() if len(votes) < settings.decimal_votes]
        for unit, votes in by_unit.items():
            if unit in few:
                continue
            prices = _habit_prices(votes, whole, settings)
            if prices is not None:
                found.append((columns[index].path, unit, prices))
        # Units of a row or two each (表3: 万吨, 亿米, 万台 …, one product a row): the column's habit
        # over those rows together, ratios (%) apart.
        pooled_units = [unit for unit in few if unit != "%"]
        pooled = [vote for unit in pooled_units for vote in by_unit[unit]]
        if settings.decimal_pool_units and len(pooled_units) >= 2 and len(pooled) >= settings.decimal_votes:
            prices = _habit_prices(pooled, whole, settings)
            if prices is not None:
                found.extend((columns[index].path, unit, prices) for unit in pooled_units)
    return tuple(found)


def _habit_prices(votes: Sequence[int], whole: float, settings: RepairSettings) -> tuple[float, float, float] | None:
    """The log-prior of a cell's 0, 1, 2 decimals (relative to whole) a column's votes imply, or None
    when the posterior over its habit stays below ``decimal_decide``."""
    prior = [whole, 1.0 - whole, 0.05]
    miss = settings.decimal_mixed / 2
    posterior = []
    for habit in range(3):
        log = math.log(prior[habit]) + sum(math.log(1 - settings.decimal_mixed if vote == habit else miss) for vote in votes)
        posterior.append(log)
    top = max(posterior)
    weights = [math.exp(item - top) for item in posterior]
    total = sum(weights)
    posterior = [weight / total for weight in weights]
    if max(posterior) < settings.decimal_decide:
        return None  # mixed, or too few votes against the prior: abstain
    cell = [sum(posterior[habit] * (1 - settings.decimal_mixed if habit == decimals else miss) for habit in range(3))
            for decimals in range(3)]
    return (0.0, math.log(cell[1] / cell[0]), math.log(cell[2] / cell[0]))


class _Parts:
    """Totals and their parts down a damaged statistical table (issue 12: the evidence real tables
    offer where a row has no arithmetic of its own): a row marked 其中 is a part of a row above it,
    so its level is at most the largest level above it; the rows after a total (总计, …总额) in its
    unit are its parts. A total's bound is the largest value its readings of some weight give the
    column. Plan tables (地区生产总值 then other indicators) are no such lists: only tables of
    statistical outcomes or series (:func:`table_structure`) are read this way."""

    MIN_WEIGHT = 0.2  # readings lighter than this do not widen a total's bound (the shown reading's rivals of weight)

    def __init__(self, columns: Sequence[HeaderColumn]) -> None:
        self.paths = [column.path for column in columns if column.role != "change" and column.unit != "%"]
        self.above: dict[str, float] = {}  # the largest bound of the rows above that are not parts
        self.total: dict[str, float] | None = None
        self.total_unit: str | None = None  # its parts are printed in its unit

    def ceilings(self, row: Row) -> tuple[tuple[str, float], ...]:
        if lexicon.is_part_row(row.name):
            bound = self.above
        elif self.total is not None and not lexicon.is_total_row(row.name) and row.unit == self.total_unit:
            bound = self.total
        else:
            return ()
        return tuple((path, value) for path, value in bound.items() if path in self.paths)

    def add(self, row: Row, readings: Sequence[Reading], columns: Sequence[HeaderColumn]) -> None:
        if not readings or lexicon.is_part_row(row.name):
            return
        bound: dict[str, float] = {}
        for reading, probability in zip(readings, _probabilities(readings)):
            if probability < self.MIN_WEIGHT:
                continue
            for column, cell in zip(columns, reading.cells):
                if column.path in self.paths and cell.value is not None and cell.value > 0:
                    bound[column.path] = max(bound.get(column.path, 0.0), cell.value)
        for path, value in bound.items():
            self.above[path] = max(self.above.get(path, 0.0), value)
        if lexicon.is_total_row(row.name):
            self.total, self.total_unit = bound, row.unit


def _check_intact(row: Row, context: _RowContext, cells: Sequence[CellReading]) -> bool:
    """True when an intact row's arithmetic holds (or cannot be checked)."""
    columns = context.columns
    flags = {True, False}
    for token, column in zip(row.tokens, columns):
        if column.role == "change" and token.kind in ("number", "blob"):
            # Printed brackets decide; without them the header's 年均/累计 does, else either.
            if token.bracket:
                flags = {True}
            elif column.cumulative is not None:
                flags = {bool(column.cumulative)}
    from .score import score_readings  # NumPy

    tried: list[bool | None] = [flag for flag in (True, False) if flag in flags]
    holds = score_readings(context, {}, [tuple(cells)], [0], tried).holds[0] if "change" in context.roles else [None]
    return all(hit is None for hit in holds) or any(bool(hit) for hit in holds)


@dataclass
class _Solved:
    """A row's readings (or why there are none), and its cells once made (the second pass reuses
    both when no other table's values bear on the row)."""

    readings: list[Reading]
    problem: str | None
    cells: list[models.Cell] | None = None
    inconsistent: float | None = None  # the probability that the row's numbers do not add up


def solve_tables(parsed: Sequence[ParsedTable], skeleton: Skeleton | None, paged: PagedText) -> TableResult:
    """Solve every table. A second pass re-solves the rows whose indicator another table also
    reports (same name and year), rewarding readings that agree with its confident values. The
    prose's figures (:class:`ProseFigures`) tell a damaged row's cuts apart, not its decimal points."""
    prose = prose_figures(parsed, skeleton, paged) if any(table.damaged for table in parsed) else None
    agree_by_table: list[dict[tuple[str, int | None, str], float]] = []
    memo: dict[int, _Solved] = {}
    caches: dict[int, dict[Any, Any]] = {}  # row start → what its search keeps for the second pass
    solved = []
    habits: list[float | None] = []
    precisions: list[Habits] = []
    joints: list[JointFactors] = []
    for table in parsed:
        collected: dict[tuple[str, int | None, str], float] = {}
        evidence: list[tuple[str | None, list[Reading]]] | None = [] if table.damaged and table_structure(table.columns) in HABIT_STRUCTURES else None
        first = _solve_table(table, paged, {}, collect=collected, memo=memo, caches=caches, prose=prose, evidence=evidence)
        habit = growth_habit(table, first[1], prose)
        if habit is None and prose is not None and table.damaged and table_structure(table.columns) == "outcome":
            habit = prose.rate_size()  # no row of its own confirmed: the document's rates
        precision = decimal_habits(table.columns, evidence) if evidence else ()
        if habit is not None or precision:
            collected = {}
            evidence = [] if evidence is not None else None
            first = _solve_table(table, paged, {}, collect=collected, prose=prose, habit=habit, decimal_habits=precision,
                                 evidence=evidence)
        joint = (joint_factors(table.rows, table.columns, [readings for _, readings in evidence])
                 if evidence and table_structure(table.columns) in JOINT_STRUCTURES else {})
        if joint:
            collected = {}
            first = _solve_table(table, paged, {}, collect=collected, prose=prose, habit=habit, decimal_habits=precision, joint=joint)
        habits.append(habit)
        precisions.append(precision)
        joints.append(joint)
        solved.append(first)
        agree_by_table.append(collected)
    for index, table in enumerate(parsed):
        others: dict[tuple[str, int | None, str], float] = {}
        for other_index, collected in enumerate(agree_by_table):
            if other_index != index:
                for key, value in collected.items():
                    others.setdefault(key, value)
        if others and any(key[0] in {k[0] for k in others} for key in agree_by_table[index]) or (
            others and _shares_names(table, others)
        ):
            fresh = habits[index] is None and not precisions[index] and not joints[index]
            solved[index] = _solve_table(table, paged, others, collect=None, memo=memo if fresh else None,
                                         caches=caches if fresh else None, prose=prose, habit=habits[index],
                                         decimal_habits=precisions[index], joint=joints[index])
    tables = tuple(table for table, _, _ in solved)
    indicators = tuple(indicator for _, rows, _ in solved for indicator in rows)
    warnings = tuple(warning for table in parsed for warning in table.warnings) + tuple(
        warning for _, _, found in solved for warning in found
    )
    return TableResult(tables, indicators, (), warnings)


def _shares_names(table: ParsedTable, others: dict[tuple[str, int | None, str], float]) -> bool:
    names = {key[0] for key in others}
    return any(_context(table, row).name_key in names for row in table.rows)


def _solve_table(
    table: ParsedTable,
    paged: PagedText,
    agree: dict[tuple[str, int | None, str], float],
    collect: dict[tuple[str, int | None, str], float] | None,
    memo: dict[int, _Solved] | None = None,
    caches: dict[int, dict[Any, Any]] | None = None,
    prose: ProseFigures | None = None,
    habit: float | None = None,
    decimal_habits: Habits = (),
    evidence: list[tuple[str | None, list[Reading]]] | None = None,
    joint: JointFactors | None = None,
) -> tuple[models.Table, list[models.Indicator], list[models.RecordWarning]]:
    block = table.block
    name = f"专栏{block.box}" if block.box is not None else (block.label or "table")
    warnings: list[models.RecordWarning] = []
    indicators: list[models.Indicator] = []
    columns = table.columns
    carried = ""  # digits the previous row's last blob gave to this row's name
    parts = _Parts(columns) if table.damaged and table_structure(columns) in ("outcome", "series") else None
    shared = share_columns(columns) if table.damaged else None
    share_total: tuple[int, int, float] | None = None  # set by a first row whose share is 100
    for position, row in enumerate(table.rows, start=1):
        page = paged.page_at(row.start)
        ceilings = parts.ceilings(row) if parts is not None else ()
        precision = tuple((path, terms) for path, unit, terms in decimal_habits if unit == row.unit)
        context = _context(table, row, prose, ceilings, habit, share_total, shared is not None and position == 1, precision)
        shown_name = carried + row.name
        label = f"{name} row {position} {shown_name}"
        if not columns:
            continue
        if row.uncertain:
            warnings.append(models.RecordWarning(code="table_row_boundary", message=f"{label}: guessed {row.uncertain}", page=page)
                            .at(rows=[row.start]))
        relevant = {key: value for key, value in agree.items() if key[0] == context.name_key} if table.damaged else {}
        reusable = not relevant and not ceilings and share_total is None and not context.total_row  # the rows above may differ
        solved = memo.get(row.start) if memo is not None and reusable else None
        if solved is None:
            from .search import row_readings  # NumPy: only once a damaged row is searched

            solved = _Solved(*row_readings(row, context, relevant, row.spare if table.damaged else 0,
                                           caches.setdefault(row.start, {}) if caches is not None and reusable else None))
            if memo is not None and reusable:
                memo[row.start] = solved
        if joint and position - 1 in joint and solved.readings:
            solved = _Solved(adjusted(solved.readings, joint[position - 1]), solved.problem)  # the other rows' sums
        if evidence is not None:
            evidence.append((row.unit, solved.readings))
        if parts is not None:
            parts.add(row, solved.readings, columns)
        if shared is not None and position == 1 and solved.readings:
            level, share = (solved.readings[0].cells[index] for index in shared)
            if share.value == 100.0 and level.value:
                share_total = (*shared, level.value)  # the total row: every share below is a ratio to it
        readings, problem = solved.readings, solved.problem
        raw_start = row.name_start - len(carried)
        carried = ""
        if problem or not readings:
            printed = " ".join(("-" if token.negative else "") + token.printed if token.kind in ("blob", "number") else token.text
                               for token in row.tokens)
            lost = f" (printed: {printed})" if printed else ""  # never silent: the digits the record could not read
            warnings.append(models.RecordWarning(code="indicator_unsolved", message=f"{label}: {problem}; cells left unread{lost}", page=page)
                            .at(rows=[row.start]))
            cells = [
                models.Cell(column=column.path, column_index=index + 1, raw="", value=None, comparator=None, cumulative=None,
                            text=None, confidence=0.0, alternatives=[])
                for index, column in enumerate(columns)
            ]
        else:
            if solved.cells is None:
                risk = parse_risk(row, readings) if table.damaged else 0.0
                probabilities = _probabilities(readings) if table.damaged else [1.0]
                solved.cells = _cells_from(readings, columns, table.damaged, context, relevant, risk, probabilities)
                solved.inconsistent = row_inconsistency(readings, probabilities) if table.damaged else None
            cells = solved.cells
            best = readings[0]
            if best.leftover:
                carried = best.leftover
                warnings.append(
                    models.RecordWarning(
                        code="row_leftover_digits",
                        message=f"{label}: digits {best.leftover} after the last cell taken as the start of the next row's name",
                        page=page,
                    ).at(rows=[row.start])
                )
            if not table.damaged and not _check_intact(row, context, best.cells):
                warnings.append(
                    models.RecordWarning(code="indicator_arithmetic", message=f"{label}: the row's numbers do not add up (base, target and change disagree)", page=page)
                    .at(rows=[row.start])
                )
            if table.damaged:
                warnings.extend(_damaged_row_warnings(label, page, row.start, solved.inconsistent, cells))
            for cell in cells:
                if collect is not None and cell.value is not None and cell.confidence >= 0.9:
                    column = columns[cell.column_index - 1]
                    role = "target" if column.role in ("actual", "target") else column.role
                    if column.role != "change":
                        collect.setdefault((context.name_key, column.year, role), cell.value)
                        if column.role == "base":
                            collect.setdefault((context.name_key, column.year, "target"), cell.value)
        indicators.append(
            models.Indicator(
                box=block.box,
                table=block.label,
                row=position,
                number=row.number,
                group=row.group,
                category=row.category,
                indicator=shown_name,
                indicator_raw=paged.raw_slice(raw_start, row.name_end),
                unit=row.unit,
                attribute=row.attribute,  # type: ignore[arg-type]
                page=page,
                offset=paged.source_offset(row.start),
                cells=cells,
                note=row.note,
            )
        )
    model = models.Table(
        box=block.box,
        table=block.label,
        title=block.title,
        page=paged.page_at(block.start),
        offset=paged.source_offset(block.start),
        columns=[
            models.Column(index=index + 1, path=column.path, year=column.year, role=column.role, cumulative=column.cumulative)  # type: ignore[arg-type]
            for index, column in enumerate(columns)
        ],
        attribute_column=table.has_attribute,
        notes=list(block.notes),
        bracket_meaning=table.bracket_meaning,
        damaged=table.damaged,
    )
    return model, indicators, warnings

