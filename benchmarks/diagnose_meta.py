"""List the metadata (title, issuer, date) that differs from the corpus truth, per variant.

    python benchmarks/diagnose_meta.py [variant,variant]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.tools.corpus import documents, variants  # noqa: E402
from tests.tools.harness import _compact, extract_all, key, score_meta  # noqa: E402


def main() -> None:
    names = set(sys.argv[1].split(",")) if len(sys.argv) > 1 else {"md", "txt", "flat_short"}
    items = [item for document in documents() for item in variants(document) if item.name in names]
    records = extract_all(items)
    for item in items:
        record = records[key(item)]
        if isinstance(record, str):
            print(item.document.name, item.name, record)
            continue
        scores = score_meta(item, record)
        meta = item.document.meta
        truth = {"title": item.meta_title, "issuer": meta.issuer, "date": meta.date}
        for field, ok in scores.items():
            if ok is False:
                print(f"{item.document.name[:30]:30} {item.name:12} {field:6} truth={_compact(truth[field])!s:40} got={_compact(record['document'][field])}")


if __name__ == "__main__":
    main()
