"""The corpus's real tables (the statistical communiqués' and the 1953 plan's pipe tables) read
from the text they leave, intact and damaged the seed's way (planparse/bench/realtables.py prints
the figures and the failures). The goals of issue 12 (every table found and every cell emitted,
0 silently wrong, >= 85 % exact, ECE <= 0.05 on the damaged tables; every cell exact intact) are
not met: these tests hold today's level as a floor (a ratchet: raise it when a figure improves).
"""

from __future__ import annotations

from planparse.bench.realtables import documents, evaluate


def test_intact_real_tables_floor(corpus) -> None:  # type: ignore[no-untyped-def]
    figures = evaluate(documents(), "intact")
    assert figures.tables >= 45
    assert figures.found >= 50 and figures.emitted >= 1430
    assert figures.cells.exact >= 0.985
    assert figures.cells.silent <= 15


def test_damaged_real_tables_floor(corpus) -> None:  # type: ignore[no-untyped-def]
    figures = evaluate(documents(), "damaged")
    assert figures.tables >= 45
    assert figures.found >= 46 and figures.emitted >= 1200
    assert figures.cells.exact >= 0.42
    # Of the cells that were emitted, none is both wrong and unflagged.
    emitted = [cell for cell in figures.cells.cells if cell.confidence is not None]
    assert not [cell for cell in emitted if cell.silently_wrong]
