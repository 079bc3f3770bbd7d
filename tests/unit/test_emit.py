import json
from pathlib import Path

import pytest

from planparse.emit import load_record, serialize, to_json, to_yaml, write_atomic
from planparse.errors import InputError, OutputError
from tests.records import small_record


def test_json_is_utf8_unescaped_and_in_model_order() -> None:
    text = to_json(small_record())
    assert "示例规划" in text and "\\u" not in text
    assert list(json.loads(text)) == list(type(small_record()).model_fields)
    assert text.endswith("\n")


def test_serialization_is_deterministic_and_round_trips(tmp_path: Path) -> None:
    record = small_record()
    for suffix in (".json", ".yaml"):
        assert serialize(record, suffix) == serialize(record, suffix)
        path = tmp_path / f"r{suffix}"
        write_atomic(path, serialize(record, suffix))
        assert load_record(path) == record
    assert "示例规划" in to_yaml(record)


def test_write_atomic_leaves_no_temporary_files(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a" / "b.json", b"{}")
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["b.json"]


def test_unwritable_output_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError):
        write_atomic(blocker / "sub" / "r.json", b"{}")


def test_load_record_rejects_broken_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        load_record(bad)
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"schema_version": "1.0"}', encoding="utf-8")
    with pytest.raises(InputError, match="not a planparse record"):
        load_record(wrong)
