"""Stage ``segment``: parts, chapters, sections, paragraphs with headlines, boxes, figures, tables.

Flattened text has lost its line breaks, so structure is recovered from the text's own grammar:
headings are matched against the TOC (ground truth for titles), numbered labels must follow a
sentence end and continue their sequence, box bodies end where their list or groups end, and
paragraph breaks are recovered from topic headlines (short lead sentences such as
``深入推进简政放权。``). Line breaks, when the input has them, are used as extra evidence.
Every character of the body ends up in exactly one heading, paragraph, box, figure or table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import regex
import yaml

from .document import (
    Box,
    Chapter,
    Figure,
    FrontMatter,
    Group,
    Heading,
    PagedText,
    Paragraph,
    Section,
    Skeleton,
    TableBlock,
)
from .models import RecordWarning
from .toc import NUMERAL, chinese_number

_HEADING = regex.compile(rf"第({NUMERAL})(篇|章|节)")
_PART_OUTLINE = regex.compile(rf"第({NUMERAL})部分")
_SENTENCE_END = regex.compile(r"[。！？]+”?")
_OUTLINE_1 = regex.compile(r"([一二三四五六七八九十]{1,3})、")
_OUTLINE_2 = regex.compile(r"[（(]([一二三四五六七八九十]{1,3})[）)]")
_BLOCK = regex.compile(r"(专栏|图|表)\s?(\d{1,3})")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_LEVEL = {"篇": "part", "章": "chapter", "节": "section"}
_MAX_TITLE = 40
_MAX_HEADLINE = 24
_MAX_LABEL = 25


@lru_cache(maxsize=1)
def _vocab() -> dict[str, Any]:
    text = (resources.files("planparse") / "data" / "segment_vocabulary.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def _sentence_ends() -> str:
    return str(_vocab()["sentence_ends"])


@dataclass
class _State:
    paged: PagedText
    text: str
    breaks: frozenset[int]
    warnings: list[RecordWarning]
    boxes: list[Box]
    figures: list[Figure]
    tables: list[TableBlock]
    next_box: int = 1
    next_figure: int = 1
    next_table: int = 1
    bold: dict[int, int] = field(default_factory=dict)  # clean start → end of bold leads (PDF input)

    def page(self, offset: int) -> int | None:
        return self.paged.page_at(offset)

    def at_boundary(self, offset: int, floor: int) -> bool:
        """A label may start a heading or box only after a sentence end, a line break or a block end."""
        if offset <= floor or offset in self.breaks:
            return True
        previous = self.text[offset - 1]
        return previous in _sentence_ends() or previous.isspace()


# ---------------------------------------------------------------- headings


def _toc_headings(state: _State, front: FrontMatter, start: int) -> list[Heading]:
    text = state.text
    headings: list[Heading] = []
    cursor = start
    for entry in front.toc:
        needle = entry.label + entry.title
        position = text.find(needle, cursor)
        end = position + len(needle)
        if position < 0:
            # Tolerate a title that differs slightly: the label at a boundary, then the title's start.
            probe = regex.compile(regex.escape(entry.label) + regex.escape(entry.title[:3]))
            match = probe.search(text, cursor)
            if match is None:
                state.warnings.append(
                    RecordWarning(code="toc_heading_missing", message=f"TOC entry {needle} not found in the body", page=entry.page)
                )
                continue
            position = match.start()
            end = _title_end(state, match.start() + len(entry.label), len(text))
            state.warnings.append(
                RecordWarning(
                    code="toc_title_mismatch",
                    message=f"body heading {text[position:end]} differs from TOC entry {needle}",
                    page=state.page(position),
                )
            )
        headings.append(
            Heading(entry.level, entry.number, entry.label, text[position + len(entry.label) : end], position, end, state.page(position))
        )
        cursor = end
    return headings


def _title_end(state: _State, start: int, limit: int) -> int:
    """End of a heading title without TOC help: a line break, punctuation, a digit or the next label."""
    text = state.text
    stop = min(limit, start + _MAX_TITLE)
    position = start
    while position < stop:
        if position > start and position in state.breaks:
            return position
        char = text[position]
        if char in "。，；：！？" or char.isdigit():
            break
        if position > start and char == "第" and _HEADING.match(text, position):
            break
        if position > start and text.startswith("专栏", position):
            break
        position += 1
    return position


def _scan_headings(state: _State, start: int, end: int) -> list[Heading]:
    """Headings of a text without TOC: 第X篇/章/节 continuing their sequences after a boundary."""
    text = state.text
    headings: list[Heading] = []
    expected = {"part": 1, "chapter": 1, "section": 1}
    uncertain = 0
    restarts = 0
    last_end = -1
    for match in _HEADING.finditer(text, start, end):
        level = _LEVEL[match.group(2)]
        number = chinese_number(match.group(1))
        if not (state.at_boundary(match.start(), start) or match.start() == last_end):
            continue
        if number != expected[level]:
            if level == "chapter" and number == 1 and expected[level] > 2 and match.start() in state.breaks:
                restarts += 1  # 第一章 again on its own line: another plan was appended
            if number > expected[level] and match.start() in state.breaks:
                state.warnings.append(
                    RecordWarning(code="heading_sequence", message=f"{match.group()} follows number {expected[level] - 1}", page=state.page(match.start()))
                )
            else:
                continue
        title_end = _title_end(state, match.end(), end)
        if title_end == match.end():
            continue
        if title_end not in state.breaks:
            uncertain += 1
        headings.append(Heading(level, number, match.group(), text[match.end() : title_end], match.start(), title_end, state.page(match.start())))
        last_end = title_end
        expected[level] = number + 1
        if level == "chapter":
            expected["section"] = 1
    if restarts:
        state.warnings.append(
            RecordWarning(
                code="heading_restart",
                message=f"the chapter numbering restarts {restarts} time(s): concatenated documents? only the first sequence is structured",
                page=None,
            )
        )
    if uncertain:
        state.warnings.append(
            RecordWarning(
                code="heading_title_uncertain",
                message=f"{uncertain} heading title(s) guessed without TOC or line breaks",
                page=None,
            )
        )
    return headings


def _add_untoc_sections(state: _State, headings: list[Heading], end: int) -> list[Heading]:
    """A TOC that lists only 篇 and 章: find each chapter's 第X节 sections in its span."""
    result: list[Heading] = []
    for index, heading in enumerate(headings):
        result.append(heading)
        if heading.level != "chapter":
            continue
        span_end = headings[index + 1].start if index + 1 < len(headings) else end
        found = [item for item in _scan_headings(state, heading.end, span_end) if item.level == "section"]
        result.extend(found)
    return result


