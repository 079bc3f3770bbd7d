"""Fit the title-end model of flattened text (``src/planparse/data/title_model.json``).

The corpus marks its headings, so it shows where titles end. Each marked heading is rendered as
flattened, damaged text does it (its title, then the paragraph after it, with whitespace, ASCII
letters, ``. % [ ]`` stripped), every end the punctuation allows is a candidate, and a
conditional logit model (a softmax over the candidates, L2-regularized) learns weights for the
features of :func:`planparse.structure.titles.features`. Only the documents used for tuning are
read (every fifth document is held out, as in the harness), and only features seen at least
``MIN_COUNT`` times are kept.

    python benchmarks/fit_title_model.py
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planparse.structure.titles import candidate_ends, features, word_ends  # noqa: E402
from tests.tools.corpus import documents  # noqa: E402

_STRIP = re.compile(r"[A-Za-z.%\[\]\s\u3000]")
MIN_COUNT = 3
USE_TYPICAL = False  # the document-level typical length (see planparse.structure.titles.features)
L2 = 0.002
EPOCHS = 400
RATE = 0.05


def _clean(text: str) -> str:
    return _STRIP.sub("", text)


def examples() -> list[tuple[list[list[str]], int]]:
    """Per marked heading: the feature names of each candidate end, and the index of the true one."""
    found = []
    for document in documents():
        if document.held_out:
            continue
        lengths: dict[str, list[int]] = {}
        for heading in document.headings:
            lengths.setdefault(heading.kind, []).append(len(_clean(heading.title)))
        for heading in document.headings:
            title = _clean(heading.title)
            if not title:
                continue
            # The typical length of the document's other titles of this kind (leave this one out).
            others = list(lengths[heading.kind])
            others.remove(len(title))
            typical = float(sorted(others)[len(others) // 2]) if others else None
            # What follows the title in flattened text: the rest of its own line (a headline's
            # paragraph), then the lines after it.
            line = _clean(document.lines[heading.line])
            at = line.find(title)
            rest = line[at + len(title) :] if at >= 0 else ""
            body = (rest + "".join(_clean(other) for other in document.lines[heading.line + 1 : heading.line + 3]))[:80]
            if not body:
                continue
            text = title + body
            ends = word_ends(text, 0, 40)
            candidates = list(candidate_ends(text, 0, len(text)))
            if len(title) not in candidates:
                continue
            found.append(([features(text, 0, end, heading.kind, ends, typical=typical if USE_TYPICAL else None) for end in candidates],
                          candidates.index(len(title))))
    return found


def main() -> None:
    data = examples()
    counts = Counter(name for candidates, _ in data for names in candidates for name in names)
    vocabulary = sorted(name for name, count in counts.items() if count >= MIN_COUNT)
    index = {name: position for position, name in enumerate(vocabulary)}
    # Candidates as a sparse design matrix (CSR arrays), examples as groups of candidates.
    indices: list[int] = []
    row_starts: list[int] = [0]
    group_starts: list[int] = [0]
    truth_rows: list[int] = []
    for candidates, truth in data:
        truth_rows.append(group_starts[-1] + truth)
        for names in candidates:
            indices.extend(index[name] for name in names if name in index)
            row_starts.append(len(indices))
        group_starts.append(group_starts[-1] + len(candidates))
    ids = np.array(indices)
    lengths = np.diff(np.array(row_starts))
    owner = np.repeat(np.arange(len(lengths)), lengths)  # the candidate each feature occurrence belongs to
    groups = np.repeat(np.arange(len(data)), np.diff(np.array(group_starts)))
    truth_ids = np.array(truth_rows)
    truth_features = np.bincount(np.concatenate([ids[row_starts[row] : row_starts[row + 1]] for row in truth_rows]),
                                 minlength=len(vocabulary))
    weights = np.zeros(len(vocabulary))
    first_moment = np.zeros_like(weights)
    second_moment = np.zeros_like(weights)
    for step in range(1, EPOCHS + 1):
        scores = np.bincount(owner, weights=weights[ids], minlength=len(lengths))
        top = np.full(len(data), -np.inf)
        np.maximum.at(top, groups, scores)
        exp = np.exp(scores - top[groups])
        mass = np.bincount(groups, weights=exp, minlength=len(data))
        probabilities = exp / mass[groups]
        loss = -np.log(probabilities[truth_ids]).mean() + 0.5 * L2 * float(weights @ weights)
        expected = np.bincount(ids, weights=probabilities[owner], minlength=len(vocabulary))
        gradient = (expected - truth_features) / len(data) + L2 * weights
        first_moment = 0.9 * first_moment + 0.1 * gradient
        second_moment = 0.999 * second_moment + 0.001 * gradient * gradient
        weights -= RATE * (first_moment / (1 - 0.9**step)) / (np.sqrt(second_moment / (1 - 0.999**step)) + 1e-8)
        if step % 50 == 0 or step == EPOCHS:
            best = np.full(len(data), -np.inf)
            np.maximum.at(best, groups, probabilities)
            right = int(np.sum(probabilities[truth_ids] >= best - 1e-12))
            print(f"step {step}: loss {loss:.3f}, right {right}/{len(data)}")
    kept = {name: round(float(weight), 3) for name, weight in zip(vocabulary, weights, strict=True) if abs(weight) >= 0.01}
    out = ROOT / "src" / "planparse" / "data" / "title_model.json"
    out.write_text(json.dumps({
        "source": "Fitted by benchmarks/fit_title_model.py on the headings marked in ../shared/corpus/lawtext/ "
                  "(lawtext/gov repository, every fifth document held out), rendered flattened and damaged; "
                  "conditional logit weights of planparse.structure.titles.features.",
        "examples": len(data),
        "weights": dict(sorted(kept.items())),
    }, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}: {len(kept)} weights from {len(data)} titles")


if __name__ == "__main__":
    main()
