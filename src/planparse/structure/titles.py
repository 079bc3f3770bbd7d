"""Where a heading's title ends in flattened text (no line break, no TOC to tell).

``一、2022年工作回顾2022年是…``: the title runs into the paragraph after it. A title may run as
far as :func:`window` allows (never past a line break, a box or the next label); every end the
punctuation allows (a title holds no sentence end, the text after it never opens with a comma,
quotes and brackets stay balanced) is a candidate, described by features: the characters and
jieba words either side of the cut, the title's length for its kind, commas and the two
parallel clauses of a report's heading, a headline sentence after it, the body repeating the
title's words (工业|工业生产保持增长势头) or restating it in its first sentences (优化能源结构|能源建设要…，
优化能源结构，…), and **boundary rates** — how often running text ends a
sentence after the title's last two characters and opens one with the two after the cut, counted
in the corpus's own punctuation (``data/title_boundaries.json``). A conditional logit model gives
each candidate a probability (``data/title_model.json``); each feature is weighed once for every
kind of heading and once more for its kind group (a plan's 节 names end otherwise than a
report's clauses).

:func:`decode` reads one document's titles together, in two passes: the first weighs each title
on its own; the second adds the document's **style** — the length, commas and headlines of its
other titles of the kind as the first pass reads them (a communiqué's 综合, 农业; a report's two
clauses). Both are fitted by ``benchmarks/fit_title_model.py`` on the tuned half of the corpus
(every fifth document held out; the second pass on cross-fitted first-pass readings, so that it
learns from readings as noisy as a new document's). The most probable end wins; its probability
(calibrated on held-out documents) says whether the title is sure.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Protocol

_MAX_TITLE = 60
# How long a title of each kind may run in flattened text: an outline heading of a work report
# may hold three clauses (坚定不移把发展经济的着力点放在实体经济上，高质量推进制造业当家，加快建设
# 现代化产业体系: 42); no 篇/章/节 title of the corpus's tuned half runs past 40.
_MAX_BY_KIND = {"part": 40, "chapter": 40, "section": 40}
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


# jieba's part-of-speech flags, coarsened (a weight per fine flag would learn noise).
_COARSE_TAGS = {"vn": "vn", "an": "a", "ad": "a", "nr": "n", "ns": "n", "nt": "n", "nz": "n", "ng": "n",
                "vd": "v", "vg": "v", "eng": "x", "l": "i", "j": "n"}


def _coarse(flag: str) -> str:
    return _COARSE_TAGS.get(flag, flag[:1] if flag[:1] in "nvadmtfprucxi" else "o")


def word_tags(text: str, start: int, stop: int) -> tuple[set[int], dict[int, tuple[str, str]]]:
    """Word ends in ``[start, stop]`` (jieba's, as :func:`word_ends`) and, at each, the coarse
    part of speech of the word before and the word after it (a review heading's second clause
    ends on its predicate: 经济运行持续向好, not 经济运行|持续向好)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    ends = {start}
    flags: list[tuple[int, str]] = [(start, "^")]
    position = start
    for word, flag in jieba.posseg.cut(text[start : min(len(text), stop + 4)], HMM=False):
        position += len(word)
        ends.add(position)
        flags.append((position, _coarse(flag)))
    tags = {at: (flags[index][1], flags[index + 1][1] if index + 1 < len(flags) else "$")
            for index, (at, _) in enumerate(flags)}
    return ends, tags


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
             *, style: Style | None = None, rates: Rates | None = None,
             tags: dict[int, tuple[str, str]] | None = None) -> list[str]:
    """The features of a title ``text[start:end]`` (names; the model weighs each).

    ``style``: what this document's other titles of the kind look like (titles within one
    document share a style: a communiqué's 综合, 农业; a report's two clauses)."""
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
        if tags is not None and end in tags:
            last, following_tag = tags[end]
            has_comma = "，" in title or "," in title
            names.append(f"end_pos:{group}:{last}:{int(has_comma)}")
            names.append(f"start_pos:{group}:{following_tag}")
            names.append(f"pos_pair:{last}:{following_tag}")
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
    if 0 < clause <= _ORPHAN and _mark_class(text, end + clause) == "end":
        # ... and a sentence end closes it: a clause of a few characters and a full stop is the
        # title's own predicate cut off (改革开放步伐|加快。), not the body's first sentence.
        names.append(f"orphan_end:{group}:{_length_bucket(clause)}")
    if rates is not None:
        names.extend(_rate_features(text, end, title, group, rates))
        names.extend(_known_features(title, start, ends, group, rates))
    # The text after the cut repeats the title's words (工业|工业生产保持增长势头; 医药|医药行业).
    if len(title) >= 2 and end + 2 <= len(text):
        if text.startswith(title[:2], end):
            names.append(f"repeats_head:{group}")
        elif text[end : end + 2] in title:
            names.append(f"repeats_inner:{group}")
    if len(title) >= 2 and text.startswith(title, end):
        names.append(f"repeats_whole:{group}")  # 医药|医药行业要…: the body opens with the whole title
    if _NOTE_DIGITS.match(text, end):
        # 综合|2全年…: one or two digits glued to the next word, a note's mark whose brackets the
        # damage stripped (综合[2]), so the title runs on over them (对外经济23).
        names.append(f"note_digits_next:{group}")
    elif _NOTE_MARK_END.search(title) and end < len(text) and "\u4e00" <= text[end] <= "\u9fff":
        names.append(f"note_digits_end:{group}")  # 对外经济23|全年…: the title ends on such a mark
    year = _YEAR_START.match(text, end)
    if year is not None:
        # （一）工农业总产值|1990年工农业总产值，…: the body opens with a year (and repeats the title).
        names.append(f"next_year:{group}")
        if len(title) >= 2 and text.startswith(title[:2], year.end()):
            names.append(f"year_repeat:{group}")
    if rates is not None:
        # Two predicates glued without a mark (努力保持经济中高速增长|持续扩大有效投资。): the title,
        # or the clause after it, holds a word boundary where running text ends and opens sentences.
        names.append(f"inner_boundary:{group}:{_unmarked_boundary(text, start + 2, end - 2, ends, rates)}")
        names.append(f"next_boundary:{group}:{_unmarked_boundary(text, end + 2, end + clause - 2, ends, rates)}")
    restart = _restart_inside(title, ends, start)
    if restart is not None:
        names.append(f"inner_restart:{group}")
        if title.startswith(title[:restart], restart):
            names.append(f"inner_repeat_whole:{group}")  # 医药医药行业: the title read into its repeat
    if style is not None:
        names.extend(_style_features(text, end, title, group, style))
    return names


