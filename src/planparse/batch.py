"""Batch extraction: many inputs, a process pool, an incremental manifest and CI checks.

The output of a batch does not depend on how many workers ran it: every record is a pure function
of its input bytes, its options and planparse's version, and is written atomically on its own.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .config import ExtractConfig
from .emit import serialize, write_atomic
from .errors import OutputError, PlanparseError, UsageError
from .load import PDF_SUFFIXES, display_path
from .models import PlanRecord

INPUT_SUFFIXES = {".txt", *PDF_SUFFIXES}
MANIFEST_DIR = ".planparse"
MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class Counts:
    chapters: int = 0
    sections: int = 0
    boxes: int = 0
    indicators: int = 0
    repairs: int = 0
    warnings: int = 0


@dataclass(frozen=True)
class Job:
    """One input and the record files it produces."""

    input: Path
    stem: str
    outputs: tuple[Path, ...]


@dataclass(frozen=True)
class FileResult:
    input: str
    status: str  # written | skipped | unchanged | differs | failed
    message: str | None = None
    counts: Counts = field(default_factory=Counts)
    sha256: str | None = None
    outputs: tuple[str, ...] = ()


@dataclass
class BatchReport:
    results: list[FileResult] = field(default_factory=list)

    @property
    def failures(self) -> list[FileResult]:
        return [result for result in self.results if result.status == "failed"]

    @property
    def differing(self) -> list[FileResult]:
        return [result for result in self.results if result.status == "differs"]

    def total(self) -> Counts:
        sums = [0] * 6
        for result in self.results:
            for index, value in enumerate(
                (result.counts.chapters, result.counts.sections, result.counts.boxes,
                 result.counts.indicators, result.counts.repairs, result.counts.warnings)
            ):
                sums[index] += value
        return Counts(*sums)


def collect_inputs(paths: Sequence[Path]) -> tuple[list[Path], list[FileResult]]:
    """Expand directories (recursively, sorted) to their .txt/.pdf files; keep files as given.

    A path that does not exist becomes a failed result instead of stopping the batch.
    """
    found: list[Path] = []
    missing: list[FileResult] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    (child for child in path.rglob("*")
                     if child.is_file() and child.suffix.lower() in INPUT_SUFFIXES
                     and not any(part.startswith(".") for part in child.relative_to(path).parts)),
                    key=lambda child: child.as_posix(),
                )
            )
        elif path.exists():
            found.append(path)
        else:
            missing.append(FileResult(input=display_path(path), status="failed", message="no such file or directory"))
    unique: list[Path] = []
    seen: set[Path] = set()
    for path in found:
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            unique.append(path)
    return unique, missing


def plan_jobs(inputs: Sequence[Path], out_dir: Path, config: ExtractConfig) -> list[Job]:
    """Name each input's record after its stem; a later input with a taken stem gets ``-2``, ``-3``…"""
    jobs = []
    taken: set[str] = set()
    for path in inputs:
        stem = path.stem
        candidate, counter = stem, 1
        while candidate in taken:
            counter += 1
            candidate = f"{stem}-{counter}"
        taken.add(candidate)
        jobs.append(Job(path, candidate, tuple(out_dir / f"{candidate}{suffix}" for suffix in config.suffixes)))
    return jobs


def _counts(record: PlanRecord) -> Counts:
    return Counts(
        chapters=len(record.chapters),
        sections=sum(len(chapter.sections) for chapter in record.chapters),
        boxes=len(record.boxes),
        indicators=len(record.indicators),
        repairs=len(record.repairs),
        warnings=len(record.warnings),
    )


def run_job(job: Job, config: ExtractConfig, check: bool = False) -> FileResult:
    """Extract one input and write (or, with ``check``, compare) its record files.

    Runs in a worker process; every planparse error becomes a failed result, never an exception.
    """
    from .pipeline import extract_path

    shown = display_path(job.input)
    try:
        record = extract_path(job.input, config)
        blobs = [(path, serialize(record, path.suffix)) for path in job.outputs]
        if check:
            stale = [path for path, blob in blobs if not path.is_file() or path.read_bytes() != blob]
            status = "differs" if stale else "unchanged"
            message = ", ".join(display_path(path) for path in stale) or None
        else:
            for path, blob in blobs:
                write_atomic(path, blob)
            status, message = "written", None
    except PlanparseError as error:
        return FileResult(input=shown, status="failed", message=error.message if error.source else str(error))
    except RecursionError:
        return FileResult(input=shown, status="failed", message="input nests too deeply to parse")
    return FileResult(
        input=shown,
        status=status,
        message=message,
        counts=_counts(record),
        sha256=record.source.sha256,
        outputs=tuple(display_path(path) for path in job.outputs),
    )


