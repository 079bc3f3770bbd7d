"""The tidy cell table: one row per indicator cell and per figure of a generic table, with the plan's
metadata, the cell's year, role and canonical unit, so that rows from many plans stack into one panel."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..models import Cell, Column, Indicator, PlanRecord, Table, TableCell, TableRow
from .indicator_ids import identify
from .knowledge import data_file
from .periods import period_of_title, period_of_years
from .regions import region_of
from .schema import DOCUMENTS
from .units import CanonicalUnit, canonical_unit

FLAG_THRESHOLD = 0.8  # the record's threshold: a cell below it carries a warning
_HEADER_UNIT = re.compile(r"[（(]([^（）()]+)[）)]\s*$")
_TITLE_UNIT = re.compile(r"单位[：:]\s*([^\s，,；;）)]+)\s*$")
_TITLE_YEAR = re.compile(r"^(?:表\d+\s*)?((?:19|20)\d\d)年")
_TITLE_YEAR_ANYWHERE = re.compile(r"(?:19|20)\d\d年(?:\d{1,2}(?:-\d{1,2})?月)?")
_TITLE_LABEL = re.compile(r"^表\d+\s*")
_NOTE_MARK = re.compile(r"\[\d+\]|[（(]注\d*[）)]")  # a footnote's mark (…增长速度[12])
_LEADING_YEAR = re.compile(r"^(?:19|20)\d\d年")  # a dated column's year is the row's year (1952年产量)
_LEVEL_ROLES = ("base", "target", "actual", "value")
_GENERIC_ROLES = ("base", "target", "actual", "change", "value")


@dataclass(frozen=True)
class DocumentFacts:
    """What a panel needs to know about a plan, read from its record."""

    document_id: str
    source_path: str
    title: str | None
    issuer: str | None
    date: str | None
    region: str | None
    region_code: str | None
    region_level: str | None
    period_start: int | None
    period_end: int | None

    def row(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in DOCUMENTS.names}


def _table_years(table: Table) -> tuple[int | None, int | None]:
    """(base year, last target or actual year) of a table's columns."""
    base = [column.year for column in table.columns if column.role == "base" and column.year]
    later = [column.year for column in table.columns if column.role in ("target", "actual") and column.year]
    return (min(base) if base else None), (max(later) if later else None)


def document_facts(record: PlanRecord) -> DocumentFacts:
    meta = record.document
    region = region_of(meta.title, meta.issuer)
    period = period_of_title(meta.title)
    if period is None:
        # The table reaching furthest, when it has a base and a target year (2015 → 2020).
        spans = [period_of_years(*_table_years(table)) for table in record.tables]
        found = [span for span in spans if span is not None]
        period = max(found, key=lambda span: span[1]) if found else None
    return DocumentFacts(
        document_id=record.source.sha256,
        source_path=record.source.path,
        title=meta.title,
        issuer=meta.issuer,
        date=meta.date,
        region=region.name if region else None,
        region_code=region.code if region else None,
        region_level=region.level if region else None,
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
    )


def _share_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = data_file("units.yaml")
    return tuple(data["share_name_endings"]), tuple(data["change_name_words"])


def _is_share(indicator: Indicator, roles: Mapping[int, str]) -> bool:
    """Whether a % indicator's levels are shares, so that its changes are in percentage points:
    the row prints a level in %, or its name reads as a share (…率, …比重) and not a change."""
    if any(cell.value is not None and roles.get(cell.column_index) in _LEVEL_ROLES for cell in indicator.cells):
        return True
    endings, change_words = _share_words()
    name = indicator.indicator
    return name.endswith(endings) and not any(word in name for word in change_words)


def _cell_role(column: Column | None, cell: Cell) -> tuple[str, bool]:
    """(role, cumulative) of one cell: a change column's cell is a cumulative change or an
    annual growth rate, by the cell's own [ ] first, then the column's."""
    role = column.role if column is not None else "other"
    if role != "change":
        return role, False
    cumulative = cell.cumulative if cell.cumulative is not None else bool(column and column.cumulative)
    return ("change" if cumulative else "growth"), cumulative


def _realized(role: str, column: Column | None, columns: Sequence[Column]) -> bool:
    """Levels by their role; a change or growth column under the same parent header as an actual
    column (实际完成/年均增长) reports what happened, any other states an aim."""
    if role in ("base", "actual", "value"):
        return True
    if role in ("target", "other") or column is None or "/" not in column.path:
        return False
    parent = column.path.split("/")[0]
    return any(other.role == "actual" and other.path.split("/")[0] == parent for other in columns)


def _cell_unit(indicator: Indicator, column: Column | None, role: str) -> str | None:
    if role == "growth":
        return "%"
    if role == "change" and indicator.unit:
        return indicator.unit
    printed = _header_unit(column)
    if printed and canonical_unit(printed) is not None:
        return printed
    return indicator.unit


