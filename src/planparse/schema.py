"""Stage ``schema``: the JSON Schema of the record (from the pydantic models) and validation with
jsonschema, independent of pydantic, so CI can check committed records against the shipped schema."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .models import SCHEMA_VERSION, PlanRecord

SCHEMA_ID = "https://planparse.invalid/schemas/plan.schema.json"
DEFAULT_SCHEMA_PATH = Path("schemas") / "plan.schema.json"


def build_schema() -> dict[str, Any]:
    """The record's JSON Schema (draft 2020-12), generated from :class:`PlanRecord`."""
    generated = PlanRecord.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "planparse plan record",
        "description": f"A plan document as structured data (schema_version {SCHEMA_VERSION}).",
        **{key: value for key, value in generated.items() if key not in ("title", "description")},
    }


def schema_text() -> str:
    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class Violation:
    file: str
    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.pointer or '/'}: {self.message}"


def _pointer(parts: Any) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def validate_data(data: Any, schema: dict[str, Any], *, file: str) -> list[Violation]:
    """Every violation of ``schema`` in ``data``, ordered by JSON pointer."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema)
    found = [
        Violation(file, _pointer(error.absolute_path), error.message) for error in validator.iter_errors(data)
    ]
    return sorted(found, key=lambda violation: (violation.pointer, violation.message))
