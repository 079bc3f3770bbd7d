"""Front matter: attachment label, title, issuer and date, from the text before the TOC or the
first heading (and from a Markdown file's front matter, which names the title outright).

Line-broken text gives lines: the title is the first line that ends in a document type (规划,
纲要, 报告, 公报 …; see ``data/structure_vocabulary.yaml``), joined to a short line before it
that it continues (``中华人民共和国`` / ``2015年国民经济和社会发展统计公报``); the issuer is a line
naming an office (…人民政府, 国家统计局) or the presenter of a report (``广东省省长 马兴瑞``); the
date is the first 年月 after the title. Flattened text gives runs of Han characters, read the same
way. Notices date themselves at the end (成文日期): a date closing the text is taken when the front
has none.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import regex

from .grammar import vocabulary

if TYPE_CHECKING:
    from ..document import FrontMatter, NormalizedText

_ATTACHMENT = regex.compile(r"(附件\s*\d*)\s*[：:]")
_DATE = regex.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
_CN_DATE = regex.compile(r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月")
_RUN = regex.compile(r"[\p{Han}“”‘’《》、（）·—\-]+")
# A title run in flattened text may hold digits (中华人民共和国2015年国民经济…统计公报).
_TITLE_RUN = regex.compile(r"[\p{Han}\d“”‘’《》、（）·—]+")
# The subtitle of a report: ——2017年1月19日在…会议上(的报告), and what ends it.
_SUBTITLE = regex.compile(r"^(?:——|—|在)")
_SUBTITLE_OPENERS = ("关于", "——", "—", "在")
_SUBTITLE_END = regex.compile(r"会议上(?:的(?:报告|讲话|说明))?")
# A news agency's dateline before the title (新华社北京3月17日电).
_DATELINE = regex.compile(r"^\p{Han}{2,10}?\d{1,2}月\d{1,2}日电")
_DATE_DAY = regex.compile(r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?")
_FOOTNOTE = regex.compile(r"\[\d{1,2}\]$")
_CN_DIGIT = {ch: str(index) for index, ch in enumerate("〇一二三四五六七八九")} | {"零": "0"}


@lru_cache(maxsize=1)
def _patterns() -> tuple[regex.Pattern[str], regex.Pattern[str], regex.Pattern[str]]:
    vocab = vocabulary()

    def alternation(key: str) -> str:
        return "|".join(map(regex.escape, sorted((str(word) for word in vocab[key]), key=len, reverse=True)))

    title = regex.compile(f"(?:{alternation('title_suffixes')})")
    issuer = regex.compile(f"(?:{alternation('issuer_suffixes')})$")
    presenter = regex.compile(rf"^(?P<office>[\p{{Han}}]{{0,20}}?(?:{alternation('presenter_offices')}))\s*(?P<name>\p{{Han}}{{2,4}}(?:·\p{{Han}}{{1,8}})?)$")
    return title, issuer, presenter


@lru_cache(maxsize=1)
def _presenter_prefix() -> regex.Pattern[str]:
    """A presenter at the start of a flattened stretch, whatever follows its name."""
    offices = "|".join(map(regex.escape, sorted((str(word) for word in vocabulary()["presenter_offices"]), key=len, reverse=True)))
    return regex.compile(rf"[\p{{Han}}]{{0,20}}?(?:{offices})\p{{Han}}{{2,3}}(?:·\p{{Han}}{{1,8}})?")


def format_date(text: str) -> str | None:
    """The first 年月 of a text as YYYY-MM (Arabic or Chinese digits)."""
    match = _DATE.search(text)
    if match and 1 <= int(match.group(2)) <= 12:
        return f"{match.group(1)}-{int(match.group(2)):02d}"
    match = _CN_DATE.search(text)
    if match:
        from .grammar import chinese_number

        month = chinese_number(match.group(2))
        if 1 <= month <= 12:
            return "".join(_CN_DIGIT[ch] for ch in match.group(1)) + f"-{month:02d}"
    return None


def _lines(text: str, breaks: frozenset[int]) -> list[tuple[int, str]]:
    """(start, text) of each line of ``text`` (normalized offsets)."""
    cuts = sorted(offset for offset in breaks if 0 < offset < len(text))
    lines = []
    previous = 0
    for cut in [*cuts, len(text)]:
        if cut > previous:
            lines.append((previous, text[previous:cut]))
        previous = cut
    return lines


def _is_title(line: str) -> bool:
    title, _, _ = _patterns()
    compact = _FOOTNOTE.sub("", line.strip())
    return bool(compact) and len(compact) <= 80 and bool(title.search(compact[-6:])) and not compact.startswith(("——", "—", "（", "("))


def _issuer_of(line: str) -> str | None:
    _, issuer, presenter = _patterns()
    compact = regex.sub(r"\s+", "", line)
    if not compact or len(compact) > 30 or "、" in compact or _DATE.search(compact) or _is_title(compact) \
            or _SUBTITLE.match(compact) or "届" in compact:
        return None
    if presenter.match(compact) or issuer.search(compact):
        return compact
    return None


def _masthead_issuer(lines: Sequence[str]) -> str | None:
    """The issuers a notice's masthead names above its title, one per line (``发展改革委办公厅`` /
    ``税务总局办公厅文件``: a joint notice's two offices, the second with the masthead's 文件)."""
    offices = [office for office in (_issuer_of(_MASTHEAD_WORD.sub("", line)) for line in lines) if office]
    return "、".join(offices) if offices else None


_MASTHEAD_WORD = regex.compile(r"\s*文件\s*$")


def metadata_from_lines(text: str, breaks: frozenset[int]) -> tuple[str | None, str | None, str | None]:
    """(title, issuer, date) of a line-broken front region."""
    lines = [line.strip() for _, line in _lines(text, breaks)]
    title = issuer = date = None
    title_at = -1
    for index, line in enumerate(lines):
        if _is_title(line):
            compact = _FOOTNOTE.sub("", line)
            previous = lines[index - 1] if index else ""
            if previous and len(previous) <= 12 and not _is_title(previous) and not _DATE.search(previous) \
                    and _issuer_of(previous) is None and regex.fullmatch(r"[\p{Han}“”《》]+", previous):
                compact = previous + compact  # 中华人民共和国 / 2015年…统计公报
            title, title_at = compact, index
            break
    for line in lines[title_at + 1 :] if title is not None else lines:
        if issuer is None:
            issuer = _issuer_of(line)
    if issuer is None and title_at > 0:
        issuer = _masthead_issuer(lines[:title_at])
    for line in [*lines[title_at + 1 :], *lines[: max(title_at, 0)]] if title is not None else lines:
        date = format_date(line)
        if date is not None:
            break
    if date is None and title is not None:
        date = format_date(title)
    return title, issuer, date


def _presenter(chunk: str) -> str | None:
    """The presenter of a flattened report's front (…会议上广东省省长马兴瑞), if any: the text
    after the subtitle's 会议上 (or its closing bracket or date) that names an office."""
    _, _, presenter = _patterns()
    chunk = regex.sub(r"[（(][^（）()]{0,20}[）)]$", "", chunk.strip("：:，, 0123456789"))  # （二〇〇五年一月十一日）
    subtitle = list(_SUBTITLE_END.finditer(chunk))
    cut = max(subtitle[-1].end() if subtitle else -1, chunk.rfind("）") + 1, chunk.rfind(")") + 1)
    if cut > 0:
        tail = chunk[cut:]
    else:
        date = list(_DATE_DAY.finditer(chunk))
        tail = chunk[date[-1].end() :] if date else chunk
    tail = tail.strip("：:，, 0123456789")  # (a page number may be glued on either side)
    if 3 <= len(tail) <= 30 and presenter.match(tail):
        return tail
    found = _presenter_prefix().match(tail)
    return found.group() if found else None


