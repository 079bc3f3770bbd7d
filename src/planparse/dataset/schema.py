"""Typed column lists of the research tables, one source for CSV, JSONL, Parquet, pandas and the
Frictionless table schema."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # string | integer | number | boolean
    description: str
    required: bool = False  # never null
    enum: tuple[str, ...] | None = None

    def frictionless(self) -> dict[str, Any]:
        field: dict[str, Any] = {"name": self.name, "type": self.type, "description": self.description}
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            field["constraints"] = constraints
        if self.type == "boolean":
            field["trueValues"], field["falseValues"] = ["true"], ["false"]
        return field


@dataclass(frozen=True)
class TableSchema:
    name: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    description: str

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(field.name for field in self.fields)

    def frictionless(self, foreign_keys: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [field.frictionless() for field in self.fields],
            "primaryKey": list(self.primary_key),
            "missingValues": [""],
        }
        if foreign_keys:
            schema["foreignKeys"] = list(foreign_keys)
        return schema


ROLES = ("base", "target", "actual", "change", "growth", "value", "other")
REGION_LEVELS = ("national", "macro", "province", "prefecture", "county")

_DOCUMENT_FIELDS = (
    Field("document_id", "string", "The source's SHA-256: the same bytes are the same document, wherever they lie.", True),
    Field("source_path", "string", "The input's path relative to the folder given on the command line.", True),
    Field("title", "string", "The plan's title as printed."),
    Field("issuer", "string", "The issuing body as printed."),
    Field("date", "string", "Date of issue, YYYY-MM."),
    Field("region", "string", "The region the plan is for (full official name, 东北地区 or 全国), from the title, "
          "then the issuer, with the gazetteer in data/regions.yaml; null when they do not tell."),
    Field("region_code", "string", "6-digit GB/T 2260 code of the region; null for 全国 and multi-province regions."),
    Field("region_level", "string", "national, macro (several provinces), province, prefecture or county.",
          enum=REGION_LEVELS),
    Field("period_start", "integer", "First year of the plan's period (十三五 → 2016), from the title, else from the "
          "years of its target table; null when neither tells."),
    Field("period_end", "integer", "Last year of the plan's period (十三五 → 2020)."),
)

DOCUMENTS = TableSchema(
    name="documents",
    fields=_DOCUMENT_FIELDS,
    primary_key=("document_id",),
    description="One row per source document.",
)

CELLS = TableSchema(
    name="cells",
    fields=(
        *_DOCUMENT_FIELDS,
        Field("cell_ref", "string", "JSON pointer of the cell in its record (/indicators/2/cells/0, or "
              "/tables/3/rows/0/cells/2 for a figure of a generic table).", True),
        Field("table_kind", "string", "indicator: a cell of a plan's indicator table (an /indicators row); generic: "
              "a figure of another table (a communiqué's 表N, an old plan's product table), read as printed.", True,
              ("indicator", "generic")),
        Field("box", "integer", "The 专栏 number of the table."),
        Field("table", "string", "The 表N label of a table outside a box."),
        Field("table_title", "string", "The table's title."),
        Field("row", "integer", "1-based row of the table.", True),
        Field("number", "integer", "The row's printed number （1）."),
        Field("category", "string", "The category row above it (经济发展)."),
        Field("group", "string", "The parent row it belongs to (互联网普及率)."),
        Field("indicator_id", "string", "Stable id (data/indicator_ids.yaml), shared by the same indicator in every "
              "plan; null for an indicator the list does not know."),
        Field("indicator_name", "string", "The canonical name for a known indicator, else the printed name.", True),
        Field("indicator", "string", "The indicator's name in the record (tokens restored).", True),
        Field("indicator_raw", "string", "The name as it stands in the input.", True),
        Field("attribute", "string", "预期性 or 约束性.", enum=("预期性", "约束性")),
        Field("column", "string", "The column's header path (规划目标/2015年).", True),
        Field("column_index", "integer", "1-based index over the value columns.", True),
        Field("year", "integer", "The year the value is for: the column's year for levels; the last year of the "
              "table's span for changes and growth rates; null when the table gives no year."),
        Field("role", "string", "base, target, actual, change (cumulative over the period), growth (annual rate), "
              "value (a level of no plan role) or other.", True, ROLES),
        Field("realized", "boolean", "True when the number reports what happened (a base, an actual, an achieved "
              "change, a plain value), false for what a plan aims at.", True),
        Field("raw", "string", "The cell's characters in the input (the digits of a damaged blob).", True),
        Field("value", "number", "The number read, in the printed unit; null for word and dash cells."),
        Field("text", "string", "A word cell (完成国家指标), or the words beside a number."),
        Field("comparator", "string", "<, >, ≤ … printed before the number.", enum=("<", ">", "<=", ">=", "≤", "≥")),
        Field("unit", "string", "The unit of this cell: the row's unit for levels and cumulative changes, % for "
              "annual growth rates, or a unit the column header prints."),
        Field("unit_canonical", "string", "The unit after conversion (亿元 → 元); null when the unit is unknown."),
        Field("scale", "number", "value × scale = value in unit_canonical (亿元: 1e8)."),
        Field("value_canonical", "number", "value × scale."),
        Field("percentage_points", "boolean", "True when the value is a change in percentage points (a share's "
              "cumulative change), not a percent.", True),
        Field("cumulative", "boolean", "True for a change over the whole period ([ ] or 累计), false otherwise.", True),
        Field("confidence", "number", "Probability that the reading is right.", True),
        Field("flagged", "boolean", "True when confidence < 0.8: the record warns about this cell.", True),
        Field("repaired", "boolean", "True when the value was chosen among readings of damaged digits.", True),
        Field("basis", "string", "What decided the reading (intact, arithmetic, cross_table, prior_only): the "
              "record's own basis when it has one; 'intact' for cells of undamaged tables and word or dash cells; "
              "null for damaged cells of records that do not say."),
        Field("page", "integer", "Printed page of the row."),
        Field("offset", "integer", "Source offset of the cell's own characters; null while records carry only the "
              "row's offset."),
        Field("row_offset", "integer", "Source offset of the row.", True),
        Field("series", "string", "For a generic table's figure: the series it belongs to, the table's title "
              "without its year / the row / the column (主要工业产品产量及其增长速度/原油/产量), #2 for a label the "
              "table repeats; the panel's join key when the row has no indicator_id. Null for indicator cells."),
    ),
    primary_key=("document_id", "cell_ref"),
    description="One row per indicator cell and per figure of a generic table: tidy data for a panel across plans.",
)


def pandas_dtype(field: Field) -> str:
    """The pandas dtype of a field (nullable integers and strings, plain floats and booleans)."""
    if field.type == "integer":
        return "Int64"
    if field.type == "number":
        return "float64"
    if field.type == "boolean":
        return "bool" if field.required else "boolean"
    return "string"
