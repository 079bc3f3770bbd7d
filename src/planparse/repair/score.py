"""The repair solver's scorer: one implementation, vectorized with NumPy.

Every reading of a row (a cell reading per column, a cumulative flag, the digits given to the next
row) is scored as the sum of

- the cells' priors (:func:`_cell_priors`: decimals, shares above 100 %, growth limits, the unit's
  range, whole counts, the national figures; +3 / −1 where another table's confident value agrees
  or not);
- the level prior (:func:`_level_prior`: the levels of one row are of one magnitude; a ceiling far
  above today's value binds nothing);
- the arithmetic (:func:`_arithmetic`): the log likelihood ratio of the implied starting values
  (:func:`_window_ratios`), and the cumulative prior (:func:`planparse.repair.model.cumulative_prior_given`);
- ``−spare_cost`` per digit given to the next row's name.

The search (:mod:`.search`) lists readings as integer arrays (cell ids per column) and scores
them here in bulk; :func:`score_readings` scores readings given as cells (an intact row, the
brute-force oracle of tests/reference_solver.py) with the same code. Transcendental terms are
ranked with NumPy's ``log`` and recomputed with :mod:`math` for the readings within reach of the
best (NumPy's may differ in the last bit), so a score never depends on how many readings were
scored together.

NumPy is imported here only, and this module only when a table's numbers are scored.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import regex

from ..tables import lexicon
from .model import (
    COUNT_MULTIPLIERS,
    COUNT_UNITS,
    GENERIC_ANNUAL_GROWTH_LIMIT,
    GENERIC_CUMULATIVE_LIMIT,
    MAX_DECIMALS,
    PRUNE_BELOW,
    SETTINGS,
    SHARE_CHANGE_TYPICAL,
    CellReading,
    _RowContext,
    _tolerance,
    comma_fits,
    cumulative_prior_given,
    digit_readings,
    national_reference,
    national_term,
    prose_quotes,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from ..tables import HeaderColumn

SLOTS = MAX_DECIMALS + 1  # digit_readings() gives at most this many readings of a piece
_NONE = -1


def _cell_priors(values: NDArray[np.float64], decimals: NDArray[np.int64], column: HeaderColumn, context: _RowContext,
                 cumulative: bool | None) -> NDArray[np.float64]:
    """The prior of many numeric cells of one column, elementwise; its logarithms are taken with
    :mod:`math` (the same value whichever batch a cell is scored in)."""
    value = values
    absolute = np.abs(value)
    percent = context.unit == "%"
    score = np.where(decimals <= 1, 0.0, np.where(decimals == 2, -1.2, -4.0))
    score = np.where((decimals == 2) & (value < 1), -0.2, score)  # coefficients (0.55) print two decimals
    score = np.where((decimals != 0) & (value >= 1000), score - 1.5, score)
    outcome = _outcome_column(column)
    if outcome:
        # 比上年增长（%）, 比重（%）: one decimal as printed by statistical tables; a share is at most 100 %.
        score = np.where((decimals == 1) | (value == 0), 0.0, -SETTINGS.outcome_decimal_cost * np.abs(decimals - 1))
        if column.role == "change":
            score = np.where(absolute > SETTINGS.outcome_growth_limit, score - SETTINGS.outcome_growth_over, score)
            if context.growth_habit is not None:
                # The table's rates are of one size (2002's exports grew 20–30 %, 2023's products 0–10 %),
                # with a heavy tail (2023's passenger transport grew 120–160 % after the epidemic years):
                # Student's t with ``growth_habit_tail`` degrees of freedom.
                spread = (np.log1p(absolute) - math.log1p(context.growth_habit)) / SETTINGS.growth_habit_spread
                tail = SETTINGS.growth_habit_tail
                score = score - 0.5 * (tail + 1) * np.log1p(spread * spread / tail)
        else:
            score = np.where((value > 100) | (value < 0), score - 8.0, score)  # a share is 0–100 % (a sign is a growth cell's)
            if context.total_row:
                score = np.where(value == 100, score + SETTINGS.total_share, score)  # 全国人口 … 100.0
    elif column.role == "value" and any(_outcome_column(other) for other in context.columns):
        # A level beside statistical outcomes (绝对数 beside 比上年增长（%）): printed whole more often than not.
        score = np.where(decimals == 0, score, score - SETTINGS.outcome_level_decimal_cost)
        score = np.where(value < 0, score - SETTINGS.negative_level_cost, score)
    elif column.role == "change":
        if cumulative and percent and context.is_share:
            score = np.where(absolute > SHARE_CHANGE_TYPICAL, score - 0.25 * (absolute - SHARE_CHANGE_TYPICAL), score)
        limit = GENERIC_CUMULATIVE_LIMIT if cumulative else GENERIC_ANNUAL_GROWTH_LIMIT
        if percent or context.unit is None or cumulative is False:
            over = absolute > limit
            score = np.where(over, score - 4.0, score)
            if not cumulative:
                score = np.where(~over & (absolute > 12), score - 1.5, score)
    elif percent and context.share_capped:
        score = np.where(value > 100, score - 8.0, score)
    magnitude = context.magnitude
    if magnitude and column.role != "change":
        low, high = magnitude["range"]
        below = (value > 0) & (value < low)
        above = ~below & (value > high) if high is not None else np.zeros(value.shape, dtype=bool)
        term = np.zeros(value.shape, dtype=np.float64)
        term[below] = [1.5 * math.log(low / item) / math.log(10) + 1.0 for item in value[below].tolist()]
        term[above] = [1.5 * math.log(item / high) / math.log(10) + 1.0 for item in value[above].tolist()]
        score = np.where(below | above, score - term, score)
        finer = decimals > magnitude["decimals"]
        score = np.where(finer, score - 0.6 * (decimals - magnitude["decimals"]), score)
    for path, habit in context.decimal_habits:
        if path == column.path and not outcome:
            # The column's rows tell its precision: the generic decimal priors give way to it.
            score = np.where((decimals != 0) & (value >= 1000), score + 1.5, score)
            if column.role == "value" and any(_outcome_column(other) for other in context.columns):
                score = np.where(decimals == 0, score, score + SETTINGS.outcome_level_decimal_cost)
            habit_terms = np.array(habit, dtype=np.float64)
            score = score + habit_terms[np.clip(decimals, 0, 2)]
    for path, ceiling in context.ceilings:
        if path == column.path:
            score = np.where(value > ceiling * 1.0005, score - SETTINGS.part_above_total, score)  # a part above its total
    if context.unit in COUNT_UNITS:
        score = np.where(decimals != 0, score - 1.5, score)  # counts are whole numbers
    if _counts_single_things(column):
        # A column that counts single things (企业数（家）): its cells are integers, whatever the row's unit.
        score = np.where(decimals != 0, score - SETTINGS.count_column_decimal_cost, score)
    reference = national_reference(column, context, cumulative) if context.prior else None
    if reference is None:
        return score + 0.0  # the scalar prior adds its 0.0 too
    national, weight = reference
    intensive = bool((context.prior or {}).get("intensive"))
    terms = [national_term(item, national, weight, intensive) if item != 0 else 0.0 for item in value.tolist()]
    return score + np.array(terms, dtype=np.float64)


_LABEL_UNIT = regex.compile(r"[（(]([^（）()]{1,4})[）)]$")


def _counts_single_things(column: HeaderColumn) -> bool:
    """The column's label names a count of single things (企业数（家）: 家, not 万家): integers only."""
    unit = column.unit
    if unit is None:
        found = _LABEL_UNIT.search(column.path)
        unit = found.group(1) if found else None
    return unit is not None and unit in COUNT_UNITS and not unit.startswith(COUNT_MULTIPLIERS)


