from pathlib import Path

import pytest

from planparse.errors import InputError
from planparse.load import decode_bytes, display_path, load

SAMPLE = "第一章总则\n第一节发展环境\n“十三五”时期，东北地区振兴发展取得新成效。\n" * 5


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-bom"),
        ("gbk", "gb18030"),
        ("gb18030", "gb18030"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
    ],
)
def test_encodings_are_detected_without_being_told(encoding: str, expected: str) -> None:
    text, used = decode_bytes(SAMPLE.encode(encoding))
    assert text.lstrip("\ufeff") == SAMPLE
    assert used == expected


def test_encoding_override() -> None:
    data = SAMPLE.encode("gbk")
    assert decode_bytes(data, "gbk") == (SAMPLE, "gbk")
    with pytest.raises(InputError, match="cannot decode as utf-8"):
        decode_bytes(data, "utf-8")
    with pytest.raises(InputError, match="unknown encoding"):
        decode_bytes(data, "no-such-codec")


def test_bad_inputs_give_one_line_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 16)
    for path, message in [
        (tmp_path / "missing.txt", "no such file"),
        (empty, "empty file"),
        (binary, "binary file"),
        (tmp_path, "is a directory"),
    ]:
        with pytest.raises(InputError, match=message) as info:
            load(path)
        assert "\n" not in str(info.value)


def test_loaded_document_carries_hash_and_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.txt").write_text(SAMPLE, encoding="gb18030")
    document = load(Path("plan.txt"))
    assert document.path == "plan.txt"
    assert not Path(display_path(tmp_path / "plan.txt")).is_absolute()
    assert len(document.sha256) == 64
    assert document.encoding == "gb18030"
    assert document.text == SAMPLE
