"""Blocks of a heading's span: paragraphs (with topic headlines), boxes (专栏), figures (图),
tables (表N) and notes (注：①…).

Flattened text has lost its line breaks, so block ends are recovered from the text's own grammar:
box bodies end where their list or groups end, a paragraph breaks at a topic headline (a short lead
sentence such as ``深入推进简政放权。``) or a ——item. Where the source has line breaks, paragraphs
follow them, and a headline is only taken where there is evidence for one (a bold lead, or a short
lead sentence that the following sentences continue).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import regex
import yaml

from ..document import Box, Figure, Group, PagedText, Paragraph, TableBlock
from ..models import RecordWarning

_SENTENCE_END = regex.compile(r"[。！？]+”?")
_BLOCK = regex.compile(r"(专栏|图|表)\s?(\d{1,3})")
_GLUED_YEAR = regex.compile(r"(\d{1,2}?)(?:19|20)\d\d年")  # a block number glued to the year that starts its title
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_MAX_TITLE = 40
_MAX_HEADLINE = 24
_MAX_LABEL = 25
# A document's first box may carry a number above 1 (boxes 1–2 published as images): the
# sequence may start anywhere up to this number.
_MAX_FIRST_BLOCK = 30


@lru_cache(maxsize=1)
def _salutation_pattern() -> regex.Pattern[str]:
    from .grammar import vocabulary

    words = sorted((str(word) for word in vocabulary()["salutations"]), key=len, reverse=True)
    return regex.compile("(?:" + "|".join(map(regex.escape, words)) + ")[：:]")


@lru_cache(maxsize=1)
def _vocab() -> dict[str, Any]:
    text = (resources.files("planparse") / "data" / "segment_vocabulary.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@lru_cache(maxsize=1)
def _sentence_ends() -> str:
    return str(_vocab()["sentence_ends"])


@dataclass
class BlockState:
    """What the block readers share while one document is segmented."""

    paged: PagedText
    text: str
    breaks: frozenset[int]
    warnings: list[RecordWarning]
    boxes: list[Box] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[TableBlock] = field(default_factory=list)
    next_box: int | None = None  # None until the first box fixes where the sequence starts
    next_figure: int | None = None
    next_table: int | None = None
    bold: dict[int, int] = field(default_factory=dict)  # clean start → end of bold leads (PDF, markup)
    lined: bool = False  # the text keeps its line breaks: paragraphs follow them
    grids: dict[int, TableBlock] = field(default_factory=dict)  # clean start → a table with known cells
    quotes: list[tuple[int, int]] = field(default_factory=list)  # blockquotes of the markup, clean spans
    images: list[tuple[int, str]] = field(default_factory=list)  # pictures of the markup: clean offset, label
    pictured: set[int] = field(default_factory=set)  # indices (in ``images``) of the pictures recorded as blocks
    _line_starts: list[int] | None = field(default=None, repr=False)  # sorted breaks, built on first use

    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            self._line_starts = sorted(self.breaks)
        return self._line_starts

    def page(self, offset: int) -> int | None:
        return self.paged.page_at(offset)

    def at_boundary(self, offset: int, floor: int) -> bool:
        """A label may start a heading or box only after a sentence end, a line break or a block end."""
        if offset <= floor or offset in self.breaks:
            return True
        previous = self.text[offset - 1]
        return previous in _sentence_ends() or previous.isspace()


# ---------------------------------------------------------------- paragraphs


def _is_headline(sentence: str) -> bool:
    body = sentence[:-1].removeprefix("——")
    return (
        0 < len(body) <= _MAX_HEADLINE
        and sentence[-1] in "。！？"
        and not any(char in body for char in "，、；：,;:")
        and not body[0].isdigit()
    )


def paragraphs_of(state: BlockState, start: int, end: int) -> list[Paragraph]:
    """Split a span into paragraphs: at the source's line breaks where it has them, else at
    headlines, ——items and line breaks after sentence ends."""
    text = state.text
    if start >= end:
        return []
    if state.lined:
        return _lined_paragraphs(state, start, end)
    salutation = _salutation_pattern().match(text, start, end)
    if salutation is not None and salutation.end() < end:
        # A report's salutation (各位代表：) is a paragraph of its own.
        return [Paragraph(salutation.group(), start, salutation.end(), state.page(start), None),
                *paragraphs_of(state, salutation.end(), end)]
    sentences: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_END.finditer(text[start:end]):
        sentences.append((cursor, start + match.end()))
        cursor = start + match.end()
    if cursor < end:
        sentences.append((cursor, end))
    starts: list[tuple[int, str | None]] = []
    for index, (s_start, s_end) in enumerate(sentences):
        sentence = text[s_start:s_end]
        follows = index + 1 < len(sentences)
        new = index == 0
        headline = None
        bold_end = state.bold.get(s_start)
        if follows and bold_end is not None and bold_end >= s_end - 1 and s_end - s_start <= 2 * _MAX_HEADLINE:
            # A lead sentence set in bold: the headline, whatever its punctuation.
            new, headline = True, sentence
        elif follows and _is_headline(sentence) and (
            bold_end is not None or len(state.bold) < 3 or s_start in state.breaks or index == 0
        ):
            # In a PDF that sets its leads in bold, a grammar headline in mid-line that is not
            # bold is an ordinary sentence.
            new, headline = True, sentence
        elif sentence.startswith("——") or s_start in state.breaks:
            new = True
        if new:
            starts.append((s_start, headline))
    paragraphs = []
    for index, (p_start, headline) in enumerate(starts):
        p_end = starts[index + 1][0] if index + 1 < len(starts) else end
        content = text[p_start:p_end]
        if content.strip():
            paragraphs.append(Paragraph(content, p_start, p_end, state.page(p_start), headline))
    return paragraphs


def _lined_paragraphs(state: BlockState, start: int, end: int) -> list[Paragraph]:
    """One paragraph per source line. Its headline is its bold lead, or a short lead sentence
    that the rest of the line continues (the documents' topic-headline convention)."""
    text = state.text
    cuts = sorted({start, *(offset for offset in state.breaks if start < offset < end), end})
    paragraphs = []
    for p_start, p_end in zip(cuts, cuts[1:], strict=False):
        content = text[p_start:p_end]
        if not content.strip():
            continue
        headline = None
        bold_end = state.bold.get(p_start)
        first = _SENTENCE_END.search(content)
        if bold_end is not None and p_start < bold_end < p_end:
            headline = text[p_start:bold_end]
        elif first is not None and first.end() < len(content) and _is_headline(content[: first.end()]):
            headline = content[: first.end()]
        paragraphs.append(Paragraph(content, p_start, p_end, state.page(p_start), headline))
    return paragraphs


# ---------------------------------------------------------------- boxes


_ITEM_MARK = regex.compile(r"[、；;]")


def _split_items(content: str) -> tuple[str, ...]:
    parts = _ITEM_MARK.split(content.rstrip("。；;，"))
    return tuple(part.strip() for part in parts if part.strip())


def _split_title(prefix: str) -> int | None:
    """Where a box title ends inside ``title + first label``: after the latest title-final word
    that leaves a label and does not sit inside a 、-list."""
    suffixes = [str(word) for word in _vocab()["box_title_suffixes"]]
    depth = 0
    first_enum = len(prefix)
    for index, char in enumerate(prefix):
        if char in "（(":
            depth += 1
        elif char in "）)":
            depth = max(0, depth - 1)
        elif char == "、" and depth == 0:
            first_enum = index
            break
    best = None
    for word in suffixes:
        for found in _literal(word, prefix):
            cut = found + len(word)
            if cut >= 2 and len(prefix) - cut >= 2 and cut <= first_enum and (best is None or cut > best):
                best = cut
    return best


def _notes(state: BlockState, position: int, limit: int) -> tuple[tuple[str, ...], int]:
    """Notes (注：①…。②…。) starting at ``position``; returns (notes, end)."""
    text = state.text
    match = regex.match(r"注\s?[：:]", text[position : position + 3])
    if not match:
        return (), position
    cursor = position + match.end()
    notes: list[str] = []
    if cursor < limit and text[cursor] in _CIRCLED:
        while cursor < limit and text[cursor] in _CIRCLED:
            next_circled = _CIRCLED.index(text[cursor]) + 1
            stop = text.find("。", cursor, limit)
            following = text.find(_CIRCLED[next_circled], cursor, limit) if next_circled < len(_CIRCLED) else -1
            if following != -1 and (stop == -1 or following < stop + 2):
                end = following
            else:
                end = stop + 1 if stop != -1 else limit
            notes.append(text[cursor + 1 : end].strip())  # a PDF's space after ③ is layout, not the note's
            cursor = end
        return tuple(notes), cursor
    stop = text.find("。", cursor, limit)
    end = stop + 1 if stop != -1 else limit
    return (text[cursor:end],), end


def _next_block(state: BlockState, start: int, limit: int) -> regex.Match[str] | None:
    """The next 专栏N / 图N / 表N that continues its own sequence and starts at a boundary.

    A sequence may start above 1 (the document's first boxes were published as images); a
    later number must continue it."""
    for match in _BLOCK.finditer(state.text, start, limit):
        kind, number = match.group(1), int(match.group(2))
        expected = {"专栏": state.next_box, "图": state.next_figure, "表": state.next_table}[kind]
        glued = _GLUED_YEAR.match(state.text, match.start(2))
        if glued and number != expected:
            # A caption whose space was lost: 表12023年… is 表1 before the year 2023.
            match = regex.compile(rf"({kind})\s?({glued.group(1)})").match(state.text, match.start()) or match
            number = int(match.group(2))
        fits = _in_sequence(state, kind, number)
        if kind == "表" and expected is not None and expected < number <= expected + 2:
            fits = True  # the table before was not confirmed (a list, not rows): its header decides below
        # Flattened text: a table may follow the last figure of the one before (…21489-91表102023年…).
        after_figure = kind == "表" and not state.lined and match.start() > start and state.text[match.start() - 1] in "0123456789-"
        if fits and (state.at_boundary(match.start(), start) or after_figure):
            if kind == "表" and not _table_header(state, match.end(), min(limit, match.end() + 80)):
                continue
            return match
    return None


def _in_sequence(state: BlockState, kind: str, number: int) -> bool:
    expected = {"专栏": state.next_box, "图": state.next_figure, "表": state.next_table}[kind]
    return number == expected if expected is not None else 1 <= number <= _MAX_FIRST_BLOCK


def _literal(word: str, text: str, start: int = 0, limit: int | None = None) -> Iterator[int]:
    """Start offsets of the non-overlapping occurrences of ``word`` in ``text[start:limit]``."""
    limit = len(text) if limit is None else limit
    found = text.find(word, start, limit)
    while found >= 0 and word:
        yield found
        found = text.find(word, found + len(word), limit)


def _table_header(state: BlockState, start: int, limit: int) -> int | None:
    """Offset of a table header in ``[start, limit)``: labels that rows confirm (:mod:`planparse.tables.detect`)."""
    from ..tables.detect import find_table_header

    return find_table_header(state.text, start, limit, state.breaks)


def _list_items(state: BlockState, start: int, limit: int) -> tuple[tuple[str, ...], tuple[int, ...], int]:
    """Numbered items 1…；2…；…N…。 from ``start``; returns (items, item offsets, end)."""
    text = state.text
    items: list[str] = []
    offsets: list[int] = []
    number = 1
    cursor = start
    prefix = regex.compile(r"(?:[（(]{n}[）)]|{n}[．.、]?)")
    while cursor < limit:
        match = regex.compile(prefix.pattern.replace("{n}", str(number))).match(text, cursor)
        if not match:
            break
        body_start = match.end()
        next_prefix = regex.compile(r"[；;。]\s?(?:[（(]" + str(number + 1) + r"[）)]|" + str(number + 1) + r"(?!\d))")
        following = next_prefix.search(text, body_start, limit)
        stop = text.find("。", body_start, limit)
        if following is not None and (stop == -1 or following.start() <= stop):
            end = following.start() + 1
            items.append(text[body_start : following.start()])
            offsets.append(body_start)
            cursor = end
            number += 1
            continue
        end = stop + 1 if stop != -1 else limit
        items.append(text[body_start : end].rstrip("。；;"))
        offsets.append(body_start)
        cursor = end
        break
    return tuple(items), tuple(offsets), cursor


_LABEL_AT = regex.compile(rf"([^。，；：:！？\d]{{1,{_MAX_LABEL}}})[：:]")
_HEAD_AT = regex.compile(r"([^。，；：:！？、\d]{1,15})。")
_LIST_START = regex.compile(r"(?<!\d)(?:1|[（(]1[）)])(?=[\p{Han}“《（])")
_COLON = regex.compile(r"[：:]")


def _groups(state: BlockState, start: int, limit: int) -> tuple[tuple[Group, ...], int]:
    """Labelled groups ``label：items。`` (and ``head。label：items。`` two-level groups)."""
    text = state.text
    groups: list[Group] = []
    cursor = start

    def one_group(position: int) -> tuple[Group, int] | None:
        match = _LABEL_AT.match(text, position, limit)
        if not match:
            return None
        content_start = match.end()
        stop = text.find("。", content_start, limit)
        end = stop + 1 if stop != -1 else limit
        # A group may run over several sentences: it ends at the next label, a headline-like
        # sentence, a ——item, a line break, or the box's limit.
        while end < limit and end not in state.breaks and not text.startswith("——", end):
            if _LABEL_AT.match(text, end, limit) or _HEAD_AT.match(text, end, limit):
                break
            stop = text.find("。", end, limit)
            end = stop + 1 if stop != -1 else limit
        content = text[content_start:end]
        return Group(match.group(1), _split_items(content), content), end

    while cursor < limit:
        single = one_group(cursor)
        if single is not None:
            groups.append(single[0])
            cursor = single[1]
            continue
        head = _HEAD_AT.match(text, cursor, limit)
        if head and _LABEL_AT.match(text, head.end(), limit):
            sub_groups: list[Group] = []
            position = head.end()
            while position < limit:
                sub = one_group(position)
                if sub is None:
                    break
                sub_groups.append(sub[0])
                position = sub[1]
            groups.append(Group(head.group(1), (), text[head.end() : position], tuple(sub_groups)))
            cursor = position
            continue
        break
    return tuple(groups), cursor


def _box(state: BlockState, match: regex.Match[str], limit: int, chapter: int | None, section: int | None) -> int:
    """Parse the box at ``match``; record it; return where it (and its notes) end."""
    text = state.text
    number = int(match.group(2))
    after = match.end()
    state.next_box = number + 1
    kind = "text"
    items: tuple[str, ...] = ()
    item_offsets: tuple[int, ...] = ()
    groups: tuple[Group, ...] = ()
    notes: tuple[str, ...] = ()
    omitted = [str(word) for word in _vocab()["omitted_markers"]]
    next_block = _next_block(state, after, limit)
    block_limit = next_block.start() if next_block else limit
    quote_end = _quote_end(state, match.start())
    if quote_end is not None:
        block_limit = min(block_limit, quote_end)  # the markup says where the box ends
    # The header must lie in this box: a table in the next box is not this box's body.
    header = _table_header(state, after, min(block_limit, after + 80))
    list_start = _LIST_START.search(text, after, min(limit, after + 60))
    title_end = after
    end = after
    marker = next((word for word in omitted if text.startswith(word, after)), None)
    if marker is not None:
        kind, title_end = "omitted", after
        end = after + len(marker)
        if end < limit and text[end] == "。":
            end += 1
        title = ""
    elif header is not None and (list_start is None or header < list_start.start()):
        kind, title_end = "indicator_table", header
        title = text[after:header]
        block_limit = _lined_table_end(state, header, block_limit)
        note_at = text.find("注", header, block_limit)
        while note_at != -1 and not regex.match(r"注\s?[：:]", text[note_at : note_at + 3]):
            note_at = text.find("注", note_at + 1, block_limit)
        table_end = note_at if note_at != -1 else block_limit
        notes, end = _notes(state, table_end, block_limit) if note_at != -1 else ((), table_end)
        state.tables.append(
            TableBlock(number, None, title, header, table_end, text[header:table_end], notes,
                       note_at if note_at != -1 else None, chapter, section)
        )
    elif list_start is not None and not any(char in text[after : list_start.start()] for char in "。，；：") and list_start.start() > after:
        kind, title_end = "list", list_start.start()
        title = text[after:title_end]
        items, item_offsets, end = _list_items(state, title_end, block_limit)
    else:
        colon = _COLON.search(text, after, min(block_limit, after + 80))
        title = ""
        if colon is not None:
            prefix = text[after : colon.start()]
            first_stop = prefix.find("。")
            head_part = prefix if first_stop == -1 else prefix[:first_stop]
            cut = _split_title(head_part)
            if cut is not None and not any(char in head_part[:cut] for char in "，；"):
                title_end = after + cut
                title = text[after:title_end]
                groups, end = _groups(state, title_end, block_limit)
                if groups:
                    kind = "groups"
        if kind != "groups" and quote_end is not None:
            kind, title_end, items, item_offsets, end = _quoted_body(state, after, block_limit)
            title = text[after:title_end]
        elif kind != "groups":
            stop = text.find("。", after, block_limit)
            sentence = text[after : stop if stop != -1 else block_limit]
            cut = _split_title(sentence) or min(len(sentence), 20)
            title_end = after + cut
            title = text[after:title_end]
            end = stop + 1 if stop != -1 else block_limit
            kind = "text"
            state.warnings.append(
                RecordWarning(code="box_text_uncertain", message=f"专栏{number}: body kind not recognised; kept as text", page=state.page(match.start()))
                .at(boxes=[match.start()])
            )
    if kind in ("list", "groups", "text"):
        notes, end = _notes(state, end, block_limit)
    body = text[title_end:end]
    state.boxes.append(
        Box(number, title, kind, match.start(), end, state.page(match.start()), chapter, section, body, items, groups, notes, item_offsets)
    )
    return end


def _pictured_blocks(state: BlockState, start: int, end: int, chapter: int | None, section: int | None) -> None:
    """Record the boxes and figures published as pictures in [start, end): a picture whose alt
    text or title names a block (``专栏1 “十一五”规划主要指标实现情况　新华社发``) is that block,
    its content not read (kind ``image``; the record's ``images_not_read`` warning counts them).
    A credit after an ideographic space (新华社发) is not part of the title."""
    # A picture's offset is where its line ended: before the next heading's label, the end of
    # the span it closes, which is taken as the span's own.
    low = bisect_left(state.images, (start, ""))
    high = bisect_right(state.images, (end, "\U0010ffff"))
    for index in range(low, high):
        offset, label = state.images[index]
        named = pictured_block(label)
        if named is None or index in state.pictured:
            continue
        state.pictured.add(index)
        kind, number, title = named
        page = state.page(offset)
        if kind == "专栏":
            state.boxes.append(Box(number, title, "image", offset, offset, page, chapter, section, "", (), (), ()))
        else:
            state.figures.append(Figure(number, title, offset, page, chapter, section))


# A credit after the title: an ideographic space or a wide gap of spaces (… 国家快速铁路网  新华社发).
_CREDIT = regex.compile(r"\u3000|\s{2,}")
# A picture that stands for a box or a figure: its label, number and title.
_PICTURED = regex.compile(r"\s*(?P<kind>专栏|图)\s*(?P<number>\d{1,3})(?!\d)[\s：:.．、]*(?P<title>.*)", regex.S)


def pictured_block(label: str) -> tuple[str, int, str] | None:
    """(专栏 or 图, number, title) of the block a picture's caption names, or None."""
    match = _PICTURED.match(label)
    if match is None:
        return None
    return match.group("kind"), int(match.group("number")), _CREDIT.split(match.group("title"))[0].strip()


def _quote_end(state: BlockState, position: int) -> int | None:
    """The end of the markup's blockquote that holds ``position`` (None: in none)."""
    return next((end for start, end in state.quotes if start <= position < end), None)


def _quoted_body(state: BlockState, after: int, limit: int) -> tuple[str, int, tuple[str, ...], tuple[int, ...], int]:
    """A box the markup quotes (``> **专栏4　新农村建设重点工程**`` and its lines): its title is
    the rest of the label's line, its body every line of the quote; two lines or more are its
    items (``沃土工程→…``), one is its text. Returns (kind, title end, items, item offsets, end)."""
    text = state.text
    starts = state.line_starts()
    index = bisect_right(starts, after)
    title_end = starts[index] if index < len(starts) and starts[index] < limit else limit
    if title_end - after > _MAX_TITLE and _SENTENCE_MARK.search(text, after, title_end):
        # No title line of its own (专栏2 加强节能。改造锅炉…): the title ends where a box
        # title's last word does, else the quote is all body. A long line without a sentence
        # mark is all title.
        title_end = after + (_split_title(text[after:title_end]) or 0)
    items: list[str] = []
    offsets: list[int] = []
    line_start = title_end
    for line_end in [*(offset for offset in starts[index + 1 :] if offset < limit), limit]:
        raw = text[line_start:line_end]
        if raw.strip():
            items.append(raw.strip())
            offsets.append(line_start + len(raw) - len(raw.lstrip()))
        line_start = line_end
    if len(items) < 2:
        return "text", title_end, (), (), limit
    return "list", title_end, tuple(items), tuple(offsets), limit


def _figure(state: BlockState, match: regex.Match[str], limit: int, chapter: int | None, section: int | None) -> int:
    text = state.text
    state.next_figure = int(match.group(2)) + 1
    after = match.end()
    stop = min(limit, after + _MAX_TITLE)
    end = after
    while end < stop:
        if end > after and end in state.breaks:
            break
        char = text[end]
        if char in "。，；：" or (end - after >= 2 and _table_caption_at(state, end, limit)):
            break
        end += 1
        if char == "图" and end - after >= 2:
            break
    state.figures.append(Figure(int(match.group(2)), text[after:end], match.start(), state.page(match.start()), chapter, section))
    return end


def _table_caption_at(state: BlockState, offset: int, limit: int) -> bool:
    """Whether the next table's caption starts at ``offset`` (its number continues the tables'
    sequence and rows confirm its header): in flattened text a figure's title runs straight into
    it (…图3全社会固定资产投资规模持续扩大表5固定资产投资情况…)."""
    match = _BLOCK.match(state.text, offset)
    if match is None or match.group(1) != "表" or not _in_sequence(state, "表", int(match.group(2))):
        return False
    return _table_header(state, match.end(), min(limit, match.end() + 80)) is not None


_SPACED_FIGURE = regex.compile(r"(?:^|\s)[\[<>≤≥（(]?[-+]?\d[\d.,]*%?[\]）)]?(?=\s|$)")


def _lined_table_end(state: BlockState, header: int, limit: int) -> int:
    """Where a table of line-broken text ends: at its first line after the header that is prose
    (a sentence, or a long line with no figure), not a row — the paragraphs after a table are
    never its rows. Its notes (注：…) belong to it. Flattened text gives no lines: it ends where
    its first sentence begins (:func:`_flat_table_end`)."""
    if not state.lined:
        return _flat_table_end(state, header, limit)
    lines = sorted(offset for offset in state.breaks if header < offset < limit)
    for start, end in zip(lines, [*lines[1:], limit], strict=False):
        line = state.text[start:end].strip()
        if regex.match(r"注\s?[：:]", line):
            return end if any(later > end for later in lines) else limit
        caption = _BLOCK.match(line)
        if caption is not None and caption.group(1) == "表" and state.next_table is not None:
            glued = _GLUED_YEAR.match(line, caption.start(2))
            numbers = {int(caption.group(2)), int(glued.group(1)) if glued and glued.group(1) else 0}
            if state.next_table in numbers:
                return start  # the next table's caption: tables printed one after the other, no prose between
        has_figure = bool(regex.search(r"\d", line))
        # A row's figures stand apart (居民消费价格 1.4 1.5 1.3); a sentence's do not.
        separated = len(_SPACED_FIGURE.findall(line)) >= 2
        # A sentence: long, or short and ending as one (全年房地产开发投资110913亿元，比上年下降9.6%。).
        sentence = "。" in line and not separated and (len(line) > 30 or line.endswith("。"))
        if sentence or (len(line) > 40 and not has_figure):
            return start
    return limit


_SENTENCE_MARK = regex.compile(r"[。，；？！]")


def _unit_follows(text: str, position: int, mark: int) -> bool:
    """A unit (亿元, 万吨, 年, 个…: the tables' unit lexicon) or a short word (1–2 characters) stands
    between a figure at ``position`` and the sentence mark: the clause's own figure."""
    from ..tables.lexicon import units

    return mark - position <= 2 or any(text.startswith(unit, position) for unit in units())


def _flat_table_end(state: BlockState, header: int, limit: int) -> int:
    """Where a table of flattened text (no line breaks, no spaces) ends: before the clause that
    holds its first sentence mark (。，；), a row never holds one — at the start of the Han words
    that lead that clause's first figure (全年国内生产总值1260582亿元，…), or of the clause itself
    when it has no figure. Its notes (注：…) stay with it."""
    text = state.text
    mark = _SENTENCE_MARK.search(text, header, limit)
    if mark is None:
        return limit
    note = regex.search(r"注\s?[：:]", text[header : mark.start()])
    if note is not None:
        return limit  # the notes' own sentences follow the rows
    cursor = mark.start()
    while cursor > header and not text[cursor - 1].isdigit():
        cursor -= 1  # back over the clause's words, to the last figure before them
    if cursor > header:
        digits_end = cursor
        while cursor > header and (text[cursor - 1].isdigit() or text[cursor - 1] in ".-"):
            cursor -= 1
        if digits_end - cursor and cursor > header and not text[cursor - 1].isdigit():
            # The clause's own figure (…生产总值1260582亿元，): it starts at the words before it.
            words_end = cursor
            while cursor > header and not text[cursor - 1].isdigit() and text[cursor - 1] not in "-—":
                cursor -= 1
            if text[mark.start() - 1].isdigit() or words_end == cursor or not _unit_follows(text, digits_end, mark.start()):
                # …房地产开发投资7736219东中西部地区投资全面增长。: no unit after the figure (亿元, 年…): the
                # words start a sentence of their own, the figure is the table's last row's.
                cursor = digits_end
    return max(cursor, header + 1) if cursor > header else limit


def _table(state: BlockState, match: regex.Match[str], limit: int, chapter: int | None, section: int | None) -> int:
    text = state.text
    state.next_table = int(match.group(2)) + 1
    header = _table_header(state, match.end(), min(limit, match.end() + 80))
    assert header is not None
    following = None if state.lined else _next_block(state, header, limit)
    if following is not None and following.group(1) == "表":
        limit = following.start()  # flattened: the next table's caption (…-370表82023年…) ends this one
    limit = _lined_table_end(state, header, limit)
    note_at = text.find("注：", header, limit)
    table_end = note_at if note_at != -1 else limit
    notes, end = _notes(state, table_end, limit) if note_at != -1 else ((), table_end)
    state.tables.append(
        TableBlock(None, match.group(1) + match.group(2), text[match.end() : header].strip(), header, table_end,
                   text[header:table_end], notes, note_at if note_at != -1 else None, chapter, section)
    )
    return end


# A header line holds labels only: a sentence mark means prose.
_PROSE_MARK = regex.compile(r"[。，；！？：:]")
_MAX_HEADER_LINE = 80


def _bare_header(state: BlockState, start: int, end: int, limit: int) -> bool:
    """Whether the line ``[start, end)`` of line-broken text is the header of a table printed
    without a caption: a name (or number) label first, then labels the lexicon knows (at least one
    value column among them; labels it does not know only beside a dated one, 1952年人数, and
    fewer than the known ones), no sentence mark, and rows that confirm them
    (:func:`planparse.tables.detect.confirmed_rows`)."""
    from ..tables.detect import confirmed_rows
    from ..tables.header import VALUE_ROLES, label_at, scan_labels

    line = state.text[start:end].rstrip()
    if not line or len(line) > _MAX_HEADER_LINE or _PROSE_MARK.search(line):
        return False
    first = label_at(state.text, start, start + len(line))
    if first is None or first.role not in ("name", "number"):
        return False
    labels = scan_labels(state.text, start, start + len(line), state.breaks)
    known = [label for label in labels if label.known]
    unknown = len(labels) - len(known)
    if sum(label.role in VALUE_ROLES for label in known) < 1:
        return False
    if unknown and (unknown >= len(known) or not any(label.role in VALUE_ROLES and label.year is not None for label in known)):
        return False  # labels the lexicon does not know (1952年人数): a dated column vouches for the line, known labels outnumber them
    return confirmed_rows(state.text, start, state.breaks, limit) is not None


def _next_bare_table(state: BlockState, start: int, limit: int) -> int | None:
    """The first header line in ``[start, limit)`` of a table that has no 表N caption; flattened text
    gives no header line to stand on: there the header must follow a clause that announces it
    (:func:`planparse.tables.detect.flat_bare_header`)."""
    if not state.lined:
        from ..tables.detect import flat_bare_header

        return flat_bare_header(state.text, start, limit, state.breaks)
    lines = state.line_starts()
    index = bisect_left(lines, start)
    offsets = ([start] if start not in state.breaks and (start == 0 or state.text[start - 1] == "\n") else []) + lines[index:]
    for position, offset in enumerate(offsets):
        if offset >= limit:
            break
        following = offsets[position + 1] if position + 1 < len(offsets) else limit
        if _bare_header(state, offset, min(following, limit), limit):
            return offset
    return None


def _bare_table(state: BlockState, header: int, limit: int, chapter: int | None, section: int | None) -> int:
    """Record a table of line-broken text that has no caption, from its header line to its first
    prose line; its notes (注：…) belong to it. No table number is used up."""
    text = state.text
    limit = _lined_table_end(state, header, limit)
    note_at = text.find("注：", header, limit)
    table_end = note_at if note_at != -1 else limit
    notes, end = _notes(state, table_end, limit) if note_at != -1 else ((), table_end)
    state.tables.append(
        TableBlock(None, None, "", header, table_end, text[header:table_end], notes, note_at if note_at != -1 else None, chapter, section)
    )
    return end


def _next_grid(state: BlockState, start: int, end: int) -> TableBlock | None:
    found = [offset for offset in state.grids if start <= offset < end]
    return state.grids[min(found)] if found else None


def _grid_label(state: BlockState, start: int, grid_start: int) -> regex.Match[str] | None:
    """A 专栏N or 表N label at a boundary whose title runs up to the grid (a line or a short title,
    no sentence): the grid is that box's or that table's body."""
    found = None
    for match in _BLOCK.finditer(state.text, start, grid_start):
        if match.group(1) != "图" and state.at_boundary(match.start(), start):
            found = match
    if found is None:
        return None
    title = state.text[found.end() : grid_start].strip()
    return found if len(title) <= _MAX_TITLE and not _SENTENCE_END.search(title) else None


def _unglued_caption(label: str | None, title: str) -> tuple[str | None, str]:
    """A grid's caption whose space was lost (表102014年… read as 表102 014年…): 表10 before the year."""
    numbered = regex.fullmatch(r"表(\d{2,3})", label or "")
    if numbered is None:
        return label, title
    joined = numbered.group(1) + title
    glued = _GLUED_YEAR.match(joined)
    if glued is None or not glued.group(1) or glued.group(1) == numbered.group(1):
        return label, title
    return f"表{glued.group(1)}", joined[len(glued.group(1)):]


def _grid_table(
    state: BlockState, grid: TableBlock, label: regex.Match[str] | None, end: int, chapter: int | None, section: int | None
) -> int:
    """Record a table with known cells, with the box or 表N its label names and the notes right
    after it; return where it (and its notes) end."""
    text = state.text
    cursor = grid.end
    while cursor < end and text[cursor].isspace():
        cursor += 1
    notes, notes_end = _notes(state, cursor, end)
    finish = notes_end if notes else grid.end
    if label is not None:
        kind, number = label.group(1), int(label.group(2))
        title = text[label.end() : grid.start].strip()
        box = number if kind == "专栏" else None
        table_label = None if kind == "专栏" else f"表{number}"
        if kind == "专栏":
            state.next_box = number + 1
            state.boxes.append(Box(number, title, "indicator_table", label.start(), finish, state.page(label.start()), chapter, section,
                                   text[grid.start:finish], (), (), notes))
        else:
            state.next_table = number + 1
        block = TableBlock(box, table_label, title, grid.start, grid.end, grid.text, notes, cursor if notes else None, chapter, section,
                           grid.grid)
    else:
        label_text, title = _unglued_caption(grid.label, grid.title)
        block = TableBlock(grid.box, label_text, title, grid.start, grid.end, grid.text, notes or grid.notes,
                           cursor if notes else grid.notes_start, chapter, section, grid.grid)
    state.tables.append(block)
    return finish


def content(state: BlockState, start: int, end: int, chapter: int | None, section: int | None) -> list[Paragraph]:
    """Paragraphs of a heading's span; boxes, figures and tables found on the way are recorded.

    A table whose cells the input's layout gave (a :class:`Grid`) is a block of its own: its
    span is never read as paragraphs."""
    grid = _next_grid(state, start, end)
    if grid is not None:
        label = _grid_label(state, start, grid.start)
        before = content(state, start, label.start() if label else grid.start, chapter, section)
        if label is not None and not _in_sequence(state, label.group(1), int(label.group(2))):
            before += paragraphs_of(state, label.start(), grid.start)  # a label out of its sequence stays text
            label = None
        after = _grid_table(state, grid, label, end, chapter, section)
        return [*before, *content(state, after, end, chapter, section)]
    _pictured_blocks(state, start, end, chapter, section)
    paragraphs: list[Paragraph] = []
    cursor = start
    while cursor < end:
        block = _next_block(state, cursor, end)
        bare = _next_bare_table(state, cursor, block.start() if block is not None else end)
        if bare is not None:
            paragraphs.extend(paragraphs_of(state, cursor, bare))
            cursor = _bare_table(state, bare, block.start() if block is not None else end, chapter, section)
            continue
        if block is None:
            paragraphs.extend(paragraphs_of(state, cursor, end))
            break
        paragraphs.extend(paragraphs_of(state, cursor, block.start()))
        kind = block.group(1)
        if kind == "专栏":
            cursor = _box(state, block, end, chapter, section)
        elif kind == "图":
            cursor = _figure(state, block, end, chapter, section)
        else:
            cursor = _table(state, block, end, chapter, section)
    return paragraphs


