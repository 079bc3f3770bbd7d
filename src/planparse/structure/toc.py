"""The table of contents (目录), read as a sequence of entries.

The TOC region starts at 目录 where a run of heading-like entries follows it (or where the markup
delimits it, as a Markdown ``<details>`` block does). It is split at every label of the grammar
(:mod:`planparse.structure.grammar`): 第X篇/编/章/节/部分, 一、, （一）, and named entries such as
序言. Between two labels lies one entry: its title (which may begin with or hold digits, commas,
Latin letters and quotes), optional dot leaders or spaces, and optional page digits. Line breaks,
where the text has them, bound entries. An entry that cannot be read is skipped with a warning;
it never ends the TOC. The TOC ends where the entries stop: at text that is no entry, or where
the body repeats the first entry.

In flattened text an entry's page digits may carry the next TOC page's own printed number
(``…质量302第二节`` is page 30 + TOC page 2); the non-decreasing page sequence decides the split.
Without page numbers, an entry's title is confirmed by the body, which repeats it as a heading.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from ..document import PageMarker, TocEntry
from ..models import RecordWarning
from .grammar import Label, find_labels, match_label, vocabulary

_TOC_WORD = regex.compile(r"目\s*录")
_MAX_TITLE = 60  # characters of a TOC title (the longest in the national outlines is ~40)
_MAX_PAGE_DIGITS = 4
# The printed number of a TOC page is small (the cover and TOC are the first pages).
_MAX_TOC_PAGE = 20
_PAGE_DIGITS = regex.compile(rf"\d{{1,{_MAX_PAGE_DIGITS}}}")
_SEPARATORS = " \t\u3000：:-*•"
_DIGITS = regex.compile(r"\d+")
# A digit run followed by one of these is a quantity in a title (2035年), not a page number.
_QUANTITY_UNITS = set("年月日万亿个项条%")


@dataclass(frozen=True)
class RawEntry:
    """One TOC entry before its page is decided (normalized offsets)."""

    label: Label
    title: str
    title_start: int
    title_end: int
    digits: str  # the page digits printed after the title ("" when none)
    end: int  # after the digits (or the title)


@dataclass(frozen=True)
class TocResult:
    entries: tuple[TocEntry, ...]
    span: tuple[int, int] | None  # [目录, end of the last entry)
    end: int  # where the body may start
    markers: tuple[PageMarker, ...]  # page numbers glued in the TOC area
    warnings: tuple[RecordWarning, ...]
    body_marker: PageMarker | None = None  # the body's first page number glued after the last entry


def _leaders() -> str:
    return str(vocabulary()["toc_leaders"])


def _skip(text: str, position: int, end: int, chars: str) -> int:
    while position < end and text[position] in chars:
        position += 1
    return position


def find_toc_word(text: str, breaks: frozenset[int], limit: int) -> regex.Match[str] | None:
    """The first 目录 that heads a run of entries (not 纳入国家医保目录 in a sentence)."""
    for match in _TOC_WORD.finditer(text, 0, limit):
        start = match.start()
        previous = text[start - 1] if start else ""
        at_boundary = start == 0 or start in breaks or not ("\u4e00" <= previous <= "\u9fff")
        entries = _entries_after(text, match.end(), breaks)
        if len(entries) >= 3 or (at_boundary and len(entries) >= 2):
            return match
    return None


def _entries_after(text: str, position: int, breaks: frozenset[int], probe: int = 3) -> list[Label]:
    """Up to ``probe`` labels that follow ``position`` as TOC entries would (each within a title's
    length of the one before)."""
    found: list[Label] = []
    cursor = _skip(text, position, len(text), _SEPARATORS + _leaders())
    cursor = _skip_digits(text, cursor)
    while len(found) < probe:
        cursor = _skip(text, cursor, len(text), _SEPARATORS + _leaders())
        label = match_label(text, cursor)
        if label is None:
            break
        found.append(label)
        following = _next_label(text, label.end, _window_end(text, label.end, len(text)), breaks)
        if following is None:
            break
        cursor = following.start
    return found


def _skip_digits(text: str, position: int) -> int:
    """Past a page number printed right after 目录 (the TOC page's own number)."""
    match = _DIGITS.match(text, position)
    if match and len(match.group()) <= 3 and match_label(text, match.end()) is not None:
        return match.end()
    return position


def _next_label(text: str, start: int, limit: int, breaks: frozenset[int]) -> Label | None:
    """The next entry label after ``start``: a numbered label anywhere, or a named entry where an
    entry can start (after page digits, leaders or a line break)."""
    best: Label | None = None
    for label in find_labels(text, start + 1, limit):
        best = label
        break
    for position in range(start + 1, best.start if best else limit):
        previous = text[position - 1]
        if position in breaks or previous.isdigit() or previous in _leaders():
            named = match_label(text, position)
            if named is not None and named.kind == "unnumbered":
                return named
    return best


def _window_end(text: str, start: int, end: int) -> int:
    """Where an entry starting at ``start`` must have ended: a title's length of text and a
    page number, not counting dot leaders (……… or ..........., however long)."""
    leaders = _leaders()
    budget = _MAX_TITLE + 12
    position = start
    while position < end and budget > 0:
        if text[position] not in leaders:
            budget -= 1
        position += 1
    return position


def _split_title(segment: str) -> tuple[str, str, int]:
    """(title, page digits, length of the title part) of one entry's text."""
    body = segment.rstrip(_SEPARATORS + _leaders())
    digits = regex.search(rf"\d{{1,{_MAX_PAGE_DIGITS}}}$", body)
    if digits is None:
        return body.strip(_SEPARATORS + _leaders()), "", len(body)
    title_part = body[: digits.start()].rstrip(_SEPARATORS + _leaders())
    return title_part.strip(_SEPARATORS + _leaders()), digits.group(), digits.start()


def parse_entries(text: str, start: int, end: int, breaks: frozenset[int]) -> tuple[list[RawEntry], int, list[RecordWarning], bool]:
    """The entries of a TOC region ``[start, end)`` (``end`` may be the text's end when the
    region is not delimited); returns (entries, where the entries end, warnings)."""
    entries: list[RawEntry] = []
    warnings: list[RecordWarning] = []
    repeated = False
    cursor = _skip_digits(text, _skip(text, start, end, _SEPARATORS + _leaders()))
    while cursor < end:
        cursor = _skip(text, cursor, end, _SEPARATORS + _leaders())
        label = match_label(text, cursor)
        if label is None:
            skipped = _unreadable(text, cursor, end, breaks)
            if skipped is None:
                break
            warnings.append(RecordWarning(code="toc_entry_unreadable", message=f"TOC: could not read {text[cursor:skipped][:30]!r}; skipped", page=None))
            cursor = skipped
            continue
        if entries and _repeats_first(text, label, entries[0]):
            repeated = True
            break  # the body repeats the first entry: the TOC is over
        entry = _entry(text, label, end, breaks, entries)
        if entry is None:
            break
        if not entry.title:
            warnings.append(RecordWarning(code="toc_entry_unreadable", message=f"TOC entry {label.text} has no title; skipped", page=None))
        else:
            entries.append(entry)
        cursor = entry.end
    return entries, (entries[-1].end if entries else start), warnings, repeated


def _unreadable(text: str, position: int, end: int, breaks: frozenset[int]) -> int | None:
    """A short stretch that is no entry but is followed by more entries: skip it."""
    limit = min(end, position + 24)
    for label in find_labels(text, position + 1, limit):
        if len(_entries_after(text, label.start - 1 if label.start else 0, breaks, probe=2)) >= 2:
            return label.start
        break
    return None


def _repeats_first(text: str, label: Label, first: RawEntry) -> bool:
    if label.key != first.label.key:
        return False
    title_start = label.start if label.kind == "unnumbered" else _skip(text, label.end, len(text), _SEPARATORS)
    return text.startswith(first.title[:8], title_start)


def _entry(text: str, label: Label, end: int, breaks: frozenset[int], entries: list[RawEntry]) -> RawEntry | None:
    """One entry from its label to the next entry (or to the end of its line or title)."""
    # A named entry (序言) is its own title; a numbered one's title follows its label.
    title_start = label.start if label.kind == "unnumbered" else _skip(text, label.end, end, _SEPARATORS)
    window = _window_end(text, title_start, end)
    line_end = _line_end(breaks, title_start, window)
    following = _next_label(text, label.end - 1, line_end if line_end is not None else window, breaks)
    if following is not None and (line_end is None or following.start <= line_end):
        segment_end = following.start
    elif line_end is not None:
        segment_end = line_end
        # A title wrapped onto the next line (its page printed there): join the two lines.
        next_end = _line_end(breaks, line_end, min(end, line_end + _MAX_TITLE))
        if not regex.search(r"\d\s*$", text[title_start:line_end]) and match_label(text, line_end) is None and next_end is not None \
                and regex.search(r"\d\s*$", text[line_end:next_end]) and line_end - title_start + next_end - line_end <= _MAX_TITLE:
            segment_end = next_end
    else:
        return _last_entry(text, label, title_start, end, entries)
    segment = text[title_start:segment_end].rstrip(_SEPARATORS + _leaders())
    last = following is None or (entries and _repeats_first(text, following, entries[0]))
    if last and line_end is None and segment and not segment[-1].isdigit():
        # The last entry of a flattened TOC, then the body's opening text before its first heading.
        return _last_entry(text, label, title_start, segment_end, entries)
    title, digits, title_length = _split_title(text[title_start:segment_end])
    title_end = title_start + len(text[title_start : title_start + title_length].rstrip(_SEPARATORS + _leaders()))
    if not digits and line_end is not None and segment_end == line_end:
        # The page number printed on the next line (a PDF's TOC line broken before its page).
        page = _PAGE_DIGITS.match(text, segment_end)
        if page is not None and (page.end() in breaks or page.end() >= end or match_label(text, page.end()) is not None):
            return RawEntry(label, title, title_start, title_end, page.group(), page.end())
    return RawEntry(label, title, title_start, title_end, digits, segment_end if digits or following else title_end)


def _line_end(breaks: frozenset[int], start: int, limit: int) -> int | None:
    for position in range(start + 1, limit + 1):
        if position in breaks:
            return position
    return None


def _last_entry(text: str, label: Label, title_start: int, end: int, entries: list[RawEntry]) -> RawEntry | None:
    """The last entry of a flattened TOC: its title runs into the body. With pages, the title ends
    at the first page-like digit run; without, at the longest title the body repeats."""
    with_pages = any(entry.digits for entry in entries)
    limit = min(end, title_start + _MAX_TITLE)
    if with_pages:
        for match in _DIGITS.finditer(text, title_start, limit):
            if match.start() == title_start or text[match.end() : match.end() + 1] in _QUANTITY_UNITS:
                continue
            title = text[title_start : match.start()].rstrip(_SEPARATORS + _leaders())
            return RawEntry(label, title, title_start, title_start + len(title), match.group()[:_MAX_PAGE_DIGITS + 1], match.end())
        return None
    title_end = _repeated_title_end(text, label, title_start, limit)
    if title_end is None:
        return None
    return RawEntry(label, text[title_start:title_end], title_start, title_end, "", title_end)


def _repeated_title_end(text: str, label: Label, title_start: int, limit: int) -> int | None:
    """The end of the longest title after ``label`` that the body repeats after the TOC."""
    best = None
    for length in range(2, limit - title_start + 1):
        needle = label.text + text[title_start : title_start + length]
        if text.find(needle, title_start + length) < 0:
            break
        best = title_start + length
    return best


# ------------------------------------------------------------------ pages


def _split_page(digits: str, previous: int, upper: int | None, expected_marker: int, step: float = 20.0) -> tuple[int, str | None]:
    """An entry's page and the glued page marker, if any (``302`` → 30 + marker ``2``).

    ``step``: how far the TOC's pages usually move from one entry to the next; a page that jumps
    far beyond it while the split one does not is a page with the next page's number glued on."""
    whole = int(digits)
    marker = str(expected_marker)
    can_split = len(digits) > len(marker) and digits.endswith(marker)
    split = int(digits[: -len(marker)]) if can_split else None
    whole_fits = whole >= previous and (upper is None or whole <= upper)
    split_fits = split is not None and split >= previous and (upper is None or split <= upper)
    if split_fits and not whole_fits:
        return split, marker  # type: ignore[return-value]
    jump = max(5.0, 3.0 * step)
    if split_fits and upper is None and whole - previous > jump and split is not None and split - previous <= jump:
        return split, marker
    return whole, None


def _glued_inside_titles(text: str, raw: list[RawEntry]) -> tuple[list[RawEntry], list[PageMarker]]:
    """A page-less TOC that spans pages carries the TOC pages' own numbers inside its titles
    (``深入2实施``): digit runs between Han characters, rising 1, 2, 3 …"""
    markers: list[PageMarker] = []
    cleaned: list[RawEntry] = []
    expected = 1
    for entry in raw:
        title = entry.title
        pieces = []
        cursor = 0
        for match in _DIGITS.finditer(title):
            before = title[match.start() - 1] if match.start() else ""
            after = title[match.end()] if match.end() < len(title) else ""
            if "\u4e00" <= before <= "\u9fff" and "\u4e00" <= after <= "\u9fff" and int(match.group()) in (expected, expected + 1) \
                    and after not in "年月日万亿个项条":
                expected = int(match.group()) + 1
                offset = entry.title_start + text[entry.title_start : entry.title_end].find(match.group(), cursor)
                markers.append(PageMarker(offset, len(match.group()), int(match.group()), match.group(), 0.7, front=True))
                pieces.append(title[cursor : match.start()])
                cursor = match.end()
        pieces.append(title[cursor:])
        cleaned.append(RawEntry(entry.label, "".join(pieces), entry.title_start, entry.title_end, entry.digits, entry.end))
    return cleaned, markers


def decide_pages(raw: list[RawEntry], next_marker: int) -> tuple[list[TocEntry], list[PageMarker], PageMarker | None, list[RecordWarning]]:
    """Each entry's page (non-decreasing), the TOC pages' glued numbers, the body's first page
    number glued after the last entry, and order warnings."""
    warnings: list[RecordWarning] = []
    markers: list[PageMarker] = []
    with_digits = [entry for entry in raw if entry.digits]
    if with_digits and len(with_digits) <= max(1, len(raw) // 5):
        # A TOC without page numbers: the few digit runs in it are the TOC pages' own printed
        # numbers (small ones: a TOC is a few pages long).
        for entry in with_digits:
            if int(entry.digits) <= _MAX_TOC_PAGE:
                markers.append(PageMarker(entry.end - len(entry.digits), len(entry.digits), int(entry.digits), entry.digits, 0.7, front=True))
        raw = [RawEntry(e.label, e.title, e.title_start, e.title_end, "", e.end) for e in raw]
    entries: list[TocEntry] = []
    previous = 0
    body_marker: PageMarker | None = None
    plain = sorted(int(entry.digits) for entry in raw if entry.digits and len(entry.digits) <= 2)
    steps = [later - earlier for earlier, later in zip(plain, plain[1:], strict=False)]
    step = max(1.0, sum(steps) / len(steps)) if steps else 20.0
    for index, entry in enumerate(raw):
        if not entry.digits:
            entries.append(TocEntry(entry.label.kind, entry.label.number, entry.label.text, entry.title, None))
            continue
        upper = next((int(later.digits) for later in raw[index + 1 :] if later.digits), None)
        is_last = index == len(raw) - 1
        page, marker = _split_page(entry.digits, previous, upper, 1 if is_last else next_marker, step)
        if marker is not None:
            found = PageMarker(entry.end - len(marker), len(marker), int(marker), entry.digits, 0.85, front=not is_last)
            if is_last:
                body_marker = found
            else:
                markers.append(found)
                next_marker += 1
        if page < previous:
            warnings.append(RecordWarning(code="toc_page_order", message=f"TOC entry {entry.label.text}{entry.title} page {page} is before page {previous}", page=page)
                            .at(toc=[len(entries)]))
        previous = max(previous, page)
        entries.append(TocEntry(entry.label.kind, entry.label.number, entry.label.text, entry.title, page))
    return entries, markers, body_marker, warnings


def sequence_warnings(entries: list[TocEntry]) -> list[RecordWarning]:
    """Numbers that do not continue their sequence (a section restarts at 1 in each chapter)."""
    from .grammar import RANK

    warnings = []
    last: dict[str, int] = {}
    opened: set[str] = set()  # kinds whose parent appeared since their last entry: they may restart
    for index, entry in enumerate(entries):
        if entry.number is None:
            continue
        for kind in last:
            if RANK[kind] > RANK[entry.level]:
                opened.add(kind)
        expected = last.get(entry.level, 0) + 1
        restarts = entry.number == 1 and (entry.level in opened or entry.level not in last)
        if entry.number != expected and not restarts:
            warnings.append(
                RecordWarning(code="toc_sequence", message=f"TOC: {entry.label} follows number {expected - 1}", page=entry.page)
                .at(toc=[index])
            )
        last[entry.level] = entry.number
        opened.discard(entry.level)
    return warnings


def _truncation(text: str, end: int, breaks: frozenset[int]) -> RecordWarning | None:
    """Entries that go on after where the TOC stopped: the parser stopped on something that is
    still a label."""
    labels = _entries_after(text, end, breaks, probe=3)
    if len(labels) >= 3:
        return RecordWarning(code="toc_truncated", message=f"the TOC stopped before {text[labels[0].start:labels[0].start + 20]!r}, which still reads as TOC entries", page=None)
    return None


def scan_toc(text: str, breaks: frozenset[int], hint: tuple[int, int] | None = None, limit: int | None = None) -> TocResult | None:
    """The TOC of a normalized text, or None (see the module docstring).

    ``hint``: a TOC region the markup delimits (normalized offsets)."""
    if hint is not None:
        word = _TOC_WORD.search(text, hint[0], min(hint[1], hint[0] + 40))
        start = word.end() if word else hint[0]
        region_start, region_end = (word.start() if word else hint[0]), hint[1]
    else:
        word = find_toc_word(text, breaks, min(len(text), limit or 20000))
        if word is None:
            return None
        start, region_start, region_end = word.end(), word.start(), len(text)
    markers: list[PageMarker] = []
    next_marker = 1
    # A digit run right before 目录 is the TOC page's own printed number.
    before = regex.search(r"(\d{1,3})$", text[max(0, region_start - 4) : region_start])
    if before and not text[:region_start].rstrip().endswith(("年", "月")) and hint is None:
        page = int(before.group(1))
        markers.append(PageMarker(region_start - len(before.group(1)), len(before.group(1)), page, before.group(1), 0.9, front=True))
        next_marker = page + 1
    raw, end, warnings, repeated = parse_entries(text, start, region_end, breaks)
    if not raw:
        return None
    if not any(entry.digits for entry in raw):
        raw, glued = _glued_inside_titles(text, raw)
        markers.extend(glued)
    entries, page_markers, body_marker, page_warnings = decide_pages(raw, next_marker)
    markers.extend(page_markers)
    warnings.extend(page_warnings)
    warnings.extend(sequence_warnings(entries))
    toc_end = body_marker.offset if body_marker is not None else end
    if hint is not None:
        toc_end = max(toc_end, region_end)
    elif not repeated:
        truncated = _truncation(text, toc_end, breaks)
        if truncated is not None:
            warnings.append(truncated)
    return TocResult(tuple(entries), (region_start, toc_end), toc_end, tuple(markers), tuple(warnings), body_marker)
