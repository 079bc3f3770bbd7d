"""Body headings: candidates found on their own, then aligned with the TOC.

Candidates are every label of the grammar at a place where a heading can start: a markup heading
line, a line start, a sentence end, the body's start. With a TOC, each entry is aligned with the
candidate of its kind and number whose text repeats the entry's title (the TOC gives titles and
pages, the body gives positions); body headings of kinds the TOC does not list (节 under a TOC of
篇/章) are kept where they form their own sequences. Without a TOC, the candidates that continue
their sequences (一、二、三、…, restarting under a new parent) are kept. Each heading's title comes
from the best evidence there is: the TOC, the markup or the line, a headline sentence, else the
title model of flattened text, structure/titles.py (and a warning says when its titles are in doubt).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import regex

from ..document import Heading, TocEntry
from ..models import RecordWarning
from .grammar import RANK, Label, chinese_number, find_labels, match_label, vocabulary
from .titles import TitleEnd, TitleQuery, decode, window

_MAX_TITLE = 40  # characters of a heading title found without TOC or line
_MAX_LINE_TITLE = 60  # a whole line is a title when it is at most this long
_MAX_HEADLINE = 40  # a label's first sentence is its title (一、2013年工作回顾。…) up to this length
_SENTENCE_END = "。！？；"
_TITLE_STOP = "。，；：！？"
_BOUNDARY_CHARS = "。！？；：”」』）】:;"
_SEPARATORS = " \t\u3000：:、.．"
# A share of the body above which one heading's span is suspicious (the rest lost its structure).
_DOMINANT_SHARE = 0.4
_UNNUMBERED_SHARE = 0.25
_OUTLINE = ("outline1", "outline2")
# The expected number of wrongly ended titles (the sum of the model's doubts) from which a
# document says so even when no single title is in doubt.
_EXPECTED_WRONG = 0.5
# A box, figure or table caption (专栏2…, 图1…, 表3…) is a block, never a heading.
_YEAR_START = regex.compile(r"\d{4}年")
# 第一，进一步稳定和加强农业: an ordinal opening a heading line (the one comma such a line holds).
_ORDINAL_START = regex.compile(r"第[一二三四五六七八九十]{1,3}[，、][^，、]+$")
_BLOCK_LABEL = regex.compile(r"(?:专栏|附表|表|图)\s*\d")
# A news agency's dateline (新华社北京3月15日电) or a subtitle line (——2008年3月11日在…会议上): it
# stands under a title, it is no heading of its own.
_DATELINE = regex.compile(r"^(?:——|—|[^。，；]{0,16}\d{1,2}月\d{1,2}日电$)")
# A horizontal rule (---, ***) left in flattened text: what follows it starts a block.
_RULES = ("---", "***")
# A horizontal rule or a source address on a line of its own.
_SEPARATOR_LINE = regex.compile(r"^(?:-{3,}|\*{3,}|https?://\S+)$")


@dataclass(frozen=True)
class Layout:
    """Where headings can start and what the markup says (clean offsets)."""

    text: str
    breaks: frozenset[int]
    body_start: int
    end: int
    markup: dict[int, int] = field(default_factory=dict)  # heading line start → markup level (0 = bold line)
    bold: dict[int, int] = field(default_factory=dict)  # bold span start → end
    lined: bool = False  # the body keeps its line breaks

    def line_end(self, start: int) -> int:
        """End of the line that starts at ``start`` (the next break, or the body's end)."""
        for position in range(start + 1, min(self.end, start + 2000)):
            if position in self.breaks:
                return position
        return min(self.end, start + 2000) if not self.lined else self.end

    def boundary(self, offset: int) -> str | None:
        """How strongly a heading may start at ``offset``: markup, line, start, sentence, or None."""
        if offset in self.markup:
            return "markup"
        if offset in self.breaks:
            return "line"
        if offset <= self.body_start:
            return "start"
        previous = self.text[offset - 1]
        if previous in _BOUNDARY_CHARS or previous.isdigit() and not self.lined \
                or self.text.endswith(_RULES, max(0, offset - 3), offset):
            return "sentence"
        return None


@dataclass(frozen=True)
class Candidate:
    label: Label
    # markup | line | start | sentence; "inline" where no heading would start (mid-sentence),
    # kept only for the TOC: a label that repeats a TOC title exactly is that heading anywhere.
    strength: str

    @property
    def start(self) -> int:
        return self.label.start


@dataclass
class Found:
    """Headings and the warnings their finding raised."""

    headings: list[Heading]
    warnings: list[RecordWarning]
    uncertain_titles: int = 0


# ------------------------------------------------------------------ candidates


def candidates(layout: Layout) -> list[Candidate]:
    """Every label where a heading may start, in text order."""
    found: dict[int, Candidate] = {}
    for label in find_labels(layout.text, layout.body_start, layout.end):
        strength = layout.boundary(label.start) or "inline"
        if layout.lined and strength == "sentence" and label.kind in _OUTLINE:
            strength = "inline"
        found[label.start] = Candidate(label, strength)
    starts = set(layout.markup) | {offset for offset in layout.breaks if layout.body_start <= offset < layout.end}
    for offset in starts:
        if offset in found or offset < layout.body_start:
            continue
        named = match_label(layout.text, offset)
        if named is not None and named.kind == "unnumbered" and _named_line(layout, named):
            found[offset] = Candidate(named, "markup" if offset in layout.markup else "line")
    return [found[offset] for offset in sorted(found)]


def _named_line(layout: Layout, label: Label) -> bool:
    """A named entry (序言) heads a line of its own, not a sentence (附件：…, 说明了…)."""
    rest = layout.text[label.end : layout.line_end(label.start)].strip(_SEPARATORS)
    return len(rest) <= 12 and not any(char in rest for char in "。，；")


def unnumbered_lines(layout: Layout, taken: set[int]) -> list[tuple[int, int]]:
    """Heading lines without a label: markup headings and bold lines, and in line-broken text
    short lines without sentence punctuation between paragraphs. (start, end) of each."""
    found = []
    for start, level in sorted(layout.markup.items()):
        if start in taken or start < layout.body_start or match_label(layout.text, start, named=False) is not None:
            continue
        end = layout.line_end(start)
        line = layout.text[start:end].strip()
        if 0 < len(line) <= _MAX_TITLE and not line.endswith(("。", "：", ":")) and not _BLOCK_LABEL.match(line):
            found.append((start, end))
        del level
    return found


# ------------------------------------------------------------------ titles


def line_title(layout: Layout, label: Label, *, headline: bool) -> tuple[int, int] | None:
    """The title of a label that starts a line: the rest of the line when short, its bold lead,
    or (``headline``) its first sentence when that is a short headline."""
    text = layout.text
    start = _skip(text, label.end, _SEPARATORS)
    if label.kind == "unnumbered":
        start = label.start
    end = layout.line_end(label.start)
    bold_end = layout.bold.get(label.start)
    if bold_end is not None and start < bold_end <= end:
        return start, _trim_end(text, start, bold_end)
    line = text[start:end].rstrip()
    if len(line) <= _MAX_LINE_TITLE and not any(char in line[:-1] for char in _SENTENCE_END) and (
        headline or not line or line[-1] not in _SENTENCE_END
    ):
        # (where 一、 numbers items, a labelled line that is one sentence is an item: a title
        # line has no sentence end)
        return start, _trim_end(text, start, end)
    if not headline:
        return None
    first = next((index for index, char in enumerate(line) if char in _SENTENCE_END), None)
    if first is None or first < 2 or first > _MAX_HEADLINE:
        return None
    return start, start + first


def flat_query(layout: Layout, label: Label) -> TitleQuery:
    """Where the title of a label in flattened text starts and how far it may run (never past a
    line break, the next label or a box: :func:`planparse.structure.titles.window`)."""
    start = _skip(layout.text, label.end, _SEPARATORS)
    stop, structural = window(layout.text, start, layout.end, layout.breaks, label.kind)
    return TitleQuery(start, stop, label.kind, structural)


def flat_title(layout: Layout, label: Label, limit: int) -> tuple[int, int, bool]:
    """The title of a label in flattened text without TOC help, scored by
    :func:`planparse.structure.titles.decode` on its own. Returns (start, end, sure)."""
    query = flat_query(layout, label)
    if limit < query.stop:
        query = TitleQuery(query.start, limit, query.kind, False)
    found = decode(layout.text, [query])[0]
    return query.start, found.end, found.sure


def _skip(text: str, position: int, chars: str) -> int:
    while position < len(text) and text[position] in chars:
        position += 1
    return position


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\u3000。；;：:":
        end -= 1
    return end


# ------------------------------------------------------------------ the TOC as evidence


def _norm(title: str) -> str:
    return _TITLE_FILLER.sub("", title)


_TITLE_FILLER = regex.compile(r"[\s\u3000·…．.—\-]+")  # what a TOC title and its heading may differ by


def _similarity(a: str, b: str) -> float:
    """Share of the shorter title's characters the two share, in order (a cheap LCS ratio)."""
    if not a or not b:
        return 0.0
    if a.startswith(b) or b.startswith(a):
        return 1.0
    previous = [0] * (len(b) + 1)
    for char in a:
        current = [0]
        for index, other in enumerate(b):
            current.append(previous[index] + 1 if char == other else max(previous[index + 1], current[-1]))
        previous = current
    return previous[-1] / max(len(a), len(b))


def align_toc(layout: Layout, toc: Sequence[TocEntry], found: list[Candidate]) -> tuple[dict[int, tuple[Candidate, int]], list[TocEntry]]:
    """Each TOC entry's body candidate (by index into ``toc``): kind and number agree, the text
    repeats the title. Entries are matched in order; an entry with no candidate is unmatched."""
    by_key: dict[tuple[str, int | None], list[Candidate]] = {}
    for candidate in found:
        by_key.setdefault(candidate.label.key, []).append(candidate)
    for entry in toc:
        if entry.level == "unnumbered" and not by_key.get(("unnumbered", None)):
            # A named entry (序言) in text without lines: wherever the body has its title.
            position = layout.text.find(entry.title, layout.body_start)
            while position >= 0:
                if layout.boundary(position) is not None:
                    label = Label("unnumbered", None, entry.title, position, position + len(entry.title))
                    by_key.setdefault(("unnumbered", None), []).append(Candidate(label, layout.boundary(position) or "sentence"))
                position = layout.text.find(entry.title, position + 1)
    matched: dict[int, tuple[Candidate, int]] = {}
    unmatched: list[TocEntry] = []
    cursor = layout.body_start
    text = layout.text
    for index, entry in enumerate(toc):
        key = (entry.level, entry.number)
        title = _norm(entry.title)
        best: tuple[float, Candidate, int] | None = None
        for candidate in by_key.get(key, ()):
            if candidate.start < cursor:
                continue
            start = candidate.label.start if entry.level == "unnumbered" else _skip(text, candidate.label.end, _SEPARATORS)
            window = _norm(text[start : start + len(entry.title) + 8])
            if entry.level == "unnumbered" or candidate.strength == "inline":
                score = 1.0 if window.startswith(title) else 0.0
            else:
                score = 1.0 if window.startswith(title) else _similarity(title, window[: len(title)])
            if score >= 0.6 and (best is None or score > best[0] + 0.2):
                best = (score, candidate, _title_end(text, start, entry.title))
                if score == 1.0:
                    break
        if best is None:
            unmatched.append(entry)
            continue
        matched[index] = (best[1], best[2])
        cursor = best[2]
    return matched, unmatched


def _title_end(text: str, start: int, title: str) -> int:
    """Where the body's copy of a TOC title ends (it may differ in spaces and leaders)."""
    wanted = _norm(title)
    position, taken = start, 0
    while position < len(text) and taken < len(wanted):
        if text[position] == wanted[taken]:
            taken += 1
        elif _norm(text[position]):
            break
        position += 1
    return position


# ------------------------------------------------------------------ sequences


def heading_kinds(layout: Layout, found: Sequence[Candidate], toc: Sequence[TocEntry]) -> set[str]:
    """The label kinds that are headings in this document (the rest number list items).

    The TOC's kinds and the markup's are headings; so are the grammar's outer kinds where they
    form sequences at line starts or sentence ends. Where 章 are headings, an unmarked 一、 or
    （一） is a heading only as a short line of its own (see :func:`find_headings`); in the
    middle of flattened text it numbers an item of its section."""
    kinds = {entry.level for entry in toc if entry.number is not None}
    marked = {candidate.label.kind for candidate in found if candidate.strength == "markup"}
    kinds |= marked
    placed = [candidate for candidate in found if candidate.strength != "inline"]
    # (in flattened text a （一） may stand right after its parent's title, inline: 三、若干问题（一）…)
    counts = Counter(candidate.label.kind for candidate in (placed if layout.lined else found) if candidate.label.number == 1)
    for kind in ("part", "chapter", "section"):
        # 第X章 opening a line is a heading even alone; in flattened text it takes a sequence
        # (whose first label may stand right after the title before it: 第一篇…第一章…).
        alone = any(c.label.kind == kind and c.label.number == 1 and c.strength in ("line", "start", "markup") for c in placed)
        pool = found if not layout.lined else placed
        first = any(c.label.kind == kind and c.label.number == 1 for c in pool)
        if first and (alone or any(c.label.kind == kind and c.label.number == 2 for c in placed)):
            kinds.add(kind)
    for kind in _OUTLINE:
        if kind in kinds or not counts[kind]:
            continue
        pool = placed if "chapter" not in kinds or not layout.lined else [c for c in placed if c.strength in ("line", "markup")]
        alone = "chapter" not in kinds and any(
            c.label.kind == kind and c.label.number == 1 and c.strength in ("line", "markup")
            and line_title(layout, c.label, headline=False) is not None for c in pool
        )  # 一、过去五年工作回顾 on a line of its own heads a section even when no 二、 follows
        if alone or any(c.label.kind == kind and c.label.number == 2 for c in pool) \
                or (not layout.lined and _flat_run(found, kind) >= _FLAT_RUN):
            kinds.add(kind)
    return kinds


# In flattened text a label may stand right after a closing bracket or a figure (…（20895）二、农业):
# "inline", not at a sentence end. A run 一、二、三… of at least this many labels, most of them at
# sentence ends, is a sequence of headings even when its 二、 is one of the inline ones.
_FLAT_RUN = 3


def _flat_run(found: Sequence[Candidate], kind: str) -> int:
    """The longest run 1, 2, 3 … of ``kind`` (in text order) in which at most a third of the
    labels are inline; 0 when there is none."""
    best = 0
    run: list[Candidate] = []
    for candidate in found:
        if candidate.label.kind != kind or candidate.label.number is None:
            continue
        if candidate.label.number == len(run) + 1 and run:
            run.append(candidate)
        elif candidate.label.number == 1:
            run = [candidate]
        else:
            continue  # (a stray label: a reference, an item)
        inline = sum(1 for member in run if member.strength == "inline")
        if 3 * inline <= len(run):
            best = max(best, len(run))
    return best


# A label followed by this many characters of the previous heading of its kind is that heading again.
_REPEAT_CHARS = 8


def _repeats(text: str, previous: Candidate | None, candidate: Candidate) -> bool:
    """Does ``candidate`` print the same label and the same title as ``previous``?"""
    if previous is None or previous.label.text != candidate.label.text:
        return False
    return text[previous.label.end : previous.label.end + _REPEAT_CHARS] == \
        text[candidate.label.end : candidate.label.end + _REPEAT_CHARS]


def _continues(found: Sequence[Candidate], index: int, kind: str, reach: int = 12000) -> bool:
    """Does a restart at ``found[index]`` go on: its 2 and 3 follow at sentence ends, before
    the next 1 of its kind?"""
    start = found[index].start
    wanted = 2
    for later in found[index + 1 :]:
        if later.start - start > reach:
            return False
        if later.label.kind != kind or later.strength == "inline":
            continue
        if later.label.number == wanted:
            wanted += 1
            if wanted > 3:
                return True
        elif later.label.number == 1:
            return False
    return False


def _next_follows(found: Sequence[Candidate], index: int, kind: str, reach: int = 20000) -> bool:
    """Does the sequence go on after ``found[index]`` (N) to a label at a sentence end or line
    start (N+1, or N+2 / N+3 through inline ones), before the sequence's N comes again?"""
    number = found[index].label.number
    assert number is not None
    wanted = number + 1
    for later in found[index + 1 :]:
        if later.start - found[index].start > reach or wanted > number + 3:
            return False
        if later.label.kind != kind or later.label.number is None:
            continue
        if later.label.number == wanted:
            if later.strength != "inline":
                return True
            wanted += 1
        elif later.label.number <= number:
            return False
    return False


def select_sequences(found: Sequence[Candidate], kinds: set[str], marked: set[str], *, flat: bool = False,
                     text: str = "") -> tuple[list[Candidate], int]:
    """The candidates that continue their sequences; returns (kept, restarts of the top kind).

    A kind's number must be the next one, or 1 again once an outer heading opened a new parent;
    a top-level sequence may restart at 1 at a line or markup start (two sequences in one
    document: a review, then the year's tasks). In flattened text (``flat``) a 第X篇/章/节 that
    continues its sequence exactly may stand right after the previous title, with no sentence
    end before it (第四章发展现代农业第一节…), and a heading printed twice (the same label and
    title again, 二、2014年工作安排 … 二、2014年工作安排) is kept twice, as the source has it."""
    kept: list[Candidate] = []
    last_of_kind: dict[str, Candidate] = {}
    expected: dict[str, int] = {}
    opened: set[str] = set()
    restarts = 0
    # kind → its restarts still in doubt, latest last: flattened text only, where a restart is
    # read from sentence ends alone.
    restarted: dict[str, list[_Restart]] = {}
    top = min(kinds, key=lambda kind: RANK[kind]) if kinds else None
    if flat and text:
        found = _without_item_runs(found, text)
    for index, candidate in enumerate(found):
        kind, number = candidate.label.kind, candidate.label.number
        if kind not in kinds or number is None:
            continue
        if flat and _resumes(restarted, candidate, expected, found, index):
            # The sequence from before a restart takes up its next number after a restarted run
            # as long as its own (1986: 二、 … 一、–五、 三、): the run was nested under it; both stand.
            kept.append(candidate)
            last_of_kind[kind] = candidate
            expected[kind] = number + 1
            restarted[kind].pop()
            opened.discard(kind)
            for other in list(expected):
                if RANK[other] > RANK[kind]:
                    opened.add(other)
            continue
        undone = _undone_restart(restarted, candidate, expected, opened) if flat else None
        if undone is not None:
            # The sequence from before a restart goes on — its own kind (…四、 一、二、三、 五、) or
            # a deeper one (三、（一） 一、二、三、四、 （二）): the restarted run numbered items, it
            # was no new sequence.
            outer, position = undone
            entries = restarted[outer]
            entry = entries[position]
            kept[entry.begin:] = [item for item in kept[entry.begin:] if item.label.kind != outer]
            restarts -= (len(entries) - position) if outer == top else 0
            del entries[position:]
            if outer != kind:
                expected[outer] = entry.expected
                expected.update(entry.deeper)
                opened.discard(kind)
            kept.append(candidate)
            last_of_kind[kind] = candidate
            expected[kind] = number + 1
            continue
        if candidate.strength == "inline":
            continues = number == expected.get(kind, 1) or (number == 1 and kind in opened)
            big = kind in ("part", "chapter", "section") and (kind in expected or number == 1)
            # （一） right after a flattened 二、's title (二、总体要求（一）指导思想。…) opens its sequence.
            nested = kind in _OUTLINE and number == 1 and bool(kept) and RANK[kept[-1].label.kind] < RANK[kind] \
                and candidate.start - kept[-1].label.end <= _MAX_TITLE
            # An outline label after a bracket or a figure (…（20895）二、农业) whose next one follows
            # at a sentence end (三、工业…): the sequence bridges it.
            bridged = kind in _OUTLINE and number > 1 and _next_follows(found, index, kind)
            if not (flat and continues and (big or nested or bridged)):
                continue
        strong = candidate.strength in ("markup", "line", "start")
        if kind in marked and candidate.strength != "markup" and candidate.strength == "sentence":
            continue  # a kind the markup marks is a heading only where it is marked or starts a line
        want = expected.get(kind, 1)
        accept = number == want
        if not accept and number == 1 and (kind in opened or kind not in expected):
            accept = True
        if not accept and number == 1 and expected.get(kind, 1) > 2 and (
            strong or (flat and candidate.strength == "sentence" and _continues(found, index, kind))
        ):
            # A new sequence at a line start (or, in flattened text, one that goes on 二、三、):
            # a report's review, then its tasks; a list of projects, then the sections.
            accept = True
            restarts += 1 if kind == top else 0
            if flat and not strong:
                restarted.setdefault(kind, []).append(_Restart(expected.get(kind, 1), len(kept), {
                    other: value for other, value in expected.items() if RANK[other] > RANK[kind]}))
        if not accept and candidate.strength == "markup":
            accept = True  # the markup vouches for it (a gap: a heading published as an image; a repeat)
        if not accept and number == want - 1 and (strong or (flat and candidate.strength == "sentence" and text
                                                             and _repeats(text, last_of_kind.get(kind), candidate))):
            accept = True  # the same heading again (a source that repeats a part)
        if not accept:
            continue
        kept.append(candidate)
        last_of_kind[kind] = candidate
        expected[kind] = number + 1
        opened.discard(kind)
        for other in list(expected):
            if RANK[other] > RANK[kind]:
                opened.add(other)
    return kept, restarts


# A run of items (一、…。二、…。) stands this close together: its labels at most this many
# characters apart, and the sequence it interrupts takes up its next number at most this far after it.
_ITEM_GAP = 400
_ITEM_REACH = 2000


def _item_runs(found: Sequence[Candidate], text: str) -> set[int]:
    """The starts of the labels of every run of items inside an open sequence of their kind (a
    list after a colon: 调整投资结构的方向是：一、…。二、…。三、…。四、…。 between the outline's 二、 and
    its 三、). Such a run opens with 1 right after a colon, its members are sentences close
    together, and the label of its kind before it (N) is continued by the first label after it
    (N + 1, not the run's own next number): the list was nested in the sequence, no restart."""
    runs: set[int] = set()
    by_kind = {kind: [other for other in found if other.label.kind == kind and other.strength != "inline"
                      and other.label.number is not None] for kind in _OUTLINE}
    for same in by_kind.values():
        for position, candidate in enumerate(same):
            if position > 0 and candidate.label.number == 1 and candidate.strength == "sentence" \
                    and text[candidate.start - 1] in "：:":
                runs.update(_item_run(same, position, text))
    return runs


def _item_run(same: Sequence[Candidate], position: int, text: str) -> list[int]:
    """The starts of the run of items opening at ``same[position]`` (see :func:`_item_runs`), or []."""
    before = same[position - 1].label.number
    run = [same[position]]
    for other in same[position + 1 :]:
        if other.label.number != len(run) + 1 or other.start - run[-1].start > _ITEM_GAP \
                or text[other.start - 1] not in "。；;":
            break
        run.append(other)
    after = same[position + len(run)] if position + len(run) < len(same) else None
    if len(run) < 2 or before is None or after is None or after.label.number != before + 1 \
            or before + 1 == len(run) + 1 or after.start - run[-1].start > _ITEM_REACH:
        return []
    return [member.start for member in run]


def _without_item_runs(found: Sequence[Candidate], text: str) -> Sequence[Candidate]:
    runs = _item_runs(found, text)
    return [candidate for candidate in found if candidate.start not in runs] if runs else found


def _resumes(restarted: dict[str, list[_Restart]], candidate: Candidate, expected: dict[str, int],
             found: Sequence[Candidate], index: int) -> bool:
    """Does ``candidate`` take up the sequence from before its kind's latest restart, after a
    restarted run at least as long (二、 then 一、…五、, then 三、)? Only at a sentence end, and
    only where the restarted run does not go on after it (its next number does not come before
    the next 1 of the kind)."""
    kind, number = candidate.label.kind, candidate.label.number
    entries = restarted.get(kind)
    if not entries or candidate.strength == "inline" or number is None or number < 2:
        return False
    if number != entries[-1].expected or expected.get(kind, 1) <= number:
        return False
    inner = expected[kind]
    for later in found[index + 1 :]:
        if later.label.kind != kind or later.strength == "inline":
            continue
        if later.label.number == inner:
            return False
        if later.label.number in (1, number + 1):
            return True
    return True


@dataclass(frozen=True)
class _Restart:
    """A restart of a sequence in flattened text, still in doubt."""

    expected: int  # the number the sequence expected before it restarted
    begin: int  # where in the kept candidates the restart began
    deeper: dict[str, int]  # what the deeper kinds expected then (（二） was next under the old 三、)


def _undone_restart(restarted: dict[str, list[_Restart]], candidate: Candidate, expected: dict[str, int],
                    opened: set[str]) -> tuple[str, int] | None:
    """(kind, index into its restarts) of the restart that ``candidate``, at a sentence end,
    shows to have been a run of items: it takes up the sequence from before it — of the
    restarted kind (its latest restart: the number it expected comes, while the restarted run
    is shorter) or of a deeper kind the restart had opened anew (its number 2 or more, next
    there). None when there is none."""
    kind, number = candidate.label.kind, candidate.label.number
    if candidate.strength == "inline" or number is None:
        return None
    entries = restarted.get(kind)
    if entries and number == entries[-1].expected and expected.get(kind, 1) < number:
        return kind, len(entries) - 1
    if number < 2 or kind not in opened:
        return None
    for outer, entries in restarted.items():
        if RANK[outer] < RANK[kind]:
            for position, entry in enumerate(entries):
                if entry.deeper.get(kind) == number:
                    return outer, position
    return None


# ------------------------------------------------------------------ the whole search


@dataclass(frozen=True)
class Chosen:
    """A heading before it is placed in the skeleton (clean offsets)."""

    kind: str
    number: int | None
    label: str
    start: int  # the label's start
    title_start: int
    title_end: int
    in_toc: bool | None  # None when the document has no TOC
    toc_page: int | None = None


# A table row's cells (研究生 7.3 9.2, 改造城镇老旧小区（个） -- -- [521], 租赁和商务服务业 337 -13.0;
# the layout's text keeps no space between Han and digits): a decimal, a dash cell, a bracketed
# cell, or a figure standing apart — which a heading's short title never holds.
_TABLE_ROW_FIGURE = regex.compile(r"\d[.．]\d|-{2}|—{2}|\[|\s[-+−]?\d")


def _short_line(layout: Layout, start: int) -> int | None:
    """End of a short line that reads as an unnumbered heading in line-broken text: no sentence
    punctuation, between paragraphs (the line before ends a sentence, the line after is long)."""
    text = layout.text
    end = layout.line_end(start)
    line = text[start:end].strip()
    ordinal = _ORDINAL_START.match(line) is not None
    if not 2 <= len(line) <= 30 or any(char in line for char in "。；！？|;：:") or line[0] in "（(【[—-" \
            or (line[0].isdigit() and not _YEAR_START.match(line)) or (("，" in line or "、" in line) and not ordinal):
        return None
    if regex.fullmatch(r"[\d\s年月日]+", line) or _BLOCK_LABEL.match(line) or not any(char.isalnum() for char in line):
        return None  # (a date, a box label, a rule of dashes or a stray mark: ――, **)
    if _DATELINE.match(line) or _TABLE_ROW_FIGURE.search(line):
        return None
    previous_start = max((offset for offset in layout.breaks if offset < start), default=layout.body_start)
    before = text[previous_start:start].rstrip()
    if _SEPARATOR_LINE.match(before):
        before = "。"  # a rule or a source address closes what came before (a file of several documents)
    after_end = layout.line_end(end)
    after = text[end:after_end]
    if _DATELINE.match(after.strip()):
        # A dateline or a subtitle under the line (新华社北京3月15日电; ——2008年3月11日在…会议上):
        # the line is a title, whatever follows.
        after = "。" * 30
    # Between paragraphs: the line before ends a sentence (or is itself a short heading line,
    # 附件 above its title), the line after is long.
    heading_above = 0 < len(before) <= 12 and not any(char in before for char in "。，；：！？、") \
        and not _BLOCK_LABEL.match(before) \
        and not before[-1].isdigit()  # (a box's caption is followed by its body; a table's short row
    # 新增民用运输机场个5 by its next row, not a heading)
    if not before or (before[-1] not in _SENTENCE_END + "：:" and not heading_above) or len(after) < 30:
        return None
    if _TABLE_ROW_FIGURE.search(after) and not any(char in after for char in "。，；"):
        return None  # a table's row follows: the line is its category or parent row (空气质量 above 优良天数比率 … 86.9 90.7 [3.8])
    return _trim_end(text, start, end)


@dataclass
class _Tally:
    """What :func:`find_headings` counts on its way, for its warnings (label offsets each)."""

    guessed: list[int] = field(default_factory=list)  # titles guessed without TOC or line breaks
    # (1 - the model's probability, label offset) of every title the model placed
    title_doubt: list[tuple[float, int]] = field(default_factory=list)
    not_in_toc: list[int] = field(default_factory=list)  # headings of a listed kind the TOC does not list
    items_read: list[int] = field(default_factory=list)  # labels read as items, not headings


def find_headings(layout: Layout, toc: Sequence[TocEntry]) -> tuple[list[Chosen], list[RecordWarning], int]:
    """The body's headings (see the module docstring); returns (headings, warnings, titles guessed)."""
    found = candidates(layout)
    marked = {c.label.kind for c in found if c.strength == "markup"}
    kinds = heading_kinds(layout, found, toc)
    matched, unmatched = align_toc(layout, toc, found) if toc else ({}, [])
    forced = {candidate.start: (index, end) for index, (candidate, end) in matched.items()}
    found = _with_matched(found, [candidate for candidate, _ in matched.values()])
    # (the opening's list of the parts, 第一部分是…；第二部分是…, is no heading: it names them)
    previewed = preview_titles(layout.text) if not layout.lined else []
    if previewed:
        listed = {start for start, _ in previewed}
        found = [candidate for candidate in found if candidate.start not in listed]
    kept, restarts = _select(found, kinds, marked, set(forced), flat=not layout.lined, text=layout.text)
    tally = _Tally()
    chosen = _numbered_headings(layout, toc, kept, forced, chapter_document="chapter" in kinds, marked=marked, tally=tally)
    chosen += _unnumbered_headings(layout, toc, found, forced, chosen, tally, previewed)
    chosen.sort(key=lambda item: item.start)
    warnings = _find_warnings(toc, unmatched, restarts, tally)
    return chosen, warnings, len(tally.guessed)


def _with_matched(found: list[Candidate], matched: Sequence[Candidate]) -> list[Candidate]:
    """The candidates with the TOC-matched ones that only the alignment found (a named entry,
    序言, wherever the flattened body has its title), in text order."""
    starts = {candidate.start for candidate in found}
    extra = [candidate for candidate in matched if candidate.start not in starts]
    return sorted([*found, *extra], key=lambda candidate: candidate.start) if extra else found


def _numbered_headings(layout: Layout, toc: Sequence[TocEntry], kept: Sequence[Candidate],
                       forced: dict[int, tuple[int, int]], *, chapter_document: bool, marked: set[str],
                       tally: _Tally) -> list[Chosen]:
    """The kept numbered candidates that are headings, each with its title span."""
    chosen: list[Chosen] = []
    toc_kinds = {entry.level for entry in toc}
    last_end = -1
    titles = _flat_titles(layout, [candidate for candidate in kept if candidate.start not in forced])
    for candidate in kept:
        if candidate.start < last_end:
            continue  # inside the previous heading's title
        if candidate.start in forced:
            heading = _toc_heading(layout, toc, candidate, *forced[candidate.start])
        else:
            body = _body_heading(layout, toc_kinds, candidate, chapter_document=chapter_document, marked=marked, tally=tally,
                                 titles=titles, sibling=_follows_sibling(chosen, candidate.label))
            if body is None:
                continue
            if toc and body.kind in toc_kinds:
                tally.not_in_toc.append(body.start)
            heading = replace(body, in_toc=False) if toc else body
        chosen.append(heading)
        last_end = heading.title_end
    return chosen


def _toc_heading(layout: Layout, toc: Sequence[TocEntry], candidate: Candidate, index: int, title_end: int) -> Chosen:
    """A body heading the TOC lists: the TOC's title span (a lined heading may run on after it)."""
    label = candidate.label
    entry = toc[index]
    title_start = label.start if label.kind == "unnumbered" else _skip(layout.text, label.end, _SEPARATORS)
    if layout.lined:
        span = line_title(layout, label, headline=True)
        if span is not None and span[1] > title_end \
                and _similarity(_norm(entry.title), _norm(layout.text[span[0]:span[1]])) > 0.8:
            title_end = span[1]
    return Chosen(label.kind, label.number, label.text, label.start, title_start, title_end, True, entry.page)


def _flat_titles(layout: Layout, kept: Sequence[Candidate]) -> dict[int, tuple[int, TitleEnd]]:
    """(title start, end) of every candidate whose title must be found in flattened text, decoded
    together (one document's titles share a style), by label start."""
    if layout.lined:
        return {}
    flat = [candidate for candidate in kept if candidate.strength not in ("markup", "line")]
    queries = [flat_query(layout, candidate.label) for candidate in flat]
    ends = decode(layout.text, queries)
    return {candidate.start: (query.start, end) for candidate, query, end in zip(flat, queries, ends, strict=True)}


def _follows_sibling(chosen: Sequence[Chosen], label: Label) -> tuple[int, int] | None:
    """The title span of the last heading chosen of ``label``'s kind when it is the label's
    previous sibling (number − 1, with no outer heading between them), else None."""
    for item in reversed(chosen):
        if item.kind == label.kind:
            if label.number is not None and item.number == label.number - 1:
                return item.title_start, item.title_end
            return None
        if RANK[item.kind] < RANK[label.kind]:
            return None
    return None


# Marks after which a label stands inside a sentence (an enumeration: 要求：一、…；二、…).
_INSIDE_SENTENCE = "；：;:"
# The most characters of a short name title (种植业, 信贷收支, 纺织服装工业): a chapter's outline
# sections are named so; the items of a list run a clause long (改进设计工作，整顿施工管理).
_SHORT_NAME = 8


def _short_title(text: str, start: int, end: int) -> bool:
    """A short name: at most ``_SHORT_NAME`` characters, no clause mark, no sentence end after it."""
    title = text[start:end]
    return 0 < len(title) <= _SHORT_NAME and not any(char in _TITLE_STOP + "、" for char in title) \
        and text[end : end + 1] not in tuple(_SENTENCE_END)


def _clause_title(text: str, start: int, end: int) -> bool:
    """A title that holds a clause mark (所有建设项目，必须严格按照基本建设程序办事): in a 章
    document the items of a list run so, its outline headings are names (种植业, 农业和农村经济)."""
    return any(char in "，；,;" for char in text[start:end])


def _sentence_title(text: str, end: int) -> bool:
    """A title a full stop ends (（一）进一步简政放权。除少数…): in a 章 document an unmarked
    一、/（一） that opens a sentence numbers an item; its outline headings are names with no
    sentence end (（二）智力开发逐步实行…), as the lined text shows (a title line has no 。)."""
    return text[end : end + 1] in ("。", "！", "？")


def _body_heading(layout: Layout, toc_kinds: set[str], candidate: Candidate, *, chapter_document: bool,
                  marked: set[str], tally: _Tally, titles: dict[int, tuple[int, TitleEnd]],
                  sibling: tuple[int, int] | None = None) -> Chosen | None:
    """A numbered candidate the TOC does not list: a heading with its title, or None (an item).

    ``sibling``: the title span of the candidate's previous sibling where that is a heading
    (（二） after the heading （一） of its chapter). In a 章 document a flattened 一、/（一） whose
    title is in doubt is then a heading too (with the doubt said), not an item, when both titles
    are short names (（一）种植业…（二）林业继续贯彻…): an item runs a clause long."""
    label = candidate.label
    if toc_kinds and label.kind in toc_kinds and candidate.strength not in ("markup", "line") and layout.lined:
        return None  # the TOC lists this kind: in lined text a heading it does not list stands on its own line
    # In a 章 document, or where the markup marks this kind elsewhere, an unmarked 一、 is a
    # heading only as a short line of its own: otherwise it numbers an item.
    items_only = (chapter_document or label.kind in marked) and label.kind in _OUTLINE and candidate.strength != "markup"
    if items_only and candidate.strength != "line" and layout.lined:
        return None  # in a 章 document an unmarked 一、 inside a paragraph numbers an item
    if items_only and not layout.lined and candidate.strength == "sentence" and label.start > 0 \
            and layout.text[label.start - 1] in _INSIDE_SENTENCE:
        # 一、…；二、… after a colon or a semicolon: an enumeration inside one sentence of a 章 document.
        tally.items_read.append(label.start)
        return None
    if candidate.strength in ("markup", "line") or layout.lined:
        span = line_title(layout, label, headline=not items_only)
        if span is None:
            return None  # a numbered paragraph, not a heading
        title_start, title_end = span
    else:
        title_start, found = titles[label.start]
        title_end, sure = found.end, found.sure
        named = sibling is not None and _short_title(layout.text, title_start, title_end) \
            and _short_title(layout.text, *sibling)
        if title_end <= title_start or (items_only and ((not sure and not named)
                                                         or _clause_title(layout.text, title_start, title_end)
                                                         or _sentence_title(layout.text, title_end))):
            tally.items_read.append(label.start)  # (a numbered item of a 章 document has no title of its own)
            return None
        if not sure:
            tally.guessed.append(label.start)
        tally.title_doubt.append((1.0 - found.probability, label.start))
    return Chosen(label.kind, label.number, label.text, label.start, title_start, title_end, None)


def _unnumbered_headings(layout: Layout, toc: Sequence[TocEntry], found: Sequence[Candidate],
                         forced: dict[int, tuple[int, int]], numbered: Sequence[Chosen],
                         tally: _Tally | None = None, previewed: Sequence[tuple[int, str]] = ()) -> list[Chosen]:
    """Headings without a number: named lines (结束语, 名词解释), unnumbered lines the markup or
    the layout marks, and (lined text, with markup or without) short lines between paragraphs;
    ``previewed``: the parts the opening names (:func:`preview_titles`)."""
    in_toc = None if not toc else False
    chosen = list(numbered)

    def covered(offset: int) -> bool:
        return any(item.start <= offset < item.title_end for item in chosen)

    for candidate in found:
        if candidate.label.kind == "unnumbered" and candidate.strength in ("line", "markup") and candidate.start not in forced \
                and not covered(candidate.start):
            line_end = _trim_end(layout.text, candidate.start, layout.line_end(candidate.start))
            chosen.append(Chosen("unnumbered", None, candidate.label.text, candidate.start, candidate.start, line_end, in_toc))
    taken = {item.start for item in chosen}
    for start, end in unnumbered_lines(layout, taken):
        if not covered(start):
            chosen.append(Chosen("unnumbered", None, "", start, start, _trim_end(layout.text, start, end), in_toc))
    if not layout.lined:
        first = min((item.start for item in chosen), default=layout.end)
        for start, end in opening_titles(layout, first) + year_titles(layout) + notes_titles(layout) \
                + saluted_titles(layout) + known_titles(layout) + previewed_titles(layout, previewed):
            if not covered(start) and not covered(end - 1):
                chosen.append(Chosen("unnumbered", None, "", start, start, end, in_toc))
        for start, title in ordinal_titles(layout) + about_titles(layout):
            if not covered(start) and not covered(title.end - 1):
                chosen.append(Chosen("unnumbered", None, "", start, start, title.end, in_toc))
                if tally is not None:
                    tally.title_doubt.append((1.0 - title.probability, start))
                    if not title.sure:
                        tally.guessed.append(start)
    if layout.lined:
        # (Markup marks most headings; a report still prints some as plain lines between
        # paragraphs: 2017年工作回顾, 国务院机构改革方案, 《政府工作报告》有关术语的说明.)
        for start in sorted(offset for offset in layout.breaks if layout.body_start <= offset < layout.end):
            if covered(start) or match_label(layout.text, start, arabic=True) is not None:
                continue
            short_end = _short_line(layout, start)
            if short_end is not None:
                chosen.append(Chosen("unnumbered", None, "", start, start, short_end, in_toc))
    return chosen[len(numbered):]


# The opening names the parts (他的报告共分三个部分：第一部分是国民经济的成就和今后的建设任务；第二部分
# 是…；第三部分是…。): each item of such a list, and how far apart its items may stand.
_PREVIEW_ITEM = regex.compile(
    r"第(?P<number>[一二三四五六七八九十]{1,2})部分(?:是|为)(?:关于)?(?P<title>[^，。；;：:！？“”]{4,40}?)(?=[；;。，])")
_PREVIEW_GAP = 8


def preview_titles(text: str) -> list[tuple[int, str]]:
    """(label start, title) of every item of the lists that name a text's parts in turn
    (第一部分是…；第二部分是…: at least two, numbered from 1, each right after the one before)."""
    found: list[tuple[int, str]] = []
    run: list[tuple[int, int, str]] = []  # (label start, item end, title)

    def close() -> None:
        if len(run) >= 2:
            found.extend((start, title) for start, _, title in run)

    for match in _PREVIEW_ITEM.finditer(text):
        number = chinese_number(match.group("number"))
        if run and number == len(run) + 1 and match.start() - run[-1][1] <= _PREVIEW_GAP:
            run.append((match.start(), match.end(), match.group("title")))
            continue
        close()
        run = [(match.start(), match.end(), match.group("title"))] if number == 1 else []
    close()
    return found


def previewed_titles(layout: Layout, listed: Sequence[tuple[int, str]]) -> list[tuple[int, int]]:
    """(start, end) of the unnumbered headings of flattened text that the opening's list of
    parts names (``listed``, from :func:`preview_titles`): the first place after the list where a
    sentence ends and the part's title follows whole."""
    text = layout.text
    found: list[tuple[int, int]] = []
    position = max((start for start, _ in listed), default=0)
    for _, title in listed:
        at = text.find(title, position)
        while at > 0 and text[at - 1] not in _SENTENCE_END:
            at = text.find(title, at + 1)
        if at <= 0 or at >= layout.end:
            continue
        found.append((at, at + len(title)))
        position = at + len(title)
    return found


@lru_cache(maxsize=1)
def _opening_names() -> regex.Pattern[str]:
    words = sorted((str(word) for word in vocabulary()["opening_headings"]), key=len, reverse=True)
    return regex.compile("|".join(map(regex.escape, words)))


def opening_titles(layout: Layout, first: int) -> list[tuple[int, int]]:
    """(start, end) of the opening heading without a number (序言, 绪论: ``opening_headings`` of
    the structure vocabulary) in flattened text: before the first heading, where a heading can
    start (a sentence end, a removed page number, a rule), and followed by its text (no mark)."""
    for match in _opening_names().finditer(layout.text, layout.body_start, min(first, layout.end)):
        following = layout.text[match.end() : match.end() + 1]
        if layout.boundary(match.start()) is not None and following and following not in _TITLE_STOP + "、）》”":
            return [(match.start(), match.end())]
    return []


# A known title (the titles of numbered headings in at least two documents of the corpus's tuned
# half: data/title_boundaries.json) heads a part without a number in flattened text when it names
# a year (2018年工作回顾, 2019年主要任务) or is at least this long (全面加强政府自身建设): a shorter
# one (固定资产投资, 深化金融体制改革) opens sentences of running text as often …
_KNOWN_LENGTH = 10
# … and the clause after it runs at least this long before its first mark (2019年工作安排如下：
# is a sentence of running text; 2015年工作回顾一年来，… opens the review).
_KNOWN_CLAUSE = 3
# Characters that go on with the phrase before them (深化行政管理体制改革的总体目标是…): no text opens with them.
_PHRASE_GOES_ON = "的之是和与及等"


def known_titles(layout: Layout) -> list[tuple[int, int]]:
    """(start, end) of each unnumbered heading of flattened text whose title is a known one
    (2018年工作回顾, 全面加强政府自身建设; see ``_KNOWN_LENGTH``): after a sentence end or a removed
    page number, the longest known title there, its text running on after it without a mark."""
    from .titles import MIN_KNOWN, boundary_rates, normal_title

    rates = boundary_rates()
    openings = _known_openings()
    text = layout.text
    found: list[tuple[int, int]] = []
    taken_to = -1
    for position in _boundary_positions(layout):
        if position < taken_to or (position > 0 and text[position - 1] in "：:；;") \
                or (position > 0 and text[position].isdigit() and text[position - 1].isdigit()):  # (inside a number)
            continue
        if normal_title(text[position : position + _OPENING_PROBE])[:_OPENING] not in openings:
            continue  # no known title opens so: the common case, decided without trying every end
        best = None
        for end, title in _normal_prefixes(text, position, min(layout.end, position + _MAX_TITLE)):
            if text[end - 1] in _TITLE_STOP:
                break
            if ("#年" in title or end - position >= _KNOWN_LENGTH) and rates.known(title) >= MIN_KNOWN:
                best = end
        if best is not None and best < layout.end and text[best] not in _TITLE_STOP + "、）》”" + _PHRASE_GOES_ON \
                and _first_clause(text, best) >= _KNOWN_CLAUSE:
            found.append((position, best))
            taken_to = best + 1
    return found


def _normal_prefixes(text: str, start: int, stop: int) -> Iterator[tuple[int, str]]:
    """(end, :func:`~.titles.normal_title` of ``text[start:end]``) for each end from start + 2 to
    ``stop``, built a character at a time (a digit run is one #) instead of once per end."""
    pieces: list[str] = []
    in_digits = False
    for index in range(start, stop):
        char = text[index]
        if char.isdecimal():  # what the \d of normal_title matches
            if not in_digits:
                pieces.append("#")
            in_digits = True
        else:
            pieces.append(char)
            in_digits = False
        if index + 1 >= start + 2:
            yield index + 1, "".join(pieces)


# A known title's opening: its first characters once digit runs are # (a probe of this many
# characters keeps at least that many unless it is nearly all one digit run, which opens no title).
_OPENING = 2
_OPENING_PROBE = 8
# The characters a boundary follows (:meth:`Layout.boundary`): a sentence's or clause's end, a
# closing mark, a removed page number's neighbour digit, a rule's last character.
_BOUNDARY_FOLLOWS = regex.compile("[" + regex.escape(_BOUNDARY_CHARS) + r"\d\-*]")


@lru_cache(maxsize=1)
def _known_openings() -> frozenset[str]:
    from .titles import MIN_KNOWN, boundary_rates

    return frozenset(title[:_OPENING] for title, count in boundary_rates().titles.items() if count >= MIN_KNOWN)


def _boundary_positions(layout: Layout) -> list[int]:
    """The body's offsets where a heading may start (:meth:`Layout.boundary` not None), in order:
    found from the few characters a boundary follows instead of asking at every offset."""
    candidates = {offset for offset in (*layout.markup, *layout.breaks) if layout.body_start <= offset < layout.end}
    candidates.add(layout.body_start)
    for match in _BOUNDARY_FOLLOWS.finditer(layout.text, max(0, layout.body_start - 1), layout.end):
        candidates.add(match.end())
    return sorted(offset for offset in candidates if layout.body_start <= offset < layout.end and layout.boundary(offset) is not None)


# 第一，进一步稳定和加强农业农业事关全局，…: ordinals at sentence ends that head a report's parts.
_ORDINAL = regex.compile(r"第(?P<number>[一二三四五六七八九十]{1,3})[，、]")
# A run of ordinals is a run of headings when it has at least this many members, they stand this
# many characters apart (the median gap: a part, not a sentence of a list), and the median of
# their first clauses runs this long before its first mark: a title runs into its text without
# one (第二，国有企业改革要取得新的突破国有企业改革是…), where an ordinal of running text opens a
# clause (第一，坚持解放思想、…; 第二，妥善处理…关系。). Measured on the work reports of the corpus's
# tuned half: heading runs 24–25 characters to the first mark, runs of running text at most 15.
_ORDINAL_RUN = 3
_ORDINAL_GAP = 600
_ORDINAL_CLAUSE = 20
_CLAUSE_END = "，。；：、！？,;:"


def _ordinal_runs(layout: Layout) -> list[list[tuple[int, int]]]:
    """Runs 第一、第二、第三… at sentence ends, as (label start, label end) each."""
    from .grammar import chinese_number

    runs: list[list[tuple[int, int]]] = []
    run: list[tuple[int, int]] = []
    for match in _ORDINAL.finditer(layout.text, layout.body_start, layout.end):
        if layout.boundary(match.start()) is None:
            continue
        number = chinese_number(match.group("number"))
        if number == 1:
            run = [(match.start(), match.end())]
            runs.append(run)
        elif run and number == len(run) + 1:
            run.append((match.start(), match.end()))
    return [run for run in runs if len(run) >= _ORDINAL_RUN]


def _first_clause(text: str, start: int) -> int:
    """Characters from ``start`` to the first clause mark (at most 80)."""
    for index in range(start, min(len(text), start + 80)):
        if text[index] in _CLAUSE_END:
            return index - start
    return 80


def ordinal_titles(layout: Layout) -> list[tuple[int, TitleEnd]]:
    """(start, title end) of each heading of flattened text numbered by an ordinal (第一，…): runs that
    read as headings (see ``_ORDINAL_CLAUSE``), titles placed by the title model; a title holds
    its ordinal, as the line of a line-broken source prints it."""
    found: list[tuple[int, TitleEnd]] = []
    for run in _ordinal_runs(layout):
        gaps = sorted(later[0] - earlier[0] for earlier, later in zip(run, run[1:]))
        clauses = sorted(_first_clause(layout.text, end) for _, end in run)
        if gaps[len(gaps) // 2] < _ORDINAL_GAP or clauses[len(clauses) // 2] < _ORDINAL_CLAUSE:
            continue
        queries = []
        for _, end in run:
            stop, structural = window(layout.text, end, layout.end, layout.breaks, "outline1")
            queries.append(TitleQuery(end, stop, "outline1", structural))
        for (start, _), query, title in zip(run, queries, decode(layout.text, queries), strict=True):
            if title.end > query.start:
                found.append((start, title))
    return found


# In flattened text, a report's parts named 关于X without a number (关于国内建设根据…；关于外交工作一年来，…:
# 1984): 关于 at a sentence end and a short name without marks, its end placed by the title model
# with its siblings'. Running text opens sentences with 关于 too (关于价格改革，我们…), so only a
# run of at least ``_ABOUT_RUN`` such names, ``_ORDINAL_GAP`` characters apart at the median (a
# part, not a sentence of a list), each sure, no longer than ``_ABOUT_MAX`` and no two alike, is read as
# headings.
_ABOUT = regex.compile(r"关于(?=[^\d。，、；：！？“”‘’（）()《》\s,;:—]{2})")
_ABOUT_RUN = 2
_ABOUT_MIN = 4
_ABOUT_MAX = 12


def about_titles(layout: Layout) -> list[tuple[int, TitleEnd]]:
    """(start, title end) of each unnumbered 关于X heading of flattened text (see ``_ABOUT``)."""
    starts = [match.start() for match in _ABOUT.finditer(layout.text, layout.body_start, layout.end)
              if layout.boundary(match.start()) in ("start", "sentence") and match_label(layout.text, match.start()) is None]
    if len(starts) < _ABOUT_RUN:
        return []
    queries = []
    for start in starts:
        stop, structural = window(layout.text, start, layout.end, layout.breaks, "outline1")
        queries.append(TitleQuery(start, min(stop, start + _ABOUT_MAX + 1), "outline1", structural and stop <= start + _ABOUT_MAX))
    found = [(start, title) for start, title in zip(starts, decode(layout.text, queries), strict=True)
             if title.sure and _ABOUT_MIN <= title.end - start <= _ABOUT_MAX
             and not any(char in _CLAUSE_END for char in layout.text[start : title.end])]
    names = [layout.text[start : title.end] for start, title in found]
    if len(found) < _ABOUT_RUN or len(set(names)) < len(names):
        return []  # (a report's parts have names of their own: 关于粮食的计划|收购… twice is a sentence's topic)
    gaps = sorted(later[0] - earlier[0] for earlier, later in zip(found, found[1:]))
    return found if gaps[len(gaps) // 2] >= _ORDINAL_GAP else []


# In flattened text, a heading without a number that the body repeats: 2014年工作回顾2014年，全市…,
# 2015年工作安排各位代表，2015年是…, “十二五”发展主要成就“十二五”时期…: a year or a plan period, a
# short title without marks or digits, then the same year or period again (after the salutation,
# at most) where the body begins, or 今年 (2026年重点工作今年是“十五五”开局之年: 宁波 2006, 甘肃 2026);
# the title may open with 关于 (关于2009年工作今年是…, as a report names its parts: 关于国内建设).
_YEAR_TITLE = regex.compile(
    r"(?P<about>关于)?(?P<year>(?:19|20)\d{2}年|“十[一二三四五六七八九]?五”)[^\d。，、；：！？“”‘’（）()《》\s,;:—]{2,18}?"
    r"(?=(?:各位代表[，！：])?(?:(?P=year)|今年))")


# The fewest characters after the year of a year title without 关于 (工作回顾).
_YEAR_TITLE_REST = 3


def year_titles(layout: Layout) -> list[tuple[int, int]]:
    """(start, end) of each unnumbered heading of flattened text that the body repeats (see
    ``_YEAR_TITLE``); it starts where a heading can (a sentence end, a removed page number)."""
    found = []
    for match in _YEAR_TITLE.finditer(layout.text, layout.body_start, layout.end):
        if match.end() - match.end("year") < _YEAR_TITLE_REST and match.group("about") is None:
            continue  # (2009年工作 needs its 关于: a year and two characters is a sentence's opening as often)
        if _opens_heading(layout, match.start()) and match_label(layout.text, match.start()) is None:
            found.append((match.start(), match.end()))
    return found


def _opens_heading(layout: Layout, start: int) -> bool:
    """Can an unnumbered heading of flattened text start at ``start``: at a sentence end (or a
    removed page number), or after an annex label that stands at one (…新贡献！附件2017年省十件民生实事)?"""
    if layout.boundary(start) in ("start", "sentence"):
        return True
    return any(layout.text.endswith(label, 0, start) and layout.boundary(start - len(label)) in ("start", "sentence")
               for label in _annex_labels())


@lru_cache(maxsize=1)
def _annex_labels() -> tuple[str, ...]:
    return tuple(sorted((str(word) for word in vocabulary()["annex_labels"]), key=len, reverse=True))


@lru_cache(maxsize=1)
def _saluted_title() -> regex.Pattern[str]:
    """An unnumbered heading of flattened text that the body opens with a salutation right
    after (…管理创新各位代表，推进科学发展…): in running text a salutation follows a sentence end,
    so a short stretch without marks or digits glued before it is a heading."""
    words = "|".join(regex.escape(str(word)) for word in sorted(vocabulary()["salutations"], key=len, reverse=True))
    return regex.compile(rf"[^\d。，、；：！？“”‘’（）()《》\s,;:—]{{{_SALUTED_MIN},{_SALUTED_MAX}}}(?=(?:{words})[，！：,!:])")


# How many characters a heading right before a salutation holds (全面加强政府自身建设和管理创新: 15).
_SALUTED_MIN = 4
_SALUTED_MAX = 30


def saluted_titles(layout: Layout) -> list[tuple[int, int]]:
    """(start, end) of each unnumbered heading of flattened text right before a salutation
    (see :func:`_saluted_title`); it starts at a sentence end."""
    found = []
    for stop in _NOTES_AFTER.finditer(layout.text, layout.body_start, max(layout.body_start, layout.end - 1)):
        match = _saluted_title().match(layout.text, stop.end(), layout.end)
        if match is not None and match_label(layout.text, match.start()) is None:
            found.append((match.start(), match.end()))
    return found


# The most characters of the bracketed source after a report's last sentence (（抚州日报）).
_SOURCE_NOTE = 12


@lru_cache(maxsize=1)
def _notes_title() -> regex.Pattern[str]:
    """A report's end-notes heading in flattened text (``notes_headings`` of the structure
    vocabulary): at most 20 characters without marks or digits that end in 名词解释, 注释, 说明 …,
    right before the first note's number (名词解释1双高铁…, 注释［1］一降三减…), after an annex label at most, and
    that after the bracketed source a report may close with (…新局面！（抚州日报）附件：…注释1…)."""
    vocabulary_ = vocabulary()
    words = "|".join(regex.escape(word) for word in sorted(vocabulary_["notes_headings"], key=len, reverse=True))
    annex = "|".join(regex.escape(word) for word in _annex_labels())
    glossary = "|".join(regex.escape(word) for word in vocabulary_["glossary_headings"])
    # A glossary's notes may carry no number (附：名词解释航空大都市：一个专有名词…) or one glued to a
    # term that begins with digits (名词解释和有关情况说明150产业新空间：指…): then the title is one
    # that names a glossary, and its first term (no notes word inside it) ends in a colon.
    gloss = rf"(?<=(?:{glossary})[^。！？，；\d\s]{{0,12}})[［\[]?1?(?:(?!{words})[^。！？，；：:\s]){{1,{_GLOSS_TERM}}}[：:]"
    return regex.compile(rf"(?:（[^（）。！？，；\d\s]{{1,{_SOURCE_NOTE}}}）)?(?:{annex})?(?P<title>[^。！？，；\d\s]{{0,20}}?(?:{words}))"
                         rf"(?=[［\[]?1\D|{gloss})")


# The most characters of a glossary's first term before its colon (航空大都市：, 50产业新空间：).
_GLOSS_TERM = 20


_NOTES_AFTER = regex.compile(r"[。！？]")


def notes_titles(layout: Layout) -> list[tuple[int, int]]:
    """(start, end) of each end-notes heading of flattened text (see :func:`_notes_title`); it
    starts at a sentence end (the report's closing 而努力奋斗！)."""
    found = []
    # Only after a sentence end (found by the regex engine, not by a test at every offset).
    for stop in _NOTES_AFTER.finditer(layout.text, layout.body_start, max(layout.body_start, layout.end - 1)):
        position = stop.end()
        match = _notes_title().match(layout.text, position, layout.end)
        if match is not None:
            found.append((match.start("title"), match.end("title")))
    return found


def _find_warnings(toc: Sequence[TocEntry], unmatched: Sequence[TocEntry], restarts: int, tally: _Tally) -> list[RecordWarning]:
    warnings: list[RecordWarning] = []
    if unmatched:
        names = "、".join(f"{entry.label}{entry.title}" for entry in unmatched[:5])
        warnings.append(RecordWarning(code="toc_entry_unmatched", message=f"{len(unmatched)} TOC entr{'y' if len(unmatched) == 1 else 'ies'} with no body heading: {names}{'…' if len(unmatched) > 5 else ''}", page=unmatched[0].page)
                        .at(toc=[index for index, entry in enumerate(toc) if any(entry is other for other in unmatched)]))
    if tally.not_in_toc:
        warnings.append(RecordWarning(code="heading_not_in_toc", message=f"{len(tally.not_in_toc)} body heading(s) continue the numbering but are not in the TOC", page=None)
                        .at(headings=tally.not_in_toc))
    if restarts:
        warnings.append(RecordWarning(code="heading_restart", message=f"the top-level numbering restarts {restarts} time(s): kept as {restarts + 1} sequences", page=None))
    expected_wrong = sum(doubt for doubt, _ in tally.title_doubt)
    if tally.guessed or expected_wrong >= _EXPECTED_WRONG:
        # Each title may be likely right and some still wrong: the expected number of wrong
        # ends (the model's probabilities are calibrated on held-out documents) is said too.
        doubted = tally.guessed or [offset for doubt, offset in sorted(tally.title_doubt, reverse=True)[: max(1, round(expected_wrong))]]
        warnings.append(RecordWarning(code="heading_title_uncertain", message=(
            f"{len(tally.guessed)} heading title(s) guessed without TOC or line breaks; of the {len(tally.title_doubt)} "
            f"titles placed by the title model, about {expected_wrong:.1f} may end in the wrong place"), page=None)
                        .at(headings=sorted(doubted)))
    if tally.items_read:
        warnings.append(RecordWarning(code="heading_items_uncertain", message=(
            f"{len(tally.items_read)} numbered label(s) (一、/（一）) in text without line breaks were read as items of their "
            "section, not as headings: with no line or title to tell, some may be headings"), page=None).at(text=tally.items_read))
    return warnings


def _select(found: Sequence[Candidate], kinds: set[str], marked: set[str], forced: set[int], *, flat: bool = False,
            text: str = "") -> tuple[list[Candidate], int]:
    """:func:`select_sequences`, with the TOC-matched candidates always kept (they reset the
    sequences they belong to)."""
    if not forced:
        return select_sequences(found, kinds, marked, flat=flat, text=text)
    kept: list[Candidate] = []
    expected: dict[str, int] = {}
    opened: set[str] = set()
    # The TOC's next heading of each kind: a body label the TOC lists later is that heading,
    # not this one (a reference to 第三章 before 第三章 itself).
    next_forced: list[dict[str, int | None]] = [{} for _ in found]
    upcoming: dict[str, int | None] = {}
    for index in range(len(found) - 1, -1, -1):
        next_forced[index] = dict(upcoming)
        if found[index].start in forced:
            upcoming[found[index].label.kind] = found[index].label.number
    for index, candidate in enumerate(found):
        kind, number = candidate.label.kind, candidate.label.number
        if candidate.start not in forced:
            if kind not in kinds or number is None:
                continue
            want = expected.get(kind, 1)
            continues = number == want or (number == 1 and (kind in opened or kind not in expected))
            if not continues or next_forced[index].get(kind) == number:
                continue
            # (in flattened text 第一节 may stand right after its chapter's title, and so may （一）:
            # 第二章经济增长率和经济效益（一）工农业总产值1990年…)
            nested = flat and kind in _OUTLINE and number == 1 and bool(kept) \
                and RANK[kept[-1].label.kind] < RANK[kind] and candidate.start - kept[-1].label.end <= _MAX_TITLE
            if candidate.strength == "inline" and not (flat and kind in ("part", "chapter", "section")) and not nested:
                continue
            if kind in marked and candidate.strength == "sentence":
                continue
        kept.append(candidate)
        if number is not None:
            expected[kind] = number + 1
        opened.discard(kind)
        for other in list(expected):
            if RANK[other] > RANK[kind]:
                opened.add(other)
    return kept, 0


def count_warnings(layout: Layout, chosen: Sequence[Chosen], toc: Sequence[TocEntry], kinds_found: set[str]) -> list[RecordWarning]:
    """``heading_count_mismatch`` (labels at line starts vs headings found vs TOC entries) and
    ``heading_span_dominant`` (one heading holds most of the body)."""
    warnings = []
    if layout.lined:
        at_lines = sum(
            1 for offset in layout.breaks
            if layout.body_start <= offset < layout.end and (label := match_label(layout.text, offset, named=False)) is not None
            and label.kind in kinds_found
        )
        if at_lines and len(chosen) < 0.9 * at_lines:
            warnings.append(RecordWarning(code="heading_count_mismatch", message=f"{at_lines} lines start with a heading label, {len(chosen)} headings found", page=None))
    numbered_toc = [entry for entry in toc if entry.number is not None]
    numbered = [item for item in chosen if item.number is not None and item.in_toc]
    if numbered_toc and len(numbered) < 0.95 * len(numbered_toc):
        warnings.append(RecordWarning(code="heading_count_mismatch", message=f"{len(numbered_toc)} numbered TOC entries, {len(numbered)} found in the body", page=None))
    body = layout.end - layout.body_start
    if chosen and not layout.lined and body > 5000 and chosen[0].start - layout.body_start > _DOMINANT_SHARE * body:
        # In flattened text a heading without a number (2004年政府工作回顾) cannot be told from
        # its paragraph: a long stretch before the first heading may hold some.
        share = 100 * (chosen[0].start - layout.body_start) / body
        warnings.append(RecordWarning(code="heading_span_dominant", message=(
            f"the text before the first heading holds {share:.0f}% of the body: headings without a number in it "
            "cannot be told in text without line breaks and may be lost"), page=None).at(text=[layout.body_start]))
    if len(chosen) >= 3 and body > 5000:
        starts = [item.start for item in chosen] + [layout.end]
        # (flattened text whose headings all lack a number — the parts an opening names — keeps
        # its structure from titles alone: a part of a quarter of the body may hide headings)
        dominant = _UNNUMBERED_SHARE if not layout.lined and all(item.number is None for item in chosen) \
            else _DOMINANT_SHARE
        for item, following in zip(chosen, starts[1:], strict=False):
            if following - item.start > dominant * body:
                share = 100 * (following - item.start) / body
                warnings.append(RecordWarning(code="heading_span_dominant", message=f"{item.label}{layout.text[item.title_start:item.title_end][:20]} holds {share:.0f}% of the body: headings after it may be lost", page=None)
                                .at(headings=[item.start]))
                break
    return warnings
