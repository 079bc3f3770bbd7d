from planparse import parse
from planparse.tables import bracket_meaning, parse_header
from tests.plans import SMALL_PLAN


def test_two_level_header_shares_leaves_among_groups() -> None:
    text = "指标属性规划目标实际完成2015年年均增长（）2015年年均增长（）经济发展"
    columns, has_attribute, end = parse_header(text, 0)
    assert has_attribute
    assert [c.path for c in columns] == ["规划目标/2015年", "规划目标/年均增长（%）", "实际完成/2015年", "实际完成/年均增长（%）"]
    assert [c.role for c in columns] == ["target", "change", "actual", "change"]
    assert text[end:] == "经济发展"


def test_one_level_header_with_base_target_and_mixed_growth() -> None:
    columns, _, _ = parse_header("指标属性2015年基数2020年目标年均增速[累计]", 0)
    assert [(c.year, c.role) for c in columns] == [(2015, "base"), (2020, "target"), (None, "change")]
    assert columns[2].cumulative is None  # annual or [cumulative], cell by cell


def test_attribute_column_may_come_last() -> None:
    text = SMALL_PLAN.replace("指标 属性 2020年 2025年 年均增速", "指标 2020年 2025年 年均增速 属性")
    for old, new in (("约束性 30.5 32.0 [1.5]", "30.5 32.0 [1.5] 约束性"),):
        text = text.replace(old, new)
    record = parse(text)
    first = record.indicators[0]
    assert first.indicator == "森林覆盖率" and [c.value for c in first.cells] == [30.5, 32.0, 1.5]


def test_bracket_meaning_from_damaged_and_intact_notes() -> None:
    assert bracket_meaning(["[ ]内为5年累计数。"]) == "5年累计数"
    assert bracket_meaning(["居民收入增速按可比价计算。", "内为5年累计数。"]) == "5年累计数"
    assert bracket_meaning(["其他说明。"]) is None


def test_intact_table_passes_through_unchanged() -> None:
    record = parse(SMALL_PLAN)
    assert len(record.indicators) == 3
    for indicator in record.indicators:
        assert indicator.unit == "%" and indicator.attribute in ("预期性", "约束性")
        assert all(cell.confidence == 1.0 and not cell.alternatives for cell in indicator.cells)
        assert indicator.cells[2].cumulative is True
    assert [c.raw for c in record.indicators[0].cells] == ["30.5", "32.0", "[1.5]"]
    assert not record.warnings


def test_intact_arithmetic_that_disagrees_is_warned_not_fixed() -> None:
    record = parse(SMALL_PLAN.replace("30.5 32.0 [1.5]", "30.5 32.0 [2.5]"))
    assert record.indicators[0].cells[2].value == 2.5
    assert [w.code for w in record.warnings] == ["indicator_arithmetic"]
    assert "森林覆盖率" in record.warnings[0].message


def test_seed_tables_are_complete(seed_text: str) -> None:
    record = parse(seed_text)
    assert len(record.tables) == 2
    by_box: dict[int | None, list] = {}
    for indicator in record.indicators:
        by_box.setdefault(indicator.box, []).append(indicator)
    for table in record.tables:
        rows = by_box[table.box]
        assert table.damaged and table.bracket_meaning
        assert [row.row for row in rows] == list(range(1, len(rows) + 1))
        for row in rows:
            assert len(row.cells) == len(table.columns)
            assert row.attribute in ("预期性", "约束性") and row.category
            assert row.page is not None
            assert all(cell.raw for cell in row.cells), row
            assert all(0 <= cell.confidence <= 1 and len(cell.alternatives) <= 3 for cell in row.cells)
        numbers = [row.number for row in rows if row.number is not None]
        assert numbers == sorted(numbers)
    grouped = [row for row in record.indicators if row.group]
    assert grouped, "parent rows hand their number to sub-indicators"
    for row in grouped:
        assert not row.indicator.startswith(row.group) or row.indicator == row.group
        siblings = [other for other in grouped if other.number == row.number and other.box == row.box]
        assert len(siblings) >= 2 and len({other.group for other in siblings}) == 1
    flagged = [(row, cell) for row in record.indicators for cell in row.cells if cell.value is not None and cell.confidence < 0.8]
    messages = " ".join(w.message for w in record.warnings if w.code == "indicator_uncertain")
    for row, cell in flagged:
        assert row.indicator in messages and cell.alternatives
    restored = [row for row in record.indicators if row.indicator != row.indicator_raw]
    assert restored and all(len(row.indicator) > len(row.indicator_raw) for row in restored)


