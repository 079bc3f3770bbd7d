"""The corpus harness: extract every variant of every corpus document and compare with its truth.

Used by ``tests/corpus/test_structure.py`` (slow) and ``benchmarks/bench_structure.py`` (prints
the tables). Records are compared as plain data (the JSON form), so the harness tests what users
get.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .corpus import Document, Heading, Variant, damaged_title, variants

# Warnings that tell a reader the structure may be incomplete.
STRUCTURE_WARNINGS = re.compile(r"^(heading_|toc_|structure_|section_without_chapter)")
# Warnings that tell a reader the page numbers (and so the headings' pages) may be incomplete.
PAGE_WARNINGS = re.compile(r"^(page_missing|page_chain_rejected|page_number_uncertain)$")
_KIND_OF_LEVEL = {"part": "part", "chapter": "chapter", "section": "section"}


def _extract(job: tuple[str, str]) -> tuple[str, dict[str, Any] | str]:
    path, name = job
    import planparse
    from planparse.emit import record_data
    from planparse.errors import PlanparseError

    try:
        return name, record_data(planparse.parse(Path(path)))
    except PlanparseError as error:
        return name, f"error: {error}"


def extract_all(items: Sequence[Variant], workers: int | None = None) -> dict[str, dict[str, Any] | str]:
    """Extract every variant (in worker processes); the record's data or an error string per key."""
    workers = workers or min(2, os.cpu_count() or 1)
    with tempfile.TemporaryDirectory(prefix="planparse-harness-") as folder:
        jobs = []
        for index, item in enumerate(items):
            path = Path(folder) / f"{index:04d}_{item.name}{item.suffix}"
            path.write_text(item.text, encoding="utf-8")
            jobs.append((str(path), key(item)))
        with ProcessPoolExecutor(workers) as pool:
            return dict(pool.map(_extract, jobs, chunksize=4))


def key(item: Variant) -> str:
    return f"{item.document.name}::{item.name}"


# ------------------------------------------------------------------ headings


def _norm_title(title: str, damaged: bool) -> str:
    title = re.sub(r"[\s\u3000]+", "", title)
    if damaged:
        title = damaged_title(title)
    return title.strip("。：:；;，,、.．")


def record_headings(record: dict[str, Any]) -> list[tuple[str, int | None, str, int | None]]:
    """(kind, number, title, page) of every heading the record gives, in document order."""
    if "headings" in record:
        return [(h["kind"], h["number"], h["title"], h["page"]) for h in record["headings"]]
    found: list[tuple[int, tuple[str, int | None, str, int | None]]] = []
    numbering = record["document"]["numbering"]
    outline = numbering in ("outline", "outline_part")
    for part in record["parts"]:
        found.append((part["offset"], ("part", part["number"], part["title"], part["page"])))
    for chapter in record["chapters"]:
        kind = ("part" if numbering == "outline_part" else "outline1") if outline else "chapter"
        found.append((chapter["offset"], (kind, chapter["number"], chapter["title"], chapter["page"])))
        for section in chapter["sections"]:
            kind = ("outline1" if numbering == "outline_part" else "outline2") if outline else "section"
            found.append((section["offset"], (kind, section["number"], section["title"], section["page"])))
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def _align(truth: Sequence[tuple[Any, ...]], found: Sequence[tuple[Any, ...]]) -> list[tuple[int, int]]:
    """Longest common subsequence of the two key lists: the matched (truth, found) index pairs."""
    n, m = len(truth), len(found)
    if n * m > 4_000_000:
        return []
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = table[i], table[i + 1]
        for j in range(m - 1, -1, -1):
            row[j] = below[j + 1] + 1 if truth[i] == found[j] else max(below[j], row[j + 1])
    pairs = []
    i = j = 0
    while i < n and j < m:
        if truth[i] == found[j]:
            pairs.append((i, j))
            i += 1
            j += 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


