"""The ``planparse`` command: a thin typer layer over the library.

Options become a frozen :class:`~planparse.config.ExtractConfig`; library errors
(:class:`~planparse.errors.PlanparseError`) become one line on stderr and an exit code:

  0  everything worked
  1  some inputs failed (bad input, unwritable output), or a check found drift or violations
  2  usage error (bad option, missing argument)
  3  warnings in the records under --fail-on-warning

Progress and summaries go to stdout; errors go to stderr, one line per failed file.
Heavy modules are imported inside the commands so that ``planparse --help`` starts fast.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec

import typer

from .errors import PlanparseError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterator

    from .batch import BatchReport, FileResult
    from .models import PlanRecord

P = ParamSpec("P")
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_WARNINGS = 0, 1, 2, 3
DEFAULT_RAW = Path("data") / "raw"
DEFAULT_STRUCTURED = Path("data") / "structured"

app = typer.Typer(
    name="planparse",
    help=(
        "Turn Chinese government plan documents (五年规划) into validated structured records.\n\n"
        "Exit codes: 0 ok; 1 some inputs failed, drift or invalid records; 2 usage error; "
        "3 warnings under --fail-on-warning."
    ),
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=True,
)


def _one_line_errors(command: Callable[P, None]) -> Callable[P, None]:
    """Turn a :class:`PlanparseError` inside a command into one line on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except PlanparseError as error:
            _err(f"error: {error}")
            raise typer.Exit(error.exit_code) from None

    return wrapper


