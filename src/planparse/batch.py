"""Batch extraction: many inputs, a process pool, an incremental manifest and CI checks.

The output of a batch does not depend on how many workers ran it: every record is a pure function
of its input bytes, its options and planparse's version, and is written atomically on its own.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, fsio
from .config import ExtractConfig
from .errors import PlanparseError
from .executors import make_executor
from .fsio import Location
from .load import INPUT_SUFFIXES
from .models import PlanRecord

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
    """One input and the record files it produces (local paths, or URL strings)."""

    input: Location
    stem: str
    outputs: tuple[Location, ...]
    relative: str = ""  # the path the record shows (see :class:`InputFile`); "" = the input's name


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


@dataclass(frozen=True)
class InputFile:
    """One input found on the command line: where it is, and the path its record shows.

    ``relative`` is the path relative to the folder given on the command line (``sub/a.txt``), or
    the file's own name when the file itself was given, so the same inputs give the same records
    whichever folder the command runs from (and on whichever machine)."""

    location: Location
    relative: str


def _relative(root: Location, found: Location) -> str:
    if isinstance(root, Path) and isinstance(found, Path):
        if found == root:
            return found.name
        return found.relative_to(root).as_posix()
    text, base = str(found), str(root).rstrip("/")
    if text == base:
        return fsio.name_of(found)
    return text[len(base):].lstrip("/")


def collect_inputs(paths: Sequence[Path | str], suffixes: set[str] | None = None) -> tuple[list[InputFile], list[FileResult]]:
    """Expand folders (recursively, sorted) to their input files; keep files as given.

    Paths may be fsspec URLs (``memory://corpus``, ``s3://bucket/plans``), also in the collapsed
    form typer gives them (``s3:/bucket/plans``). A path that does not exist becomes a failed
    result instead of stopping the batch. The same file named twice is kept once.
    """
    found: list[InputFile] = []
    missing: list[FileResult] = []
    for path in paths:
        location = fsio.as_location(path)
        files = fsio.find_inputs(location, suffixes or INPUT_SUFFIXES)
        if files is None:
            missing.append(FileResult(input=fsio.shown(location), status="failed", message="no such file or directory"))
        else:
            found.extend(InputFile(file, _relative(location, file)) for file in files)
    unique: list[InputFile] = []
    seen: set[str] = set()
    for item in found:
        location = item.location
        key = location if isinstance(location, str) else str(location.resolve())
        if key not in seen:
            seen.add(key)
            unique.append(item if isinstance(location, str) else InputFile(Path(location), item.relative))
    return unique, missing


def as_input(item: InputFile | Path | str) -> InputFile:
    """An :class:`InputFile` for a bare path: its record shows the file's name."""
    if isinstance(item, InputFile):
        return item
    location = fsio.as_location(item)
    return InputFile(location, fsio.name_of(location))


def plan_jobs(inputs: Sequence[InputFile | Path | str], out_dir: Path | str, config: ExtractConfig) -> list[Job]:
    """Name each input's record after its stem; a later input with a taken stem gets ``-2``, ``-3``…"""
    out = fsio.as_location(out_dir)
    jobs = []
    taken: set[str] = set()
    for item in inputs:
        found = as_input(item)
        location = found.location
        stem = Path(fsio.name_of(location)).stem
        candidate, counter = stem, 1
        while candidate in taken:
            counter += 1
            candidate = f"{stem}-{counter}"
        taken.add(candidate)
        outputs = tuple(fsio.join(out, f"{candidate}{suffix}") for suffix in config.suffixes)
        jobs.append(Job(location, candidate, outputs, found.relative))
    return jobs


@dataclass(frozen=True)
class Task:
    """What a worker needs for one job, as plain picklable values.

    Locations are absolute paths or URLs (a worker's working directory may differ from ours),
    and the names records show are computed here, so every executor writes the same bytes.
    """

    source: str
    shown: str  # how messages name the input (relative to the working directory)
    record_path: str  # how the record names it (relative to the folder given, see InputFile)
    suffix: str
    outputs: tuple[str, ...]
    shown_outputs: tuple[str, ...]
    config: ExtractConfig
    check: bool = False
    skip_sha256: str | None = None  # the manifest's hash for this input: skip if unchanged


def make_task(job: Job, config: ExtractConfig, check: bool = False, skip_sha256: str | None = None) -> Task:
    return Task(
        source=fsio.absolute(job.input),
        shown=fsio.shown(job.input),
        record_path=job.relative or fsio.name_of(job.input),
        suffix=Path(fsio.name_of(job.input)).suffix,
        outputs=tuple(fsio.absolute(path) for path in job.outputs),
        shown_outputs=tuple(fsio.shown(path) for path in job.outputs),
        config=config,
        check=check,
        skip_sha256=skip_sha256,
    )


def _counts(record: PlanRecord) -> Counts:
    return Counts(
        chapters=len(record.chapters),
        sections=sum(len(chapter.sections) for chapter in record.chapters),
        boxes=len(record.boxes),
        indicators=len(record.indicators),
        repairs=len(record.repairs),
        warnings=len(record.warnings),
    )


def run_task(task: Task) -> FileResult:
    """Read one input, extract it and write (or, with ``check``, compare) its record files.

    Runs on a worker (process pool or Dask); the input is read once, and an input whose bytes
    still hash to ``skip_sha256`` with all its records present is skipped without extracting.
    Every planparse error becomes a failed result, never an exception.
    """
    from .emit import serialize
    from .load import load_bytes
    from .pipeline import extract_document

    config = task.config
    outputs = [fsio.from_task(path) for path in task.outputs]
    try:
        data = fsio.read_bytes(fsio.from_task(task.source))
        digest = hashlib.sha256(data).hexdigest()
        if digest == task.skip_sha256 and all(fsio.is_file(path) for path in outputs):
            return FileResult(input=task.shown, status="skipped", sha256=digest, outputs=task.shown_outputs)
        source = load_bytes(data, task.record_path, suffix=task.suffix, encoding=config.encoding, password=config.password)
        del data  # a large PDF's bytes need not live as long as its record
        record = extract_document(source, config)
        blobs = [(path, serialize(record, Path(fsio.name_of(path)).suffix)) for path in outputs]
        if task.check:
            stale = [shown for (path, blob), shown in zip(blobs, task.shown_outputs, strict=True)
                     if fsio.read_or_none(path) != blob]
            status = "differs" if stale else "unchanged"
            message = ", ".join(stale) or None
        else:
            for path, blob in blobs:
                fsio.write_atomic(path, blob)
            status, message = "written", None
    except PlanparseError as error:
        return FileResult(input=task.shown, status="failed", message=error.message if error.source else str(error))
    except RecursionError:
        return FileResult(input=task.shown, status="failed", message="input nests too deeply to parse")
    return FileResult(
        input=task.shown,
        status=status,
        message=message,
        counts=_counts(record),
        sha256=record.source.sha256,
        outputs=task.shown_outputs,
    )


def run_job(job: Job, config: ExtractConfig, check: bool = False) -> FileResult:
    """Extract one input and write (or, with ``check``, compare) its record files."""
    return run_task(make_task(job, config, check))


class Manifest:
    """``OUT/.planparse/manifest.json``: which input bytes made which record, by which version.

    Only the coordinating process reads and writes it, whatever the executor, so a run
    interrupted on a cluster resumes locally and vice versa.
    """

    def __init__(self, out_dir: Path | str) -> None:
        self.path = fsio.join(fsio.join(fsio.as_location(out_dir), MANIFEST_DIR), MANIFEST_NAME)
        self.entries: dict[str, dict[str, object]] = {}
        try:
            raw = fsio.read_or_none(self.path)
            data = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, ValueError, PlanparseError):
            data = None
        if isinstance(data, dict) and isinstance(data.get("entries"), dict):
            self.entries = data["entries"]

    @staticmethod
    def key(config: ExtractConfig) -> str:
        return f"{__version__}|{config.fingerprint()}"

    def expected_sha256(self, job: Job, config: ExtractConfig) -> str | None:
        """The input hash that made this job's records with these options, if any."""
        entry = self.entries.get(job.stem)
        if (
            isinstance(entry, dict)
            and entry.get("key") == self.key(config)
            and entry.get("outputs") == [fsio.name_of(path) for path in job.outputs]
            and isinstance(entry.get("sha256"), str)
        ):
            return str(entry["sha256"])
        return None

    def is_current(self, job: Job, sha256: str, config: ExtractConfig) -> bool:
        return self.expected_sha256(job, config) == sha256 and all(fsio.is_file(path) for path in job.outputs)

    def record(self, job: Job, result: FileResult, config: ExtractConfig) -> None:
        self.entries[job.stem] = {
            "input": result.input,
            "sha256": result.sha256,
            "key": self.key(config),
            "outputs": [fsio.name_of(path) for path in job.outputs],
            "counts": result.counts.__dict__,
        }

    def save(self) -> None:
        data = {"planparse": __version__, "entries": dict(sorted(self.entries.items()))}
        fsio.write_atomic(self.path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))

    def counts(self, job: Job) -> Counts:
        entry = self.entries.get(job.stem, {})
        raw = entry.get("counts") if isinstance(entry, dict) else None
        return Counts(**raw) if isinstance(raw, dict) else Counts()


