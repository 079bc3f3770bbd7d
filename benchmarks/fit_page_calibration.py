"""Fit the calibration of page-number removals (``src/planparse/data/page_calibration.yaml``).

Each removal's confidence starts as a local posterior (its evidence and fit against the other
candidates for its page, and against no mark). On the damaged variants of the corpus's tuned half
(every fifth document held out) the removals are scored right or wrong against the glued page
numbers' truth, and a Platt scaling σ(a·logit(raw) + b + Σ shifts) is fitted by maximum likelihood,
with a shift for each covariate of a removal (``pages.removal_covariates``: the digit density
around it, a cut out of a longer run) under a ridge penalty; the script then prints the
reliability table on the held-out half, overall and per covariate.

    python benchmarks/fit_page_calibration.py [--out PATH]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planparse.normalize import normalize_text  # noqa: E402
from planparse.structure.front import scan_front_matter  # noqa: E402
from planparse.text import pages  # noqa: E402
from tests.tools.corpus import documents, variants  # noqa: E402
from tests.tools.harness import reliability  # noqa: E402

Removal = tuple[float, bool, tuple[str, ...]]  # raw posterior, right, covariates
RIDGE = 1.0  # the shifts' Gaussian prior (a covariate seen on few removals stays near 0)


def removals(held_out: bool) -> list[Removal]:
    """(raw posterior, right, covariates) of every removal on the damaged variants of one half."""
    found = []
    for document in documents():
        if document.held_out != held_out:
            continue
        for item in variants(document):
            if not item.damaged or not item.page_marks:
                continue
            norm = normalize_text(item.text)
            paged = pages.remove_page_numbers(norm, scan_front_matter(norm), calibration=pages.RAW)
            truth = {offset for offset, _ in item.page_marks}
            for marker in paged.markers:
                if marker.front:
                    continue
                right = any(marker.offset <= mark < marker.offset + marker.length for mark in truth)
                found.append((marker.raw, right, marker.covariates))
    return found


def fit(found: list[Removal]) -> pages.Calibration:
    names = sorted({name for _, _, covariates in found for name in covariates})
    raw = np.clip(np.array([p for p, _, _ in found]), 1e-6, 1 - 1e-6)
    columns = [np.log(raw / (1 - raw)), np.ones(len(found))]
    columns += [np.array([1.0 if name in covariates else 0.0 for _, _, covariates in found]) for name in names]
    x = np.stack(columns, axis=1)
    y = np.array([1.0 if right else 0.0 for _, right, _ in found])
    penalty = np.diag([0.0, 0.0] + [1.0 / RIDGE] * len(names))
    weights = np.array([1.0, 0.0] + [0.0] * len(names))
    def objective(w: np.ndarray) -> float:
        z = x @ w
        return float(np.sum(y * z - np.logaddexp(0.0, z)) - 0.5 * w @ penalty @ w)

    for _ in range(200):  # Newton's method on the penalized logistic log-likelihood …
        p = 1 / (1 + np.exp(-(x @ weights)))
        gradient = x.T @ (y - p) - penalty @ weights
        hessian = -(x.T * (p * (1 - p) + 1e-9)) @ x - penalty
        step = np.linalg.solve(hessian, gradient)
        # … with the step halved until the objective improves: a nearly separable covariate
        # otherwise sends a full step to infinity.
        current, scale = objective(weights), 1.0
        while scale > 1e-6 and objective(weights - scale * step) < current:
            scale /= 2
        weights = weights - scale * step
        if np.abs(scale * step).max() < 1e-8:
            break
    shifts = tuple((name, round(float(value), 4)) for name, value in zip(names, weights[2:], strict=True))
    return pages.Calibration(round(float(weights[0]), 4), round(float(weights[1]), 4), shifts)


CALIBRATION = ROOT / "src" / "planparse" / "data" / "page_calibration.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=CALIBRATION, help="where to write the calibration (default: the package's)")
    out = parser.parse_args().out
    tuned = removals(held_out=False)
    calibration = fit(tuned)
    out.write_text(
        "# Platt scaling of page-number removal posteriors (planparse pages stage):\n"
        "# p = σ(slope·logit(raw) + intercept + Σ shifts of the removal's covariates, pages.removal_covariates).\n"
        f"# Fitted by benchmarks/fit_page_calibration.py on {len(tuned)} removals in the damaged variants of the\n"
        "# tuned half of ../shared/corpus/lawtext/ (every fifth document held out).\n"
        + yaml.safe_dump({"slope": calibration.slope, "intercept": calibration.intercept,
                          "shifts": dict(calibration.shifts)}, allow_unicode=True, sort_keys=True),
        encoding="utf-8",
    )
    print(f"wrote {out}: slope {calibration.slope:.3f}, intercept {calibration.intercept:.3f}, "
          f"shifts {dict(calibration.shifts)} from {len(tuned)} removals")
    held = removals(held_out=True)
    for name, found in (("tuned", tuned), ("held-out", held)):
        scaled = [(pages.calibrated(raw, calibration, covariates), right) for raw, right, covariates in found]
        error, rows = reliability(scaled)
        print(f"\n{name}: {len(found)} removals, ECE {error:.3f}")
        for label, count, confidence, accuracy in rows:
            print(f"  {label}: {count:5d}  mean {confidence:.3f}  right {accuracy:.3f}")
        for covariate in sorted({c for _, _, covariates in found for c in covariates}):
            members = [pair for pair, (_, _, covariates) in zip(scaled, found, strict=True) if covariate in covariates]
            print(f"  {covariate}: {len(members)} removals, mean {np.mean([p for p, _ in members]):.3f}, "
                  f"right {np.mean([r for _, r in members]):.3f}")


if __name__ == "__main__":
    main()
