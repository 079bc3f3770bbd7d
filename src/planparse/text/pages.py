"""Stage ``pages``: find the printed page numbers glued into running text and remove them.

Plans extracted from PDFs carry each page's printed number inside the text (``取9消`` is
``取消`` + page 9; ``1320`` can be list item 13 + page 20). A page number alone is
indistinguishable from a quantity, but the *sequence* is not: pages run 1, 2, 3 … at a roughly
constant distance, every TOC heading lies between the marks of its page and the next, and removing
a true page number joins the characters around it into a word. Candidates are scored locally
(context, word continuity) and one increasing sequence is chosen by dynamic programming.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import repeat

import regex
import yaml

from ..document import FrontMatter, NormalizedText, PagedText, PageMarker
from ..models import RecordWarning, Repair
from ..offsets import OffsetMap, delete_spans

_DIGITS = regex.compile(r"\d+")
_MAX_CANDIDATES_PER_PAGE = 400
_MIN_PAGES = 3
# Pairs of strong candidates that must agree on a page length before a chain is looked for (a
# short communiqué of six pages may show only three strong marks, two pairs).
_MIN_LENGTH_PAIRS = 2
# Pages the sequence may skip in a row (a page number hidden in a table blob, or scored as a
# quantity): beyond this the evidence has ended.
_MAX_SKIP = 3
# Candidates scoring below this are dropped; mildly negative ones stay, since the sequence and the
# gap prior can still vouch for them (``受到3区域性`` looks like a quantity but sits where a page ends).
_MIN_SCORE = -3.5
# A page number glued inside a digit run (1[3]24892) starts from a lower score than one at its
# edge; a remainder printed elsewhere in the text as a number of its own is evidence for the cut.
_SKIP_COST = 2.0
# A page's number printed at its top lands at the start of the page's text: the body's first page
# mark right where the body begins (…2009年2月26日|1|2008年，全国… after a communiqué's date line; the
# seed's 591《东北振兴… after its TOC's last page) is likelier than the same digits a page later.
_BODY_START_BONUS = 2.0
# A chain is taken for page numbers only when it beats what chance builds from the same numbers
# read backwards by this factor and margin.
_CHANCE_FACTOR = 1.5
_CHANCE_MARGIN = 3.0
# … and only when its evidence reaches _MIN_SCORE + _MIN_SCORE_PER_PAGE per mark: chance chains of
# ordinary numbers (a list's items, partial cuts of quantities) are short or weak in every member,
# while a real chain's evidence grows with its length. Chosen on the corpus's tuned half (the
# chains that damaged variants without page numbers build all fall below it, with a margin).
_MIN_CHAIN_SCORE = 6.0
_MIN_SCORE_PER_PAGE = 1.8
# Beyond this many marks a chain asks less of each further mark: the chains of ordinary numbers in
# the variants without page numbers never reach it (the longest has 6), because chance does not
# keep up a page's period for long, so a longer chain's period is itself evidence (number-dense
# communiqués' real chains of 7–14 pages scored 1.3–2 per mark and were refused).
_LONG_CHAIN = 6
_LONG_SCORE_PER_PAGE = 1.0
# A chain short of that evidence is kept when it covers the body at a printed page's period (see
# _covers_body): at least this many marks, this much evidence per mark, a period of at most this
# many characters (a plan page of 小四 type holds about 1 000–1 600), a spread of page lengths at
# most this, no more than this many pages without a mark at either end, and marks spanning at
# least this share of the pages the body holds.
_COVERAGE_MIN_MARKS = 5
_COVERAGE_MIN_PER_MARK = 1.0
_COVERAGE_MAX_PERIOD = 2000.0
_COVERAGE_MAX_SPREAD = 0.2
_COVERAGE_EDGE = 1.5
_COVERAGE_MIN_SHARE = 0.8
# … and only when its members' own evidence averages at least this.
_MIN_MEAN_LOCAL = 0.6
# Text whose lines are lost but where no chain was found may still hold page numbers the chain
# could not see (all among table digits): "none" is said with this confidence only.
_NOT_FOUND_CONFIDENCE = 0.6
# A removal less sure than this is named in a ``page_number_uncertain`` warning (the chain's pick
# among a table row's digits: its page start may be off).
_SURE_REMOVAL = 0.8
# A chain member is removed only when it is likelier the page's mark than an ordinary number.
_MIN_REMOVAL_PROBABILITY = 0.5
# Evidence of a removal that rejoins a dictionary word: per decade of the word's frequency, within bounds.
_JOIN_PER_DECADE = 0.35
_JOIN_MIN = 0.5
_JOIN_MAX = 1.5
_MIN_SPREAD = 0.15
# Spreads tried when a first chain's own is looser than _LOOSE_SPREAD (see _refined); printed pages
# of one document vary by 5–20 % in length, a chain of chance numbers by far more.
_SPREAD_GRID = (0.15, 0.25, 0.5)
_LOOSE_SPREAD = 0.3
_REFINE_PASSES = 2
_INFIX_SCORE = 0.2
_ELSEWHERE_BONUS = 0.3
# How far apart consecutive list items may be (characters).
_ITEM_WINDOW = 400
# A printed page of a plan holds a few hundred characters at least (a page of table rows fewer):
# page marks closer than this are numbers in the text, not pages.
MIN_PAGE_CHARS = 250.0
MIN_MEAN_GAP = 200.0
# … and at most this many (an A4 page of small type holds about 1 500 Chinese characters):
# numbers farther apart than this are footnotes or section numbers, not page marks.
MAX_PAGE_CHARS = 2500.0


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, str]:
    """Context characters (``data/pages_context.yaml``)."""
    data = yaml.safe_load((resources.files("planparse") / "data" / "pages_context.yaml").read_text(encoding="utf-8"))
    return {key: "".join(value) for key, value in data.items() if key not in _WORD_LISTS}


_WORD_LISTS = ("label_words", "caption_words", "ordinal_words")


@lru_cache(maxsize=4)
def _words(key: str) -> tuple[str, ...]:
    """A list of words of ``data/pages_context.yaml`` (:data:`_WORD_LISTS`), longest first."""
    data = yaml.safe_load((resources.files("planparse") / "data" / "pages_context.yaml").read_text(encoding="utf-8"))
    return tuple(sorted(data[key], key=len, reverse=True))


@lru_cache(maxsize=1)
def _word_frequencies() -> dict[str, int]:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    return jieba.dt.FREQ


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


@dataclass(frozen=True)
class _Candidate:
    offset: int  # normalized offset of the page-number digits
    length: int
    page: int
    run_start: int
    run: str
    score: float


class _Context:
    def __init__(self, text: str) -> None:
        self.text = text
        lexicon = _lexicon()
        self.units = lexicon["quantity_units"]
        self.before_quantity = lexicon["before_quantity"]
        self.line_start_forbidden = lexicon["line_start_forbidden"]
        self.line_end_forbidden = lexicon["line_end_forbidden"]
        self._freq: dict[str, int] | None = None
        # Every digit run that could number a list item (a whole run followed by Han text), for
        # telling items ``1粮食…；2现代…`` from page numbers: an item has its neighbour v±1 nearby.
        self._item_pos: list[int] = []
        self._item_value: list[int] = []
        # How often each whole digit run occurs: a number the text prints elsewhere is a number.
        self.runs: Counter[str] = Counter(match.group() for match in _DIGITS.finditer(text))
        # Does the text still print decimal points? Where they were stripped (0.8 → 08), a
        # number left with a leading zero is an ordinary damaged decimal, not impossible.
        self.decimals_printed = len(_DECIMAL.findall(text)) >= _DECIMALS_PRINTED
        self.writes_groups = len(_GROUPED.findall(text)) >= _GROUPS_SHOWN
        self.fraction_length = _usual_fraction_length(text) if self.decimals_printed else None
        # The digits of stripped tokens (5|基站 is 5G基站, 4|级旅游景区 is 4A级): never a page.
        self._token_spans = _token_digit_spans(text)
        self._entry_index: dict[str, list[tuple[int, str]]] | None = None
        self._note_index: tuple[dict[str, list[int]], frozenset[int]] | None = None
        self._digit_positions: list[int] | None = None
        self._found: dict[str, int] = {}
        for match in _DIGITS.finditer(text):
            if len(match.group()) <= 3 and match.end() < len(text) and _opens_item(text[match.end()]):
                self._item_pos.append(match.start())
                self._item_value.append(int(match.group()))

    def _item_near(self, value: int, start: int, end: int) -> bool:
        """Is there a list-item run equal to ``value`` starting in [start, end)?"""
        low = bisect_left(self._item_pos, start)
        high = bisect_left(self._item_pos, end)
        return any(self._item_value[index] == value for index in range(low, min(high, low + 50)))

    def continues_list(self, value: int, start: int, end: int) -> bool:
        """Does the number ``value`` at [start, end) continue a list (item value-1 just before)?"""
        return value > 1 and self._item_near(value - 1, max(0, start - _ITEM_WINDOW), start)

    def is_list_item(self, value: int, start: int, end: int) -> bool:
        """Item value-1 shortly before, or item value+1 shortly after (``1…；2…；3…``)."""
        return self.continues_list(value, start, end) or self._item_near(value + 1, end, end + _ITEM_WINDOW)

    def joins_word(self, left: int, right: int) -> int:
        """The dictionary frequency of the commonest word the characters around a removed span
        form (0: none). 审查机|10|制 joins 机制, a common word; 按|10|压减 joins only 按压."""
        text = self.text
        if left < 0 or right >= len(text) or not (_is_han(text[left]) and _is_han(text[right])):
            return 0
        if self._freq is None:
            self._freq = _word_frequencies()
        best = 0
        for before in (1, 2):
            for after in (1, 2):
                if left - before + 1 < 0 or right + after > len(text):
                    continue
                word = text[left - before + 1 : left + 1] + text[right : right + after]
                frequency = self._freq.get(word, 0)
                if frequency > best and all(_is_han(ch) for ch in word):
                    best = frequency
        return best

    def features(self, start: int, end: int, run_start: int, run_end: int) -> list[str] | None:
        """What a digit span [start, end) inside run [run_start, run_end) shows about being a
        glued page number (names the model weighs), or None when it cannot be one. Each piece of
        evidence also comes paired with the span's shape (``suffix&next:han``): what a year after
        the cut means for a prefix is not what it means for a whole run."""
        evidence = self.evidence(start, end, run_start, run_end)
        if evidence is None:
            return None
        shape, names = evidence
        return [*names, *(f"{shape}&{name}" for name in names[1:] if not name.startswith(_UNPAIRED))]

    def evidence(self, start: int, end: int, run_start: int, run_end: int) -> tuple[str, list[str]] | None:
        """The span's shape and its features before pairing (see :meth:`features`), or None."""
        text = self.text
        whole = start == run_start and end == run_end
        infix = start > run_start and end < run_end
        if self.in_token(start, end) or self.splits_number(start, end, run_start, run_end) \
                or self.breaks_forbidden_line(start, end, run_start, run_end):
            return None
        shape = "whole" if whole else ("infix" if infix else ("prefix" if start == run_start else "suffix"))
        before = text[run_start - 1] if run_start > 0 else ""
        after = text[run_end] if run_end < len(text) else ""
        names = [f"shape:{shape}", f"plen:{end - start}", f"rlen:{min(run_end - run_start, 6)}"]
        remainder = text[run_start:start] + text[end:run_end]
        if not whole:
            if self._impossible_zero(remainder, run_start, run_end):
                if self.decimals_printed:
                    return None  # no number is printed with a leading zero
                names.append("remainder_leading_zero")  # 增长4|08: page 4 before a stripped 0.8
            if self.runs.get(remainder, 0):
                names.append("remainder_printed_elsewhere")
            if self.fraction_tail(start, end, run_start, run_end):
                names.append("fraction_tail")
            names.append(f"remainder_len:{min(len(remainder), 5)}")
            if _YEAR.fullmatch(remainder) and after == "年":
                names.append("remainder_year")  # 4|2020年: a page number before a year
        if self.runs.get(text[run_start:run_end], 0) > 1:
            names.append("run_printed_elsewhere")
        names.append(f"digit_density:{self.density_band(start, end)}")
        if (whole and self.footnote_entry(start, end)) or (start == run_start and self.note_reference(start, end)):
            # A note's number before its term (16三大国家先进制造业集群：), the term printed
            # elsewhere with that number as its mark, or in a glossary of numbered entries; or
            # the mark itself after the term the glossary defines (品牌矩阵17。): the number is
            # the note's, whatever its place.
            return None
        label = self.label_before(run_start)
        if label is not None and label in _words("ordinal_words") and after not in _CHINESE_NUMERALS:
            return None  # 第4季度: the ordinal's number
        if label is not None and label in _words("caption_words"):
            # 专栏7, 表32015年: a caption's number, often with the year of its title glued on; a
            # caption is one printed line, so no page number is glued into it.
            return None
        if label is not None and start == run_start:
            names.append("after_label")  # 第3|…: the label's own number
            if text.rfind(f"{label}{int(text[start:end]) - 1}", 0, run_start) >= 0:
                names.append("label_continues")  # 表12 came before: this is 表13
        if start == run_start:  # the span touches what precedes the run
            names.append(f"prev:{_char_class(before)}")
            if _is_han(before):
                names.append(f"prevchar:{before}")
            if before and before in self.before_quantity:
                names.append("prev_before_quantity")
        if end == run_end:  # … and what follows it
            names.append(f"next:{_char_class(after)}")
            if _THOUSANDS.match(text, run_end):
                names.append("next_thousands_group")  # 6，565万吨: a number written with separators
            if text.startswith(_QUANTITY_WORDS, run_end):
                names.append("next_quantity_word")  # 增长10左右, 5以上: a quantity's qualifier
            if _is_han(after):
                names.append(f"nextchar:{after}")
            if after and after in self.units:
                names.append("next_unit")
        left = start - 1 if start == run_start else -1
        right = end if end == run_end else -1
        frequency = self.joins_word(left, right) if left >= 0 and right >= 0 else 0
        names.append(f"join:{min(4, int(math.log10(frequency + 1)))}" if frequency else "join:none")
        if whole and _opens_item(after) and self.is_list_item(int(text[start:end]), start, end):
            names.append("list_item")
        elif not whole and not infix and remainder:
            rest_start, rest_end = (run_start, start) if end == run_end else (end, run_end)
            if rest_end - rest_start <= 3 and self.continues_list(int(text[rest_start:rest_end]), rest_start, rest_end):
                names.append("remainder_continues_list")  # 12植物保护工程；1320境外: item 13 + page 20
        return shape, names

    def density_band(self, start: int, end: int) -> str:
        """:func:`digit_density_band` from the text's running digit count (asked per candidate)."""
        if self._digit_positions is None:
            # The offsets of the text's digits, found by the regex engine (a per-character
            # isdigit() loop over a whole plan costs more than every candidate's look-up).
            self._digit_positions = [match.start() for match in _ANY_DIGIT.finditer(self.text)]
        positions = self._digit_positions
        low, high = max(0, start - _DENSITY_WINDOW), min(len(self.text), end + _DENSITY_WINDOW)
        digits = (bisect_left(positions, start) - bisect_left(positions, low)
                  + bisect_left(positions, high) - bisect_left(positions, end))
        return _band(digits / max(1, start - low + high - end))

    def in_token(self, start: int, end: int) -> bool:
        """Do the digits [start, end) overlap a stripped token's own digits?"""
        index = bisect_left(self._token_spans, (end, end))
        return index > 0 and self._token_spans[index - 1][1] > start

    def _term_after(self, end: int) -> str | None:
        """The term a note entry explains, from ``end`` up to its colon (None: no such term)."""
        text = self.text
        colon = _TERM_END.search(text, end, min(len(text), end + _TERM_MAX + 1))
        if colon is None or colon.group() not in "：:" or colon.start() - end < 2:
            return None
        return text[end : colon.start()]

    def splits_number(self, start: int, end: int, run_start: int, run_end: int) -> bool:
        """Would taking [start, end) out leave a printed number without its digits? A page break
        never falls inside a decimal number (13．|5, 5|．8) nor between a number and its percent
        sign (提高2|％): the digits there are the number's own."""
        text = self.text
        after_point = start == run_start and self._follows_digit_and(run_start, _POINTS)
        before_point = end == run_end and run_end + 1 < len(text) and text[run_end] in _POINTS and text[run_end + 1].isdigit()
        before_percent = end == run_end and run_end < len(text) and text[run_end] in _PERCENTS
        return after_point or before_point or before_percent or self._splits_group(start, end, run_start, run_end) \
            or self._takes_ratio_term(start, end, run_start, run_end)

    def fraction_tail(self, start: int, end: int, run_start: int, run_end: int) -> bool:
        """Is the span the end of a decimal's fraction, longer than the text's fractions usually
        are, whose cut leaves the usual length (1993 communiqué: 1．1|2电视机, -10．4|2原盐, in a
        text printing 9 in 10 fractions with one digit)?"""
        return (self.fraction_length is not None and end == run_end and start > run_start
                and start - run_start == self.fraction_length and self._follows_digit_and(run_start, _POINTS))

    def _follows_digit_and(self, run_start: int, marks: str) -> bool:
        """Does the run stand right after a digit and one of ``marks`` (13．|5, 2，|626, 7：|3)?"""
        text = self.text
        return run_start >= 2 and text[run_start - 1] in marks and text[run_start - 2].isdigit()

    def group_tail(self, run_start: int) -> bool:
        """Does the run continue a number written in thousands groups (2，626万吨) in a text that
        writes them (at least _GROUPS_SHOWN groups)?"""
        return self.writes_groups and self._follows_digit_and(run_start, _GROUP_MARKS)

    def _group_then_page(self, run_start: int, run_end: int) -> bool:
        """A thousands group with digits glued after it (7，0856): what a page cut leaves there is
        the group, whose leading zero (085) is printed."""
        return run_end - run_start > _GROUP_DIGITS and self.group_tail(run_start)

    def _impossible_zero(self, remainder: str, run_start: int, run_end: int) -> bool:
        """Would the cut leave a number with a leading zero (4|08 → 08), which no printed number
        has, a thousands group's aside?"""
        return len(remainder) > 1 and remainder.startswith("0") and not self._group_then_page(run_start, run_end)

    def _splits_group(self, start: int, end: int, run_start: int, run_end: int) -> bool:
        """A thousands group holds three digits: a page mark glued to one (7，085|6万吨) is the
        digits after them, never one of the group's own (2，6|26万吨). A shorter run after a comma
        is no group (达到55，|25|比1980年: page 25 after a clause)."""
        return (run_end - run_start >= _GROUP_DIGITS and self.group_tail(run_start)
                and (start != run_start + _GROUP_DIGITS or end != run_end))

    def _takes_ratio_term(self, start: int, end: int, run_start: int, run_end: int) -> bool:
        """A ratio or a time (粮经比7：3, 10:30) keeps both its terms: a whole run right after
        ``digit：`` is the second one."""
        return start == run_start and end == run_end and self._follows_digit_and(run_start, _RATIO_MARKS)

    def breaks_forbidden_line(self, start: int, end: int, run_start: int, run_end: int) -> bool:
        """Would a page break at [start, end) begin a line with a mark that never begins one
        (``外交部3|．``, ``66|、``) or end a line with one that never ends one (``（|5``)? Chinese
        typesetting forbids both (``line_start_forbidden``, ``line_end_forbidden``)."""
        text = self.text
        before_mark = end == run_end and run_end < len(text) and text[run_end] in self.line_start_forbidden
        after_mark = start == run_start and run_start > 0 and text[run_start - 1] in self.line_end_forbidden
        return before_mark or after_mark

    def footnote_entry(self, start: int, end: int) -> bool:
        """Is the number at [start, end) a note's number, before the term it explains (名词解释:
        ``[16] 三大国家先进制造业集群：…`` lost its brackets)? The term, up to its colon, is printed
        elsewhere with that number as its reference mark (…集群[16]向 → 集群16向), or printed
        elsewhere while a neighbouring number opens an entry of the same kind (a glossary:
        ``30…：…。31安全生产“十五条”硬措施：…。32…：``); or it opens one of a run of numbered
        notes at sentence starts (:meth:`_opens_note`)."""
        text = self.text
        if self._opens_note(start, end):
            return True
        term = self._term_after(end)
        if term is None:
            return False
        number = text[start:end]
        if self._first(term + number) >= 0:
            return True
        if self._first(term) == end or self._inside_term(start):  # the term is printed only here
            return False
        return any(self._opens_entry(str(int(number) + step), start) for step in (-1, 1))

    def _inside_term(self, position: int) -> bool:
        """Does ``position`` lie inside an earlier entry's term (``14“东进17东出、西进西出”：`` is
        entry 14 with page 17 glued into its term)?"""
        text = self.text
        low = max(0, position - _TERM_MAX)
        for match in _DIGITS.finditer(text, low, position):
            term = self._term_after(match.end())
            if term is not None and match.end() + len(term) > position:
                return True
        return False

    def _opens_entry(self, number: str, near: int) -> bool:
        """Does ``number`` open a note entry (a whole run before a term and its colon) within a
        glossary's reach of ``near``?"""
        # (an entry whose term holds ``near`` was ruled out before: :meth:`_inside_term`)
        return any(abs(entry - near) <= _GLOSSARY_WINDOW for entry, _ in self._entries().get(number, ()))

    def note_reference(self, start: int, end: int) -> bool:
        """Is the number at [start, end) a note's reference mark, right after the term a numbered
        glossary entry defines (…品牌矩阵17。 and the entry ``17“十百千万”品牌矩阵：…``), or right
        after the term a numbered note opens with (…接入用户[28]45414万户 → ``接入用户2845414`` and
        the note ``。[28]固定互联网光纤宽带接入用户是指…``)?"""
        text = self.text
        number = text[start:end]
        for entry, term in self._entries().get(number, ()):
            tail = term[-_MARK_TERM_TAIL:]
            if entry != start and len(tail) >= 2 and text.endswith(tail, 0, start):
                return True
        for entry in self._notes()[0].get(number, ()):
            opening = entry + len(number)
            if entry != start and any(text[start - size : start] == text[opening : opening + size]
                                      for size in range(_NOTE_TERM_MIN, min(_TERM_MAX, start) + 1)):
                return True
        return False

    def _opens_note(self, start: int, end: int) -> bool:
        """Does the number at [start, end) open a numbered note (at a sentence's start, before Han
        text, note n±1 close by) whose term is printed elsewhere with that number as its mark
        (``。30民间固定资产投资是指…`` and ``…民间固定资产投资30…``)? A statistical communiqué's
        notes have no colon. (Neighbours alone are no proof: a page holding only a figure puts
        two page marks 100 characters apart, ``。32图1…。33做优…``.)"""
        number = self.text[start:end]
        notes, in_runs = self._notes()
        if start not in notes.get(number, ()):
            return False
        if start in in_runs:
            return True  # one of three or more notes numbered in a row (9…。10…。11…)
        text = self.text
        return any(self._first(text[end : end + size] + number) >= 0
                   for size in range(_NOTE_TERM_MIN, _TERM_MAX + 1)
                   if end + size <= len(text) and _is_han(text[end + size - 1]))

    def _notes(self) -> tuple[dict[str, list[int]], frozenset[int]]:
        """Every whole digit run of at most three digits at a sentence's start and before Han
        text (where a note's number stands once its brackets are lost) with note n±1 close by, by
        its digits (candidates only: see :meth:`_opens_note`); and the offsets of those in a run
        of three or more (:func:`_numbered_runs`). Built once, on first use. A run before a
        heading's label is not one: a TOC prints ``title14`` and the body ``。14第一节title``."""
        if self._note_index is None:
            from ..structure.grammar import match_label

            openings = [(match.start(1), int(match.group(1))) for match in _NOTE_OPENING.finditer(self.text)
                        if match_label(self.text, match.end(1)) is None]
            index: dict[str, list[int]] = {}
            for here, (offset, number) in enumerate(openings):
                if _has_neighbour_note(openings, here):
                    index.setdefault(str(number), []).append(offset)
            self._note_index = (index, _numbered_runs(openings))
        return self._note_index

    def _first(self, needle: str) -> int:
        """``text.find(needle)``, remembered (a long text asks for the same terms again)."""
        found = self._found.get(needle)
        if found is None:
            found = self._found[needle] = self.text.find(needle)
        return found

    def _entries(self) -> dict[str, list[tuple[int, str]]]:
        """Every whole digit run that opens a note entry (its term up to a colon follows), by its
        digits: (offset, term). Built once, on first use."""
        if self._entry_index is None:
            index: dict[str, list[tuple[int, str]]] = {}
            for match in _DIGITS.finditer(self.text):
                term = self._term_after(match.end())
                if term is not None:
                    index.setdefault(match.group(), []).append((match.start(), term))
            self._entry_index = index
        return self._entry_index

    def label_before(self, run_start: int) -> str | None:
        """The label word (表, 专栏, 第 …) that ends right before a digit run, if any."""
        return next((word for word in _words("label_words") if self.text.endswith(word, 0, run_start)), None)

    def heuristic(self, start: int, end: int, run_start: int, run_end: int) -> float:
        """The hand-written evidence of the seed's damage (list item 13 + page 20 = ``1320``, a page
        before a year, a page inside a word), one real-valued feature of the model: it knows
        patterns too rare in the corpus's variants to be learned from them."""
        text = self.text
        prev_char = text[start - 1] if start > 0 else ""
        next_char = text[end] if end < len(text) else ""
        whole = start == run_start and end == run_end
        infix = start > run_start and end < run_end
        score = 1.0 if whole else (_INFIX_SCORE if infix else 0.45)
        if not whole:
            remainder = text[run_start:start] + text[end:run_end]
            if self.decimals_printed and self._impossible_zero(remainder, run_start, run_end):
                return -9.0  # no number is printed with a leading zero
            if self.runs.get(remainder, 0):
                score += _ELSEWHERE_BONUS  # the number without the page digits is printed elsewhere
            if self.runs.get(text[run_start:run_end], 0) > 1:
                score -= _ELSEWHERE_BONUS  # the run as printed recurs: it is a number
        if end == run_end and next_char and next_char in self.units:
            score -= 0.8  # 2020年, 35万: a quantity
        if start == run_start and prev_char and prev_char in self.before_quantity:
            score -= 0.7  # 第3, 约5, 达到6 (a cut from a longer run leaves the quantity after them)
        if end == run_end and next_char in ".%．":
            score -= 0.8
        if start == run_start and end == run_end and (prev_char in ".-/～~" or next_char in "-/～~"):
            score -= 0.6
        left = start - 1 if start == run_start else -1
        right = end if end == run_end else -1
        frequency = self.joins_word(left, right) if left >= 0 and right >= 0 else 0
        joined = frequency > 0
        if joined:
            # The commoner the word the removal rejoins, the stronger the evidence.
            score += min(_JOIN_MAX, max(_JOIN_MIN, _JOIN_PER_DECADE * math.log10(frequency + 1)))
        elif prev_char in "。；，：" or next_char in "。；，：":
            score += 0.1
        if whole and not joined and _opens_item(next_char) and self.is_list_item(int(text[start:end]), start, end):
            # A list item (1粮食生产基地；2现代农业示范区); never inside a word (示15范区).
            score -= 0.9
        elif not whole and not infix:
            rest_start, rest_end = (run_start, start) if end == run_end else (end, run_end)
            if rest_end - rest_start <= 3 and self.continues_list(int(text[rest_start:rest_end]), rest_start, rest_end):
                score += 0.4  # 12植物保护工程；1320境外: item 13 + page 20
        return score

    def score(self, start: int, end: int, run_start: int, run_end: int) -> float:
        """How much more likely than any digit span a span [start, end) inside run
        [run_start, run_end) is a glued page number: the model's log-odds
        (``data/page_model.json``, fitted by ``benchmarks/fit_page_model.py``) less the base
        rate's, so the chain search can add it up against its gap and skip costs."""
        evidence = self.evidence(start, end, run_start, run_end)
        if evidence is None:
            return -99.0
        shape, names = evidence
        weights, prior = _page_model()
        heuristic = weights.get("heuristic", 0.0) * self.heuristic(start, end, run_start, run_end)
        return weights.get("bias", 0.0) + heuristic + sum(map(_paired_weights(shape).get, names, repeat(0.0))) - prior