def _outcome_column(column: HeaderColumn) -> bool:
    """A column of statistical outcomes printed in % with one decimal: growth over the year before
    (比上年增长（%）), or a share (比重（%）, 占全部出口比重（%）)."""
    if column.role == "change":
        return lexicon.year_on_year(column.path)
    return column.role == "value" and column.unit == "%" and column.year is None


def _one_prior(cell: CellReading, column: HeaderColumn, context: _RowContext, cumulative: bool | None) -> float:
    """:func:`_cell_priors` of one cell (0 for a dash or a word)."""
    if cell.value is None:
        return 0.0
    values = np.array([cell.value], dtype=np.float64)
    return float(_cell_priors(values, np.array([cell.decimals], dtype=np.int64), column, context, cumulative)[0])


def _comparator_code(comparator: str | None) -> int:
    return 0 if not comparator else {"<": 1, ">": 2}.get(comparator, 3)


class _Cells:
    """The distinct cell readings of one row, as columns of data by id (value, decimals,
    comparator, scores per flag); the :class:`CellReading` objects are made only for the cells
    that end up in a kept reading."""

    def __init__(self, context: _RowContext, agree: dict[tuple[str, int | None, str], float], flags: list[bool | None],
                 span_cache: dict[Any, _Spans] | None = None) -> None:
        self.span_cache: dict[Any, _Spans] = span_cache if span_cache is not None else {}
        self.quoted_cache: dict[Any, NDArray[np.bool_]] = {}
        self.context = context
        self.agree = agree
        self.flags = flags
        self.raws: list[str] = []
        self.values: list[float] = []  # NaN where the cell has no value (a dash, a word)
        self.decimals: list[int] = []
        self.comparators: list[str | None] = []
        self.comparator_codes: list[int] = []  # 0 none, 1 '<', 2 '>', 3 another comparator
        self.texts: list[str | None] = []
        self.kinds: list[str] = []
        self.powers: list[float] = []  # (1 + value/100) ** years for change columns, as the scalar code computes it
        self.score_chunks: list[NDArray[np.float64]] = []
        self.made: dict[int, CellReading] = {}
        self.readings_of: dict[str, list[tuple[float, int, str]]] = {}  # a span recurs in several columns

    def __len__(self) -> int:
        return len(self.raws)

    def cell(self, index: int) -> CellReading:
        found = self.made.get(index)
        if found is None:
            value = self.values[index]
            found = self.made[index] = CellReading(self.raws[index], None if value != value else value, self.decimals[index],
                                                   self.comparators[index], self.texts[index], self.kinds[index])
        return found

    def scores(self) -> NDArray[np.float64]:
        return np.vstack(self.score_chunks) if self.score_chunks else np.zeros((0, len(self.flags)))

    def _power(self, value: float | None, column: HeaderColumn) -> float:
        if value is None or column.role != "change" or 1 + value / 100 <= 0:
            return math.nan
        try:
            return float((1 + value / 100) ** self.context.years)
        except OverflowError:  # as _implied_start: no starting value
            return math.nan

    def _agreement(self, column: HeaderColumn) -> float | None:
        """Another table's confident value for this indicator and column, if any."""
        if not self.agree:
            return None
        name = self.context.name_key
        known = self.agree.get((name, column.year, "target" if column.role == "actual" else column.role))
        return known if known is not None else self.agree.get((name, column.year, "base"))

    def add(self, column: int, cell: CellReading) -> int:
        """A cell given whole (printed intact, a dash, a word, or a reading the oracle lists), scored
        as the pieces of a blob are."""
        header = self.context.columns[column]
        scores = []
        for flag in self.flags:
            score = _one_prior(cell, header, self.context, flag if header.role == "change" else None)
            known = self._agreement(header)
            if cell.value is not None and known is not None:
                score += 3.0 if abs(known - cell.value) < 1e-9 else -1.0
            if cell.kind == "number" and prose_quotes(cell.raw, cell.decimals, self.context.prose_digits, self.context.prose_rates):
                score += self.context.prose_weight
            scores.append(score)
        index = len(self.raws)
        self.raws.append(cell.raw)
        self.values.append(cell.value if cell.value is not None else math.nan)
        self.decimals.append(cell.decimals)
        self.comparators.append(cell.comparator)
        self.comparator_codes.append(_comparator_code(cell.comparator))
        self.texts.append(cell.text)
        self.kinds.append(cell.kind)
        self.powers.append(self._power(cell.value, header))
        self.score_chunks.append(np.array([scores], dtype=np.float64))
        self.made[index] = cell
        return index

    def pieces(self, token: Any, column: int, first: bool, last: bool, spans: list[tuple[int, int]]) -> NDArray[np.int64]:
        """Ids (spans, SLOTS) of the readings of each span of the blob's digits in ``column``, by
        digit_readings() slot; ``_NONE`` for a missing slot or a reading no arithmetic could
        rescue (pruned as the brute-force search prunes it). Priors are computed for all spans at
        once, and kept in ``self.span_cache`` for solving the row again."""
        header = self.context.columns[column]
        negate = first and token.negative  # the blob's sign belongs to its first cell
        cache_key = (token.text, column, tuple(spans), negate, token.commas)
        cached = self.span_cache.get(cache_key)
        if cached is None:
            raws: list[str] = []
            values: list[float] = []
            decimals: list[int] = []
            span_of: list[int] = []
            slot_of: list[int] = []
            digits = token.text
            for index, (start, end) in enumerate(spans):
                piece = digits[start:end]
                readings = self.readings_of.get(piece)
                if readings is None:
                    readings = self.readings_of[piece] = digit_readings(piece)
                for slot, (value, places, _shown) in enumerate(readings):
                    if token.commas and not comma_fits(start, end, places, token.commas):
                        continue  # a thousands comma the reading does not place (1,012 is 1012, never 10|12)
                    raws.append("-" + piece if negate else piece)
                    values.append(-value if negate else value)
                    decimals.append(places)
                    span_of.append(index)
                    slot_of.append(slot)
            value_array = np.array(values, dtype=np.float64)
            decimal_array = np.array(decimals, dtype=np.int64)
            keys = dict.fromkeys(flag if header.role == "change" else None for flag in self.flags)
            priors = {key: _cell_priors(value_array, decimal_array, header, self.context, key) for key in keys} if values else {}
            cached = self.span_cache[cache_key] = _Spans(raws, values, decimals, value_array,
                                                         np.array(span_of, dtype=np.int64), np.array(slot_of, dtype=np.int64), priors)
        found = np.full((len(spans), SLOTS), _NONE, dtype=np.int64)
        if not cached.values:
            return found
        known = self._agreement(header)
        agreement = np.where(np.abs(known - cached.value_array) < 1e-9, 3.0, -1.0) if known is not None else None
        scores = np.empty((len(cached.values), len(self.flags)), dtype=np.float64)
        digits = self.context.prose_digits
        rates = self.context.prose_rates
        quoted = None
        if digits:
            # The row's prose figures are the row context's: asked once per span set in a search.
            quoted = self.quoted_cache.get(cache_key)
            if quoted is None:
                quoted = self.quoted_cache[cache_key] = np.array(
                    [prose_quotes(raw, places, digits, rates) for raw, places in zip(cached.raws, cached.decimals)], dtype=bool)
        bonus = self.context.prose_weight
        for flag_index, flag in enumerate(self.flags):
            prior = cached.priors[flag if header.role == "change" else None]
            scores[:, flag_index] = prior if agreement is None else prior + agreement
            if quoted is not None and bonus > 0:
                scores[quoted, flag_index] = scores[quoted, flag_index] + bonus
        kept = np.flatnonzero(scores.max(axis=1) > PRUNE_BELOW)
        if kept.size == 0:
            return found
        base = len(self.raws)
        positions = kept.tolist()
        kept_values = [cached.values[position] for position in positions]
        self.raws.extend([cached.raws[position] for position in positions])
        self.values.extend(kept_values)
        self.decimals.extend([cached.decimals[position] for position in positions])
        comparator = token.comparator if first else None
        self.comparators.extend([comparator] * len(positions))
        self.comparator_codes.extend([_comparator_code(comparator)] * len(positions))
        self.texts.extend([token.word if last else None] * len(positions))
        self.kinds.extend(["number"] * len(positions))
        self.powers.extend([self._power(value, header) for value in kept_values])
        self.score_chunks.append(scores[kept])
        found[cached.span_of[kept], cached.slot_of[kept]] = base + np.arange(kept.size)
        return found



