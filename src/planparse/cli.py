"""The ``planparse`` command: a thin typer layer over the library.

Options become a frozen :class:`~planparse.config.ExtractConfig`; library errors
(:class:`~planparse.errors.PlanparseError`) become one line on stderr and an exit code:

  0  everything worked
  1  some inputs failed (bad input, unwritable output), or a check found drift or violations
  2  usage error (bad option, missing argument)
  3  warnings in the records under --fail-on-warning
  130  interrupted (Ctrl-C); a rerun resumes where the batch stopped

Progress and summaries go to stdout; errors go to stderr, one line per failed file.
Heavy modules are imported inside the commands so that ``planparse --help`` starts fast.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec

import typer

from .errors import PlanparseError, UsageError

if TYPE_CHECKING:  # pragma: no cover

    from .batch import BatchReport, FileResult
    from .dataset.schema import TableSchema
    from .models import PlanRecord

P = ParamSpec("P")
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_WARNINGS = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
DEFAULT_RAW = Path("data") / "raw"
DEFAULT_STRUCTURED = Path("data") / "structured"

app = typer.Typer(
    name="planparse",
    help=(
        "Turn Chinese government plan documents (五年规划) into validated structured records.\n\n"
        "Exit codes: 0 ok; 1 some inputs failed, drift or invalid records; 2 usage error; "
        "3 warnings under --fail-on-warning; 130 interrupted (a rerun resumes)."
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
        except KeyboardInterrupt:
            _err("interrupted")
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper


def _err(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")


def _out(message: str) -> None:
    sys.stdout.write(message + "\n")


class _Progress:
    """A rich progress bar on a terminal; plain ``[i/N]`` lines otherwise (CI logs); nothing but
    errors when quiet. Each failed file is reported once, here, on stderr."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.quiet = quiet
        self.total = total
        self.done = 0
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
        self.done += 1
        if result.status == "failed":
            _err(f"error: {result.input}: {result.message}")
        if self.bar is not None:
            self.bar.update(self.task, advance=1, description=result.input)
        elif not self.quiet and result.status != "failed":
            target = f" -> {', '.join(result.outputs)}" if result.status == "written" else ""
            width = len(str(self.total))
            _out(f"[{self.done:>{width}}/{self.total}] {result.status:9} {result.input}{target}")

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