def _header_unit(column: Column | None) -> str | None:
    """The unit a column's header prints after its label (金额（亿元） → 亿元)."""
    if column is None:
        return None
    printed = _HEADER_UNIT.search(column.path.rsplit("/", 1)[-1])
    return printed.group(1) if printed else None


def _basis(cell: Cell, damaged: bool) -> str | None:
    given = getattr(cell, "basis", None)  # records of the tables stage that states it
    if isinstance(given, str):
        return given
    if not damaged or not any(ch.isdigit() for ch in cell.raw):
        return "intact"
    return None


def _repaired(cell: Cell, damaged: bool) -> bool:
    return damaged and cell.value is not None and any(ch.isdigit() for ch in cell.raw)


def _number(value: float | None, scale: float | None) -> float | None:
    if value is None or scale is None:
        return None
    return value * scale


def _tables_by_key(record: PlanRecord) -> dict[tuple[int | None, str | None], Table]:
    tables: dict[tuple[int | None, str | None], Table] = {}
    for table in record.tables:
        tables.setdefault((table.box, table.table), table)
    return tables


def cell_rows(record: PlanRecord, facts: DocumentFacts | None = None) -> list[dict[str, Any]]:
    """One dict per cell, keys in :data:`planparse.dataset.schema.CELLS` order."""
    facts = facts or document_facts(record)
    document = facts.row()
    tables = _tables_by_key(record)
    rows = []
    for row_index, indicator in enumerate(record.indicators):
        table = tables.get((indicator.box, indicator.table))
        columns = list(table.columns) if table else []
        by_index = {column.index: column for column in columns}
        roles = {index: column.role for index, column in by_index.items()}
        _, last_year = _table_years(table) if table else (None, None)
        identity = identify(indicator.indicator, indicator.indicator_raw)
        damaged = bool(table and table.damaged)
        share = None
        for cell_index, cell in enumerate(indicator.cells):
            column = by_index.get(cell.column_index)
            role, cumulative = _cell_role(column, cell)
            year = column.year if column is not None and role in _LEVEL_ROLES else None
            if role in ("change", "growth"):
                year = last_year or facts.period_end
            unit = _cell_unit(indicator, column, role)
            points = False
            if role == "change" and unit in ("%", "％"):
                share = _is_share(indicator, roles) if share is None else share
                points = share
            rows.append(_row(
                document, f"/indicators/{row_index}/cells/{cell_index}", "indicator", table, indicator.row,
                number=indicator.number, category=indicator.category, group=indicator.group, identity=identity,
                name=indicator.indicator, name_raw=indicator.indicator_raw, attribute=indicator.attribute,
                column=cell.column, column_index=cell.column_index, year=year, role=role,
                realized=_realized(role, column, columns), raw=cell.raw, value=cell.value, text=cell.text,
                comparator=cell.comparator, unit=unit, points=points, cumulative=cumulative,
                confidence=cell.confidence, repaired=_repaired(cell, damaged), basis=_basis(cell, damaged),
                page=indicator.page, offset=getattr(cell, "offset", None), row_offset=indicator.offset,
            ))
    for table_index, table in enumerate(record.tables):
        if table.kind == "generic":
            rows += _generic_rows(document, table_index, table)
    return rows


def _row(document: Mapping[str, Any], cell_ref: str, table_kind: str, table: Table | None, row: int, *,
         number: int | None, category: str | None, group: str | None, identity: Any, name: str, name_raw: str,
         attribute: str | None, column: str, column_index: int, year: int | None, role: str, realized: bool,
         raw: str, value: float | None, text: str | None, comparator: str | None, unit: str | None, points: bool,
         cumulative: bool, confidence: float, repaired: bool, basis: str | None, page: int | None,
         offset: int | None, row_offset: int, series: str | None = None) -> dict[str, Any]:
    """One tidy row, keys in :data:`planparse.dataset.schema.CELLS` order."""
    canonical: CanonicalUnit | None = canonical_unit(unit)
    scale = canonical.scale if canonical else None
    return {
        **document,
        "cell_ref": cell_ref,
        "table_kind": table_kind,
        "box": table.box if table else None,
        "table": table.table if table else None,
        "table_title": table.title if table else None,
        "row": row,
        "number": number,
        "category": category,
        "group": group,
        "indicator_id": identity.id if identity else None,
        "indicator_name": identity.name if identity else name,
        "indicator": name,
        "indicator_raw": name_raw,
        "attribute": attribute,
        "column": column,
        "column_index": column_index,
        "year": year,
        "role": role,
        "realized": realized,
        "raw": raw,
        "value": value,
        "text": text,
        "comparator": comparator,
        "unit": unit,
        "unit_canonical": canonical.unit if canonical else None,
        "scale": scale,
        "value_canonical": _number(value, scale),
        "percentage_points": points,
        "cumulative": cumulative,
        "confidence": confidence,
        "flagged": confidence < FLAG_THRESHOLD,
        "repaired": repaired,
        "basis": basis,
        "page": page,
        "offset": offset,
        "row_offset": row_offset,
        "series": series,
    }


