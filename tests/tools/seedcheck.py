"""Compare the seed plan's table cells with the reviewed snapshot (tests/corpus/seed_tables_before.json).

A confident snapshot cell (>= 0.8) is taken as right; a flagged one as an honest tie whose truth is
its value or one of its alternatives. :func:`compare` lists, per cell, how the current record reads
it: ``same`` (the confident value kept), ``still_flagged``, ``decided`` (a tie decided for one of its
candidates at >= 0.8), ``changed`` (a confident value replaced), ``lost`` (no such cell).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).resolve().parents[1] / "corpus" / "seed_tables_before.json"
FLAG = 0.8


def _same(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-9)


def compare(record: Any) -> list[tuple[str, str]]:
    """(outcome, description) per snapshot cell."""
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    by_key = {(ind.box, ind.row): ind for ind in record.indicators}
    found = []
    for row in snapshot:
        indicator = by_key.get((row["box"], row["row"]))
        for index, before in enumerate(row["cells"]):
            where = f"专栏{row['box']} row {row['row']} {row['indicator']} col{index + 1}"
            if indicator is None or index >= len(indicator.cells) or indicator.indicator != row["indicator"]:
                found.append(("lost", where))
                continue
            cell = indicator.cells[index]
            warned = any(f"row {indicator.row} {indicator.indicator} / {cell.column}:" in warning.message for warning in record.warnings)
            flag_ok = before["value"] is None or cell.cumulative == before["cumulative"]
            if before["confidence"] >= FLAG:
                kept = _same(cell.value, before["value"]) and flag_ok and cell.text == before["text"]
                found.append(("same" if kept else "changed", f"{where}: {before['value']} -> {cell.value} ({cell.confidence})"))
            elif cell.confidence < FLAG or warned:
                found.append(("still_flagged", where))
            else:
                candidates = [(before["value"], before["cumulative"])] + [tuple(alt) for alt in before["alternatives"]]
                hit = any(_same(cell.value, value) and (value is None or cell.cumulative == flag) for value, flag in candidates)
                found.append(("decided" if hit else "changed", f"{where}: {before['value']} -> {cell.value} ({cell.confidence})"))
    return found


def summary(record: Any) -> Counter[str]:
    return Counter(outcome for outcome, _ in compare(record))
