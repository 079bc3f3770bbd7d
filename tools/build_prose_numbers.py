"""Count how numbers are printed in each prose context: src/planparse/data/prose_numbers.yaml.

Reads the intact work reports, statistical communiqués and plans of ../shared/corpus/lawtext (the
tuning split only: every fifth document is held out, see tests/tools/numbers.py), damages each the
way the seed was damaged (no page numbers), and for every digit run of the damaged text counts
its context (planparse.prose.context_of) and its truth (percent, decimals, order of magnitude; or
"not one number" for runs of several numbers). The smoothing and temperature are fitted by 4-fold
cross-fitting over the tuning documents (counts from three folds, log-loss on the fourth), and the
precision of restorations per confidence threshold is printed for choosing ProseSettings.restore_at.

    python tools/build_prose_numbers.py            # rewrite the data file
    python tools/build_prose_numbers.py --check    # only print the cross-fitted figures
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planparse import prose  # noqa: E402
from tests.tools.numbers import DigitRun, corpus_documents, make_variant, plain_text  # noqa: E402

LAWTEXT = ROOT.parent / "shared" / "corpus" / "lawtext"
OUTPUT = ROOT / "src" / "planparse" / "data" / "prose_numbers.yaml"
WIDTH = 0.5
FOLDS = 4
SMOOTHING = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0)
TEMPERATURES = (0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6)


def truth_reading(run: DigitRun) -> prose.Reading:
    """The reading the intact text had (decimals -1: not one number, or not representable)."""
    number = run.truth
    if number is None or number.decimals > prose.SETTINGS.max_decimals:
        return prose.Reading(-1, False, None, run.digits)
    shown = number.text.rstrip("%").strip()
    return prose.Reading(number.decimals, number.percent, float(shown), number.text)


Example = tuple[str, tuple[str, ...], prose.NumberContext, str | None, prose.Reading]
Outcome = tuple[prose.Reading, float, bool, prose.Reading]  # best reading, confidence, right, truth


def examples(path: Path) -> list[Example]:
    variant = make_variant(plain_text(path.read_text(encoding="utf-8")), page_numbers=False)
    runs = [run for run in variant.runs if run.kind != "page"]
    contexts = [prose.context_of(variant.text, run.start, run.end) for run in runs]
    style = prose.document_style((run.digits, context) for run, context in zip(runs, contexts))
    found = []
    for run, context in zip(runs, contexts):
        context = context._replace(style=style)
        group = prose.digit_group(variant.text, run.start, run.end)
        found.append((run.digits, context.keys(), context, group, truth_reading(run)))
    return found


MIN_KEY_COUNT = 3  # context keys seen fewer times are left out (they back off to the next key)


def count(documents: list[list[Example]]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for document in documents:
        for digits, keys, _, group, truth in document:
            if group in ("lead", "group"):
                continue  # read as printed by rule
            code = prose.outcome(truth, digits, WIDTH)
            for key in keys:
                counts[key][code] += 1
    return {key: values for key, values in counts.items() if sum(values.values()) >= MIN_KEY_COUNT}


def judge(stats: prose.Statistics, document: list[Example]) -> list[tuple[float, prose.Reading, float, bool]]:
    """(log-loss of the truth, best reading, its probability, best == truth) per example."""
    judged = []
    for digits, keys, context, group, truth in document:
        options = prose.readings(digits, context, group=group)
        scores = [prose.log_likelihood(reading, digits, keys, stats) for reading in options]
        probabilities = prose.posterior(scores, stats.temperature)
        pairs = sorted(zip(options, probabilities), key=lambda pair: (-pair[1], pair[0].decimals, pair[0].percent))
        truth_p = next((p for reading, p in pairs if reading[:2] == truth[:2]), 1e-12)
        best, p = pairs[0]
        judged.append((-math.log(max(truth_p, 1e-12)), best, p, best[:2] == truth[:2]))
    return judged


def _loss(folds: list[list[list[Example]]], rests: list[dict[str, Counter[str]]], smoothing: tuple[float, ...], temperature: float) -> float:
    loss = 0.0
    n = 0
    for fold, rest in zip(folds, rests):
        stats = prose.Statistics.from_counts(rest, WIDTH, smoothing, temperature)
        for document in fold:
            judged = judge(stats, document)
            loss += sum(item[0] for item in judged)
            n += len(judged)
    return loss / max(n, 1)


def cross_fit(documents: list[list[Example]]) -> tuple[tuple[float, ...], float, list[Outcome]]:
    """Smoothing per back-off level and the temperature by coordinate descent on the cross-fitted
    log-loss; then every tuning example judged by counts that did not see its document."""
    folds = [[doc for index, doc in enumerate(documents) if index % FOLDS == fold] for fold in range(FOLDS)]
    rests = [count([doc for index, doc in enumerate(documents) if index % FOLDS != fold]) for fold in range(FOLDS)]
    levels = len(documents[0][0][1])
    smoothing = [16.0] * levels
    temperature = 1.25
    best = _loss(folds, rests, tuple(smoothing), temperature)
    for _ in range(2):
        for level in range(levels):
            for alpha in SMOOTHING:
                trial = list(smoothing)
                trial[level] = alpha
                loss = _loss(folds, rests, tuple(trial), temperature)
                if loss < best - 1e-6:
                    best, smoothing = loss, trial
        for candidate in TEMPERATURES:
            loss = _loss(folds, rests, tuple(smoothing), candidate)
            if loss < best - 1e-6:
                best, temperature = loss, candidate
        print(f"smoothing {smoothing}  temperature {temperature:4.2f}  log-loss {best:.4f}", file=sys.stderr)
    outcomes = []
    for fold, rest in zip(folds, rests):
        stats = prose.Statistics.from_counts(rest, WIDTH, tuple(smoothing), temperature)
        for document in fold:
            for (_, best_reading, p, right), (_, _, _, _, truth) in zip(judge(stats, document), document):
                outcomes.append((best_reading, p, right, truth))
    return tuple(smoothing), temperature, outcomes


def isotonic(points: list[tuple[float, bool]], knots: int = 24) -> list[tuple[float, float]]:
    """A monotone map from raw probability to observed accuracy (pool-adjacent-violators), as at
    most ``knots`` (raw, calibrated) points; accuracies are shrunk towards 1/2 by half a count."""
    blocks: list[list[float]] = []  # [sum of p, right, n]
    for p, right in sorted(points):
        blocks.append([p, float(right), 1.0])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            last = blocks.pop()
            blocks[-1] = [a + b for a, b in zip(blocks[-1], last)]
    while len(blocks) > knots:
        smallest = min(range(len(blocks) - 1), key=lambda i: blocks[i][2] + blocks[i + 1][2])
        merged = [a + b for a, b in zip(blocks[smallest], blocks[smallest + 1])]
        blocks[smallest : smallest + 2] = [merged]
    knots = []
    floor = 0.0
    for total, right, n in blocks:
        floor = max(floor, round((right + 0.5) / (n + 1.0), 4))  # the shrinkage must not undo monotony
        knots.append((round(total / n, 4), floor))
    return knots


def calibrate(outcomes: list[Outcome]) -> dict[str, list[tuple[float, float]]]:
    """Calibration maps of the best reading's probability, one per decision kind."""
    groups: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for best, p, right, _ in outcomes:
        groups[prose.decision_kind(best)].append((p, right))
    return {kind: isotonic(points) for kind, points in sorted(groups.items())}


