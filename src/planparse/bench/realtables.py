"""Evaluation harness for the corpus's real tables, intact and damaged the seed's way.

The documents are the corpus's Markdown texts with pipe tables (the statistical communiqués of
``lawtext/国家统计局年度统计/`` and the 1953 plan): each is turned into the plain text a table
leaves behind (a line per row, cells separated by spaces; ``tests/tools/pipetables.py`` gives the
truth of every cell), then damaged as the seed was (:func:`planparse.damage.damage_text`: ASCII
letters, ``.``, ``%``, brackets and all whitespace stripped, page numbers glued in). Every numeric
cell of every table is scored against the record:

- **found**: the table's rows are in the record (the record table holding most of its row names);
- **emitted**: the cell's row is in that table and has a cell in its column;
- **exact / silently wrong / right but flagged / ECE**: as in :mod:`planparse.bench.repair`.

    python -m planparse.bench.realtables [--variant damaged|intact|both] [--split all|tuned|held] [--limit N] [--failures N]
                                         [--tables] [--covariates] [--fit-calibration]

``--split``: ``tuned`` is the documents at even positions (what the statistical-table priors and
``data/calibration_real.yaml`` are fitted on), ``held`` the odd ones (kept apart; report both).
``--fit-calibration`` refits ``data/calibration_real.yaml`` on the tuned split (each block the lowest share
right of any tuned document: :func:`planparse.bench.calibrate.worst_document`), then reports.
``--covariates`` prints confidence and accuracy per basis, structure, column kind, rival kind and decimals.

Run it from a checkout (it needs ../shared/corpus and tests/tools/pipetables.py).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import models
from ..damage import damage_text
from ..repair import rival_kind
from .repair import BINS, CellOutcome, Figures, _names_cell, align

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
_NUMBER = re.compile(r"^[-−]?\d[\d,]*(?:\.\d+)?%?$")
_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}")
_TAG = re.compile(r"<br\s*/?>|</?[a-zA-Z][^<>]{0,40}>|\*\*")  # <br> and **bold** inside a cell: layout, no text
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")  # ![](./W0…png): an image leaves no text
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)


@dataclass
class RealFigures:
    """What one evaluation counted, on top of the cell figures."""

    cells: Figures = field(default_factory=Figures)
    tables: int = 0
    found: int = 0
    truth_cells: int = 0
    emitted: int = 0
    errors: list[str] = field(default_factory=list)  # documents that gave no record
    kinds: list[str] = field(default_factory=list)  # per emitted cell: its column's kind (repair.column_kind)
    rivals: list[str] = field(default_factory=list)  # per emitted cell: how its strongest rival differs (repair.rival_kind)
    decimals: list[int] = field(default_factory=list)  # per emitted cell: the decimals of its reading
    emitted_cells: list[CellOutcome] = field(default_factory=list)  # the emitted cells, in the order of kinds
    per_table: list[str] = field(default_factory=list)  # one line per table: found, cells emitted, exact


def documents(limit: int | None = None, split: str = "all") -> list[Path]:
    """The corpus documents with pipe tables: the communiqués, then the 1953 plan. ``split``:
    ``tuned`` (the even positions: what priors may be fitted on) or ``held`` (the odd ones: kept
    apart from tuning), or ``all``."""
    found = sorted((CORPUS / "lawtext" / "国家统计局年度统计").glob("*.md"))
    found = [path for path in found if any(line.lstrip().startswith("|") for line in path.read_text(encoding="utf-8").split("\n"))]
    plan = CORPUS / "national_1st_fyp_1953.md"
    if plan.exists():
        found.append(plan)
    if split != "all":
        found = [path for index, path in enumerate(found) if (index % 2 == 1) == (split == "held")]
    return found[:limit] if limit else found


def plain_text(markdown: str) -> str:
    """The text a Markdown document leaves when its markup is gone: a line per table row, cells
    separated by spaces; images and HTML tags (<br>) leave nothing."""
    lines = []
    for line in _FRONT.sub("", markdown).split("\n"):
        stripped = line.strip()
        if stripped.startswith("|"):
            if _SEPARATOR.match(stripped):
                continue
            cells = (_TAG.sub("", cell).strip() for cell in stripped.strip("|").split("|"))
            lines.append(" ".join(cell for cell in cells if cell))
        else:
            lines.append(re.sub(r"[#*>]", "", _IMAGE.sub("", line)))
    return "\n".join(lines)


def number(text: str) -> float | None:
    cleaned = text.replace(" ", "")
    if not _NUMBER.match(cleaned):
        return None
    return float(cleaned.rstrip("%").replace(",", "").replace("−", "-"))


def _value_columns(header: Sequence[str], width: int, empty: frozenset[int] = frozenset()) -> list[int]:
    """The columns after the row label, less a 单位 column (read into the row's unit; 单  位 letter-spaced too) and the
    columns ``empty`` in every row (a Markdown table's spacer columns print nothing)."""
    return [index for index in range(1, width) if (index >= len(header) or "单位" not in re.sub(r"\s", "", header[index])) and index not in empty]


def _empty_columns(rows: Sequence[Sequence[str]]) -> frozenset[int]:
    width = max((len(row) for row in rows), default=0)
    return frozenset(index for index in range(width) if not any(index < len(row) and row[index].strip() for row in rows))


_LABEL_ROLES = frozenset({"name", "number", "unit", "attribute"})


def _generic_rows(table: models.Table) -> list[models.Indicator]:
    """A generic table's data rows in the indicator form the scoring reads: the name, and the cells
    of its value (and text) columns, in order; a printed figure is intact (confidence 1)."""
    label_columns = {column.index for column in table.columns if column.role in _LABEL_ROLES}
    rows = []
    for number_, row in enumerate((row for row in table.rows if row.kind == "data"), start=1):
        cells = [models.Cell.model_construct(column=cell.column, column_index=cell.column_index, raw=cell.text, value=cell.value,
                                             comparator=cell.comparator, cumulative=None, text=None, confidence=1.0,
                                             alternatives=[], basis="intact")
                 for cell in row.cells if cell.column_index not in label_columns]
        name = next((cell.text for cell in row.cells if cell.column_index in label_columns and cell.kind == "text"), row.label)
        rows.append(models.Indicator.model_construct(box=None, table=table.table, row=number_, indicator=name, cells=cells,
                                                   offset=table.offset))
    return rows


def _decimals(value: float | None) -> int:
    """The decimals a reading prints (0 for 22779.0, 1 for 2277.9)."""
    if value is None:
        return 0
    text = repr(float(value))
    return 0 if text.endswith(".0") or "." not in text else len(text.split(".")[1])


def regex_table(label: str) -> str | None:
    """The number of a 表N label (None for a label without one)."""
    match = re.match(r"表\s?(\d{1,3})$", label)
    return match.group(1) if match else None


def _structures(record: models.PlanRecord) -> list[tuple[int, str, dict[str, str]]]:
    """(offset, repair.table_structure, {column path: repair.column_kind}) of the record's tables, by offset."""
    from ..repair.solve import column_kind, table_structure
    from ..tables import HeaderColumn

    found = []
    for table in record.tables:
        columns = [HeaderColumn(column.path, column.year, column.role, column.cumulative, "%" if "%" in column.path else None)
                   for column in table.columns]
        found.append((table.offset or 0, table_structure(columns), {column.path: column_kind(column) for column in columns}))
    return sorted(found, key=lambda item: item[0])


def _structure_at(structures: Sequence[tuple[int, str, dict[str, str]]], offset: int | None) -> tuple[str, dict[str, str]]:
    """The structure and column kinds of the last table that starts at or before ``offset``."""
    found: tuple[str, dict[str, str]] = ("none", {})
    for start, structure, kinds in structures:
        if offset is not None and start <= offset:
            found = (structure, kinds)
    return found


_PLAIN_CAPTION = re.compile(r"^\**\s*(表\s?\d{1,3}.*?)\s*\**\s*$")


def _with_caption(table: Any, markdown: str) -> Any:
    """A table whose caption is a plain line (``表7　2024年…``, not bold) gets it as its caption: the
    caption's number tells this table from another one with the same row names (表7 and 表15 both
    list 总计, 制造业…)."""
    from dataclasses import replace

    if table.caption is not None:
        return table
    lines = markdown.split("\n")[: table.line - 1]
    for line in reversed(lines[-4:]):
        if not line.strip():
            continue
        match = _PLAIN_CAPTION.match(line.strip())
        return replace(table, caption=match.group(1)) if match else table
    return table


def _panels(header: Sequence[str], rows: Sequence[Sequence[str]]) -> tuple[Sequence[str], list[Sequence[str]]]:
    """A table printed as side-by-side panels (``行业 | 比上年增长（%） | 行业 | 比上年增长（%）``:
    the first label repeats) holds one row per panel and line; the record reads each panel's row
    as a row of its own, in the order printed (line by line, left panel first), so the truth does too."""
    width = next((index for index in range(1, len(header)) if header[index].strip() and header[index] == header[0]), None)
    if width is None or len(header) % width:
        return header, list(rows)
    panels = [[row[start : start + width] for row in rows] for start in range(0, len(header), width)]
    return header[:width], [row for line in zip(*panels) for row in line if row and row[0]]


_PART_MARK = re.compile(r"^其\s*中\s*[：:]")


def _unmarked(name: str) -> str:
    """A row name without its part mark: a source that prints 其 中： on a row of its own (the 1953
    plan) has its parts named 国营, and the record names them 其中：国营, as the communiqués print them."""
    return _PART_MARK.sub("", name)


def score_document(record: models.PlanRecord, tables: Sequence[Any], figures: RealFigures, label: str) -> None:
    """Add one document's outcomes (against the truth of its pipe tables) to ``figures``."""
    by_table: dict[tuple[int | None, str | None], list[models.Indicator]] = {}
    uncaptioned = 0
    for indicator in record.indicators:
        key: tuple[int | None, str | None] = (indicator.box, indicator.table)
        if key == (None, None):
            # Tables without a caption share the key: a row number that starts again starts the next table.
            current = by_table.get((-1000 - uncaptioned, None))
            if current and indicator.row <= current[-1].row:
                uncaptioned += 1
            key = (-1000 - uncaptioned, None)
        by_table.setdefault(key, []).append(indicator)
    for index, generic in enumerate(item for item in record.tables if item.kind == "generic"):
        by_table.setdefault((-1 - index, generic.table), []).extend(_generic_rows(generic))
    messages = [warning.message for warning in record.warnings]
    structures = _structures(record)
    claimed: set[tuple[int | None, str | None]] = set()  # record tables already matched to a truth table
    best_key: tuple[int | None, str | None] = (None, None)
    for table in tables:
        grid = table.grid
        header_rows = grid.header_rows or 1
        header, panel_rows = _panels(grid.rows[0] if grid.rows else (), grid.rows[header_rows:])
        body = [row for row in panel_rows if row and row[0]]
        empty = _empty_columns(panel_rows)  # a label over a column its rows leave empty (a misaligned pipe table) is no column
        truths = [(row, [(index, number(row[index])) for index in _value_columns(header, len(row), empty)
                         if index < len(row) and number(row[index]) is not None]) for row in body]
        truths = [(row, cells) for row, cells in truths if cells]
        if not truths:
            continue
        figures.tables += 1
        names = [row[0] for row, _ in truths]
        best: tuple[int, list[models.Indicator], list[int | None]] | None = None
        label_match = re.match(r"表\s?(\d{1,3}?)(?=(?:19|20)\d{2}年|[^\d]|$)", table.caption or "")  # 表102023年…: 表10
        for key, rows in by_table.items():
            if key in claimed:
                continue
            if label_match and key[1] and regex_table(key[1]) not in (None, label_match.group(1)):
                continue  # a record table with another number (表15) is not this one (表14), however alike its rows
            matches = align([_unmarked(name) for name in names], [_unmarked(row.indicator) for row in rows])
            hits = sum(match is not None for match in matches)
            if label_match and key[1] == f"表{label_match.group(1)}":
                hits += len(names)  # the caption's number names the table
            if best is None or hits > best[0]:
                best = (hits, rows, matches)
                best_key = key
        if best is not None and best[0] * 2 >= len(names):
            claimed.add(best_key)
        found = best is not None and best[0] * 2 >= len(names)
        figures.found += found
        before = len(figures.cells.cells)
        for (row, cells), match in zip(truths, best[2] if best and found else [None] * len(truths)):
            for index, value in cells:
                figures.truth_cells += 1
                place = f"{label} {table.caption or 'table@' + str(table.line)} {row[0]} col{index}"
                if match is None:
                    figures.cells.cells.append(CellOutcome("real", False, None, False, True, "missing"))
                    figures.cells.failures.append(f"real {place}: {row[index]} -> row not emitted")
                    continue
                indicator = best[1][match]  # type: ignore[index]
                position = _value_columns(header, len(row), empty).index(index)
                if position >= len(indicator.cells):
                    figures.cells.cells.append(CellOutcome("real", False, None, False, True, "missing"))
                    figures.cells.failures.append(f"real {place}: {row[index]} -> no cell")
                    continue
                figures.emitted += 1
                cell = indicator.cells[position]
                right = cell.value is not None and value is not None and abs(cell.value - value) < 1e-9
                warned = any(_names_cell(message, indicator, cell) for message in messages)
                structure, kinds = _structure_at(structures, indicator.offset)
                rival = rival_kind(cell.value, (cell.alternatives[0].value, cell.alternatives[0].cumulative)) if cell.alternatives else "none"
                outcome = CellOutcome("real", right, cell.confidence, warned, True, cell.basis, rival, structure)
                figures.cells.cells.append(outcome)
                figures.emitted_cells.append(outcome)
                figures.kinds.append(kinds.get(cell.column, "level"))
                figures.rivals.append(rival)
                figures.decimals.append(_decimals(cell.value))
                if not right:
                    figures.cells.failures.append(
                        f"real {place}: {row[index]} -> {cell.raw!r} read {cell.value} conf={cell.confidence:.2f} "
                        f"basis={cell.basis} warned={warned}")
        outcomes = figures.cells.cells[before:]
        figures.per_table.append(f"{label} {table.caption or 'table@' + str(table.line)}: found={found} cells={len(outcomes)} "
                                 f"emitted={sum(c.confidence is not None for c in outcomes)} exact={sum(c.right for c in outcomes)}")


def evaluate(paths: Sequence[Path], variant: str) -> RealFigures:
    from .. import parse_text
    from ..errors import PlanparseError

    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from tests.tools.pipetables import pipe_tables

    figures = RealFigures()
    every = documents()  # a document's damage seed is its place among all of them, whatever the split
    for number_, path in enumerate(paths):
        markdown = path.read_text(encoding="utf-8")
        tables = [_with_caption(table, _FRONT.sub("", markdown)) for table in pipe_tables(_FRONT.sub("", markdown))]
        text = plain_text(markdown)
        if variant == "damaged":
            text = damage_text(text, page_numbers=True, chars_per_page=1300, seed=every.index(path) if path in every else number_).text
        try:
            record = parse_text(text)
        except PlanparseError as error:  # the document gave no record: its tables are not found
            record = models.PlanRecord.model_construct(indicators=[], tables=[], warnings=[])
            figures.errors.append(f"{path.stem}: {error}")
        score_document(record, tables, figures, path.stem)
    return figures


def fit_calibration(paths: Sequence[Path]) -> Path:
    """Fit the maps of the structures the generator never prints (repair.calibrate.REAL_STRUCTURES)
    on the damaged real tables of ``paths``, from the cells' raw probability mass (every map off),
    and write ``data/calibration_real.yaml``."""
    from importlib import resources

    from ..repair import calibrate as calibration
    from ..repair.calibrate import REAL_STRUCTURES
    from .calibrate import MIN_BLOCK, worst_document

    calibration._maps.cache_clear()
    original = calibration._maps
    calibration._maps = lambda: {}  # type: ignore[assignment]
    points: dict[str, dict[str, list[tuple[float, bool]]]] = {}  # map key -> document -> (raw mass, right)
    try:
        for path in paths:  # one document at a time: the map must hold on each (bench.calibrate.worst_document)
            figures = evaluate([path], "damaged")
            for cell in figures.cells.cells:
                if cell.confidence is not None and cell.basis in ("arithmetic", "prior_only", "cross_table") and cell.structure in REAL_STRUCTURES:
                    points.setdefault(f"{cell.basis}:{cell.structure}", {}).setdefault(path.stem, []).append((cell.confidence, cell.right))
    finally:
        calibration._maps = original
        calibration._maps.cache_clear()
    lines = [
        "# Confidence calibration of repaired cells of real statistical tables (repair.calibrate.REAL_STRUCTURES:",
        "# `outcome` — 比上年增长（%）, 比重（%）; `series` — successive years, a range total), per basis: isotonic blocks",
        "# from a cell's raw probability mass to the share of right cells, Laplace-smoothed, each block the lowest share",
        "# of any tuned document with enough cells in it (bench.calibrate.worst_document). Source: fitted by",
        "# `python -m planparse.bench.realtables --fit-calibration` on the damaged real tables of its tuned split",
        f"# ({', '.join(path.stem for path in paths)}); the held split is kept apart. Do not edit by hand; refit.",
        "maps:",
    ]
    for key, by_document in sorted(points.items()):
        if sum(len(found) for found in by_document.values()) < 2 * MIN_BLOCK:
            continue
        blocks = worst_document(by_document)
        lines += [f"  {key}:", "    scores: [" + ", ".join(f"{low:.4f}" for low, _, _ in blocks) + "]",
                  "    probabilities: [" + ", ".join(f"{p:.4f}" for _, p, _ in blocks) + "]",
                  "    cells: [" + ", ".join(str(count) for _, _, count in blocks) + "]"]
    path = Path(str(resources.files("planparse") / "data" / "calibration_real.yaml"))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    calibration._maps.cache_clear()
    return path


def covariates(figures: RealFigures) -> str:
    """Per covariate of the calibration (basis, table structure, column kind, rival kind, decimals of the
    reading) of the damaged emitted cells: cells, mean confidence, share right."""
    groups: dict[str, list[CellOutcome]] = {}
    for cell, kind, rival, decimals in zip(figures.emitted_cells, figures.kinds, figures.rivals, figures.decimals):
        if cell.basis in ("arithmetic", "prior_only", "cross_table"):
            groups.setdefault(f"{cell.basis}:{cell.structure}:{kind}:{rival}:d{min(decimals, 1)}", []).append(cell)
    lines = ["covariates: basis:structure:column kind:rival kind:decimals, cells, mean confidence, accuracy"]
    for key, cells in sorted(groups.items()):
        lines.append(f"  {key:40s} {len(cells):>5} {sum(c.confidence or 0.0 for c in cells) / len(cells):>6.3f} "
                     f"{sum(c.right for c in cells) / len(cells):>6.3f}")
    return "\n".join(lines)


def report(figures: RealFigures, title: str) -> str:
    cells = figures.cells
    lines = [title,
             f"tables {figures.found}/{figures.tables} found; numeric cells {figures.emitted}/{figures.truth_cells} emitted; "
             f"exact {cells.exact:.2%}; silently wrong {cells.silent}; right but flagged {cells.right_flagged:.2%}; "
             f"ECE {cells.ece:.3f} ({BINS} bins)",
             "reliability: bin, cells, mean confidence, accuracy"]
    for low, high, count, confidence, accuracy in cells.reliability():
        if count:
            lines.append(f"  [{low:.1f}, {high:.1f}) {count:>6} {confidence:>6.3f} {accuracy:>6.3f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", choices=["damaged", "intact", "both"], default="both")
    parser.add_argument("--limit", type=int, default=None, help="at most this many documents")
    parser.add_argument("--split", choices=["all", "tuned", "held"], default="all",
                        help="tuned: the even-positioned documents; held: the odd ones, kept apart from tuning")
    parser.add_argument("--failures", type=int, default=0)
    parser.add_argument("--tables", action="store_true", help="one line per table")
    parser.add_argument("--covariates", action="store_true", help="confidence and accuracy per covariate of the calibration")
    parser.add_argument("--fit-calibration", action="store_true",
                        help="refit data/calibration_real.yaml on the tuned split's damaged tables, then report")
    options = parser.parse_args(argv)
    if not CORPUS.exists():
        sys.exit(f"planparse.bench.realtables: no corpus at {CORPUS}")
    if options.fit_calibration:
        print("wrote", fit_calibration(documents(split="tuned")))
    paths = documents(options.limit, options.split)
    for variant in ("intact", "damaged"):
        if options.variant not in (variant, "both"):
            continue
        figures = evaluate(paths, variant)
        print(report(figures, f"== real tables, {variant} ({len(paths)} documents)"))
        for line in figures.errors:
            print("   no record:", line)
        if options.covariates and variant == "damaged":
            print(covariates(figures))
        if options.tables:
            for line in figures.per_table:
                print("  ", line)
        for line in figures.cells.failures[: options.failures]:
            print("  ", line)
        print()


if __name__ == "__main__":
    main()