def _outline_headings(state: _State, start: int, end: int) -> tuple[list[Heading], str]:
    """一、/（一） or 第一部分/一、 outline numbering mapped onto chapters and sections."""
    text = state.text
    has_parts = sum(1 for match in _PART_OUTLINE.finditer(text, start, end) if state.at_boundary(match.start(), start)) >= 2
    levels = ((_PART_OUTLINE, "chapter"), (_OUTLINE_1, "section")) if has_parts else ((_OUTLINE_1, "chapter"), (_OUTLINE_2, "section"))
    found: list[tuple[int, str, regex.Match[str]]] = []
    for pattern, level in levels:
        for match in pattern.finditer(text, start, end):
            if state.at_boundary(match.start(), start):
                found.append((match.start(), level, match))
    found.sort(key=lambda item: item[0])
    headings: list[Heading] = []
    expected = {"chapter": 1, "section": 1}
    for position, level, match in found:
        number = chinese_number(match.group(1))
        if number != expected[level]:
            continue
        if headings and position < headings[-1].end:
            continue
        stop = min(end, match.end() + _MAX_TITLE)
        title_end = match.end()
        while title_end < stop and text[title_end] not in "。！？；" and not (title_end > match.end() and title_end in state.breaks):
            title_end += 1
        if title_end >= stop and title_end not in state.breaks:
            continue  # no title end in sight: a list item inside a sentence, not a heading
        span_end = title_end + 1 if title_end < end and text[title_end] == "。" else title_end
        title = text[match.end() : title_end]
        if not title:
            continue
        headings.append(Heading(level, number, match.group(), title, position, span_end, state.page(position)))
        expected[level] = number + 1
        if level == "chapter":
            expected["section"] = 1
    return headings, ("outline_part" if has_parts else "outline")


# ---------------------------------------------------------------- paragraphs


def _is_headline(sentence: str) -> bool:
    body = sentence[:-1].removeprefix("——")
    return (
        0 < len(body) <= _MAX_HEADLINE
        and sentence[-1] in "。！？"
        and not any(char in body for char in "，、；：,;:")
        and not body[0].isdigit()
    )


def _paragraphs(state: _State, start: int, end: int) -> list[Paragraph]:
    """Split a span into paragraphs at headlines, ——items and line breaks after sentence ends."""
    text = state.text
    if start >= end:
        return []
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


# ---------------------------------------------------------------- boxes


