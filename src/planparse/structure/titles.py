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
    return {"background": background, "floor": floor, "ends": ends, "n_ends": n_ends, "starts": starts,
            "n_starts": n_starts, "lengths": lengths}


def _ratio(char: str, counts: dict[str, float], n: float, model: dict[str, Any]) -> float:
    """log P(char | this position) / P(char), smoothed towards the overall rate."""
    base = model["background"].get(char, model["floor"])
    rate = (counts.get(char, 0.0) + _SMOOTHING * base) / (n + _SMOOTHING)
    return math.log(rate / base)


def _length_prior(kind: str, length: int, model: dict[str, Any]) -> float:
    table = model["lengths"].get("outline" if kind.startswith("outline") else kind) or model["lengths"]["outline"]
    return float(table.get(length, table[-1]))


def _balanced(title: str) -> bool:
    for opening, closing in _CLOSE.items():
        if title.count(opening) != title.count(closing):
            return False
    return True


def _shape(title: str) -> float:
    """What the title's own shape says: commas and digit runs in mid-title are rare in titles."""
    score = -_COMMA_COST * (title.count("，") + title.count(","))
    digits_inside = sum(1 for index in range(1, len(title)) if title[index].isdigit() and not title[index - 1].isdigit())
    return score - _DIGIT_COST * digits_inside


def title_end(text: str, start: int, limit: int, kind: str) -> tuple[int, bool]:
    """(end, sure) of the title that starts at ``start`` and may run at most to ``limit``."""
    model = _model()
    stop = min(limit, start + _MAX_TITLE, len(text))
    scored: list[tuple[float, int]] = []
    for end in range(start + 1, stop + 1):
        title = text[start:end]
        if title[-1] in _SENTENCE_END:
            break  # a sentence end closes the title (it is not part of it)
        if title[-1] in _CLOSE or not _balanced(title):
            continue
        following = text[end] if end < len(text) else ""
        score = _length_prior(kind, end - start, model) + _shape(title)
        score += _ratio(title[-1], model["ends"], model["n_ends"], model)
        if following in _SENTENCE_END:
            score += _HEADLINE_BONUS  # a headline: （一）经济运行稳中有进。…
        elif following in _NEVER_OPENS:
            continue
        elif following:
            score += _ratio(following, model["starts"], model["n_starts"], model)
        scored.append((score, end))
    if not scored:
        return stop, False
    scored.sort(reverse=True)
    best = scored[0]
    margin = best[0] - scored[1][0] if len(scored) > 1 else math.inf
    return best[1], margin >= SURE_MARGIN
