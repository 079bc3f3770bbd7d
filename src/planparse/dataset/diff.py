"""Two plans of one region side by side: each aim of plan A (a target level, a planned change or
growth rate) against what plan B reports for the same indicator and year (a base or actual level,
an achieved change or rate), in canonical units.

A target is ``met`` or ``missed`` by its comparator (``>6.5``), else by the way the indicator
should go (``better`` in ``data/indicator_ids.yaml``); ``undecided`` when neither is known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .indicator_ids import by_id
from .panel import _Source, _source, _table_label, agree
from .schema import Field, TableSchema

STATUSES = ("met", "missed", "undecided")
_MEASURE = {"target": "level", "base": "level", "actual": "level", "value": "level", "change": "change", "growth": "growth"}

DIFF = TableSchema(
    name="diff",
    fields=(
        Field("indicator_id", "string", "Stable indicator id; null for an indicator the id list does not know."),
        Field("indicator_name", "string", "Canonical (or printed) name.", True),
        Field("year", "integer", "The year the aim is for.", True),
        Field("measure", "string", "level, change (over the period) or growth (annual rate).", True,
              ("level", "change", "growth")),
        Field("unit", "string", "Canonical unit of both values."),
        Field("planned", "number", "Plan A's aim.", True),
        Field("comparator", "string", "Its comparator (<, > …)."),
        Field("reported", "number", "What plan B reports for that year.", True),
        Field("reported_role", "string", "base, actual, change, growth or value: the column of plan B it comes from.", True),
        Field("difference", "number", "reported − planned.", True),
        Field("status", "string", "met, missed or undecided (no comparator and no known direction).", True, STATUSES),
        Field("planned_ref", "string", "Plan A's cell (专栏 and JSON pointer).", True),
        Field("reported_ref", "string", "Plan B's cell.", True),
        Field("confidence", "number", "The lower confidence of the two readings.", True),
    ),
    primary_key=("indicator_name", "year", "measure"),
    description="Plan A's targets against plan B's later bases and actuals.",
)


@dataclass
class DiffResult:
    rows: list[dict[str, Any]]
    aims: int  # plan A's numeric aims
    unmatched: int  # aims plan B reports nothing for


def _status(planned: _Source, reported: _Source, better: str | None) -> str:
    if agree(planned, reported):
        return "met"
    comparator = planned.comparator or ""
    if comparator in (">", ">=", "≥") or (not comparator and better == "higher"):
        return "met" if reported.value > planned.value else "missed"
    if comparator in ("<", "<=", "≤") or (not comparator and better == "lower"):
        return "met" if reported.value < planned.value else "missed"
    return "undecided"


def _indicator_key(row: dict[str, Any]) -> str:
    return row["indicator_id"] or f"name:{row['indicator_name']}"


def _match_key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (_indicator_key(row), row["year"], _MEASURE.get(row["role"]), row["unit_canonical"] or row["unit"])


def diff_plans(first: Sequence[dict[str, Any]], second: Sequence[dict[str, Any]]) -> DiffResult:
    """Plan A's (``first``'s) aims against plan B's (``second``'s) realized values."""
    reported: dict[tuple[Any, ...], list[tuple[dict[str, Any], _Source]]] = {}
    for row in second:
        if row["value"] is not None and row["realized"] and row["role"] in _MEASURE:
            reported.setdefault(_match_key(row), []).append((row, _source(row)))
    rows = []
    aims = unmatched = 0
    for row in first:
        if row["value"] is None or row["realized"] or row["role"] not in _MEASURE or row["year"] is None:
            continue
        aims += 1
        candidates = reported.get(_match_key(row))
        if not candidates:
            unmatched += 1
            continue
        planned = _source(row)
        other_row, other = max(candidates, key=lambda item: item[1].confidence)
        identity = by_id(row["indicator_id"]) if row["indicator_id"] else None
        rows.append(
            {
                "indicator_id": row["indicator_id"],
                "indicator_name": row["indicator_name"],
                "year": row["year"],
                "measure": _MEASURE[row["role"]],
                "unit": row["unit_canonical"] or row["unit"],
                "planned": planned.value,
                "comparator": planned.comparator,
                "reported": other.value,
                "reported_role": other.role,
                "difference": other.value - planned.value,
                "status": _status(planned, other, identity.better if identity else None),
                "planned_ref": f"{_table_label(row)} {row['cell_ref']}".strip(),
                "reported_ref": f"{_table_label(other_row)} {other_row['cell_ref']}".strip(),
                "confidence": min(planned.confidence, other.confidence),
            }
        )
    rows.sort(key=lambda item: (item["indicator_name"], item["year"], item["measure"]))
    return DiffResult(rows=rows, aims=aims, unmatched=unmatched)
