"""Confidence calibration of repaired table cells: the map from a damaged cell's probability mass to the probability that
it is right, per basis (what decided the value), fitted on generated tables and kept in
``data/calibration.yaml`` (written by ``python -m planparse.bench.calibrate``)."""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from importlib import resources

import yaml

# Table structures whose maps are fitted on the corpus's real tables (data/calibration_real.yaml,
# ``python -m planparse.bench.realtables --fit-calibration``): the generator prints none of them.
REAL_STRUCTURES = ("outcome", "series")


@lru_cache(maxsize=1)
def _maps() -> dict[str, tuple[tuple[float, ...], tuple[float, ...]]]:
    found: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {}
    for name in ("calibration.yaml", "calibration_real.yaml"):
        path = resources.files("planparse") / "data" / name
        if not path.is_file():
            continue
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found.update({basis: (tuple(float(x) for x in entry["scores"]), tuple(float(y) for y in entry["probabilities"]))
                      for basis, entry in (loaded.get("maps") or {}).items()})
    return found


def calibrate(score: float, basis: str, kind: str | None = None, structure: str | None = None) -> float:
    """The calibrated probability of a raw probability mass ``score`` for ``basis``, the kind of
    its strongest rival and the table's arithmetic structure: the most specific map fitted
    (``basis:kind:structure``, e.g. ``prior_only:scale:pairs``, then ``basis:kind``, then
    ``basis``; a step function: isotonic regression's blocks); the raw score when none was fitted."""
    maps = _maps()
    keys = [f"{basis}:{structure}"] if structure in REAL_STRUCTURES else []
    keys += [f"{basis}:{kind}:{structure}"] if kind and structure else []
    keys += [f"{basis}:{kind}"] if kind else []
    entry = next((maps[key] for key in [*keys, basis] if key in maps), None)
    if entry is None:
        return score
    scores, probabilities = entry
    index = bisect_right(scores, score) - 1
    return probabilities[max(0, index)] if scores else score
