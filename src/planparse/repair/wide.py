"""Wide damaged rows (issue 12): rows of many cells, such as a communiqué's five-year series
(``指标 单位 1998 1999 2000 2001 2002 1998-2002``) or its trade table of six cells per country, whose
every cut the exhaustive search (:mod:`.search`) cannot list.

- A **sum column** (a year range, 1998-2002, beside a column for each of its years) is checked
  exactly: every cut of the row's digits is tried, and those whose year pieces add up to the range
  piece (one decimal point for the whole row) are the readings; their arithmetic is a likelihood
  ratio as the seed's (a wrong cut adds up by chance very rarely).
- Otherwise a **beam search** over the cuts keeps, at every (column, digit) state, the best partial
  readings by the cells' priors and a series prior (a row's values of successive years are of one
  magnitude and one precision).

Both give :class:`~.model.Reading` lists that the solver turns into cells, confidences and
warnings as for any damaged row. NumPy is used through the scorer (:func:`.score.cell_scores`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import regex

from ..tables import HeaderColumn, Row
from .model import NEGLIGIBLE, SETTINGS, CellReading, Reading, _fixed, _RowContext, comma_fits, digit_readings

_RANGE = regex.compile(r"((?:19|20)\d{2})\s*[-—－至~]\s*((?:19|20)\d{2})年?")


@dataclass(frozen=True)
class WideSettings:
    """Tunables of the wide-row search."""

    max_piece: int = 8  # digits in one cell of a wide row
    beam: int = 24  # partial readings kept per (column, token, digit) state
    max_readings: int = 200  # readings handed to the solver
    series_ratio: float = 2.0  # successive years' values within this factor of each other cost nothing …
    series_cost: float = 1.5  # … beyond it, this much per e-fold
    series_precision_cost: float = 0.7  # successive years printed with different decimals
    max_cuts: int = 400_000  # a sum row with more cuts than this is searched by the beam
    # A sum row's decimals are one choice for the whole row; whole numbers are likelier (the real
    # tables of the tuned half of planparse.bench.realtables: 419 whole levels, 204 with one decimal).
    decimal_cost: float = 0.7


WIDE = WideSettings()


def sum_structure(columns: Sequence[HeaderColumn]) -> tuple[tuple[int, ...], int] | None:
    """(the year columns, the range column) when one column is a year range (1998-2002) and the
    others hold each of its years once: the range column is their total."""
    for index, column in enumerate(columns):
        match = _RANGE.fullmatch(column.path.strip())
        if match is None or column.year is not None:
            continue
        first, last = int(match.group(1)), int(match.group(2))
        parts = tuple(i for i, other in enumerate(columns) if i != index and other.year is not None and first <= other.year <= last)
        if last > first and sorted(columns[i].year or 0 for i in parts) == list(range(first, last + 1)):
            return parts, index
    return None


def consecutive_years(columns: Sequence[HeaderColumn]) -> bool:
    """Three or more level columns of successive years (1998 1999 2000 …)."""
    years = sorted({column.year for column in columns if column.year is not None and column.role != "change"})
    run = best = 1 if years else 0
    for previous, year in zip(years, years[1:]):
        run = run + 1 if year == previous + 1 else 1
        best = max(best, run)
    return best >= 3


def series_columns(columns: Sequence[HeaderColumn]) -> frozenset[int]:
    """Columns of a series of successive years (levels, not changes)."""
    dated = [index for index, column in enumerate(columns) if column.year is not None and column.role != "change"]
    return frozenset(dated) if len(dated) >= 3 else frozenset()


class _Priors:
    """Cell priors of one row, remembered per (column, reading)."""

    def __init__(self, context: _RowContext, agree: dict[tuple[str, int | None, str], float], flag: bool | None) -> None:
        self.context = context
        self.agree = agree
        self.flag = flag
        self.memo: dict[tuple[int, CellReading], float] = {}

    def __call__(self, column: int, cell: CellReading) -> float:
        key = (column, cell)
        found = self.memo.get(key)
        if found is None:
            from .score import cell_scores  # NumPy

            found = self.memo[key] = cell_scores(self.context, self.agree, column, cell, [self.flag])[0]
        return found


def _flag(columns: Sequence[HeaderColumn]) -> bool | None:
    changes = [column for column in columns if column.role == "change"]
    if not changes:
        return None
    return all(column.cumulative is True for column in changes)


def _series_term(previous: CellReading | None, cell: CellReading, settings: WideSettings = WIDE) -> float:
    if previous is None or previous.value is None or cell.value is None or previous.value <= 0 or cell.value <= 0:
        return 0.0
    spread = abs(math.log(cell.value / previous.value))
    term = -settings.series_cost * max(0.0, spread - math.log(settings.series_ratio))
    if previous.decimals != cell.decimals:
        term -= settings.series_precision_cost
    return term


def _pieces(token_text: str, start: int, end: int, negative: bool, commas: Sequence[int] = ()) -> list[CellReading]:
    """The readings of the digits ``start:end`` (those that keep the blob's thousands ``commas``)."""
    piece = token_text[start:end]
    sign = -1.0 if negative and start == 0 else 1.0
    raw = ("-" if sign < 0 else "") + piece
    return [CellReading(raw, sign * value if value else value, places) for value, places, _ in digit_readings(piece)
            if not commas or comma_fits(start, end, places, commas)]


def applies(row: Row, context: _RowContext) -> bool:
    """Whether the row is one for this module: digits to cut, and a sum column or many columns."""
    if not any(token.kind == "blob" for token in row.tokens):
        return False
    if any(token.kind == "blob" and not token.text.isdigit() for token in row.tokens):
        return False
    return sum_structure(context.columns) is not None and len(row.tokens) == 1


def readings(row: Row, context: _RowContext, agree: dict[tuple[str, int | None, str], float],
             settings: WideSettings = WIDE) -> tuple[list[Reading], str | None]:
    """The scored readings of a wide row (best first), or why none could be made."""
    columns = context.columns
    flag = _flag(columns)
    priors = _Priors(context, agree, flag)
    series = series_columns(columns)
    found: list[Reading] = []
    structure = sum_structure(columns)
    if structure is not None and len(row.tokens) == 1 and row.tokens[0].kind == "blob":
        found = _sum_readings(row, context, priors, series, structure, flag, settings)
    if not found:
        found = _beam(row, context, priors, series, structure, flag, settings)
        found = _with_rivals(found, priors, series, _beam_levels(context, series))
    if not found:
        return [], "no plausible reading"
    found.sort(key=lambda reading: -reading.score)
    best = found[0].score
    return [reading for reading in found if reading.score >= best - NEGLIGIBLE][: settings.max_readings], None


def _with_rivals(found: list[Reading], priors: _Priors, series: frozenset[int], levels: frozenset[int] = frozenset()) -> list[Reading]:
    """The beam's readings, and for each number cell of the best one its other decimal points as
    rivals within reach: the beam pruned the readings that would tell how sure a cell is, so no
    cell may look as if nothing rivalled it (its basis is then prior_only, and it is named)."""
    if not found:
        return found
    best = max(found, key=lambda reading: reading.score)
    floor = best.score - NEGLIGIBLE + 1.0
    seen = {reading.cells for reading in found}
    extra = []
    for column, cell in enumerate(best.cells):
        if cell.kind != "number" or cell.value is None:
            continue
        digits = cell.raw.lstrip("-")
        for value, places, _ in digit_readings(digits):
            if places == cell.decimals:
                continue
            other = CellReading(cell.raw, -value if cell.raw.startswith("-") else value, places)
            cells = (*best.cells[:column], other, *best.cells[column + 1 :])
            if cells in seen:
                continue
            seen.add(cells)
            score = _score(cells, priors, series, best.arithmetic, levels)
            extra.append(best._replace(cells=cells, score=max(score, floor)))
    return found + extra


def _score(cells: Sequence[CellReading], priors: _Priors, series: frozenset[int], arithmetic: float,
           levels: frozenset[int] = frozenset()) -> float:
    total = 0.0
    previous: CellReading | None = None
    for column, cell in enumerate(cells):
        total += priors(column, cell)
        if column in series:
            total += _series_term(previous, cell)
            previous = cell
    return total + arithmetic + _levels_term([cell for column, cell in enumerate(cells) if column in levels])


def _levels_term(cells: Sequence[CellReading]) -> float:
    """The level prior of :mod:`.score` (a row's levels are of one magnitude: −1.5 per e-fold beyond a
    factor 2.5 between its highest and lowest level), for the beam: 出口额 and 进口额 of one country."""
    values = [cell.value for cell in cells if cell.value is not None and cell.value > 0]
    if len(values) < 2:
        return 0.0
    return -1.5 * max(0.0, math.log(max(values) / min(values)) - math.log(2.5))


def _beam_levels(context: _RowContext, series: frozenset[int]) -> frozenset[int]:
    """The level columns the beam holds to one magnitude, in a table of statistical outcomes (levels
    beside 比上年增长（%） or 比重（%）: the communiqués' trade table); none for a series (its own term does)."""
    from .score import _outcome_column

    levels = frozenset(context.level_columns) - series
    if len(levels) < 2 or not any(_outcome_column(column) for column in context.columns):
        return frozenset()
    return levels


def _cuts(length: int, count: int, limit: int) -> Iterator[tuple[int, ...]]:
    """Piece boundaries (count + 1 offsets) of every cut of ``length`` digits into ``count`` pieces
    of at most ``limit`` digits."""
    def extend(done: tuple[int, ...], left: int) -> Iterator[tuple[int, ...]]:
        if left == 1:
            if 1 <= length - done[-1] <= limit:
                yield (*done, length)
            return
        for size in range(1, limit + 1):
            end = done[-1] + size
            if length - end < left - 1 or length - end > (left - 1) * limit:
                continue
            yield from extend((*done, end), left - 1)
    yield from extend((0,), count)


def _sum_readings(row: Row, context: _RowContext, priors: _Priors, series: frozenset[int], structure: tuple[tuple[int, ...], int],
                  flag: bool | None, settings: WideSettings) -> list[Reading]:
    """Readings of a one-blob row whose year pieces add up to its range piece exactly."""
    token = row.tokens[0]
    found: list[Reading] = []
    for spare in range(min(row.spare, len(token.text) - 1) + 1):
        # The row's last digits may be the next row's name (…8345 11万伏…: 11 starts the next name).
        digits, leftover = token.text[: len(token.text) - spare], token.text[len(token.text) - spare :]
        found += _sum_cuts(digits, leftover, token.negative, context, priors, series, structure, flag, settings, token.commas)
    return found


def _sum_cuts(digits: str, leftover: str, negative: bool, context: _RowContext, priors: _Priors, series: frozenset[int],
              structure: tuple[tuple[int, ...], int], flag: bool | None, settings: WideSettings,
              commas: Sequence[int] = ()) -> list[Reading]:
    width = len(context.columns)
    if math.comb(max(len(digits) - 1, 0), width - 1) > settings.max_cuts:
        return []
    parts, total_column = structure
    ratio = math.log(SETTINGS.ratio_cap)
    spare_cost = context.spare_cost * len(leftover)
    found: list[Reading] = []
    for bounds in _cuts(len(digits), width, settings.max_piece):
        pieces = [digits[bounds[i] : bounds[i + 1]] for i in range(width)]
        values = [int(piece) for piece in pieces]
        if negative:
            values[0] = -values[0]
        if sum(values[i] for i in parts) != values[total_column]:
            continue
        scales = []
        readings = [_pieces(digits, bounds[index], bounds[index + 1], negative, commas) for index in range(width)]
        for places in range(SETTINGS.max_decimals + 1):
            cells = []
            for piece, piece_readings in zip(pieces, readings, strict=True):
                options = [cell for cell in piece_readings if cell.decimals == places]
                if not options and piece.strip("0") == "":
                    options = [cell for cell in piece_readings if cell.decimals == 0]
                if not options:
                    break
                cells.append(options[0])
            if len(cells) == width:
                score = _score(cells, priors, series, ratio) - spare_cost - settings.decimal_cost * places
                scales.append(Reading(tuple(cells), flag, leftover, score, ratio, True))
        if scales:
            # The same cut with the point elsewhere adds up as well: only priors tell them apart, so
            # each stays a rival within reach (the record then abstains on the scale).
            top = max(reading.score for reading in scales)
            found += [reading._replace(score=max(reading.score, top - NEGLIGIBLE + 1.0)) for reading in scales]
    return found


def _beam(row: Row, context: _RowContext, priors: _Priors, series: frozenset[int], structure: tuple[tuple[int, ...], int] | None,
          flag: bool | None, settings: WideSettings) -> list[Reading]:
    """The best readings by a beam over (column, token, digit) states; a sum column that no reading
    adds up to costs its likelihood ratio of a miss."""
    tokens = row.tokens
    width = len(context.columns)
    levels = _beam_levels(context, series)
    # A partial reading: (score so far, cells, the last series cell)
    Partial = tuple[float, tuple[CellReading, ...], CellReading | None]
    states: dict[tuple[int, int], list[Partial]] = {(0, 0): [(0.0, (), None)]}
    for column in range(width):
        following: dict[tuple[int, int], list[Partial]] = {}
        for (token_index, offset), partials in states.items():
            if token_index >= len(tokens):
                continue
            token = tokens[token_index]
            moves: list[tuple[tuple[int, int], CellReading]] = []
            if token.kind != "blob":
                moves = [((token_index + 1, 0), _fixed(token))]
            else:
                left = len(token.text) - offset
                for size in range(1, min(settings.max_piece, left) + 1):
                    end = offset + size
                    target = (token_index + 1, 0) if end == len(token.text) else (token_index, end)
                    columns_left = width - column - 1
                    if columns_left < len(tokens) - target[0]:  # every token left needs a column
                        continue
                    moves += [(target, cell) for cell in _pieces(token.text, offset, end, token.negative, token.commas)]
            for target, cell in moves:
                term = priors(column, cell)
                for score, cells, previous in partials:
                    extra = term
                    last = previous
                    if column in series:
                        extra += _series_term(previous, cell, settings)
                        last = cell
                    if column in levels:
                        before = [cells[index] for index in levels if index < column]
                        extra += _levels_term([*before, cell]) - _levels_term(before)
                    following.setdefault(target, []).append((score + extra, (*cells, cell), last))
        states = {key: sorted(found, key=lambda partial: -partial[0])[: settings.beam] for key, found in following.items()}
    complete = states.get((len(tokens), 0), [])
    result = []
    for score, cells, _ in complete:
        arithmetic, adds_up = 0.0, None
        if structure is not None:
            parts, total_column = structure
            values = [cells[i].value for i in (*parts, total_column)]
            if all(value is not None for value in values):
                finest = max(cells[i].decimals for i in (*parts, total_column))
                gap = abs(sum(values[:-1]) - values[-1])  # type: ignore[arg-type, operator]
                adds_up = gap <= 0.5 * 10 ** (-finest) * len(parts) + 1e-9
                arithmetic = math.log(SETTINGS.ratio_cap) if adds_up else math.log(SETTINGS.far_share)
        result.append(Reading(cells, flag, "", score + arithmetic, arithmetic, adds_up))
    return result


def share_readings(row: Row, context: _RowContext, agree: dict[tuple[str, int | None, str], float]) -> tuple[list[Reading], str | None]:
    """Readings of a one-blob row of a (level, share) table whose share is the level over the total
    row's (93267662 under 全国人口 140967: 93267 | 66.2, as 93267 / 140967 = 66.16 %): every cut and
    point, the share's agreement with the ratio as the row's arithmetic (a likelihood ratio)."""
    assert context.share_total is not None
    level_column, share_column, total = context.share_total
    token = row.tokens[0]
    flag = _flag(context.columns)
    priors = _Priors(context, agree, flag)
    ratio = math.log(SETTINGS.ratio_cap)
    found: list[Reading] = []
    digits = token.text
    for cut in range(1, len(digits)):
        for first in _pieces(digits, 0, cut, token.negative, token.commas):
            for second in _pieces(digits, cut, len(digits), False, token.commas):
                cells = (first, second) if level_column == 0 else (second, first)
                level, share = cells[level_column], cells[share_column]
                adds_up = None
                arithmetic = 0.0
                if level.value is not None and share.value is not None and total > 0:
                    implied = 100.0 * level.value / total
                    adds_up = abs(implied - share.value) <= 0.5 * 10 ** (-share.decimals) + 0.01
                    arithmetic = ratio if adds_up else math.log(SETTINGS.far_share)
                score = priors(0, cells[0]) + priors(1, cells[1]) + arithmetic
                found.append(Reading(cells, flag, "", score, arithmetic, adds_up))
    if not found:
        return [], "no plausible reading"
    found.sort(key=lambda reading: -reading.score)
    best = found[0].score
    return [reading for reading in found if reading.score >= best - NEGLIGIBLE], None