# The manifest is rewritten at most this often (and once at the end, or on Ctrl-C): rewriting a
# 10^5-entry manifest after every record would make a corpus run quadratic. An entry lost to a
# hard kill only means that record is extracted again, to the same bytes.
MANIFEST_SAVE_SECONDS = 1.0


STALE_TEMPORARY_SECONDS = 300.0


def _remove_stale_temporaries(jobs: Sequence[Job]) -> None:
    """Delete the hidden temporary files (``.<record>.<random>.tmp``), older than a few minutes,
    that a hard-killed earlier run left beside the records this run owns. Each local folder is
    listed once."""
    by_folder: dict[Path, set[str]] = {}
    for job in jobs:
        for output in job.outputs:
            if not fsio.is_url(output):
                path = Path(output)
                by_folder.setdefault(path.parent, set()).add(path.name)
    for folder, names in by_folder.items():
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith(".") and name.endswith(".tmp") and name[1:].rsplit(".", 2)[0] in names:
                with contextlib.suppress(OSError):  # already gone: harmless
                    # A record is written in milliseconds: an older temporary is abandoned, a
                    # newer one may be another run's write in progress.
                    if time.time() - entry.stat().st_mtime > STALE_TEMPORARY_SECONDS:
                        os.unlink(entry.path)


