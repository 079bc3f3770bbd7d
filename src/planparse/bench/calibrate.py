"""Fit the confidence calibration (``data/calibration.yaml``) on generated tables.

    python -m planparse.bench.calibrate [--docs 30] [--first-seed 100]

Extracts generated damaged documents (``tests/tools/tablegen.py``; development seeds from
``--first-seed``, apart from both the seeds the harness reports as "dev" and the held-out ones),
collects every damaged number cell's raw probability mass, its basis and whether it is right, and
fits, per basis, per basis and kind of rival (``prior_only:scale``…) and per those and the table's
arithmetic structure (``prior_only:scale:pairs``…), each where it has enough cells, an isotonic (monotone, pool-adjacent-violators) map from mass to the share of
right cells, with a Laplace-smoothed block mean so no damaged cell is certain. Run it from a
checkout; it rewrites the data file and prints the blocks.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path

MIN_BLOCK = 20  # cells a block holds at least (small blocks are pooled with their neighbour)
MIN_PAIR = 100  # cells a basis:rival map needs to be fitted apart from its basis


def isotonic(points: Sequence[tuple[float, bool]]) -> list[tuple[float, float, int]]:
    """Pool adjacent violators over (score, right) sorted by score: blocks (lowest score, mean, count),
    means non-decreasing; blocks smaller than MIN_BLOCK pooled with their neighbour."""
    blocks: list[list[float]] = []  # [low score, right count, count]
    for score, right in sorted(points):
        blocks.append([score, float(right), 1.0])
        while len(blocks) >= 2 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            low, hits, count = blocks.pop()
            blocks[-1][1] += hits
            blocks[-1][2] += count
    merged: list[list[float]] = []
    for block in blocks:
        if merged and (merged[-1][2] < MIN_BLOCK or block[2] < MIN_BLOCK):
            merged[-1][1] += block[1]
            merged[-1][2] += block[2]
        else:
            merged.append(list(block))
    result = []
    floor = 0.0
    for low, hits, count in merged:
        floor = max(floor, (hits + 1) / (count + 2))  # smoothing must not undo the order
        result.append((low, floor, int(count)))
    return result


def worst_document(points: Mapping[str, Sequence[tuple[float, bool]]], min_cells: int = MIN_BLOCK) -> list[tuple[float, float, int]]:
    """An isotonic map that holds on each document, not only on their pool: the pooled blocks of
    :func:`isotonic`, each given the lowest Laplace-smoothed share of right cells of any document
    with at least ``min_cells`` cells in it (the pool's where none has), then pooled again so the
    map stays monotone. Documents differ (one prints its levels with a decimal, another as whole
    numbers) more than any covariate of a cell tells; a map for documents not tuned on must not
    promise what one tuned document already refutes."""
    pooled = isotonic([point for found in points.values() for point in found])
    lows = [low for low, _, _ in pooled]
    worst: list[list[float]] = []  # [low score, probability × count, count]
    for index, (low, probability, count) in enumerate(pooled):
        high = lows[index + 1] if index + 1 < len(lows) else float("inf")
        for found in points.values():
            members = [right for score, right in found if low <= score < high]
            if len(members) >= min_cells:
                probability = min(probability, (sum(members) + 1) / (len(members) + 2))
        worst.append([low, probability * count, float(count)])
        while len(worst) >= 2 and worst[-2][1] / worst[-2][2] > worst[-1][1] / worst[-1][2]:
            _, mass, cells = worst.pop()
            worst[-1][1] += mass
            worst[-1][2] += cells
    return [(low, mass / cells, int(cells)) for low, mass, cells in worst]


def collect(docs: int, first_seed: int) -> dict[str, list[tuple[float, bool]]]:
    from .. import parse_text
    from ..repair import calibrate as calibration
    from .repair import Figures, score_record

    try:
        from tests.tools import tablegen
    except ImportError as error:
        raise SystemExit("planparse.bench.calibrate: run it from a planparse checkout (tests/tools/tablegen.py)") from error
    calibration._maps.cache_clear()
    original = calibration._maps
    calibration._maps = lambda: {}  # type: ignore[assignment]
    try:
        points: dict[str, list[tuple[float, bool]]] = defaultdict(list)
        for case in tablegen.cases(range(first_seed, first_seed + docs)):
            figures = Figures()
            score_record(parse_text(case.damaged), case.table, figures, True)
            for cell in figures.cells:
                if cell.confidence is None:
                    continue
                if cell.numeric and cell.basis in ("arithmetic", "prior_only", "cross_table"):
                    points[cell.basis].append((cell.confidence, cell.right))
                    points[f"{cell.basis}:{cell.rival}"].append((cell.confidence, cell.right))
                    points[f"{cell.basis}:{cell.rival}:{cell.structure}"].append((cell.confidence, cell.right))
                elif cell.basis == "intact":
                    points["fixed"].append((cell.confidence, cell.right))  # a dash or word of a damaged row
        return points
    finally:
        calibration._maps = original
        calibration._maps.cache_clear()


def write(maps: dict[str, list[tuple[float, float, int]]], docs: int, first_seed: int) -> Path:
    path = Path(str(resources.files("planparse") / "data" / "calibration.yaml"))
    lines = [
        "# Confidence calibration of repaired table cells (planparse.calibration): per basis, isotonic blocks",
        "# (and per basis:rival kind, repair.rival_kind; `fixed`: dashes and words of damaged rows) mapping a",
        "# cell's raw probability mass (its readings' softmax share, less the row's parse risk) to the share of right",
        "# cells, Laplace-smoothed. Source: fitted by `python -m planparse.bench.calibrate` on generated",
        f"# damaged tables (tests/tools/tablegen.py, all layouts, cases({first_seed}..{first_seed + docs - 1}): apart",
        "# from the harness's dev cases(0..99) and held-out cases(1000..)). Do not edit by hand; refit.",
        "maps:",
    ]
    for basis, blocks in sorted(maps.items()):
        lines.append(f"  {basis}:")
        lines.append("    scores: [" + ", ".join(f"{low:.4f}" for low, _, _ in blocks) + "]")
        lines.append("    probabilities: [" + ", ".join(f"{p:.4f}" for _, p, _ in blocks) + "]")
        lines.append("    cells: [" + ", ".join(str(count) for _, _, count in blocks) + "]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100, help="documents per layout")
    parser.add_argument("--first-seed", type=int, default=100)
    options = parser.parse_args(argv)
    points = collect(options.docs, options.first_seed)
    # A basis:rival pair gets its own map only with enough cells; otherwise its basis's map serves.
    maps = {key: isotonic(found) for key, found in points.items() if found and (":" not in key or len(found) >= MIN_PAIR)}
    if "arithmetic" in maps and "cross_table" not in maps:
        maps["cross_table"] = maps["arithmetic"]
    path = write(maps, options.docs, options.first_seed)
    for basis, blocks in sorted(maps.items()):
        print(basis, " ".join(f"[{low:.3f}→{p:.3f} n={n}]" for low, p, n in blocks))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
