"""Evaluation harness for the tables stage and the repair solver.

Cases are documents with known truth (``tests/tools/tablegen.py`` generates them in many table
layouts, intact and damaged the seed's way); each is extracted and every value cell of its table is
scored against the truth:

- **exact**: the value (and its cumulative flag, comparator and word) is right;
- **silently wrong**: wrong at confidence >= 0.8 and no warning names it (cells of rows that were
  not emitted are wrong, and silent unless a warning names the row);
- **right but flagged**: right, yet below 0.8 or named by a warning;
- **ECE**: expected calibration error of the confidences of the damaged cells that hold a number
  (10 equal-width bins), and the reliability table behind it.

    python -m planparse.bench.repair [--docs 6] [--split dev|held|both] [--variant damaged|intact|both] [--extra]

Run it from a checkout: the generator lives in ``tests/tools`` (it is test code, not the library).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from .. import models
from ..damage import strip_like_seed
from ..repair import FLAG_THRESHOLD, arithmetic_structure, rival_kind

BINS = 10


@dataclass
class CellOutcome:
    layout: str
    right: bool
    confidence: float | None  # None: the row was not emitted
    warned: bool
    numeric: bool  # the truth or the reading holds a number (a cell the solver had to read)
    basis: str = "intact"  # what decided the value (models.Cell.basis); "missing" for rows not emitted
    rival: str = "none"  # how the strongest alternative differs (repair.rival_kind)
    structure: str = "none"  # what the table's rows can check (repair.arithmetic_structure)

    @property
    def flagged(self) -> bool:
        if self.confidence is None:  # a row not emitted: flagged only when a warning names it
            return self.warned
        return self.confidence < FLAG_THRESHOLD or self.warned

    @property
    def silently_wrong(self) -> bool:
        return not self.right and not self.flagged


@dataclass
class RowOutcome:
    layout: str
    emitted: bool
    name_right: bool
    unit_right: bool
    attribute_right: bool


@dataclass
class Figures:
    """Per-layout (or overall) counts of one evaluation."""

    cells: list[CellOutcome] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # one line per wrong cell: layout, row, column, truth, read

    def of(self, layout: str | None) -> Figures:
        if layout is None:
            return self
        return Figures([c for c in self.cells if c.layout == layout], [r for r in self.rows if r.layout == layout],
                       [f for f in self.failures if f.startswith(layout + " ")])

    @property
    def exact(self) -> float:
        return sum(c.right for c in self.cells) / len(self.cells) if self.cells else 0.0

    @property
    def silent(self) -> int:
        return sum(c.silently_wrong for c in self.cells)

    @property
    def right_flagged(self) -> float:
        right = [c for c in self.cells if c.right]
        return sum(c.flagged for c in right) / len(right) if right else 0.0

    def reliability(self) -> list[tuple[float, float, int, float, float]]:
        """(low, high, count, mean confidence, accuracy) per confidence bin of the numeric cells."""
        scored = [c for c in self.cells if c.numeric and c.confidence is not None]
        table = []
        for index in range(BINS):
            low, high = index / BINS, (index + 1) / BINS
            members = [c for c in scored if low <= (c.confidence or 0.0) < high or (index == BINS - 1 and c.confidence == 1.0)]
            if members:
                confidence = sum(c.confidence or 0.0 for c in members) / len(members)
                accuracy = sum(c.right for c in members) / len(members)
            else:
                confidence = accuracy = 0.0
            table.append((low, high, len(members), confidence, accuracy))
        return table

    @property
    def ece(self) -> float:
        table = self.reliability()
        total = sum(count for _, _, count, _, _ in table)
        if not total:
            return 0.0
        return sum(count * abs(confidence - accuracy) for _, _, count, confidence, accuracy in table) / total

    def row_share(self, attribute: str) -> float:
        return sum(getattr(r, attribute) for r in self.rows) / len(self.rows) if self.rows else 0.0


def _key(name: str) -> str:
    """A row name as damage leaves it (letters, '.', '%', brackets and spaces gone)."""
    return strip_like_seed(name)


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, _key(a), _key(b)).ratio()


def align(truth_names: Sequence[str], record_names: Sequence[str], floor: float = 0.6) -> list[int | None]:
    """For each truth row, the index of the record row it matches (order kept), or None."""
    n, m = len(truth_names), len(record_names)
    sims = [[_similarity(t, r) for r in record_names] for t in truth_names]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = best[i + 1][j + 1] + sims[i][j] if sims[i][j] >= floor else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    result: list[int | None] = []
    i = j = 0
    while i < n:
        if j < m and sims[i][j] >= floor and abs(best[i][j] - (best[i + 1][j + 1] + sims[i][j])) < 1e-12:
            result.append(j)
            i += 1
            j += 1
        elif j < m and best[i][j] == best[i][j + 1]:
            j += 1
        else:
            result.append(None)
            i += 1
    return result


def cell_right(cell: models.Cell, true: Any) -> bool:
    """Whether a record cell reads the truth: value, cumulative flag, comparator, word."""
    if true.value is None:
        if cell.value is not None:
            return False
        return (cell.text or None) == (true.text or None)
    if cell.value is None or abs(cell.value - true.value) > 1e-9:
        return False
    if true.cumulative is not None and cell.cumulative != true.cumulative:
        return False
    comparator = (cell.comparator or "").replace("＜", "<").replace("＞", ">")
    return not true.comparator or comparator == true.comparator


def _names_cell(message: str, indicator: models.Indicator, cell: models.Cell) -> bool:
    if f"row {indicator.row} {indicator.indicator}" not in message:
        return False
    return " / " not in message or f" / {cell.column}:" in message


def score_record(record: models.PlanRecord, table: Any, figures: Figures, damaged: bool) -> None:
    """Add one extracted document's outcomes (against its true table) to ``figures``."""
    layout = table.layout
    rows = [indicator for indicator in record.indicators if indicator.box == table.box]
    found = next((item for item in record.tables if item.box == table.box), None)
    structure = arithmetic_structure([column.role for column in found.columns]) if found else "none"
    matches = align([row.name for row in table.rows], [row.indicator for row in rows])
    messages = [warning.message for warning in record.warnings]
    for true_row, match in zip(table.rows, matches):
        if match is None:
            named = any(_key(true_row.name) in _key(message) for message in messages)
            figures.rows.append(RowOutcome(layout, False, False, False, False))
            for index, true in enumerate(true_row.cells):
                figures.cells.append(CellOutcome(layout, False, None, named, true.value is not None, "missing"))
                figures.failures.append(f"{layout} {true_row.name} col{index + 1}: {true.printed} -> row not emitted")
            continue
        indicator = rows[match]
        figures.rows.append(RowOutcome(
            layout, True, _key(indicator.indicator) == _key(true_row.name),
            _unit_equal(indicator.unit, true_row.unit, damaged),
            (indicator.attribute or None) == (true_row.attribute or None),
        ))
        for index, true in enumerate(true_row.cells):
            if index >= len(indicator.cells):
                figures.cells.append(CellOutcome(layout, False, None, False, true.value is not None, "missing"))
                figures.failures.append(f"{layout} {true_row.name} col{index + 1}: {true.printed} -> missing cell")
                continue
            cell = indicator.cells[index]
            right = cell_right(cell, true)
            warned = any(_names_cell(message, indicator, cell) for message in messages)
            numeric = true.value is not None or cell.value is not None
            rival = rival_kind(cell.value, (cell.alternatives[0].value, cell.alternatives[0].cumulative)) if cell.alternatives else "none"
            figures.cells.append(CellOutcome(layout, right, cell.confidence, warned, numeric, cell.basis, rival, structure))
            if not right:
                figures.failures.append(
                    f"{layout} {true_row.name} col{index + 1}: {true.printed} -> {cell.raw!r} read {cell.value} "
                    f"cum={cell.cumulative} text={cell.text} conf={cell.confidence:.2f} warned={warned}"
                )


