"""The command line, driven through typer's CliRunner (and once through a real process)."""

from __future__ import annotations

import io
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
    code, stdout, stderr = _run("indicators", str(plans / "small.txt"), "-o", str(target))
    assert code == 0, stderr
    assert f"wrote 9 cells of 1 document(s) to {target}" in stdout
    frame = pandas.read_csv(target)
    assert list(frame.columns[:3]) == ["document_id", "source_path", "title"]
    assert {"indicator_id", "indicator_name", "year", "role", "value", "unit", "unit_canonical", "scale",
            "percentage_points", "cumulative", "confidence", "basis", "page", "offset"} <= set(frame.columns)
    assert len(frame) == 9 and frame["value"].notna().any()
    assert frame["cumulative"].dtype == bool and frame["percentage_points"].dtype == bool
    assert set(frame["source_path"]) == {"small.txt"}


def test_indicators_and_report_read_a_folder_of_records(plans: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run("extract", str(plans), "-o", str(out), "--quiet")[0] == 0
    code, stdout, stderr = _run("indicators", str(out))
    assert code == 0, stderr
    lines = stdout.splitlines()
    # Two documents (small.txt and its GBK copy differ in bytes), each read once from .json/.yaml.
    assert len(lines) == 1 + 2 * 9
    assert stderr == ""  # a record's .json and .yaml are one record: nothing to report
    code, stdout, stderr = _run("indicators", str(out), str(plans / "small.txt"))
    assert code == 0 and len(stdout.splitlines()) == 1 + 2 * 9
    assert "1 file(s) held a document already read" in stderr  # the input of a record given too
    reports = tmp_path / "reports"
    code, stdout, stderr = _run("report", str(out), "-o", str(reports))
    assert code == 0, stderr
    assert sorted(p.name for p in reports.iterdir()) == ["small.html", "small_gbk.html"]


@pytest.mark.parametrize("command", ["indicators", "report", "panel"])
def test_nothing_to_read_is_a_one_line_error(command: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.csv").write_text("a,b\n", encoding="utf-8")  # neither a plan input nor a record
    code, stdout, stderr = _run(command, str(empty), "-o", str(tmp_path / "x"))
    assert code == 1 and stdout == ""
    assert stderr.count("\n") == 1 and "no plan inputs (.txt, .md, .html, .pdf) or records (.json, .yaml) found" in stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("command", ["indicators", "report", "panel"])
def test_a_missing_input_is_a_one_line_error(command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = _run(command, "typo.txt")
    assert code == 1 and stdout == ""
    assert stderr == "error: typo.txt: no such file or directory\n"


def test_extract_of_a_folder_without_inputs_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "a.json").write_text("{}", encoding="utf-8")
    code, stdout, stderr = _run("extract", str(tmp_path / "records"), "-o", str(tmp_path / "out"))
    assert code == 1 and stdout == ""
    assert stderr == f"error: {tmp_path / 'records'}: no plan inputs (.txt, .md, .html, .pdf) found\n"


def test_records_without_indicator_cells_are_an_error_not_an_empty_table(tmp_path: Path) -> None:
    plan = tmp_path / "prose.txt"
    plan.write_text(SMALL_PLAN.split("专栏1")[0], encoding="utf-8")
    for command in ("indicators", "panel"):
        code, stdout, stderr = _run(command, str(plan), "-o", str(tmp_path / "cells.csv"))
        assert code == 1 and "Traceback" not in stderr and stderr.count("\n") == 1, (command, stderr)
        assert "in 1 document(s)" in stderr
    assert not (tmp_path / "cells.csv").exists()


def test_a_failed_input_is_reported_once_and_the_rest_still_written(plans: Path, tmp_path: Path) -> None:
    (plans / "empty.txt").write_bytes(b"")
    target = tmp_path / "cells.csv"
    code, stdout, stderr = _run("indicators", str(plans), "-o", str(target))
    assert code == 1
    assert stderr.count("empty file") == 1 and "empty file" not in stdout
    assert "1 input(s) failed" in stderr and target.is_file()


def test_password_is_accepted_wherever_inputs_are_read(tmp_path: Path) -> None:
    from tests.fixtures.make_plan_pdf import encrypted_pdf

    pdf = tmp_path / "locked.pdf"
    pdf.write_bytes(encrypted_pdf("secret"))
    code, _, stderr = _run("report", str(pdf), "-o", str(tmp_path / "r"))
    assert code == 1 and "--password" in stderr
    code, stdout, stderr = _run("report", str(pdf), "-o", str(tmp_path / "r"), "--password", "secret")
    assert code == 0, stderr
    assert (tmp_path / "r" / "locked.html").is_file()
    for command in ("indicators", "panel"):
        code, _, stderr = _run(command, str(pdf), "--password", "secret")
        assert code == 1 and "no indicator cells" in stderr or "no numeric indicator cells" in stderr, stderr
    code, _, stderr = _run("diff", str(pdf), str(pdf), "--password", "secret", "--any-region")
    assert code == 1 and "target(s)" in stderr, stderr


def test_record_paths_do_not_depend_on_the_working_folder(plans: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (plans / "sub").mkdir()
    (plans / "sub" / "deep.txt").write_text(SMALL_PLAN, encoding="utf-8")
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    assert _run("extract", "raw", "-o", "out", "--format", "json", "--quiet")[0] == 0
    record = json.loads((out / "deep.json").read_text(encoding="utf-8"))
    assert record["source"]["path"] == "sub/deep.txt"
    elsewhere = tmp_path / "elsewhere" / "deeper"
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    code, _, stderr = _run("extract", "../../raw", "-o", "../../out", "--format", "json", "--check", "--quiet")
    assert code == 0, stderr
    # A file given alone shows its own name.
    assert _run("extract", str(plans / "sub" / "deep.txt"), "-o", str(tmp_path / "one"), "--format", "json", "--quiet")[0] == 0
    assert json.loads((tmp_path / "one" / "deep.json").read_text(encoding="utf-8"))["source"]["path"] == "deep.txt"


def test_version() -> None:
    from planparse import __version__

    code, stdout, _ = _run("--version")
    assert code == 0 and stdout == f"planparse {__version__}\n"


def test_progress_counts_files_and_each_error_is_printed_once(plans: Path, tmp_path: Path) -> None:
    (plans / "empty.txt").write_bytes(b"")
    code, stdout, stderr = _run("extract", str(plans), "-o", str(tmp_path / "out"))
    assert code == 1
    assert "[1/3] written   " in stdout or "[2/3] written   " in stdout
    assert [line for line in stdout.splitlines() if line.startswith("[")][-1].startswith("[3/3]")
    assert stderr.count("empty file") == 1 and "empty file" not in stdout


def test_an_interrupted_batch_says_how_far_it_got_and_that_a_rerun_resumes(
    plans: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planparse import pipeline

    (plans / "third.txt").write_text(SMALL_PLAN.replace("滨海市", "临江市"), encoding="utf-8")
    real = pipeline.extract_document
    calls = {"n": 0}

    def interrupt_on_the_second(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # Ctrl-C while the second file is extracted
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "extract_document", interrupt_on_the_second)
    code, _, stderr = _run("extract", str(plans), "-o", str(tmp_path / "out"), "--jobs", "1")
    assert code == 130
    assert stderr == "interrupted: 1 of 3 file(s) done; run the same command again to resume (finished records are kept and skipped)\n"
    monkeypatch.undo()
    code, stdout, _ = _run("extract", str(plans), "-o", str(tmp_path / "out"), "--jobs", "1")
    statuses = [line.split()[1] for line in stdout.splitlines() if line.startswith("[")]
    assert code == 0 and sorted(statuses) == ["skipped", "written", "written"]


def test_parquet_and_datapackage_exports(plans: Path, tmp_path: Path) -> None:
    import pandas

    target = tmp_path / "cells.parquet"
    assert _run("indicators", str(plans / "small.txt"), "--format", "parquet", "-o", str(target))[0] == 0
    frame = pandas.read_parquet(target)
    assert str(frame["year"].dtype) == "Int64" and frame["cumulative"].dtype == bool
    assert _run("indicators", str(plans / "small.txt"), "--format", "parquet")[0] == 2  # binary to a terminal
    # The -o file's suffix names the format (a .parquet file holding CSV was written before).
    by_suffix = tmp_path / "by_suffix.parquet"
    assert _run("indicators", str(plans / "small.txt"), "-o", str(by_suffix))[0] == 0
    assert by_suffix.read_bytes()[:4] == b"PAR1" and len(pandas.read_parquet(by_suffix)) == len(frame)
    code, _, stderr = _run("indicators", str(plans / "small.txt"), "--format", "csv", "-o", str(by_suffix))
    assert code == 2 and "does not match the output file" in stderr
    package = tmp_path / "package"
    code, stdout, stderr = _run("indicators", str(plans), "-o", str(package), "--datapackage")
    assert code == 0, stderr
    assert sorted(p.name for p in package.iterdir()) == ["cells.csv", "datapackage.json", "documents.csv"]
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(package / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert _run("indicators", str(plans), "--datapackage")[0] == 2  # needs -o DIR
    assert _run("indicators", str(plans), "-o", str(package), "--datapackage", "--format", "jsonl")[0] == 2


def test_panel_and_diff_commands(tmp_path: Path) -> None:
    import pandas

    from tests.research_plans import PLAN_13, PLAN_14

    (tmp_path / "p13.txt").write_text(PLAN_13, encoding="utf-8")
    (tmp_path / "p14.txt").write_text(PLAN_14, encoding="utf-8")
    target = tmp_path / "panel.csv"
    code, stdout, stderr = _run("panel", str(tmp_path / "p13.txt"), str(tmp_path / "p14.txt"), "-o", str(target))
    assert code == 0, stderr
    assert "document(s); 0 conflict(s); 2 word or dash cell(s) left out" in stdout
    frame = pandas.read_csv(target)
    assert frame["conflict"].dtype == bool
    gdp = frame[(frame.indicator_id == "gdp") & (frame.role == "target") & (frame.year == 2020)]
    assert len(gdp) == 1 and gdp.iloc[0]["realized_value"] == pytest.approx(6571.6e8)
    code, stdout, stderr = _run("diff", str(tmp_path / "p13.txt"), str(tmp_path / "p14.txt"))
    assert code == 0, stderr
    diff = pandas.read_csv(io.StringIO(stdout))
    assert dict(zip(diff.indicator_id, diff.status))["gdp"] == "missed"
    assert "met" in stderr and "missed" in stderr  # the summary goes to stderr when the data is on stdout
    code, _, stderr = _run("diff", str(tmp_path / "p14.txt"), str(tmp_path / "p13.txt"))
    assert code == 1 and "is the first plan the earlier one?" in stderr
    other = tmp_path / "dalian.txt"
    other.write_text(PLAN_14.replace("沈阳市", "大连市"), encoding="utf-8")
    code, _, stderr = _run("diff", str(tmp_path / "p13.txt"), str(other))
    assert code == 1 and stderr == "error: the plans are for 沈阳市 and 大连市; --any-region compares them anyway\n"
    assert _run("diff", str(tmp_path / "p13.txt"), str(other), "--any-region")[0] == 0
    assert _run("diff", str(tmp_path), str(other))[0] == 2


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
