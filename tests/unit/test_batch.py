"""Batch extraction with the local executors: determinism, the manifest, atomic writes, URLs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planparse import batch, fsio
from planparse.batch import FileResult, Manifest, Task, collect_inputs, plan_jobs, run_batch, run_job
from planparse.config import ExtractConfig
from planparse.errors import UsageError
from tests.plans import SMALL_PLAN

CONFIG = ExtractConfig(format="both")


def _variant(number: int) -> str:
    """A different but still well-formed plan: same structure, another city name."""
    return SMALL_PLAN.replace("滨海市", f"{'东西南北中'[number % 5]}江市")


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """Five inputs: two with identical bytes, a stem collision across folders, an empty one."""
    folder = tmp_path / "raw"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(SMALL_PLAN, encoding="utf-8")
    (folder / "b.txt").write_text(SMALL_PLAN, encoding="utf-8")  # same content as a.txt
    (folder / "c.txt").write_text(_variant(1), encoding="utf-8")
    (folder / "sub" / "a.txt").write_bytes(_variant(2).encode("gb18030"))  # same stem as a.txt
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "x.txt").write_text(SMALL_PLAN, encoding="utf-8")
    return folder


def _tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def _run(corpus: Path, out: Path, **options: object) -> list[FileResult]:
    paths, missing = collect_inputs([corpus])
    assert not missing
    seen: list[FileResult] = []
    report = run_batch(plan_jobs(paths, out, CONFIG), out, CONFIG, on_result=seen.append, **options)
    assert sorted(result.input for result in seen) == sorted(result.input for result in report.results)
    return report.results


def test_one_and_two_workers_write_identical_bytes(corpus: Path, tmp_path: Path) -> None:
    one = _run(corpus, tmp_path / "one", workers=1)
    two = _run(corpus, tmp_path / "two", workers=2)
    assert [(r.input, r.status, r.counts) for r in one] == [(r.input, r.status, r.counts) for r in two]
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")
    assert [r.status for r in one].count("failed") == 1  # the empty input, reported, not raised


def test_identical_inputs_and_stem_collisions_each_get_a_record(corpus: Path, tmp_path: Path) -> None:
    results = _run(corpus, tmp_path / "out")
    names = {name for name in _tree(tmp_path / "out") if not name.startswith(".")}
    assert names == {f"{stem}.{ext}" for stem in ("a", "a-2", "b", "c") for ext in ("json", "yaml")}
    written = [r for r in results if r.status == "written"]
    assert len(written) == 4
    a, b = (json.loads((tmp_path / "out" / f"{stem}.json").read_text(encoding="utf-8")) for stem in "ab")
    assert a["source"]["sha256"] == b["source"]["sha256"] and a["source"]["path"] != b["source"]["path"]
    assert all(not record_path.startswith("/") for r in written for record_path in r.outputs)


def test_second_run_skips_then_force_and_changes_rebuild(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _run(corpus, out)
    before = _tree(out)
    second = _run(corpus, out, workers=2)
    assert {r.status for r in second} == {"skipped", "failed"}
    # Skipped results carry the counts of the run that wrote them, so summaries stay right.
    assert [r.counts for r in second] == [r.counts for r in first]
    assert _tree(out) == before
    (corpus / "c.txt").write_text(_variant(3), encoding="utf-8")
    third = {Path(r.input).name: r.status for r in _run(corpus, out)}
    assert third["c.txt"] == "written" and third["b.txt"] == "skipped"
    (out / "b.yaml").unlink()  # a missing record is rebuilt even though the manifest knows it
    assert {Path(r.input).name: r.status for r in _run(corpus, out)}["b.txt"] == "written"
    assert {r.status for r in _run(corpus, out, force=True)} == {"written", "failed"}


def test_check_mode_reports_drift_and_writes_nothing(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(corpus, out)
    assert {r.status for r in _run(corpus, out, check=True)} == {"unchanged", "failed"}
    (out / "c.json").write_text("{}\n", encoding="utf-8")
    before = _tree(out)
    drift = [r for r in _run(corpus, out, check=True) if r.status == "differs"]
    assert [Path(r.input).name for r in drift] == ["c.txt"] and drift[0].message and "c.json" in drift[0].message
    assert _tree(out) == before


def test_interrupted_write_leaves_no_partial_file_and_next_run_completes(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = tmp_path / "reference"
    _run(corpus, reference)
    out = tmp_path / "out"
    calls = {"n": 0}
    real_replace = os.replace

    def replace_then_interrupt(src: str, dst: str) -> None:
        calls["n"] += 1
        if calls["n"] == 3:  # Ctrl-C in the middle of the second input's records
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr("planparse.emit.os.replace", replace_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        _run(corpus, out)
    monkeypatch.undo()
    left = _tree(out)
    expected = _tree(reference)
    assert not [name for name in left if name.endswith(".tmp")]
    # Whatever exists is complete (the reference bytes); the manifest names only finished inputs.
    assert all(left[name] == expected[name] for name in left if not name.startswith("."))
    manifest = json.loads(left[".planparse/manifest.json"])
    assert list(manifest["entries"]) == ["a"]
    _run(corpus, out)
    assert _tree(out) == expected


def _crash_on_c(task: Task) -> FileResult:
    if task.source.endswith("c.txt"):
        raise RuntimeError("simulated bug")
    return batch.run_task(task)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_crashing_task_fails_only_its_input(corpus: Path, tmp_path: Path, workers: int) -> None:
    paths, _ = collect_inputs([corpus])
    out = tmp_path / "out"
    report = run_batch(plan_jobs(paths, out, CONFIG), out, CONFIG, workers=workers, task=_crash_on_c)
    statuses = [(Path(r.input).name, r.status, r.message) for r in report.results]
    assert ("c.txt", "failed", "worker failed: RuntimeError") in statuses
    assert [name for name, status, _ in statuses if status == "written"] == ["a.txt", "b.txt", "a.txt"]


def test_missing_inputs_and_bad_options(tmp_path: Path) -> None:
    found, missing = collect_inputs([tmp_path / "nope.txt"])
    assert found == [] and [r.status for r in missing] == ["failed"]
    job = plan_jobs([tmp_path / "nope.txt"], tmp_path / "out", CONFIG)[0]
    assert run_job(job, CONFIG).message == "no such file"
    with pytest.raises(UsageError):
        run_batch([job], tmp_path, CONFIG, executor="spark")
    with pytest.raises(UsageError):
        run_batch([job], tmp_path, CONFIG, scheduler="tcp://127.0.0.1:1")


def test_corrupt_manifest_is_ignored(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / ".planparse").mkdir(parents=True)
    (out / ".planparse" / "manifest.json").write_bytes(b"\xff{not json")
    assert Manifest(out).entries == {}
    assert {r.status for r in _run(corpus, out)} == {"written", "failed"}


def test_memory_urls_for_inputs_and_outputs(corpus: Path) -> None:
    fsspec = pytest.importorskip("fsspec")
    memory = fsspec.filesystem("memory")
    memory.pipe_file("/planparse-test/in/x.txt", SMALL_PLAN.encode("utf-8"))
    memory.pipe_file("/planparse-test/in/.cache/y.txt", SMALL_PLAN.encode("utf-8"))
    try:
        # Typer hands URLs over as Paths, which collapse "//": both spellings must work.
        paths, missing = collect_inputs([Path("memory://planparse-test/in"), "memory://planparse-test/none"])
        assert [r.input for r in missing] == ["memory://planparse-test/none"]
        jobs = plan_jobs(paths, Path("memory://planparse-test/out"), CONFIG)
        assert [job.input for job in jobs] == ["memory://planparse-test/in/x.txt"]
        report = run_batch(jobs, "memory://planparse-test/out", CONFIG)
        assert [r.status for r in report.results] == ["written"]
        record = json.loads(memory.cat_file("/planparse-test/out/x.json"))
        assert record["source"]["path"] == "x.txt"  # relative to the folder given, as for local paths
        assert not [p for p in memory.find("/planparse-test/out") if p.endswith(".tmp")]
        local = run_batch(plan_jobs([corpus / "a.txt"], corpus.parent / "local", CONFIG), corpus.parent / "local", CONFIG)
        assert local.results[0].status == "written"
        assert memory.cat_file("/planparse-test/out/x.yaml") == (corpus.parent / "local" / "a.yaml").read_bytes().replace(
            b"path: a.txt", b"path: x.txt"
        )
        assert [r.status for r in run_batch(jobs, "memory://planparse-test/out", CONFIG).results] == ["skipped"]
    finally:
        memory.rm("/planparse-test", recursive=True)


def test_file_urls_are_local_paths(corpus: Path, tmp_path: Path) -> None:
    url = "file://" + corpus.resolve().as_posix()
    assert fsio.as_location(url) == corpus.resolve()
    assert fsio.as_location(Path(url)) == corpus.resolve()
    paths, _ = collect_inputs([url])
    assert paths == collect_inputs([corpus.resolve()])[0]


@given(st.sampled_from(["s3", "gcs", "memory", "abfs", "http"]),
       st.lists(st.from_regex(r"[a-z0-9规划][a-z0-9._\-规划]{0,7}", fullmatch=True), min_size=1, max_size=4))
def test_urls_survive_typers_path_collapse(scheme: str, parts: list[str]) -> None:
    url = f"{scheme}://" + "/".join(parts)
    assert fsio.as_location(url) == url
    assert fsio.as_location(Path(url)) == url
    assert fsio.name_of(url) == parts[-1]


def test_windows_drives_and_plain_paths_are_not_urls() -> None:
    assert fsio.split_url("C:/plans/a.txt") is None
    assert fsio.split_url(Path("raw/a.txt")) is None
    assert fsio.as_location("raw/a.txt") == Path("raw/a.txt")


def _die_on_c(task: Task) -> FileResult:
    """Kills its worker process on c.txt every time, and on the GBK sub/a.txt only once."""
    if task.source.endswith("c.txt"):
        os._exit(1)
    marker = Path(task.outputs[0]).parent / "died-once"
    if task.source.endswith(os.path.join("sub", "a.txt")) and not marker.exists():
        marker.touch()
        os._exit(1)
    return batch.run_task(task)


def test_a_dying_worker_fails_only_its_own_file_in_the_local_pool(corpus: Path, tmp_path: Path) -> None:
    paths, _ = collect_inputs([corpus])
    out = tmp_path / "out"
    report = run_batch(plan_jobs(paths, out, CONFIG), out, CONFIG, workers=2, task=_die_on_c)
    status = {Path(r.input).as_posix().split("raw/")[1]: (r.status, r.message) for r in report.results}
    assert status.pop("c.txt") == ("failed", "worker failed: WorkerDied")
    assert status.pop("empty.txt")[0] == "failed"
    # The task that died once, and those that shared the broken pool, are run again and written.
    assert set(status.values()) == {("written", None)} and len(status) == 3
    reference = tmp_path / "reference"
    run_batch(plan_jobs(paths, reference, CONFIG), reference, CONFIG)
    written = [p.name for p in out.iterdir() if p.suffix in (".json", ".yaml")]
    assert written and all((out / name).read_bytes() == (reference / name).read_bytes() for name in written)
    assert not [p for p in out.rglob("*.tmp")]


def test_temporaries_left_by_a_hard_killed_run_are_removed(corpus: Path, tmp_path: Path) -> None:
    paths, _ = collect_inputs([corpus])
    out = tmp_path / "out"
    out.mkdir()
    stale = [out / ".a.json.k3x_9qz1.tmp", out / ".c.yaml.abcdefgh.tmp"]
    for path in stale:
        path.write_bytes(b"{half a rec")
        os.utime(path, (0, 0))  # left long ago
    in_progress = out / ".b.json.zzzzzzzz.tmp"  # another run writing right now
    in_progress.write_bytes(b"{half")
    unrelated = out / ".notes.txt.abcdefgh.tmp"
    unrelated.write_bytes(b"someone else's")
    os.utime(unrelated, (0, 0))
    run_batch(plan_jobs(paths, out, CONFIG), out, CONFIG)
    assert not any(path.exists() for path in stale) and unrelated.exists() and in_progress.exists()