def test_table_outside_a_box() -> None:
    text = (
        "第一章发展目标\n主要目标如下。\n表1“十四五”时期滨海市主要目标\n指标 属性 2020年 2025年 年均增速[累计]\n"
        "森林覆盖率（%） 约束性 30.5 32.0 [1.5]\n人均地区生产总值（万元） 预期性 8.0 10.7 6.0\n注：[ ]内为5年累计数。\n加强组织领导。各地要落实责任。\n"
    )
    record = parse(text)
    assert [t.table for t in record.tables] == ["表1"] and record.tables[0].box is None
    assert record.tables[0].title == "“十四五”时期滨海市主要目标"
    assert [i.table for i in record.indicators] == ["表1", "表1"]
    assert [c.cumulative for c in record.indicators[1].cells] == [None, None, False]
    assert not record.boxes
    assert record.chapters[0].paragraphs[-1].headline == "加强组织领导。"


def test_thousands_separators_mark_intact_integers() -> None:
    text = SMALL_PLAN.replace("森林覆盖率（%） 约束性 30.5 32.0 [1.5]", "森林面积（万亩） 约束性 1,200 1,350 [150]")
    record = parse(text)
    first = record.indicators[0]
    assert first.indicator == "森林面积" and [c.value for c in first.cells] == [1200.0, 1350.0, 150.0]
    assert all(c.confidence == 1.0 for c in first.cells)


# ------------------------------------------------------------------ layouts beyond the seed's


def _plan(header: str, *rows: str, note: str = "注：①[ ]内为5年累计数。") -> str:
    return ("第一章发展目标\n主要目标如下。\n专栏1主要指标\n" + header + "\n" + "\n".join(rows) + "\n" + note
            + "\n加强组织领导。各地要落实责任。\n")


def _damaged(text: str) -> str:
    from planparse.damage import strip_like_seed

    return strip_like_seed(text)


def _cells(record, index: int) -> list:  # type: ignore[no-untyped-def]
    return [(cell.value, cell.text) for cell in record.indicators[index].cells]


def test_header_labels_map_to_roles_through_the_lexicon() -> None:
    from planparse.tables.header import read_header

    layout = read_header("指标属性基期目标年均增长累计经济发展", 0)
    assert [(c.path, c.role) for c in layout.columns] == [("基期", "base"), ("目标", "target"), ("年均增长[累计]", "change")]
    assert layout.attribute == "before"
    layout = read_header("指标 2020年 2025年 年均增长（%） 属性", 0)
    assert [c.role for c in layout.columns] == ["base", "target", "change"] and layout.attribute == "after"
    layout = read_header("指标单位属性2020年2025年2035年年均增长（）", 0)
    assert [(c.year, c.role) for c in layout.columns] == [(2020, "base"), (2025, "target"), (2035, "target"), (None, "change")]
    assert layout.unit_column
    layout = read_header("指标 2020年 2025年 备注", 0)
    assert layout.note_column and len(layout.columns) == 2


def test_an_unknown_label_is_a_generic_value_column_not_a_dropped_table() -> None:
    record = parse(_plan("指标 属性 2020年 考核值 2025年", "森林覆盖率（%） 约束性 30.5 31.0 32.0", "湿地保护率（%） 预期性 50.1 51.0 52.3"))
    assert [c.path for c in record.tables[0].columns] == ["2020年", "考核值", "2025年"]
    assert _cells(record, 1) == [(50.1, None), (51.0, None), (52.3, None)]
    assert any(w.code == "table_label_unknown" and "考核值" in w.message for w in record.warnings)


def test_attribute_last_keeps_names_and_attributes_in_damaged_text() -> None:
    text = _plan("指标 2020年 2025年 年均增长（%） 属性", "森林覆盖率（%） 30.5 32.0 [1.5] 约束性",
                 "旅游总收入（亿元） 1264 1798 7.3 预期性", "城乡居民收入增长（%） -- 与经济增长同步 -- 预期性")
    for variant in (text, _damaged(text)):
        record = parse(variant)
        assert [(i.indicator, i.attribute) for i in record.indicators] == [
            ("森林覆盖率", "约束性"), ("旅游总收入", "预期性"), ("城乡居民收入增长", "预期性")]
        assert _cells(record, 2) == [(None, None), (None, "与经济增长同步"), (None, None)]


def test_a_unit_column_without_parentheses() -> None:
    text = _plan("指标 单位 属性 2020年 2025年 年均增长[累计]", "社会消费品零售总额 亿元 约束性 7024 9852 7.0",
                 "粮食单产 公斤/亩 预期性 426 448 1.0", "城镇调查失业率 % 预期性 5.2 <5.5 --")
    record = parse(text)
    assert [(i.indicator, i.unit) for i in record.indicators] == [("社会消费品零售总额", "亿元"), ("粮食单产", "公斤/亩"), ("城镇调查失业率", "%")]
    damaged = parse(_damaged(text))
    assert [(i.indicator, i.unit) for i in damaged.indicators] == [("社会消费品零售总额", "亿元"), ("粮食单产", "公斤/亩"), ("城镇调查失业率", "%")]


