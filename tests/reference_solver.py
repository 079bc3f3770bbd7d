"""The solver's first, brute-force row search, kept as the reference the fast search must equal.

It lists every cut of every blob and every reading of every piece, scores them all, and keeps the
readings within ``NEGLIGIBLE`` of the best. ``repair.row_readings`` must return the same readings
in the same order (tests/unit/test_repair.py checks it on the seed and on generated tables).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from itertools import product

from planparse.repair import (
    ARITHMETIC_MAX,
    NEGLIGIBLE,
    PRUNE_BELOW,
    CellReading,
    Reading,
    SearchSpace,
    _arithmetic,
    _arithmetic_check,
    _cell_prior,
    _cumulative_prior,
    _fixed,
    _level_prior,
    _RowContext,
    digit_readings,
    search_space,
)
from planparse.tables import Row, Token


def _compositions(length: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Ways to write ``length`` as an ordered sum of ``parts`` positive integers."""
    if parts == 1:
        yield (length,)
        return
    for first in range(1, length - parts + 2):
        for rest in _compositions(length - first, parts - 1):
            yield (first, *rest)


def blob_readings(
    token: Token, cells: int, leftover_allowed: int, keep: Callable[[int, CellReading], bool] | None = None
) -> list[tuple[tuple[CellReading, ...], str]]:
    """Every cut of a digit blob into ``cells`` cells (plus up to ``leftover_allowed`` spare digits).

    ``keep(position, cell)`` may veto a cell reading before the cross product is formed: a cell
    that no arithmetic could rescue (a share of 5 554 %) prunes every reading that contains it."""
    digits = token.text
    results: list[tuple[tuple[CellReading, ...], str]] = []
    for spare in range(0, leftover_allowed + 1):
        usable = digits[: len(digits) - spare] if spare else digits
        leftover = digits[len(digits) - spare :] if spare else ""
        if len(usable) < cells:
            continue
        for sizes in _compositions(len(usable), cells):
            pieces = []
            cursor = 0
            for size in sizes:
                pieces.append(usable[cursor : cursor + size])
                cursor += size
            options = []
            for index, piece in enumerate(pieces):
                readings = [
                    CellReading(
                        raw=piece,
                        value=value,
                        decimals=decimals,
                        comparator=token.comparator if index == 0 else None,
                        text=token.word if index == len(pieces) - 1 else None,
                    )
                    for value, decimals, _shown in digit_readings(piece)
                ]
                if keep is not None:
                    readings = [reading for reading in readings if keep(index, reading)]
                options.append(readings)
            if any(not option for option in options):
                continue
            for combo in product(*options):
                results.append((tuple(combo), leftover))
    return results


def reference_row_readings(row: Row, context: _RowContext, agree: dict[tuple[str, int | None, str], float], leftover_allowed: int) -> tuple[list[Reading], str | None]:
    """All scored readings of a damaged row (best first), or a reason why none could be made."""
    space = search_space(row, context)  # the checks and search space the fast search uses too
    if not isinstance(space, SearchSpace):
        return space
    columns = context.columns
    tokens = list(row.tokens)
    blobs, distributions, flags = space.blobs, space.distributions, space.flags
    readings: list[Reading] = []
    best = -math.inf
    prior_cache: dict[tuple[int, str, float, bool | None], float] = {}

    def cell_score(index: int, cell: CellReading, flag: bool | None) -> float:
        column = columns[index]
        key = (index, cell.raw, cell.value if cell.value is not None else -1.0, flag if column.role == "change" else None)
        if key not in prior_cache:
            score = _cell_prior(cell, column, context, key[3])
            if cell.value is not None:
                known = agree.get((context.name_key, column.year, "target" if column.role == "actual" else column.role))
                if known is None:
                    known = agree.get((context.name_key, column.year, "base"))
                if known is not None:
                    score += 3.0 if abs(known - cell.value) < 1e-9 else -1.0
            prior_cache[key] = score
        return prior_cache[key]

    for counts in distributions:
        per_blob = []
        column = 0
        count_of = dict(zip(blobs, counts))
        for position, index in enumerate(blobs):
            column = sum(count_of.get(before, 1) for before in range(index))
            allowed = leftover_allowed if position == len(blobs) - 1 and index == len(tokens) - 1 else 0

            def keep(offset: int, cell: CellReading, first: int = column) -> bool:
                return max(cell_score(first + offset, cell, flag) for flag in flags) > PRUNE_BELOW

            per_blob.append(blob_readings(tokens[index], count_of[index], allowed, keep))
        for combo in product(*per_blob):
            cells: list[CellReading] = []
            leftover = ""
            blob_iter = iter(combo)
            for token in tokens:
                if token.kind == "blob":
                    pieces, spare_digits = next(blob_iter)
                    cells.extend(pieces)
                    leftover = spare_digits or leftover
                else:
                    cells.append(_fixed(token))
            base_score = -context.spare_cost * len(leftover) + _level_prior(cells, context)
            for flag in flags:
                # Left to right, one addition at a time (Python 3.12's sum() compensates rounding).
                cell_total = 0.0
                for index, cell in enumerate(cells):
                    cell_total += cell_score(index, cell, flag)
                score = base_score + cell_total
                if score + ARITHMETIC_MAX < best - NEGLIGIBLE:
                    continue  # even exact arithmetic leaves it with a probability below e^-12
                term, adds_up = 0.0, None
                if flag is not None:
                    found = _arithmetic_check(cells, context, flag)
                    if found is not None:
                        term, adds_up = math.log(found[0]), found[2]
                    score += _arithmetic(cells, context, flag) + _cumulative_prior(context, cells, flag)
                best = max(best, score)
                readings.append(Reading(tuple(cells), flag, leftover, score, term, adds_up))
    readings = [reading for reading in readings if reading.score >= best - NEGLIGIBLE]
    if not readings:
        return [], "no plausible reading"
    readings.sort(key=lambda reading: -reading.score)
    return readings, None