def _version(value: bool) -> None:
    if value:
        from . import __version__

        _out(f"planparse {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Turn Chinese government plan documents (五年规划) into validated structured records."""


@app.command()
@_one_line_errors
def extract(
    inputs: Annotated[list[Path] | None, typer.Argument(help="Plan files (.txt, .md, .html, .pdf) or folders. Default: data/raw.")] = None,
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
    from .batch import INPUT_KINDS, collect_inputs, default_jobs, plan_jobs, run_batch
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
    except KeyboardInterrupt:
        progress.close()
        _err(f"interrupted: {progress.done} of {progress.total} file(s) done; run the same command again to "
             "resume (finished records are kept and skipped)")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    finally:
        progress.close()
    report.results[:0] = missing
    if not report.results:
        where = ", ".join(str(path) for path in inputs or [DEFAULT_RAW])
        _err(f"error: {where}: no plan inputs ({INPUT_KINDS}) found")
        raise typer.Exit(EXIT_FAILED)
    _summary(report, quiet)
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


ENCODING_HELP = "Text encoding instead of detection (e.g. gb18030)."
PASSWORD_HELP = "Password of encrypted PDFs."
TABLE_FORMAT_HELP = "csv, jsonl or parquet (parquet needs planparse[data]). Default: the -o file's suffix, else csv."


def _gather(inputs: list[Path], encoding: str | None, password: str | None) -> tuple[list[tuple[str, PlanRecord]], int]:
    """Records from record files, plan inputs and folders of either, and how many inputs failed
    (each reported once on stderr). Nothing usable is an error, never an empty output."""
    from .batch import INPUT_KINDS, gather_records
    from .config import ExtractConfig

    gathered = gather_records(inputs, ExtractConfig(encoding=encoding, password=password))
    for failure in gathered.failures:
        _err(f"error: {failure.input}: {failure.message}")
    if gathered.not_records:
        _err(f"note: skipped {len(gathered.not_records)} file(s) that are not planparse records: "
             f"{', '.join(gathered.not_records[:3])}{' …' if len(gathered.not_records) > 3 else ''}")
    if gathered.duplicates:
        _err(f"note: {gathered.duplicates} file(s) held a document already read (same source bytes: a copy, "
             "or a record and its input); each document was used once")
    if not gathered.records:
        if gathered.failures:
            raise typer.Exit(EXIT_FAILED)
        where = ", ".join(str(path) for path in inputs)
        raise PlanparseError(f"{where}: no plan inputs ({INPUT_KINDS}) or records (.json, .yaml) found")
    return gathered.records, len(gathered.failures)


def _finish(failed: int) -> None:
    """Inputs that failed did not stop the others (as in extract); the command still exits 1."""
    if failed:
        _err(f"error: {failed} input(s) failed; the output holds the others")
        raise typer.Exit(EXIT_FAILED)


def _table_format(format: str | None, output: Path | None) -> str:
    """The table format: --format, else the output file's suffix (panel.parquet), else CSV.

    A suffix that names another format than --format is a usage error: a file called .parquet
    holding CSV would fail only later, in the reader's hands. Checked before any input is read."""
    from .export import FORMATS

    if format is not None and format not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {format!r}")
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    implied = suffix if suffix in FORMATS else None
    if format is not None and implied is not None and format != implied:
        raise UsageError(f"--format {format} does not match the output file {output} (.{implied})")
    chosen = format or implied or "csv"
    if output is None and chosen == "parquet":
        raise UsageError("Parquet is binary: give an output file with -o")
    return chosen


def _write_table(rows: list[dict[str, Any]], schema: TableSchema, format: str, output: Path | None) -> None:
    from .emit import write_atomic
    from .export import render

    data = render(rows, format, schema)
    if output is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        write_atomic(output, data)


def _say(message: str, to_stdout: bool) -> None:
    """A summary line: on stdout, unless the data itself goes there."""
    (_out if to_stdout else _err)(message)


@app.command()
@_one_line_errors
def indicators(
    inputs: Annotated[list[Path], typer.Argument(help="Plan files, record files (.json, .yaml), or folders of either.")],
    format: Annotated[str | None, typer.Option("--format", help=TABLE_FORMAT_HELP)] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output file (a folder with --datapackage). Default: stdout.")] = None,
    datapackage: Annotated[bool, typer.Option("--datapackage", help="Write a Frictionless data package into the -o folder: cells.csv, documents.csv, datapackage.json.")] = False,
    encoding: Annotated[str | None, typer.Option("--encoding", help=ENCODING_HELP)] = None,
    password: Annotated[str | None, typer.Option("--password", help=PASSWORD_HELP)] = None,
) -> None:
    """Export indicator cells, one row per cell, with the plan's region and period, the cell's
    year and role, canonical indicator ids and units (tidy data for pandas or R)."""
    from .dataset.cells import cell_rows, document_facts
    from .dataset.schema import CELLS

    if datapackage and output is None:
        raise UsageError("--datapackage needs an output folder: -o DIR")
    if datapackage and format not in (None, "csv"):
        raise UsageError("--datapackage writes CSV; leave out --format")
    table_format = "csv" if datapackage else _table_format(format, output)
    records, failed = _gather(inputs, encoding, password)
    facts = [document_facts(record) for _, record in records]
    rows = [row for (_, record), fact in zip(records, facts, strict=True) for row in cell_rows(record, fact)]
    if not rows:
        raise PlanparseError(f"no indicator cells or table figures in {len(records)} document(s): none has a table with figures")
    if datapackage:
        from .dataset.datapackage import build_package
        from .emit import write_atomic

        assert output is not None
        if output.exists() and not output.is_dir():
            raise UsageError(f"{output} is a file; --datapackage writes a folder")
        for file in build_package(facts, rows):
            write_atomic(output / file.name, file.data)
        _out(f"wrote {len(rows)} cells of {len(records)} document(s) to {output / 'datapackage.json'}")
    else:
        _write_table(rows, CELLS, table_format, output)
        if output is not None:
            _out(f"wrote {len(rows)} cells of {len(records)} document(s) to {output}")
    _finish(failed)


@app.command()
@_one_line_errors
def report(
    inputs: Annotated[list[Path], typer.Argument(help="Plan files, record files (.json, .yaml), or folders of either.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder.")] = Path("reports"),
    encoding: Annotated[str | None, typer.Option("--encoding", help=ENCODING_HELP)] = None,
    password: Annotated[str | None, typer.Option("--password", help=PASSWORD_HELP)] = None,
) -> None:
    """Write a self-contained HTML review page per plan."""
    from .emit import write_atomic
    from .report import render_report

    taken: set[str] = set()
    records, failed = _gather(inputs, encoding, password)
    for name, record in records:
        stem, counter = name, 1
        while stem in taken:
            counter += 1
            stem = f"{name}-{counter}"
        taken.add(stem)
        target = output / f"{stem}.html"
        write_atomic(target, render_report(record).encode("utf-8"))
        _out(f"wrote {target}")
    _finish(failed)


@app.command()
@_one_line_errors
def panel(
    inputs: Annotated[list[Path], typer.Argument(help="Plan files, record files, or folders of either: many plans.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output file. Default: stdout.")] = None,
    format: Annotated[str | None, typer.Option("--format", help=TABLE_FORMAT_HELP)] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help=ENCODING_HELP)] = None,
    password: Annotated[str | None, typer.Option("--password", help=PASSWORD_HELP)] = None,
) -> None:
    """One row per (indicator, region, year, role) across plans, in canonical units, with the plans
    each value came from, the disagreements between them, and each target's realized value."""
    from .dataset.cells import cell_rows
    from .dataset.panel import PANEL, build_panel

    table_format = _table_format(format, output)
    records, failed = _gather(inputs, encoding, password)
    result = build_panel([row for _, record in records for row in cell_rows(record)])
    if not result.rows:
        raise PlanparseError(f"no numeric indicator cells in {len(records)} document(s): nothing to put in a panel")
    _write_table(result.rows, PANEL, table_format, output)
    _say(
        f"panel: {len(result.rows)} rows from {result.cells} cells of {len(records)} document(s); "
        f"{result.conflicts} conflict(s); {result.left_out} word or dash cell(s) left out"
        + (f"; wrote {output}" if output else ""),
        output is not None,
    )
    _finish(failed)


