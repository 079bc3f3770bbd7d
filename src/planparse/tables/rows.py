"""Table rows from text: the row grammar, read with the header's layout.

A row is ``category? (N)? name (unit)? attribute? cells attribute? note?``, where the header says
where the attribute, a 单位 column and a 备注 column stand. In damaged text the cells of a row run
together as digit blobs (:mod:`planparse.repair` cuts them) and nothing separates one row from
the next, so the parser decides from the row's shape:

- a **name** runs over Han characters and over digits that a name character follows (前15家,
  1.1级 → 11级, 65岁); it ends at its unit's parentheses, the attribute, a digit run that no name
  character follows, or a line break;
- a **Han run in a value position** is a word cell (零发生, 持续改善) when the row still has room
  for a cell and a value, the row's end or its attribute follows it; a run that ends in the next
  row's name is split at a lexicon word (a prior) or, failing that, read as the next name, and the
  guess is named in :attr:`Row.uncertain`;
- the **name/cell boundary** is left to the search where the text cannot decide: digits at the end
  of a row's last blob may start the next row's name (:attr:`Row.spare`), cheaply when what follows
  them is a measure word or a stripped token's context (15家, 5基站).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import regex

from . import lexicon
from .model import Layout, Row, Token

_NUMBER_LABEL = regex.compile(r"[（(](\d{1,3})[）)]")
_PAREN = regex.compile(r"[（(]([^（）()]{0,12})[）)]")
_GROUPED = regex.compile(r"-?\d{1,3}(?:,\d{3})+$")
_NUMBER_CELL = regex.compile(r"(?P<cmp>[<>≤≥＜＞]=?)?(?P<open>\[)?(?P<inner>(?<=\[)[<>≤≥＜＞]=?)?(?P<num>[-+]?\d[\d.,]*%?)(?P<close>\])?")
_NAME_CHAR = regex.compile(r"[\p{Han}“”‘’、ⅠⅡⅢⅣⅤⅥⅦⅧ·：《》/]|[A-Za-z][A-Za-z0-9.]*")
_COMPOUND_UNIT = regex.compile(r"[\p{Han}]{1,4}/[\p{Han}]{1,4}$")
_HAN_RUN = regex.compile(r"[\p{Han}“”‘’、ⅠⅡⅢⅣⅤⅥⅦⅧ·《》/]+")
_NAME_DIGITS = regex.compile(r"\d+(?:[.,\-~～]\d+)*")
_SEPARATORS = " |\t"
_YEAR_START = regex.compile(r"(?:19|20)\d{2}年")
_DASH_RUN = regex.compile(r"—+")
_MISPRINTED_POINT = regex.compile(r",(\d{1,2})(?=,|$)")  # a comma followed by one or two digits, then the number's end
_CARET = regex.compile(r"\^\d")  # a Markdown footnote reference ([^11]) whose brackets the damage stripped: ^11
MAX_MARK_DIGITS = 2  # a footnote mark ([23]) glued to a name once its brackets are stripped
MAX_NAME_DIGITS = 3  # digits inside a name (前15家, 1.1级 → 11级, 65岁); longer runs are values
SPARE_DIGITS = 2  # digits the last blob of a row may give to the next row's name
SPARE_PRIOR_UNKNOWN = -8.0  # per digit given away, when nothing says a name starts with digits
SPARE_PRIOR_FOLLOWER = -1.5  # per digit, when a measure word or a token's context follows them


@dataclass
class _State:
    text: str
    end: int
    layout: Layout
    breaks: frozenset[int]
    lined: bool  # the rows stand on lines of their own
    separated: bool  # separators (spaces, line breaks) delimit the cells: a token is one cell
    damaged: bool = False  # letters and '%' may have been stripped (an empty 单位 cell was '%')
    rows: list[Row] = field(default_factory=list)
    category: str | None = None
    parent: tuple[int | None, str | None, str | None, str | None] | None = None  # number, name, unit, attribute
    broken: dict[tuple[int | None, str], int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)  # row labels （N） read so far
    single_dashes: bool = False  # this row printed '—' in its 单位 cell: each '—' of its values is a cell of its own
    name_uncertain: str | None = None  # what reading the name had to guess (a footnote mark's digits)
    unit_cells: Counter[int] = field(default_factory=Counter)  # value positions whose cells printed a unit (72.6亿度)
    plain_cells: Counter[int] = field(default_factory=Counter)  # value positions whose digits printed none (219)
    plain_digits: dict[int, Counter[int]] = field(default_factory=dict)  # position -> digits of its plain cells
    continuation: int | None = None  # where a nameless continuation row starts (its first cell shared a digit run)

    @property
    def width(self) -> int:
        return len(self.layout.columns)


def _attribute_at(text: str, position: int) -> str | None:
    """The attribute printed at ``position`` (as printed: a glued page number may sit inside it, 约束2性)."""
    found = next((word for word in lexicon.attributes() if text.startswith(word, position)), None)
    if found is not None or not text.startswith(("预", "约"), position):
        return found
    match = _glued_attributes().match(text, position)
    return match.group() if match else None


@lru_cache(maxsize=1)
def _glued_attributes() -> regex.Pattern[str]:
    return regex.compile("|".join(r"\d{0,3}".join(regex.escape(char) for char in word) for word in lexicon.attributes()))


def _attribute_word(printed: str | None) -> str | None:
    return regex.sub(r"\d", "", printed) if printed else None


def _category_at(state: _State, position: int) -> str | None:
    text = state.text
    found = next((word for word in lexicon.categories() if text.startswith(word, position)), None)
    if found is None:
        return None
    after = position + len(found)
    if after < state.end and text[after] in "（(" and not _NUMBER_LABEL.match(text, after):
        return None  # 城镇化率（%）: a name that begins with a category word
    if state.lined and after < state.end and after not in state.breaks and not _NUMBER_LABEL.match(text, after) and text[after] != "|":
        return None  # rows on lines of their own: a category row is a line of its own
    return found


def _names_no_unit(words: str) -> bool:
    """Han words in parentheses that hold no unit of the lexicon (出口减进口, 不含农户): the name's
    qualifier. An empty parenthesis is a stripped （%）, a unit."""
    return bool(words) and regex.fullmatch(r"\p{Han}+", words) is not None and _cell_units().search(words) is None


def _is_unit_paren(state: _State, match: regex.Match[str]) -> bool:
    """A parenthesis after a name is its unit unless name characters continue after it
    (每千人口执业（助理）医师数, 烧碱（折合百分之百）)."""
    text, after = state.text, match.end()
    if regex.search(r"\d", match.group(1)) and regex.search(r"\p{Han}", match.group(1)):
        return False  # 0-15岁（含不满16周岁）, 化肥（折100%）: words with a figure qualify the name, no unit does
    if _names_no_unit(match.group(1).strip()):
        return False  # 进出口差额（出口减进口）: words that hold no unit qualify the name
    if after >= state.end or after in state.breaks or text[after] in _SEPARATORS:
        return True
    if _attribute_at(text, after) or lexicon.word_at(text, after, state.end):
        return True
    if text[after].isdigit():
        digits = _NAME_DIGITS.match(text, after)
        # 烧碱（折合百分之百）79万吨…: the cells print their units, so the parenthesis is the name's.
        return digits is None or _cell_unit_end(state, digits.end()) is None or match.group(1).strip() in lexicon.units()
    if text[after] in "-—－<>≤≥＜＞[":
        return True
    if _NUMBER_LABEL.match(text, after):
        return True
    return _NAME_CHAR.match(text, after) is None


def _name_end(state: _State, start: int, numbered: bool) -> tuple[int, bool]:
    """End of the name that starts at ``start``, and whether it ended at a line break."""
    text, end = state.text, state.end
    cursor = start
    opening = _NUMBER_CELL.match(text, start, end) if text.startswith("-", start) else None
    if opening is not None and _range_name_at(state, opening):
        cursor = opening.end()  # -59岁（含不满60周岁）: the range's first digits are the last row's spare ones
    while cursor < end:
        if cursor > start and cursor in state.breaks:
            return cursor, True
        if cursor > start and _attribute_at(text, cursor):
            break
        if cursor > start and lexicon.word_at(text, cursor, end) is not None and not state.layout.unit_column:
            break
        char = text[cursor]
        if char in "（(":
            label = _NUMBER_LABEL.match(text, cursor)
            paren = _PAREN.match(text, cursor)
            if label or paren is None or cursor == start or _is_unit_paren(state, paren):
                break
            cursor = paren.end()  # a parenthesis inside the name
            continue
        if char.isdigit():
            digits = _NAME_DIGITS.match(text, cursor)
            if digits is None:  # a digit character that is not an ASCII digit (①)
                break
            after = digits.end()
            if _cell_unit_end(state, after) is not None:
                if _footnote_mark(state, start, cursor, digits.group()):
                    cursor = after  # 钢材[23]万吨136268.2 damaged: 钢材23万吨136268252, the 单位 cell after a mark
                    continue
                break  # 发电量726亿度（千瓦小时）159…: digits a unit follows, then the next cell, are a value
            short = sum(char.isdigit() for char in digits.group()) <= MAX_NAME_DIGITS
            if (short and after < end and after not in state.breaks and _NAME_CHAR.match(text, after) and not _attribute_at(text, after)
                    and (cursor == start or _starts_name(state, after) or _name_goes_on(state, after))):
                cursor = after  # 前15家, 65岁, 25浓度: a name's digits (a value's digits are not followed by a measure word)
                continue
            break
        if char == "^" and cursor > start:
            mark = _caret_mark(state, cursor)
            if mark is None:
                break
            cursor = mark
            continue
        match = _NAME_CHAR.match(text, cursor)
        if match is None:
            break
        cursor = match.end()
    return cursor, False


def _caret_mark(state: _State, position: int) -> int | None:
    """End of a footnote reference glued to a name (机床[^11] damaged: 机床^1116,298吨…): ``^`` and one or
    two digits, the rest the row's first cell. Which digits are the mark's: the references are
    numbered in the order they are printed, so the one that follows the references before it
    (sure); failing that the longest whose rest still starts a cell, and the row says it guessed."""
    text = state.text
    digits = regex.match(r"\d+", text[position + 1 : min(state.end, position + 1 + MAX_MARK_DIGITS)])
    if digits is None:
        return None
    candidates = [(int(digits.group()[:length]), position + 1 + length) for length in range(len(digits.group()), 0, -1)]
    expected = len(_CARET.findall(text, 0, position)) + 1
    for number, after in candidates:
        if number == expected:
            return after
    state.name_uncertain = f"which digits after the name's footnote mark ^ are the mark's (^{candidates[0][0]} taken)"
    return candidates[0][1]


def _footnote_mark(state: _State, start: int, position: int, digits: str) -> bool:
    """Digits between a name and its 单位 cell in a damaged table are a footnote mark that lost its
    brackets (钢材[23] | 万吨 → 钢材23万吨): a table with a unit column prints no value before the
    unit. One or two digits right after a Han character; they stay in the name (nothing deleted)."""
    return (state.damaged and state.layout.unit_column and position > start and len(digits) <= MAX_MARK_DIGITS
            and digits.isdigit() and regex.match(r"\p{Han}", state.text[position - 1]) is not None)


def _name_goes_on(state: _State, position: int) -> bool:
    """Han text from ``position`` runs on, without digits, to a unit's parentheses or an attribute:
    the digits before it sit inside a name (a glued page number: 前15家2企业营业收入（亿元）)."""
    end = _run_end(state, position)
    if end - position < 2 or end >= state.end:
        return False
    return state.text[end] in "（(" and not _NUMBER_LABEL.match(state.text, end) or _attribute_at(state.text, end) is not None


def _unit_suffix(name: str) -> tuple[str, str | None]:
    """A 单位 column's unit printed without parentheses: the longest lexicon unit ending the name run."""
    compound = _COMPOUND_UNIT.search(name)
    if compound and compound.start() >= 2:
        # 公斤/亩, 微克/立方米: the part before the slash is the unit's when it is a unit itself.
        numerator = compound.group().split("/")[0]
        for length in range(len(numerator), 0, -1):
            if numerator[-length:] in lexicon.units():
                start = compound.start() + len(numerator) - length
                return name[:start], name[start:]
    for unit in lexicon.units():  # longest first: 纱万吨 is 纱 in 万吨, not 纱万 in 吨
        if name.endswith(unit) and len(name) > len(unit):
            return name[: -len(unit)], unit
    return name, None


