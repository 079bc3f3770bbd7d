"""The row search of the repair solver, vectorized with NumPy.

A damaged row's readings are every cut of its digit blobs into the header's cells, every decimal
point of every piece (:func:`planparse.repair.digit_readings`) and every cumulative flag. This
module lists them all as integer arrays (one row per reading, one column per table column, each
entry the id of a cell reading) in exactly the order of the brute-force search
(``tests/reference_solver.py``), and scores them with array arithmetic that performs the same
floating-point operations in the same order as the scalar functions in :mod:`planparse.repair`.
``pow`` is taken with Python per cell; ``log`` and ``log1p`` are taken with NumPy to rank the
readings, then again with :mod:`math` for the readings within reach of the best (NumPy's may
differ in the last bit), so every kept score is bit-for-bit the brute-force score. The test suite
checks readings, scores and order against the brute-force search, and the array cell prior
against the scalar one.

NumPy is imported here only, and this module only when a damaged table is solved.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from .repair import (
    COUNT_UNITS,
    GENERIC_ANNUAL_GROWTH_LIMIT,
    GENERIC_CUMULATIVE_LIMIT,
    MAX_DECIMALS,
    NEGLIGIBLE,
    PRUNE_BELOW,
    SETTINGS,
    SHARE_CHANGE_TYPICAL,
    CellReading,
    Reading,
    _cell_prior,
    _fixed,
    _RowContext,
    _tolerance,
    cumulative_prior_given,
    digit_readings,
    national_reference,
    national_term,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from .repair import SearchSpace
    from .tables import HeaderColumn, Row

SLOTS = MAX_DECIMALS + 1  # digit_readings() gives at most this many readings of a piece
_NONE = -1


@lru_cache(maxsize=256)
def _cuts(length: int, count: int) -> NDArray[np.int64]:
    """Piece boundaries of every cut of ``length`` digits into ``count`` pieces, as (m, count + 1)
    arrays of offsets, in lexicographic order of the piece sizes (the brute-force order)."""
    found = list(combinations(range(1, length), count - 1))
    inner = np.array(found, dtype=np.int64).reshape(len(found), count - 1)
    rows = inner.shape[0]
    return np.hstack([np.zeros((rows, 1), dtype=np.int64), inner, np.full((rows, 1), length, dtype=np.int64)])


def _cell_priors(values: NDArray[np.float64], decimals: NDArray[np.int64], column: HeaderColumn, context: _RowContext,
                 cumulative: bool | None) -> NDArray[np.float64]:
    """:func:`planparse.repair._cell_prior` of many numeric cells of one column: the same
    operations in the same order, elementwise; its logarithms are taken with :mod:`math`."""
    value = values
    absolute = np.abs(value)
    percent = context.unit == "%"
    score = np.where(decimals <= 1, 0.0, np.where(decimals == 2, -1.2, -4.0))
    score = np.where((decimals == 2) & (value < 1), -0.2, score)  # coefficients (0.55) print two decimals
    score = np.where((decimals != 0) & (value >= 1000), score - 1.5, score)
    if column.role == "change":
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
    if context.unit in COUNT_UNITS:
        score = np.where(decimals != 0, score - 1.5, score)  # counts are whole numbers
    reference = national_reference(column, context, cumulative) if context.prior else None
    if reference is None:
        return score + 0.0  # the scalar prior adds its 0.0 too
    national, weight = reference
    intensive = bool((context.prior or {}).get("intensive"))
    terms = [national_term(item, national, weight, intensive) if item != 0 else 0.0 for item in value.tolist()]
    return score + np.array(terms, dtype=np.float64)


def _comparator_code(comparator: str | None) -> int:
    return 0 if not comparator else {"<": 1, ">": 2}.get(comparator, 3)


class _Cells:
    """The distinct cell readings of one row, as columns of data by id (value, decimals,
    comparator, scores per flag); the :class:`CellReading` objects are made only for the cells
    that end up in a kept reading."""

    def __init__(self, context: _RowContext, agree: dict[tuple[str, int | None, str], float], flags: list[bool | None],
                 span_cache: dict[Any, _Spans] | None = None) -> None:
        self.span_cache: dict[Any, _Spans] = span_cache if span_cache is not None else {}
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
        except OverflowError:  # as repair._implied_start: no starting value
            return math.nan

    def _agreement(self, column: HeaderColumn) -> float | None:
        """Another table's confident value for this indicator and column, if any."""
        if not self.agree:
            return None
        name = self.context.name_key
        known = self.agree.get((name, column.year, "target" if column.role == "actual" else column.role))
        return known if known is not None else self.agree.get((name, column.year, "base"))

    def add(self, column: int, cell: CellReading) -> int:
        """A fixed cell (printed intact, a dash or a word), scored as the brute-force search does."""
        header = self.context.columns[column]
        scores = []
        for flag in self.flags:
            score = _cell_prior(cell, header, self.context, flag if header.role == "change" else None)
            known = self._agreement(header)
            if cell.value is not None and known is not None:
                score += 3.0 if abs(known - cell.value) < 1e-9 else -1.0
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
        cache_key = (token.text, column, tuple(spans))
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
                    raws.append(piece)
                    values.append(value)
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
        for flag_index, flag in enumerate(self.flags):
            prior = cached.priors[flag if header.role == "change" else None]
            scores[:, flag_index] = prior if agreement is None else prior + agreement
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