def _close_bracket(piece: str, end: int) -> int:
    """Extend a title's end over the bracket that closes it (第七个五年计划（摘要）)."""
    if end < len(piece) and piece[end] in "）)" and piece[:end].count("（") + piece[:end].count("(") > piece[:end].count("）") + piece[:end].count(")"):
        return end + 1
    return end


def metadata_from_runs(front: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(label, title, issuer, date) from flattened text: the title ends at the last document
    type (规划, 报告, 公报 …) before the first date; the issuer is the run between title and date
    that ends in an office's name, or a report's presenter before its salutation (各位代表)."""
    title_suffix, issuer_suffix, presenter = _patterns()
    label_match = _ATTACHMENT.search(front[:200])
    label = regex.sub(r"\s+", "", label_match.group(1)) if label_match else None
    start = label_match.end() if label_match else 0
    dateline = _DATELINE.match(front, start)
    if dateline:
        start = dateline.end()
    salutations = [front.find(str(word), start) for word in vocabulary()["salutations"]]
    salutation = min((at for at in salutations if at >= 0), default=-1)
    if salutation < 0:
        # No salutation: the front ends at the body's first sentence (its first ：，。).
        first = regex.search(r"[：:，。]", front[start:])
        salutation = start + first.start() if first else -1
    if salutation >= 0:
        front = front[:salutation]
    date_match = _DATE.search(front, start) or _CN_DATE.search(front, start)
    date = format_date(front[start:]) if date_match else None
    head = front[start : date_match.start()] if date_match else front[start:]
    title = issuer = None
    for run in _TITLE_RUN.finditer(head):
        piece = run.group()
        offset = 0
        if piece.startswith("号") and run.start() > 0 and head[run.start() - 1].isdigit():
            piece, offset = piece[1:], 1  # the end of a document number (〔2019〕860号) is not the title
        masthead = piece.find("文件")
        if title is None and issuer is None and masthead > 1 and issuer_suffix.search(piece[:masthead]):
            issuer = piece[:masthead]  # a masthead: 发展改革委办公厅税务总局办公厅文件
            piece = piece[masthead + 2 :]
        ends = [m.end() for m in title_suffix.finditer(piece)]
        if title is None and ends:
            # The title ends at its last document type (…计划执行结果的公报, …规划的通知), unless a
            # subtitle opens after an earlier one (1955年…工作报告关于…的报告).
            end = next((at for at in ends[:-1] if piece.startswith(_SUBTITLE_OPENERS, at)), ends[-1])
            end = _close_bracket(piece, end)
            title = piece[:end].strip("—-")
            rest = regex.sub(r"^\d+", "", piece[end:].strip("—-"))  # a footnote mark after the title
            if _SUBTITLE.match(rest):
                rest = ""
            if rest and (issuer_suffix.search(rest) or presenter.match(rest)) and len(rest) <= 30:
                issuer = rest
            continue
        del offset
        candidate = regex.sub(r"^\d+", "", piece)
        if title is not None and issuer is None and (issuer_suffix.search(candidate) or presenter.match(candidate)) \
                and len(candidate) <= 30 and "、" not in candidate:
            issuer = candidate
    if issuer is None and salutation >= 0:
        issuer = _presenter(front)
    return label, title, issuer, date


def attachment_label(front: str) -> str | None:
    match = _ATTACHMENT.search(front[:200])
    return regex.sub(r"\s+", "", match.group(1)) if match else None


def closing_date(text: str, breaks: frozenset[int]) -> str | None:
    """A notice's 成文日期: a full date (年月日) standing at the very end of the text, on its own
    line where the text has lines."""
    tail_start = max(0, len(text) - 60)
    matches = list(regex.finditer(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", text[tail_start:]))
    if not matches:
        return None
    last = matches[-1]
    if len(text) - (tail_start + last.end()) > 12:
        return None
    if breaks and tail_start + last.start() not in breaks and not any(
        tail_start + last.start() - k in breaks for k in range(0, 30)
    ):
        return None
    return format_date(last.group())


# ------------------------------------------------------------------ the stage


def _front_lines_end(text: str, breaks: frozenset[int], limit: int) -> int:
    """In line-broken text: the start of the first line that is body (a sentence, a salutation
    or a heading label), not title, issuer or date."""
    from .grammar import match_label

    salutations = tuple(str(word) for word in vocabulary()["salutations"])
    for start, line in _lines(text[:limit], breaks):
        stripped = line.strip()
        if not stripped or _ATTACHMENT.fullmatch(stripped):
            continue
        if any(char in stripped for char in "。；！？") or stripped.startswith(salutations) or stripped.endswith(("：", ":")):
            return start
        if match_label(text, start) is not None and not _is_title(stripped):
            return start
    return min(limit, len(text))


def _flat_front_end(text: str, limit: int) -> int:
    """In flattened text without TOC: after the date that closes the front (2016年11月, …29日),
    and after a report's subtitle and presenter up to its salutation (…会议上广东省省长王某某各位代表：)."""
    date = _DATE.search(text, 0, limit) or _CN_DATE.search(text, 0, limit)
    if date is None:
        return 0
    end = date.end()
    tail = regex.match(r"\s*[\d〇零一二三四五六七八九十]{1,3}\s*日\s*[）)]?", text[end : end + 8])
    end += tail.end() if tail else 0
    salutations = [text.find(str(word), end, min(limit, end + 120)) for word in vocabulary()["salutations"]]
    salutation = min((at for at in salutations if at >= 0), default=-1)
    if salutation > 0 and not any(char in text[end:salutation] for char in "。，；！？"):
        while salutation > end and text[salutation - 1].isdigit():
            salutation -= 1  # a page number glued before the salutation opens the body's first page
        return salutation
    return end


def scan_front_matter(norm: NormalizedText, *, meta: tuple[tuple[str, str], ...] = (), toc_hint: tuple[int, int] | None = None) -> FrontMatter:
    """Stage ``front``: metadata, the TOC and where the body starts, in normalized offsets.

    ``meta``: the markup's front matter (a Markdown file's ``title``); ``toc_hint``: a TOC region
    the markup delimits."""
    from ..document import FrontMatter
    from .grammar import find_labels
    from .toc import scan_toc

    text, breaks = norm.text, norm.line_breaks
    lined = sum(1 for offset in breaks if offset < 6000) >= 3
    toc = scan_toc(text, breaks, toc_hint)
    if toc is not None and toc.span is not None:
        front_end = toc.span[0]
        body_start = toc.end
    else:
        limit = min(len(text), 6000)
        first = next(iter(find_labels(text, 0, limit)), None)
        front_end = first.start if first else min(len(text), 400)
        body_start = _front_lines_end(text, breaks, front_end) if lined else _flat_front_end(text, front_end)
        front_end = min(front_end, max(body_start, 1)) if lined else front_end
    front = text[:front_end]
    label = attachment_label(front)
    if lined:
        title, issuer, date = metadata_from_lines(front, breaks)
        if title is None:
            _, title, issuer_runs, date_runs = metadata_from_runs(front)
            issuer, date = issuer or issuer_runs, date or date_runs
    else:
        _, title, issuer, date = metadata_from_runs(front)
    given = dict(meta)
    if given.get("title"):
        title = regex.sub(r"\s+", " ", given["title"]).strip()
    date = date or closing_date(text, breaks)
    if toc is None:
        return FrontMatter(label, title, issuer, date, (), None, body_start, (), ())
    markers = list(toc.markers)
    if toc.body_marker is not None:
        markers.append(toc.body_marker)
    return FrontMatter(label, title, issuer, date, toc.entries, toc.span, body_start, tuple(markers), toc.warnings)