@dataclass(frozen=True)
class _Spans:
    """The readings of a column's spans and their priors (without agreement), kept per row."""

    raws: list[str]
    values: list[float]
    decimals: list[int]
    value_array: NDArray[np.float64]
    span_of: NDArray[np.int64]
    slot_of: NDArray[np.int64]
    priors: dict[bool | None, NDArray[np.float64]]



@lru_cache(maxsize=16384)
def _significant(value: float, decimals: int) -> int:
    """The decimals a reading's value needs (30.50 needs one): trailing zeros add no precision to
    the lattice its arithmetic lands on, so they earn a match no extra odds."""
    if value != value:
        return decimals
    while decimals > 0 and abs(round(value * 10 ** (decimals - 1)) - value * 10 ** (decimals - 1)) < 1e-6:
        decimals -= 1
    return decimals


class _Arrays:
    """Per-reading matrices of one row's cells (value, presence, decimals), gathered once, and the
    cells' comparators by id."""

    def __init__(self, cells: _Cells, ids: NDArray[np.int64]) -> None:
        self.value_by_id = np.array(cells.values, dtype=np.float64)
        self.has_by_id = ~np.isnan(self.value_by_id)
        self.decimals_by_id = np.array(cells.decimals, dtype=np.int64)
        self.significant_by_id = np.array([_significant(value, decimals) for value, decimals in zip(cells.values, cells.decimals)],
                                          dtype=np.int64)
        codes = np.array(cells.comparator_codes, dtype=np.int8)
        self.compared = codes != 0
        self.less = codes == 1
        self.more = codes == 2
        self.ids = ids
        self.values = self.value_by_id[ids]
        self.present = self.has_by_id[ids]

    def value(self, column: int) -> NDArray[np.float64]:
        return self.values[:, column]

    def has(self, column: int) -> NDArray[np.bool_]:
        return self.present[:, column]


