"""How often the gazetteer names a document's region right, and the period table a plan's period,, on documents nobody tuned it on: the
work reports of ../shared/corpus/lawtext (provinces, major and other cities: the truth is the file
name, 云南省_2006.md; State Council reports: 全国), read from their front-matter titles.

Counts: right, wrong (a region that is not the truth: the figure that must stay 0), and unknown
(None: the title names no region; for a provincial report titled 2003年政府工作报告 no reader of the
title alone could tell).

Periods: the national five-year plans of lawtext/五年规划 and the two national plans beside it,
whose truth is the year in the file name (1981-六五计划摘要.md → 1981–1985).

    python benchmarks/bench_regions.py
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from planparse.dataset.periods import period_of_title
from planparse.dataset.regions import region_of

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "lawtext"
FOLDERS = {"政府工作报告-省自治区": None, "政府工作报告-主要城市": None, "政府工作报告-其他地市": None, "政府工作报告-国务院": "全国"}


def _title(path: Path) -> str | None:
    match = re.search(r"^title:\s*(.+)$", path.read_text(encoding="utf-8")[:2000], re.M)
    return match.group(1).strip() if match else None


def main() -> None:
    print("| documents | n | right | wrong | unknown |")
    print("|---|---|---|---|---|")
    examples: list[str] = []
    for folder, fixed in FOLDERS.items():
        counts: Counter[str] = Counter()
        for path in sorted((CORPUS / folder).glob("*.md")):
            truth = fixed or path.stem.split("_")[0]
            region = region_of(_title(path), None)
            if region is None:
                counts["unknown"] += 1
                if len(examples) < 6:
                    examples.append(f"unknown: {folder}/{path.name}: {_title(path)}")
            elif region.name == truth:
                counts["right"] += 1
            else:
                counts["wrong"] += 1
                examples.append(f"wrong: {folder}/{path.name}: {_title(path)} → {region.name}")
        total = sum(counts.values())
        print(f"| {folder} | {total} | {counts['right']} | {counts['wrong']} | {counts['unknown']} |")
    for example in examples:
        print(f"  {example}")
    plans = sorted((CORPUS / "五年规划").glob("*.md"))
    truths = {path: int(path.name[:4]) for path in plans}
    truths[CORPUS.parent / "national_13th_fyp_outline.md"] = 2016
    truths[CORPUS.parent / "national_1st_fyp_1953.md"] = 1953
    right = 0
    for path, start in truths.items():
        period = period_of_title(_title(path))
        right += period is not None and period[0] == start and period[1] == start + 4
        if period is None or period[0] != start:
            print(f"  period miss: {path.name}: {_title(path)} → {period}")
    print(f"periods from titles: {right}/{len(truths)} right")


if __name__ == "__main__":
    main()