def test_digits_inside_names_stay_in_the_name() -> None:
    text = _plan("指标 属性 2020年 2025年 年均增长[累计]", "（1）前15家企业营业收入（亿元） 预期性 4160 6669 9.9",
                 "（2）65岁以上老年人健康管理率（%） 约束性 74.7 79.2 [4.5]", "（3）1.1级以上地震自动速报覆盖率（%） 预期性 55.8 63.9 [8.1]")
    record = parse(text)
    assert [i.indicator for i in record.indicators] == ["前15家企业营业收入", "65岁以上老年人健康管理率", "1.1级以上地震自动速报覆盖率"]
    damaged = parse(_damaged(text))
    assert [i.indicator for i in damaged.indicators] == ["前15家企业营业收入", "65岁以上老年人健康管理率", "11级以上地震自动速报覆盖率"]
    assert [c.value for c in damaged.indicators[0].cells][:2] != [1.0, 5.0]


def test_digits_a_measure_word_follows_start_the_next_name() -> None:
    """Without row numbers the next name's digits stick to the previous row's blob (…[8.1] 4A级…)."""
    text = _plan("指标 属性 2020年 2025年 年均增长[累计]", "城市建成区绿地率（%） 预期性 35.6 36.6 [1.0]",
                 "4A级及以上景区智慧化覆盖率（%） 预期性 52.1 71.0 [18.9]")
    record = parse(_damaged(text))
    assert [i.indicator for i in record.indicators] == ["城市建成区绿地率", "4级及以上景区智慧化覆盖率"]
    assert [c.value for c in record.indicators[0].cells] == [35.6, 36.6, 1.0]


def test_any_han_run_in_a_value_position_is_a_word_cell() -> None:
    text = _plan("指标 属性 2020年 2025年 年均增长[累计]", "重特大生产安全事故（起） 约束性 2 零发生 --",
                 "近岸海域水质 预期性 -- 稳步提升 --", "森林覆盖率（%） 约束性 30.5 32.0 [1.5]")
    for variant in (text, _damaged(text)):
        record = parse(variant)
        assert [i.indicator for i in record.indicators] == ["重特大生产安全事故", "近岸海域水质", "森林覆盖率"]
        assert _cells(record, 0)[1] == (None, "零发生") and _cells(record, 1)[1] == (None, "稳步提升")


def test_a_note_column_is_read_into_the_row() -> None:
    text = _plan("指标 2020年 2025年 年均增长[累计] 备注", "（1）全社会研发经费支出（亿元） 849.6 1319.3 9.2 按可比价计算",
                 "（2）农村生活污水治理率（%） 44.7 67.6 [22.9] 以2020年为基期", "（3）新建改建农村公路（公里） -- -- [9190]")
    for variant in (text, _damaged(text)):
        record = parse(variant)
        assert [i.note for i in record.indicators] == ["按可比价计算", "以2020年为基期", None]
        assert [i.indicator for i in record.indicators] == ["全社会研发经费支出", "农村生活污水治理率", "新建改建农村公路"]


def test_an_intact_table_is_never_cut_and_its_lone_integers_are_whole() -> None:
    record = parse(_plan("指标 属性 2020年 2025年 年均增长[累计]", "城镇登记失业率（%） 预期性 5.0 50 --",
                         "城镇新增就业（万人） 预期性 -- -- [300]"))
    assert _cells(record, 0) == [(5.0, None), (50.0, None), (None, None)]
    assert [c.value for c in record.indicators[1].cells] == [None, None, 300.0]
    assert all(c.confidence == 1.0 for i in record.indicators for c in i.cells)


def test_a_2035_column_does_not_stretch_the_growth_period() -> None:
    from planparse.document import TableBlock
    from planparse.repair import _years
    from planparse.tables import parse_table

    text = "指标属性2020年2025年2035年年均增长（）森林覆盖率（）约束性30532040025"
    block = TableBlock(1, None, "主要指标", 0, len(text), text, ())
    assert _years(parse_table(block, text)) == (2020, 2025)


def test_find_table_header_needs_rows_not_just_words() -> None:
    from planparse.tables.detect import find_table_header

    table = "专栏1主要指标指标属性2020年2025年森林覆盖率（）约束性305320湿地保护率（）预期性501523"
    assert find_table_header(table, 3, 40) == table.index("指标属性")
    prose = "专栏1重点项目项目2025年前建成一批重大工程，加快推进前期工作。"
    assert find_table_header(prose, 3, 40) is None


def test_seed_cells_keep_their_readings_or_stay_flagged(seed_text: str) -> None:
    """The seed's 187 cells: 154 confident readings kept, its 33 honest ties flagged or decided for
    one of their candidates (tests/corpus/seed_tables_before.json, reviewed)."""
    from tests.tools.seedcheck import compare

    outcomes = compare(parse(seed_text))
    assert len(outcomes) == 187
    bad = [description for outcome, description in outcomes if outcome in ("changed", "lost")]
    assert not bad, bad
