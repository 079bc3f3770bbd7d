"""Where a heading's title ends in flattened text (no line break, no TOC to tell).

``一、2022年工作回顾2022年是…``: the title runs into the paragraph after it. Every place the title
could end is described by a few features — the characters on either side of the cut, the title's
length for its kind, whether the cut falls between two words (jieba), commas and digit runs
inside the title, the two parallel clauses of a report's heading, a sentence end right after it —
and a conditional logit model gives each place a probability (``data/title_model.json``, fitted by
``benchmarks/fit_title_model.py`` on the headings the corpus marks, with every fifth document held
out). Punctuation rules out what cannot be (a title holds no sentence end, the text after it never
opens with a comma, quotes and brackets stay balanced). The most probable place wins; its
probability says whether the title is sure.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

_MAX_TITLE = 40
# A title is "sure" when the model gives its end at least this probability.
SURE_PROBABILITY = 0.8
_CLOSE = {"“": "”", "（": "）", "《": "》", "(": ")", "‘": "’", "【": "】"}
_NEVER_OPENS = set("，、；：。）》”’】,;:)!?！？")
_SENTENCE_END = set("。！？；")
_MAX_HEADLINE = 24


def _balanced(title: str) -> bool:
    return all(title.count(opening) == title.count(closing) for opening, closing in _CLOSE.items())


def _opens_headline(text: str, end: int) -> bool:
    """Does a short headline sentence (加强湿地保护。) start at ``end``?"""
    for index in range(end, min(len(text), end + _MAX_HEADLINE + 1)):
        char = text[index]
        if char in _SENTENCE_END:
            return index - end >= 2
        if char in "，、；：,;:":
            return False
    return False


def word_ends(text: str, start: int, stop: int) -> set[int]:
    """Offsets in ``[start, stop]`` where a jieba word ends (a title rarely ends mid-word)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    ends = {start}
    position = start
    for word in jieba.cut(text[start : min(len(text), stop + 4)], HMM=False):
        position += len(word)
        ends.add(position)
    return ends


def kind_group(kind: str) -> str:
    return "outline" if kind.startswith("outline") else kind


def candidate_ends(text: str, start: int, limit: int) -> Iterator[int]:
    """Every end the punctuation allows for a title starting at ``start``."""
    stop = min(limit, start + _MAX_TITLE, len(text))
    for end in range(start + 1, stop + 1):
        title = text[start:end]
        if title[-1] in _SENTENCE_END:
            return  # a sentence end closes the title (it is not part of it)
        if title[-1] in _CLOSE or not _balanced(title):
            continue
        following = text[end] if end < len(text) else ""
        if following in _NEVER_OPENS and following not in _SENTENCE_END:
            continue  # (a sentence end right after the title is a headline's: 经济运行稳中有进。…)
        yield end


_LENGTH_BOUNDS = (2, 4, 6, 8, 10, 12, 15, 18, 22, 27, 34)


def _length_bucket(length: int) -> str:
    """Title lengths in bands (a weight per exact length would learn noise)."""
    for bound in _LENGTH_BOUNDS:
        if length <= bound:
            return f"≤{bound}"
    return f">{_LENGTH_BOUNDS[-1]}"


def _ratio_bucket(length: int, typical: float) -> str:
    ratio = length / typical
    for bound, name in ((0.5, "lt0.5"), (0.8, "lt0.8"), (1.25, "near"), (2.0, "lt2")):
        if ratio < bound:
            return name
    return "ge2"