@dataclass
class HeadingScore:
    truth: int
    found: int
    right: int  # level, number, title (and page where the variant has pages) all right
    right_ignoring_page: int
    missing: list[Heading] = field(default_factory=list)
    warned: bool = False


def score_headings(item: Variant, record: dict[str, Any]) -> HeadingScore:
    truth = item.headings
    found = record_headings(record)
    truth_keys = [(h.kind, h.number, _norm_title(h.title, item.damaged)) for h in truth]
    found_keys = [(kind, number, _norm_title(title, item.damaged)) for kind, number, title, _ in found]
    pairs = _align(truth_keys, found_keys)
    right = sum(1 for i, j in pairs if not item.paged or truth[i].page == found[j][3])
    matched = {i for i, _ in pairs}
    warned = any(STRUCTURE_WARNINGS.match(w["code"]) for w in record["warnings"])
    if not warned and item.paged and len(pairs) >= 0.95 * len(truth):
        # Only pages are wrong (level, number and title right): a record that says pages are
        # missing (page_missing) says its headings' pages may be off.
        warned = any(PAGE_WARNINGS.match(w["code"]) for w in record["warnings"])
    return HeadingScore(len(truth), len(found), right, len(pairs),
                        [h for index, h in enumerate(truth) if index not in matched], warned)


# ------------------------------------------------------------------ metadata


def _compact(text: str | None) -> str | None:
    return re.sub(r"[\s\u3000]+", "", text) if text else None


def score_meta(item: Variant, record: dict[str, Any]) -> dict[str, bool | None]:
    document = record["document"]
    meta = item.document.meta
    title = _compact(item.meta_title)
    if item.damaged and title:
        title = damaged_title(title)
    got = _compact(document["title"])
    return {
        "title": None if title is None else got == title,
        "issuer": None if meta.issuer is None else _compact(document["issuer"]) in (meta.issuer, damaged_title(meta.issuer)),
        "date": None if meta.date is None else document["date"] == meta.date,
    }


# ------------------------------------------------------------------ pages and harm

_DIGITS = re.compile(r"[0-9]+")


def page_removals(item: Variant, record: dict[str, Any]) -> list[tuple[float, bool]]:
    """(confidence, right) of every page-number removal of a damaged variant."""
    truth = {offset for offset, _ in item.page_marks}
    result = []
    for repair in record["repairs"]:
        if repair["kind"] != "page_number":
            continue
        # A repair cites the digit run it cut the page number from; the mark lies inside it.
        start, end = repair["offset"], repair["offset"] + len(repair["before"])
        result.append((repair["confidence"], any(start <= mark < end for mark in truth)))
    return result


def score_pages(item: Variant, record: dict[str, Any]) -> tuple[int, int, int]:
    """(true marks, removals, correct removals) of glued page numbers."""
    removals = page_removals(item, record)
    return len(item.page_marks), len(removals), sum(1 for _, right in removals if right)


def record_strings(record: dict[str, Any]) -> Iterable[str]:
    for key in ("front_matter", "preamble"):
        for paragraph in record.get(key, ()):
            yield paragraph["text"]
    for part in record["parts"]:
        yield part["title"]
        for paragraph in part.get("paragraphs", ()):
            yield paragraph["text"]
    for chapter in record["chapters"]:
        yield chapter["title"]
        for paragraph in chapter["paragraphs"]:
            yield paragraph["text"]
        for section in chapter["sections"]:
            yield section["title"]
            for paragraph in section["paragraphs"]:
                yield paragraph["text"]
    for box in record["boxes"]:
        yield f"{box['number']} {box['title']}"
        yield box["text"]
    for figure in record["figures"]:
        yield f"{figure['number']} {figure['title']}"
    for heading in record.get("headings", ()):
        yield heading["title"]
    for table in record.get("tables", ()):
        yield f"{table.get('table') or ''} {table['title']}"
        yield " ".join(table.get("notes", ()))
        for column in table.get("columns", ()):
            yield column["path"]
        for row in table.get("rows", ()):
            yield row["label"]
            for cell in row["cells"]:
                if not cell.get("merged"):
                    yield cell["text"]
    for entry in record["toc"]:
        yield f"{entry['title']} {entry['page'] or ''}"
    document = record["document"]
    for value in (document["title"], document["issuer"], document.get("label")):
        if value:
            yield value