def _number_token(state: _State, match: regex.Match[str]) -> Token:
    text = state.text
    number = match.group("num")
    comparator = match.group("cmp") or match.group("inner")
    if comparator:
        comparator = comparator.replace("＜", "<").replace("＞", ">")
    # Thousands separators survive the damage: a grouped integer (1,200) is printed intact.
    intact = "." in number or bool(match.group("open")) or "%" in number or bool(_GROUPED.match(number))
    start = match.start("num") if not comparator else match.start()
    before = match.start() - 1
    after = match.end()
    whole = state.separated or (before >= 0 and text[before] in _SEPARATORS) or (after < len(text) and text[after] in _SEPARATORS)
    whole = whole or match.start() in state.breaks or after in state.breaks
    negative = False
    if not intact and number[:1] in ("-", "+") and number[1:].isdigit() and not (before >= 0 and text[before] in "-—－"):
        # Damaged digits after a sign (纱万吨22342-22: −2.2 %): the sign is the first cell's.
        negative, number, start = number[0] == "-", number[1:], start + 1
    if not intact and "," in number:
        # 6,352,8万吨, 304,5万吨 (the 1953 plan's misprints of 6,352.8 and 304.5): a comma that fewer than three digits
        # follow is no thousands separator but a decimal point, lost as the damage loses them: the digits join.
        number = _MISPRINTED_POINT.sub(r"\1", number)
    bracket = bool(match.group("open") and match.group("close"))
    inside = bracket and bool(match.group("inner")) and not match.group("cmp")
    return Token("number" if intact else "blob", number, start, comparator, bracket, whole=whole, negative=negative, inside=inside)