_DENSITY_WINDOW = 30
# What str.isdigit() calls a digit (numeric type Decimal or Digit: 5, ５, ², ①).
_ANY_DIGIT = regex.compile(r"[\p{Numeric_Type=Decimal}\p{Numeric_Type=Digit}]")
_DENSITY_BANDS = ((0.05, "lt5"), (0.15, "lt15"), (0.3, "lt30"), (0.5, "lt50"), (1.01, "ge50"))
_YEAR = regex.compile(r"(?:19|20)\d\d")
_DECIMAL = regex.compile(r"\d[.．]\d")
_FRACTION = regex.compile(r"(?<=\d[.．])\d+")
# A text's fractions have a usual length when at least this share of them has it.
_USUAL_FRACTION_SHARE = 0.85
_DECIMALS_PRINTED = 3
_THOUSANDS = regex.compile(r"[，,]\d{3}(?!\d)")
# Numbers written in thousands groups (2，626万吨; the 1980s texts): a text writes them when it
# shows a few; a group holds _GROUP_DIGITS digits.
_GROUPED = regex.compile(r"\d[，,]\d{3}(?!\d)")
_GROUPS_SHOWN = 3
_GROUP_MARKS = "，,"
_GROUP_DIGITS = 3
_RATIO_MARKS = "：:"
# Words that follow a quantity, never a page number glued into the text.
_QUANTITY_WORDS = ("左右", "以上", "以下", "以内", "上下", "多万", "余万", "多亿", "余亿", "倍")


