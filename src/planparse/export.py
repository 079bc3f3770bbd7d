"""Write research tables (rows typed by a :class:`~planparse.dataset.schema.TableSchema`) as CSV,
JSONL, Parquet or a pandas DataFrame; every writer gives the same columns, in schema order.

CSV: a header line, empty fields for nulls, booleans as ``true``/``false``, numbers as Python
prints them. JSONL: one object per line, Chinese unescaped. Parquet needs pyarrow and pandas
(``pip install 'planparse[data]'``) and keeps nullable integers as such. Output is a pure function
of the rows: the same rows give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .dataset.schema import CELLS, TableSchema, pandas_dtype
from .errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    import pandas

FORMATS = ("csv", "jsonl", "parquet")
DATA_EXTRA = "pip install 'planparse[data]'"


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def to_csv(rows: Sequence[dict[str, Any]], schema: TableSchema = CELLS) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(schema.names)
    for row in rows:
        writer.writerow([_csv_value(row.get(name)) for name in schema.names])
    return buffer.getvalue()


def to_jsonl(rows: Sequence[dict[str, Any]], schema: TableSchema = CELLS) -> str:
    return "".join(
        json.dumps({name: row.get(name) for name in schema.names}, ensure_ascii=False) + "\n" for row in rows
    )


def to_dataframe(rows: Sequence[dict[str, Any]], schema: TableSchema = CELLS) -> pandas.DataFrame:
    """A DataFrame with one typed column per field: nullable ``Int64`` integers, ``string`` text,
    ``float64`` numbers, ``bool`` booleans (``boolean`` where a boolean may be null)."""
    try:
        import pandas as pd
    except ImportError:
        raise UsageError(f"DataFrames need pandas: {DATA_EXTRA}") from None
    columns = {
        field.name: pd.array([row.get(field.name) for row in rows], dtype=pandas_dtype(field))
        for field in schema.fields
    }
    return pd.DataFrame(columns, columns=list(schema.names))


def to_parquet(rows: Sequence[dict[str, Any]], schema: TableSchema = CELLS) -> bytes:
    """Parquet bytes (pyarrow), with the pandas dtypes recorded so ``pandas.read_parquet`` gives
    back the same typed columns."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError(f"Parquet output needs pyarrow: {DATA_EXTRA}") from None
    types = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    arrow_schema = pa.schema([pa.field(f.name, types[f.type], nullable=not f.required) for f in schema.fields])
    table = pa.Table.from_pandas(to_dataframe(rows, schema), schema=arrow_schema, preserve_index=False)
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def render(rows: Sequence[dict[str, Any]], format: str, schema: TableSchema = CELLS) -> bytes:
    """The rows in one of :data:`FORMATS`, as bytes."""
    if format == "csv":
        return to_csv(rows, schema).encode("utf-8")
    if format == "jsonl":
        return to_jsonl(rows, schema).encode("utf-8")
    if format == "parquet":
        return to_parquet(rows, schema)
    raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {format!r}")
