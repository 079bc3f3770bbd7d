"""Heading misses of the corpus variants by cause, with examples.

    python benchmarks/structure_causes.py [--variants flat_short,...] [--kind work_report]
        [--held-out | --tuned] [--examples 3]

Each truth heading the record does not give right is put under one cause, found by pairing the
unmatched truth headings with the unmatched headings of the record that lie between the same
matched neighbours and share their level and number (or number and title):

- title_short / title_long: the record's title is a prefix of the truth's / runs past it;
- title_other: same level and number, another title;
- level: same number and title, another level;
- page: level, number and title right, page wrong (variants with pages);
- missed: no heading of the record stands for it;
and the record's headings paired with no truth heading are counted as spurious.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.tools.corpus import documents, select, variants  # noqa: E402
from tests.tools.harness import _align, _norm_title, extract_all, key, record_headings  # noqa: E402


def causes(item, record) -> tuple[Counter[str], dict[str, list[str]]]:  # type: ignore[no-untyped-def]
    truth = item.headings
    found = record_headings(record)
    truth_keys = [(h.kind, h.number, _norm_title(h.title, item.damaged)) for h in truth]
    found_keys = [(k, n, _norm_title(t, item.damaged)) for k, n, t, _ in found]
    pairs = _align(truth_keys, found_keys)
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)

    def note(cause: str, text: str) -> None:
        counts[cause] += 1
        examples[cause].append(f"{item.document.name} [{item.name}] {text}")

    for i, j in pairs:
        if item.paged and truth[i].page != found[j][3]:
            note("page", f"{truth_keys[i][0]} {truth_keys[i][1]} {truth_keys[i][2][:30]} page {truth[i].page} got {found[j][3]}")
    anchors = [(-1, -1), *pairs, (len(truth), len(found))]
    for (i0, j0), (i1, j1) in zip(anchors, anchors[1:]):
        free_truth = list(range(i0 + 1, i1))
        free_found = list(range(j0 + 1, j1))
        used: set[int] = set()
        for i in free_truth:
            kind, number, title = truth_keys[i]
            match = None
            for j in free_found:
                if j in used:
                    continue
                fk, fn, ft = found_keys[j]
                if fk == kind and fn == number:
                    match = j
                    break
            if match is None:
                for j in free_found:
                    if j not in used and found_keys[j][1] == number and found_keys[j][2] == title:
                        match = j
                        break
            if match is None:
                note("missed", f"{kind} {number} {title[:40]}")
                continue
            used.add(match)
            fk, fn, ft = found_keys[match]
            if fk != kind:
                note("level", f"{kind} {number} {title[:30]} → {fk}")
            elif ft and title.startswith(ft):
                note("title_short", f"{kind} {number} {title[:50]} → {ft[:50]}")
            elif title and ft.startswith(title):
                note("title_long", f"{kind} {number} {title[:40]} → {ft[:70]}")
            else:
                note("title_other", f"{kind} {number} {title[:40]} → {ft[:40]}")
        for j in free_found:
            if j not in used:
                counts["spurious"] += 1
                examples["spurious"].append(
                    f"{item.document.name} [{item.name}] {found_keys[j][0]} {found_keys[j][1]} {found_keys[j][2][:50]}")
    return counts, examples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--variants", default="flat_short,flat_long,flat_notoc,flat_nopages")
    parser.add_argument("--kind", default="")
    parser.add_argument("--held-out", action="store_true")
    parser.add_argument("--tuned", action="store_true")
    parser.add_argument("--examples", type=int, default=3)
    args = parser.parse_args()
    docs = select(documents(), held_out=args.held_out, tuned=args.tuned, kind=args.kind)
    names = set(args.variants.split(","))
    items = [item for d in docs for item in variants(d) if item.name in names]
    records = extract_all(items)
    by_group: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    examples: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for item in items:
        record = records[key(item)]
        if isinstance(record, str):
            by_group[(item.document.kind, item.name)]["rejected"] += len(item.headings)
            continue
        counts, found = causes(item, record)
        by_group[(item.document.kind, item.name)].update(counts)
        for cause, lines in found.items():
            examples[(item.document.kind, item.name, cause)].extend(lines)
    all_causes = sorted({c for counts in by_group.values() for c in counts})
    print("| kind | variant | " + " | ".join(all_causes) + " |")
    print("|---|---|" + "---|" * len(all_causes))
    for (kind, name), counts in sorted(by_group.items()):
        print(f"| {kind} | {name} | " + " | ".join(str(counts.get(c, 0)) for c in all_causes) + " |")
    if args.examples:
        for (kind, name, cause), lines in sorted(examples.items()):
            print(f"\n## {kind} / {name} / {cause} ({len(lines)})")
            for line in lines[: args.examples]:
                print("  ", line)


if __name__ == "__main__":
    main()