@dataclass
class _Values:
    tokens: list[Token] = field(default_factory=list)
    attribute: str | None = None
    note: str | None = None
    end: int = 0
    spare: int = 0
    spare_prior: float = SPARE_PRIOR_UNKNOWN
    uncertain: str | None = None
    cell_unit: str | None = None  # the unit printed after the row's first cell (72.6亿度 | 159亿度): the row's
    units: list[int] = field(default_factory=list)  # positions of the cells printed with a unit

    def minimum(self) -> int:
        return len(self.tokens)

    def capacity(self) -> int:
        return sum(1 if token.kind != "blob" or token.whole else len(token.text) for token in self.tokens)


def _run_end(state: _State, position: int) -> int:
    """End of the Han run at ``position``; a line break ends it."""
    match = _HAN_RUN.match(state.text, position, state.end)
    if not match:
        return position
    for offset in range(position + 1, match.end()):
        if offset in state.breaks or _attribute_at(state.text, offset):
            return offset
    return match.end()


def _continues(state: _State, number: int) -> bool:
    """A row label （N） that continues the table's numbering (the first may be any small number)."""
    return number == state.numbers[-1] + 1 if state.numbers else number <= 3


def _follows(state: _State, position: int) -> str:
    """What stands after a Han run: value | label | terminator | attribute | end."""
    text = state.text
    if position >= state.end or position in state.breaks:
        return "end"
    char = text[position]
    label = _NUMBER_LABEL.match(text, position)
    if label:
        return "label" if _continues(state, int(label.group(1))) else "terminator"
    if _attribute_at(text, position):
        return "attribute" if state.layout.attribute == "after" else "terminator"
    if char in "（(":
        return "terminator"
    if char.isdigit():
        digits = _NAME_DIGITS.match(text, position)
        if digits and digits.end() < state.end and _HAN_RUN.match(text, digits.end()):
            return "digits_name"  # digits a Han run follows: a note's year, or the next name's digits
        return "digits"
    if char in "-—－<>≤≥＜＞[" or char in _SEPARATORS:
        return "value"
    return "end"


def _lexicon_prefix(text: str, position: int, end: int, words: Sequence[str]) -> str | None:
    return next((word for word in words if text.startswith(word, position) and position + len(word) < end), None)


