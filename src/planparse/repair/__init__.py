"""Stage ``repair``: cut damaged table rows into cells and rank every reading by evidence.

- :mod:`.model` — settings (:class:`RepairSettings`), the priors file, cell and row readings, a
  row's context (no NumPy);
- :mod:`.score` — the one scorer, vectorized (cell priors, level prior, arithmetic as a likelihood
  ratio), for the search and for readings given as cells;
- :mod:`.search` — the row search (every cut, every decimal point, every cumulative flag);
- :mod:`.solve` — tables solved in two passes, the record's cells, bases and warnings;
- :mod:`.calibrate` — the fitted map from probability mass to probability (``data/calibration.yaml``).

NumPy is imported only when a table's numbers are scored.
"""

from __future__ import annotations

from .model import (
    ABSTAIN_BELOW,
    ARITHMETIC_MAX,
    FLAG_THRESHOLD,
    MAX_BLOB_DIGITS,
    MAX_DECIMALS,
    MAX_READINGS,
    NEGLIGIBLE,
    PRUNE_BELOW,
    SETTINGS,
    CellReading,
    Reading,
    RepairSettings,
    SearchSpace,
    _fixed,
    _RowContext,
    digit_readings,
    known_names,
    lookup,
    period_of,
    priors,
)
from .solve import (
    _context,
    _damaged_row_warnings,
    _years,
    arithmetic_structure,
    parse_risk,
    rival_kind,
    row_inconsistency,
    solve_tables,
)

__all__ = [
    "ABSTAIN_BELOW",
    "ARITHMETIC_MAX",
    "FLAG_THRESHOLD",
    "MAX_BLOB_DIGITS",
    "MAX_DECIMALS",
    "MAX_READINGS",
    "NEGLIGIBLE",
    "PRUNE_BELOW",
    "SETTINGS",
    "CellReading",
    "Reading",
    "RepairSettings",
    "SearchSpace",
    "_RowContext",
    "_context",
    "_damaged_row_warnings",
    "_fixed",
    "_years",
    "arithmetic_structure",
    "digit_readings",
    "known_names",
    "lookup",
    "parse_risk",
    "period_of",
    "priors",
    "rival_kind",
    "row_inconsistency",
    "solve_tables",
]
