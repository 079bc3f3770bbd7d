"""Fit the local evidence of glued page numbers (``src/planparse/data/page_model.json``).

Every digit span the pages stage considers (whole digit runs and their prefixes, suffixes and
infixes, valued 1 … the page count) is described by :meth:`planparse.text.pages._Context.features`:
its shape in its run, the characters around it, the dictionary word its removal rejoins, whether
the number left behind (or the run as printed) is printed elsewhere, list items. On the damaged
variants of the corpus's tuned half (every fifth document held out, as in the harness), where the
glued page numbers are known, a logistic regression learns each feature's weight: the score is the
log-odds that a span is a page number, which the chain search adds up.

    python benchmarks/fit_page_model.py [--l2 1e-4] [--min-count 5] [--out PATH]
    python benchmarks/fit_page_model.py --extend fraction_tail

``--extend NAME`` fits only a new feature's weight, every other weight held at its committed
value: a full refit moves weights the harness's figures rest on (a refit for one feature changed
``next:punct`` by 1.4 and lowered precision), while the new evidence only needs its own log-odds.
The feature and its shape-paired copies (``suffix&NAME``) share one weight, split evenly, under a
Gaussian prior (σ = EXTEND_SIGMA).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planparse.normalize import normalize_text  # noqa: E402
from planparse.structure.front import scan_front_matter  # noqa: E402
from planparse.text import pages  # noqa: E402
from tests.tools.corpus import documents, variants  # noqa: E402

MIN_COUNT = 5
EXTEND_SIGMA = 2.0
L2 = 1e-4
STEPS = 600
RATE = 0.05


def spans() -> list[tuple[list[str], float, bool]]:
    """(features, is a glued page number) of every candidate span in the tuned damaged variants."""
    found: list[tuple[list[str], float, bool]] = []
    for document in documents():
        if document.held_out:
            continue
        for item in variants(document):
            if not item.damaged or not item.page_marks:
                continue
            norm = normalize_text(item.text)
            front = scan_front_matter(norm)
            text = norm.text
            # Normalized text equals the damaged variant here (no whitespace): offsets agree.
            truth = {(offset, len(digits)) for offset, digits in item.page_marks}
            max_page = len(item.page_marks) + 8
            context = pages._Context(text)
            for match in pages._DIGITS.finditer(text, front.body_start):
                run_start, run_end = match.span()
                if run_end - run_start > 12:
                    continue
                run = match.group()
                for start in range(run_start, run_end):
                    for end in range(start + 1, min(run_end, start + 3) + 1):
                        digits = text[start:end]
                        if digits.startswith("0") or not 1 <= int(digits) <= max_page:
                            continue
                        if start > run_start and end < run_end and end - start > 3:
                            continue
                        names = context.features(start, end, run_start, run_end)
                        if names is not None:
                            heuristic = context.heuristic(start, end, run_start, run_end)
                            found.append((names, heuristic, (start, end - start) in truth))
                del run
    return found


MODEL = ROOT / "src" / "planparse" / "data" / "page_model.json"


def fit(out: Path = MODEL, l2: float = L2, min_count: int = MIN_COUNT) -> None:
    """Refit every weight (L2 penalty ``l2``; features seen fewer than ``min_count`` times are left out)."""
    data = spans()
    counts = Counter(name for names, _, _ in data for name in names)
    # "heuristic" (index 1) is real-valued: the hand-written evidence, weighed by the model.
    vocabulary = ["bias", "heuristic", *sorted(name for name, count in counts.items() if count >= min_count)]
    index = {name: position for position, name in enumerate(vocabulary)}
    rows = [[0, 1, *(index[name] for name in names if name in index)] for names, _, _ in data]
    ids = np.concatenate([np.array(row) for row in rows])
    owner = np.repeat(np.arange(len(rows)), [len(row) for row in rows])
    values = np.concatenate([np.array([1.0, heuristic] + [1.0] * (len(row) - 2)) for row, (_, heuristic, _) in zip(rows, data, strict=True)])
    labels = np.array([1.0 if label else 0.0 for _, _, label in data])
    weights = np.zeros(len(vocabulary))
    first = np.zeros_like(weights)
    second = np.zeros_like(weights)
    for step in range(1, STEPS + 1):
        scores = np.bincount(owner, weights=weights[ids] * values, minlength=len(rows))
        probability = 1 / (1 + np.exp(-scores))
        gradient = np.bincount(ids, weights=(probability - labels)[owner] * values, minlength=len(vocabulary)) / len(rows)
        gradient += l2 * weights
        first = 0.9 * first + 0.1 * gradient
        second = 0.999 * second + 0.001 * gradient * gradient
        weights -= RATE * (first / (1 - 0.9**step)) / (np.sqrt(second / (1 - 0.999**step)) + 1e-8)
        if step % 100 == 0:
            loss = -np.mean(labels * np.log(probability + 1e-12) + (1 - labels) * np.log(1 - probability + 1e-12))
            print(f"step {step}: log loss {loss:.4f}")
    kept = {name: round(float(weight), 3) for name, weight in zip(vocabulary, weights, strict=True) if abs(weight) >= 0.01}
    out.write_text(json.dumps({
        "source": "Fitted by benchmarks/fit_page_model.py: logistic regression on every candidate digit span of the "
                  "damaged variants of ../shared/corpus/lawtext/ (lawtext/gov repository; tuned half, every fifth "
                  "document held out), labelled by the page numbers glued in; log-odds weights of "
                  "planparse.text.pages._Context.features.",
        "spans": len(rows), "positives": int(labels.sum()),
        "prior_log_odds": round(float(np.log(labels.mean() / (1 - labels.mean()))), 3),
        "weights": dict(sorted(kept.items())),
    }, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {out}: {len(kept)} weights from {len(rows)} spans ({int(labels.sum())} page numbers)")


def extend(name: str, out: Path = MODEL) -> None:
    """Fit the weight of one new feature (and its shape-paired copies) with the others fixed."""
    model = json.loads(out.read_text(encoding="utf-8"))
    weights: dict[str, float] = model["weights"]
    data = spans()
    fixed = np.array([weights.get("bias", 0.0) + weights.get("heuristic", 0.0) * heuristic
                      + sum(weights.get(feature, 0.0) for feature in names if feature != name and not feature.endswith("&" + name))
                      for names, heuristic, _ in data])
    members = np.array([name in names for names, _, _ in data])
    labels = np.array([1.0 if label else 0.0 for _, _, label in data])[members]
    copies = {feature for names, _, _ in data for feature in names if feature == name or feature.endswith("&" + name)}

    def likelihood(weight: float) -> float:
        z = fixed[members] + weight
        return float(np.sum(labels * z - np.logaddexp(0.0, z))) - 0.5 * weight * weight / EXTEND_SIGMA**2

    total = max(np.linspace(-6.0, 6.0, 481), key=likelihood)
    for feature in sorted(copies):
        weights[feature] = round(float(total) / len(copies), 3)
    model["weights"] = dict(sorted(weights.items()))
    model["extended"] = sorted({*model.get("extended", []), name})
    out.write_text(json.dumps(model, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{name}: {int(members.sum())} spans ({int(labels.sum())} page numbers), weight {total:.3f} over {sorted(copies)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extend", metavar="NAME", help="fit only this new feature's weight, the others held")
    parser.add_argument("--l2", type=float, default=L2, help="L2 penalty of a full refit")
    parser.add_argument("--min-count", type=int, default=MIN_COUNT, help="spans a feature needs to get a weight")
    parser.add_argument("--out", type=Path, default=MODEL, help="where to write the model (default: the package's)")
    options = parser.parse_args()
    if options.extend:
        extend(options.extend, options.out)
    else:
        fit(options.out, options.l2, options.min_count)


if __name__ == "__main__":
    main()
