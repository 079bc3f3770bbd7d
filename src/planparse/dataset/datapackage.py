"""A Frictionless Tabular Data Package of the cell table: ``cells.csv``, ``documents.csv`` (the
source documents, one row each) and ``datapackage.json`` (table schemas with types, primary and
foreign keys, missing values, and the sources). Deterministic: no timestamps."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import __version__
from ..export import to_csv
from .cells import DocumentFacts
from .schema import CELLS, DOCUMENTS, TableSchema

DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class PackageFile:
    name: str  # file name inside the package folder
    data: bytes


def _resource(schema: TableSchema, path: str, foreign_keys: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    return {
        "name": schema.name,
        "path": path,
        "profile": "tabular-data-resource",
        "description": schema.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
        "schema": schema.frictionless(foreign_keys),
    }


def build_package(documents: Sequence[DocumentFacts], cells: Sequence[dict[str, Any]]) -> list[PackageFile]:
    """The package's files (data files first, the descriptor last, so a reader never sees a
    descriptor whose data is not there yet)."""
    cells_path, documents_path = f"{CELLS.name}.csv", f"{DOCUMENTS.name}.csv"
    foreign = [{"fields": "document_id", "reference": {"resource": DOCUMENTS.name, "fields": "document_id"}}]
    descriptor = {
        "profile": "tabular-data-package",
        "name": "planparse-indicators",
        "title": "Indicator cells of plan documents",
        "description": f"Extracted by planparse {__version__}: one row per indicator cell, with the plan's "
        "region, period and canonical indicator ids.",
        "licenses": [{"name": "other-pd", "title": "The plans are public government documents; see each source."}],
        "sources": [
            {"title": document.title or document.source_path, "path": document.source_path}
            for document in documents
        ],
        "resources": [_resource(DOCUMENTS, documents_path), _resource(CELLS, cells_path, foreign)],
    }
    return [
        PackageFile(documents_path, to_csv([document.row() for document in documents], DOCUMENTS).encode("utf-8")),
        PackageFile(cells_path, to_csv(cells, CELLS).encode("utf-8")),
        PackageFile(DESCRIPTOR, (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")),
    ]