def features(text: str, start: int, end: int, kind: str, ends: set[int], structural_stop: int | None = None,
             typical: float | None = None) -> list[str]:
    """The features of a title ``text[start:end]`` (names; the model weighs each).

    ``typical``: the typical title length of this document's headings of the same kind (titles
    within one document share a style: a communiqué's 综合, 农业; a report's two clauses)."""
    title = text[start:end]
    group = kind_group(kind)
    following = text[end : end + 2]
    length = end - start
    names = [
        f"len:{group}:{_length_bucket(length)}",
        f"end1:{title[-1]}",
        f"start1:{following[:1] or '$'}",
    ]
    if len(title) >= 2:
        names.append(f"end2:{title[-2:]}")
    if len(following) == 2:
        names.append(f"start2:{following}")
    if end not in ends and end < len(text):
        names.append("mid_word")
    else:
        # The words either side of the cut (jieba's): a title ends on 挑战, 转型, 平台; a body
        # opens with 外部环境, 严格, 布局 more than with 更趋, 落实 or 一批.
        before = max((at for at in ends if at < end), default=start)
        after = min((at for at in ends if at > end), default=min(len(text), end + 2))
        names.append(f"end_word:{text[before:end]}")
        names.append(f"start_word:{text[end:after]}")
    commas = title.count("，") + title.count(",")
    if commas:
        names.append(f"commas:{min(commas, 3)}")
        if commas == 1:
            first, _, second = title.replace(",", "，").partition("，")
            if len(second) >= 4 and 0.6 <= len(first) / len(second) <= 1.7:
                names.append(f"parallel:{group}")
            # How far the second clause is from the first's length (两 clauses of one heading are
            # usually of a length: 加强政府自身建设，着力打造有为政府).
            difference = len(second) - len(first)
            bucket = "0" if difference == 0 else ("±1" if abs(difference) == 1 else ("±2" if abs(difference) == 2 else (
                "+3" if difference > 0 and difference <= 4 else ("-3" if difference < 0 and difference >= -4 else "far"))))
            names.append(f"clause_diff:{group}:{bucket}")
    if any(title[index].isdigit() and not title[index - 1].isdigit() for index in range(1, len(title))):
        names.append("digits_inside")
    if following[:1] in _SENTENCE_END:
        names.append(f"headline:{group}")
    elif _opens_headline(text, end):
        names.append(f"opens_headline:{group}")
    if structural_stop is not None and end == structural_stop:
        names.append("structural_stop")
    # The text after a title opens a clause of its own: how long is it, up to its first mark?
    clause = 0
    while end + clause < len(text) and clause < 30 and text[end + clause] not in "，。；：！？、,;:":
        clause += 1
    names.append(f"next_clause:{_length_bucket(clause) if clause else '0'}")
    if typical:
        names.append(f"typical:{_ratio_bucket(length, typical)}")
    return names


@lru_cache(maxsize=1)
def _weights() -> dict[str, float]:
    data = json.loads((resources.files("planparse") / "data" / "title_model.json").read_text(encoding="utf-8"))
    weights: dict[str, float] = data["weights"]
    return weights


def scored_ends(text: str, start: int, limit: int, kind: str, *, structural_stop: bool = False,
                typical: float | None = None) -> list[tuple[float, int]]:
    """(probability, end) of every possible end, most probable first."""
    weights = _weights()
    stop = min(limit, start + _MAX_TITLE, len(text))
    ends = word_ends(text, start, stop)
    scores = []
    for end in candidate_ends(text, start, limit):
        names = features(text, start, end, kind, ends, limit if structural_stop else None, typical)
        scores.append((sum(weights.get(name, 0.0) for name in names), end))
    if not scores:
        return []
    top = max(score for score, _ in scores)
    mass = sum(math.exp(score - top) for score, _ in scores)
    return sorted(((math.exp(score - top) / mass, end) for score, end in scores), reverse=True)


def title_end(text: str, start: int, limit: int, kind: str, *, structural_stop: bool = False,
              typical: float | None = None) -> tuple[int, bool]:
    """(end, sure) of the title that starts at ``start`` and may run at most to ``limit``.

    ``structural_stop``: ``limit`` is where a box, a label or a line begins (a strong place for
    the title to end); ``typical``: see :func:`features`."""
    scored = scored_ends(text, start, limit, kind, structural_stop=structural_stop, typical=typical)
    if not scored:
        return min(limit, start + _MAX_TITLE, len(text)), False
    probability, end = scored[0]
    return end, probability >= SURE_PROBABILITY