_OPENING = "（“《【("  # opening marks: a list item's text may begin with one (13“两个毫不动摇”)


# A note's term ends at its colon (三大国家先进制造业集群：), within a short span of no sentence end.
_TERM_END = regex.compile(r"[：:]|[。；！？]")
_TERM_MAX = 30
# A note's term shared by its mark and its entry is at least this long (shorter strings recur by chance).
_NOTE_TERM_MIN = 4
_NOTE_OPENING = regex.compile(r"(?:^|(?<=[。！？\n]))(\d{1,3})(?=\p{Han})", regex.MULTILINE)
# Consecutive notes of the 48 statistical communiqués stand 59 characters apart (median), 225 at
# most (measured on the sources' ``[n]`` entries); page marks mostly stand 250 and more apart.
_NOTE_NEIGHBOUR_WINDOW = 240
_NOTE_RUN = 3
# A digit run longer than this is a table row's glued cells: only its end may hold a page mark.
_MAX_RUN = 12
_CHINESE_NUMERALS = "零〇一二三四五六七八九十百千两"
# Decimal points and percent signs, ASCII and full-width (the 1980s communiqués print ．and ％).
_POINTS = ".．"
_PERCENTS = "%％‰"
# A glossary's neighbouring entries lie within this many characters of each other.
_GLOSSARY_WINDOW = 600
# A reference mark follows its term: this many of the term's last characters must precede it.
_MARK_TERM_TAIL = 4