def _split_items(content: str) -> tuple[str, ...]:
    parts = regex.split(r"[、；;]", content.rstrip("。；;，"))
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


def _notes(state: _State, position: int, limit: int) -> tuple[tuple[str, ...], int]:
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
            notes.append(text[cursor + 1 : end])
            cursor = end
        return tuple(notes), cursor
    stop = text.find("。", cursor, limit)
    end = stop + 1 if stop != -1 else limit
    return (text[cursor:end],), end


def _next_block(state: _State, start: int, limit: int) -> regex.Match[str] | None:
    """The next 专栏N / 图N / 表N that continues its own sequence and starts at a boundary."""
    for match in _BLOCK.finditer(state.text, start, limit):
        kind, number = match.group(1), int(match.group(2))
        expected = {"专栏": state.next_box, "图": state.next_figure, "表": state.next_table}[kind]
        if number == expected and state.at_boundary(match.start(), start):
            if kind == "表" and not _table_header(state, match.end(), min(limit, match.end() + 80)):
                continue
            return match
    return None


def _literal(word: str, text: str, start: int = 0, limit: int | None = None) -> Iterator[int]:
    """Start offsets of the non-overlapping occurrences of ``word`` in ``text[start:limit]``."""
    limit = len(text) if limit is None else limit
    found = text.find(word, start, limit)
    while found >= 0 and word:
        yield found
        found = text.find(word, found + len(word), limit)


def _table_header(state: _State, start: int, limit: int) -> int | None:
    """Offset of a table header in ``[start, limit)``: labels that rows confirm (:mod:`planparse.tables.detect`)."""
    from .tables.detect import find_table_header

    return find_table_header(state.text, start, limit, state.breaks)


def _list_items(state: _State, start: int, limit: int) -> tuple[tuple[str, ...], tuple[int, ...], int]:
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


def _groups(state: _State, start: int, limit: int) -> tuple[tuple[Group, ...], int]:
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


def _box(state: _State, match: regex.Match[str], limit: int, chapter: int | None, section: int | None) -> int:
    """Parse the box at ``match``; record it; return where it (and its notes) end."""
    text = state.text
    number = int(match.group(2))
    after = match.end()
    state.next_box += 1
    kind = "text"
    items: tuple[str, ...] = ()
    item_offsets: tuple[int, ...] = ()
    groups: tuple[Group, ...] = ()
    notes: tuple[str, ...] = ()
    omitted = [str(word) for word in _vocab()["omitted_markers"]]
    next_block = _next_block(state, after, limit)
    block_limit = next_block.start() if next_block else limit
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
        if kind != "groups":
            stop = text.find("。", after, block_limit)
            sentence = text[after : stop if stop != -1 else block_limit]
            cut = _split_title(sentence) or min(len(sentence), 20)
            title_end = after + cut
            title = text[after:title_end]
            end = stop + 1 if stop != -1 else block_limit
            kind = "text"
            state.warnings.append(
                RecordWarning(code="box_text_uncertain", message=f"专栏{number}: body kind not recognised; kept as text", page=state.page(match.start()))
            )
    if kind in ("list", "groups", "text"):
        notes, end = _notes(state, end, block_limit)
    body = text[title_end:end]
    state.boxes.append(
        Box(number, title, kind, match.start(), end, state.page(match.start()), chapter, section, body, items, groups, notes, item_offsets)
    )
    return end


def _figure(state: _State, match: regex.Match[str], limit: int, chapter: int | None, section: int | None) -> int:
    text = state.text
    state.next_figure += 1
    after = match.end()
    stop = min(limit, after + _MAX_TITLE)
    end = after
    while end < stop:
        if end > after and end in state.breaks:
            break
        char = text[end]
        if char in "。，；：":
            break
        end += 1
        if char == "图" and end - after >= 2:
            break
    state.figures.append(Figure(int(match.group(2)), text[after:end], match.start(), state.page(match.start()), chapter, section))
    return end


def _table(state: _State, match: regex.Match[str], limit: int, chapter: int | None, section: int | None) -> int:
    text = state.text
    state.next_table += 1
    header = _table_header(state, match.end(), min(limit, match.end() + 80))
    assert header is not None
    note_at = text.find("注：", header, limit)
    table_end = note_at if note_at != -1 else limit
    notes, end = _notes(state, table_end, limit) if note_at != -1 else ((), table_end)
    state.tables.append(
        TableBlock(None, match.group(1) + match.group(2), text[match.end() : header].strip(), header, table_end,
                   text[header:table_end], notes, note_at if note_at != -1 else None, chapter, section)
    )
    return end


