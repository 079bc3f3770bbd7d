"""Tidy exports: one row per indicator cell, for pandas or R."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .models import PlanRecord

COLUMNS = (
    "document", "box", "table", "row", "number", "group", "category", "indicator", "indicator_raw", "unit",
    "attribute", "column", "column_index", "raw", "value", "comparator", "cumulative", "text", "confidence", "page",
)


def indicator_rows(record: PlanRecord, document: str) -> list[dict[str, Any]]:
    """One dict per cell, keys in :data:`COLUMNS` order."""
    rows = []
    for indicator in record.indicators:
        for cell in indicator.cells:
            rows.append(
                {
                    "document": document,
                    "box": indicator.box,
                    "table": indicator.table,
                    "row": indicator.row,
                    "number": indicator.number,
                    "group": indicator.group,
                    "category": indicator.category,
                    "indicator": indicator.indicator,
                    "indicator_raw": indicator.indicator_raw,
                    "unit": indicator.unit,
                    "attribute": indicator.attribute,
                    "column": cell.column,
                    "column_index": cell.column_index,
                    "raw": cell.raw,
                    "value": cell.value,
                    "comparator": cell.comparator,
                    "cumulative": cell.cumulative,
                    "text": cell.text,
                    "confidence": cell.confidence,
                    "page": indicator.page,
                }
            )
    return rows


def rows_to_csv(rows: list[dict[str, Any]]) -> str:
    """CSV with a header line; empty fields for nulls; booleans as true/false."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {key: ("" if value is None else str(value).lower() if isinstance(value, bool) else value)
             for key, value in row.items()}
        )
    return buffer.getvalue()


def rows_to_jsonl(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
