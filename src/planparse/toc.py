"""Stage ``toc``: document metadata, the table of contents (目录) and where the body starts.

Works on flattened text (line breaks lost) as well as on line-broken text. In flattened text a
TOC entry's page digits may carry the next TOC page's own printed number (``…质量302第二节`` is
page 30 + TOC page 2); the entries' non-decreasing page sequence decides the split.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import regex
import yaml

from .document import FrontMatter, NormalizedText, PageMarker, TocEntry
from .models import RecordWarning

NUMERAL = r"[零〇一二三四五六七八九十百千两\d]{1,8}"
LEVELS = {"篇": "part", "部分": "part", "章": "chapter", "节": "section"}
_LABEL = regex.compile(rf"第({NUMERAL})(篇|章|节)")
_TOC_WORD = regex.compile(r"目\s*录")
_ATTACHMENT = regex.compile(r"(附件\s*\d*)\s*[：:]")
_DATE = regex.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
_CN_DATE = regex.compile(r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月")
# A title or issuer run: CJK and the punctuation titles use, no sentence punctuation.
_RUN = regex.compile(r"[\p{Han}“”‘’《》、（）·—\-]+")
_TITLE_STOP = regex.compile(r"[。，；：！？<>#*\[\]|]")
_MAX_TITLE = 48


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, list[str]]:
    """Title and issuer suffixes (``data/toc_vocabulary.yaml``)."""
    text = (resources.files("planparse") / "data" / "toc_vocabulary.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {key: sorted(value, key=len, reverse=True) for key, value in data.items()}


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


def _format_date(text: str) -> str | None:
    match = _DATE.search(text)
    if match and 1 <= int(match.group(2)) <= 12:
        return f"{match.group(1)}-{int(match.group(2)):02d}"
    match = _CN_DATE.search(text)
    if match:
        digits = "".join(str("〇一二三四五六七八九".index(ch) if ch != "零" else 0) for ch in match.group(1))
        month = chinese_number(match.group(2))
        if 1 <= month <= 12:
            return f"{digits}-{month:02d}"
    return None


def _metadata(front: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(label, title, issuer, date) from the text before the TOC or the first heading."""
    vocab = vocabulary()
    label_match = _ATTACHMENT.search(front[:200])
    label = regex.sub(r"\s+", "", label_match.group(1)) if label_match else None
    start = label_match.end() if label_match else 0
    date_match = _DATE.search(front, start) or _CN_DATE.search(front, start)
    date = _format_date(front[start:]) if date_match else None
    title = issuer = None
    title_suffix = regex.compile("|".join(map(regex.escape, vocab["title_suffixes"])))
    issuer_suffix = regex.compile("(?:" + "|".join(map(regex.escape, vocab["issuer_suffixes"])) + r")$")
    for run in _RUN.finditer(front, start):
        piece = run.group()
        if piece.startswith("号") and run.start() > 0 and front[run.start() - 1].isdigit():
            piece = piece[1:]  # the end of a document number (〔2019〕860号) is not the title
        masthead = piece.find("文件")
        if title is None and issuer is None and masthead > 1 and issuer_suffix.search(piece[:masthead]):
            issuer = piece[:masthead]  # a masthead: 发展改革委办公厅税务总局办公厅文件
            piece = piece[masthead + 2 :]
        ends = [m.end() for m in title_suffix.finditer(piece)]
        if title is None and ends:
            title = piece[: ends[-1]]
            rest = piece[ends[-1] :]
            if rest and issuer_suffix.search(rest):
                issuer = rest
                break
            continue
        if title is not None and issuer is None and issuer_suffix.search(piece) and len(piece) <= 30 and "、" not in piece:
            issuer = piece
            break
        if date_match and run.start() > date_match.end():
            break
    return label, title, issuer, date