_ORPHAN = 6


def _mark_class(text: str, position: int) -> str:
    """What closes a clause at ``position``: a sentence end, a clause mark, neither (a long
    clause) or the end of the text."""
    if position >= len(text):
        return "$"
    char = text[position]
    return "end" if char in _SENTENCE_END else ("mark" if char in "，、：,;:" else "none")


def _restart_inside(title: str, ends: set[int], start: int) -> int | None:
    """The first word end inside the title after which its own words come again (工业|工业生产保持
    增长势头, 固定资产投资|投资总量快速增长), or None: the title most likely ended there and the body's
    first sentence, which repeats the title, was read into it."""
    for cut in range(2, len(title) - 1):
        if start + cut in ends and title[cut : cut + 2] in title[:cut] and not any(
                char in _CLAUSE_MARKS for char in title[cut - 1 : cut + 2]):
            return cut
    return None


_CLAUSE_MARKS = set("，、；：,;:（）()“”《》")
_YEAR_START = re.compile(r"(?:1[89]|20)\d{2}年")
_NOTE_DIGITS = re.compile(r"(?<!\d)\d{1,2}(?=[\u4e00-\u9fff])")
_NOTE_MARK_END = re.compile(r"[\u4e00-\u9fff]\d{1,2}$")
# How far after a title its next clause is read for an unmarked boundary (and jieba cuts it).
_NEXT_CLAUSE = 30


