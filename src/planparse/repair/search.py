"""The repair solver's row search: every cut of a damaged row's digit blobs into the header's
cells, every decimal point of every piece (:func:`planparse.repair.model.digit_readings`) and
every cumulative flag, listed as integer arrays (one row per reading, one column per table column,
each entry the id of a cell reading) in exactly the order of the brute-force oracle
(``tests/reference_solver.py``), scored by :mod:`.score`, and cut to the readings within
``negligible`` of the best."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np
import regex

from .model import (
    MAX_BLOB_DIGITS,
    MAX_READINGS,
    NEGLIGIBLE,
    Reading,
    SearchSpace,
    _compositions,
    _estimate,
    _fixed,
    _RowContext,
)
from .score import _MARGIN, _NONE, SLOTS, _arithmetic_terms, _best_lower_bound, _Cells, _exact, _score

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from ..tables import Row


CAPPED = "too many possible readings (search capped)"
TOO_LONG = f"a digit run longer than {MAX_BLOB_DIGITS} digits"


@lru_cache(maxsize=256)
def _cuts(length: int, count: int) -> NDArray[np.int64]:
    """Piece boundaries of every cut of ``length`` digits into ``count`` pieces, as (m, count + 1)
    arrays of offsets, in lexicographic order of the piece sizes (the brute-force order)."""
    found = list(combinations(range(1, length), count - 1))
    inner = np.array(found, dtype=np.int64).reshape(len(found), count - 1)
    rows = inner.shape[0]
    return np.hstack([np.zeros((rows, 1), dtype=np.int64), inner, np.full((rows, 1), length, dtype=np.int64)])



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



def search_space(row: Row, context: _RowContext) -> SearchSpace | tuple[list[Reading], str | None]:
    """The search space of a row, or, when there is nothing to search, the answer itself: the one
    reading of an intact row, or why no reading can be made."""
    columns = context.columns
    width = len(columns)
    tokens = list(row.tokens)
    blobs = [index for index, token in enumerate(tokens) if token.kind == "blob"]
    fixed_count = len(tokens) - len(blobs)
    spare = width - fixed_count
    if any(len(tokens[index].text) > MAX_BLOB_DIGITS for index in blobs):
        return [], TOO_LONG
    if any(not tokens[index].text.isdigit() for index in blobs):
        # A sign or a stray comma inside damaged digits: no reading can be told apart honestly.
        return [], "a signed or comma-broken number among damaged digits"
    if not blobs:
        if len(tokens) != width:
            return [], f"{len(tokens)} cells for {width} columns"
        fixed_cells = tuple(_fixed(token) for token in tokens)
        return [Reading(fixed_cells, None, "", 0.0)], None
    if spare < len(blobs):
        return [], f"{len(tokens)} pieces for {width} columns"
    distributions = [
        counts for counts in _compositions(spare, len(blobs))
        if all(count <= (1 if tokens[index].whole else len(tokens[index].text)) for count, index in zip(counts, blobs))
    ]
    if not distributions:
        return [], "too few digits for the columns"
    if sum(_estimate(row, counts) for counts in distributions) > MAX_READINGS:
        return [], CAPPED
    change_columns = [index for index, column in enumerate(columns) if column.role == "change"]
    flags: list[bool | None] = [None]
    if change_columns:
        # The [ ] that told cumulative values apart were stripped: every change cell may be either,
        # unless the header names only one kind and the notes do not mention [ ].
        fixed_flags = {columns[index].cumulative for index in change_columns}
        open_flags = None in fixed_flags or context.brackets
        flags = [True, False] if open_flags else [bool(next(iter(fixed_flags)))]
    return SearchSpace(blobs, distributions, flags)



_COMMA_BLOB = regex.compile(r"\d{1,3}(?:,\d{3,})+")


def _without_commas(row: Row) -> Row:
    """The row with each comma-broken blob (1,012453601,54841529: a thousands comma kept where the
    decimal point was stripped) as its digits and the commas' places, which the search keeps."""
    if not any(token.kind == "blob" and "," in token.text for token in row.tokens):
        return row
    tokens = []
    for token in row.tokens:
        if token.kind == "blob" and "," in token.text and _COMMA_BLOB.fullmatch(token.text):
            digits = token.text.replace(",", "")
            positions = tuple(index - number for number, index in enumerate(match.start() for match in regex.finditer(",", token.text)))
            token = replace(token, text=digits, commas=positions)
        tokens.append(token)
    return replace(row, tokens=tuple(tokens))


def row_readings(
    row: Row, context: _RowContext, agree: dict[tuple[str, int | None, str], float], leftover_allowed: int,
    cache: dict[Any, Any] | None = None,
) -> tuple[list[Reading], str | None]:
    """All scored readings of a damaged row (best first), or a reason why none could be made.

    The readings are exactly those of the brute-force search (every cut, every decimal point,
    every cumulative flag, kept when within ``NEGLIGIBLE`` of the best; tests/reference_solver.py),
    with the same scores and order; :mod:`.score` scores them as arrays.
    ``cache`` (one per row) keeps the pieces' priors for solving the row again with ``agree``."""
    from . import wide

    row = _without_commas(row)
    if (context.share_total is not None and len(context.columns) == 2 and len(row.tokens) == 1 and row.tokens[0].kind == "blob"
            and row.tokens[0].text.isdigit()):
        return wide.share_readings(row, context, agree)  # a share of the total row: the ratio decides the cut
    if wide.applies(row, context):
        return wide.readings(row, context, agree)  # a sum column: its arithmetic decides the cut
    space = search_space(row, context)
    if not isinstance(space, SearchSpace):
        readings, problem = space
        if problem in (CAPPED, TOO_LONG) and all(token.kind != "blob" or token.text.isdigit() for token in row.tokens):
            return wide.readings(row, context, agree)  # too many cuts to list: the beam search
        return space
    readings = search(row, context, agree, space, leftover_allowed, cache)
    if not readings:
        return [], "no plausible reading"
    return readings, None