def run_batch(
    jobs: Sequence[Job],
    out_dir: Path | str,
    config: ExtractConfig,
    *,
    workers: int = 1,
    force: bool = False,
    check: bool = False,
    on_result: Callable[[FileResult], None] | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    task: Callable[[Task], FileResult] = run_task,
) -> BatchReport:
    """Process jobs on ``executor`` (``local``: ``workers`` processes; ``dask``: a cluster),
    skipping up-to-date records unless ``force``. ``on_result`` sees results as they finish;
    the report lists them in input order. ``task`` is the per-file function (tests wrap it)."""
    if executor not in ("local", "dask"):
        from .errors import UsageError

        raise UsageError(f"--executor must be local or dask, not {executor!r}")
    out = fsio.as_location(out_dir)
    manifest = Manifest(out)
    if not check:
        fsio.makedirs(out)
        _remove_stale_temporaries(jobs)
    tasks = [
        make_task(job, config, check, None if (force or check) else manifest.expected_sha256(job, config))
        for job in jobs
    ]
    results: dict[int, FileResult] = {}
    dirty, saved_at = False, time.monotonic()
    if not tasks:
        return BatchReport()
    try:
        with make_executor(executor, workers, len(tasks), scheduler) as pool:
            for index, outcome in pool.run(task, tasks):
                job = jobs[index]
                if isinstance(outcome, FileResult):
                    result = outcome
                else:
                    result = FileResult(input=tasks[index].shown, status="failed",
                                        message=f"worker failed: {type(outcome).__name__}")
                if result.status == "skipped":
                    result = FileResult(input=result.input, status="skipped", counts=manifest.counts(job),
                                        sha256=result.sha256, outputs=result.outputs)
                elif result.status == "written":
                    manifest.record(job, result, config)
                    dirty = True
                    if time.monotonic() - saved_at >= MANIFEST_SAVE_SECONDS:
                        manifest.save()
                        dirty, saved_at = False, time.monotonic()
                results[index] = result
                if on_result:
                    on_result(result)
    finally:
        if dirty:
            manifest.save()
    report = BatchReport()
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