def _unit_equal(found: str | None, true: str | None, damaged: bool) -> bool:
    if not damaged:
        return (found or None) == (true or None)
    # Damage strips letters and '%': the unit is right when it reads what damage left of it.
    return _key(found or "") == _key(true or "") or (true == "%" and found == "%")


def evaluate_cases(cases: Iterable[Any], variant: str = "damaged") -> Figures:
    """Extract each case's ``variant`` text and score it."""
    from .. import parse_text

    figures = Figures()
    for case in cases:
        text = case.damaged if variant == "damaged" else case.intact
        record = parse_text(text)
        score_record(record, case.table, figures, variant == "damaged")
    return figures


def report(figures: Figures, layouts: Sequence[str], title: str) -> str:
    lines = [title, f"{'layout':<12} {'cells':>6} {'exact':>7} {'silent':>6} {'r.flag':>7} {'ECE':>6} {'rows':>6} {'names':>6} {'units':>6} {'attrs':>6}"]
    for layout in [*layouts, None]:
        part = figures.of(layout)
        if not part.cells:
            continue
        lines.append(
            f"{layout or 'all':<12} {len(part.cells):>6} {part.exact:>7.2%} {part.silent:>6} {part.right_flagged:>7.2%} "
            f"{part.ece:>6.3f} {part.row_share('emitted'):>6.1%} {part.row_share('name_right'):>6.1%} "
            f"{part.row_share('unit_right'):>6.1%} {part.row_share('attribute_right'):>6.1%}"
        )
    lines.append("reliability (numeric cells): bin, cells, mean confidence, accuracy")
    for low, high, count, confidence, accuracy in figures.reliability():
        if count:
            lines.append(f"  [{low:.1f}, {high:.1f}) {count:>6} {confidence:>6.3f} {accuracy:>6.3f}")
    return "\n".join(lines)