@dataclass(frozen=True)
class _Transcendental:
    """A term ``-min(cap, log1p(x))`` (or the level spread ``-1.5 * max(0, log(x) - log(2.5))``)
    per reading: NumPy's value to rank with, and the argument to recompute it with :mod:`math`
    for the readings that make the cut (NumPy's ``log`` may differ in the last bit)."""

    mask: NDArray[np.bool_]  # where the term is transcendental (elsewhere the value is exact)
    argument: NDArray[np.float64]


def _spread(ratio: float) -> float:
    return -1.5 * max(0.0, math.log(ratio) - math.log(2.5))


def _level_prior(cells: _Cells, arrays: _Arrays, context: _RowContext) -> tuple[NDArray[np.float64], _Transcendental, NDArray[np.int64]]:
    """The level prior of every reading (levels of one row are of one magnitude): (approximate value, its log term,
    the number of 1.5-point comparator penalties applied after it)."""
    count = arrays.ids.shape[0]
    levels = context.level_columns
    result = np.zeros(count, dtype=np.float64)
    penalties = np.zeros(count, dtype=np.int64)
    wide = np.zeros(count, dtype=bool)
    ratio = np.ones(count, dtype=np.float64)
    if len(levels) < 2:
        return result, _Transcendental(wide, ratio), penalties
    columns = list(levels)
    values = arrays.values[:, columns]
    present = arrays.present[:, columns] & (values != 0)
    enough = present.sum(axis=1) >= 2
    highest = np.where(present, values, -np.inf).max(axis=1)
    lowest = np.where(present, values, np.inf).min(axis=1)
    ratio = np.where(enough, highest / lowest, 1.0)  # NaN/inf where not enough: the caller silences NumPy
    # log(r) <= log(2.5) for r <= 2.5: the term is -1.5 * 0.0 there, exactly.
    wide = enough & (ratio > 2.5)
    result[enough] = -0.0
    result[wide] = -1.5 * np.maximum(0.0, np.log(ratio[wide]) - math.log(2.5))
    roles = context.roles
    if "base" in roles and "target" in roles:
        base_column, target_column = roles.index("base"), roles.index("target")
        less, more = arrays.less, arrays.more
        base, target = arrays.value(base_column), arrays.value(target_column)
        both = enough & arrays.has(base_column) & arrays.has(target_column) & (base != 0) & (target != 0)
        target_ids = arrays.ids[:, target_column]
        for hit in (both & less[target_ids] & (target > 1.5 * base), both & more[target_ids] & (target < base / 1.5)):
            result = np.where(hit, result - 1.5, result)
            penalties = penalties + hit
    return result, _Transcendental(wide, ratio), penalties


def _implied_start(arrays: _Arrays, pow_by_id: NDArray[np.float64], level_column: int, change_column: int,
                   cumulative: bool, years: int, finest: _Finest) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """The starting value each reading's (level, change) pair implies: (start, tolerance, defined).
    (NumPy's invalid/divide warnings are silenced by the caller.)"""
    level, change = arrays.value(level_column), arrays.value(change_column)
    defined = arrays.has(level_column) & arrays.has(change_column)
    if cumulative:
        return level - change, 2 * finest.tolerance, defined
    rate = 1 + change / 100
    power = pow_by_id[arrays.ids[:, change_column]]
    defined = defined & (rate > 0) & ~np.isnan(power)
    start = level / power
    finer = np.maximum(finest.decimals, arrays.decimals_by_id[arrays.ids[:, change_column]])
    factor = np.array([0.5 * 10 ** (-decimals) / 100 * years for decimals in range(int(finer.max(initial=0)) + 1)])
    tolerance = np.abs(start) * (factor[finer] / rate) + finest.tolerance * np.abs(start) / np.maximum(np.abs(level), 1e-9)
    return start, tolerance, defined