def report(outcomes: list[Outcome]) -> None:
    print("restorations (best reading is not 'as printed'): threshold, restored, precision; decimals restored")
    decimals = sum(1 for _, _, _, truth in outcomes if truth.decimals > 0)
    for threshold in (0.5, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99, 0.995):
        made = [(right, truth) for best, p, right, truth in outcomes if best.decimals >= 0 and not best.as_printed and p >= threshold]
        right = sum(1 for ok, _ in made if ok)
        restored = sum(1 for ok, truth in made if ok and truth.decimals > 0)
        print(f"  {threshold:.3f}  {len(made):6d}  {right / max(len(made), 1):.4f}  {restored / max(decimals, 1):.3f}")
    print("reliability of the best reading (all numbers): bin, n, mean confidence, accuracy")
    bins: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for _, p, right, _ in outcomes:
        bins[min(9, int(p * 10))].append((p, right))
    ece = 0.0
    for index in sorted(bins):
        items = bins[index]
        mean = sum(p for p, _ in items) / len(items)
        accuracy = sum(1 for _, ok in items if ok) / len(items)
        ece += len(items) / len(outcomes) * abs(mean - accuracy)
        print(f"  {index / 10:.1f}-{(index + 1) / 10:.1f}  {len(items):6d}  {mean:.3f}  {accuracy:.3f}")
    print(f"  expected calibration error {ece:.4f}")