def _has_neighbour_note(openings: Sequence[tuple[int, int]], here: int) -> bool:
    """Does opening ``here`` (offset, number) have note number±1 within a note's reach? Notes
    mostly stand closer than page marks (:data:`MIN_PAGE_CHARS`)."""
    offset, number = openings[here]
    low, high = bisect_left(openings, (offset - _NOTE_NEIGHBOUR_WINDOW, -1)), bisect_left(openings, (offset + _NOTE_NEIGHBOUR_WINDOW + 1, -1))
    return any(abs(openings[other][1] - number) == 1 for other in range(low, high))


def _numbered_runs(openings: Sequence[tuple[int, int]]) -> frozenset[int]:
    """The offsets of openings in a run of three or more numbered in a row, each within a note's
    reach of the one before (``9…。10…。11…``: a communiqué's notes, whose numbers lost their
    points). Two page marks may stand that close (a page holding only a figure), three hardly."""
    following: dict[int, int] = {}
    for here, (offset, number) in enumerate(openings):
        high = bisect_left(openings, (offset + _NOTE_NEIGHBOUR_WINDOW + 1, -1))
        later = next((other for other in range(here + 1, high) if openings[other][1] == number + 1), None)
        if later is not None:
            following[here] = later
    members: set[int] = set()
    for start in set(range(len(openings))) - set(following.values()):
        chain = [start]
        while chain[-1] in following:
            chain.append(following[chain[-1]])
        if len(chain) >= _NOTE_RUN:
            members.update(openings[index][0] for index in chain)
    return frozenset(members)


def _token_digit_spans(text: str) -> list[tuple[int, int]]:
    """Sorted, disjoint spans of the digits of every stripped-token match (``data/tokens.yaml``
    entries marked ``digits_are_token``)."""
    from ..tokens import lexicon

    spans: list[tuple[int, int]] = []
    for entry in lexicon():
        if entry.get("digits_are_token"):
            for match in entry["compiled"].finditer(text):
                spans.extend(digits.span() for digits in _DIGITS.finditer(text, match.start(), match.end()))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _opens_item(char: str) -> bool:
    """Can a list item's text begin with ``char`` (a Han character or an opening mark: 13“两个毫不动摇”)?"""
    return _is_han(char) or (bool(char) and char in _OPENING)


def _usual_fraction_length(text: str) -> int | None:
    """The number of digits most of the text's printed fractions have (None without a clear habit)."""
    lengths = Counter(len(match.group()) for match in _FRACTION.finditer(text))
    if not lengths:
        return None
    length, count = lengths.most_common(1)[0]
    return length if count >= _USUAL_FRACTION_SHARE * sum(lengths.values()) else None


def digit_density_band(text: str, start: int, end: int) -> str:
    """The share of digits among the characters around a span, in bands: a flattened table's
    rows are dense with digits, where any span is less likely the page mark."""
    window = text[max(0, start - _DENSITY_WINDOW) : start] + text[end : end + _DENSITY_WINDOW]
    return _band(sum(1 for char in window if char.isdigit()) / max(1, len(window)))


def _band(share: float) -> str:
    for bound, name in _DENSITY_BANDS:  # a loop, not next(genexpr): asked for every candidate
        if share < bound:
            return name
    return _DENSITY_BANDS[-1][1]


def _char_class(char: str) -> str:
    if not char:
        return "edge"
    if _is_han(char):
        return "han"
    if char in "。；，：、！？":
        return "punct"
    if char in _OPENING:
        return "open"
    if char in "）”》】)":
        return "close"
    if char.isdigit():
        return "digit"
    return "other"


@lru_cache(maxsize=1)
def _page_model() -> tuple[dict[str, float], float]:
    """The local evidence's weights (log-odds) and the base rate's log-odds (see :meth:`_Context.score`)."""
    import json

    data = json.loads((resources.files("planparse") / "data" / "page_model.json").read_text(encoding="utf-8"))
    weights: dict[str, float] = data["weights"]
    return weights, float(data.get("prior_log_odds", 0.0))


_UNPAIRED = ("prevchar:", "nextchar:")  # features too many and too rare to pair with a shape


@lru_cache(maxsize=8)
def _paired_weights(shape: str) -> dict[str, float]:
    """Each feature's weight plus its pairing's with ``shape`` (``suffix&next:han``): the score of
    :meth:`_Context.features`' list, with one look-up per feature and no paired names built."""
    weights, _ = _page_model()
    prefix = f"{shape}&"
    combined = {name: weight for name, weight in weights.items() if "&" not in name}
    for name, weight in weights.items():
        if name.startswith(prefix):
            base = name[len(prefix):]
            combined[base] = combined.get(base, 0.0) + weight
    return combined