_FOOTER_LINE = re.compile(r"^— \d+ —$", re.M)
_GLUED_CAPTION = re.compile(r"(表\d{1,2}?)((?:19|20)\d{2}年)")


def page_repairs_beyond_footers(item: Variant, record: dict[str, Any]) -> int:
    """Page-number repairs of a clean variant beyond the footer lines it prints (— 12 —, which
    are removed by right): on clean text every other page repair is harm."""
    repairs = sum(1 for repair in record["repairs"] if repair["kind"] == "page_number")
    return max(0, repairs - len(_FOOTER_LINE.findall(item.text)))


def digits_lost(item: Variant, record: dict[str, Any]) -> int:
    """Digit runs of the input's text (markup aside) that appear nowhere in the record's text."""
    from collections import Counter

    text = re.sub(r"\A---\n.*?\n---\n", "", item.text, flags=re.S)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)|<[^>]+>|\]\([^)]*\)", " ", text)
    text = _FOOTER_LINE.sub("", text)  # a printed page footer (— 12 —) is furniture, rightly removed
    # Full-width digits (１４) are read as the same digits (14): a canonical form, not a change.
    text = text.translate({cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)})
    # A caption printed without its space (表102014年…) is the label 表10 and a title from 2014年: the
    # record keeps both, apart (the year after 表N is 19xx or 20xx followed by 年, so the cut is certain);
    # the record's text is read the same way (a caption left in a paragraph).
    text = _GLUED_CAPTION.sub(r"\1 \2", text)
    wanted = Counter(_DIGITS.findall(text))
    have = Counter(_DIGITS.findall(_GLUED_CAPTION.sub(r"\1 \2", "\n".join(record_strings(record)))))
    for table in record["indicators"]:
        # The row's name as printed (新增220千伏及以上变电设备), its note, and each cell's raw digits.
        have.update(_DIGITS.findall(f"{table.get('indicator_raw') or ''} {table.get('note') or ''}"))
        for cell in table["cells"]:
            have.update(_DIGITS.findall(cell["raw"] or ""))
    return sum(max(0, count - have.get(digits, 0)) for digits, count in wanted.items())


# ------------------------------------------------------------------ the whole run


@dataclass
class VariantTally:
    docs: int = 0
    rejected: list[str] = field(default_factory=list)
    truth: int = 0
    found: int = 0
    right: int = 0
    right_ignoring_page: int = 0
    silent: list[str] = field(default_factory=list)  # docs missing > 5% of headings without a warning
    titles: list[bool] = field(default_factory=list)
    issuers: list[bool] = field(default_factory=list)
    dates: list[bool] = field(default_factory=list)
    page_truth: int = 0
    page_removed: int = 0
    page_correct: int = 0
    page_repairs_on_clean: int = 0
    digits_lost: int = 0
    page_confidences: list[tuple[float, bool]] = field(default_factory=list)
    worst: list[tuple[float, str]] = field(default_factory=list)


