"""Cells every producer prints the same way (issue 13): the text path reads each cell the PDF
grid path reads — a comparator inside brackets, a number with words after it, a parent row whose
sub-rows start on the next line."""

from __future__ import annotations

from planparse import parse_text
from planparse.tables.grid import typed_cell
from planparse.tables.lines import Tok, split_line


def _plan(header: str, *rows: str) -> str:
    return ("第一章发展目标\n主要目标如下。\n专栏1主要指标\n" + header + "\n" + "\n".join(rows)
            + "\n注：①[ ]内为5年累计数。\n加强组织领导。各地要落实责任。\n")


def _printed(cell) -> tuple:  # type: ignore[no-untyped-def]
    return cell.raw, cell.text, cell.value, cell.comparator, cell.cumulative


def test_a_grid_cell_with_its_comparator_inside_the_brackets_is_a_number() -> None:
    cell = typed_cell("[>3]", "change", (0, 4), False)
    assert (cell.kind, cell.value, cell.comparator, cell.bracket, cell.inside) == ("number", 3.0, ">", True, True)
    outside = typed_cell(">[3]", "change", (0, 4), False)
    assert (outside.value, outside.comparator, outside.bracket, outside.inside) == (3.0, ">", True, False)


def test_a_text_cell_with_its_comparator_inside_the_brackets_keeps_its_printed_form() -> None:
    text = _plan("指标 属性 2020年 2025年 年均增长[累计]", "森林覆盖率（%） 约束性 30.5 32.0 [1.5]",
                 "参保率（%） 约束性 95.1 96.0 [>3]", "湿地保护率（%） 预期性 50 55 >[5]")
    record = parse_text(text)
    cells = {row.indicator: row.cells[-1] for row in record.indicators}
    assert _printed(cells["参保率"]) == ("[>3]", None, 3.0, ">", True)
    assert _printed(cells["湿地保护率"]) == (">[5]", None, 5.0, ">", True)


def test_a_number_with_words_after_it_ends_a_line_of_values() -> None:
    def toks(*texts: str) -> list[Tok]:
        found, cursor = [], 0
        for piece in texts:
            found.append(Tok(piece, cursor, cursor + len(piece)))
            cursor += len(piece) + 1
        return found

    line = split_line(toks("单位能耗降低（%）", "约束性", "--", "完成国家指标", "--", "[19.6]完成任务"))
    assert [token.text for token in line.labels] == ["单位能耗降低（%）", "约束性"]
    assert [token.text for token in line.values] == ["--", "完成国家指标", "--", "[19.6]完成任务"]
    assert line.words == ()
    header = split_line(toks("指标", "2015年基数", "2020年目标"))  # a year label with words is no value
    assert header.values == () and len(header.labels) == 3


def test_a_line_read_table_keeps_a_number_with_words_after_it_as_one_cell() -> None:
    # The block's header (规划目标/实际完成 over 2015年 年均增长) sends it through the line reader.
    text = ("第一章发展目标\n主要目标如下。\n专栏1主要指标实现情况\n指标 属性 规划目标 实际完成 2015年 年均增长（%） 2015年 年均增长（%）\n"
            "经济发展\n服务业增加值比重（%） 预期性 40 [3.1] 44.7 [7.8]\n"
            "单位能耗降低（%） 约束性 -- 完成国家指标 -- [19.6]完成任务\n"
            "城镇居民人均可支配收入（元） 预期性 -- 高于经济增速 -- 8.8完成任务\n"
            "注：①[ ]内为5年累计数。\n加强组织领导。各地要落实责任。\n")
    record = parse_text(text)
    rows = {row.indicator: row.cells for row in record.indicators}
    assert [(c.raw, c.text, c.value) for c in rows["单位能耗降低"]][-1] == ("[19.6]", "完成任务", 19.6)
    assert [(c.raw, c.text, c.value) for c in rows["城镇居民人均可支配收入"]][-1] == ("8.8", "完成任务", 8.8)
    assert not [w for w in record.warnings if w.code == "table_row_short"]


def test_a_parent_row_ending_its_line_holds_no_cells_of_the_next_line() -> None:
    # （3）…（%） ends its line; 化学需氧量 on the next line is its first sub-row, not three word cells.
    text = _plan("指标 属性 2015年基数 2020年目标 年均增速[累计]", "（1）森林覆盖率（%） 约束性 38.7 40 [1.3]",
                 "（2）耕地保有量（万公顷） 约束性 2700 2700 [0]", "（3）主要污染物排放总量减少（%）",
                 "化学需氧量 约束性 -- -- [8.4]", "氨氮 约束性 -- -- [7.6]")
    record = parse_text(text)
    rows = [(row.group, row.indicator, [c.raw for c in row.cells]) for row in record.indicators]
    assert rows[2:] == [("主要污染物排放总量减少", "化学需氧量", ["--", "--", "[8.4]"]),
                        ("主要污染物排放总量减少", "氨氮", ["--", "--", "[7.6]"])]
    assert not [w for w in record.warnings if w.code == "table_row_boundary"]


def test_a_space_after_a_circled_note_number_is_not_the_notes() -> None:
    # A PDF's layout puts a space between ③ and a Latin start (③ PM2.5…); the note is the same.
    text = _plan("指标 属性 2020年 2025年 年均增长[累计]", "森林覆盖率（%） 约束性 30.5 32.0 [1.5]",
                 "湿地保护率（%） 预期性 50 55 [5]").replace("注：①[ ]内为5年累计数。", "注：①[ ]内为5年累计数。② PM2.5指细颗粒物。")
    record = parse_text(text)
    assert record.boxes[0].notes == ["[ ]内为5年累计数。", "PM2.5指细颗粒物。"]


def test_a_label_line_before_numbered_rows_is_their_category() -> None:
    # 环境治理 is no lexicon category: a line of its own that numbered rows follow is still one (not a parent).
    text = _plan("指标 属性 2020年 2025年 年均增长", "环境治理", "（1）空气质量优良天数比率（%） 约束性 85.0 87.5 [2.5]",
                 "（2）城镇污水处理率（%） 预期性 92.1 95.0 [2.9]", "生态保护", "（3）湿地保护率（%） 约束性 52.0 55.0 [3.0]")
    record = parse_text(text)
    assert [(row.category, row.group, row.indicator) for row in record.indicators] == [
        ("环境治理", None, "空气质量优良天数比率"), ("环境治理", None, "城镇污水处理率"), ("生态保护", None, "湿地保护率")]