def _han_in_values(state: _State, position: int, values: _Values) -> tuple[str, int]:
    """What a Han run in a value position is: (word | note | next, its end)."""
    text = state.text
    run_end = _run_end(state, position)
    follows = _follows(state, run_end)
    need = state.width - values.capacity()  # > 0: a cell is missing that no blob can supply
    room = values.minimum() < state.width
    note_ok = state.layout.note_column and bool(values.tokens)
    word = lexicon.word_at(text, position, run_end + 1)
    if run_end < state.end and text[run_end] in "：:" and word is None:
        return "next", position  # 其中：城镇 — a run a colon ends labels the next row, it is no cell
    if note_ok and need <= 0 and not (room and word is not None and word not in lexicon.notes()):
        return _note(state, position, values)
    if follows != "terminator":
        if follows in ("digits_name", "digits") and need <= 0 and word is None:
            return "next", position  # the next row's name, its digits or values after it
        if follows == "value" and need <= 0 and word is None and _DASH_RUN.match(text, run_end, state.end):
            return "next", position  # the next row's name, its '—' cells after it (…5929-34纺织纱线、织物及其制品———…)
        if room and word is not None and state.layout.note_column and position + len(word) < run_end:
            return "word", position + len(word)  # 完成国家下达任务 | 以2020年为基期: the rest is the 备注 cell
        if room:
            return "word", run_end
        return "next", position
    # The run ends in the next row's name: split off a word cell, if the lexicon knows one.
    if room and word is not None and position + len(word) < run_end:
        return "word", position + len(word)
    if need > 0:
        cut, sure = _split(text[position:run_end], lexicon.word_cells_list(), allow_empty=False)
        if not sure:
            values.uncertain = "where a word cell ends and the next row's name begins"
        return "word", position + cut
    return "next", position


def _region(state: _State, position: int) -> tuple[int, str]:
    """The Han text from ``position`` (with the digits inside it, 以2020年为基期) up to what ends it:
    (end, label | terminator | end): a row label or the table's end close the row, a unit's
    parentheses or an attribute close the next row's name."""
    text = state.text
    cursor = position
    while cursor < state.end:
        label = _NUMBER_LABEL.match(text, cursor)
        if cursor > position and (cursor in state.breaks or (label and _continues(state, int(label.group(1))))):
            return cursor, "label"
        if label:
            return cursor, "terminator"
        if _attribute_at(text, cursor) or text[cursor] in "（(":
            return cursor, "terminator"
        if _HAN_RUN.match(text, cursor, state.end):
            cursor = _run_end(state, cursor)
            continue
        digits = _NAME_DIGITS.match(text, cursor)
        if digits and len(digits.group()) <= 4 and _HAN_RUN.match(text, digits.end(), state.end):
            cursor = digits.end()
            continue
        return cursor, "terminator"  # values follow: they are the next row's, after its name
    return cursor, "label"


def _note(state: _State, position: int, values: _Values) -> tuple[str, int]:
    """A 备注 cell: the region up to the row's end, less the next row's name when one ends it."""
    end, closer = _region(state, position)
    region = state.text[position:end]
    if closer != "terminator":
        return "note", end
    cut, sure = _split(region, lexicon.notes(), allow_empty=True)
    if not sure:
        values.uncertain = "where the note ends and the next row's name begins"
    if cut == 0:
        return "next", position
    return "note", position + cut


def _split(region: str, words: Sequence[str], allow_empty: bool) -> tuple[int, bool]:
    """Where ``text + next row's name`` splits, and whether a lexicon said so (notes, word cells,
    categories, known names) rather than the shape alone."""
    from ..repair import known_names

    names = known_names()
    best: tuple[float, int, bool] | None = None
    # allow_empty: the whole region may be the text (五年累计数 before PM2.5…: the next name starts
    # where the Han run ends).
    for cut in range(0 if allow_empty else 1, len(region) + 1 if allow_empty else len(region) - 1):
        head, tail = region[:cut], region[cut:]
        if cut and tail and head[-1].isdigit() and tail[0].isdigit():
            continue  # never inside a digit run
        score, sure = 0.0, False
        if head in words and not any(len(word) > cut and word.startswith(head) and region.startswith(word) for word in words):
            # the longest word of the lexicon that starts the region (五年累计数, not 五年累计 + 数…)
            score, sure = score + 4.0, True
        elif cut == 0:
            score += 1.0
        category = next((word for word in lexicon.categories() if tail.startswith(word)), None)
        if category is not None and len(tail) > len(category) + 1:
            score, sure = score + 3.0, True
            tail = tail[len(category) :]
        if tail in names:
            score, sure = score + 4.0, True
        if head and any(head.endswith(word) for word in lexicon.note_endings()):
            score += 1.5
        if _YEAR_START.match(tail):
            score -= 4.0  # 2020年为基期: a year starts a note's clause, not a name
        if any(tail.startswith(word) for word in lexicon.name_digit_strict()):
            score -= 6.0  # no name begins with a measure word: the digits before it are the name's
        if cut and head[-1].isdigit():
            score -= 3.0  # a name's digits (4级, 15家) start the name
        score -= 0.3 * max(0, len(head) - 8)
        if best is None or score > best[0]:
            best = (score, cut, sure)
    if best is None:
        return (0 if allow_empty else 1), False
    return best[1], best[2]


