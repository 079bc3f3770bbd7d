"""The Dask executor on a real LocalCluster (2 worker processes): same bytes as the local
executor, a shared manifest, and no lost or corrupt record when a worker dies mid-run."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from planparse import batch
from planparse.batch import FileResult, Task, collect_inputs, plan_jobs, run_batch
from planparse.config import ExtractConfig
from planparse.errors import UsageError
from planparse.executors import DASK_MISSING
from tests.plans import SMALL_PLAN

distributed = pytest.importorskip("distributed")

CONFIG = ExtractConfig(format="both")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """One cluster for the module: starting worker processes is the slow part."""
    import dask
    from dask.distributed import LocalCluster

    # A task that kills its worker is retried once on another worker, then fails as KilledWorker.
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    (folder / "more").mkdir(parents=True)
    for number in range(6):
        text = SMALL_PLAN.replace("滨海市", f"{'东西南北中甲'[number]}江市")
        (folder / f"plan{number}.txt").write_text(text, encoding="utf-8")
    (folder / "copy.txt").write_text(SMALL_PLAN, encoding="utf-8")
    (folder / "more" / "plan0.txt").write_bytes(SMALL_PLAN.encode("gb18030"))  # stem collision
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _records(folder: Path) -> dict[str, bytes]:
    return {name: data for name, data in _tree(folder).items() if not name.startswith(".")}


def _batch(
    corpus: Path, out: Path, on_result: Callable[[FileResult], None] | None = None, **options: object
) -> tuple[list[FileResult], list[FileResult]]:
    """(report results in input order, results in the order on_result saw them)."""
    paths, _ = collect_inputs([corpus])
    seen: list[FileResult] = []

    def record(result: FileResult) -> None:
        seen.append(result)
        if on_result:
            on_result(result)

    report = run_batch(plan_jobs(paths, out, CONFIG), out, CONFIG, on_result=record, **options)
    return report.results, seen


def test_dask_writes_the_local_executors_bytes(corpus: Path, tmp_path: Path, scheduler: str) -> None:
    local, _ = _batch(corpus, tmp_path / "local", workers=2)
    dask_results, seen = _batch(corpus, tmp_path / "dask", executor="dask", scheduler=scheduler)
    assert _tree(tmp_path / "dask") == _tree(tmp_path / "local")  # records and manifest
    assert [(r.input, r.status, r.message, r.counts) for r in dask_results] == [
        (r.input, r.status, r.message, r.counts) for r in local
    ]
    assert sorted(r.input for r in seen) == sorted(r.input for r in dask_results)
    again, _ = _batch(corpus, tmp_path / "dask", executor="dask", scheduler=scheduler)
    assert {r.status for r in again} == {"skipped", "failed"}


def test_without_an_address_a_local_cluster_is_started(corpus: Path, tmp_path: Path) -> None:
    paths, _ = collect_inputs([corpus / "plan1.txt", corpus / "copy.txt"])
    local = run_batch(plan_jobs(paths, tmp_path / "local", CONFIG), tmp_path / "local", CONFIG)
    dask = run_batch(plan_jobs(paths, tmp_path / "dask", CONFIG), tmp_path / "dask", CONFIG, executor="dask", workers=2)
    assert [r.status for r in dask.results] == [r.status for r in local.results] == ["written", "written"]
    assert _tree(tmp_path / "dask") == _tree(tmp_path / "local")


def _stop_after(count: int) -> Callable[[FileResult], None]:
    seen: list[FileResult] = []

    def on_result(result: FileResult) -> None:
        seen.append(result)
        if len(seen) == count:
            raise KeyboardInterrupt

    return on_result


def test_interrupted_runs_resume_across_executors(corpus: Path, tmp_path: Path, scheduler: str) -> None:
    reference = tmp_path / "reference"
    _batch(corpus, reference)
    expected = _records(reference)
    for first, second in (("dask", "local"), ("local", "dask")):
        out = tmp_path / f"{first}-then-{second}"
        with pytest.raises(KeyboardInterrupt):
            _batch(corpus, out, executor=first, scheduler=scheduler if first == "dask" else None, workers=2,
                   on_result=_stop_after(3))
        left = _records(out)
        assert all(left[name] == expected[name] for name in left)  # nothing partial, nothing corrupt
        manifest = json.loads((out / ".planparse" / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["entries"]
        results, _ = _batch(corpus, out, executor=second, scheduler=scheduler if second == "dask" else None)
        assert "skipped" in {r.status for r in results}
        assert _records(out) == expected


def _die_in_plan3(task: Task) -> FileResult:
    """A task that kills its worker process every time, and one that does so only once."""
    if task.source.endswith("plan3.txt"):
        os._exit(1)
    marker = Path(task.outputs[0]).parent / "died-once"
    if task.source.endswith("plan4.txt") and not marker.exists():
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
        os._exit(1)
    return batch.run_task(task)


def test_a_killed_worker_loses_no_record(corpus: Path, tmp_path: Path, scheduler: str) -> None:
    import cloudpickle

    # Workers cannot import this test module: ship the task function by value.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    try:
        results, seen = _batch(corpus, tmp_path / "out", executor="dask", scheduler=scheduler, task=_die_in_plan3)
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    _batch(corpus, tmp_path / "reference")
    expected = _records(tmp_path / "reference")
    status = {r.input: r for r in results}
    assert len(seen) == len(results) == len(status)  # every input reported exactly once
    killer = next(r for name, r in status.items() if name.endswith("plan3.txt"))
    assert killer.status == "failed" and killer.message == "worker failed: KilledWorker"
    # The rest are written; a task that shared the dying worker may be reported too, never half-written.
    assert sum(r.status == "written" for r in results) >= 3
    assert all(r.status == "written" or r.message == "worker failed: KilledWorker" or r.input.endswith("empty.txt")
               for r in results if r is not killer)
    left = _records(tmp_path / "out")
    assert left and all(left[name] == expected[name] for name in left if name != "died-once")
    assert not [name for name in _tree(tmp_path / "out") if name.endswith(".tmp") and not name.startswith(".")]
    # Reported files are redone by the next run; the records written before are kept.
    again, _ = _batch(corpus, tmp_path / "out", executor="dask", scheduler=scheduler)
    assert {r.input for r in again if r.status == "written"} == {r.input for r in results if r.status == "failed"} - {
        r.input for r in results if r.input.endswith("empty.txt")}
    assert {name: data for name, data in _records(tmp_path / "out").items() if name != "died-once"} == expected


def test_without_dask_the_message_says_how_to_install_it(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # import fails as if not installed
    with pytest.raises(UsageError) as error:
        _batch(corpus, tmp_path / "out", executor="dask")
    assert str(error.value) == DASK_MISSING
    assert "\n" not in DASK_MISSING and "pip install 'planparse[dask]'" in DASK_MISSING


def test_importing_planparse_batch_does_not_import_dask() -> None:
    import subprocess

    code = "import sys, planparse.batch, planparse.cli; print('dask' in sys.modules, 'fsspec' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
