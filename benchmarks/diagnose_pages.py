"""Glued page numbers of one damaged corpus variant: the truth marks, the removals, and the
ones missed or made wrongly, with context.

    python benchmarks/diagnose_pages.py 国家统计局年度统计/2015.md flat_short
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import planparse  # noqa: E402
from planparse.emit import record_data  # noqa: E402
from tests.tools.corpus import documents, variants  # noqa: E402


def main() -> None:
    name, variant = sys.argv[1], sys.argv[2]
    document = next(d for d in documents() if d.name == name)
    item = next(v for v in variants(document) if v.name == variant)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.txt"
        path.write_text(item.text, encoding="utf-8")
        record = record_data(planparse.parse(path))
    text = item.text
    removed = [(r["offset"], r["before"], r["after"], r["confidence"]) for r in record["repairs"] if r["kind"] == "page_number"]
    truth = dict(item.page_marks)
    hit = set()
    for offset, before, after, confidence in removed:
        inside = [mark for mark in truth if offset <= mark < offset + len(before)]
        if inside:
            hit.update(inside)
        else:
            print(f"WRONG  @{offset} {before}->{after} ({confidence}) …{text[max(0, offset - 12):offset + len(before) + 12]}…")
    for mark, digits in sorted(truth.items()):
        if mark not in hit:
            print(f"MISSED @{mark} page {digits}: …{text[max(0, mark - 12):mark]}[{digits}]{text[mark + len(digits):mark + len(digits) + 12]}…")
    print(f"{len(truth)} true marks, {len(removed)} removed, {len(hit)} right")
    print([ (w["code"], w["message"][:60]) for w in record["warnings"] if w["code"].startswith("page")][:8])


if __name__ == "__main__":
    main()