def _values(state: _State, start: int) -> _Values:
    """The value region of a row from ``start``: its tokens, a trailing attribute and note."""
    text, end = state.text, state.end
    values = _Values(end=start)
    cursor = start
    while cursor < end:
        if cursor in state.breaks and (values.tokens or state.lined) and (cursor > start or _starts_line_row(state, cursor)):
            break
        char = text[cursor]
        if char in _SEPARATORS:
            cursor += 1
            continue
        if _NUMBER_LABEL.match(text, cursor) or _category_at(state, cursor):
            break
        attribute = _attribute_at(text, cursor)
        if attribute is not None:
            if values.tokens and values.attribute is None:
                values.attribute = attribute
                cursor += len(attribute)
                if state.layout.note_column:
                    continue
                break
            break
        tokens = values.tokens
        word = lexicon.word_at(text, cursor, end)
        full = values.minimum() >= state.width
        # With a 备注 column, a lexicon word that no missing cell needs is the note (国家下达).
        note_first = state.layout.note_column and values.capacity() >= state.width and bool(tokens)
        if word is not None and not note_first and values.minimum() < state.width + (1 if tokens and tokens[-1].word is None else 0):
            last = tokens[-1] if tokens else None
            adjacent = last is not None and cursor == last.start + len(last.text) + (1 if last.comparator else 0) + (2 if last.bracket else 0)
            if full and last is not None and last.kind in ("blob", "number") and last.word is None and adjacent:
                tokens[-1] = replace(last, word=word)  # 19.6完成任务
            else:
                tokens.append(Token("word", word, cursor))
            cursor += len(word)
            continue
        if text.startswith("--", cursor) or text.startswith("——", cursor) or char in "—－":
            width = 2 if text.startswith(("--", "——"), cursor) and not (state.single_dashes and text[cursor] == "—") else 1
            if values.minimum() >= state.width:
                break
            tokens.append(Token("dash", text[cursor : cursor + width], cursor))
            cursor += width
            continue
        match = _NUMBER_CELL.match(text, cursor, end)
        if match and _range_name_at(state, match) and tokens and tokens[-1].kind == "blob" and not tokens[-1].whole:
            # …62478917616-59岁（含不满60周岁）…: a range before 岁 (16-59岁) opens the next row's name; the
            # blob's last digits may be its first ones (a variable of the search).
            values.spare = SPARE_DIGITS
            values.spare_prior = SPARE_PRIOR_FOLLOWER
            break
        if match:
            digits_end = match.end()
            if values.minimum() >= state.width and not state.layout.note_column:
                break  # the row is full: these digits start the next row's name (65岁…)
            unit_end = _cell_unit_end(state, digits_end)
            if unit_end is None and _unit_position(state, len(tokens)):
                unit_end = _unknown_unit_end(state, digits_end, values)
            if unit_end is not None and _plain_position(state, len(tokens)) and values.minimum() + 1 >= state.width:
                # …10,630台696276万马力2602万马力942: a unit after the row's last cell, in a column that prints
                # none: the digits are this row's last cell and the first cell of a nameless row under it.
                split = _shared_split(state, match, len(tokens), values)
                if split is not None:
                    shared = _NUMBER_CELL.match(text, match.start(), split)
                    if shared is not None:
                        tokens.append(replace(_number_token(state, shared), whole=True))
                        state.continuation = split
                        cursor = split
                        break
            if unit_end is not None:
                # 72.6亿度（千瓦小时） | 159亿度…: a cell printed with its unit; the unit ends the cell (one cell,
                # its decimal point may still be lost). The unit goes in the cell (a row may print two: 台, 万马力).
                printed_unit = text[digits_end:unit_end]
                values.units.append(len(tokens))
                tokens.append(replace(_number_token(state, match), whole=True, word=printed_unit))
                _note_misprint(values, match.group("num"), tokens[-1])
                values.cell_unit = values.cell_unit or regex.sub(r"[（(].*", "", printed_unit)
                cursor = unit_end
                continue
            if (digits_end < end and digits_end not in state.breaks and not match.group("close") and not match.group("cmp")
                    and _HAN_RUN.match(text, digits_end, end) and _starts_name(state, digits_end)
                    and (tokens or any(text.startswith(word, digits_end) for word in lexicon.name_digit_strict()))
                    and regex.fullmatch(r"\d+", match.group("num"))):
                # 15家…, 11级…: the next row's name begins with some of these digits; the row keeps the
                # others (how many is a variable of the search), at least one goes when no name can
                # begin with what follows (级, 岁).
                digits = match.group("num")
                strict = any(text.startswith(word, digits_end) for word in lexicon.name_digit_strict())
                keep = len(digits) - 1 if strict else len(digits)
                if keep <= 0:
                    break
                token = _number_token(state, match)
                tokens.append(replace(token, text=digits[:keep]))
                values.spare = min(SPARE_DIGITS, keep - 1)
                values.spare_prior = SPARE_PRIOR_FOLLOWER
                cursor = match.start("num") + keep
                break
            tokens.append(_number_token(state, match))
            _note_misprint(values, match.group("num"), tokens[-1])
            cursor = digits_end
            continue
        if char == "-" or char == "+":
            tokens.append(Token("dash", char, cursor))
            cursor += 1
            continue
        if _HAN_RUN.match(text, cursor, end):
            kind, stop = _han_in_values(state, cursor, values)
            if kind == "word":
                tokens.append(Token("word", text[cursor:stop], cursor))
                cursor = stop
                continue
            if kind == "note":
                values.note = text[cursor:stop]
                cursor = stop
                if state.layout.attribute == "after" and values.attribute is None:
                    continue
                break
            _mark_spare(state, values, cursor)
            break
        break
    values.end = cursor
    return values


def _note_misprint(values: _Values, printed: str, token: Token) -> None:
    """A cell whose misprinted comma was read as a lost decimal point: the row names the guess."""
    if token.kind == "blob" and "," in printed and token.text != printed.lstrip("-+"):
        values.uncertain = values.uncertain or f"that the comma in {printed} is a misprinted decimal point"


MIN_UNIT_ROWS = 2  # rows that must print a unit (or none) in a value position before the table's habit is trusted
MAX_UNKNOWN_UNIT = 4  # characters of a unit the lexicon does not know (耕, a misprint of 辆)
_GROUPED_START = regex.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_GROUPED_CELL = regex.compile(r"\d{1,3}(?:,\d{3,4})+|\d+")


