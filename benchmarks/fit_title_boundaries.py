"""Fit the title-boundary model of flattened text from the corpus's marked headings.

In text whose line breaks were lost, a heading's title runs straight into the paragraph after it
(``一、2022年工作回顾2022年是…``, ``第一章发展环境“十一五”时期…``). The lawtext corpus marks its
headings (``#`` lines, bold lines, short labelled lines), so it shows where titles end: which
characters end a title, which characters open the text after it, and how long titles of each
kind are. This script counts them on the documents used for tuning (every fifth document is held
out, as in the harness) and writes ``src/planparse/data/title_boundaries.yaml``; the structure
stage reads it as a prior (see ``planparse.structure.titles``).

    python benchmarks/fit_title_boundaries.py
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.tools.corpus import documents  # noqa: E402

_STRIP = re.compile(r"[A-Za-z.%\[\]\s\u3000]")
MIN_COUNT = 3


def _clean(text: str) -> str:
    return _STRIP.sub("", text)


def main() -> None:
    ends1: Counter[str] = Counter()
    ends2: Counter[str] = Counter()
    starts1: Counter[str] = Counter()
    starts2: Counter[str] = Counter()
    background: Counter[str] = Counter()
    lengths: dict[str, Counter[int]] = {}
    documents_used = 0
    for document in documents():
        if document.held_out:
            continue
        documents_used += 1
        for line in document.lines:
            background.update(_clean(line))
        for heading in document.headings:
            title = _clean(heading.title)
            if not title or heading.line + 1 >= len(document.lines):
                continue
            body = _clean(document.lines[heading.line + 1])
            if not body:
                continue
            ends1[title[-1]] += 1
            starts1[body[0]] += 1
            if len(title) >= 2:
                ends2[title[-2:]] += 1
            if len(body) >= 2:
                starts2[body[:2]] += 1
            kind = "outline" if heading.kind.startswith("outline") else heading.kind
            lengths.setdefault(kind, Counter())[len(title)] += 1
    total = sum(background.values())
    data = {
        "source": (
            "Counted by benchmarks/fit_title_boundaries.py on the headings marked in "
            f"../shared/corpus/lawtext/ (lawtext/gov repository), {documents_used} documents used for tuning; "
            "every fifth document held out. Counts, not probabilities: the structure stage smooths them."
        ),
        "background_total": total,
        "background": {char: count for char, count in sorted(background.items()) if count >= MIN_COUNT},
        "title_ends": {char: count for char, count in sorted(ends1.items()) if count >= 1},
        "title_ends2": {pair: count for pair, count in sorted(ends2.items()) if count >= MIN_COUNT},
        "body_starts": {char: count for char, count in sorted(starts1.items()) if count >= 1},
        "body_starts2": {pair: count for pair, count in sorted(starts2.items()) if count >= MIN_COUNT},
        "lengths": {kind: {length: count for length, count in sorted(counter.items())} for kind, counter in sorted(lengths.items())},
    }
    out = ROOT / "src" / "planparse" / "data" / "title_boundaries.yaml"
    out.write_text("# " + data.pop("source") + "\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=True), encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}: {sum(ends1.values())} titles, {len(data['background'])} background characters")


if __name__ == "__main__":
    main()