def run(documents: Sequence[Document], *, names: set[str] | None = None, workers: int | None = None
        ) -> dict[tuple[str, str], VariantTally]:
    """Tallies per (document kind, variant name)."""
    items = [item for document in documents for item in variants(document) if names is None or item.name in names]
    records = extract_all(items, workers)
    tallies: dict[tuple[str, str], VariantTally] = defaultdict(VariantTally)
    for item in items:
        tally = tallies[(item.document.kind, item.name)]
        tally.docs += 1
        record = records[key(item)]
        if isinstance(record, str):
            tally.rejected.append(f"{item.document.name}: {record}")
            tally.truth += len(item.headings)
            if item.headings:
                tally.silent.append(f"{item.document.name} (rejected)")
            continue
        score = score_headings(item, record)
        tally.truth += score.truth
        tally.found += score.found
        tally.right += score.right
        tally.right_ignoring_page += score.right_ignoring_page
        if score.truth and score.right < 0.95 * score.truth and not score.warned:
            tally.silent.append(f"{item.document.name} ({score.right}/{score.truth})")
        if score.truth:
            tally.worst.append((score.right / score.truth, item.document.name))
        meta = score_meta(item, record)
        for name, values in (("title", tally.titles), ("issuer", tally.issuers), ("date", tally.dates)):
            if meta[name] is not None:
                values.append(bool(meta[name]))
        if item.damaged:
            tally.page_confidences.extend(page_removals(item, record))
            truth, removed, correct = score_pages(item, record)
            tally.page_truth += truth
            tally.page_removed += removed
            tally.page_correct += correct
        else:
            tally.page_repairs_on_clean += page_repairs_beyond_footers(item, record)
            tally.digits_lost += digits_lost(item, record)
    return dict(tallies)


def reliability(pairs: Sequence[tuple[float, bool]], bins: int = 10) -> tuple[float, list[tuple[str, int, float, float]]]:
    """Expected calibration error and the reliability table (bin, count, mean confidence, share right)."""
    rows = []
    error = 0.0
    for index in range(bins):
        low, high = index / bins, (index + 1) / bins
        chosen = [(c, r) for c, r in pairs if low <= c < high or (index == bins - 1 and c == 1.0)]
        if not chosen:
            continue
        confidence = sum(c for c, _ in chosen) / len(chosen)
        accuracy = sum(1 for _, r in chosen if r) / len(chosen)
        error += len(chosen) / len(pairs) * abs(confidence - accuracy)
        rows.append((f"{low:.1f}–{high:.1f}", len(chosen), confidence, accuracy))
    return error, rows


def table(tallies: dict[tuple[str, str], VariantTally]) -> str:
    """The figures as a Markdown table, one row per (kind, variant)."""
    lines = ["| kind | variant | docs | rejected | headings right | found | silent | title | issuer | date |"
             " pages P / R | clean: page repairs, digits lost |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]

    def share(values: list[bool]) -> str:
        return f"{sum(values)}/{len(values)}" if values else "–"

    for (kind, name), tally in sorted(tallies.items()):
        right = f"{tally.right}/{tally.truth} ({100 * tally.right / max(tally.truth, 1):.1f}%)"
        pages = (f"{100 * tally.page_correct / max(tally.page_removed, 1):.1f}% / "
                 f"{100 * tally.page_correct / max(tally.page_truth, 1):.1f}%") if tally.page_truth else (
                 f"{tally.page_removed} removed" if tally.page_removed else "–")
        clean = f"{tally.page_repairs_on_clean}, {tally.digits_lost}" if not tally.page_truth else "–"
        lines.append(f"| {kind} | {name} | {tally.docs} | {len(tally.rejected)} | {right} | {tally.found} | "
                     f"{len(tally.silent)} | {share(tally.titles)} | {share(tally.issuers)} | {share(tally.dates)} | "
                     f"{pages} | {clean} |")
    # Page numbers over every document kind of each damaged variant (the figure).
    for name in sorted({name for _, name in tallies}):
        paged = [tally for (_, other), tally in tallies.items() if other == name and tally.page_truth]
        if len(paged) < 2:
            continue
        removed, correct, truth = (sum(getattr(tally, field) for tally in paged)
                                   for field in ("page_removed", "page_correct", "page_truth"))
        lines.append(f"| all kinds | {name} | {sum(tally.docs for tally in paged)} | | | | | | | | "
                     f"{100 * correct / max(removed, 1):.1f}% / {100 * correct / max(truth, 1):.1f}% | – |")
    return "\n".join(lines)
