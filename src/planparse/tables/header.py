"""Table headers: labels found with the soft lexicon, mapped to column roles, assembled into columns.

A header is a run of labels (``指标 属性 2015年基数 2020年目标 年均增速[累计]``). Each label gets a
role from ``data/tables_vocabulary.yaml``: name, number, attribute, unit, note (the non-value
columns) or base, target, actual, change, value (the value columns); group labels (规划目标, 实际完成)
own the leaves after them. A label the lexicon does not know is a generic value column, never a
reason to drop the table: with separators (an intact header line) every unknown piece is one; in
damaged text, an unknown run is one when known labels stand on both sides of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import regex

from . import lexicon
from .model import HeaderColumn, Layout

_YEAR = regex.compile(r"(?P<year>(?:19|20)\d{2})(?:[-—－至~](?P<until>(?:19|20)\d{2}))?年")
_GLUED_YEAR = regex.compile(r"(?P<digits>\d{5,7})年")
_PERIOD = regex.compile(r"“?十[一二三四五六]五”?(?:时期)?")
_UNIT = regex.compile(r"[（(](?![\d]{1,3}[）)])(?P<unit>[^（）()\d]{0,10}|[^（）()]{0,3}\d[^（）()]{0,6})[）)]")
_SEPARATORS = " |\t"
_MAX_UNKNOWN = 8
VALUE_ROLES = frozenset({"base", "target", "actual", "change", "value"})


@dataclass(frozen=True)
class Label:
    text: str  # as printed, unit included
    start: int
    end: int
    role: str  # name | number | attribute | unit | note | group | base | target | actual | change | value
    year: int | None = None
    cumulative: bool | None = None
    unit: str | None = None
    explicit_group: str | None = None  # 规划目标/2020年: the group printed with the leaf
    known: bool = True  # False: a generic value column (the lexicon did not know the label)
    glued: str | None = None  # digits read out of a year label as a glued page number (20225年 → 2025年)


_BARE_PERCENT = regex.compile(r"[%‰]")


def _unit_after(text: str, position: int, limit: int) -> tuple[str | None, int]:
    match = _UNIT.match(text, position, limit)
    if not match:
        bare = _BARE_PERCENT.match(text, position, limit)  # 比上年增长%: a percent sign printed without parentheses
        return (bare.group(), bare.end()) if bare else (None, position)
    inner = match.group("unit").strip()
    return (inner or "%"), match.end()


def _growth_flag(match: regex.Match[str]) -> bool | None:
    annual = bool(match.group("annual"))
    cumulative = bool(match.group("cum")) or bool(match.group("cum_prefix"))
    if annual and cumulative:
        return None  # 年均增速[累计]: annual or cumulative, cell by cell
    if cumulative:
        return True
    return False if annual else None


def _word_label(text: str, position: int, limit: int) -> tuple[str, str] | None:
    """(word, role) of the longest lexicon label (or group) at ``position``."""
    if position >= limit:
        return None
    for word, role in _words_by_first().get(text[position], ()):  # longest first
        if text.startswith(word, position) and position + len(word) <= limit:
            return word, role
    return None


@lru_cache(maxsize=1)
def _words_by_first() -> dict[str, tuple[tuple[str, str], ...]]:
    """Header groups and label words by their first character, longest first (groups win ties)."""
    pairs = [(word, "group") for word in lexicon.header_groups()] + list(lexicon.label_words())
    table: dict[str, list[tuple[str, str]]] = {}
    for word, role in sorted(pairs, key=lambda pair: -len(pair[0])):
        table.setdefault(word[0], []).append((word, role))
    return {first: tuple(words) for first, words in table.items()}


def _unglued_year(digits: str) -> tuple[int, str] | None:
    """The year a digit run before 年 holds when a page number (1-3 digits) was glued into it: the
    candidates that are years, plan years (…0, …5) first; (year, the digits taken out)."""
    found = []
    for length in range(1, 4):
        for at in range(0, len(digits) - length + 1):
            rest = digits[:at] + digits[at + length :]
            if len(rest) == 4 and 1949 <= int(rest) <= 2060:
                found.append((int(rest) % 5 != 0, length, int(rest), digits[at : at + length]))
    if not found:
        return None
    found.sort()
    return found[0][2], found[0][3]


def label_at(text: str, position: int, limit: int) -> Label | None:
    """The header label that starts at ``position`` (unit parentheses included), or None."""
    start = position
    period = _PERIOD.match(text, position, limit)
    if period and period.end() < limit:
        position = period.end()
    ratio = lexicon.ratio_pattern().match(text, position, limit) or lexicon.share_pattern().match(text, position, limit)
    if ratio:
        unit, end = _unit_after(text, ratio.end(), limit)
        return Label(text[start:end], start, end, "value", None, None, unit)
    year = _YEAR.match(text, position, limit)
    glued = _GLUED_YEAR.match(text, position, limit) if year is None else None
    if glued is not None:
        found = _unglued_year(glued.group("digits"))
        if found is not None:
            year_value, removed = found
            unit, end = _unit_after(text, glued.end(), limit)
            shown = f"{year_value}年{text[glued.end():end]}"
            return Label(shown, start, end, "value", year_value, None, unit, glued=removed)
    if year:
        after = year.end()
        if year.group("until"):
            growth = lexicon.growth_pattern().match(text, after - 1, limit)  # 2021-2025年均增长: 年 starts 年均
            if growth and growth.end() > after:
                unit, end = _unit_after(text, growth.end(), limit)
                return Label(text[start:end], start, end, "change", None, _growth_flag(growth), unit)
        role = "value"
        group_follows = any(text.startswith(group, after) for group in lexicon.header_groups())  # 2020年规划目标/2025年
        for suffix, suffix_role in lexicon.year_suffixes() if not group_follows else ():
            if text.startswith(suffix, after) and after + len(suffix) <= limit and not lexicon.growth_pattern().match(text, after, limit):
                role, after = suffix_role, after + len(suffix)
                break
        unit, end = _unit_after(text, after, limit)
        return Label(text[start:end], start, end, role, int(year.group("until") or year.group("year")), None, unit)
    growth = lexicon.growth_pattern().match(text, position, limit)
    word = _word_label(text, position, limit)
    if growth and growth.end() > position and (word is None or growth.end() - position >= len(word[0])):
        unit, end = _unit_after(text, growth.end(), limit)
        return Label(text[start:end], start, end, "change", None, _growth_flag(growth), unit)
    if word is not None:
        unit, end = _unit_after(text, position + len(word[0]), limit)
        return Label(text[start:end], start, end, word[1], None, None, unit)
    return None


def _line_end(text: str, start: int, limit: int, breaks: frozenset[int]) -> int | None:
    """The first line break after ``start`` (the header line's end), if the input kept its lines."""
    found = [offset for offset in breaks if start < offset <= limit]
    return min(found) if found else None


def scan_labels(text: str, start: int, limit: int, breaks: frozenset[int] = frozenset()) -> list[Label]:
    """The header's labels from ``start``: lexicon labels, and unknown pieces as generic value labels."""
    labels: list[Label] = []
    line_end = _line_end(text, start, limit, breaks)
    stop = line_end if line_end is not None else limit
    cursor = start
    leaves = 0
    while cursor < stop:
        while cursor < stop and text[cursor] in _SEPARATORS:
            cursor += 1
        if cursor >= stop:
            break
        group = None
        for word in lexicon.header_groups():
            if text.startswith(word + "/", cursor):
                group, cursor = word, cursor + len(word) + 1  # 规划目标/2020年 (written by the PDF table reader)
                break
        label = label_at(text, cursor, stop) or _glued_label(text, cursor, stop)
        if label is None and labels:
            years = _bare_years(text, cursor, stop, flat=line_end is None)
            if years:
                labels += years  # 指标 单位 1998 1999 … 1998-2002: the rest of the header line is years
                break
        if label is None and line_end is None and labels:
            label = _compound_value(text, cursor, stop)
        if label is None:
            label = _unknown(text, cursor, stop, line_end is not None, labels)
            if label is None:
                break
        if not _allowed(label, labels, leaves):
            break
        if group is not None:
            label = Label(label.text, label.start, label.end, label.role, label.year, label.cumulative, label.unit, group, label.known)
        labels.append(label)
        leaves += label.role in VALUE_ROLES
        cursor = label.end
    return labels


_BARE_YEAR = regex.compile(r"(?P<year>(?:19|20)\d{2})(?:[-—－至~](?P<until>(?:19|20)\d{2}))?")


def _bare_years(text: str, position: int, stop: int, *, flat: bool = False) -> list[Label]:
    """Year labels printed without 年 that fill the rest of a header line (1998 1999 2000 1998-2002:
    in the clean text their digits run together), each year a plausible one and none before the
    one it follows unless it opens a range; [] when the rest is not years alone. ``flat`` (no line
    breaks: the header's end is unknown): at least three years, each the one before plus one (a
    range may close them), and the first row's name right after them."""
    found: list[Label] = []
    cursor = position
    while cursor < stop:
        if text[cursor] in _SEPARATORS:
            cursor += 1
            continue
        if flat and found and regex.match(r"\p{Han}", text[cursor]):
            break
        if flat and found and found[-1].year is None:
            return []  # a range closes the years
        match = _BARE_YEAR.match(text, cursor, stop)
        glued = None
        if flat and (match is None or found and not _follows(match, found)):
            # A page number glued before a year (200172002: 2001, page 7, 2002): the next year (or
            # the range that closes them) right after 1–3 digits.
            glued, match = _glued_year_after(text, cursor, stop, found)
        if match is None and flat and len(found) >= 3:
            trailing = regex.match(r"\d{1,3}(?=\p{Han})", text[cursor:stop])
            if trailing is not None:
                # 199819992000200120028城镇居民…: a page number glued after the last year, before the first row.
                cursor += trailing.end()
                found[-1] = replace(found[-1], end=cursor, glued=trailing.group())
                break
        if match is None:
            return []
        year = int(match.group("year"))
        until = int(match.group("until")) if match.group("until") else None
        if not 1949 <= year <= 2060 or (until is not None and until <= year):
            return []
        if until is None and found and found[-1].year is not None and (year <= found[-1].year or flat and year != found[-1].year + 1):
            return []
        start = match.start() - (len(glued) if glued else 0)
        found.append(Label(match.group(), start, match.end(), "value", None if until else year, None, None, glued=glued))
        cursor = match.end()
    if flat:
        return found if len(found) >= 3 and cursor < stop and regex.match(r"\p{Han}", text[cursor]) else []
    return found if len(found) >= 2 else []


def _glued_year_after(text: str, cursor: int, stop: int, found: Sequence[Label]) -> tuple[str | None, regex.Match[str] | None]:
    """(the glued digits, the year after them) when 1–3 digits at ``cursor`` stand before the year
    that follows the last one found, or before a range that opens with the first year found."""
    for length in range(1, 4):
        match = _BARE_YEAR.match(text, cursor + length, stop)
        if match is None or not text[cursor : cursor + length].isdigit():
            continue
        if (not found and not match.group("until")) or (found and _follows(match, found)):
            return text[cursor : cursor + length], match
    return None, None


def _follows(match: regex.Match[str], found: Sequence[Label]) -> bool:
    """Whether a bare year continues the years found: the one after the last, or a range from the first."""
    year = int(match.group("year"))
    if match.group("until"):
        return found[0].year == year
    return found[-1].year is not None and year == found[-1].year + 1


_INNER_DIGITS = regex.compile(r"(?<=\p{Han})\d{1,3}(?=\p{Han})")
_LEADING_DIGITS = regex.compile(r"\d{1,3}(?=\p{Han})")  # 基期值2目标值: a page number between two labels


def _glued_label(text: str, position: int, stop: int) -> Label | None:
    """A label with a glued page number inside it (实际完3成 → 实际完成): the digits are taken out
    when the label they split is a lexicon label."""
    window = text[position : min(stop, position + 16)]
    digits = _INNER_DIGITS.search(window) or _LEADING_DIGITS.match(window)
    if digits is None:
        return None
    joined = window[: digits.start()] + window[digits.end() :]
    label = label_at(joined, 0, len(joined))
    if label is None or label.end <= digits.start() or label.year is not None:
        return None
    end = position + label.end + len(digits.group())
    return Label(label.text, position, end, label.role, label.year, label.cumulative, label.unit, glued=digits.group())


def _allowed(label: Label, labels: Sequence[Label], leaves: int) -> bool:
    """Order constraints that tell the header from the body's first row."""
    if label.role == "name":
        # 序号 类别 指标; but 主要指标指标属性 (a title's last word before the header) repeats 指标.
        return all(other.role in ("number", "name") and other.text != label.text for other in labels)
    if label.role == "group":
        return leaves == 0
    if label.role in ("attribute", "unit", "note", "number"):
        return all(other.role != label.role for other in labels)
    return True


def _unknown(text: str, position: int, stop: int, lined: bool, labels: Sequence[Label]) -> Label | None:
    """An unknown label (a generic value column), when the header's shape vouches for it."""
    if not labels or text[position].isdigit() or text[position] in "（(":
        return None
    cursor = position
    while cursor < stop and cursor - position < (40 if lined else _MAX_UNKNOWN):
        if text[cursor] in _SEPARATORS and lined:
            break
        if cursor > position and label_at(text, cursor, stop) is not None:
            break
        if not (regex.match(r"[\p{Han}A-Za-z（）()%“”/、]", text[cursor])):
            break
        cursor += 1
    if cursor == position or text[position:cursor] in lexicon.categories():
        return None  # a category row (民生福祉) after the header's last label opens the body
    if not lined:
        # Damaged: only between known labels (the next one must be a value, attribute or note label,
        # itself followed by another label or by the header's end).
        following = label_at(text, cursor, stop)
        if following is None or following.role not in VALUE_ROLES | {"attribute", "note", "unit"}:
            return None
        if following.role in ("value", "base", "target", "actual") and following.year is None:
            return None  # only a year, a growth, an attribute or a note label vouches for an unknown one
        own_unit = _UNIT.search(text, position, cursor) is not None and text[cursor - 1] in "）)"
        if following.role == "change" and own_unit and following.text.endswith(("）", ")", "%")):
            pass  # 专利数（万件）比上年增长（%）: a unit of its own, then a growth label with its unit: the header's last column pair
        elif following.end < stop and label_at(text, following.end, stop) is None and _compound_value(text, following.end, stop) is None:
            return None  # the label after it must itself be followed by a label (else: the first row)
    unit, end = _unit_after(text, cursor, stop)
    return Label(text[position:end], position, end, "value", None, None, unit, known=False)


def _compound_value(text: str, position: int, stop: int) -> Label | None:
    """Damaged text: an unknown head before a lexicon value label, with a growth label after them
    (实际使用金额（亿元）比上年增长…: 实际使用 + 金额（亿元）) is one value label, its head the lexicon's
    own word does not know (a generic column)."""
    if position >= stop or not regex.match(r"\p{Han}", text[position]):
        return None
    for inner in range(position + 1, min(stop, position + _MAX_UNKNOWN + 1)):
        if not regex.match(r"\p{Han}", text[inner]):
            return None
        value = label_at(text, inner, stop)
        if value is None:
            continue
        if value.role != "value" or value.year is not None:
            return None
        growth = label_at(text, value.end, stop)
        if growth is None or growth.role != "change":
            return None
        return Label(text[position : value.end], position, value.end, "value", None, None, value.unit, known=False)
    return None


def _columns(labels: Sequence[Label]) -> tuple[HeaderColumn, ...]:
    """Value columns of a header's labels: groups share their leaves; bare years become base and
    target when nothing else says which is which."""
    groups = [label.text for label in labels if label.role == "group"]
    leaves = [label for label in labels if label.role in VALUE_ROLES]
    if not leaves:
        return ()
    leaf_groups = []
    group_index = -1
    for label in labels:
        if label.role == "group":
            group_index += 1
        elif label.role in VALUE_ROLES:
            leaf_groups.append(group_index)
    if len(groups) >= 2 and all(index == len(groups) - 1 for index in leaf_groups) and len(leaves) % len(groups) == 0:
        per = len(leaves) // len(groups)  # 规划目标实际完成 2015年 年均增长 2015年 年均增长: shared out in order
        owners = [groups[index // per] for index in range(len(leaves))]
    else:
        owners = [groups[index] if index >= 0 else "" for index in leaf_groups]
    if any(leaf.explicit_group for leaf in leaves):
        owners = [leaf.explicit_group or "" for leaf in leaves]
    columns = []
    for leaf, owner in zip(leaves, owners):
        role = leaf.role
        if owner and role == "value":
            role = "actual" if owner in ("实际完成", "完成情况", "预计完成", "执行情况", "实现情况") else "target"
        path = leaf.text.replace("（）", "（%）")
        if leaf.role == "change" and leaf.cumulative is None and "累计" in path and "[累计]" not in path:
            path = path.replace("累计", "[累计]")
        unit = leaf.unit if leaf.unit else None
        if unit is None and role == "value" and leaf.year is None and lexicon.is_share_label(path):
            unit = "%"  # 比重 printed without its （%） (2008's 表15 年末数 | 比重): a share is a percentage
        columns.append(HeaderColumn(f"{owner}/{path}" if owner else path, leaf.year, role, leaf.cumulative, unit))
    return _years_to_roles(columns, owners)


def _years_to_roles(columns: list[HeaderColumn], owners: Sequence[str]) -> tuple[HeaderColumn, ...]:
    """2020年 2025年 (2035年): the earliest bare year is the base, the later ones targets."""
    dated = [column for column in columns if column.year is not None]
    if (
        len({column.year for column in dated}) >= 2
        and not any(column.role == "base" for column in columns)
        and all(column.role in ("value", "target") for column in dated)
        and len({owner for owner, column in zip(owners, columns) if column.year is not None}) == 1
        and {owner for owner, column in zip(owners, columns) if column.year is not None} <= {"", "规划目标"}
    ):
        first = min(dated, key=lambda column: column.year or 0)
        columns = [
            HeaderColumn(c.path, c.year, "base" if c is first else ("target" if c.year is not None else c.role), c.cumulative, c.unit)
            for c in columns
        ]
    return tuple(columns)


def layout_of(labels: Sequence[Label], end: int) -> Layout:
    """The header's layout: value columns, and where the attribute, unit, note and number stand."""
    columns = _columns(labels)
    first_leaf = next((index for index, label in enumerate(labels) if label.role in VALUE_ROLES), len(labels))
    roles = [label.role for label in labels]
    attribute = "none"
    if "attribute" in roles:
        attribute = "before" if roles.index("attribute") < first_leaf else "after"
    leaves = [label for label in labels if label.role in VALUE_ROLES]
    generic = tuple(index for index, label in enumerate(leaves) if not label.known)
    glued = tuple(f"{label.text} (took out {label.glued})" for label in labels if label.glued)
    return Layout(columns, attribute, "unit" in roles, "note" in roles, "number" in roles, end, generic, glued)


def read_header(text: str, start: int, limit: int | None = None, breaks: frozenset[int] = frozenset()) -> Layout:
    """The layout of the header that starts at ``start``."""
    labels = scan_labels(text, start, len(text) if limit is None else limit, breaks)
    end = labels[-1].end if labels else start
    return layout_of(labels, _after_panels(text, labels, end, len(text) if limit is None else limit))


def _after_panels(text: str, labels: Sequence[Label], end: int, limit: int) -> int:
    """Where a header of side-by-side panels ends: its labels printed again, as many times as it has
    panels (行业比上年增长（）行业比上年增长（）总计30金融业-119…); each panel's rows are rows of the first
    panel's columns, so the repeats are no labels of the first row's name."""
    if not labels or labels[0].role not in ("name", "number"):
        return end
    panel = text[labels[0].start : end]
    while panel and end + len(panel) <= limit and text.startswith(panel, end):
        end += len(panel)
    return end


def parse_header(text: str, start: int) -> tuple[tuple[HeaderColumn, ...], bool, int]:
    """(value columns, has attribute column, end offset) of the header at ``start``."""
    layout = read_header(text, start)
    return layout.columns, layout.has_attribute, layout.end