def _candidates(text: str, start: int, end: int, context: _Context, max_page: int) -> dict[int, list[_Candidate]]:
    found: dict[int, list[_Candidate]] = {}
    for match in _DIGITS.finditer(text, start, end):
        run = match.group()
        run_start, run_end = match.span()
        if len(run) > _MAX_RUN:
            # A table blob (a row's cells glued): its digits are the table's business, but a page
            # mark printed after the row's last cell ends it (…俄罗斯3301592382|10|印度…).
            spans = {(run_end - cut, run_end) for cut in range(1, 4)}
        else:
            spans = {(run_start, run_end)}
            for cut in range(1, min(len(run), 4)):
                spans.add((run_end - cut, run_end))  # suffix: 13|20
                spans.add((run_start, run_start + cut))  # prefix: 8|2020年
            for inner in range(1, len(run) - 1):
                for cut in range(1, min(4, len(run) - inner)):
                    spans.add((run_start + inner, run_start + inner + cut))  # infix: 1[3]24892
        # Cuts of one run that leave the same number behind tell the same story (10|107 and
        # 1[01]07 both leave 107): keep one, the cut at the run's edge, with the better score.
        best: dict[tuple[int, str], tuple[float, int, int]] = {}
        for span_start, span_end in sorted(spans, key=lambda span: (span[0] != run_start and span[1] != run_end, span)):
            digits = text[span_start:span_end]
            if digits.startswith("0"):
                continue
            page = int(digits)
            if not 1 <= page <= max_page:
                continue
            score = context.score(span_start, span_end, run_start, run_end)
            if score <= _MIN_SCORE:
                continue
            remainder = text[run_start:span_start] + text[span_end:run_end]
            kept = best.get((page, remainder))
            if kept is None:
                best[(page, remainder)] = (score, span_start, span_end)
            elif score > kept[0]:
                best[(page, remainder)] = (score, kept[1], kept[2])
        for (page, _), (score, span_start, span_end) in best.items():
            found.setdefault(page, []).append(_Candidate(span_start, span_end - span_start, page, run_start, run, score))
    for page, items in found.items():
        if len(items) > _MAX_CANDIDATES_PER_PAGE:
            items.sort(key=lambda item: -item.score)
            found[page] = sorted(items[:_MAX_CANDIDATES_PER_PAGE], key=lambda item: item.offset)
        else:
            items.sort(key=lambda item: item.offset)
    return found


def _anchors(text: str, front: FrontMatter, body_start: int) -> list[tuple[int, int, str]]:
    """(normalized offset, TOC page, label+title) of each TOC heading found in the body, in order."""
    anchors = []
    cursor = body_start
    for entry in front.toc:
        if entry.page is None:
            continue
        needle = entry.label + entry.title
        found = text.find(needle, cursor)
        if found < 0:
            found = text.find(entry.label + entry.title[:4], cursor)
        if found < 0:
            continue
        anchors.append((found, entry.page, needle))
        cursor = found + 1
    return anchors