def _entry_title(text: str, start: int, limit: int) -> int:
    """End of a TOC title starting at ``start``: before digits, the next label or a stop char."""
    end = start
    stop = min(limit, start + _MAX_TITLE)
    while end < stop:
        char = text[end]
        if char.isdigit() or _TITLE_STOP.match(char) or (char in "-—…·." and end > start):
            break
        if char == "第" and end > start and _LABEL.match(text, end):
            break
        end += 1
    return end


def _continues_title(text: str, position: int) -> bool:
    """After a digit run: does a title go on (Han text that is not the next entry's label)?"""
    return position < len(text) and "\u4e00" <= text[position] <= "\u9fff" and _LABEL.match(text, position) is None


def _pieces(start: int, end: int, cuts: list[PageMarker]) -> list[tuple[int, int]]:
    """The spans of ``[start, end)`` outside the given markers."""
    spans = []
    cursor = start
    for marker in cuts:
        spans.append((cursor, marker.offset))
        cursor = marker.offset + marker.length
    spans.append((cursor, end))
    return spans


def _split_page(digits: str, previous: int, upper: int | None, expected_marker: int) -> tuple[int, str | None]:
    """An entry's page and the glued page marker, if any (``302`` → 30 + marker ``2``)."""
    whole = int(digits)
    marker = str(expected_marker)
    can_split = len(digits) > len(marker) and digits.endswith(marker)
    split = int(digits[: -len(marker)]) if can_split else None
    whole_fits = whole >= previous and (upper is None or whole <= upper)
    split_fits = split is not None and split >= previous and (upper is None or split <= upper)
    if split_fits and not whole_fits:
        return split, marker  # type: ignore[return-value]
    if split_fits and upper is None and whole - previous > 20 and split is not None and split - previous <= 20:
        return split, marker
    return whole, None


