"""Intact tables of line-broken text read line by line, as grids: a line is a row, and the
input's own spaces (gaps in the clean→source map, where the normalizer removed whitespace) tell
where its cells end.

Do no harm: every token of every line lands in a cell (a header label, a label cell, a value
cell, a trailing word cell), so no printed digit is lost; what the reader had to guess (a header
whose labels do not match the rows' cells, a row with fewer or more cells than the header) is a
warning. The rows then go the grid way (:mod:`.grid`): an indicator table is checked by the
solver, any other table becomes a generic ``tables`` entry with typed cells.

A chain of small steps:
``table_lines`` (the body's lines and their space-separated tokens, letter-spaced words joined)
→ ``split_line`` (label tokens, then value tokens, then trailing words)
→ ``header_columns`` (the lines before the first row: the header's labels through the soft
lexicon, matched against the rows' value count)
→ ``row_cells`` (each line's tokens placed in the columns) → typed grid rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from ..document import PagedText, TableBlock
from . import lexicon
from .grid import GridCell, GridColumn, GridRow, GridTable, classify_rows, stack_panels, typed_cell
from .header import VALUE_ROLES, Label, layout_of, scan_labels
from .rows import _unit_suffix

_VALUE = regex.compile(
    r"(?:[<>≤≥＜＞]=?)?(?:\[(?:[<>≤≥＜＞]=?)?[-+−]?\d[\d,]*(?:\.\d+)?[%‰]?\]|[-+−]?\d[\d,]*(?:\.\d+)?[%‰]?)|[-—－–]{1,2}|…+|/"
)
# A number with the words printed right after it ([19.6]完成任务, 8.8完成任务): a value cell when
# other values stand before it (a header label such as 2015年基数 never follows a value).
_NUMBER_WORDS = regex.compile(
    r"(?:[<>≤≥＜＞]=?)?(?:\[(?:[<>≤≥＜＞]=?)?[-+−]?\d[\d,]*(?:\.\d+)?[%‰]?\]|[-+−]?\d[\d,]*(?:\.\d+)?[%‰]?)\p{Han}{2,}"
)
# A figure printed with its unit in the cell (72.6亿度（千瓦小时）, 8,977万头, 1,002万立方公尺): a value
# cell; a year (1952年产量) is a header label, never such a cell.
_VALUE_UNIT = regex.compile(r"(?!\d{4}年)[-+−]?\d[\d,]*(?:\.\d+)?\p{Han}{1,6}(?:[（(][^（）()\d]{1,8}[）)])?")
_YEARISH = regex.compile(r"(?:19|20)\d{2}(?:[-—－至~](?:19|20)\d{2})?年?")
_GLUED_VALUE = regex.compile(r"(?<=[\p{Han}）)\]】])(?:[<>≤≥]=?)?[-−]?\d[\d,]*(?:\.\d+)?[%‰]?$")
_UNIT_LINE = regex.compile(r"^单位[：:]")
_ROW_NUMBER = regex.compile(r"^[（(]\d{1,3}[）)]")
MIN_LINES = 2  # lines (header and rows) a table needs to be read line by line


@dataclass(frozen=True)
class Tok:
    text: str
    start: int  # clean offset
    end: int
    spaced: bool = False  # letter-spaced single characters joined (城 市 → 城市)


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    labels: tuple[Tok, ...]  # the label tokens before the first value
    values: tuple[Tok, ...]  # value tokens (numbers, dashes, bracketed numbers)
    words: tuple[Tok, ...]  # tokens after the values (an attribute, a note, word cells)

    @property
    def is_row(self) -> bool:
        return bool(self.values)

    @property
    def years_only(self) -> bool:
        return bool(self.values) and all(_YEARISH.fullmatch(token.text) for token in self.values)


def _line_spans(paged: PagedText, start: int, end: int) -> list[tuple[int, int]]:
    cuts = sorted(offset for offset in paged.line_breaks if start < offset < end)
    spans = []
    for low, high in zip([start, *cuts], [*cuts, end], strict=False):
        while low < high and paged.text[low].isspace():
            low += 1
        while high > low and paged.text[high - 1].isspace():
            high -= 1
        if high > low:
            spans.append((low, high))
    return spans


def _gaps(paged: PagedText, start: int, end: int) -> list[int]:
    """Characters the normalizer removed before each clean offset in ``(start, end)`` (0 for the first)."""
    sources = [paged.source_offset(index) for index in range(start, end)]
    return [0] + [max(0, sources[i] - sources[i - 1] - 1) for i in range(1, len(sources))]


def _tokens(paged: PagedText, start: int, end: int, wide: bool) -> list[Tok]:
    """The line's tokens: runs the input's spaces separate (``wide``: only runs of two or more, the
    single ones being letter-spacing), runs of single Han characters joined (产 量 → 产量)."""
    text = paged.text
    gaps = _gaps(paged, start, end)
    pieces: list[Tok] = []
    cursor = start
    for index in range(start, end + 1):
        at_end = index == end
        if at_end or text[index] == " " or (index > start and gaps[index - start] >= (2 if wide else 1)):
            if index > cursor:
                pieces.append(Tok(text[cursor:index], cursor, index))
            cursor = index + 1 if not at_end and text[index] == " " else index
    joined: list[Tok] = []
    for piece in pieces:
        single = len(piece.text) == 1 and regex.match(r"\p{Han}", piece.text)
        if single and joined and joined[-1].end - joined[-1].start >= 1 and _single_run(joined[-1], paged):
            last = joined.pop()
            joined.append(Tok(text[last.start:piece.end].replace(" ", ""), last.start, piece.end, True))
        else:
            joined.append(piece)
    return joined


def _single_run(token: Tok, paged: PagedText) -> bool:
    """A token made of letter-spaced single Han characters (产 or 单 位)."""
    return bool(regex.fullmatch(r"\p{Han}+", token.text)) and all(
        paged.source_offset(index) - paged.source_offset(index - 1) > 1 for index in range(token.start + 1, token.end)
    )


def _widest_gap(paged: PagedText, start: int, end: int) -> int:
    gaps = _gaps(paged, start, end)
    return max((gaps[index - start] + (paged.text[index - 1] == " ") for index in range(start + 1, end)), default=0)


def _is_value(text: str) -> bool:
    return bool(_VALUE.fullmatch(text) or _VALUE_UNIT.fullmatch(text))


def split_line(tokens: Sequence[Tok]) -> Line:
    """Label tokens, then value tokens, then trailing words; a value glued to the label (名称2148.9)
    is cut from it."""
    tokens = list(tokens)
    first_value = next((index for index, token in enumerate(tokens) if index > 0 and _is_value(token.text)), None)
    if first_value is None and tokens:
        glued = _GLUED_VALUE.search(tokens[-1].text) if len(tokens) >= 1 else None
        if glued is not None and glued.start() > 0:
            last = tokens.pop()
            cut = last.start + glued.start()
            tokens += [Tok(last.text[: glued.start()], last.start, cut), Tok(last.text[glued.start():], cut, last.end)]
            first_value = len(tokens) - 1
    if first_value is None:
        return Line(tokens[0].start if tokens else 0, tokens[-1].end if tokens else 0, tuple(tokens), (), ())
    before = tokens[first_value - 1]
    glued = _GLUED_VALUE.search(before.text)
    if glued is not None and glued.start() > 0 and not _VALUE.fullmatch(before.text):
        cut = before.start + glued.start()
        tokens[first_value - 1 : first_value] = [Tok(before.text[: glued.start()], before.start, cut),
                                                 Tok(before.text[glued.start():], cut, before.end)]
    labels = tokens[:first_value]
    rest = tokens[first_value:]
    last_value = max(index for index, token in enumerate(rest)
                     if _is_value(token.text) or (index > 0 and _NUMBER_WORDS.fullmatch(token.text)))
    return Line(tokens[0].start, tokens[-1].end, tuple(labels), tuple(rest[: last_value + 1]), tuple(rest[last_value + 1 :]))


def _body_line(line: Line) -> bool:
    """A line before the first row that is not the header's: a category or parent row (环境治理,
    （3）水环境) — no year, no label the lexicon knows, not letter-spaced like a wrapped header."""
    if line.is_row:
        return False
    label = "".join(token.text for token in line.labels)
    if label in lexicon.categories() or _ROW_NUMBER.match(label):
        return True
    if all(token.spaced for token in line.labels):
        return False  # 城 市 农 村: a header wrapped onto its second line
    known = [found for token in line.labels for found in scan_labels(token.text, 0, len(token.text), frozenset({len(token.text)}))
             if found.known]
    return not known


def table_lines(block: TableBlock, paged: PagedText) -> list[Line]:
    spans = _line_spans(paged, block.start, block.end)
    # Separators or letter-spacing: a table whose lines mostly keep two spaces between cells
    # separates cells by two spaces; its single spaces are letter-spacing (亿 吨).
    wide = sum(_widest_gap(paged, start, end) >= 2 for start, end in spans) * 2 > len(spans)
    raw = [(_tokens(paged, start, end, wide), start, end) for start, end in spans]
    return [split_line(tokens) for tokens, _, _ in raw if tokens]


# ------------------------------------------------------------------ header


@dataclass(frozen=True)
class Header:
    label_columns: tuple[GridColumn, ...]  # name, number, unit, attribute (before the values)
    value_columns: tuple[GridColumn, ...]
    after_columns: tuple[GridColumn, ...]  # attribute / note after the values
    unsure: str | None = None  # what did not match (a warning names it)


def _header_tokens(lines: Sequence[Line]) -> list[str]:
    """The header lines' tokens, letter-spaced single characters joined (指        标 → 指标), a
    unit standing apart (比上年增长 %) joined to the label before it."""
    tokens: list[str] = []
    single = False
    for line in lines:
        for token in (*line.labels, *line.values, *line.words):
            one = len(token.text) == 1 and bool(regex.match(r"\p{Han}", token.text))
            if one and single and tokens or tokens and regex.fullmatch(r"[（(]?[%‰][）)]?|[（(][^（）()]{1,8}[）)]", token.text):
                tokens[-1] += token.text
            else:
                tokens.append(token.text)
            single = one
    return tokens


def _token_labels(token: str) -> list[Label]:
    year = _YEARISH.fullmatch(token)
    if year is not None:
        ranged = regex.search(r"[-—－至~]", token)
        return [Label(token, 0, 0, "value", None if ranged else int(token[:4]))]
    labels = scan_labels(token, 0, len(token), frozenset({len(token)}))
    consumed = labels[-1].end if labels else 0
    if consumed < len(token):
        rest = token[consumed:]
        labels.append(Label(rest, consumed, len(token), "value", known=False))
    return labels


def header_columns(lines: Sequence[Line], values: int) -> Header:
    """The header lines' labels (the soft lexicon's, unknown pieces as generic value labels),
    checked against the rows' ``values`` count; an even split of letter-spaced labels when the
    lexicon gives too few or too many; 列N when nothing fits (the header's text stays in the first
    column's path, so no printed character is lost)."""
    labels = [label for token in _header_tokens(lines) for label in _token_labels(token)]
    first_value = next((index for index, label in enumerate(labels) if label.role in VALUE_ROLES), len(labels))
    before = [label for label in labels[:first_value] if label.role in ("name", "number", "unit", "attribute")]
    stray = [label for label in labels[:first_value] if label.role not in ("name", "number", "unit", "attribute", "group")]
    groups = [label for label in labels[:first_value] if label.role == "group"]
    after = [label for label in labels[first_value:] if label.role in ("attribute", "note")]
    leaves = [*groups, *(label for label in labels[first_value:] if label.role not in ("attribute", "note"))]
    label_columns = tuple(GridColumn(label.text, label.role) for label in before) or (GridColumn("", "name"),)
    after_columns = tuple(GridColumn(label.text, label.role) for label in after)
    value_leaves = [label for label in leaves if label.role in VALUE_ROLES or label.role == "group"]
    layout = layout_of(value_leaves, 0)
    generic = set(layout.generic)
    value_columns = iter(GridColumn(c.path, c.role, c.year, c.cumulative, index not in generic) for index, c in enumerate(layout.columns))
    # A label among the values (行业 比上年增长 行业 比上年增长: two tables side by side) is a text column.
    columns = tuple(next(value_columns, None) if label.role in VALUE_ROLES else GridColumn(label.text, "note")
                    for label in leaves if label.role != "group")
    if len(columns) == values and None not in columns and not stray:
        return Header(label_columns, columns, after_columns)  # type: ignore[arg-type]
    rest = "".join(label.text for label in (*stray, *leaves))
    if values and rest and len(rest) % values == 0 and len(rest) // values >= 2 and not regex.search(r"\d", rest):
        size = len(rest) // values
        pieces = [rest[index * size : (index + 1) * size] for index in range(values)]
        return Header(label_columns, tuple(GridColumn(piece, "value", known=False) for piece in pieces), after_columns,
                      f"header {rest} split evenly into {values} labels")
    names = tuple(GridColumn(f"列{index + 1}", "value", known=False) for index in range(values))
    first = GridColumn(" ".join(filter(None, (label_columns[0].path, rest))), label_columns[0].role)
    return Header((first, *label_columns[1:]), names, after_columns,
                  f"header {rest} does not match the rows' {values} value cells")


# ------------------------------------------------------------------ rows


def _place_labels(line: Line, columns: Sequence[GridColumn]) -> list[Tok | None]:
    """The label tokens in the label columns: attribute and unit from the right, the name the rest."""
    tokens = list(line.labels)
    placed: list[Tok | None] = [None] * len(columns)
    roles = [column.role for column in columns]
    if "attribute" in roles and tokens and tokens[-1].text in lexicon.attributes():
        placed[roles.index("attribute")] = tokens.pop()
    if "unit" in roles and tokens:
        if len(tokens) >= 2:
            placed[roles.index("unit")] = tokens.pop()
        else:
            name, unit = _unit_suffix(tokens[0].text)
            if unit is not None:
                whole = tokens.pop()
                cut = whole.start + len(name)
                tokens.append(Tok(name, whole.start, cut))
                placed[roles.index("unit")] = Tok(unit, cut, whole.end)
    if "number" in roles and tokens and tokens[0].text.isdigit() and len(tokens) >= 2:
        placed[roles.index("number")] = tokens.pop(0)
    if tokens:
        name_index = roles.index("name") if "name" in roles else 0
        placed[name_index] = Tok("".join(token.text for token in tokens), tokens[0].start, tokens[-1].end)
    return placed


def _cell(token: Tok | None, column: GridColumn, paged: PagedText) -> GridCell:
    if token is None:
        return GridCell("", "empty")
    return typed_cell(token.text, column.role, (paged.source_offset(token.start), paged.source_offset(token.end)), False)


def _wrapped_header_end(lines: Sequence[Line], header_end: int, first_row: int, values: int) -> int:
    """Where the header ends when label lines the lexicon does not know continue it (指标 全国 /
    城市 农村): the lines of several labels before the first row join the header when the header
    then names exactly the rows' value cells and without them it does not."""
    if not 0 < header_end < first_row or not header_columns(lines[:header_end], values).unsure:
        return header_end
    for end in range(header_end + 1, first_row + 1):
        if len(lines[end - 1].labels) < 2 or lines[end - 1].is_row:
            break
        if not header_columns(lines[:end], values).unsure:
            return end
    return header_end


_DASH_CELL = regex.compile(r"[-—－–]{1,3}")


def _dash_unit(line: Line, header: Header, values: int) -> Line:
    """A row whose 单位 cell prints a dash (纺织纱线、织物及其制品 — — — 9454 -3.1): with one value more
    than the header's value columns and its name alone before them, the first dash is the unit's."""
    roles = [column.role for column in header.label_columns]
    if "unit" not in roles or len(line.labels) != roles.index("unit") or len(line.values) != values + 1:
        return line
    if not _DASH_CELL.fullmatch(line.values[0].text):
        return line
    return Line(line.start, line.end, (*line.labels, line.values[0]), line.values[1:], line.words)


def _word_cells(line: Line, header: Header, values: int) -> Line:
    """A row with fewer value cells than the header's whose word cells stand where values do: the
    label tokens past the label columns (持续改善 in 地表水国控断面水质 约束性 持续改善 -- 完成 --) and the
    words after the values (完成国家下达任务 in … 88.4 88.4 完成国家下达任务 预期值) are its value cells,
    before any attribute or note column takes a word. An attribute word stays the attribute's."""
    missing = values - len(line.values)
    if missing <= 0:
        return line
    attributes = lexicon.attributes()
    labels, words = list(line.labels), list(line.words)
    lead: list[Tok] = []
    while missing and len(labels) > max(1, len(header.label_columns)) and labels[-1].text not in attributes \
            and not _ROW_NUMBER.fullmatch(labels[-1].text):
        lead.insert(0, labels.pop())
        missing -= 1
    tail: list[Tok] = []
    after_roles = [column.role for column in header.after_columns]
    while missing and words and not (words[0].text in attributes and "attribute" in after_roles):
        tail.append(words.pop(0))
        missing -= 1
    if not lead and not tail:
        return line
    return Line(line.start, line.end, tuple(labels), (*lead, *line.values, *tail), tuple(words))


def read_lines(block: TableBlock, paged: PagedText) -> tuple[GridTable, tuple[str, ...]] | None:
    """The block's lines as a grid table, and the unit lines (单位：…) it holds (notes); None when
    the block is not a table of lines (fewer than :data:`MIN_LINES` lines, or no row with a value)."""
    lines = table_lines(block, paged)
    notes = tuple(paged.text[line.start : line.end] for line in lines if line.labels and _UNIT_LINE.match(line.labels[0].text))
    lines = [line for line in lines if not (line.labels and _UNIT_LINE.match(line.labels[0].text))]
    first_row = next((index for index, line in enumerate(lines) if line.is_row and not line.years_only), None)
    if first_row is None or len(lines) < MIN_LINES:
        return None
    header_end = first_row
    while header_end > 1 and _body_line(lines[header_end - 1]):
        header_end -= 1  # a category row (环境治理) or a numbered parent row before the first row
    counts = Counter(len(line.values) for line in lines[header_end:] if line.is_row)
    values = max(counts.items(), key=lambda item: (item[1], item[0]))[0]
    header_end = _wrapped_header_end(lines, header_end, first_row, values)
    header_lines, body = lines[:header_end], lines[header_end:]
    header = header_columns(header_lines, values) if header_lines else Header(
        (GridColumn("", "name"),), tuple(GridColumn(f"列{index + 1}", "value", known=False) for index in range(values)), (),
        "no header line")
    columns = [*header.label_columns, *header.value_columns, *header.after_columns]
    body = [_word_cells(_dash_unit(line, header, values), header, values) if line.is_row else line for line in body]
    numbered = sum(1 for line in body if line.labels and _ROW_NUMBER.match(line.labels[0].text)) * 2 > sum(1 for line in body if line.is_row)
    widest = max(len(line.values) for line in body)
    extra = [GridColumn(f"列{len(columns) + index + 1}", "value", known=False) for index in range(max(0, widest - values))]
    columns_all = [*header.label_columns, *header.value_columns, *extra, *header.after_columns]
    short: list[str] = []
    long: list[str] = []
    rows: list[list[GridCell]] = []
    offsets: list[int] = []
    for line in body:
        if not line.is_row:
            label = "".join(token.text for token in line.labels)
            span = (paged.source_offset(line.start), paged.source_offset(line.end))
            if numbered and not _ROW_NUMBER.match(label):
                cell = typed_cell(label, "name", span, False)
                rows.append([cell] + [GridCell(label, "text", merged=True) for _ in columns_all[1:]])
            else:
                rows.append([typed_cell(label, "name", span, False)] + [GridCell("", "empty") for _ in columns_all[1:]])
            offsets.append(line.start)
            continue
        placed = _place_labels(line, header.label_columns)
        value_cells = list(line.values) + [None] * (values + len(extra) - len(line.values))
        if len(line.values) < values:
            short.append("".join(token.text for token in line.labels))
        elif len(line.values) > values:
            long.append("".join(token.text for token in line.labels))
        words = list(line.words)
        after: list[Tok | None] = [None] * len(header.after_columns)
        for index in range(len(header.after_columns)):
            if words:
                after[index] = words.pop(0)
        if words:  # words no column holds: the last value column's word cells, kept in a note column
            joined = Tok(" ".join(token.text for token in words), words[0].start, words[-1].end)
            if after:
                after[-1] = joined if after[-1] is None else Tok(f"{after[-1].text} {joined.text}", after[-1].start, joined.end)
            else:
                value_cells.append(joined)
        cells = [_cell(token, column, paged) for token, column in zip(placed, header.label_columns)]
        cells += [_cell(token, column, paged) for token, column in zip(value_cells, [*header.value_columns, *extra])]
        if len(value_cells) > len(header.value_columns) + len(extra):
            extra.append(GridColumn(f"列{len(header.label_columns) + len(header.value_columns) + len(extra) + 1}", "note", known=False))
            columns_all.insert(len(columns_all) - len(header.after_columns), extra[-1])
            cells.append(typed_cell(value_cells[-1].text, "note", (paged.source_offset(value_cells[-1].start),  # type: ignore[union-attr]
                                                                     paged.source_offset(value_cells[-1].end)), False))  # type: ignore[union-attr]
        cells += [_cell(token, column, paged) for token, column in zip(after, header.after_columns)]
        rows.append(cells)
        offsets.append(line.start)
    width = len(columns_all)
    rows = [row + [GridCell("", "empty")] * (width - len(row)) for row in rows]
    rows, columns_all = stack_panels(rows, columns_all)
    grid_rows = classify_rows(rows, columns_all)
    warnings: list[tuple[str, str]] = []
    if header.unsure:
        warnings.append(("table_header_uncertain", f"{header.unsure}; the labels may be misplaced"))
    if short:
        warnings.append(("table_row_short", f"{len(short)} row(s) print fewer cells than the table has value columns "
                                            f"(the cells are placed from the left): {', '.join(short[:5])}"))
    if long:
        warnings.append(("grid_row_ragged", f"{len(long)} row(s) hold more cells than the header has columns: {', '.join(long[:5])}"))
    unknown = [column.path for column in columns_all if not column.known and column.role in VALUE_ROLES and not column.path.startswith("列")]
    if unknown and not header.unsure:
        warnings.append(("table_label_unknown", "header label(s) " + ", ".join(unknown) + " unknown; read as value columns"))
    return GridTable(None, tuple(columns_all), tuple(grid_rows), tuple(warnings)), notes


__all__ = ["GridRow", "Header", "Line", "read_lines", "split_line", "table_lines"]