def write(
    counts: dict[str, Counter[str]],
    smoothing: tuple[float, ...],
    temperature: float,
    calibration: dict[str, list[tuple[float, float]]],
    documents: int,
) -> None:
    lines = [
        "# How numbers are printed in each prose context (planparse prose stage). GENERATED by",
        "# tools/build_prose_numbers.py: do not edit by hand.",
        "#",
        "# Source: the figures of the intact texts of the lawtext/gov corpus (github.com/lawtext/gov, the",
        "# commit in ../shared/corpus/lawtext/manifest.json): State Council, provincial and city",
        "# government work reports (政府工作报告), the national statistical communiqués (国家统计局",
        "# 国民经济和社会发展统计公报) and the national five-year plans (五年规划), as published on gov.cn;",
        f"# {documents} documents of the tuning split (every fifth document held out for measurement).",
        "#",
        "# counts: per context key (subject class / verb class / word after the number, with back-off keys",
        "# using *), how often a number was printed as percent:decimals:magnitude-bin (decimals 1z, 2z, 3z",
        "# when the last decimal is 0: 15.0%; bins of bin_width decades: 2 = [10, 31.6), 3 = [31.6, 100) …)",
        "# or was x:length (digits of several numbers run together). smoothing and temperature are fitted",
        "# by 4-fold cross-fitting (log-loss); calibration maps the best reading's probability to the",
        "# accuracy seen in cross-fitting (isotonic), per decision kind (keep: as printed; restore: a",
        "# decimal point or %; other: not one number).",
        f"bin_width: {WIDTH}",
        f"smoothing: [{', '.join(str(alpha) for alpha in smoothing)}]",
        f"temperature: {temperature}",
        "calibration:",
    ]
    for kind, knots in calibration.items():
        lines.append(f"  {kind}: [{', '.join(f'[{raw}, {calibrated}]' for raw, calibrated in knots)}]")
    lines.append("counts:")
    for key in sorted(counts):
        codes = ", ".join(f"'{code}': {n}" for code, n in sorted(counts[key].items()))
        lines.append(f"  '{key}': {{{codes}}}")
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="print the cross-fitted figures, write nothing")
    options = parser.parse_args()
    tuning = [doc for doc in corpus_documents(LAWTEXT) if not doc.held_out]
    documents = [examples(doc.path) for doc in tuning]
    print(f"{len(tuning)} tuning documents, {sum(map(len, documents))} digit runs", file=sys.stderr)
    smoothing, temperature, outcomes = cross_fit(documents)
    print(f"fitted smoothing {smoothing}, temperature {temperature}")
    print("cross-fitted, raw probabilities:")
    report(outcomes)
    calibration = calibrate(outcomes)
    maps = {kind: tuple(knots) for kind, knots in calibration.items()}
    calibrated = [(best, prose.apply_calibration(maps, best, p), right, truth) for best, p, right, truth in outcomes]
    print("cross-fitted, calibrated (in-sample for the calibration map):")
    report(calibrated)
    if not options.check:
        write(count(documents), smoothing, temperature, calibration, len(tuning))
        print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