def scan_front_matter(norm: NormalizedText) -> FrontMatter:
    """Find metadata, the TOC and the body start in a normalized text."""
    text = norm.text
    head_limit = min(len(text), 6000)
    toc_word = _TOC_WORD.search(text, 0, head_limit)
    warnings: list[RecordWarning] = []
    markers: list[PageMarker] = []
    if toc_word is None:
        first = _LABEL.search(text, 0, head_limit)
        front_end = first.start() if first else min(len(text), 400)
        label, title, issuer, date = _metadata(text[:front_end])
        date = date or _closing_date(text)
        body_start = _metadata_end(text, front_end)
        return FrontMatter(label, title, issuer, date, (), None, body_start, (), ())
    label, title, issuer, date = _metadata(text[: toc_word.start()])
    # A digit run right before 目录 is the TOC page's own printed number.
    before = regex.search(r"(\d{1,3})$", text[max(0, toc_word.start() - 4) : toc_word.start()])
    next_marker = 1
    if before and not text[: toc_word.start()].rstrip().endswith(("年", "月")):
        run_start = toc_word.start() - len(before.group(1))
        if run_start > 0 and not text[run_start - 1].isdigit() and text[run_start - 1] != "月" or before:
            page = int(before.group(1))
            markers.append(PageMarker(run_start, len(before.group(1)), page, before.group(1), 0.9, front=True))
            next_marker = page + 1
    raw_entries: list[tuple[str, int, str, str, int, int, str]] = []  # level, number, label, title, start, end, digits
    cursor = toc_word.end()
    seen: set[tuple[str, int]] = set()
    while True:
        while cursor < len(text) and text[cursor] in " -*•·\t":
            cursor += 1
        match = _LABEL.match(text, cursor)
        if not match:
            break
        level = LEVELS[match.group(2)]
        number = chinese_number(match.group(1))
        key = (level, number)
        if raw_entries and key == (raw_entries[0][0], raw_entries[0][1]) and key in seen:
            break  # the body repeats the first entry: the TOC is over
        title_end = _entry_title(text, match.end(), len(text))
        digits_match = regex.match(r"\d+", text[title_end : title_end + 8])
        digits = digits_match.group() if digits_match else ""
        glued: list[PageMarker] = []
        while digits and not any(entry[6] for entry in raw_entries) and _continues_title(text, title_end + len(digits)):
            # A page-less TOC with a page's number glued inside a title (深入2实施…): skip it.
            glued.append(PageMarker(title_end, len(digits), int(digits), digits, 0.7, front=True))
            title_end = _entry_title(text, title_end + len(digits), len(text))
            digits_match = regex.match(r"\d+", text[title_end : title_end + 8])
            digits = digits_match.group() if digits_match else ""
        markers.extend(glued)
        entry_title = "".join(
            text[piece_start:piece_end]
            for piece_start, piece_end in _pieces(match.end(), title_end, glued)
        ).strip(" -—…·.")
        if not entry_title:
            break
        seen.add(key)
        raw_entries.append((level, number, match.group(), entry_title, match.start(), title_end + len(digits), digits))
        cursor = title_end + len(digits)
    if not raw_entries:
        body_start = toc_word.end()
        return FrontMatter(label, title, issuer, date, (), None, body_start, tuple(markers), tuple(warnings))
    with_digits = [entry for entry in raw_entries if entry[6]]
    if with_digits and len(with_digits) <= max(1, len(raw_entries) // 5):
        # A TOC without page numbers: the few digit runs in it are the pages' own printed numbers.
        for entry in with_digits:
            markers.append(PageMarker(entry[5] - len(entry[6]), len(entry[6]), int(entry[6]), entry[6], 0.7, front=True))
        raw_entries = [(*entry[:6], "") for entry in raw_entries]
    entries: list[TocEntry] = []
    previous = 0
    body_marker: PageMarker | None = None
    for index, (level, number, label_text, entry_title, _start, end, digits) in enumerate(raw_entries):
        if not digits:
            entries.append(TocEntry(level, number, label_text, entry_title, None))
            continue
        upper = None
        for later in raw_entries[index + 1 :]:
            if later[6]:
                upper = int(later[6])
                break
        is_last = index == len(raw_entries) - 1
        expected = 1 if is_last else next_marker
        page, marker = _split_page(digits, previous, upper, expected)
        if marker is not None:
            offset = end - len(marker)
            found = PageMarker(offset, len(marker), int(marker), digits, 0.85, front=not is_last)
            if is_last:
                body_marker = found
            else:
                markers.append(found)
                next_marker += 1
        if page < previous:
            warnings.append(RecordWarning(code="toc_page_order", message=f"TOC entry {label_text}{entry_title} page {page} is before page {previous}", page=page))
        previous = max(previous, page)
        entries.append(TocEntry(level, number, label_text, entry_title, page))
    warnings.extend(_sequence_warnings(entries))
    toc_end = raw_entries[-1][5]
    if body_marker is not None:
        markers.append(body_marker)
        toc_end = body_marker.offset
    return FrontMatter(
        label, title, issuer, date, tuple(entries), (toc_word.start(), toc_end), toc_end, tuple(markers), tuple(warnings)
    )


def _closing_date(text: str) -> str | None:
    """Notices date themselves at the end (成文日期): the last date in the closing lines."""
    tail = text[-300:]
    matches = list(_DATE.finditer(tail))
    return _format_date(matches[-1].group()) if matches else None


def _metadata_end(text: str, limit: int) -> int:
    """Body start of a text without TOC: after the date line when there is one, else 0."""
    date = _DATE.search(text, 0, limit)
    return date.end() if date else 0


def _sequence_warnings(entries: list[TocEntry]) -> list[RecordWarning]:
    """Numbers that do not continue their sequence (a section restarts at 1 in each chapter)."""
    warnings = []
    last: dict[str, int] = {}
    for entry in entries:
        if entry.level in ("part", "chapter"):
            last.pop("section", None)
        expected = last.get(entry.level, 0) + 1
        if entry.number != expected:
            warnings.append(
                RecordWarning(code="toc_sequence", message=f"TOC: {entry.label} follows number {expected - 1}", page=entry.page)
            )
        last[entry.level] = entry.number
    return warnings
