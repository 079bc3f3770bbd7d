"""Fit the title-end model of flattened text (``src/planparse/data/title_model.json``).

The corpus marks its headings, so it shows where titles end. Each document is rendered as
flattened, damaged text renders it (every line joined, whitespace, ASCII letters, ``. % [ ]``
stripped); each numbered heading's title starts after its label and may run as far as
:func:`planparse.structure.titles.window` allows; every end the punctuation allows is a
candidate, and a conditional logit model (a softmax over the candidates, L2-regularized) learns
weights for the features of :func:`planparse.structure.titles.features`.

Two passes, as :func:`planparse.structure.titles.decode` runs them: the first weighs each title
on its own; the second adds the document's style (the other titles of its kind, as the first
pass reads them: their length, clauses, headlines), so its weights are learned on the first
pass's own estimates, noise included.

Only the documents used for tuning are fitted (every fifth document is held out, as in the
harness), and only features seen at least ``MIN_COUNT`` times are kept.

    python benchmarks/fit_title_model.py            # fit, write the model, print both halves' accuracy
    python benchmarks/fit_title_model.py --evaluate # only print the accuracy of the shipped model
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planparse.structure import titles  # noqa: E402
from tests.tools.corpus import Document, _strip, documents  # noqa: E402

MIN_COUNT = 3
L2 = 0.002
# The L2 penalty of a kind group's copy of a feature (``section|end_word:结构``,
# planparse.structure.titles._by_group) as a multiple of L2: a group departs from the shared
# weight only where its own titles show it clearly.
GROUP_L2 = 2.0
_GROUPS = frozenset({"outline", "part", "chapter", "section"})
EPOCHS = 400
FOLDS = 5
VERBOSE = False
DROP: tuple[str, ...] = ()  # feature families left out (--drop, for ablations)
RATE = 0.05
_SEPARATORS = " \t\u3000：:、.．"


class CorpusRates:
    """Boundary counts of the tuned documents' running text (their own punctuation and line
    ends), and the bands :func:`planparse.structure.titles.rate_bucket` makes of them; ``leave``
    leaves one document's own counts out (a document's titles must not vouch for themselves)."""

    def __init__(self, documents_: Sequence[Document]) -> None:
        self.total: dict[str, Counter[str]] = defaultdict(Counter)
        self.own: dict[str, dict[str, Counter[str]]] = {}
        for document in documents_:
            counts = _boundary_counts(document)
            self.own[document.name] = counts
            for name, counter in counts.items():
                self.total[name].update(counter)
        self.left_out: dict[str, Counter[str]] | None = None
        # Each heading title (numbered headings, as flattened text prints them) → its documents.
        self.titles: dict[str, set[str]] = defaultdict(set)
        for document in documents_:
            for heading in document.headings:
                if heading.kind != "unnumbered" and _strip(heading.title):
                    self.titles[titles.normal_title(_strip(heading.title))].add(document.name)
        self.left_name: str | None = None
        # Each known title → the documents with a heading title that runs on past it.
        self.longer: dict[str, set[str]] = defaultdict(set)
        known = {title for title, names in self.titles.items() if len(names) >= titles.MIN_KNOWN}
        for title, names in self.titles.items():
            for cut in range(2, len(title)):
                if title[:cut] in known:
                    self.longer[title[:cut]].update(names)

    def leave(self, name: str | None) -> CorpusRates:
        self.left_out = self.own.get(name) if name else None
        self.left_name = name
        return self

    def known(self, title: str) -> int:
        found = self.titles.get(title)
        if not found:
            return 0
        return len(found) - (self.left_name in found)

    def extended(self, title: str) -> int:
        found = self.longer.get(title)
        if not found:
            return 0
        return len(found) - (self.left_name in found)

    def extended_titles(self) -> dict[str, int]:
        """The shipped lexicon's runs past a known title: per known title, the documents."""
        return {title: len(names) for title, names in sorted(self.longer.items())}

    def known_titles(self) -> dict[str, int]:
        """The shipped lexicon: the titles of at least ``titles.MIN_KNOWN`` documents."""
        return {title: len(names) for title, names in sorted(self.titles.items()) if len(names) >= titles.MIN_KNOWN}

    def bucket(self, table: str, key: str) -> int | None:
        found = self._band(table, key)
        if found is None and len(key) == 2 and not table.startswith("cross"):
            return self._band(table, key[-1] if table.startswith("end") else key[0])
        return found

    def _band(self, table: str, key: str) -> int | None:
        seen_table = "seen_" + table.removesuffix("_any")
        boundaries, seen = self.total[table][key], self.total[seen_table][key]
        if self.left_out is not None:
            boundaries -= self.left_out[table][key]
            seen -= self.left_out[seen_table][key]
        return titles.rate_bucket(boundaries, seen)

    def tables(self) -> dict[str, list[str]]:
        """The shipped form: per direction (end, start), the keys joined by |, then the bands of
        the plain and the _any table as digits (- for none); a pair whose bands equal its
        back-off character's is left out (the back-off answers for it)."""
        result = {}
        for direction in ("end", "start", "cross"):
            keys, plain, any_ = [], [], []
            for key in sorted(self.total[f"seen_{direction}"]):
                bands = (self._band(direction, key), self._band(f"{direction}_any", key))
                if "|" in key or bands == (None, None):
                    continue
                if len(key) == 2 and direction != "cross":
                    back = key[-1] if direction == "end" else key[0]
                    if bands == (self._band(direction, back), self._band(f"{direction}_any", back)):
                        continue
                keys.append(key)
                plain.append("-" if bands[0] is None else str(bands[0]))
                any_.append("-" if bands[1] is None else str(bands[1]))
            result[direction] = ["|".join(keys), "".join(plain), "".join(any_)]
        return result