class Manifest:
    """``OUT/.planparse/manifest.json``: which input bytes made which record, by which version."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / MANIFEST_DIR / MANIFEST_NAME
        self.entries: dict[str, dict[str, object]] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and isinstance(data.get("entries"), dict):
                self.entries = data["entries"]
        except (OSError, ValueError):
            self.entries = {}

    @staticmethod
    def key(config: ExtractConfig) -> str:
        return f"{__version__}|{config.fingerprint()}"

    def is_current(self, job: Job, sha256: str, config: ExtractConfig) -> bool:
        entry = self.entries.get(job.stem)
        return (
            isinstance(entry, dict)
            and entry.get("sha256") == sha256
            and entry.get("key") == self.key(config)
            and entry.get("outputs") == [path.name for path in job.outputs]
            and all(path.is_file() for path in job.outputs)
        )

    def record(self, job: Job, result: FileResult, config: ExtractConfig) -> None:
        self.entries[job.stem] = {
            "input": result.input,
            "sha256": result.sha256,
            "key": self.key(config),
            "outputs": [path.name for path in job.outputs],
            "counts": result.counts.__dict__,
        }

    def save(self) -> None:
        data = {"planparse": __version__, "entries": dict(sorted(self.entries.items()))}
        write_atomic(self.path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))

    def counts(self, job: Job) -> Counts:
        entry = self.entries.get(job.stem, {})
        raw = entry.get("counts") if isinstance(entry, dict) else None
        return Counts(**raw) if isinstance(raw, dict) else Counts()


def _sha256(path: Path) -> str | None:
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def run_batch(
    jobs: Sequence[Job],
    out_dir: Path,
    config: ExtractConfig,
    *,
    workers: int = 1,
    force: bool = False,
    check: bool = False,
    on_result: Callable[[FileResult], None] | None = None,
    executor: str = "local",
    scheduler: str | None = None,
) -> BatchReport:
    """Process jobs (in ``workers`` processes), skipping up-to-date records unless ``force``.

    Results come back in input order whatever order the workers finish in.
    """
    if executor not in ("local", "dask"):
        raise UsageError(f"--executor must be local or dask, not {executor!r}")
    if executor == "dask":
        raise UsageError("--executor dask is not available yet")
    report = BatchReport()
    manifest = Manifest(out_dir)
    if not check:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create output folder: {exc.strerror}", source=display_path(out_dir)) from None
    todo: list[tuple[int, Job]] = []
    results: dict[int, FileResult] = {}
    for index, job in enumerate(jobs):
        digest = None if (force or check) else _sha256(job.input)
        if digest and manifest.is_current(job, digest, config):
            results[index] = FileResult(
                input=display_path(job.input), status="skipped", counts=manifest.counts(job), sha256=digest,
                outputs=tuple(display_path(path) for path in job.outputs),
            )
            if on_result:
                on_result(results[index])
        else:
            todo.append((index, job))

    def finished(index: int, job: Job, result: FileResult) -> None:
        results[index] = result
        if result.status == "written":
            manifest.record(job, result, config)
            manifest.save()
        if on_result:
            on_result(result)

    if workers <= 1 or len(todo) <= 1:
        for index, job in todo:
            finished(index, job, run_job(job, config, check))
    else:
        pool = ProcessPoolExecutor(max_workers=min(workers, len(todo)))
        try:
            pending: dict[Future[FileResult], tuple[int, Job]] = {
                pool.submit(run_job, job, config, check): (index, job) for index, job in todo
            }
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda item: pending[item][0]):
                    index, job = pending.pop(future)
                    try:
                        result = future.result()
                    except Exception as error:  # a worker died (killed, out of memory)
                        result = FileResult(input=display_path(job.input), status="failed",
                                            message=f"worker failed: {type(error).__name__}")
                    finished(index, job, result)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    report.results = [results[index] for index in sorted(results)]
    return report


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def iter_record_files(paths: Iterable[Path]) -> list[Path]:
    """Expand directories to the .json/.yaml/.yml record files in them (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    child for child in path.rglob("*")
                    if child.suffix.lower() in {".json", ".yaml", ".yml"}
                    and not any(part.startswith(".") for part in child.relative_to(path).parts)
                )
            )
        else:
            files.append(path)
    return files