class _Finest(NamedTuple):
    """The finest precision printed in each reading, and :func:`planparse.repair.model._tolerance` of it."""

    decimals: NDArray[np.int64]
    tolerance: NDArray[np.float64]


def _tolerances(decimals: NDArray[np.int64]) -> NDArray[np.float64]:
    """:func:`planparse.repair.model._tolerance` of each entry (computed once per distinct precision)."""
    table = np.array([_tolerance(value) for value in range(int(decimals.max(initial=0)) + 1)])
    return table[decimals]


def _window_ratios(error: NDArray[np.float64], tolerance: NDArray[np.float64], level: NDArray[np.float64],
                   coarse: NDArray[np.float64] | float) -> NDArray[np.float64]:
    """The likelihood ratio of every reading's arithmetic (see :class:`planparse.repair.model.RepairSettings`):
    how much likelier its implied-start error is if the reading is the printed row than if it is
    some other cut of the digits. A wrong cut's implied start lands anywhere within ``spread`` of
    the row's largest level (R): a match within the tolerance T by accident has chance 2T / R, so a
    match is worth R / 2T (large for decimals, small for integers, where many cuts add up); the
    printed row adds up with probability ``row_consistent``, else it is off by a rounding (a target
    printed whole: within ``coarse``) or drifts (nominal levels beside real rates: within ``drift``
    of the level); a reading that misses every window keeps ``far_share`` of the odds of the rows
    that do not add up. Capped at ``ratio_cap``."""
    settings = SETTINGS
    tolerance = np.maximum(tolerance, 1e-9)  # a level of 0 compounds to a tolerance of 0
    spread = np.maximum(settings.spread * level, 2 * tolerance)
    consistent = settings.row_consistent
    ratio = np.full(error.shape, (1 - consistent) * settings.far_share, dtype=np.float64)
    ratio = np.where(error <= tolerance + 1e-9, ratio + consistent * spread / (2 * tolerance), ratio)
    rounding = np.maximum(3 * tolerance, tolerance + coarse)
    ratio = np.where(error <= rounding + 1e-9, ratio + (1 - consistent) * settings.rounding_share * spread / (2 * rounding), ratio)
    drift = np.maximum(settings.drift * level, rounding)
    ratio = np.where(error <= drift + 1e-9, ratio + (1 - consistent) * (1 - settings.rounding_share) * spread / (2 * drift), ratio)
    return np.minimum(settings.ratio_cap, ratio)


def _coarse(arrays: _Arrays, columns: Sequence[int]) -> NDArray[np.float64]:
    """Half the unit of the coarsest printed number among each reading's ``columns``."""
    used = list(columns)
    decimals = np.where(arrays.present[:, used], arrays.decimals_by_id[arrays.ids[:, used]], np.iinfo(np.int64).max).min(axis=1)
    decimals = np.where(decimals == np.iinfo(np.int64).max, 0, decimals) if decimals.size else decimals
    table = np.array([0.5 * 10 ** (-value) for value in range(int(decimals.max(initial=0)) + 1)])
    return table[decimals]


class _Arithmetic(NamedTuple):
    """The arithmetic of every reading under one cumulative flag."""

    score: NDArray[np.float64]  # NumPy's log of the likelihood ratio (0 where nothing can be checked)
    log: _Transcendental  # the ratio, for math's log where it is defined
    exact: NDArray[np.bool_]  # the implied starting values agree within the tolerance
    defined: NDArray[np.bool_]  # there is something to check
    holds: NDArray[np.bool_]  # within three tolerances (pairs: 8 %): an intact row is not warned


