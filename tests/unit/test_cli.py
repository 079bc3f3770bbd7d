"""The command line, driven through typer's CliRunner (and once through a real process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planparse.cli import app
from tests.plans import SMALL_PLAN

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "small.txt").write_text(SMALL_PLAN, encoding="utf-8")
    (folder / "small_gbk.txt").write_bytes(SMALL_PLAN.encode("gbk"))
    return folder


def test_extract_writes_json_and_yaml_named_after_inputs(plans: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = _run("extract", str(plans), "-o", str(out))
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "small.json", "small.yaml", "small_gbk.json", "small_gbk.yaml",
    ]
    record = json.loads((out / "small.json").read_text(encoding="utf-8"))
    assert not Path(record["source"]["path"]).is_absolute()
    assert record["source"]["encoding"] == "utf-8"
    assert json.loads((out / "small_gbk.json").read_text(encoding="utf-8"))["source"]["encoding"] == "gb18030"
    assert "summary: documents 2" in stdout


def test_extract_is_deterministic_and_incremental(plans: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run("extract", str(plans), "-o", str(out), "--jobs", "1")[0] == 0
    first = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    code, stdout, _ = _run("extract", str(plans), "-o", str(out))
    assert code == 0 and "skipped" in stdout and "written" not in stdout
    assert _run("extract", str(plans), "-o", str(out), "--force", "--jobs", "2")[0] == 0
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == first


def test_check_reports_drift(plans: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run("extract", str(plans), "-o", str(out), "--format", "json")
    assert _run("extract", str(plans), "-o", str(out), "--format", "json", "--check")[0] == 0
    record = out / "small.json"
    record.write_text(record.read_text(encoding="utf-8").replace("滨海市", "海滨市"), encoding="utf-8")
    code, _, stderr = _run("extract", str(plans), "-o", str(out), "--format", "json", "--check")
    assert code == 1 and "drift" in stderr and "small" in stderr


def test_bad_inputs_fail_alone_with_one_line_each(plans: Path, tmp_path: Path) -> None:
    (plans / "empty.txt").write_bytes(b"")
    (plans / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (plans / "prose.txt").write_text("今天天气很好。我们去公园散步。" * 20, encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, stderr = _run("extract", str(plans), str(tmp_path / "missing.txt"), "-o", str(out))
    assert code == 1
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 4, stderr
    assert "Traceback" not in stderr
    assert any("empty file" in line for line in errors)
    assert any("binary" in line for line in errors)
    assert any("no recognizable plan structure" in line for line in errors)
    assert any("missing.txt" in line for line in errors)
    assert (out / "small.json").is_file() and not (out / "empty.json").exists()
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_unwritable_output_folder(plans: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, stderr = _run("extract", str(plans), "-o", str(blocker / "out"))
    assert code == 1 and stderr.count("\n") == 1 and "cannot create output folder" in stderr


def test_usage_errors_exit_2(plans: Path) -> None:
    assert _run("extract", str(plans), "--format", "xml")[0] == 2
    assert _run("extract", str(plans), "--jobs", "0")[0] == 2
    assert _run("extract", "--no-such-option")[0] == 2


def test_fail_on_warning_exits_3(tmp_path: Path) -> None:
    text = SMALL_PLAN.replace("第二节主要目标", "第三节主要目标")  # a gap in the section numbers
    plan = tmp_path / "gap.txt"
    plan.write_text(text, encoding="utf-8")
    code, _, stderr = _run("extract", str(plan), "-o", str(tmp_path / "o"), "--fail-on-warning")
    assert code == 3, stderr


def test_schema_and_validate(tmp_path: Path, plans: Path) -> None:
    schema_path = tmp_path / "plan.schema.json"
    assert _run("schema", "-o", str(schema_path))[0] == 0
    assert _run("schema", "-o", str(schema_path), "--check")[0] == 0
    schema_path.write_text("{}", encoding="utf-8")
    assert _run("schema", "-o", str(schema_path), "--check")[0] == 1
    _run("schema", "-o", str(schema_path))
    out = tmp_path / "out"
    _run("extract", str(plans), "-o", str(out))
    assert _run("validate", str(out), "--schema", str(schema_path))[0] == 0
    broken = out / "small.json"
    data = json.loads(broken.read_text(encoding="utf-8"))
    data["chapters"][0]["title"] = 12
    data["source"]["sha256"] = "xyz"
    broken.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, _, stderr = _run("validate", str(broken), "--schema", str(schema_path))
    assert code == 1
    assert f"{broken}: /chapters/0/title: 12 is not of type 'string'" in stderr
    assert "/source/sha256" in stderr


def test_validate_outside_the_repository_uses_the_built_in_schema(tmp_path: Path, plans: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no schemas/ folder here
    _run("extract", str(plans), "-o", "out")
    code, stdout, stderr = _run("validate", "out")
    assert code == 0 and "invalid" in stdout and ", 0 invalid" in stdout, stderr
    assert _run("validate", "out", "--schema", "missing.json")[0] == 2


def test_indicators_export_loads_in_pandas(plans: Path, tmp_path: Path) -> None:
    import pandas
    target = tmp_path / "cells.csv"
    code, _, stderr = _run("indicators", str(plans / "small.txt"), "-o", str(target))
    assert code == 0, stderr
    frame = pandas.read_csv(target)
    assert list(frame.columns[:4]) == ["document", "box", "table", "row"]
    assert {"indicator", "unit", "attribute", "column", "column_index", "raw", "value", "cumulative", "confidence", "page"} <= set(frame.columns)
    assert len(frame) > 0 and frame["value"].notna().any()


def test_help_lists_exit_codes_and_starts_without_heavy_imports() -> None:
    code, stdout, _ = _run("--help")
    assert code == 0 and "Exit codes" in stdout
    probe = "import sys, planparse.cli; print(sorted(m for m in ('jieba', 'pdfplumber', 'pypdfium2', 'cn2an', 'rich') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_default_run_processes_data_raw_into_data_structured(tmp_path: Path, plans: Path) -> None:
    work = tmp_path / "project"
    (work / "data").mkdir(parents=True)
    plans.rename(work / "data" / "raw")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    result = subprocess.run([sys.executable, "-m", "planparse", "extract", "--quiet"], cwd=work, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (work / "data" / "structured" / "small.json").is_file()


def test_keywords_per_chapter_only_when_asked(plans: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run("extract", str(plans / "small.txt"), "-o", str(out), "--format", "json", "--keywords", "--keyword-count", "3")[0] == 0
    record = json.loads((out / "small.json").read_text(encoding="utf-8"))
    for chapter in record["chapters"]:
        assert 0 < len(chapter["keywords"]) <= 3
        assert all(isinstance(word, str) and word for word in chapter["keywords"])
    plain = tmp_path / "plain"
    _run("extract", str(plans / "small.txt"), "-o", str(plain), "--format", "json")
    assert all(c["keywords"] is None for c in json.loads((plain / "small.json").read_text(encoding="utf-8"))["chapters"])
