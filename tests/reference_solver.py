"""The brute-force oracle the fast row search must equal.

It lists every cut of every blob and every reading of every piece, one reading after another in
the plainest order (distributions of the columns over the blobs, then each blob's spare digits,
piece sizes and pieces' readings, then the cumulative flags), drops the readings holding a piece
whose prior no arithmetic could rescue, scores all of them with the library's one scorer
(:func:`planparse.repair.score.score_readings`, every term exact), and keeps those within
``negligible`` of the best, best first, ties in listing order. ``repair.search.row_readings``
must return the same readings, scores and order: it enumerates with arrays, prunes per piece,
adds per-cell scores by id and takes logarithms in two stages, none of which the oracle does.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from itertools import product

from planparse.repair import (
    NEGLIGIBLE,
    PRUNE_BELOW,
    CellReading,
    Reading,
    SearchSpace,
    _fixed,
    _RowContext,
    digit_readings,
)
from planparse.repair.score import cell_scores, score_readings
from planparse.repair.search import search_space
from planparse.tables import Row, Token


def _compositions(length: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Ways to write ``length`` as an ordered sum of ``parts`` positive integers."""
    if parts == 1:
        yield (length,)
        return
    for first in range(1, length - parts + 2):
        for rest in _compositions(length - first, parts - 1):
            yield (first, *rest)


def blob_readings(token: Token, cells: int, leftover_allowed: int) -> list[tuple[tuple[CellReading, ...], str]]:
    """Every cut of a digit blob into ``cells`` cells (plus up to ``leftover_allowed`` spare digits)."""
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
            options = [
                [CellReading(raw="-" + piece if token.negative and index == 0 else piece,
                             value=-value if token.negative and index == 0 else value, decimals=decimals,
                             comparator=token.comparator if index == 0 else None, text=token.word if index == len(pieces) - 1 else None)
                 for value, decimals, _shown in digit_readings(piece)]
                for index, piece in enumerate(pieces)
            ]
            for combo in product(*options):
                results.append((tuple(combo), leftover))
    return results


def reference_row_readings(row: Row, context: _RowContext, agree: dict[tuple[str, int | None, str], float],
                           leftover_allowed: int) -> tuple[list[Reading], str | None]:
    """All scored readings of a damaged row (best first), or a reason why none could be made."""
    space = search_space(row, context)  # the checks and search space the fast search uses too
    if not isinstance(space, SearchSpace):
        return space
    tokens = list(row.tokens)
    blobs, flags = space.blobs, space.flags
    hopeless: dict[tuple[int, CellReading], bool] = {}

    def pruned(column: int, cell: CellReading) -> bool:
        key = (column, cell)
        if key not in hopeless:
            hopeless[key] = max(cell_scores(context, agree, column, cell, flags)) <= PRUNE_BELOW
        return hopeless[key]

    listed: list[tuple[tuple[CellReading, ...], str]] = []
    for counts in space.distributions:
        count_of = dict(zip(blobs, counts))
        per_token = []
        for index, token in enumerate(tokens):
            if token.kind == "blob":
                allowed = leftover_allowed if index == blobs[-1] == len(tokens) - 1 else 0
                per_token.append(blob_readings(token, count_of[index], allowed))
            else:
                per_token.append([((_fixed(token),), "")])
        for combo in product(*per_token):
            cells = tuple(cell for pieces, _ in combo for cell in pieces)
            leftover = next((spare for _, spare in combo if spare), "")
            piece_columns = []
            column = 0
            for (pieces, _), token in zip(combo, tokens):
                if token.kind == "blob":
                    piece_columns.extend(range(column, column + len(pieces)))
                column += len(pieces)
            if any(pruned(column, cells[column]) for column in piece_columns):
                continue
            listed.append((cells, leftover))
    if not listed:
        return [], "no plausible reading"
    scores = score_readings(context, agree, [cells for cells, _ in listed], [len(spare) for _, spare in listed], flags)
    readings: list[tuple[float, int, Reading]] = []
    for position, ((cells, leftover), totals, terms) in enumerate(zip(listed, scores.totals, scores.terms)):
        for flag_index, flag in enumerate(flags):
            readings.append((totals[flag_index], position * len(flags) + flag_index,
                             Reading(cells, flag, leftover, totals[flag_index], *terms[flag_index])))
    best = max(score for score, _, _ in readings)
    kept = sorted((item for item in readings if item[0] >= best - NEGLIGIBLE), key=lambda item: (-item[0], item[1]))
    if not kept or math.isinf(best):
        return [], "no plausible reading"
    return [reading for _, _, reading in kept], None