def _unit_position(state: _State, position: int) -> bool:
    """The table's rows print a unit after their cell at value ``position`` (72.6亿度 | 159亿度 | 219: 0 and 1)."""
    units = state.unit_cells[position]
    return units >= MIN_UNIT_ROWS and units > 3 * state.plain_cells[position]


def _plain_position(state: _State, position: int) -> bool:
    """The table's rows print no unit after their cell at value ``position`` while they print units in others."""
    plain = state.plain_cells[position]
    return plain >= MIN_UNIT_ROWS and plain > 3 * state.unit_cells[position] and sum(state.unit_cells.values()) >= MIN_UNIT_ROWS


def _unknown_unit_end(state: _State, position: int, values: _Values) -> int | None:
    """A short Han run after a cell where the table prints units, the next cell right after it
    (5,792辆3,500耕147: a misprinted 辆): the cell's unit, though the lexicon does not know it."""
    text = state.text
    run = _HAN_RUN.match(text, position, min(state.end, position + MAX_UNKNOWN_UNIT + 1))
    if run is None or run.end() - position > MAX_UNKNOWN_UNIT or run.end() >= state.end or run.end() in state.breaks:
        return None
    if not (text[run.end()].isdigit() or text[run.end()] in "-—－") or lexicon.word_at(text, position, state.end) is not None:
        return None
    values.uncertain = values.uncertain or f"that {run.group()} after a cell is its unit (no unit the lexicon knows)"
    return run.end()


def _shared_split(state: _State, match: regex.Match[str], position: int, values: _Values) -> int | None:
    """Where a digit run shared by a row's last cell and the next (nameless) row's first cell splits:
    both parts well-formed numbers (thousands commas in their places: 1,60421,485 → 1,604 | 21,485);
    among several, the last cell has as many digits as the column's other rows print (their habit),
    and the row says it guessed."""
    text = state.text
    start, end = match.start("num"), match.end("num")
    printed = text[start:end]
    if not regex.fullmatch(r"[\d,]+", printed):
        return None
    cuts = [cut for cut in range(1, len(printed)) if printed[cut - 1].isdigit() and printed[cut].isdigit()
            and _GROUPED_START.fullmatch(printed[:cut]) and _GROUPED_CELL.fullmatch(printed[cut:])]
    if not cuts:
        return None
    habit = state.plain_digits.get(position, Counter())
    usual = habit.most_common(1)[0][0] if habit else None

    def distance(cut: int) -> tuple[int, int]:
        digits = sum(char.isdigit() for char in printed[:cut])
        return (abs(digits - usual) if usual is not None else 0, -habit.get(digits, 0))

    best = min(cuts, key=distance)
    if len(cuts) > 1:
        values.uncertain = values.uncertain or (
            f"where {printed} splits between the row's last cell and the next row's first ({printed[:best]} | {printed[best:]})")
    return start + best


def _range_name_at(state: _State, match: regex.Match[str]) -> bool:
    """A signed number a strict name word follows (-59岁, -3级): the second half of a range that opens a
    row's name (16-59岁), never a negative cell."""
    number = match.group("num")
    return (number.startswith("-") and number[1:].isdigit() and not match.group("close") and not match.group("cmp")
            and any(state.text.startswith(word, match.end()) for word in lexicon.name_digit_strict()))


@lru_cache(maxsize=1)
def _cell_units() -> regex.Pattern[str]:
    """The lexicon's units (longest first, as :func:`lexicon.units` lists them), less % and ‰ (stripped by the damage)."""
    return regex.compile("|".join(regex.escape(word) for word in lexicon.units() if word not in ("%", "‰")))


def _cell_unit_end(state: _State, position: int) -> int | None:
    """End of a unit printed right after a cell's digits at ``position`` (万吨, 亿度（千瓦小时）, 吨（每小时）)
    when the next cell follows it (a digit or a dash): the table prints its cells with their units
    (the 1953 plan's 72.6亿度（千瓦小时） | 159亿度（千瓦小时） | 219). A unit before a Han run is a name's
    (15家企业) or the next row's."""
    text = state.text
    found = _cell_units().match(text, position, state.end)
    unit = found.group() if found else None
    if unit is None or unit in lexicon.name_digit_strict():
        return None  # 0-15岁（含不满16周岁）: digits before 岁 or 级 are a name's
    end = position + len(unit)
    per = _cell_units().match(text, end + 1, state.end) if text.startswith("/", end) else None
    if per is not None:
        end = per.end()  # 472公斤/亩486公斤/亩06: a compound unit (per 亩) ends the cell
    paren = _PAREN.match(text, end, state.end)
    if paren is not None:
        end = paren.end()
    if end >= state.end or end in state.breaks:
        return None
    if text[end].isdigit() or text[end] in "-—－" or text[end] in _SEPARATORS:
        return end
    # 471.8万亩完成国家下达任务, 3起零发生: a word cell after it (the lexicon's) ends the cell, its unit with it.
    return end if lexicon.word_at(text, end, state.end) is not None else None


def _starts_line_row(state: _State, position: int) -> bool:
    """Rows on lines of their own: the line at ``position`` starts a row of its own (a name, a
    row label or a category), so a name and unit that end the line before it hold no values
    (``（21）主要污染物排放总量减少（%）`` / ``化学需氧量 约束性…``: a parent row)."""
    text = state.text
    if position >= state.end or _attribute_at(text, position) or lexicon.word_at(text, position, state.end) is not None:
        return False
    return bool(_NUMBER_LABEL.match(text, position) or _HAN_RUN.match(text, position, state.end))