def _content(state: _State, start: int, end: int, chapter: int | None, section: int | None) -> list[Paragraph]:
    """Paragraphs of a heading's span; boxes, figures and tables found on the way are recorded."""
    paragraphs: list[Paragraph] = []
    cursor = start
    while cursor < end:
        block = _next_block(state, cursor, end)
        if block is None:
            paragraphs.extend(_paragraphs(state, cursor, end))
            break
        paragraphs.extend(_paragraphs(state, cursor, block.start()))
        kind = block.group(1)
        if kind == "专栏":
            cursor = _box(state, block, end, chapter, section)
        elif kind == "图":
            cursor = _figure(state, block, end, chapter, section)
        else:
            cursor = _table(state, block, end, chapter, section)
    return paragraphs


# ---------------------------------------------------------------- assembly


def segment(paged: PagedText, front: FrontMatter, bold: Iterable[tuple[int, int]] = ()) -> Skeleton:
    """Build the document skeleton from the clean text (see the module docstring).

    ``bold``: clean spans of bold leads at line starts (PDF input); a bold lead sentence at a
    paragraph start is its headline, and confirms the grammar's headlines."""
    text = paged.text
    state = _State(paged, text, paged.line_breaks, [], [], [], [])
    for start, end in bold:
        state.bold[start] = max(end, state.bold.get(start, end))
    start = min(paged.body_start, len(text))
    numbering = "chapter"
    if front.toc and any(entry.level in ("chapter", "section", "part") for entry in front.toc):
        headings = _toc_headings(state, front, start)
        if not any(entry.level == "section" for entry in front.toc):
            headings = _add_untoc_sections(state, headings, len(text))
    else:
        headings = _scan_headings(state, start, len(text))
    if not any(heading.level == "chapter" for heading in headings):
        outline, style = _outline_headings(state, start, len(text))
        if len(outline) >= 2:
            headings, numbering = outline, style
    if numbering == "chapter" and any(heading.level == "part" for heading in headings):
        numbering = "part_chapter"
    if not headings:
        numbering = "none"
    _check_sequence(state, headings)
    return _assemble(state, headings, start, numbering)


def _check_sequence(state: _State, headings: Iterable[Heading]) -> None:
    expected = {"part": 1, "chapter": 1, "section": 1}
    for heading in headings:
        if heading.number != expected[heading.level]:
            state.warnings.append(
                RecordWarning(
                    code="heading_sequence",
                    message=f"{heading.label}{heading.title}: expected number {expected[heading.level]}",
                    page=heading.page,
                )
            )
        expected[heading.level] = heading.number + 1
        if heading.level == "chapter":
            expected["section"] = 1


def _assemble(state: _State, headings: list[Heading], start: int, numbering: str) -> Skeleton:
    text = state.text
    first = headings[0].start if headings else len(text)
    preamble = _content(state, start, first, None, None)
    parts: list[Heading] = []
    chapters: list[Chapter] = []
    part_number: int | None = None
    current: tuple[Heading, list[Paragraph], list[Section]] | None = None

    def close() -> None:
        if current is not None:
            heading, paragraphs, sections = current
            chapters.append(Chapter(heading, part_number_of[id(heading)], tuple(paragraphs), tuple(sections)))

    part_number_of: dict[int, int | None] = {}
    for index, heading in enumerate(headings):
        span_end = headings[index + 1].start if index + 1 < len(headings) else len(text)
        if heading.level == "part":
            parts.append(heading)
            part_number = heading.number
            content = _content(state, heading.end, span_end, None, None)
            if current is not None:
                current[1].extend(content)
            elif content:
                preamble = [*preamble, *content]
            continue
        if heading.level == "chapter":
            close()
            part_number_of[id(heading)] = part_number
            current = (heading, _content(state, heading.end, span_end, heading.number, None), [])
            continue
        if current is None:  # a section before any chapter: give it an unnamed chapter
            state.warnings.append(RecordWarning(code="section_without_chapter", message=f"{heading.label}{heading.title} precedes every chapter", page=heading.page))
            preamble = [*preamble, *_content(state, heading.start, span_end, None, heading.number)]
            continue
        paragraphs = _content(state, heading.end, span_end, current[0].number, heading.number)
        current[2].append(Section(heading, tuple(paragraphs)))
    close()
    return Skeleton(
        numbering=numbering,
        preamble=tuple(preamble),
        parts=tuple(parts),
        chapters=tuple(chapters),
        boxes=tuple(state.boxes),
        figures=tuple(state.figures),
        tables=tuple(state.tables),
        warnings=tuple(state.warnings),
    )
