"""Benchmark the prose stage: numbers in damaged prose restored or flagged. Prints tables.

    python benchmarks/bench_prose.py [--pages none,600,1350] [--limit N] [--speed]

Every work report, statistical communiqué and plan of ../shared/corpus/lawtext is made plain
text, then damaged like the seed (tests/tools/numbers.py): without page numbers, and with page
numbers glued in at pages of about 600 (480–720) and 1350 (1080–1620) characters. The whole
pipeline extracts each variant; its ``decimal``/``percent`` repairs and ``prose_number_unverified``
warnings are compared with the intact number behind every digit run. Every fifth document is held
out of tuning (tools/build_prose_numbers.py counts only the others); figures are printed for the
held-out and the tuned documents separately, per document kind.

``--stage`` runs the prose stage alone on each whole body (as one paragraph, no tables): its
figures do not depend on the structure stages, which reject many damaged work reports today.
``--speed`` times the prose stage alone on the seed and on the longest work report.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.tools.numbers import corpus_documents, make_variant, plain_text  # noqa: E402
from tests.tools.prose_eval import (  # noqa: E402
    HIGH,
    Tally,
    extract_prose_only,
    extract_variant,
    reliability_table,
    score_variant,
)

LAWTEXT = ROOT.parent / "shared" / "corpus" / "lawtext"
SEED = ROOT / "data" / "raw" / "dongbei_13th_fyp_2016.txt"


def _percent(value: float) -> str:
    return f"{100 * value:5.1f}%"


def print_tally(title: str, tally: Tally) -> None:
    print(f"\n{title}: {tally.variants} variants, {sum(tally.rejected.values())} rejected")
    d = tally.decimals
    print(f"  stripped decimals in truth        {d}")
    print(f"  restored right                    {tally.decimals_restored} ({_percent(tally.fraction(tally.decimals_restored))})")
    print(f"  restored wrong                    {tally.decimals_wrong} ({_percent(tally.fraction(tally.decimals_wrong))})")
    print(f"  flagged (prose_number_unverified) {tally.decimals_flagged} ({_percent(tally.fraction(tally.decimals_flagged))})")
    print(f"  kept as printed, no flag          {tally.decimals_silent} ({_percent(tally.fraction(tally.decimals_silent))})")
    print(f"  not in the prose read             {tally.decimals_unseen} ({_percent(tally.fraction(tally.decimals_unseen))})")
    print(f"  stripped % on whole numbers       {tally.percents}: restored {tally.percents_restored}, flagged {tally.percents_flagged}")
    print(f"  intact integers                   {tally.integers}: changed {tally.integers_changed}, flagged {tally.integers_flagged}")
    precision = _percent(tally.precision_high) if tally.restorations_high else "   n/a"
    print(
        f"  restorations {tally.restorations}; at confidence ≥ {HIGH}: {tally.restorations_high}, "
        f"precision {precision} (goal ≥ 99%)"
    )
    if tally.other_prose_warnings:
        print(f"  other prose warnings (no numbers named) {tally.other_prose_warnings}")
    if tally.offsets_off:
        print(f"  REPAIRS WITH WRONG OFFSETS        {tally.offsets_off}")


def print_reliability(title: str, points: list[tuple[float, bool]]) -> None:
    rows, ece = reliability_table(points)
    print(f"\n{title}: {len(points)} decisions, expected calibration error {ece:.4f}")
    print("  confidence      n   mean  accuracy")
    for label, n, mean, accuracy in rows:
        print(f"  {label}  {n:7d}  {mean:.3f}  {accuracy:.3f}")


def print_failures(tally: Tally, title: str = "all documents") -> None:
    print(f"\nfailures by cause, {title} (one example each):")
    for cause, n in tally.failures.most_common():
        print(f"  {n:6d}  {cause}: {tally.examples[cause]}")
    if tally.rejected:
        print("rejected variants by cause:")
        for cause, n in tally.rejected.most_common():
            print(f"  {n:6d}  {cause}")


def speed() -> None:
    """The prose stage's own time: on the seed (in the pipeline) and on the work report with the
    most numbers (its whole body as one paragraph: the structure stages reject many damaged
    reports, and one paragraph is the most the stage can be given)."""
    from planparse import prose
    from planparse.load import load_text
    from planparse.pipeline import extract_document

    reports = [doc for doc in corpus_documents(LAWTEXT) if doc.kind == "work_report"]
    variants = [make_variant(plain_text(doc.path.read_text(encoding="utf-8")), page_numbers=False) for doc in reports]
    busiest, variant = max(zip(reports, variants), key=lambda pair: len(pair[1].runs))
    original = prose.repair_prose
    spent: list[float] = []

    def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        result = original(*args, **kwargs)
        spent.append(time.perf_counter() - start)
        return result

    prose.statistics()  # loaded once per process (by the first damaged document)
    prose.repair_prose = timed  # type: ignore[assignment]
    try:
        for name, run in (
            ("the seed (pipeline)", lambda: extract_document(load_text(SEED.read_text(encoding="utf-8")))),
            (f"work report {busiest.path.name}, {len(variant.runs)} numbers (whole body)", lambda: extract_prose_only(variant.text)),
        ):
            spent.clear()
            for _ in range(5):
                run()
            print(f"prose stage on {name}: {1000 * min(spent):.1f} ms per run")
    finally:
        prose.repair_prose = original  # type: ignore[assignment]
    prose.statistics.cache_clear()
    prose.vocabulary.cache_clear()
    start = time.perf_counter()
    prose.statistics()
    prose.vocabulary()
    print(f"loading the statistics and vocabulary (once per process): {1000 * (time.perf_counter() - start):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="none,600,1350", help="variants: none and/or characters per page")
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents (0: all)")
    parser.add_argument("--speed", action="store_true", help="time the prose stage instead")
    parser.add_argument(
        "--stage", action="store_true", help="the prose stage alone on each whole body (no structure stages)"
    )
    options = parser.parse_args()
    if options.speed:
        speed()
        return
    documents = corpus_documents(LAWTEXT)
    if options.limit:
        documents = documents[: options.limit]
    pages = [None if value == "none" else int(value) for value in options.pages.split(",")]
    tallies: dict[tuple[str, bool], Tally] = {}
    by_pages: dict[str, Tally] = {}
    total = Tally()
    started = time.perf_counter()
    for index, document in enumerate(documents):
        intact = plain_text(document.path.read_text(encoding="utf-8"))
        for per_page in pages:
            variant = make_variant(intact, page_numbers=per_page is not None, chars_per_page=per_page or 600, seed=index)
            extraction = extract_prose_only(variant.text) if options.stage else extract_variant(variant.text)
            tally = score_variant(variant, extraction)
            tallies.setdefault((document.kind, document.held_out), Tally()).add(tally)
            by_pages.setdefault("no page numbers" if per_page is None else f"pages of ~{per_page}", Tally()).add(tally)
            total.add(tally)
    print(f"{len(documents)} documents × {len(pages)} variants in {time.perf_counter() - started:.0f} s")
    for held_out in (True, False):
        split = Tally()
        for kind in ("work_report", "communique", "plan"):
            tally = tallies.get((kind, held_out))
            if tally is None:
                continue
            split.add(tally)
            print_tally(f"{'HELD-OUT' if held_out else 'tuned'} {kind}", tally)
        print_tally(f"{'HELD-OUT' if held_out else 'tuned'} all kinds", split)
        print_reliability(f"{'HELD-OUT' if held_out else 'tuned'} reliability of restorations", split.restored_reliability)
        print_reliability(f"{'HELD-OUT' if held_out else 'tuned'} reliability of every number's best reading", split.reliability)
        print_failures(split, "held-out documents" if held_out else "tuned documents")
    for name, tally in by_pages.items():
        print_tally(f"all documents, {name}", tally)
    print_failures(total)


if __name__ == "__main__":
    main()