def _arithmetic(cells: _Cells, arrays: _Arrays, context: _RowContext, cumulative: bool, finest: _Finest,
                pow_by_id: NDArray[np.float64]) -> _Arithmetic:
    """The arithmetic of every reading: the implied starting values compared (base, target and
    change: the target less the change, or deflated by the annual rate, against the base;
    plan-versus-actual: each (level, change) pair's), as a likelihood ratio (:func:`_window_ratios`)."""
    roles = context.roles
    count = arrays.ids.shape[0]
    defined = np.zeros(count, dtype=bool)
    exact = np.zeros(count, dtype=bool)
    holds = np.zeros(count, dtype=bool)
    ratio = np.ones(count, dtype=np.float64)
    if "base" in roles and "target" in roles and "change" in roles:
        base_column, target_column, change_column = (roles.index(role) for role in ("base", "target", "change"))
        start, tolerance, defined = _implied_start(arrays, pow_by_id, target_column, change_column, cumulative, context.years, finest)
        defined = defined & arrays.has(base_column)
        tolerance = tolerance + finest.tolerance
        compared = arrays.compared
        marked = compared[arrays.ids[:, target_column]] | compared[arrays.ids[:, change_column]]
        tolerance = np.where(marked, tolerance * 3, tolerance)
        base = arrays.value(base_column)
        error = np.abs(start - base)
        level = np.maximum(np.abs(base), np.abs(arrays.value(target_column)))
        ratio = np.where(defined, _window_ratios(error, tolerance, level, _coarse(arrays, context.arithmetic_columns)), 1.0)
        exact = defined & (error <= tolerance + 1e-9)
        holds = defined & (error <= 3 * tolerance + 1e-9)
    elif roles.count("change") >= 2 and ("target" in roles or "actual" in roles):
        starts = [_implied_start(arrays, pow_by_id, level, change, cumulative, context.years, finest) for level, change in context.pairs]
        if len(starts) >= 2:
            # The first two pairs whose starting value is defined, reading by reading.
            first = np.full(count, np.nan)
            first_tolerance = np.full(count, np.nan)
            second = np.full(count, np.nan)
            second_tolerance = np.full(count, np.nan)
            seen = np.zeros(count, dtype=np.int64)
            for start, tolerance, known in starts:
                take_first = known & (seen == 0)
                take_second = known & (seen == 1)
                first = np.where(take_first, start, first)
                first_tolerance = np.where(take_first, tolerance, first_tolerance)
                second = np.where(take_second, start, second)
                second_tolerance = np.where(take_second, tolerance, second_tolerance)
                seen = seen + known
            defined = seen >= 2
            gap = np.abs(first - second)
            scale = np.maximum(np.maximum(np.abs(first), np.abs(second)), 1e-9)
            ratio = np.where(defined, _window_ratios(gap, first_tolerance + second_tolerance, scale, 0.0), 1.0)
            exact = defined & (gap <= first_tolerance + second_tolerance + 1e-9)
            holds = exact | (defined & (gap / scale <= 0.08))
    score = np.zeros(count, dtype=np.float64)
    score[defined] = np.log(ratio[defined])  # to rank with; math's log for the readings that make the cut
    return _Arithmetic(score, _Transcendental(defined, ratio), exact, defined, holds)


# NumPy's log and log1p are within a few units in the last place of math's: this margin (far
# above that, far below any score difference that matters) keeps every reading that could make
# the cut for the exact recomputation.
_MARGIN = 1e-7


@dataclass(frozen=True)
class _Scored:
    """Scores of a set of readings under each flag (NumPy's), and what the exact recomputation needs."""

    scores: NDArray[np.float64]  # (n, flags)
    inexact: NDArray[np.bool_]  # (n, flags): a log term NumPy computed
    level: NDArray[np.float64]
    spread: _Transcendental
    penalties: NDArray[np.int64]
    leftover_penalty: NDArray[np.float64]
    totals: NDArray[np.float64]  # (n, flags): the cells' scores added left to right
    arithmetic: list[_Arithmetic]
    priors: list[NDArray[np.float64]]
    ratio: NDArray[np.float64]  # :func:`_ratio_check` (exact: a sum of constants)


def _score(cells: _Cells, ids: NDArray[np.int64], spares: NDArray[np.int64], totals: NDArray[np.float64],
           context: _RowContext, flags: list[bool | None], pow_by_id: NDArray[np.float64]) -> _Scored:
    """Score readings as the brute-force search does (NumPy's log, see :class:`_Transcendental`)."""
    arrays = _Arrays(cells, ids)
    level, spread, penalties = _level_prior(cells, arrays, context)
    leftover_penalty: NDArray[np.float64] = -context.spare_cost * spares.astype(np.float64)
    ratio_check = _ratio_check(arrays, context)
    base_score = leftover_penalty + level + ratio_check
    present = arrays.present
    used = list(context.arithmetic_columns)
    decimals = np.where(present[:, used], arrays.significant_by_id[ids[:, used]], 0).max(axis=1)
    finest = _Finest(decimals, _tolerances(decimals))
    level_columns = list(context.level_columns)
    levels_missing = ~present[:, level_columns].any(axis=1) if level_columns else np.zeros(ids.shape[0], dtype=bool)
    arithmetic, priors, per_flag, uncertain = [], [], [], []
    for flag_index, flag in enumerate(flags):
        score = base_score + totals[:, flag_index]
        approximate = spread.mask.copy()
        if flag is not None:
            prior = np.where(levels_missing, cumulative_prior_given(context, True, flag), cumulative_prior_given(context, False, flag))
            if flag:
                prior = prior - SETTINGS.finer_level_cost * _finer_levels(arrays, context)
            prior = prior - SETTINGS.long_reversal_cost * _long_reversed(arrays, context)
            found = _arithmetic(cells, arrays, context, flag, finest, pow_by_id)
            score = score + (found.score + prior)
            approximate |= found.log.mask
            arithmetic.append(found)
            priors.append(prior)
        per_flag.append(score)
        uncertain.append(approximate)
    return _Scored(np.column_stack(per_flag), np.column_stack(uncertain), level, spread, penalties, leftover_penalty,
                   totals, arithmetic, priors, ratio_check)


def _finer_levels(arrays: _Arrays, context: _RowContext) -> NDArray[np.float64]:
    """1.0 for each reading whose cumulative change is printed coarser than a level it is the
    difference of (62.02 beside [6.3], 0.0 else): a change in points is the difference of the
    printed levels, so it carries their decimals (a level printed whole, 40 beside [5.5], is no
    mismatch)."""
    roles = context.roles
    if "base" in roles and "target" in roles and "change" in roles:
        change = roles.index("change")
        pairs = [(roles.index("base"), change), (roles.index("target"), change)]
    else:
        pairs = list(context.pairs)
    finer = np.zeros(arrays.ids.shape[0], dtype=bool)
    for level, change in pairs:
        both = arrays.has(level) & arrays.has(change)
        level_decimals = arrays.significant_by_id[arrays.ids[:, level]]
        change_decimals = arrays.decimals_by_id[arrays.ids[:, change]]
        finer = finer | (both & (level_decimals > change_decimals))
    return finer.astype(np.float64)