RECORD_SUFFIXES = {".json", ".yaml", ".yml"}
INPUT_KINDS = ".txt, .md, .html, .pdf"  # how messages name the inputs a folder walk picks up


@dataclass(frozen=True)
class Gathered:
    """Records read or extracted for an export command, and what could not be used."""

    records: list[tuple[str, PlanRecord]]  # (name for output files: the input's stem, record)
    failures: list[FileResult]  # inputs that could not be read or extracted (each reported once)
    not_records: list[str]  # JSON/YAML files in a folder that are not planparse records
    duplicates: int  # other files with a document already read (same source bytes), used once


def gather_records(paths: Sequence[Path | str], config: ExtractConfig) -> Gathered:
    """Records for ``indicators``, ``report``, ``panel`` and ``diff``: record files are loaded,
    plan inputs extracted (their records show paths relative to the folder given), folders walked
    for both. A document met twice (a record and its input, or its .json and .yaml) is used once.
    """
    from .emit import load_record
    from .load import load_bytes
    from .pipeline import extract_document

    found, failures = collect_inputs(paths, INPUT_SUFFIXES | RECORD_SUFFIXES)
    given = {str(fsio.as_location(path)) for path in paths}
    records: list[tuple[str, PlanRecord]] = []
    not_records: list[str] = []
    seen: dict[str, tuple[str, bool]] = {}  # source sha256 → (stem, read from a record file) when first met
    duplicates = 0
    for item in found:
        shown = fsio.shown(item.location)
        suffix = Path(fsio.name_of(item.location)).suffix.lower()
        try:
            if suffix in RECORD_SUFFIXES:
                if isinstance(item.location, str):
                    raise PlanparseError("records are read from local files only", source=shown)
                record = load_record(item.location)
            else:
                data = fsio.read_bytes(item.location)
                source = load_bytes(data, item.relative, suffix=suffix, encoding=config.encoding, password=config.password)
                record = extract_document(source, config)
        except PlanparseError as error:
            is_given = str(item.location) in given
            if suffix in RECORD_SUFFIXES and not is_given and error.message.startswith("not a planparse record"):
                not_records.append(shown)  # a folder's other JSON/YAML (a datapackage.json …)
                continue
            failures.append(FileResult(input=shown, status="failed", message=error.message))
            continue
        except RecursionError:
            failures.append(FileResult(input=shown, status="failed", message="input nests too deeply to parse"))
            continue
        stem = Path(fsio.name_of(item.location)).stem
        if record.source.sha256 in seen:
            # A record's .json beside its .yaml is the same record twice: nothing to say. Another
            # file with the same source bytes (a copy, or a record and its input) is counted.
            duplicates += seen[record.source.sha256] != (stem, suffix in RECORD_SUFFIXES) or suffix not in RECORD_SUFFIXES
            continue
        seen[record.source.sha256] = (stem, suffix in RECORD_SUFFIXES)
        records.append((stem, record))
    return Gathered(records, failures, not_records, duplicates)