def _starts_name(state: _State, position: int) -> bool:
    """A measure word or a stripped token's context stands at ``position`` (digits before it are a
    name's, as in 15家, 65岁, 5基站)."""
    text = state.text
    return (any(text.startswith(word, position) for word in lexicon.name_digit_followers())
            and not any(text.startswith(word, position) for word in lexicon.name_digit_not_followers()))


def _mark_spare(state: _State, values: _Values, position: int) -> None:
    """The row ends where the next row's name begins, right after a blob: some of the blob's last
    digits may be the name's (a variable of the search)."""
    if not values.tokens or values.tokens[-1].kind != "blob" or values.tokens[-1].whole:
        return
    if position != values.tokens[-1].start + len(values.tokens[-1].text):
        return
    values.spare = SPARE_DIGITS
    values.spare_prior = SPARE_PRIOR_FOLLOWER if _starts_name(state, position) else SPARE_PRIOR_UNKNOWN


def parse_rows(text: str, start: int, end: int, layout: Layout | bool, breaks: frozenset[int] = frozenset(),
               *, separated: bool | None = None, damaged: bool = False) -> tuple[list[Row], list[str]]:
    """Rows of a table body between ``start`` and ``end`` (clean offsets), and the text pieces
    that started no row (skipped: a warning counts them).

    ``breaks`` are the input's line breaks: rows on lines of their own end at them, and a
    numbered label on a line of its own (``（3）空气质量``) is a parent row."""
    if isinstance(layout, bool):
        from .model import HeaderColumn

        layout = Layout((HeaderColumn("", None, "value", None),) * 3, "before" if layout else "none")
    inner = [offset for offset in breaks if start < offset < end]
    lined = len(inner) >= 2
    if separated is None:
        separated = lined or bool(regex.search(r"\d[ |]+[-\d<>≤≥\[—]", text[start:end]))
    state = _State(text, end, layout, breaks, lined, separated, damaged)
    cursor = start
    while cursor < end:
        while cursor < end and text[cursor] in _SEPARATORS:
            cursor += 1
        if cursor >= end:
            break
        cursor = _row(state, cursor)
    return _split_parents(_join_wrapped(state.rows, state.broken)), state.skipped


def _row(state: _State, row_start: int) -> int:
    """Parse the row (or category or parent row) at ``row_start``; return where it ends."""
    text = state.text
    continuation, state.continuation = state.continuation, None
    if continuation == row_start and state.rows:
        ended = _continuation_row(state, row_start, state.rows[-1].uncertain)
        if ended > row_start:
            return ended
    found_category = _category_at(state, row_start)
    after_category = row_start + len(found_category) if found_category else row_start
    if found_category is not None and (not text.startswith(("（", "("), after_category) or _NUMBER_LABEL.match(text, after_category)):
        if found_category != state.category:
            state.parent = None  # a new category ends a parent's sub-rows; the same one repeated does not
        state.category = found_category
        return after_category + (1 if text.startswith("|", after_category) else 0)
    cursor = row_start
    number = None
    state.single_dashes = False
    label = _NUMBER_LABEL.match(text, cursor)
    if label:
        number = int(label.group(1))
        cursor = label.end()
        state.parent = None
        state.numbers.append(number)
    name_start = cursor
    state.name_uncertain = None
    name_end, at_break = _name_end(state, cursor, number is not None)
    name = text[name_start:name_end]
    cursor = name_end
    if not name:
        state.skipped.append(text[cursor : cursor + 1])
        return max(cursor + 1, row_start + 1)
    unit_raw = None
    unit = None
    uncertain = state.name_uncertain
    paren = _PAREN.match(text, cursor)
    glued_unit = _NUMBER_LABEL.match(text, cursor)
    if glued_unit and not _continues(state, int(glued_unit.group(1))):
        # 城镇调查失业率（4）预期性…: a row label cannot follow a name; a page number was glued into its （%）.
        unit_raw, unit = glued_unit.group(), "%"
        cursor = glued_unit.end()
        uncertain = f"that {glued_unit.group()} after the name is its unit with a glued page number"
    elif paren and not _NUMBER_LABEL.match(text, cursor):
        unit_raw = paren.group()
        cursor = paren.end()
        unit = unit_raw[1:-1].strip() or "%"
    elif state.layout.unit_column:
        state.single_dashes = False
        dashes = _DASH_RUN.match(text, cursor, state.end)
        if cursor < state.end and text[cursor] in "%‰":
            unit_raw = unit = text[cursor]
            cursor += 1
        elif dashes is not None and len(dashes.group()) >= 3:
            # 纺织纱线、织物及其制品———9454-31: the 单位 cell prints '—' (no unit), so do the empty value
            # cells after it, one '—' each.
            unit_raw, unit = "—", None
            cursor += 1
            state.single_dashes = True
        else:
            name, unit = _unit_suffix(name)
            unit_raw = unit
            name_end = name_start + len(name)
            if unit is None and state.damaged:
                unit, unit_raw = "%", ""  # the 单位 cell is empty: damage strips '%' (and letters)
    attribute = _attribute_at(text, cursor)
    if attribute:
        cursor += len(attribute)
    explicit_parent = text.startswith("|", cursor)  # 空气质量|细颗粒物浓度: a parent label ends at the separator
    if explicit_parent:
        cursor += 1
    values = _values(state, cursor) if not (at_break or explicit_parent) else _Values(end=cursor)
    if unit is None and values.cell_unit is not None:
        unit = unit_raw = values.cell_unit
    attribute = _attribute_word(attribute or values.attribute)
    tokens = values.tokens
    if not tokens and attribute is None and values.note is None and (unit_raw is None or _NAME_CHAR.match(text, values.end)):
        # A parent row: its label (and maybe unit/attribute) covers the sub-rows that follow.
        if state.lined and at_break and number is None and unit_raw is None and attribute is None and _numbered_next(state, name_end):
            # 环境治理 on a line of its own before （1）…: numbered rows are no parent's sub-rows, the line is a category.
            state.category, state.parent = name, None
            return name_end
        state.parent = (number, name, unit, attribute)
        if at_break:
            state.broken[(number, name)] = name_start
        return max(values.end, cursor)
    group = None
    if number is None and state.parent is not None:
        parent = state.parent
        group = parent[1] if parent[1] is not None else ""  # "": parent label still inside the first row
        number = parent[0]
        unit = unit if unit is not None else parent[2]
        attribute = attribute or parent[3]
        if parent[3] is None and attribute is not None:
            # 化学需氧量约束性…氨氮…: the first sub-row prints the attribute its siblings share.
            state.parent = (parent[0], parent[1], parent[2], attribute)
    elif number is not None:
        state.parent = (number, None, unit, attribute)
    _append(state, Row(state.category, number, group, name, name_start, name_end, unit, unit_raw, attribute,
                       tuple(tokens), row_start, values.end, note=values.note, spare=values.spare,
                       spare_prior=values.spare_prior, uncertain=values.uncertain or uncertain), values)
    return max(values.end, row_start + 1)