def _blob_choices(cells: _Cells, token: Any, column: int, count: int, allowed: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(ids (n, count), spare digits (n,)) of every reading of one blob, in brute-force order."""
    digits = token.text
    layouts = [(spare, _cuts(len(digits) - spare, count)) for spare in range(allowed + 1) if len(digits) - spare >= count]
    if not layouts:
        return np.zeros((0, count), dtype=np.int64), np.zeros(0, dtype=np.int64)
    # tables[piece][start, end]: the piece's reading ids by slot, for every cut of every spare.
    size = len(digits) + 1
    tables = np.full((count, size, size, SLOTS), _NONE, dtype=np.int64)
    for piece in range(count):
        spans = sorted({(start, end) for _, bounds in layouts for start, end in zip(bounds[:, piece].tolist(), bounds[:, piece + 1].tolist())})
        found = cells.pieces(token, column + piece, piece == 0, piece == count - 1, spans)
        starts, ends = zip(*spans)
        tables[piece][list(starts), list(ends)] = found
    chunks: list[NDArray[np.int64]] = []
    spares: list[NDArray[np.int64]] = []
    for spare, bounds in layouts:
        # The product of the pieces' readings, one piece at a time, dropping missing slots as it
        # grows (memory follows the readings that exist, not SLOTS ** count); rows stay in
        # itertools.product order: by cut, then by each piece's slot.
        cut_of = np.arange(bounds.shape[0])
        ids = np.zeros((bounds.shape[0], 0), dtype=np.int64)
        for piece in range(count):
            slots = tables[piece][bounds[cut_of, piece], bounds[cut_of, piece + 1]].reshape(-1)  # (rows * SLOTS,)
            present = slots != _NONE
            ids = np.column_stack([np.repeat(ids, SLOTS, axis=0)[present], slots[present]])
            cut_of = np.repeat(cut_of, SLOTS)[present]
        chunks.append(ids)
        spares.append(np.full(ids.shape[0], spare, dtype=np.int64))
    return np.vstack(chunks), np.concatenate(spares)


def _layout(cells: _Cells, tokens: Sequence[Any], counts: dict[int, int], last_blob: int, leftover_allowed: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(ids (n, width), spare digits of the last blob (n,)) of one distribution of columns over
    tokens: the cross product of the tokens' readings, the first token varying slowest."""
    parts: list[NDArray[np.int64]] = []
    spare: tuple[int, NDArray[np.int64]] | None = None  # (part position, spare digits by part row)
    column = 0
    for index, token in enumerate(tokens):
        if token.kind == "blob":
            allowed = leftover_allowed if index == last_blob == len(tokens) - 1 else 0
            ids, spares = _blob_choices(cells, token, column, counts[index], allowed)
            if allowed:
                spare = (len(parts), spares)
            column += counts[index]
        else:
            ids = np.array([[cells.add(column, _fixed(token))]], dtype=np.int64)
            column += 1
        parts.append(ids)
    sizes = [part.shape[0] for part in parts]
    total = math.prod(sizes)
    if total == 0:
        return np.zeros((0, column), dtype=np.int64), np.zeros(0, dtype=np.int64)

    def spread(position: int, values: NDArray[np.int64]) -> NDArray[np.int64]:
        # itertools.product order: earlier parts vary slower.
        return np.repeat(np.tile(values, (math.prod(sizes[:position]),) + (1,) * (values.ndim - 1)), math.prod(sizes[position + 1 :]), axis=0)

    columns = np.hstack([spread(position, part) for position, part in enumerate(parts)])
    spare_digits = spread(*spare) if spare is not None else np.zeros(total, dtype=np.int64)
    return columns, spare_digits


class _Arrays:
    """Per-reading matrices of one row's cells (value, presence, decimals), gathered once, and the
    cells' comparators by id."""

    def __init__(self, cells: _Cells, ids: NDArray[np.int64]) -> None:
        self.value_by_id = np.array(cells.values, dtype=np.float64)
        self.has_by_id = ~np.isnan(self.value_by_id)
        self.decimals_by_id = np.array(cells.decimals, dtype=np.int64)
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
    """:func:`planparse.repair._level_prior` for every reading: (approximate value, its log term,
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
    """:func:`planparse.repair._implied_start` for every reading: (start, tolerance, defined).
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
    """The finest precision printed in each reading, and :func:`planparse.repair._tolerance` of it."""

    decimals: NDArray[np.int64]
    tolerance: NDArray[np.float64]


def _tolerances(decimals: NDArray[np.int64]) -> NDArray[np.float64]:
    """:func:`planparse.repair._tolerance` of each entry (computed once per distinct precision)."""
    table = np.array([_tolerance(value) for value in range(int(decimals.max(initial=0)) + 1)])
    return table[decimals]


def _window_ratios(error: NDArray[np.float64], tolerance: NDArray[np.float64], level: NDArray[np.float64],
                   coarse: NDArray[np.float64] | float) -> NDArray[np.float64]:
    """:func:`planparse.repair._window_ratio` for every reading (the same operations, in order)."""
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
    """:func:`planparse.repair._coarse` of every reading's ``columns``."""
    used = list(columns)
    decimals = np.where(arrays.present[:, used], arrays.decimals_by_id[arrays.ids[:, used]], np.iinfo(np.int64).max).min(axis=1)
    decimals = np.where(decimals == np.iinfo(np.int64).max, 0, decimals) if decimals.size else decimals
    table = np.array([0.5 * 10 ** (-value) for value in range(int(decimals.max(initial=0)) + 1)])
    return table[decimals]


def _arithmetic(cells: _Cells, arrays: _Arrays, context: _RowContext, cumulative: bool, finest: _Finest,
                pow_by_id: NDArray[np.float64]) -> tuple[NDArray[np.float64], _Transcendental, NDArray[np.bool_], NDArray[np.bool_]]:
    """:func:`planparse.repair._arithmetic` for every reading: (NumPy's log of the likelihood
    ratio; the ratio, for :mod:`math`'s log where it is defined; where it holds exactly; where it
    is defined)."""
    roles = context.roles
    count = arrays.ids.shape[0]
    defined = np.zeros(count, dtype=bool)
    exact = np.zeros(count, dtype=bool)
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
    score = np.zeros(count, dtype=np.float64)
    score[defined] = np.log(ratio[defined])  # to rank with; math's log for the readings that make the cut
    return score, _Transcendental(defined, ratio), exact, defined


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
    arithmetic: list[tuple[NDArray[np.float64], _Transcendental, NDArray[np.bool_], NDArray[np.bool_]]]
    priors: list[NDArray[np.float64]]


def _score(cells: _Cells, ids: NDArray[np.int64], spares: NDArray[np.int64], totals: NDArray[np.float64],
           context: _RowContext, flags: list[bool | None], pow_by_id: NDArray[np.float64]) -> _Scored:
    """Score readings as the brute-force search does (NumPy's log, see :class:`_Transcendental`)."""
    arrays = _Arrays(cells, ids)
    level, spread, penalties = _level_prior(cells, arrays, context)
    leftover_penalty: NDArray[np.float64] = -context.spare_cost * spares.astype(np.float64)
    base_score = leftover_penalty + level
    present = arrays.present
    used = list(context.arithmetic_columns)
    decimals = np.where(present[:, used], arrays.decimals_by_id[ids[:, used]], 0).max(axis=1)
    finest = _Finest(decimals, _tolerances(decimals))
    level_columns = list(context.level_columns)
    levels_missing = ~present[:, level_columns].any(axis=1) if level_columns else np.zeros(ids.shape[0], dtype=bool)
    arithmetic, priors, per_flag, uncertain = [], [], [], []
    for flag_index, flag in enumerate(flags):
        score = base_score + totals[:, flag_index]
        approximate = spread.mask.copy()
        if flag is not None:
            prior = np.where(levels_missing, cumulative_prior_given(context, True, flag), cumulative_prior_given(context, False, flag))
            found = _arithmetic(cells, arrays, context, flag, finest, pow_by_id)
            score = score + (found[0] + prior)
            approximate |= found[1].mask
            arithmetic.append(found)
            priors.append(prior)
        per_flag.append(score)
        uncertain.append(approximate)
    return _Scored(np.column_stack(per_flag), np.column_stack(uncertain), level, spread, penalties, leftover_penalty,
                   totals, arithmetic, priors)


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
    total_score = scored.leftover_penalty[rows] + value + scored.totals[rows, row_flags]
    if flags[0] is not None:
        arithmetic_score = _per_flag([term[0] for term in scored.arithmetic], rows, row_flags)
        far = _per_flag([term[1].mask for term in scored.arithmetic], rows, row_flags)
        arguments = _per_flag([term[1].argument for term in scored.arithmetic], rows, row_flags)[far]
        arithmetic_score[far] = _logs(arguments)
        total_score = total_score + (arithmetic_score + _per_flag(scored.priors, rows, row_flags))
    return total_score


def _best_lower_bound(scored: _Scored) -> float:
    return float(np.where(scored.inexact, scored.scores - _MARGIN, scored.scores).max())


def search(row: Row, context: _RowContext, agree: dict[tuple[str, int | None, str], float], space: SearchSpace,
           leftover_allowed: int, span_cache: dict[Any, Any] | None = None) -> list[Reading]:
    """Every reading within ``NEGLIGIBLE`` of the best, best first, ties in brute-force order.

    Scores are ranked with NumPy, then recomputed exactly (the scalar operations, in the scalar
    order) for the readings within reach of the best."""
    tokens = row.tokens
    blobs, flags = space.blobs, space.flags
    cells = _Cells(context, agree, flags, span_cache)
    id_parts, spare_parts = [], []
    for counts in space.distributions:
        ids, spares = _layout(cells, tokens, dict(zip(blobs, counts)), blobs[-1], leftover_allowed)
        id_parts.append(ids)
        spare_parts.append(spares)
    ids = np.vstack(id_parts) if id_parts else np.zeros((0, len(context.columns)), dtype=np.int64)
    spares = np.concatenate(spare_parts) if spare_parts else np.zeros(0, dtype=np.int64)
    if ids.shape[0] == 0 or not len(cells):
        return []
    scores_by_id = cells.scores()  # (ids, flags)
    totals = np.zeros((ids.shape[0], len(flags)), dtype=np.float64)
    for column in range(ids.shape[1]):
        totals = totals + scores_by_id[ids[:, column]]  # left to right, as the scalar sum adds
    pow_by_id = np.array(cells.powers, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        scored = _score(cells, ids, spares, totals, context, flags, pow_by_id)
        scores, inexact = scored.scores.reshape(-1), scored.inexact.reshape(-1)  # reading-major, flag-minor
        floor = _best_lower_bound(scored) - NEGLIGIBLE
        candidates = np.flatnonzero(np.where(inexact, scores + _MARGIN, scores) >= floor)
        width = len(flags)
        reading_of, flag_of = np.divmod(candidates, width)
        exact = scores[candidates].copy()
        redo = inexact[candidates]
        if redo.any():
            exact[redo] = _exact(scored, reading_of[redo], flag_of[redo], flags)
    best = exact.max()
    keep = exact >= best - NEGLIGIBLE
    # The brute-force order of a reading: its position in the listing, then its flag.
    order_key = reading_of[keep] * width + flag_of[keep]
    kept_scores = exact[keep]
    order = np.lexsort((order_key, -kept_scores))
    positions = order_key[order]
    rows, row_flags = np.divmod(positions, width)
    last = tokens[blobs[-1]].text
    leftovers = {spare: last[len(last) - spare :] if spare else "" for spare in set(spares[rows].tolist())}
    chosen = ids[rows]
    objects: list[Any] = [None] * len(cells)  # the cells the kept readings use, made once each
    for index in np.unique(chosen).tolist():
        objects[index] = cells.cell(index)
    pick = objects.__getitem__
    terms = _arithmetic_terms(scored, rows, row_flags, flags)
    return [
        Reading(tuple(map(pick, cell_ids)), flags[flag_index], leftovers[spare], score, *term)
        for cell_ids, flag_index, spare, score, term in zip(chosen.tolist(), row_flags.tolist(), spares[rows].tolist(),
                                                             kept_scores[order].tolist(), terms)
    ]


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
    defined = _per_flag([term[3] for term in scored.arithmetic], rows, row_flags)
    ratios = _per_flag([term[1].argument for term in scored.arithmetic], rows, row_flags)
    terms = np.zeros(len(rows), dtype=np.float64)
    terms[defined] = _logs(ratios[defined])
    exact = _per_flag([term[2] for term in scored.arithmetic], rows, row_flags).tolist()
    return [(term, hit) if known else (0.0, None) for known, term, hit in zip(defined.tolist(), terms.tolist(), exact)]


def _logs(arguments: NDArray[np.float64]) -> NDArray[np.float64]:
    """:func:`math.log` of each argument, taken once per distinct value (many readings share the
    capped ratio or the ratio of a miss)."""
    if arguments.size == 0:
        return np.zeros(0, dtype=np.float64)
    distinct, inverse = np.unique(arguments, return_inverse=True)
    return np.array([math.log(value) for value in distinct.tolist()], dtype=np.float64)[inverse.reshape(-1)]
