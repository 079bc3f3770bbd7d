import copy

from planparse.emit import record_data
from planparse.schema import build_schema, schema_text, validate_data
from tests.records import small_record


def test_schema_is_stable_and_forbids_extra_fields() -> None:
    assert schema_text() == schema_text()
    schema = build_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["additionalProperties"] is False


def test_a_valid_record_has_no_violations() -> None:
    assert validate_data(record_data(small_record()), build_schema(), file="r.json") == []


def test_violations_carry_json_pointers_and_messages() -> None:
    data = copy.deepcopy(record_data(small_record()))
    data["chapters"][0]["number"] = "一"
    data["indicators"][0]["cells"][0]["confidence"] = 1.7
    data["document"]["date"] = "2016年11月"
    data["unexpected"] = True
    found = validate_data(data, build_schema(), file="r.json")
    pointers = {violation.pointer for violation in found}
    assert {"/chapters/0/number", "/indicators/0/cells/0/confidence", "/document/date", ""} <= pointers
    assert all(str(violation).startswith("r.json: ") for violation in found)