def _err(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")


def _out(message: str) -> None:
    sys.stdout.write(message + "\n")


class _Progress:
    """A rich progress bar on a terminal; plain lines otherwise (CI logs); nothing when quiet."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.quiet = quiet
        self.bar = None
        if not quiet and sys.stdout.isatty() and total > 1:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                TextColumn("[bold]extract"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                TextColumn("{task.description}"), transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("", total=total)

    def __call__(self, result: FileResult) -> None:
        if result.status == "failed":
            _err(f"error: {result.input}: {result.message}")
        if self.bar is not None:
            self.bar.update(self.task, advance=1, description=result.input)
        elif not self.quiet and result.status != "failed":
            target = f" -> {', '.join(result.outputs)}" if result.status == "written" else ""
            _out(f"{result.status:9} {result.input}{target}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _summary(report: BatchReport, quiet: bool) -> None:
    if quiet:
        return
    total = report.total()
    status_counts: dict[str, int] = {}
    for result in report.results:
        status_counts[result.status] = status_counts.get(result.status, 0) + 1
    rows = [
        ("documents", len(report.results)),
        *[(status, count) for status, count in sorted(status_counts.items())],
        ("chapters", total.chapters),
        ("sections", total.sections),
        ("boxes", total.boxes),
        ("indicators", total.indicators),
        ("repairs", total.repairs),
        ("warnings", total.warnings),
        ("failures", len(report.failures)),
    ]
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(title="planparse summary", show_header=False)
        for name, value in rows:
            table.add_row(name, str(value))
        Console().print(table)
    else:
        _out("summary: " + ", ".join(f"{name} {value}" for name, value in rows))
    for failure in report.failures:
        _out(f"failed: {failure.input}: {failure.message}")


@app.command()
@_one_line_errors
def extract(
    inputs: Annotated[list[Path] | None, typer.Argument(help="Plan files (.txt, .pdf) or folders. Default: data/raw.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output folder. Default: data/structured without INPUT, else the current folder.")] = None,
    format: Annotated[str, typer.Option("--format", help="yaml, json or both.")] = "both",
    keywords: Annotated[bool, typer.Option("--keywords", help="Add per-chapter jieba keywords (slower).")] = False,
    keyword_count: Annotated[int, typer.Option("--keyword-count", help="Keywords per chapter.")] = 10,
    encoding: Annotated[str | None, typer.Option("--encoding", help="Text encoding instead of detection (e.g. gb18030).")] = None,
    password: Annotated[str | None, typer.Option("--password", help="Password of encrypted PDFs.")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Worker processes. Default: all cores.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild records that are up to date.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if the records in the output folder differ from a fresh extraction.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines or summary.")] = False,
    fail_on_warning: Annotated[bool, typer.Option("--fail-on-warning", help="Exit 3 when any record carries warnings.")] = False,
    executor: Annotated[str, typer.Option("--executor", help="local (process pool) or dask (needs planparse[dask]).")] = "local",
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786); default: an in-process LocalCluster.")] = None,
) -> None:
    """Extract records from plan files into OUTPUT/<stem>.json and/or .yaml."""
    from .batch import collect_inputs, default_jobs, plan_jobs, run_batch
    from .config import ExtractConfig

    config = ExtractConfig(keywords=keywords, keyword_count=keyword_count, encoding=encoding, password=password, format=format)
    if jobs is not None and jobs < 1:
        raise UsageError("--jobs must be at least 1")
    out_dir = output if output is not None else (DEFAULT_STRUCTURED if not inputs else Path("."))
    paths, missing = collect_inputs(inputs or [DEFAULT_RAW])
    jobs_list = plan_jobs(paths, out_dir, config)
    progress = _Progress(len(jobs_list) + len(missing), quiet)
    for result in missing:
        progress(result)
    try:
        report = run_batch(jobs_list, out_dir, config, workers=jobs or default_jobs(), force=force, check=check, on_result=progress,
                           executor=executor, scheduler=scheduler)
    finally:
        progress.close()
    report.results[:0] = missing
    _summary(report, quiet)
    if not report.results:
        _err("error: no .txt or .pdf inputs found")
        raise typer.Exit(EXIT_FAILED)
    if check:
        for result in report.differing:
            _err(f"drift: {result.input}: {result.message}")
        if report.differing or report.failures:
            raise typer.Exit(EXIT_FAILED)
    if report.failures:
        raise typer.Exit(EXIT_FAILED)
    if fail_on_warning and report.total().warnings:
        _err(f"error: {report.total().warnings} warning(s) under --fail-on-warning")
        raise typer.Exit(EXIT_WARNINGS)


@app.command()
@_one_line_errors
def schema(
    output: Annotated[Path, typer.Option("--output", "-o", help="Schema file to write.")] = Path("schemas/plan.schema.json"),
    check: Annotated[bool, typer.Option("--check", help="Exit 1 if the schema file is not up to date.")] = False,
) -> None:
    """Write the record's JSON Schema (generated from the models)."""
    from .emit import write_atomic
    from .schema import schema_text

    text = schema_text()
    if check:
        try:
            current = output.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current != text:
            _err(f"drift: {output} is not up to date; run `planparse schema`")
            raise typer.Exit(EXIT_FAILED)
        _out(f"{output} is up to date")
        return
    write_atomic(output, text.encode("utf-8"))
    _out(f"wrote {output}")


@app.command()
@_one_line_errors
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Record files (.json, .yaml) or folders of them.")],
    schema_path: Annotated[
        Path | None, typer.Option("--schema", help="JSON Schema file (default: this planparse's schema, as `planparse schema` writes it).")
    ] = None,
) -> None:
    """Check records against the JSON Schema (with jsonschema); print every violation."""
    import json

    from .batch import iter_record_files
    from .emit import read_data
    from .schema import build_schema, validate_data

    if schema_path is None:
        schema_data = build_schema()
    else:
        try:
            schema_data = json.loads(schema_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read schema {schema_path}: {exc}") from None
    files = iter_record_files(paths)
    if not files:
        raise UsageError("no record files to validate")
    bad = 0
    for file in files:
        try:
            data = read_data(file)
        except PlanparseError as error:
            _err(f"{file}: {error.message}")
            bad += 1
            continue
        violations = validate_data(data, schema_data, file=str(file))
        for violation in violations:
            _err(str(violation))
        bad += bool(violations)
    _out(f"validated {len(files)} file(s): {len(files) - bad} valid, {bad} invalid")
    if bad:
        raise typer.Exit(EXIT_FAILED)


def _records(paths: list[Path], encoding: str | None) -> Iterator[tuple[str, PlanRecord]]:
    """Yield (name, record) for record files (.json/.yaml) and plan inputs (.txt/.pdf) alike."""
    from .batch import collect_inputs
    from .config import ExtractConfig
    from .emit import load_record
    from .pipeline import extract_path

    config = ExtractConfig(encoding=encoding)
    record_paths = [path for path in paths if path.suffix.lower() in {".json", ".yaml", ".yml"}]
    inputs, missing = collect_inputs([path for path in paths if path not in record_paths])
    for failure in missing:
        raise PlanparseError(failure.message or "missing", source=failure.input)
    for path in record_paths:
        yield path.stem, load_record(path)
    for path in inputs:
        yield path.stem, extract_path(path, config)


@app.command()
@_one_line_errors
def indicators(
    inputs: Annotated[list[Path], typer.Argument(help="Plan files or record files.")],
    format: Annotated[str, typer.Option("--format", help="csv or jsonl.")] = "csv",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output file. Default: stdout.")] = None,
    encoding: Annotated[str | None, typer.Option("--encoding")] = None,
) -> None:
    """Export indicator cells, one line per cell (tidy data for pandas or R)."""
    from .emit import write_atomic
    from .export import indicator_rows, rows_to_csv, rows_to_jsonl

    if format not in ("csv", "jsonl"):
        raise UsageError(f"--format must be csv or jsonl, not {format!r}")
    rows = [row for name, record in _records(inputs, encoding) for row in indicator_rows(record, name)]
    text = rows_to_csv(rows) if format == "csv" else rows_to_jsonl(rows)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text.encode("utf-8"))
        _out(f"wrote {len(rows)} cells to {output}")


@app.command()
@_one_line_errors
def report(
    inputs: Annotated[list[Path], typer.Argument(help="Plan files or record files.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder.")] = Path("reports"),
    encoding: Annotated[str | None, typer.Option("--encoding")] = None,
) -> None:
    """Write a self-contained HTML review page per plan."""
    from .emit import write_atomic
    from .report import render_report

    for name, record in _records(inputs, encoding):
        target = output / f"{name}.html"
        write_atomic(target, render_report(record).encode("utf-8"))
        _out(f"wrote {target}")


def main() -> None:
    """Console entry point: run the app and map library errors to one line and an exit code."""
    try:
        app()  # standalone mode: click prints usage errors itself and exits with 2
    except PlanparseError as error:
        _err(f"error: {error}")
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