def _append(state: _State, row: Row, values: _Values) -> None:
    """Add a row, and what its cells say of the table's habit: which value positions print a unit."""
    state.rows.append(row)
    for position, token in enumerate(row.tokens):
        if position in values.units:
            state.unit_cells[position] += 1
        elif token.kind in ("blob", "number"):
            state.plain_cells[position] += 1
            state.plain_digits.setdefault(position, Counter())[sum(char.isdigit() for char in token.text)] += 1


def _continuation_row(state: _State, row_start: int, shared: str | None) -> int:
    """A nameless row under the row above (内燃机 1,528台 … 696 / 2.76万马力 26.02万马力 942: the same
    product in another unit): it has the name of the row above and the unit its cells print."""
    above = state.rows[-1]
    values = _values(state, row_start)
    if not values.tokens:
        return row_start
    unit = values.cell_unit
    _append(state, Row(above.category, above.number, above.group, above.name, row_start, row_start, unit, unit, above.attribute,
                       tuple(values.tokens), row_start, values.end, spare=values.spare, spare_prior=values.spare_prior,
                       uncertain=values.uncertain or shared), values)
    return max(values.end, row_start + 1)


def _numbered_next(state: _State, position: int) -> bool:
    """A row label that continues the table's numbering starts the next line."""
    text = state.text
    while position < state.end and text[position] in _SEPARATORS + "\n":
        position += 1
    label = _NUMBER_LABEL.match(text, position)
    return label is not None and _continues(state, int(label.group(1)))


def _join_wrapped(rows: list[Row], broken: dict[tuple[int | None, str], int]) -> list[Row]:
    """A label that ended at a line break with a single row under it was a name wrapped onto the
    next line (``（12）单位地区生产总值`` / ``二氧化碳排放降低（%）…``), not a parent."""
    members: Counter[tuple[int | None, str | None]] = Counter((row.number, row.group) for row in rows)
    result = []
    for row in rows:
        key = (row.number, row.group)
        if row.group and (row.number, row.group) in broken and members[key] == 1:
            start = broken[(row.number, row.group)]
            row = replace(row, group=None, name=row.group + row.name, name_start=start)
        result.append(row)
    return result


def _split_parents(rows: list[Row]) -> list[Row]:
    """``（5）互联网普及率固定宽带家庭普及率…移动宽带用户普及率…``: when un-numbered rows follow a
    numbered one, the numbered row's name starts with the parent label; find where it ends."""
    from ..repair import known_names

    result = list(rows)
    for index, row in enumerate(rows):
        if row.number is None or row.group is not None:
            continue
        followers = []
        for later in range(index + 1, len(rows)):
            if rows[later].group != "" or rows[later].number != row.number:
                break
            followers.append(later)
        if not followers:
            continue
        cut = _parent_cut(row.name, [rows[later].name for later in followers], known_names())
        label = row.name[:cut] if cut is not None else None
        if cut is not None:
            result[index] = replace(row, group=label, name=row.name[cut:], name_start=row.name_start + cut)
        for later in followers:
            result[later] = replace(result[later], group=label, attribute=result[later].attribute or row.attribute)
    return [replace(row, group=None) if row.group == "" else row for row in result]


def _parent_cut(name: str, siblings: Sequence[str], names: frozenset[str]) -> int | None:
    """Where the parent label ends inside ``parent + first sub-indicator``."""
    for cut in range(2, len(name) - 1):
        if name[cut:] in names:
            return cut
    for sibling in siblings:
        for length in range(min(len(sibling), 6), 1, -1):
            tail = sibling[-length:]
            if name.endswith(tail):
                first = name.find(tail)
                if 0 < first + length < len(name) - length + 1 and first + length <= len(name) - 2:
                    return first + length if name[: first + length].endswith(tail) else None
    # A repeated word: the sub-indicator restates the parent's head (森林发展森林覆盖率), or the whole
    # parent label when it is a word of four characters or more (空气质量地级城市空气质量优良天数比率:
    # 空气质量 | 地级城市空气质量…, not 空气质量地级城市 | 空气质量…).
    for length in range(4, 1, -1):
        head = name[:length]
        second = name.find(head, length)
        if second > 0:
            return length if length >= 4 and second > length else second
    return None
