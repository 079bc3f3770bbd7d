"""Structure, metadata, page numbers and do-no-harm on every corpus document and its variants.

    python benchmarks/bench_structure.py [--held-out | --tuned] [--variants md,txt,...] [--kind work_report]
        [--details]

Prints one row per (document kind, variant): headings right (level, number, title, and page where
the variant has pages) over headings in truth, headings found, documents that missed more than 5%
of their headings without a structure warning, title/issuer/date right, glued page numbers
removed (precision / recall) on damaged variants, and on clean variants the page-number repairs
made (should be 0) and the digit runs of the input missing from the record (should be 0).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.tools.corpus import documents, select  # noqa: E402
from tests.tools.harness import reliability, run, table  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--held-out", action="store_true", help="only the held-out documents (every fifth)")
    parser.add_argument("--tuned", action="store_true", help="only the documents used in tuning")
    parser.add_argument("--variants", default="", help="comma-separated variant names")
    parser.add_argument("--kind", default="", help="only documents of this kind")
    parser.add_argument("--details", action="store_true", help="list failures")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    docs = select(documents(), held_out=args.held_out, tuned=args.tuned, kind=args.kind)
    if args.limit:
        docs = docs[: args.limit]
    names = set(args.variants.split(",")) if args.variants else None
    started = time.perf_counter()
    tallies = run(docs, names=names)
    print(table(tallies))
    print(f"\n{len(docs)} documents in {time.perf_counter() - started:.1f} s")
    pairs = [pair for tally in tallies.values() for pair in tally.page_confidences]
    if pairs:
        error, rows = reliability(pairs)
        print(f"\npage-number removals: {len(pairs)}, expected calibration error {error:.3f}")
        print("| confidence | removals | mean confidence | right |\n|---|---|---|---|")
        for label, count, confidence, accuracy in rows:
            print(f"| {label} | {count} | {confidence:.3f} | {accuracy:.3f} |")
    if args.details:
        for (kind, name), tally in sorted(tallies.items()):
            if tally.rejected or tally.silent:
                print(f"\n## {kind} / {name}")
                for line in tally.rejected[:10]:
                    print("  rejected:", line)
                for line in tally.silent[:10]:
                    print("  silent:", line)
            worst = sorted(tally.worst)[:5]
            if worst and worst[0][0] < 0.98:
                print(f"  worst {kind}/{name}:", ", ".join(f"{name_} {score:.2f}" for score, name_ in worst))


if __name__ == "__main__":
    main()
