"""Every repair names the record element it concerns, as a JSON pointer that resolves."""

from __future__ import annotations

from typing import Any

import pytest

import planparse
from planparse.emit import record_data
from planparse.models import PlanRecord


@pytest.fixture(scope="module")
def seed(seed_text: str) -> PlanRecord:
    return planparse.parse_text(seed_text)


def _resolve(data: Any, pointer: str) -> Any:
    for part in pointer.strip("/").split("/"):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def test_every_repair_ref_resolves(seed: PlanRecord) -> None:
    data = record_data(seed)
    assert seed.repairs and all(repair.ref for repair in seed.repairs)
    for repair in seed.repairs:
        assert repair.ref is not None
        _resolve(data, repair.ref)  # raises when the pointer names nothing


def test_refs_name_the_element_that_holds_the_repair(seed: PlanRecord) -> None:
    data = record_data(seed)
    for repair in seed.repairs:
        assert repair.ref is not None
        target = _resolve(data, repair.ref)
        if repair.kind == "decimal":  # restored in a paragraph's text
            assert "/paragraphs/" in repair.ref and repair.after in target["text"], repair
        if repair.kind == "token" and repair.ref.startswith("/indicators/"):  # restored in a row's name
            assert repair.after in target["indicator"], repair
    # The cover and TOC's page numbers point at the TOC; one in a table's notes at its box.
    first = seed.repairs[0]
    assert first.ref == "/toc"
    notes = next(r for r in seed.repairs if r.context and r.context.startswith("5年累计数。"))
    assert notes.ref is not None and notes.ref.startswith("/boxes/")
    assert _resolve(data, notes.ref)["kind"] == "indicator_table"


def test_a_plan_without_repairs_is_unchanged() -> None:
    from tests.plans import SMALL_PLAN

    record = planparse.parse_text(SMALL_PLAN)
    assert record.repairs == []