def _boundary_counts(document: Document) -> dict[str, Counter[str]]:
    """Per character pair and single character: how often it ends a stretch of text
    (``seen_end``) and is followed there by a sentence end or line end (``end``) or by any mark
    (``end_any``: ，、： too); how often it opens one (``seen_start``) after such a boundary
    (``start``, ``start_any``)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    marks = titles.STRONG_MARKS | titles.WEAK_MARKS
    previous = ""
    for line in document.lines[document.body_line :]:
        text = _strip(line)
        _cross_counts(counts, previous, text, marks)
        if text:
            previous = text
        for index, char in enumerate(text):
            if char in marks:
                continue
            after = text[index + 1] if index + 1 < len(text) else "$"
            before = text[index - 1] if index > 0 else "$"
            keys_end = [char] + ([before + char] if before != "$" and before not in marks else [])
            keys_start = [char] + ([char + after] if after != "$" and after not in marks else [])
            for key in keys_end:
                counts["seen_end"][key] += 1
                counts["end"][key] += after == "$" or after in titles.STRONG_MARKS
                counts["end_any"][key] += after == "$" or after in marks
            for key in keys_start:
                counts["seen_start"][key] += 1
                counts["start"][key] += before == "$" or before in titles.STRONG_MARKS
                counts["start_any"][key] += before == "$" or before in marks
    return counts


def _cross_counts(counts: dict[str, Counter[str]], previous: str, text: str, marks: set[str]) -> None:
    """Per pair of characters next to each other in running text, once the marks between them
    are dropped (步伐加快, 快。在 → 快在): how often they meet (``seen_cross``) and how often a
    sentence end or a line end (``cross``) or any mark (``cross_any``) stands between them. A
    title's end is such a boundary: 步伐|加快 cuts a pair that running text never parts."""
    last = previous[-1] if previous and previous[-1] not in marks else ""
    between = "\n" if last else ""
    for char in text:
        if char in marks:
            between += char
            continue
        if last:
            key = last + char
            counts["seen_cross"][key] += 1
            counts["cross"][key] += any(mark in titles.STRONG_MARKS or mark == "\n" for mark in between)
            counts["cross_any"][key] += bool(between)
        last, between = char, ""


@dataclass(frozen=True)
class Example:
    document: str
    document_kind: str
    held_out: bool
    query: titles.TitleQuery
    truth: int  # the true end