@app.command()
@_one_line_errors
def diff(
    first: Annotated[Path, typer.Argument(help="Plan A (the earlier plan: its targets), a plan file or record.")],
    second: Annotated[Path, typer.Argument(help="Plan B (the later plan: its bases and actuals).")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output file. Default: stdout.")] = None,
    format: Annotated[str | None, typer.Option("--format", help=TABLE_FORMAT_HELP)] = None,
    any_region: Annotated[bool, typer.Option("--any-region", help="Compare plans of different (or unknown) regions.")] = False,
    encoding: Annotated[str | None, typer.Option("--encoding", help=ENCODING_HELP)] = None,
    password: Annotated[str | None, typer.Option("--password", help=PASSWORD_HELP)] = None,
) -> None:
    """Plan A's targets against plan B's later bases and actuals, for two plans of one region."""
    from .dataset.cells import cell_rows, document_facts
    from .dataset.diff import DIFF, diff_plans

    table_format = _table_format(format, output)
    sides = []
    for path in (first, second):
        if path.is_dir():
            raise UsageError(f"{path} is a folder; diff compares two plans (files)")
        records, failed = _gather([path], encoding, password)
        _finish(failed)
        sides.append(records[0][1])
    facts = [document_facts(record) for record in sides]
    if not any_region and (facts[0].region is None or facts[0].region != facts[1].region):
        regions = " and ".join(fact.region or "an unknown region" for fact in facts)
        raise PlanparseError(f"the plans are for {regions}; --any-region compares them anyway")
    result = diff_plans(cell_rows(sides[0], facts[0]), cell_rows(sides[1], facts[1]))
    if not result.rows:
        raise PlanparseError(
            f"none of {first}'s {result.aims} target(s) has a base or actual for its year in {second} "
            "(is the first plan the earlier one?)"
        )
    _write_table(result.rows, DIFF, table_format, output)
    counts = {status: sum(row["status"] == status for row in result.rows) for status in ("met", "missed", "undecided")}
    _say(
        f"diff: {len(result.rows)} of {result.aims} target(s) compared: {counts['met']} met, {counts['missed']} missed, "
        f"{counts['undecided']} undecided; {result.unmatched} with nothing to compare in {second}"
        + (f"; wrote {output}" if output else ""),
        output is not None,
    )

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