def _unmarked_boundary(text: str, low: int, high: int, ends: set[int], rates: Rates) -> str:
    """The band of the strongest unmarked boundary at a word end in ``[low, high]``: how often
    running text ends a sentence after the two characters before it plus how often it opens one
    with the two after it (none next to a mark, where the boundary is marked already)."""
    best = -1
    for position in ends:
        if low <= position <= high and not any(char in _CLAUSE_MARKS or char in _SENTENCE_END
                                               for char in text[position - 2 : position + 2]):
            ending = rates.bucket("end", text[position - 2 : position])
            opening = rates.bucket("start", text[position : position + 2])
            best = max(best, (ending or 0) + (opening or 0))
    return "none" if best < 0 else str(min(best // 2, 7))


# ------------------------------------------------------------------ boundary rates

# Marks after which a sentence or clause ends in running text; a line end counts as one too.
STRONG_MARKS = set("。！？；")
WEAK_MARKS = set("，、：")
_RATE_BOUNDS = (0.005, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7)
MIN_RATE_COUNT = 3


def rate_bucket(boundaries: int, seen: int) -> int | None:
    """The band of a boundary rate: how often a character pair is followed (or preceded) by a
    sentence or clause boundary where it occurs (None when seen too rarely to say)."""
    if seen < MIN_RATE_COUNT:
        return None
    rate = (boundaries + 0.5) / (seen + 1)
    return sum(1 for bound in _RATE_BOUNDS if rate >= bound)


class Rates(Protocol):
    def bucket(self, table: str, key: str) -> int | None: ...

    def known(self, title: str) -> int:
        """In how many documents of the corpus a heading has this title (:func:`normal_title`)."""
        ...

    def extended(self, title: str) -> int:
        """In how many documents a heading's title runs on past this known title (综合 →
        综合国力; 农业 → 农业和农村经济)."""
        ...


# A title is "known" when headings of at least this many corpus documents have it (综合, 农业,
# 2019年工作回顾, 全面加强政府自身建设).
MIN_KNOWN = 2


def normal_title(title: str) -> str:
    """A title as the lexicon of known titles keys it (digit runs as #: 2019年工作回顾 → #年工作回顾)."""
    return _DIGIT_RUN.sub("#", title)


_DIGIT_RUN = re.compile(r"\d+")  # compiled once: asked for every probe of the known-title scan


def known_ends(text: str, start: int, stop: int, rates: Rates) -> set[int]:
    """The ends in ``(start, stop]`` where a known title (:data:`MIN_KNOWN`) starting at ``start``
    ends: a word end too, wherever jieba reads the title into the next word (2018年工作回顾|过去一年:
    jieba reads 回顾过去 as one word; 固定资产投资|规模), never inside a digit run."""
    return {start + cut for cut in range(2, min(stop, len(text)) - start + 1)
            if not _splits_digits(text, start + cut) and rates.known(normal_title(text[start : start + cut])) >= MIN_KNOWN}


def _splits_digits(text: str, position: int) -> bool:
    """Does ``position`` cut a digit run (对外经济2|3: the digits # stands for run on)?"""
    return 0 < position < len(text) and text[position - 1].isdigit() and text[position].isdigit()


def _known_band(count: int) -> str:
    return "6" if count >= 6 else ("3" if count >= 3 else "2")


def _share_band(rates: Rates, title: str) -> str:
    """How often a known title is the whole title where a heading's title begins with it: in
    what share of the documents that have a heading beginning so it ends there (综合: nearly
    always; 农业: most often; 加强: rarely)."""
    exact = rates.known(title)
    share = exact / max(exact + rates.extended(title), 1)
    return "1" if share >= 0.95 else ("0.8" if share >= 0.8 else ("0.5" if share >= 0.5 else "0"))


def _known_features(title: str, start: int, ends: set[int], group: str, rates: Rates) -> list[str]:
    """The title is one that headings of other documents have (综合, 农业, 加强政府自身建设), or
    runs on past one (农业|粮食生产在大灾之年获得好收成: a known title, then the body's headline),
    each with how often that known title is the whole title (:func:`_share_band`)."""
    names = []
    normal = normal_title(title)
    count = rates.known(normal)
    if count >= MIN_KNOWN:
        names.append(f"known:{group}:{_known_band(count)}")
        names.append(f"known_share:{group}:{_share_band(rates, normal)}")
    inside = [normal_title(title[:cut]) for cut in sorted(at - start for at in ends)
              if 2 <= cut < len(title) and title[cut] not in _CLAUSE_MARKS]
    inside = [known for known in inside if rates.known(known) >= MIN_KNOWN]
    if inside:
        names.append(f"known_inside:{group}")
        names.append(f"known_inside_share:{group}:{_share_band(rates, inside[-1])}")
    return names


@dataclass(frozen=True)
class BoundaryRates:
    """Bands of boundary rates (``data/title_boundaries.json``) by table: ``end`` (a character
    pair followed by a sentence end or a line end), ``start`` (a pair preceded by one),
    ``end_any`` / ``start_any`` (a clause mark too: ，、：). Keys are pairs and single characters
    (the back-off); a pair whose bands equal its back-off's is not stored."""

    tables: dict[str, dict[str, int]]
    titles: dict[str, int] = field(default_factory=dict)  # known title → documents that have it
    # known title → documents with a heading title that runs on past it
    longer: dict[str, int] = field(default_factory=dict)

    def known(self, title: str) -> int:
        return self.titles.get(title, 0)

    def extended(self, title: str) -> int:
        return self.longer.get(title, 0)

    def bucket(self, table: str, key: str) -> int | None:
        found = self.tables[table].get(key)
        if found is None and len(key) == 2 and not table.startswith("cross"):
            return self.tables[table].get(key[-1] if table.startswith("end") else key[0])
        return found


@lru_cache(maxsize=1)
def boundary_rates() -> BoundaryRates:
    data = json.loads((resources.files("planparse") / "data" / "title_boundaries.json").read_text(encoding="utf-8"))
    tables: dict[str, dict[str, int]] = {}
    for direction, (keys, *bands) in data["tables"].items():
        names = keys.split("|")
        for suffix, digits in zip(("", "_any"), bands, strict=True):
            tables[direction + suffix] = {key: int(band) for key, band in zip(names, digits, strict=True) if band != "-"}
    return BoundaryRates(tables, {title: int(count) for title, count in data.get("titles", {}).items()},
                         {title: int(count) for title, count in data.get("extended", {}).items()})


def _rated(rates: Rates, table: str, pair: str) -> str:
    band = rates.bucket(table, pair) if pair else None
    return "?" if band is None else str(band)


def _rate_features(text: str, end: int, title: str, group: str, rates: Rates) -> list[str]:
    """How often running text ends a sentence after the title's last two characters, and opens
    one with the two after the cut (learned from the corpus's own punctuation)."""
    left, right = title[-2:], text[end : end + 2]
    names = [
        f"rate_end:{group}:{_rated(rates, 'end', left)}",
        f"rate_start:{group}:{_rated(rates, 'start', right)}",
        f"rate_end_any:{_rated(rates, 'end_any', left)}",
        f"rate_start_any:{_rated(rates, 'start_any', right)}",
    ]
    if right[:1] and right[:1] not in STRONG_MARKS | WEAK_MARKS:
        # How often running text parts the two characters either side of the cut (步伐|加快: never).
        pair = title[-1] + right[0]
        names.append(f"rate_cross:{group}:{_rated(rates, 'cross', pair)}")
        names.append(f"rate_cross_any:{_rated(rates, 'cross_any', pair)}")
    return names


def _share_bucket(share: float) -> str:
    return "low" if share < 0.2 else ("high" if share > 0.7 else "mid")


def _style_features(text: str, end: int, title: str, group: str, style: Style) -> list[str]:
    """The title against its document's style."""
    names = []
    if style.length > 0:
        names.append(f"style_len:{group}:{_ratio_bucket(len(title), style.length)}")
    has_comma = "，" in title or "," in title
    names.append(f"style_comma:{_share_bucket(style.commas)}:{int(has_comma)}")
    headline = end < len(text) and text[end] in _SENTENCE_END
    names.append(f"style_headline:{_share_bucket(style.headlines)}:{int(headline)}")
    if style.last > 0:
        names.append(f"style_last:{group}:{_ratio_bucket(_last_clause(title), style.last)}")
    # A document whose other titles include short ones (a communiqué's 综合, 农业 among 工业和建筑业,
    # 固定资产投资) takes a short title as one of its kind, where a report's clauses do not.
    # (一、 numbers both; a plan's 篇/章/节 have no such mix.)
    if group == "outline":
        names.append(f"style_short:{group}:{_share_bucket(style.short)}:{int(len(title) <= _SHORT_TITLE)}")
    difference = _commas(title) - round(style.clauses)
    names.append(f"style_clauses:{group}:{max(-1, min(1, difference))}")
    return names


def _commas(title: str) -> int:
    return title.count("，") + title.count(",")


def _last_clause(title: str) -> int:
    """The length of a title's last clause (all of it when it holds no comma)."""
    return len(title.replace(",", "，").rpartition("，")[2])


def window(text: str, start: int, limit: int, breaks: frozenset[int] | set[int] = frozenset(), kind: str = "") -> tuple[int, bool]:
    """(stop, structural): how far a title starting at ``start`` may run. It never runs past a
    line break, a box or figure caption (专栏3, 图2) or the next heading label (第二节, （一）),
    nor past the most characters a title of its ``kind`` holds; ``structural`` says the stop is such a place (a strong
    place for the title to end)."""
    from .grammar import match_label

    stop = min(limit, start + _MAX_BY_KIND.get(kind, _MAX_TITLE), len(text))
    for position in range(start + 1, stop):
        if position in breaks or text.startswith("专栏", position) \
                or text.startswith("图", position) and text[position + 2 : position + 3].isdigit() \
                or (text[position] in _LABEL_OPENERS and match_label(text, position) is not None
                    and not _numeral_in_word(text, start, position)):
            return position, True
    return stop, False


def _numeral_in_word(text: str, start: int, position: int) -> bool:
    """Is the numeral at ``position`` (一、 as a label would read it) the end of a word that
    begins before it (统一、, 安全第一、: 建立城乡统一、重在农村的…; 坚持安全第一、预防为主)? Then
    it is no label: the title does not stop there."""
    return text[position] in _SMALL_NUMERALS and position not in word_ends(text, start, position + 1)


_SMALL_NUMERALS = set("一二三四五六七八九十")


_LABEL_OPENERS = set("第（一二三四五六七八九十")
_TITLE_STOP = set("。，；：！？")


@dataclass(frozen=True)
class TitleQuery:
    """A title to place: it starts at ``start`` and may run to ``stop`` (see :func:`window`)."""

    start: int
    stop: int
    kind: str
    structural: bool = False


@dataclass(frozen=True)
class TitleEnd:
    end: int
    probability: float  # the model's probability of this end (1.0 where the layout decides)

    @property
    def sure(self) -> bool:
        return self.probability >= SURE_PROBABILITY


@dataclass(frozen=True)
class Model:
    """The weights of the two passes: ``weights`` weigh each title on its own, ``joint`` weigh it
    with its document's style (empty: one pass)."""

    weights: dict[str, float]
    joint: dict[str, float]


@lru_cache(maxsize=1)
def model() -> Model:
    """``data/title_model.json``."""
    data = json.loads((resources.files("planparse") / "data" / "title_model.json").read_text(encoding="utf-8"))
    return Model(data["weights"], data.get("joint", {}))


@dataclass(frozen=True)
class Style:
    """What a document's other titles of one kind look like, as the first pass reads them."""

    length: float  # their typical length
    commas: float  # the share of them that hold a comma
    headlines: float  # the share of them that a sentence end follows (经济运行稳中有进。…)
    # The typical length of their last clause (after their last comma: 稳增长调结构，经济运行持续向好
    # → 8) and their mean number of commas: sibling titles are phrased in parallel.
    last: float = 0.0
    clauses: float = 0.0
    # The share of them at most _SHORT_TITLE long (综合, 农业, 国内贸易: a communiqué's sectors).
    short: float = 0.0


# A short title: a sector's name (综合, 农业, 对外经济), no clause of a report's heading.
_SHORT_TITLE = 4


def decided(text: str, query: TitleQuery) -> bool:
    """The layout decides: the title runs up to the box or heading that follows it."""
    return query.structural and query.stop - query.start >= 2 and not any(
        char in _TITLE_STOP for char in text[query.start : query.stop])


def candidates(text: str, query: TitleQuery, style: Style | None = None, rates: Rates | None = None
               ) -> list[tuple[int, list[str]]]:
    """Every end the punctuation allows, with its features (``rates``: the boundary rates, by
    default the shipped ones)."""
    ends, tags = word_tags(text, query.start, query.stop + _NEXT_CLAUSE)
    rates = rates if rates is not None else boundary_rates()
    ends |= known_ends(text, query.start, query.stop, rates)
    found = [(end, features(text, query.start, end, query.kind, ends, query.stop if query.structural else None,
                            style=style, rates=rates, tags=tags))
             for end in candidate_ends(text, query.start, query.stop)]
    group = kind_group(query.kind)
    return [(end, _by_group(names, group)) for end, names in _with_echoes(text, query, found)]


def _by_group(names: list[str], group: str) -> list[str]:
    """Each feature twice: as itself (shared by every kind of heading) and for the heading's
    kind group only (``section|end_word:结构``), so that the fit learns where an outline's
    sections (names: 优化能源结构) end otherwise than a report's clauses (一、/（一）) do, where
    the corpus shows it, and shares the weight where it does not (feature augmentation; the fit
    holds the group's copies closer to 0 than the shared weights, ``GROUP_L2``)."""
    return [*names, *(f"{group}|{name}" for name in names if f":{group}" not in name)]


# The body's first sentences restate a title (优化能源结构|能源建设要发挥资源优势，优化能源结构，…): a
# reading of at least this many characters that the next ``_ECHO_WINDOW`` characters repeat whole.
_ECHO_MIN = 3
_ECHO_WINDOW = 100


def _with_echoes(text: str, query: TitleQuery, found: Candidates) -> Candidates:
    """Each candidate with where it stands to the longest reading the body repeats: that reading
    (``echo_longest``), a shorter one the body repeats too, or a longer one (``past_echo``): the
    title most likely ends where the body's restatement of it ends."""
    echoed = [end for end, _ in found if end - query.start >= _ECHO_MIN
              and text.find(text[query.start : end], end, end + _ECHO_WINDOW) >= 0]
    if not echoed:
        return found
    group = kind_group(query.kind)
    longest = max(echoed)
    marked = set(echoed)
    return [(end, [*names, f"echo_longest:{group}" if end == longest else (
        f"echo_shorter:{group}" if end in marked else (f"past_echo:{group}" if end > longest else f"short_of_echo:{group}"))])
            for end, names in found]


def _posterior(scored: list[tuple[int, list[str]]], weights: dict[str, float]) -> list[tuple[float, int]]:
    """(probability, end) of each candidate, most probable first."""
    if not scored:
        return []
    scores = [(sum(weights.get(name, 0.0) for name in names), end) for end, names in scored]
    top = max(score for score, _ in scores)
    mass = sum(math.exp(score - top) for score, _ in scores)
    return sorted(((math.exp(score - top) / mass, end) for score, end in scores), reverse=True)


_Reading = tuple[float, float, float, float, float, float]


def _style_of(text: str, query: TitleQuery, posterior: list[tuple[float, int]]) -> _Reading:
    """(expected length, P(comma), P(headline), expected last-clause length, expected commas,
    P(short)) of one title under its posterior."""
    length = commas = headlines = last = count = short = 0.0
    for probability, end in posterior:
        title = text[query.start : end]
        length += probability * len(title)
        commas += probability * ("，" in title or "," in title)
        headlines += probability * (end < len(text) and text[end] in _SENTENCE_END)
        last += probability * _last_clause(title)
        count += probability * _commas(title)
        short += probability * (len(title) <= _SHORT_TITLE)
    return length, commas, headlines, last, count, short


Candidates = list[tuple[int, list[str]]]


def styles(text: str, queries: list[TitleQuery], model_: Model, rates: Rates | None = None,
           base: list[Candidates | None] | None = None) -> dict[int, Style]:
    """Each query's document style: the other queries of its kind (its siblings: 一、 with 一、,
    （一） with （一）), read by the first pass
    (leave-one-out, so a title does not vouch for itself). Queries the layout decides count
    with their decided title. ``base``: each query's candidates, when they are at hand."""
    base = base if base is not None else _base(text, queries, rates)
    per_query: list[tuple[str, _Reading]] = []
    for query, scored in zip(queries, base, strict=True):
        if scored is None:
            length = float(query.stop - query.start)
            per_query.append((query.kind, (length, 0.0, 0.0, length, 0.0, float(length <= _SHORT_TITLE))))
            continue
        posterior = _posterior(scored, model_.weights)
        per_query.append((query.kind, _style_of(text, query, posterior) if posterior else (0.0,) * 6))
    by_group: dict[str, list[int]] = {}
    for index, (group, _) in enumerate(per_query):
        by_group.setdefault(group, []).append(index)
    found: dict[int, Style] = {}
    for members in by_group.values():
        if len(members) <= _MIN_STYLE:
            continue
        lengths = sorted(per_query[index][1][0] for index in members)
        lasts = sorted(per_query[index][1][3] for index in members)
        commas = sum(per_query[index][1][1] for index in members)
        headlines = sum(per_query[index][1][2] for index in members)
        counts = sum(per_query[index][1][4] for index in members)
        shorts = sum(per_query[index][1][5] for index in members)
        others = len(members) - 1
        for index in members:
            length, comma, headline, last, count, short = per_query[index][1]
            rest = list(lengths)
            rest.remove(length)
            rest_last = list(lasts)
            rest_last.remove(last)
            found[index] = Style(rest[len(rest) // 2], (commas - comma) / others, (headlines - headline) / others,
                                 rest_last[len(rest_last) // 2], (counts - count) / others, (shorts - short) / others)
    return found


_MIN_STYLE = 2


def _base(text: str, queries: list[TitleQuery], rates: Rates | None) -> list[Candidates | None]:
    """Each query's candidates with their features (None where the layout decides)."""
    return [None if decided(text, query) else candidates(text, query, rates=rates) for query in queries]


def decode(text: str, queries: list[TitleQuery], *, model: Model | None = None, rates: Rates | None = None
           ) -> list[TitleEnd]:
    """The end of every title of one document (see the module docstring): the first pass weighs
    each title on its own, the second with the document's style as the first pass reads it."""
    if not queries:
        return []
    model_ = model or globals()["model"]()
    base = _base(text, queries, rates)
    style = styles(text, queries, model_, rates, base) if model_.joint else {}
    weights = model_.joint or model_.weights
    result = []
    for index, (query, scored) in enumerate(zip(queries, base, strict=True)):
        if scored is None:
            result.append(TitleEnd(query.stop, 1.0))
            continue
        known = style.get(index)
        if known is not None:
            scored = [(end, names + _style_features(text, end, text[query.start : end], kind_group(query.kind), known))
                      for end, names in scored]
        posterior = _posterior(scored, weights)
        if not posterior:
            result.append(TitleEnd(min(query.stop, query.start + _MAX_TITLE, len(text)), 0.0))
            continue
        repeated = _repeated_end(text, query, scored)
        if repeated is not None:
            # (the body opens with the whole title again: 农业|农业是国民经济的基础)
            result.append(TitleEnd(repeated, max(REPEAT_PROBABILITY, dict((e, p) for p, e in posterior)[repeated])))
            continue
        probability, end = posterior[0]
        result.append(TitleEnd(end, probability))
    return result


# How often the earliest reading that the text right after it repeats whole (农业|农业是国民经济的
# 基础，…; 医药|医药行业要…) is the title: 22 of the 22 titles of the corpus (outlines, communiqués,
# reports) that have one, read with the rule of succession (23/24); see _repeated_end.
REPEAT_PROBABILITY = 0.958


def _repeated_end(text: str, query: TitleQuery, scored: Candidates) -> int | None:
    """The earliest candidate end after which the text opens with the whole title again (at
    least two characters, a Han one among them, not cutting a digit run: 20|20年 is none), or None."""
    for end, _ in sorted(scored):
        title = text[query.start : end]
        if len(title) >= 2 and any("\u4e00" <= char <= "\u9fff" for char in title) \
                and not _splits_digits(text, end) and text.startswith(title, end):
            return end
    return None
