"""The heading grammar of Chinese plan documents: labels, their kinds and their numbers.

One grammar serves the TOC and the body. A *label* is what numbers a heading as printed:
``第X篇``/``第X编``/``第X部分`` (kind ``part``), ``第X章`` (``chapter``), ``第X节`` (``section``),
``一、`` (``outline1``), ``（一）`` (``outline2``), ``1.`` (``outline3``), ``（1）`` (``outline4``),
or a named entry without a number (``序言``, ``结束语``: kind ``unnumbered``). Kinds rank from
the outermost (``part``) inwards; a document uses a subset of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import regex
import yaml

NUMERAL = r"[零〇一二三四五六七八九十百千两\d]{1,8}"
_CN_NUMERAL = r"[一二三四五六七八九十百零〇两]{1,5}"
KINDS = ("part", "chapter", "section", "outline1", "outline2", "outline3", "outline4", "unnumbered")
RANK = {kind: index for index, kind in enumerate(KINDS)}
_BIG_KIND = {"篇": "part", "编": "part", "部分": "part", "章": "chapter", "节": "section"}

_LABEL = regex.compile(
    rf"第(?P<big>{NUMERAL})(?P<bigkind>部分|篇|编|章|节)"
    rf"|(?P<o1>{_CN_NUMERAL})、"
    rf"|[（(](?P<o2>{_CN_NUMERAL})[）)]"
    r"|(?P<o3>\d{1,2})(?:[.．、](?!\d)|(?=[\p{Han}“《]))"
    r"|[（(](?P<o4>\d{1,2})[）)]"
)


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    """``data/structure_vocabulary.yaml``."""
    text = (resources.files("planparse") / "data" / "structure_vocabulary.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@lru_cache(maxsize=1)
def _named() -> regex.Pattern[str]:
    words = sorted((str(word) for word in vocabulary()["named_headings"]), key=len, reverse=True)
    return regex.compile("|".join(map(regex.escape, words)))


@lru_cache(maxsize=4096)
def chinese_number(text: str) -> int:
    """第二十三章 → 23: Arabic digits as they are, Chinese numerals of any size via cn2an."""
    if text.isdigit():
        return int(text)
    import cn2an

    try:
        return int(cn2an.cn2an(text.replace("〇", "零").replace("两", "二"), "smart"))
    except (ValueError, KeyError):
        return 0


@dataclass(frozen=True)
class Label:
    """A label as printed at ``[start, end)``: its kind and number (None for named entries)."""

    kind: str
    number: int | None
    text: str
    start: int
    end: int

    @property
    def key(self) -> tuple[str, int | None]:
        return (self.kind, self.number)


def match_label(text: str, position: int, *, arabic: bool = False, named: bool = True) -> Label | None:
    """The label starting exactly at ``position``, or None.

    ``arabic``: also the Arabic outline levels 1. and （1） (they number list items as often as
    headings, so callers ask for them only where the layout says a heading may start)."""
    match = _LABEL.match(text, position)
    if match is not None:
        if match.group("big"):
            return Label(_BIG_KIND[match.group("bigkind")], chinese_number(match.group("big")), match.group(), *match.span())
        if match.group("o1"):
            return Label("outline1", chinese_number(match.group("o1")), match.group(), *match.span())
        if match.group("o2"):
            return Label("outline2", chinese_number(match.group("o2")), match.group(), *match.span())
        if arabic and match.group("o3"):
            return Label("outline3", int(match.group("o3")), match.group(), *match.span())
        if arabic and match.group("o4"):
            return Label("outline4", int(match.group("o4")), match.group(), *match.span())
    if named:
        found = _named().match(text, position)
        if found is not None:
            return Label("unnumbered", None, found.group(), *found.span())
    return None


def find_labels(text: str, start: int, end: int, *, arabic: bool = False) -> list[Label]:
    """Every numbered label in ``text[start:end)`` (named entries are looked for where a heading
    may start, not everywhere: 说明 and 附件 are ordinary words)."""
    found = []
    for match in _LABEL.finditer(text, start, end):
        label = match_label(text, match.start(), arabic=arabic, named=False)
        if label is not None and not _enumerates_numerals(text, label):
            found.append(label)
    return found


_SMALL_NUMERALS = "一二三四五六七八九十"


def _enumerates_numerals(text: str, label: Label) -> bool:
    """二、三产业, 一、二、三产业: a 一、 label followed by the next numeral that goes on as a
    numeral (产业, another 、) enumerates numbers in running text; it numbers no heading."""
    if label.kind != "outline1" or label.number is None or not 1 <= label.number < len(_SMALL_NUMERALS):
        return False
    following = text[label.end : label.end + 2]
    return following[:1] == _SMALL_NUMERALS[label.number] and following[1:2] in ("产", "、")


def is_deeper(outer: str, inner: str) -> bool:
    """Does kind ``inner`` nest inside kind ``outer`` by the grammar's ranks?"""
    return RANK[inner] > RANK[outer]
