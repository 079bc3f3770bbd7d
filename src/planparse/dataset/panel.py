"""The panel: one row per (measure, region, year, role, realized, unit) across many plans, in
canonical units, with the plans each value came from and the disagreements between them.

Two sources *agree* when their values differ by no more than half a unit of the coarser one's last
printed decimal (60.5 and 60.50 agree; 60.5 and 60.4 do not). A row is a ``conflict`` when its
sources disagree, or when it is a realized level (base, actual, value) that another realized level
of the same indicator, region and year contradicts (the 13th plan's 2015 base against the 12th
plan's review of 2015). A target row also carries the realized level of its year, when some plan
reports one, so that targets can be checked against what happened.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .schema import REGION_LEVELS, ROLES, Field, TableSchema

_LEVELS = ("base", "actual", "value")
_SEPARATOR = "; "

PANEL = TableSchema(
    name="panel",
    fields=(
        Field("indicator_id", "string", "Stable indicator id; null for an indicator data/indicator_ids.yaml does not "
              "know (such rows join only on the exact printed name)."),
        Field("indicator_name", "string", "Canonical name, or the printed name of an unknown indicator.", True),
        Field("measure", "string", "What the row measures, the rows' join key: the indicator id; name:NAME for an "
              "indicator the list does not know; series:SERIES for a generic table's figure without an id "
              "(the cell table's series: …/美国/出口额 and …/美国/进口额 are two).", True),
        Field("region", "string", "The plans' region; null when a plan does not tell."),
        Field("region_code", "string", "6-digit GB/T 2260 code of the region."),
        Field("region_level", "string", "national, macro, province, prefecture or county.", enum=REGION_LEVELS),
        Field("year", "integer", "The year the value is for."),
        Field("role", "string", "base, target, actual, change, growth, value or other.", True, ROLES),
        Field("realized", "boolean", "True for what happened, false for what a plan aims at.", True),
        Field("value", "number", "The value in `unit` (canonical when the unit is known): that of the most "
              "confident source.", True),
        Field("unit", "string", "Canonical unit (元, 吨, %), or the printed unit when it is not known."),
        Field("percentage_points", "boolean", "True when the value is a change in percentage points.", True),
        Field("comparator", "string", "<, > … of the chosen source."),
        Field("confidence", "number", "Confidence of the chosen source's reading.", True),
        Field("sources", "integer", "How many cells (across plans and tables) report this row.", True),
        Field("documents", "integer", "How many distinct documents report it.", True),
        Field("document_id", "string", "The document of the chosen source.", True),
        Field("title", "string", "Its plan's title."),
        Field("cell_ref", "string", "The chosen source's cell in its record (JSON pointer).", True),
        Field("from", "string", "Every source, as `title 专栏N: value` joined by '; '.", True),
        Field("conflict", "boolean", "True when sources disagree, or a realized level contradicts another one of "
              "the same indicator, region and year.", True),
        Field("conflict_with", "string", "What it disagrees with, as `title 专栏N role: value`; null when no conflict."),
        Field("realized_value", "number", "For a target: the realized level (base, actual) of its indicator, region "
              "and year in any plan; null when none reports it."),
        Field("realized_from", "string", "Where realized_value comes from."),
    ),
    primary_key=("measure", "region", "year", "role", "realized", "unit"),
    description="One row per indicator, region, year and role across plans.",
)


@dataclass(frozen=True)
class _Source:
    value: float
    printed: float
    comparator: str | None
    confidence: float
    document_id: str
    title: str | None
    table: str
    cell_ref: str
    role: str

    def label(self) -> str:
        return f"{self.title or self.document_id[:12]} {self.table}".strip()


@dataclass
class PanelResult:
    rows: list[dict[str, Any]]
    cells: int  # numeric cells that went into the panel
    left_out: int  # word and dash cells (no number), not in the panel
    conflicts: int
    documents: int
    notes: list[str] = field(default_factory=list)


def _decimals(value: float) -> int:
    text = repr(float(value))
    if "e" in text or "E" in text:
        return 0
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def agree(one: _Source, two: _Source) -> bool:
    """Equal within half a unit of the coarser printed precision, in canonical units."""
    if one.value == two.value:
        return True
    decimals = min(_decimals(one.printed), _decimals(two.printed))
    tolerance = 0.5 * 10.0 ** (-decimals)
    # Tolerance in printed units, scaled like the values.
    scale = abs(one.value / one.printed) if one.printed else 1.0
    return abs(one.value - two.value) <= tolerance * scale * (1 + 1e-9)


def _table_label(row: dict[str, Any]) -> str:
    if row.get("box") is not None:
        return f"专栏{row['box']}"
    return str(row.get("table") or "")


def _measure(row: dict[str, Any]) -> str:
    """What a row measures: its indicator id; else, for a generic table's figure, its series (美国
    出口额 and 美国 进口额 are two); else its printed name."""
    if row["indicator_id"]:
        return str(row["indicator_id"])
    if row.get("series"):
        return f"series:{row['series']}"
    return f"name:{row['indicator_name']}"


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        _measure(row),
        row["region"],
        row["year"],
        row["role"],
        row["realized"],
        row["unit_canonical"] or row["unit"],
    )


def _source(row: dict[str, Any]) -> _Source:
    canonical = row["value_canonical"] if row["value_canonical"] is not None else row["value"]
    return _Source(
        value=float(canonical),
        printed=float(row["value"]),
        comparator=row["comparator"],
        confidence=float(row["confidence"]),
        document_id=row["document_id"],
        title=row["title"],
        table=_table_label(row),
        cell_ref=row["cell_ref"],
        role=row["role"],
    )


def _describe(sources: Iterable[_Source], with_role: bool = False) -> str:
    return _SEPARATOR.join(
        f"{source.label()}{' ' + source.role if with_role else ''}: {source.printed:g}" for source in sources
    )


def build_panel(cells: Sequence[dict[str, Any]]) -> PanelResult:
    """The panel of the tidy cell rows of any number of plans (see the module docstring)."""
    groups: dict[tuple[Any, ...], list[tuple[dict[str, Any], _Source]]] = {}
    left_out = 0
    for row in cells:
        if row["value"] is None:
            left_out += 1
            continue
        groups.setdefault(_key(row), []).append((row, _source(row)))
    # Realized levels by (indicator, region, year, unit), for the cross-role check and for targets.
    levels: dict[tuple[Any, ...], list[_Source]] = {}
    for key, members in groups.items():
        if key[3] in _LEVELS:
            levels.setdefault((key[0], key[1], key[2], key[5]), []).extend(source for _, source in members)
    rows = []
    for key, members in sorted(groups.items(), key=lambda item: tuple("" if part is None else str(part) for part in item[0])):
        first, _ = members[0]
        sources = [source for _, source in members]
        chosen = max(sources, key=lambda source: source.confidence)  # first of the most confident
        disagreeing = [source for source in sources if not agree(source, chosen)]
        if key[3] in _LEVELS:
            others = levels.get((key[0], key[1], key[2], key[5]), [])
            disagreeing += [source for source in others if source.role != key[3] and not agree(source, chosen)]
        realized: _Source | None = None
        if key[3] == "target":
            known = levels.get((key[0], key[1], key[2], key[5]), [])
            realized = max(known, key=lambda source: source.confidence) if known else None
        rows.append(
            {
                "indicator_id": first["indicator_id"],
                "indicator_name": first["indicator_name"],
                "measure": key[0],
                "region": first["region"],
                "region_code": first["region_code"],
                "region_level": first["region_level"],
                "year": first["year"],
                "role": first["role"],
                "realized": first["realized"],
                "value": chosen.value,
                "unit": key[5],
                "percentage_points": any(row["percentage_points"] for row, _ in members),
                "comparator": chosen.comparator,
                "confidence": chosen.confidence,
                "sources": len(sources),
                "documents": len({source.document_id for source in sources}),
                "document_id": chosen.document_id,
                "title": chosen.title,
                "cell_ref": chosen.cell_ref,
                "from": _describe(sources),
                "conflict": bool(disagreeing),
                "conflict_with": _describe(disagreeing, with_role=True) if disagreeing else None,
                "realized_value": realized.value if realized else None,
                "realized_from": _describe([realized], with_role=True) if realized else None,
            }
        )
    return PanelResult(
        rows=rows,
        cells=sum(len(members) for members in groups.values()),
        left_out=left_out,
        conflicts=sum(row["conflict"] for row in rows),
        documents=len({row["document_id"] for row in cells}),
    )