def flattened(document: Document) -> tuple[str, list[Example]]:
    """The document as flattened text, and one example per numbered heading."""
    head = "".join(_strip(line) for line in document.lines[: document.body_line])
    starts: dict[int, int] = {}
    position = len(head)
    pieces = [head]
    for index in range(document.body_line, len(document.lines)):
        starts[index] = position
        piece = _strip(document.lines[index])
        pieces.append(piece)
        position += len(piece)
    text = "".join(pieces)
    found = []
    for heading in document.headings:
        if heading.kind == "unnumbered" or heading.line not in starts:
            continue
        label, title = _strip(heading.label), _strip(heading.title)
        at = starts[heading.line]
        if not title or not text.startswith(label, at):
            continue
        start = at + len(label)
        while start < len(text) and text[start] in _SEPARATORS:
            start += 1
        if not text.startswith(title, start):
            continue
        stop, structural = titles.window(text, start, len(text), kind=heading.kind)
        found.append(Example(document.name, document.kind, document.held_out,
                             titles.TitleQuery(start, stop, heading.kind, structural), start + len(title)))
    return text, found


def corpus() -> list[tuple[str, list[Example]]]:
    return [flattened(document) for document in documents()]


def design(text: str, examples: Sequence[Example], style: dict[int, titles.Style] | None, rates: titles.Rates | None
           ) -> list[tuple[list[list[str]], int] | None]:
    """Per example: the feature names of each candidate end and the index of the true one (None
    where the layout decides the title or the true end is no candidate)."""
    rows: list[tuple[list[list[str]], int] | None] = []
    for index, example in enumerate(examples):
        query = example.query
        if titles.decided(text, query):
            rows.append(None)
            continue
        candidates = titles.candidates(text, query, None if style is None else style.get(index), rates)
        ends = [end for end, _ in candidates]
        kept = [[name for name in names if not name.startswith(DROP)] for _, names in candidates] if DROP else \
            [names for _, names in candidates]
        rows.append((kept, ends.index(example.truth)) if example.truth in ends else None)
    return rows


def fit(data: Sequence[tuple[list[list[str]], int]], *, l2: float = L2, min_count: int = MIN_COUNT,
        epochs: int | None = None) -> dict[str, float]:
    counts = Counter(name for candidates, _ in data for names in candidates for name in names)
    vocabulary = sorted(name for name, count in counts.items() if count >= min_count)
    index = {name: position for position, name in enumerate(vocabulary)}
    indices: list[int] = []
    row_starts: list[int] = [0]
    group_starts: list[int] = [0]
    truth_rows: list[int] = []
    for candidates, truth in data:
        truth_rows.append(group_starts[-1] + truth)
        for names in candidates:
            indices.extend(index[name] for name in names if name in index)
            row_starts.append(len(indices))
        group_starts.append(group_starts[-1] + len(candidates))
    ids = np.array(indices, dtype=np.int64)
    lengths = np.diff(np.array(row_starts))
    owner = np.repeat(np.arange(len(lengths)), lengths)
    groups = np.repeat(np.arange(len(data)), np.diff(np.array(group_starts)))
    truth_ids = np.array(truth_rows)
    truth_features = np.bincount(np.concatenate([ids[row_starts[row] : row_starts[row + 1]] for row in truth_rows]),
                                 minlength=len(vocabulary))
    weights = np.zeros(len(vocabulary))
    penalty = l2 * np.array([GROUP_L2 if name.partition("|")[0] in _GROUPS else 1.0 for name in vocabulary])
    first_moment = np.zeros_like(weights)
    second_moment = np.zeros_like(weights)
    for step in range(1, (epochs or EPOCHS) + 1):
        scores = np.bincount(owner, weights=weights[ids], minlength=len(lengths))
        top = np.full(len(data), -np.inf)
        np.maximum.at(top, groups, scores)
        exp = np.exp(scores - top[groups])
        mass = np.bincount(groups, weights=exp, minlength=len(data))
        probabilities = exp / mass[groups]
        expected = np.bincount(ids, weights=probabilities[owner], minlength=len(vocabulary))
        gradient = (expected - truth_features) / len(data) + penalty * weights
        if VERBOSE and step % 100 == 0:
            loss = -np.log(probabilities[truth_ids]).mean() + 0.5 * float(penalty @ (weights * weights))
            print(f"   step {step}: loss {loss:.4f}")
        first_moment = 0.9 * first_moment + 0.1 * gradient
        second_moment = 0.999 * second_moment + 0.001 * gradient * gradient
        weights -= RATE * (first_moment / (1 - 0.9**step)) / (np.sqrt(second_moment / (1 - 0.999**step)) + 1e-8)
    return {name: round(float(weight), 3) for name, weight in zip(vocabulary, weights, strict=True) if abs(weight) >= 0.01}