def _long_reversed(arrays: _Arrays, context: _RowContext) -> NDArray[np.float64]:
    """1.0 for each reading whose later target (2035年 beside 2020年 and 2025年, a level no
    arithmetic checks) turns back against the row's direction from base to target (29.34 after
    84.7 → 90.1), 0.0 else: a long-range target continues the plan's course."""
    roles = context.roles
    if "base" not in roles or "target" not in roles:
        return np.zeros(arrays.ids.shape[0], dtype=np.float64)
    base, target = roles.index("base"), roles.index("target")
    checked = set(context.arithmetic_columns)
    reversed_ = np.zeros(arrays.ids.shape[0], dtype=bool)
    for index, role in enumerate(roles):
        if role != "target" or index in checked:
            continue
        known = arrays.has(base) & arrays.has(target) & arrays.has(index)
        rise = arrays.value(target) - arrays.value(base)
        later = arrays.value(index) - arrays.value(target)
        reversed_ = reversed_ | (known & (rise * later < 0))
    return reversed_.astype(np.float64)


def _ratio_column(context: _RowContext) -> int | None:
    """The column of a target's ratio to its base (1957年为1952年的百分比), beside base and target columns."""
    roles = context.roles
    if "base" not in roles or "target" not in roles:
        return None
    return next((index for index, column in enumerate(context.columns)
                 if column.role == "value" and lexicon.ratio_pattern().match(column.path)), None)


def _ratio_check(arrays: _Arrays, context: _RowContext) -> NDArray[np.float64]:
    """A ratio column (the 1953 plan's 1957年为1952年的百分比: the target as a percentage of the base)
    checks each reading: its printed ratio against its own target / base × 100, within the rounding of
    the three printed numbers, gains ``ratio_match`` (three roundings: ``ratio_near``). A miss loses
    nothing (a ratio computed from unrounded figures). Sums of constants: exact, whatever the batch."""
    count = arrays.ids.shape[0]
    column = _ratio_column(context)
    if column is None:
        return np.zeros(count, dtype=np.float64)
    roles = context.roles
    base_column, target_column = roles.index("base"), roles.index("target")
    base, target, printed = arrays.value(base_column), arrays.value(target_column), arrays.value(column)
    defined = arrays.has(base_column) & arrays.has(target_column) & arrays.has(column) & (base > 0) & (target > 0)
    half = {name: 0.5 * np.power(10.0, -arrays.decimals_by_id[arrays.ids[:, index]])
            for name, index in (("base", base_column), ("target", target_column), ("ratio", column))}
    safe_base = np.where(defined, base, 1.0)
    implied = target / safe_base * 100
    tolerance = half["ratio"] + implied * (half["base"] / safe_base + half["target"] / np.where(defined, target, 1.0))
    error = np.abs(implied - np.where(defined, printed, 0.0))
    settings = SETTINGS
    score = np.where(defined & (error <= tolerance + 1e-9), settings.ratio_match,
                     np.where(defined & (error <= 3 * tolerance + 1e-9), settings.ratio_near, 0.0))
    increment = _increment_column(context)
    if increment is not None:
        # 1952年人数 + 五年内增加人数 = 1957年人数: the same odds for a match within the roundings.
        step = arrays.value(increment)
        known = arrays.has(base_column) & arrays.has(target_column) & arrays.has(increment)
        near = 0.5 * np.power(10.0, -arrays.decimals_by_id[arrays.ids[:, increment]])
        allowed = half["base"] + half["target"] + near
        gap = np.abs(np.where(known, base + step - target, np.inf))
        score = score + np.where(known & (gap <= allowed + 1e-9), settings.ratio_match,
                                 np.where(known & (gap <= 3 * allowed + 1e-9), settings.ratio_near, 0.0))
    return score.astype(np.float64)


def _increment_column(context: _RowContext) -> int | None:
    """A column of the increment from base to target in their own unit (五年内增加人数: lexicon ``increment_words``)."""
    return next((index for index, column in enumerate(context.columns)
                 if column.role == "value" and any(word in column.path for word in lexicon.increment_words())), None)


def _exact(scored: _Scored, rows: NDArray[np.int64], row_flags: NDArray[np.int64], flags: list[bool | None]) -> NDArray[np.float64]:
    """The scalar scores of some readings, operation by operation in the brute-force order, with
    :mod:`math`'s log for the terms NumPy computed."""
    value = scored.level[rows].copy()  # exact unless the spread took a log
    wide = scored.spread.mask[rows]
    recomputed = np.array([_spread(ratio) for ratio in scored.spread.argument[rows][wide].tolist()], dtype=np.float64)
    applied = scored.penalties[rows][wide]
    for round_ in range(int(applied.max(initial=0))):
        recomputed = np.where(applied > round_, recomputed - 1.5, recomputed)
    value[wide] = recomputed
    total_score = scored.leftover_penalty[rows] + value + scored.ratio[rows] + scored.totals[rows, row_flags]
    if flags[0] is not None:
        arithmetic_score = _per_flag([term.score for term in scored.arithmetic], rows, row_flags)
        far = _per_flag([term.log.mask for term in scored.arithmetic], rows, row_flags)
        arguments = _per_flag([term.log.argument for term in scored.arithmetic], rows, row_flags)[far]
        arithmetic_score[far] = _logs(arguments)
        total_score = total_score + (arithmetic_score + _per_flag(scored.priors, rows, row_flags))
    return total_score


