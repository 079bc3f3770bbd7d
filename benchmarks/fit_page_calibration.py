"""Fit the calibration of page-number removals (``src/planparse/data/page_calibration.yaml``).

Each removal's confidence starts as a local posterior (its evidence and fit against the other
candidates for its page, and against no mark). On the damaged variants of the corpus's tuned half
(every fifth document held out) the removals are scored right or wrong against the glued page
numbers' truth, and a Platt scaling σ(a·logit(raw) + b) is fitted by maximum likelihood; the
script then prints the reliability table on the held-out half.

    python benchmarks/fit_page_calibration.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planparse import pages  # noqa: E402
from planparse.normalize import normalize_text  # noqa: E402
from planparse.structure.front import scan_front_matter  # noqa: E402
from tests.tools.corpus import documents, variants  # noqa: E402
from tests.tools.harness import reliability  # noqa: E402


def removals(held_out: bool) -> list[tuple[float, bool]]:
    """(raw posterior, right) of every removal on the damaged variants of one half."""
    pairs = []
    for document in documents():
        if document.held_out != held_out:
            continue
        for item in variants(document):
            if not item.damaged or not item.page_marks:
                continue
            norm = normalize_text(item.text)
            paged = pages.remove_page_numbers(norm, scan_front_matter(norm), calibration=(1.0, 0.0))
            truth = {offset for offset, _ in item.page_marks}
            for marker in paged.markers:
                if marker.front:
                    continue
                pairs.append((marker.raw, any(marker.offset <= mark < marker.offset + marker.length for mark in truth)))
    return pairs


def fit(pairs: list[tuple[float, bool]]) -> tuple[float, float]:
    raw = np.clip(np.array([p for p, _ in pairs]), 1e-6, 1 - 1e-6)
    x = np.log(raw / (1 - raw))
    y = np.array([1.0 if right else 0.0 for _, right in pairs])
    slope, intercept = 1.0, 0.0
    for _ in range(200):  # Newton's method on the logistic log-likelihood
        p = 1 / (1 + np.exp(-(slope * x + intercept)))
        gradient = np.array([np.sum((y - p) * x), np.sum(y - p)])
        w = p * (1 - p) + 1e-9
        hessian = -np.array([[np.sum(w * x * x), np.sum(w * x)], [np.sum(w * x), np.sum(w)]])
        step = np.linalg.solve(hessian, gradient)
        slope, intercept = slope - step[0], intercept - step[1]
        if np.abs(step).max() < 1e-8:
            break
    return float(slope), float(intercept)


def main() -> None:
    tuned = removals(held_out=False)
    slope, intercept = fit(tuned)
    out = ROOT / "src" / "planparse" / "data" / "page_calibration.yaml"
    out.write_text(
        "# Platt scaling of page-number removal posteriors (planparse pages stage): p = σ(slope·logit(raw) + intercept).\n"
        f"# Fitted by benchmarks/fit_page_calibration.py on {len(tuned)} removals in the damaged variants of the\n"
        "# tuned half of ../shared/corpus/lawtext/ (every fifth document held out).\n"
        + yaml.safe_dump({"slope": round(slope, 4), "intercept": round(intercept, 4)}),
        encoding="utf-8",
    )
    print(f"wrote {out.relative_to(ROOT)}: slope {slope:.3f}, intercept {intercept:.3f} from {len(tuned)} removals")
    held = removals(held_out=True)
    for name, pairs in (("tuned", tuned), ("held-out", held)):
        scaled = [(pages.calibrated(raw, (slope, intercept)), right) for raw, right in pairs]
        error, rows = reliability(scaled)
        print(f"\n{name}: {len(pairs)} removals, ECE {error:.3f}")
        for label, count, confidence, accuracy in rows:
            print(f"  {label}: {count:5d}  mean {confidence:.3f}  right {accuracy:.3f}")


if __name__ == "__main__":
    main()