def evaluate(documents_: Sequence[tuple[str, list[Example]]], model: titles.Model, rates: CorpusRates | None = None
             ) -> dict[tuple[bool, str, str], list[int]]:
    """(held out, document kind, heading kind) → [right, total] of the full decoding (a tuned
    document is read with the boundary rates of the others)."""
    tally: dict[tuple[bool, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for text, examples in documents_:
        if not examples:
            continue
        own = rates.leave(examples[0].document) if rates is not None else None
        ends = titles.decode(text, [example.query for example in examples], model=model, rates=own)
        for example, end in zip(examples, ends, strict=True):
            cell = tally[(example.held_out, example.document_kind, titles.kind_group(example.query.kind))]
            cell[0] += end.end == example.truth
            cell[1] += 1
            CONFIDENCES.append((example.held_out, end.probability, end.end == example.truth))
    return tally


CONFIDENCES: list[tuple[bool, float, bool]] = []  # (held out, probability, right) of every decoded title


def reliability(held: bool) -> None:
    pairs = [(probability, right) for held_out, probability, right in CONFIDENCES if held_out == held]
    if not pairs:
        return
    print(f"   reliability ({'held-out' if held else 'cross-validated/tuned'}): probability band, titles, right")
    for low, high in ((0, 0.5), (0.5, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 0.99), (0.99, 1.01)):
        chosen = [right for probability, right in pairs if low <= probability < high]
        if chosen:
            print(f"     {low:.2f}–{min(high, 1):.2f}: {len(chosen)}, {100 * sum(chosen) / len(chosen):.1f}%")


def report(tally: dict[tuple[bool, str, str], list[int]]) -> None:
    for held in (False, True):
        rows = {key: value for key, value in tally.items() if key[0] == held}
        right = sum(value[0] for value in rows.values())
        total = sum(value[1] for value in rows.values())
        print(f"{'held-out' if held else 'tuned'}: {right}/{total} ({100 * right / max(total, 1):.1f}%)")
        for (_, kind, group), (r, t) in sorted(rows.items()):
            print(f"   {kind:12s} {group:9s} {r}/{t} ({100 * r / max(t, 1):.1f}%)")


Rows = list[tuple[list[list[str]], int]]


def _rows(documents_: Sequence[tuple[str, list[Example]]], rates: CorpusRates,
          style_of: dict[int, dict[int, titles.Style]] | None = None) -> Rows:
    return [row for number, (text, examples) in enumerate(documents_)
            for row in design(text, examples, None if style_of is None else style_of.get(number, {}),
                              rates.leave(examples[0].document))
            if row is not None]


def train(documents_: Sequence[tuple[str, list[Example]]], rates: CorpusRates, args: argparse.Namespace) -> titles.Model:
    """Pass 1 on the documents; with ``args.joint`` pass 2 on the document style as a pass 1
    fitted without the document reads it (cross-fitting in ``args.folds`` folds, so that the
    reading is as noisy as on a document the model never saw)."""
    first = fit(_rows(documents_, rates), l2=args.l2, min_count=args.min_count)
    if not args.joint:
        return titles.Model(first, {})
    style_of: dict[int, dict[int, titles.Style]] = {}
    for fold in range(args.folds):
        rest = [item for number, item in enumerate(documents_) if number % args.folds != fold]
        reader = titles.Model(fit(_rows(rest, rates), l2=args.l2, min_count=args.min_count), {})
        for number, (text, examples) in enumerate(documents_):
            if number % args.folds == fold:
                style_of[number] = titles.styles(text, [example.query for example in examples], reader,
                                                 rates.leave(examples[0].document))
    second = fit(_rows(documents_, rates, style_of), l2=args.l2, min_count=args.min_count)
    return titles.Model(first, second)


def cross_validate(tuned: Sequence[tuple[str, list[Example]]], rates: CorpusRates, args: argparse.Namespace) -> None:
    """The model's accuracy on each fold of the tuned half, fitted on the other folds."""
    right = total = 0
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for fold in range(args.cv):
        model = train([item for index, item in enumerate(tuned) if index % args.cv != fold], rates, args)
        test = [(text, examples) for index, (text, examples) in enumerate(tuned) if index % args.cv == fold]
        for (_, kind, _group), (r, t) in evaluate(test, model, rates).items():
            right, total = right + r, total + t
            by_kind[kind][0] += r
            by_kind[kind][1] += t
    print(f"cross-validated ({args.cv} folds): {right}/{total} ({100 * right / max(total, 1):.1f}%)  " +
          "  ".join(f"{kind} {r}/{t} ({100 * r / max(t, 1):.1f}%)" for kind, (r, t) in sorted(by_kind.items())))
    reliability(False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--evaluate", action="store_true", help="only evaluate the shipped model")
    parser.add_argument("--no-write", action="store_true", help="fit and evaluate, do not write the model")
    parser.add_argument("--verbose", action="store_true", help="also print the first pass's accuracy")
    parser.add_argument("--no-joint", dest="joint", action="store_false", help="one pass (no document style)")
    parser.add_argument("--l2", type=float, default=L2)
    parser.add_argument("--epochs", type=int, default=400)
    parser.add_argument("--trace", action="store_true", help="print the loss while fitting")
    parser.add_argument("--drop", default="", help="comma-separated feature prefixes to leave out")
    parser.add_argument("--cv", type=int, default=0, help="cross-validate the first pass over the tuned half in K folds")
    parser.add_argument("--min-count", type=int, default=MIN_COUNT)
    parser.add_argument("--folds", type=int, default=FOLDS, help="cross-fitting folds of the first pass for the second")
    args = parser.parse_args()
    rendered = corpus()
    if args.evaluate:
        report(evaluate(rendered, titles.model()))
        reliability(True)
        return
    tuned = [(text, [example for example in examples if not example.held_out]) for text, examples in rendered]
    tuned = [(text, examples) for text, examples in tuned if examples]
    rates = CorpusRates([document for document in documents() if not document.held_out])
    global DROP, EPOCHS, VERBOSE
    DROP = tuple(prefix for prefix in args.drop.split(",") if prefix)
    EPOCHS = args.epochs
    VERBOSE = args.trace

    def own(examples: Sequence[Example]) -> CorpusRates:
        return rates.leave(examples[0].document)

    if args.cv:
        cross_validate(tuned, rates, args)
        return
    model = train(tuned, rates, args)
    first_rows = _rows(tuned, rates)
    if args.verbose and args.joint:
        print("first pass alone:")
        report(evaluate(rendered, titles.Model(model.weights, {}), rates))
        print("both passes:")
    CONFIDENCES.clear()
    report(evaluate(rendered, model, rates))
    reliability(True)
    if args.no_write:
        return
    out = ROOT / "src" / "planparse" / "data" / "title_model.json"
    out.write_text(json.dumps({
        "source": "Fitted by benchmarks/fit_title_model.py on the headings marked in ../shared/corpus/lawtext/ "
                  "(lawtext/gov repository, every fifth document held out), rendered flattened and damaged; "
                  "conditional logit weights of planparse.structure.titles.features: 'weights' for each title "
                  "on its own, 'joint' with the document's style (see planparse.structure.titles.decode).",
        "examples": len(first_rows),
        "weights": dict(sorted(model.weights.items())),
        "joint": dict(sorted(model.joint.items())),
    }, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}: {len(model.weights)} + {len(model.joint)} weights from {len(first_rows)} titles")
    boundaries = ROOT / "src" / "planparse" / "data" / "title_boundaries.json"
    rates.leave(None)
    boundaries.write_text(json.dumps({
        "source": "Counted by benchmarks/fit_title_model.py in the running text of the tuned half of "
                  "../shared/corpus/lawtext/ (every fifth document held out), stripped as damaged text is: per "
                  "character pair (and single character), the band of planparse.structure.titles.rate_bucket of "
                  "how often it ends a sentence or line (end, end_any with clause marks) or opens one (start, "
                  "start_any) and how often running text parts two neighbouring characters (cross, cross_any). Each "
                  "table: its keys joined by |, then their bands as digits. 'titles': the heading titles (digit runs "
                  "as #) of at least two of those documents, with how many documents have them; 'extended': for "
                  "each, how many documents have a heading title that runs on past it.",
        "tables": rates.tables(),
        "titles": rates.known_titles(),
        "extended": rates.extended_titles(),
    }, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {boundaries.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
