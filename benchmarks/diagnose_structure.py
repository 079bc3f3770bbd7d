"""Show, for one corpus document and variant, the truth headings the record missed and the
headings it found that are not in truth.

    python benchmarks/diagnose_structure.py 五年规划/1986-七五计划摘要.md md [--all]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import planparse  # noqa: E402
from planparse.emit import record_data  # noqa: E402
from tests.tools.corpus import documents, variants  # noqa: E402
from tests.tools.harness import _align, _norm_title, record_headings  # noqa: E402


def main() -> None:
    name, variant = sys.argv[1], sys.argv[2]
    document = next(d for d in documents() if d.name == name)
    item = next(v for v in variants(document) if v.name == variant)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{item.suffix}"
        path.write_text(item.text, encoding="utf-8")
        record = record_data(planparse.parse(path))
    found = record_headings(record)
    truth_keys = [(h.kind, h.number, _norm_title(h.title, item.damaged)) for h in item.headings]
    found_keys = [(k, n, _norm_title(t, item.damaged)) for k, n, t, _ in found]
    pairs = _align(truth_keys, found_keys)
    matched_truth = {i for i, _ in pairs}
    matched_found = {j for _, j in pairs}
    print("warnings:", [(w["code"], w["message"][:80]) for w in record["warnings"] if not w["code"].startswith("indicator")])
    print("missed:")
    for index, heading in enumerate(item.headings):
        if index not in matched_truth:
            print("  ", heading.kind, heading.number, heading.title[:40], heading.page)
    print("extra / different:")
    for index, key in enumerate(found):
        if index not in matched_found:
            print("  ", key[0], key[1], key[2][:40], key[3])
    if "--all" in sys.argv:
        for index, key in enumerate(found):
            print("  found", key)
    wrong_pages = [(item.headings[i].title[:20], item.headings[i].page, found[j][3]) for i, j in pairs if item.paged and item.headings[i].page != found[j][3]]
    if wrong_pages:
        print("wrong pages:", wrong_pages[:10], len(wrong_pages))


if __name__ == "__main__":
    main()