def _generator() -> Any:
    try:
        from tests.tools import tablegen
    except ImportError:
        sys.exit("planparse.bench.repair: run it from a planparse checkout (it needs tests/tools/tablegen.py)")
    return tablegen


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=6, help="documents per layout and split")
    parser.add_argument("--split", choices=["dev", "held", "both"], default="both")
    parser.add_argument("--variant", choices=["damaged", "intact", "both"], default="both")
    parser.add_argument("--failures", type=int, default=0, help="print this many wrong cells per split")
    parser.add_argument("--extra", action="store_true",
                        help="also the extra layouts (tablegen.EXTRA_LAYOUTS: unit_cells), reported apart")
    options = parser.parse_args(argv)
    tablegen = _generator()
    splits = {"dev": tablegen.dev_seeds(options.docs), "held": tablegen.held_out_seeds(options.docs)}
    for split, seeds in splits.items():
        if options.split not in (split, "both"):
            continue
        cases = tablegen.cases(seeds)
        extra = tablegen.cases(seeds, tablegen.EXTRA_LAYOUTS) if options.extra else []
        for variant in ("damaged", "intact"):
            if options.variant not in (variant, "both"):
                continue
            figures = evaluate_cases(cases, variant)
            print(report(figures, tablegen.LAYOUTS, f"== {split} seeds, {variant} ({len(cases)} documents)"))
            for line in figures.failures[: options.failures]:
                print("  ", line)
            print()
            if extra:
                # Layouts generated apart (tablegen.EXTRA_LAYOUTS), so the ones above keep their documents and figures.
                more = evaluate_cases(extra, variant)
                print(report(more, tablegen.EXTRA_LAYOUTS, f"== {split} seeds, {variant}, extra layouts ({len(extra)} documents)"))
                for line in more.failures[: options.failures]:
                    print("  ", line)
                print()


if __name__ == "__main__":
    main()