def _typical_length(found: dict[int, list[_Candidate]]) -> float | None:
    """The most common per-page distance between strong candidates of pages k and k+1…k+3.

    True page marks lie at a roughly constant distance, so their pairwise gaps pile up in one
    bin of a log-scale histogram; pairs of chance digits spread over all bins.
    """
    strong = {
        page: sorted(items, key=lambda item: -item.score)[:5]
        for page, items in found.items()
        if any(item.score >= 1.0 for item in items)
    }
    bins: dict[int, list[float]] = {}
    for page, items in strong.items():
        for step in range(1, _MAX_SKIP + 1):
            for later in strong.get(page + step, []):
                for item in items:
                    if item.score < 1.0 or later.score < 1.0:
                        continue
                    gap = (later.offset - item.offset) / step
                    if MIN_PAGE_CHARS <= gap <= MAX_PAGE_CHARS:
                        bins.setdefault(round(math.log(gap) / 0.1), []).append(gap)
    if not bins:
        return None
    # A 3-bin window (±15 %) tolerates jittered page lengths; the earliest best bin wins ties.
    def weight(key: int) -> int:
        return sum(len(bins.get(key + shift, ())) for shift in (-1, 0, 1))

    # Every window that holds a gap, also one centred between two filled bins (1418 and 1265
    # characters are 12 % apart but two bins apart).
    best = max(sorted({key + shift for key in bins for shift in (-1, 0, 1)}), key=weight)
    if weight(best) < _MIN_LENGTH_PAIRS:
        return None
    gaps = sorted(gap for shift in (-1, 0, 1) for gap in bins.get(best + shift, ()))
    return gaps[len(gaps) // 2]


class _Anchors:
    """The TOC's headings in the body as (offset, page) checks on a chain of page marks."""

    def __init__(self, anchors: Sequence[tuple[int, int, str]]) -> None:
        self.positions = [position for position, _, _ in anchors]
        self.pages = [page for _, page, _ in anchors]

    def __bool__(self) -> bool:
        return bool(self.positions)

    def skipped_penalty(self, start: int, end: int, low_page: int, high_page: int) -> float:
        """A TOC heading between two marks that the TOC puts on a page the chain skips: the page's
        mark exists (the TOC vouches for the page), the chain just has not found it."""
        low = bisect_left(self.positions, start)
        high = bisect_left(self.positions, end)
        return 3.0 * sum(1 for page in self.pages[low:high] if low_page < page < high_page)

    def penalty(self, candidate: _Candidate) -> float:
        """Headings before the mark must be on earlier pages; headings after it on this page or later."""
        index = bisect_left(self.positions, candidate.offset)
        before = sum(1 for page in self.pages[max(0, index - 3) : index] if page >= candidate.page)
        after = sum(1 for page in self.pages[index : index + 3] if page < candidate.page)
        return 3.0 * (before + after)


def _default_length(found: dict[int, list[_Candidate]], anchors: _Anchors, first_page: int, start_offset: int,
                    body_end: int) -> float | None:
    """The typical page length: from the TOC's last page when there is one, else from the gaps
    between strong candidates of nearby pages (:func:`_typical_length`)."""
    if anchors:
        span_pages = max(max(anchors.pages) - first_page + 1, 1)
        return max((body_end - start_offset) / span_pages, MIN_PAGE_CHARS)
    return _typical_length(found)


# A Viterbi state: (score, the page's candidate, back-pointer (previous candidate, its back-pointer)).
_State = tuple[float, _Candidate, tuple | None]


def _best_entry(candidate: _Candidate, local: float, layer: dict[int, list[_State]], spans: Sequence[tuple[int, float, float]],
                anchors: _Anchors, spread: float) -> tuple[float, tuple | None] | None:
    """The best way to reach ``candidate`` (its evidence ``local``) from the states of the pages
    before it, skipping up to ``_MAX_SKIP`` pages at their cost: (score, back-pointer), or None."""
    offset, page = candidate.offset, candidate.page
    top: tuple[float, tuple | None] | None = None
    for skipped, span, skip_cost in spans:
        for score, previous, back in layer.get(page - 1 - skipped, ()):
            if top is not None and score + local - skip_cost <= top[0]:
                break  # states are sorted by score and penalties are >= 0: none can do better
            if previous.offset + previous.length > offset:
                continue
            gap = (offset - previous.offset) / span
            opening = 0.0
            if previous.length == 0:
                opening = _BODY_START_BONUS if offset == previous.offset and not skipped else 0.0
                gap = max(gap, 1.0)  # the first mark may come any distance after the body starts
            penalty = _gap_penalty(gap, spread) + skip_cost - opening
            if skipped and anchors:
                penalty += anchors.skipped_penalty(previous.offset, offset, previous.page, page)
            total = score + local - penalty
            if top is None or total > top[0]:
                top = (total, (previous, back))
    return top


def _closing_score(score: float, candidate: _Candidate, body_end: int, length: float) -> float:
    """A chain's score if it ends at ``candidate``: text left after the last mark beyond a page's
    length (and a fifth) says marks were missed."""
    tail = (body_end - candidate.offset) / length
    return score - (1.0 * math.log(max(tail, 1e-3)) ** 2 if tail > 1.2 else 0.0)


def _backtrack(node: tuple | None, first_page: int) -> list[_Candidate]:
    """The chain a back-pointer ends, first mark first (the start state left out)."""
    chain: list[_Candidate] = []
    while node is not None:
        candidate, node = node
        if candidate.length and candidate.page > first_page:
            chain.append(candidate)
    return list(reversed(chain))


def _choose(
    found: dict[int, list[_Candidate]],
    first: _Candidate | None,
    first_page: int,
    body_start: int,
    body_end: int,
    anchors: list[tuple[int, int, str]],
    max_page: int,
    length: float | None = None,
    spread: float = 0.5,
) -> tuple[list[_Candidate], float]:
    """The best increasing page sequence and its score (Viterbi over pages; a page may be skipped at a cost).

    ``length`` is the typical page length in characters; by default it comes from the TOC's last
    page, or without a TOC from the gaps between strong candidates of nearby pages.
    """
    checks = _Anchors(anchors)
    if not any(page > first_page for page in found):
        return [], 0.0
    if length is None:
        length = _default_length(found, checks, first_page, first.offset if first else body_start, body_end)
        if length is None:
            return [], 0.0
    start_candidate = first or _Candidate(body_start, 0, first_page, body_start, "", 0.0)
    layer: dict[int, list[_State]] = {first_page: [(0.0, start_candidate, None)]}
    best: tuple[float, tuple | None] = (0.0, None)
    # Per number of skipped pages: the expected distance and the skip's cost.
    spans = [(skipped, length * (skipped + 1), _SKIP_COST * skipped) for skipped in range(_MAX_SKIP + 1)]
    for page in range(first_page + 1, max_page + 1):
        current: list[_State] = []
        for candidate in found.get(page, []):
            top = _best_entry(candidate, candidate.score - checks.penalty(candidate), layer, spans, checks, spread)
            if top is not None:
                current.append((top[0], candidate, top[1]))
        if current:
            current.sort(key=lambda state: -state[0])
            current = current[:12]
            layer[page] = current
            for score, candidate, back in current:
                closing = _closing_score(score, candidate, body_end, length)
                if closing > best[0]:
                    best = (closing, (candidate, back))
        if all(page - back not in layer for back in range(_MAX_SKIP + 1)):
            break
        layer.pop(page - _MAX_SKIP - 1, None)
    return _backtrack(best[1], first_page), best[0]


def _period(chain: Sequence[_Candidate]) -> tuple[float, float]:
    """(median page length, spread) of a chain's own marks (at least two)."""
    steps = [(later.offset - earlier.offset) / max(1, later.page - earlier.page) for earlier, later in zip(chain, chain[1:], strict=False)]
    median = sorted(steps)[len(steps) // 2]
    return median, _spread(steps, median)


def _spread(steps: Sequence[float], median: float) -> float:
    """How much page lengths vary, from the first chain's own pages: σ of the log length ratio,
    robustly (median absolute deviation), never below ``_MIN_SPREAD``."""
    ratios = sorted(abs(math.log(step / median)) for step in steps if step > 0 and median > 0)
    if len(ratios) < 4:
        return 0.5
    return max(_MIN_SPREAD, min(0.5, ratios[len(ratios) // 2] / 0.6745))


def _gap_penalty(ratio: float, spread: float) -> float:
    """Cost of a page ``ratio`` times the typical length: a heavy-tailed (Student-t, ν = 2) law on
    the log ratio, so regular pages are held tight while a short page (a figure, a chapter's
    end) costs a bounded amount."""
    log_ratio = math.log(ratio if ratio > 1e-3 else 1e-3)
    return math.log1p(log_ratio * log_ratio / (2.0 * spread * spread))


def _mirrored(found: dict[int, list[_Candidate]], start: int, end: int) -> dict[int, list[_Candidate]]:
    """The candidates as they would stand in the body read backwards (offsets mirrored)."""
    mirrored: dict[int, list[_Candidate]] = {}
    for page, items in found.items():
        mirrored[page] = sorted(
            (_Candidate(end + start - item.offset - item.length, item.length, item.page, item.run_start, item.run, item.score)
             for item in items),
            key=lambda item: item.offset,
        )
    return mirrored


def _fit(offset: int, score: float, page: int, previous: _Candidate | None, following: _Candidate | None,
         length: float, spread: float) -> float:
    """A candidate's evidence and its fit between its chain neighbours."""
    total = score
    if previous is not None:
        total -= _gap_penalty((offset - previous.offset) / (length * (page - previous.page)), spread)
    if following is not None:
        total -= _gap_penalty((following.offset - offset) / (length * (following.page - page)), spread)
    return total


def _posteriors(chain: Sequence[_Candidate], found: dict[int, list[_Candidate]], body_start: int = -1) -> list[tuple[float, float]]:
    """Each chosen mark's probability given its neighbours in the chain: its own evidence and
    fit against every other candidate for the same page between those neighbours, and against
    the page having no mark at all (a local posterior; measured for calibration by the corpus
    harness), with its margin: its fit minus the best rival candidate's (infinite without one).
    The first mark's candidates at ``body_start`` carry the chain's opening bonus, as in :func:`_choose`."""
    if len(chain) < 2:
        return [(0.5, math.inf)] * len(chain)
    length, spread = _period(chain)
    confidences = []
    for index, candidate in enumerate(chain):
        previous = chain[index - 1] if index else None
        following = chain[index + 1] if index + 1 < len(chain) else None
        low = previous.offset + previous.length if previous else 0
        high = following.offset if following else math.inf
        opening = {body_start: _BODY_START_BONUS} if previous is None else {}
        chosen = opening.get(candidate.offset, 0.0) + _fit(candidate.offset, candidate.score, candidate.page, previous, following, length, spread)
        rivals = [opening.get(other.offset, 0.0) + _fit(other.offset, other.score, candidate.page, previous, following, length, spread)
                  for other in found.get(candidate.page, ()) if low <= other.offset < high and other.offset != candidate.offset]
        margin = chosen - max(rivals) if rivals else math.inf
        if previous is not None and following is not None:
            span = (following.offset - previous.offset) / (length * (following.page - previous.page))
            rivals.append(-_SKIP_COST - _gap_penalty(span, spread))
        top = max([chosen, *rivals])
        mass = sum(math.exp(value - top) for value in rivals)
        mine = math.exp(chosen - top)
        confidences.append((mine / (mine + mass), margin))
    return confidences


@dataclass(frozen=True)
class Calibration:
    """Platt scaling of a removal's local posterior, with shifts for where it stands:
    p = σ(slope·logit(raw) + intercept + Σ shift of its covariates)."""

    slope: float
    intercept: float
    shifts: tuple[tuple[str, float], ...] = ()


RAW = Calibration(1.0, 0.0)  # the local posterior itself (what the calibration is fitted on)


def removal_covariates(text: str, offset: int, length: int, digits: str, margin: float = math.inf) -> tuple[str, ...]:
    """Where a removal stands, beyond its posterior: the digit density around it (a flattened
    table's rows, where the chain's pick among many numbers is right less often than its posterior
    says), whether it is cut out of a longer digit run, and whether another candidate for its page
    fits nearly as well (``margin``: the chosen fit minus the best rival's, in nats). A rival within
    one nat makes the pick about a coin toss (55 % right on the tuned half), which the posterior,
    spread over many weak rivals, does not show."""
    band = digit_density_band(text, offset, offset + length)
    part = length < len(digits)
    names = [f"band:{band}"] if band not in _BASE_BANDS else []
    if margin < _CLOSE_RIVAL:
        names.append("close_rival")
    if part:
        names.append("part")
        if band in _DENSE_BANDS:
            names.append("part&dense")
    return tuple(names)


_BASE_BANDS = ("lt5",)
_CLOSE_RIVAL = 1.0  # nats: a rival this close makes the chain's pick a near tie (removal_covariates)
_DENSE_BANDS = ("lt50", "ge50")


@lru_cache(maxsize=1)
def _calibration() -> Calibration:
    """The calibration of ``data/page_calibration.yaml``, fitted by
    ``benchmarks/fit_page_calibration.py`` on the corpus's tuned half."""
    data = yaml.safe_load((resources.files("planparse") / "data" / "page_calibration.yaml").read_text(encoding="utf-8"))
    shifts = tuple(sorted((str(name), float(value)) for name, value in (data.get("shifts") or {}).items()))
    return Calibration(float(data["slope"]), float(data["intercept"]), shifts)


def probability(raw: float, calibration: Calibration | None = None, covariates: Sequence[str] = ()) -> float:
    """A removal's probability from its local posterior and covariates."""
    calibration = calibration or _calibration()
    shifts = dict(calibration.shifts)
    raw = min(max(raw, 1e-6), 1 - 1e-6)
    logit = calibration.slope * math.log(raw / (1 - raw)) + calibration.intercept + sum(shifts.get(name, 0.0) for name in covariates)
    return 1.0 / (1.0 + math.exp(-logit))


def calibrated(raw: float, calibration: Calibration | None = None, covariates: Sequence[str] = ()) -> float:
    """A removal's confidence: its probability, at most 0.99 (never certain) and at least 0.5 (a
    mark below it is left in the text, see :func:`remove_page_numbers`)."""
    return max(_MIN_REMOVAL_PROBABILITY, min(0.99, probability(raw, calibration, covariates)))


def _max_page(front: FrontMatter, text: str) -> int:
    """The highest page number looked for. The TOC's last page bounds the pages only loosely: a
    TOC may be cut short (its last page then says nothing of the body's), so the text's length
    bounds them too."""
    toc_pages = [entry.page for entry in front.toc if entry.page is not None]
    return min(max((max(toc_pages) + 8) if toc_pages else 0, 20, len(text) // 150), 5000)


def _start_marker(front: FrontMatter) -> PageMarker | None:
    """Where the body's numbering starts: at its own mark, or continuing the front matter's (no restart)."""
    markers = [marker for marker in front.markers if marker.front]
    body_marker = next((marker for marker in front.markers if not marker.front), None)
    return body_marker or (max(markers, key=lambda marker: marker.page) if markers else None)


def _with_first_page(found: dict[int, list[_Candidate]], text: str, context: _Context, body_start: int) -> int:
    """A page's number printed at its top comes first in the extracted text: page 1's mark may
    stand at the text's very first character, before what reads as front matter. Adds it to
    ``found`` and returns where the chain starts."""
    head = _DIGITS.match(text)
    if head is not None and body_start > 0:
        first_marks = [candidate for candidate in _candidates(text, 0, head.end(), context, 1).get(1, []) if candidate.offset == 0]
        if first_marks:
            found.setdefault(1, []).extend(first_marks)
            return 0
    return body_start


def _removals(text: str, chain: Sequence[_Candidate], found: dict[int, list[_Candidate]], opening: int,
              calibration: Calibration | None) -> tuple[list[PageMarker], list[_Candidate]]:
    """The chain's marks with their calibrated confidence, and the marks left in the text: those
    likelier an ordinary number than the page's mark."""
    removed: list[PageMarker] = []
    doubtful: list[_Candidate] = []
    for candidate, (raw, margin) in zip(chain, _posteriors(chain, found, opening), strict=True):
        covariates = removal_covariates(text, candidate.offset, candidate.length, candidate.run, margin)
        if calibration is not RAW and probability(raw, calibration, covariates) < _MIN_REMOVAL_PROBABILITY:
            doubtful.append(candidate)
            continue
        confidence = calibrated(raw, calibration, covariates)
        removed.append(PageMarker(candidate.offset, candidate.length, candidate.page, candidate.run, round(confidence, 2), raw=raw,
                                  covariates=covariates))
    return removed, doubtful


def _removal_warnings(doubtful: Sequence[_Candidate], removed: Sequence[PageMarker]) -> list[RecordWarning]:
    """Never silent: the marks left in the text, and the removals made at a low confidence."""
    warnings = []
    if doubtful:
        warnings.append(RecordWarning(code="page_number_doubtful", message=(
            f"{len(doubtful)} page number(s) the chain places were left in the text, each likelier an ordinary number: "
            + ", ".join(f"page {candidate.page} in {candidate.run}" for candidate in doubtful[:8])),
            page=doubtful[0].page if len(doubtful) == 1 else None)
            .at(pages=[candidate.page for candidate in doubtful]))
    unsure = [marker for marker in removed if marker.confidence < _SURE_REMOVAL]
    if unsure:
        warnings.append(RecordWarning(code="page_number_uncertain", message=(
            f"{len(unsure)} page number(s) removed at a confidence below {_SURE_REMOVAL}: "
            + ", ".join(f"page {marker.page} ({marker.confidence:.2f}) in {marker.digits}" for marker in unsure[:8])
            + "; the page starts there, and the pages of the headings near them, may be off by one"),
            page=unsure[0].page if len(unsure) == 1 else None).at(pages=[marker.page for marker in unsure]))
    return warnings


def _cut(norm: NormalizedText, all_markers: Sequence[PageMarker], body_markers: Sequence[PageMarker], body_start: int,
         anchors: Sequence[tuple[int, int, str]], warnings: Sequence[RecordWarning]) -> PagedText:
    """The text with the marks taken out, its offset maps and its page starts."""
    clean, to_normalized = delete_spans(norm.text, [(marker.offset, marker.offset + marker.length) for marker in all_markers])
    # Normalized → clean offsets: shift by the markers removed before each offset.
    removed_starts = [marker.offset for marker in all_markers]
    removed_lengths = [0]
    for marker in all_markers:
        removed_lengths.append(removed_lengths[-1] + marker.length)

    def to_clean(offset: int) -> int:
        return offset - removed_lengths[bisect_left(removed_starts, offset)]

    found_starts = sorted((to_clean(marker.offset), marker.page) for marker in body_markers)
    page_starts = _with_estimated_starts(found_starts)
    return PagedText(
        text=clean,
        to_normalized=to_normalized,
        normalized=norm,
        page_starts=tuple(page_starts),
        markers=tuple(all_markers),
        body_start=to_clean(body_start),
        repairs=tuple(_page_repairs(norm, all_markers)),
        warnings=(*warnings, *_page_start_warnings(found_starts, anchors, to_clean)),
        line_breaks=frozenset(to_clean(offset) for offset in norm.line_breaks),
        estimated_pages=frozenset(page for _, page in page_starts) - {page for _, page in found_starts},
    )


def remove_page_numbers(norm: NormalizedText, front: FrontMatter, calibration: Calibration | None = None) -> PagedText:
    """Detect and remove printed page numbers (front matter and body); see the module docstring."""
    text = norm.text
    body_start = front.body_start
    markers = [marker for marker in front.markers if marker.front]
    body_marker = next((marker for marker in front.markers if not marker.front), None)
    toc_pages = [entry.page for entry in front.toc if entry.page is not None]
    max_page = _max_page(front, text)
    start_marker = _start_marker(front)
    first_page = start_marker.page if start_marker else 0
    first_candidate = (
        _Candidate(start_marker.offset, start_marker.length, start_marker.page, start_marker.offset, start_marker.digits, 1.0)
        if start_marker
        else None
    )
    context = _Context(text)
    found = _candidates(text, body_start, len(text), context, max_page)
    chain_start = body_start if first_candidate is not None else _with_first_page(found, text, context, body_start)
    anchors = _anchors(text, front, body_start)
    chain, warnings = _body_chain(found, first_candidate, first_page, chain_start, len(text), anchors, max_page)
    if len(chain) + (1 if body_marker else 0) < _MIN_PAGES:
        chain = []
        body_marker = None if not toc_pages else body_marker
    removed, doubtful = _removals(text, chain, found, chain_start if first_candidate is None else -1, calibration)
    body_markers = [*([body_marker] if body_marker else []), *removed]
    warnings += _removal_warnings(doubtful, body_markers)
    all_markers = sorted([*markers, *body_markers], key=lambda marker: marker.offset)
    return _cut(norm, all_markers, body_markers, body_start, anchors, warnings)


def glued_evidence(paged: PagedText) -> tuple[int, str, float]:
    """(page numbers removed from the body, what was found in words, the probability that the
    text has glued page numbers) after :func:`remove_page_numbers`, for the damage profile."""
    body = [marker for marker in paged.markers if not marker.front]
    if not body:
        rejected = next((warning.message for warning in paged.warnings if warning.code == "page_chain_rejected"), None)
        return 0, rejected or "no chain of page-like numbers in the text: none removed", _NOT_FOUND_CONFIDENCE
    pages = sorted(marker.page for marker in body)
    estimated = len(paged.estimated_pages)
    evidence = f"{len(body)} page numbers removed (pages {pages[0]}–{pages[-1]})" + (
        f", {estimated} page(s) not found" if estimated else "")
    return len(body), evidence, min(0.99, max(marker.confidence for marker in body))


def _with_estimated_starts(found: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The found page starts, with a start for each page the chain skipped between two found
    marks (at most _MAX_SKIP in a row): the pages between share the text evenly, as a page's length
    varies little. Without it every heading of a skipped page is given the page before."""
    result: list[tuple[int, int]] = []
    for (start, page), (next_start, next_page) in zip(found, found[1:]):
        result.append((start, page))
        missing = next_page - page - 1
        if 0 < missing <= _MAX_SKIP and next_start > start:
            step = (next_start - start) / (missing + 1)
            result.extend((start + round(step * index), page + index) for index in range(1, missing + 1))
    return [*result, *found[-1:]]


def _body_chain(found: dict[int, list[_Candidate]], first: _Candidate | None, first_page: int, body_start: int,
                body_end: int, anchors: list[tuple[int, int, str]], max_page: int) -> tuple[list[_Candidate], list[RecordWarning]]:
    """The body's page marks: the best chain, chosen again with the page length its own marks
    give, kept only when it beats chance (the same numbers read backwards) and its evidence grows
    with its length; a chain refused says why in a ``page_chain_rejected`` warning."""
    chain, _ = _choose(found, first, first_page, body_start, body_end, anchors, max_page)
    if len(chain) < _MIN_PAGES:
        # Too short to refine or test against chance; with a body mark it may still make a chain.
        return (chain if _implausible(chain) is None else []), []
    chain, score, length, spread = _refined(found, first, first_page, body_start, body_end, anchors, max_page, chain)
    # What chance alone builds from this text's numbers: the best chain read backwards (real
    # page numbers rise through the text; a run of falling ones is made of ordinary numbers).
    _, chance = _choose(_mirrored(found, body_start, body_end), None, first_page, body_start, body_end, [], max_page, length, spread)
    needed = _needed_score(len(chain))
    reason = None
    if score < _CHANCE_FACTOR * chance + _CHANCE_MARGIN:
        reason = f"numbers read backwards give one nearly as good (score {score:.1f} vs {chance:.1f})"
    elif score < needed and not _covers_body(chain, score, body_start, body_end):
        reason = f"its evidence is too weak for page numbers (score {score:.1f}, at least {needed:.1f} needed for {len(chain)} pages)"
    else:
        reason = _implausible(chain)
    if reason is None:
        return chain, []
    return [], [RecordWarning(code="page_chain_rejected", message=(
        f"a chain of {len(chain)} page-like numbers was found, but {reason}: no page number removed"), page=None)]


def _refined(found: dict[int, list[_Candidate]], first: _Candidate | None, first_page: int, body_start: int,
             body_end: int, anchors: list[tuple[int, int, str]], max_page: int,
             chain: list[_Candidate]) -> tuple[list[_Candidate], float, float, float]:
    """The chain chosen again with the page length and spread of its own marks: (chain, score,
    length, spread). A first chain that took wrong marks is irregular, and the spread read from it
    is loose enough to keep them. When the first chain's spread is loose, each spread of
    ``_SPREAD_GRID`` is tried too (twice, the length re-read from the chain it gives), and the
    likeliest wins: each gap's penalty is a Cauchy law's negative log-density without its
    normalising ``log s``, which is added back so that spreads can be compared."""
    median, estimated = _period(chain)
    spreads = [estimated] if estimated <= _LOOSE_SPREAD else sorted({estimated, *_SPREAD_GRID})
    best: tuple[float, list[_Candidate], float, float, float] | None = None
    for spread in spreads:
        current, score, used = chain, -math.inf, 0.0
        length = max(median, MIN_PAGE_CHARS)
        for _ in range(1 if len(spreads) == 1 else _REFINE_PASSES):
            chosen, chosen_score = _choose(found, first, first_page, body_start, body_end, anchors, max_page, length, spread)
            if len(chosen) < 2:
                break
            current, score, used = chosen, chosen_score, length
            length = max(_period(current)[0], MIN_PAGE_CHARS)
        if score == -math.inf:
            continue
        likelihood = score - (len(current) - 1) * math.log(spread)
        if best is None or likelihood > best[0]:
            best = (likelihood, current, score, used, spread)
    if best is None:
        return chain, 0.0, max(median, MIN_PAGE_CHARS), estimated
    return best[1], best[2], best[3], best[4]


def _covers_body(chain: Sequence[_Candidate], score: float, body_start: int, body_end: int) -> bool:
    """A chain short of the evidence its length needs is still a document's pages when it covers
    the whole body as printed pages do: a mark about every page from the body's start to its end
    (no more than _COVERAGE_EDGE pages without one at either end, the pages it spans nearly all the
    body holds), at a regular period no longer than a printed page's. Number-dense communiqués
    (a short text, every mark among table digits) give real chains of 5–9 marks at 1.4–2 per
    mark; ordinary numbers make no chain that keeps a page's period and reaches both ends."""
    if len(chain) < _COVERAGE_MIN_MARKS or score < _COVERAGE_MIN_PER_MARK * len(chain):
        return False
    period, spread = _period(chain)
    if period > _COVERAGE_MAX_PERIOD or spread > _COVERAGE_MAX_SPREAD:
        return False
    pages = (body_end - body_start) / period
    return (
        chain[0].offset - body_start <= _COVERAGE_EDGE * period
        and body_end - chain[-1].offset <= _COVERAGE_EDGE * period
        and chain[-1].page - chain[0].page + 1 >= _COVERAGE_MIN_SHARE * pages
    )


def _needed_score(marks: int) -> float:
    """The evidence a chain of ``marks`` page numbers needs."""
    return (_MIN_CHAIN_SCORE + _MIN_SCORE_PER_PAGE * min(marks, _LONG_CHAIN)
            + _LONG_SCORE_PER_PAGE * max(0, marks - _LONG_CHAIN))


def _implausible(chain: Sequence[_Candidate]) -> str | None:
    """Why a chain cannot be page numbers whatever its score, or None: its members' own evidence
    is too weak on average, or its pages would be too short or too long."""
    if not chain:
        return None
    if sum(candidate.score for candidate in chain) / len(chain) < _MIN_MEAN_LOCAL:
        return "its members look too little like page numbers on their own"
    if len(chain) > 1:
        mean_gap = (chain[-1].offset - chain[0].offset) / (len(chain) - 1)
        if not MIN_MEAN_GAP <= mean_gap <= MAX_PAGE_CHARS:
            return f"its pages would be {mean_gap:.0f} characters long"
    return None


def _page_repairs(norm: NormalizedText, markers: Sequence[PageMarker]) -> list[Repair]:
    """One ``page_number`` repair per removed mark: the digit run as printed and without the mark."""
    text = norm.text
    repairs = []
    for marker in markers:
        run_start, run_end = marker.offset, marker.offset + marker.length
        while run_start > 0 and text[run_start - 1].isdigit() and marker.length < len(marker.digits):
            run_start -= 1
        while run_end < len(text) and text[run_end].isdigit() and marker.length < len(marker.digits):
            run_end += 1
        before = text[run_start:run_end]
        after = before[: marker.offset - run_start] + before[marker.offset - run_start + marker.length :]
        repairs.append(Repair(kind="page_number", page=marker.page, offset=norm.to_source(run_start), before=before,
                              after=after, confidence=marker.confidence, context=text[max(0, run_start - 6) : run_end + 6]))
    return repairs


def _page_start_warnings(page_starts: Sequence[tuple[int, int]], anchors: Sequence[tuple[int, int, str]],
                         to_clean: Callable[[int], int]) -> list[RecordWarning]:
    """``page_missing`` for each page the chain skips; ``toc_page_mismatch`` for each TOC heading
    whose page the chain does not confirm."""
    warnings: list[RecordWarning] = []
    if not page_starts:
        return warnings
    expected = page_starts[0][1]
    for _, page in page_starts:
        if page != expected:
            warnings.append(RecordWarning(code="page_missing", message=f"no page number found for page {expected}", page=expected)
                            .at(pages=[expected]))
        expected = page + 1
    starts = [start for start, _ in page_starts]
    for position, page, needle in anchors:
        index = bisect_left(starts, to_clean(position) + 1) - 1
        actual = page_starts[index][1] if index >= 0 else None
        if actual != page:
            warnings.append(
                RecordWarning(code="toc_page_mismatch", message=f"{needle} starts on page {actual}, the TOC says {page}", page=actual)
                .at(headings=[to_clean(position)])
            )
    return warnings


def paged_without_detection(
    norm: NormalizedText, front: FrontMatter, page_starts_normalized: Sequence[tuple[int, int]]
) -> PagedText:
    """A PagedText for inputs whose page boundaries are known (PDF): nothing is removed."""
    return PagedText(
        text=norm.text,
        to_normalized=OffsetMap(),
        normalized=norm,
        page_starts=tuple(sorted(page_starts_normalized)),
        markers=(),
        body_start=front.body_start,
        repairs=(),
        warnings=(),
        line_breaks=norm.line_breaks,
    )


# A line that holds nothing but a printed page number: 5, — 5 —, - 5 -, ·5·, 第5页, 5/60.
_PAGE_LINE = regex.compile(r"[-—–－·•\s]*(?:第\s*)?(\d{1,4})(?:\s*页)?(?:\s*/\s*\d{1,4})?[-—–－·•\s]*")
# A chain of page lines needs this many links before it counts as page furniture.
_MIN_PAGE_LINES = 3


def _line_spans(norm: NormalizedText) -> list[tuple[int, int]]:
    cuts = sorted(offset for offset in norm.line_breaks if 0 < offset < len(norm.text))
    spans = []
    previous = 0
    for cut in [*cuts, len(norm.text)]:
        if cut > previous:
            spans.append((previous, cut))
        previous = cut
    return spans


def _page_line_chain(candidates: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The longest chain of page lines whose numbers rise by 1 (up to ``_MAX_SKIP`` pages missed)."""
    best: list[tuple[int, list[int] | None]] = []  # per candidate: (chain length, previous index)
    for index, (_, _, number) in enumerate(candidates):
        length, back = 1, None
        for earlier in range(index - 1, max(-1, index - 40), -1):
            step = number - candidates[earlier][2]
            if 1 <= step <= _MAX_SKIP + 1 and best[earlier][0] + 1 > length:
                length, back = best[earlier][0] + 1, [earlier]
        best.append((length, back))
    if not best:
        return []
    end = max(range(len(best)), key=lambda index: (best[index][0], -index))
    chain = []
    node: int | None = end
    while node is not None:
        chain.append(candidates[node])
        back = best[node][1]
        node = back[0] if back else None
    return list(reversed(chain))


def remove_page_lines(norm: NormalizedText, front: FrontMatter) -> PagedText:
    """Line-broken text: remove the lines that hold only a page number, where they form a rising
    chain (a footer or header printed on every page). Nothing else is touched; without such a
    chain the text passes through whole."""
    text = norm.text
    candidates = []
    for start, end in _line_spans(norm):
        if start < front.body_start or end - start > 16:
            continue
        match = _PAGE_LINE.fullmatch(text, start, end)
        if match is not None and 1 <= int(match.group(1)) <= 2000:
            candidates.append((start, end, int(match.group(1))))
    chain = _page_line_chain(candidates)
    if len(chain) < _MIN_PAGE_LINES:
        return paged_without_detection(norm, front, ())
    gaps = [later[0] - earlier[1] for earlier, later in zip(chain, chain[1:], strict=False)]
    typical = sorted(gaps)[len(gaps) // 2] if gaps else 0
    # A number near the body's start is a header (it opens its page); else each is a footer.
    header = chain[0][0] - front.body_start < 0.5 * typical
    confidence = round(min(0.99, 0.8 + 0.02 * len(chain)), 2)
    markers = [PageMarker(start, end - start, number, text[start:end], confidence) for start, end, number in chain]
    clean, to_normalized = delete_spans(text, [(start, end) for start, end, _ in chain])
    removed_starts = [marker.offset for marker in markers]
    removed_lengths = [0]
    for marker in markers:
        removed_lengths.append(removed_lengths[-1] + marker.length)

    def to_clean(offset: int) -> int:
        index = bisect_left(removed_starts, offset)
        return offset - removed_lengths[index]

    if header:
        page_starts = [(to_clean(start), number) for start, _, number in chain]
    else:
        page_starts = [(0, chain[0][2])]  # a footer closes its page: the first page opens the text
        page_starts += [(to_clean(end), number + 1) for _, end, number in chain[:-1]]
    repairs = tuple(
        Repair(kind="page_number", page=marker.page, offset=norm.to_source(marker.offset), before=marker.digits,
               after="", confidence=marker.confidence, context=text[max(0, marker.offset - 6) : marker.offset + marker.length + 6])
        for marker in markers
    )
    warnings = tuple(
        RecordWarning(code="page_missing", message=f"no page number found for page {expected}", page=expected).at(pages=[expected])
        for earlier, later in zip(chain, chain[1:], strict=False)
        for expected in range(earlier[2] + 1, later[2])
    )
    return PagedText(
        text=clean,
        to_normalized=to_normalized,
        normalized=norm,
        page_starts=tuple(sorted(page_starts)),
        markers=tuple(markers),
        body_start=to_clean(front.body_start),
        repairs=repairs,
        warnings=warnings,
        line_breaks=frozenset(to_clean(offset) for offset in norm.line_breaks),
    )
