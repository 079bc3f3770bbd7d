"""The corpus's real tables (the statistical communiqués' and the 1953 plan's pipe tables) read
from the text they leave, intact and damaged the seed's way (planparse/bench/realtables.py prints
the figures and the failures). The goals of issue 12 (every table found and every cell emitted,
0 silently wrong, >= 85 % exact, ECE <= 0.05 on the damaged tables; every cell exact intact) are
not met: these tests hold today's level as a floor (a ratchet: raise it when a figure improves).
"""

from __future__ import annotations

from planparse.bench.realtables import RealFigures, documents, evaluate
from planparse.bench.repair import Figures


def test_intact_real_tables_floor(corpus) -> None:  # type: ignore[no-untyped-def]
    figures = evaluate(documents(), "intact")
    assert figures.tables >= 45
    assert figures.found >= 50 and figures.emitted >= 1430
    assert figures.cells.exact >= 0.985
    assert figures.cells.silent <= 15
    # tables13: a grid row's parenthesis that holds no unit stays in its name (烧碱（折合百分之百）): 1446/1446 exact.
    assert figures.emitted >= figures.truth_cells and figures.cells.silent == 0 and figures.cells.exact >= 0.9999


def _damaged_both_splits() -> tuple[RealFigures, RealFigures]:
    """The damaged figures of all documents, and of the held split alone (the documents that the
    calibration of real tables, data/calibration_real.yaml, is not fitted on)."""
    tuned, held = evaluate(documents(split="tuned"), "damaged"), evaluate(documents(split="held"), "damaged")
    every = RealFigures(cells=Figures(cells=tuned.cells.cells + held.cells.cells, failures=tuned.cells.failures + held.cells.failures),
                        tables=tuned.tables + held.tables, found=tuned.found + held.found, truth_cells=tuned.truth_cells + held.truth_cells,
                        emitted=tuned.emitted + held.emitted)
    return every, held


def test_damaged_real_tables_floor(corpus) -> None:  # type: ignore[no-untyped-def]
    figures, held = _damaged_both_splits()
    assert figures.tables >= 45
    # (since the damage simulator breaks pages only at printed line starts, a page number falls
    # between two rows and sticks to the row's digits: 46 → 45 found, 42.1 % → 40.7 % exact)
    assert figures.found >= 45 and figures.emitted >= 1190
    # Ratchet (tables11: totals and shares as joint evidence, thousands commas, 批发和零售业): 50/50
    # found, 1443/1446 emitted, 75.1 % exact, ECE 0.022.
    assert figures.found >= 50 and figures.emitted >= 1440
    assert figures.cells.exact >= 0.745
    # tables13: rows whose cells print their units (the 1953 plan: 机床^11, 自行车, 棉布^12 were lost): every
    # cell emitted (1446/1446), none silently wrong (not-emitted cells counted), 76.0 % exact, ECE 0.035.
    assert figures.emitted >= figures.truth_cells and figures.cells.silent == 0
    assert figures.cells.exact >= 0.758
    # tables12: the real-table maps hold on each tuned document (bench.calibrate.worst_document), not on
    # their pool: on the documents not tuned on ECE 0.076 → 0.021; on all of them 0.023 → 0.036 (the older
    # communiqués, right more often than the newest at the same mass, are now underconfident).
    assert held.cells.ece <= 0.03
    assert figures.cells.ece <= 0.04
    # Of the cells that were emitted, none is both wrong and unflagged.
    emitted = [cell for cell in figures.cells.cells if cell.confidence is not None]
    assert not [cell for cell in emitted if cell.silently_wrong]