def _best_lower_bound(scored: _Scored) -> float:
    return float(np.where(scored.inexact, scored.scores - _MARGIN, scored.scores).max())



def _per_flag(arrays: Sequence[NDArray[Any]], rows: NDArray[np.int64], row_flags: NDArray[np.int64]) -> NDArray[Any]:
    """``arrays[flag][row]`` for each (row, flag) pair, without stacking the flags' arrays."""
    found = np.empty(len(rows), dtype=arrays[0].dtype)
    for flag, values in enumerate(arrays):
        chosen = row_flags == flag
        found[chosen] = values[rows[chosen]]
    return found


def _arithmetic_terms(scored: _Scored, rows: NDArray[np.int64], row_flags: NDArray[np.int64],
                      flags: list[bool | None]) -> list[tuple[float, bool | None]]:
    """(the log likelihood ratio of the arithmetic; whether it holds exactly) of some readings, or
    (0.0, None) where nothing can be checked."""
    if flags[0] is None:
        return [(0.0, None)] * len(rows)
    defined = _per_flag([term.defined for term in scored.arithmetic], rows, row_flags)
    ratios = _per_flag([term.log.argument for term in scored.arithmetic], rows, row_flags)
    terms = np.zeros(len(rows), dtype=np.float64)
    terms[defined] = _logs(ratios[defined])
    exact = _per_flag([term.exact for term in scored.arithmetic], rows, row_flags).tolist()
    return [(term, hit) if known else (0.0, None) for known, term, hit in zip(defined.tolist(), terms.tolist(), exact)]


def _logs(arguments: NDArray[np.float64]) -> NDArray[np.float64]:
    """:func:`math.log` of each argument, taken once per distinct value (many readings share the
    capped ratio or the ratio of a miss)."""
    if arguments.size == 0:
        return np.zeros(0, dtype=np.float64)
    distinct, inverse = np.unique(arguments, return_inverse=True)
    return np.array([math.log(value) for value in distinct.tolist()], dtype=np.float64)[inverse.reshape(-1)]



@dataclass(frozen=True)
class Scores:
    """The scores of readings given as cells (:func:`score_readings`): per reading and flag."""

    totals: list[list[float]]  # the reading's score
    terms: list[list[tuple[float, bool | None]]]  # (the arithmetic's log likelihood ratio, holds exactly or None)
    holds: list[list[bool | None]]  # within three tolerances (None: nothing to check)


def cell_scores(context: _RowContext, agree: dict[tuple[str, int | None, str], float], column: int, cell: CellReading,
                flags: list[bool | None]) -> list[float]:
    """The prior of one cell in ``column`` under each flag, agreement with other tables included."""
    cells = _Cells(context, agree, flags)
    index = cells.add(column, cell)
    return cells.scores()[index].tolist()


def score_readings(context: _RowContext, agree: dict[tuple[str, int | None, str], float], readings: Sequence[Sequence[CellReading]],
                   spares: Sequence[int], flags: list[bool | None]) -> Scores:
    """Score readings given as cells, one per column (an intact row to check, or the brute-force
    oracle's listing), with the scorer the search uses, every term computed exactly."""
    cells = _Cells(context, agree, flags)
    ids_of: dict[tuple[int, CellReading], int] = {}
    rows = []
    for reading in readings:
        row = []
        for column, cell in enumerate(reading):
            key = (column, cell)
            if key not in ids_of:
                ids_of[key] = cells.add(column, cell)
            row.append(ids_of[key])
        rows.append(row)
    width = len(context.columns)
    ids = np.array(rows, dtype=np.int64).reshape(len(rows), width)
    spare_digits = np.array(list(spares), dtype=np.int64)
    scores_by_id = cells.scores()
    totals = np.zeros((ids.shape[0], len(flags)), dtype=np.float64)
    for column in range(width):
        totals = totals + scores_by_id[ids[:, column]]  # left to right, as the search adds
    pow_by_id = np.array(cells.powers, dtype=np.float64)
    count = ids.shape[0]
    every = np.repeat(np.arange(count), len(flags))
    every_flag = np.tile(np.arange(len(flags)), count)
    with np.errstate(invalid="ignore", divide="ignore"):
        scored = _score(cells, ids, spare_digits, totals, context, flags, pow_by_id)
        exact = _exact(scored, every, every_flag, flags).reshape(count, len(flags))
        terms = _arithmetic_terms(scored, every, every_flag, flags)
        holds = (_per_flag([term.holds for term in scored.arithmetic], every, every_flag).tolist()
                 if flags[0] is not None else [False] * len(every))
    width_flags = len(flags)
    return Scores(
        exact.tolist(),
        [terms[index * width_flags : (index + 1) * width_flags] for index in range(count)],
        [[hit if terms[index * width_flags + flag][1] is not None else None for flag, hit in
          enumerate(holds[index * width_flags : (index + 1) * width_flags])] for index in range(count)],
    )
