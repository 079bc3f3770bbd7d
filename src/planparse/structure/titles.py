"""Where a heading's title ends in flattened text (no line break, no TOC to tell).

``一、2022年工作回顾2022年是…``: the title runs into the paragraph after it. Every place the title
could end is scored by what the corpus's marked headings show (``data/title_boundaries.yaml``,
fitted by ``benchmarks/fit_title_boundaries.py``): how often a character ends a title compared
with how often it occurs at all, how often a character opens the text after a heading, and how
long titles of the heading's kind are. Punctuation decides where it can (a sentence end closes
the title; the text after a title never opens with a comma; quotes and brackets stay balanced).
The best place wins; its margin over the runner-up says whether the title is sure.
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources
from typing import Any

import regex
import yaml

# Pseudo-counts that pull a character's title-end and body-start rates towards its overall rate.
_SMOOTHING = 20.0
_LENGTH_SMOOTHING = 1.0
_MAX_TITLE = 40
# A title is "sure" when its score beats every other end by this many nats (e^3 ≈ 20 : 1).
SURE_MARGIN = 3.0
# Costs (nats) of a comma and of a digit run inside a title, and the bonus for a title that ends
# at a sentence end (the headline convention of work reports).
_COMMA_COST = 1.0
_DIGIT_COST = 2.0
_HEADLINE_BONUS = 2.0
# Bonus for two parallel clauses around one comma; cost of ending inside a word.
_PARALLEL_BONUS = 2.0
_MID_WORD_COST = 3.0
# Bonus for a title that ends where a box, a label or a line begins.
_STRUCTURAL_BONUS = 3.0
_MAX_HEADLINE = 24
_CLOSE = {"“": "”", "（": "）", "《": "》", "(": ")", "‘": "’", "【": "】"}
_NEVER_OPENS = set("，、；：。）》”’】,;:)!?！？")
_SENTENCE_END = set("。！？；")


@lru_cache(maxsize=1)
def _model() -> dict[str, Any]:
    text = (resources.files("planparse") / "data" / "title_boundaries.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    total = float(data["background_total"])
    background = {str(char): count / total for char, count in data["background"].items()}
    floor = 1.0 / total

    def rates(counts: dict[Any, int]) -> tuple[dict[str, float], float]:
        n = float(sum(counts.values()))
        table = {str(char): count for char, count in counts.items()}
        return {char: count for char, count in table.items()}, n

    ends, n_ends = rates(data["title_ends"])
    starts, n_starts = rates(data["body_starts"])
    lengths = {}
    for kind, counter in data["lengths"].items():
        n = float(sum(counter.values()))
        lengths[str(kind)] = {int(length): math.log((count + _LENGTH_SMOOTHING) / (n + _LENGTH_SMOOTHING * _MAX_TITLE))
                              for length, count in counter.items()}
        lengths[str(kind)][-1] = math.log(_LENGTH_SMOOTHING / (n + _LENGTH_SMOOTHING * _MAX_TITLE))
    pair_total = max(1.0, total - 1.0)
    return {"background": background, "floor": floor, "ends": ends, "n_ends": n_ends, "starts": starts,
            "n_starts": n_starts, "lengths": lengths,
            "ends2": {str(k): float(v) for k, v in data.get("title_ends2", {}).items()},
            "starts2": {str(k): float(v) for k, v in data.get("body_starts2", {}).items()},
            "pairs": {str(k): v / pair_total for k, v in data.get("pair_background", {}).items()}}


def _pair_ratio(pair: str, counts: dict[str, float], n: float, model: dict[str, Any]) -> float | None:
    """Like :func:`_ratio` for a character pair, or None when the pair was not kept."""
    if pair not in counts or pair not in model["pairs"]:
        return None
    base = model["pairs"][pair]
    rate = (counts[pair] + _SMOOTHING * base) / (n + _SMOOTHING)
    return math.log(rate / base)


def _ratio(char: str, counts: dict[str, float], n: float, model: dict[str, Any]) -> float:
    """log P(char | this position) / P(char), smoothed towards the overall rate."""
    base = model["background"].get(char, model["floor"])
    rate = (counts.get(char, 0.0) + _SMOOTHING * base) / (n + _SMOOTHING)
    return math.log(rate / base)


def _length_prior(kind: str, length: int, model: dict[str, Any]) -> float:
    table = model["lengths"].get("outline" if kind.startswith("outline") else kind) or model["lengths"]["outline"]
    return float(table.get(length, table[-1]))


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


def _shape(title: str) -> float:
    """What the title's own shape says: commas and digit runs in mid-title are rare in titles,
    except the two parallel clauses of a report's headings (深入实施扩大内需战略，有效畅通…)."""
    commas = title.count("，") + title.count(",")
    score = -_COMMA_COST * commas
    if commas == 1:
        first, second = regex.split(r"[，,]", title)
        if len(second) >= 4 and 0.6 <= len(first) / len(second) <= 1.7:
            score += _PARALLEL_BONUS
    digits_inside = sum(1 for index in range(1, len(title)) if title[index].isdigit() and not title[index - 1].isdigit())
    return score - _DIGIT_COST * digits_inside


