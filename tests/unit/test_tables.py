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