def _table_year(table: Table) -> int | None:
    """The year a statistics table reports (表3 2015年主要工业产品产量…), else the one year all
    its dated columns share."""
    match = _TITLE_YEAR.match(table.title or "")
    if match:
        return int(match.group(1))
    years = {column.year for column in table.columns if column.year}
    return years.pop() if len(years) == 1 else None


def _generic_unit(cell: TableCell, row: TableRow, table: Table, by_index: Mapping[int, Column], role: str) -> str | None:
    """A generic table's cell unit: printed in the cell, then in the column header (金额（亿元）),
    then a 单位 cell of the row, then the title's 单位：%; a growth rate is in %."""
    if cell.unit:
        return cell.unit
    if role == "growth":
        return "%"
    printed = _header_unit(by_index.get(cell.column_index))
    if printed:
        return printed
    unit_cell = next((other.text for other in row.cells if other.kind == "unit" or (
        other.column_index in by_index and by_index[other.column_index].role == "unit" and other.text)), None)
    if unit_cell:
        return unit_cell
    titled = _TITLE_UNIT.search(table.title or "")
    return titled.group(1) if titled else None


def _without_unit(path: str) -> str:
    return _HEADER_UNIT.sub("", path).strip()


def _column_series(table: Table) -> dict[int, str]:
    """Each value column's name in a series: its header without the printed unit; a growth
    column after a value column is that column's growth (出口额/比上年增长, 进口额/比上年增长)."""
    names: dict[int, str] = {}
    level = None
    for column in table.columns:
        name = _LEADING_YEAR.sub("", _without_unit(column.path)) or _without_unit(column.path)
        if column.role == "change" and level is not None:
            name = f"{level}/{name}"
        elif column.role not in ("name", "number", "unit", "note", "attribute"):
            level = name
        names[column.index] = name
    return names


def _generic_rows(document: Mapping[str, Any], table_index: int, table: Table) -> list[dict[str, Any]]:
    """The figures of a table that is not an indicator table (a communiqué's 表3, an old plan's
    product table): printed as they are, so read at confidence 1; word, unit and empty cells are
    not figures and give no row."""
    by_index = {column.index: column for column in table.columns}
    columns = list(table.columns)
    table_year = _table_year(table)
    title = _NOTE_MARK.sub("", _TITLE_YEAR_ANYWHERE.sub("", _TITLE_LABEL.sub("", _TITLE_UNIT.sub("", table.title or "")))).strip()
    column_names = _column_series(table)
    seen: Counter[str] = Counter()
    rows: list[dict[str, Any]] = []
    for row_index, row in enumerate(table.rows):
        if row.kind != "data":
            continue
        identity = identify(row.label)
        for cell_index, cell in enumerate(row.cells):
            if cell.kind != "number" or cell.merged:
                continue
            column = by_index.get(cell.column_index)
            role: str = column.role if column is not None and column.role in _GENERIC_ROLES else "value"
            cumulative = bool(column and column.cumulative)
            if role == "change" and not cumulative:
                role = "growth"
            year = column.year if column is not None and column.year else table_year
            unit = _generic_unit(cell, row, table, by_index, role)
            series = "/".join(part for part in (title, row.category, row.parent, row.label,
                                                column_names.get(cell.column_index, cell.column)) if part)
            seen[series] += 1
            if seen[series] > 1:  # the same label twice in one table (under categories it does not print)
                series = f"{series}#{seen[series]}"
            rows.append(_row(
                document, f"/tables/{table_index}/rows/{row_index}/cells/{cell_index}", "generic", table, row_index + 1,
                number=None, category=row.category, group=row.parent, identity=identity, name=row.label,
                name_raw=row.label, attribute=None, column=cell.column, column_index=cell.column_index, year=year,
                role=role, realized=_realized(role, column, columns) or role in ("growth", "change") and not any(
                    other.role == "target" for other in columns), raw=cell.text, value=cell.value, text=None,
                comparator=cell.comparator, unit=unit, points=False, cumulative=cumulative,
                confidence=1.0 if cell.value is not None else 0.0, repaired=False,
                basis="intact" if cell.value is not None else "unreadable", page=row.page, offset=cell.offset,
                row_offset=row.offset if row.offset is not None else table.offset, series=series,
            ))
    return rows


def records_cell_rows(records: Iterable[PlanRecord]) -> list[dict[str, Any]]:
    return [row for record in records for row in cell_rows(record)]