def _word_ends(text: str, start: int, stop: int) -> set[int]:
    """Offsets in ``[start, stop]`` where a jieba word ends (a title never ends mid-word)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    ends = {start}
    position = start
    for word in jieba.cut(text[start : min(len(text), stop + 4)], HMM=False):
        position += len(word)
        ends.add(position)
    return ends


def title_end(text: str, start: int, limit: int, kind: str, *, structural_stop: bool = False) -> tuple[int, bool]:
    """(end, sure) of the title that starts at ``start`` and may run at most to ``limit``.

    ``structural_stop``: ``limit`` is where a box, a label or a line begins (a strong place for
    the title to end)."""
    model = _model()
    stop = min(limit, start + _MAX_TITLE, len(text))
    outline = kind.startswith("outline")
    word_ends = _word_ends(text, start, stop)
    scored: list[tuple[float, int]] = []
    for end in range(start + 1, stop + 1):
        title = text[start:end]
        if title[-1] in _SENTENCE_END:
            break  # a sentence end closes the title (it is not part of it)
        if title[-1] in _CLOSE or not _balanced(title):
            continue
        following = text[end] if end < len(text) else ""
        score = _length_prior(kind, end - start, model) + _shape(title)
        if end not in word_ends and end < len(text) and not text[end] in _SENTENCE_END:
            score -= _MID_WORD_COST
        pair_end = _pair_ratio(title[-2:], model["ends2"], model["n_ends"], model) if len(title) >= 2 else None
        score += pair_end if pair_end is not None else _ratio(title[-1], model["ends"], model["n_ends"], model)
        if following in _SENTENCE_END:
            # A headline: （一）经济运行稳中有进。… (the work reports' convention for outline
            # headings); a 第X节 title is never a sentence.
            score += _HEADLINE_BONUS if outline else -_HEADLINE_BONUS
        elif following in _NEVER_OPENS:
            continue
        elif following:
            pair_start = _pair_ratio(text[end : end + 2], model["starts2"], model["n_starts"], model)
            score += pair_start if pair_start is not None else _ratio(following, model["starts"], model["n_starts"], model)
            if not outline and _opens_headline(text, end):
                score += _HEADLINE_BONUS  # the section's first paragraph opens with its headline
        if structural_stop and end == stop == limit:
            score += _STRUCTURAL_BONUS
        scored.append((score, end))
    if not scored:
        return stop, False
    scored.sort(reverse=True)
    best = scored[0]
    margin = best[0] - scored[1][0] if len(scored) > 1 else math.inf
    return best[1], margin >= SURE_MARGIN
