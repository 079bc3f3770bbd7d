from planparse import parse_text
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
    record = parse_text(text)
    first = record.indicators[0]
    assert first.indicator == "森林覆盖率" and [c.value for c in first.cells] == [30.5, 32.0, 1.5]


def test_bracket_meaning_from_damaged_and_intact_notes() -> None:
    assert bracket_meaning(["[ ]内为5年累计数。"]) == "5年累计数"
    assert bracket_meaning(["居民收入增速按可比价计算。", "内为5年累计数。"]) == "5年累计数"
    assert bracket_meaning(["其他说明。"]) is None


def test_intact_table_passes_through_unchanged() -> None:
    record = parse_text(SMALL_PLAN)
    assert len(record.indicators) == 3
    for indicator in record.indicators:
        assert indicator.unit == "%" and indicator.attribute in ("预期性", "约束性")
        assert all(cell.confidence == 1.0 and not cell.alternatives for cell in indicator.cells)
        assert indicator.cells[2].cumulative is True
    assert [c.raw for c in record.indicators[0].cells] == ["30.5", "32.0", "[1.5]"]
    assert not record.warnings


def test_intact_arithmetic_that_disagrees_is_warned_not_fixed() -> None:
    record = parse_text(SMALL_PLAN.replace("30.5 32.0 [1.5]", "30.5 32.0 [2.5]"))
    assert record.indicators[0].cells[2].value == 2.5
    assert [w.code for w in record.warnings] == ["indicator_arithmetic"]
    assert "森林覆盖率" in record.warnings[0].message


def test_seed_tables_are_complete(seed_text: str) -> None:
    record = parse_text(seed_text)
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
    record = parse_text(text)
    assert [t.table for t in record.tables] == ["表1"] and record.tables[0].box is None
    assert record.tables[0].title == "“十四五”时期滨海市主要目标"
    assert [i.table for i in record.indicators] == ["表1", "表1"]
    assert [c.cumulative for c in record.indicators[1].cells] == [None, None, False]
    assert not record.boxes
    assert record.chapters[0].paragraphs[-1].headline == "加强组织领导。"


def test_thousands_separators_mark_intact_integers() -> None:
    text = SMALL_PLAN.replace("森林覆盖率（%） 约束性 30.5 32.0 [1.5]", "森林面积（万亩） 约束性 1,200 1,350 [150]")
    record = parse_text(text)
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
    record = parse_text(_plan("指标 属性 2020年 考核值 2025年", "森林覆盖率（%） 约束性 30.5 31.0 32.0", "湿地保护率（%） 预期性 50.1 51.0 52.3"))
    assert [c.path for c in record.tables[0].columns] == ["2020年", "考核值", "2025年"]
    assert _cells(record, 1) == [(50.1, None), (51.0, None), (52.3, None)]
    assert any(w.code == "table_label_unknown" and "考核值" in w.message for w in record.warnings)


def test_attribute_last_keeps_names_and_attributes_in_damaged_text() -> None:
    text = _plan("指标 2020年 2025年 年均增长（%） 属性", "森林覆盖率（%） 30.5 32.0 [1.5] 约束性",
                 "旅游总收入（亿元） 1264 1798 7.3 预期性", "城乡居民收入增长（%） -- 与经济增长同步 -- 预期性")
    for variant in (text, _damaged(text)):
        record = parse_text(variant)
        assert [(i.indicator, i.attribute) for i in record.indicators] == [
            ("森林覆盖率", "约束性"), ("旅游总收入", "预期性"), ("城乡居民收入增长", "预期性")]
        assert _cells(record, 2) == [(None, None), (None, "与经济增长同步"), (None, None)]


def test_a_unit_column_without_parentheses() -> None:
    text = _plan("指标 单位 属性 2020年 2025年 年均增长[累计]", "社会消费品零售总额 亿元 约束性 7024 9852 7.0",
                 "粮食单产 公斤/亩 预期性 426 448 1.0", "城镇调查失业率 % 预期性 5.2 <5.5 --")
    record = parse_text(text)
    assert [(i.indicator, i.unit) for i in record.indicators] == [("社会消费品零售总额", "亿元"), ("粮食单产", "公斤/亩"), ("城镇调查失业率", "%")]
    damaged = parse_text(_damaged(text))
    assert [(i.indicator, i.unit) for i in damaged.indicators] == [("社会消费品零售总额", "亿元"), ("粮食单产", "公斤/亩"), ("城镇调查失业率", "%")]


def test_digits_inside_names_stay_in_the_name() -> None:
    text = _plan("指标 属性 2020年 2025年 年均增长[累计]", "（1）前15家企业营业收入（亿元） 预期性 4160 6669 9.9",
                 "（2）65岁以上老年人健康管理率（%） 约束性 74.7 79.2 [4.5]", "（3）1.1级以上地震自动速报覆盖率（%） 预期性 55.8 63.9 [8.1]")
    record = parse_text(text)
    assert [i.indicator for i in record.indicators] == ["前15家企业营业收入", "65岁以上老年人健康管理率", "1.1级以上地震自动速报覆盖率"]
    damaged = parse_text(_damaged(text))
    assert [i.indicator for i in damaged.indicators] == ["前15家企业营业收入", "65岁以上老年人健康管理率", "11级以上地震自动速报覆盖率"]
    assert [c.value for c in damaged.indicators[0].cells][:2] != [1.0, 5.0]


def test_digits_a_measure_word_follows_start_the_next_name() -> None:
    """Without row numbers the next name's digits stick to the previous row's blob (…[8.1] 4A级…)."""
    text = _plan("指标 属性 2020年 2025年 年均增长[累计]", "城市建成区绿地率（%） 预期性 35.6 36.6 [1.0]",
                 "4A级及以上景区智慧化覆盖率（%） 预期性 52.1 71.0 [18.9]")
    record = parse_text(_damaged(text))
    assert [i.indicator for i in record.indicators] == ["城市建成区绿地率", "4级及以上景区智慧化覆盖率"]
    assert [c.value for c in record.indicators[0].cells] == [35.6, 36.6, 1.0]


def test_any_han_run_in_a_value_position_is_a_word_cell() -> None:
    text = _plan("指标 属性 2020年 2025年 年均增长[累计]", "重特大生产安全事故（起） 约束性 2 零发生 --",
                 "近岸海域水质 预期性 -- 稳步提升 --", "森林覆盖率（%） 约束性 30.5 32.0 [1.5]")
    for variant in (text, _damaged(text)):
        record = parse_text(variant)
        assert [i.indicator for i in record.indicators] == ["重特大生产安全事故", "近岸海域水质", "森林覆盖率"]
        assert _cells(record, 0)[1] == (None, "零发生") and _cells(record, 1)[1] == (None, "稳步提升")


def test_a_note_column_is_read_into_the_row() -> None:
    text = _plan("指标 2020年 2025年 年均增长[累计] 备注", "（1）全社会研发经费支出（亿元） 849.6 1319.3 9.2 按可比价计算",
                 "（2）农村生活污水治理率（%） 44.7 67.6 [22.9] 以2020年为基期", "（3）新建改建农村公路（公里） -- -- [9190]")
    for variant in (text, _damaged(text)):
        record = parse_text(variant)
        assert [i.note for i in record.indicators] == ["按可比价计算", "以2020年为基期", None]
        assert [i.indicator for i in record.indicators] == ["全社会研发经费支出", "农村生活污水治理率", "新建改建农村公路"]


def test_an_intact_table_is_never_cut_and_its_lone_integers_are_whole() -> None:
    record = parse_text(_plan("指标 属性 2020年 2025年 年均增长[累计]", "城镇登记失业率（%） 预期性 5.0 50 --",
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

    outcomes = compare(parse_text(seed_text))
    assert len(outcomes) == 187
    bad = [description for outcome, description in outcomes if outcome in ("changed", "lost")]
    assert not bad, bad


# ------------------------------------------------------------------ grids (cells known from the layout)


def _grid(rows: list[list[str]], header_rows: int | None = 1, merged: tuple = (), origin: str = "html"):  # type: ignore[no-untyped-def]
    from planparse.document import Grid

    spans = tuple(tuple((10 * r + c, 10 * r + c + 1) if cell else (-1, -1) for c, cell in enumerate(row)) for r, row in enumerate(rows))
    return Grid(tuple(tuple(row) for row in rows), spans, 0, 100, origin, header_rows, merged=merged)


def test_a_grid_is_read_cell_by_cell_with_caption_category_parent_and_header_paths() -> None:
    from planparse.tables.grid import read_grid

    grid = _grid([
        ["**表1 2015年年末人口数及其构成**", "", ""],
        ["指标", "年末数（万人）", "比重（%）"],
        ["人口", "人口", "人口"],
        ["全国总人口", "137462", "100.0"],
        ["其中：城镇", "77116", "56.10"],
        ["按年龄分", "", ""],
        ["0-15岁", "24166", "17.6"],
    ], header_rows=2, merged=((2, 0, 1, 3),))
    table = read_grid(grid)
    assert table.caption == "表1 2015年年末人口数及其构成"
    assert [(c.path, c.role) for c in table.columns] == [("指标", "name"), ("年末数（万人）", "value"), ("比重（%）", "value")]
    assert [(row.kind, row.label) for row in table.rows] == [
        ("category", "人口"), ("data", "全国总人口"), ("data", "其中：城镇"), ("parent", "按年龄分"), ("data", "0-15岁")]
    assert table.rows[0].cells[1].merged and table.rows[0].cells[0].offset is not None and table.rows[0].cells[1].offset is None
    assert [(c.kind, c.value) for c in table.rows[2].cells] == [("text", None), ("number", 77116.0), ("number", 56.1)]
    assert table.rows[4].parent == "按年龄分" and table.rows[4].category == "人口"


def test_a_markdown_header_row_that_holds_only_the_caption_leaves_the_header_to_the_next_row() -> None:
    # | **表3 …** | | |, then |---|, then | 产品名称 | 单位 | 产量 |: the communiqués' pipe tables. The
    # markup's one header row was taken as the header, so the columns were 列1…列3 and the header a data row.
    from planparse.tables.grid import read_grid

    table = read_grid(_grid([["**表3 2015年主要工业产品产量及其增长速度**", "", ""], ["产品名称", "单位", "产量"],
                             ["纱", "万吨", "3538.0"]], header_rows=1, origin="markdown"))
    assert table.caption == "表3 2015年主要工业产品产量及其增长速度"
    assert [(c.path, c.role) for c in table.columns] == [("产品名称", "name"), ("单位", "unit"), ("产量", "value")]
    assert [row.label for row in table.rows] == ["纱"]


def test_grid_cells_are_typed_and_never_repaired() -> None:
    from planparse.tables.grid import read_grid

    table = read_grid(_grid([["产品名称", "单位", "1952年产量", "1957年计划产量"], ["发电量", "亿度", "72.6亿度", "159"],
                             ["原煤", "万吨", "6,352,8万吨", "11,298.5"], ["氯霉素", "公斤", "--", ">6,000"]]))
    cells = [[(c.kind, c.value, c.unit, c.comparator) for c in row.cells] for row in table.rows]
    assert cells[0] == [("text", None, None, None), ("unit", None, "亿度", None), ("number", 72.6, "亿度", None), ("number", 159.0, None, None)]
    assert cells[1][2] == ("number", None, "万吨", None) and cells[1][3][1] == 11298.5  # a comma where a point belongs: flagged
    assert cells[2][2][0] == "empty" and cells[2][3] == ("number", 6000.0, None, ">")
    assert [code for code, _ in table.warnings] == ["grid_number_suspect"]


def test_grids_reach_the_record_as_generic_tables_or_checked_indicators() -> None:
    from dataclasses import replace

    from planparse import models, segment, tables, toc, tokens
    from planparse.document import TableBlock
    from planparse.load import load_text
    from planparse.normalize import normalize
    from planparse.text import pages

    text = "第一章发展目标\n主要目标如下。\n加强组织领导。各地要落实责任。\n"
    source = load_text(text)
    norm = normalize(source)
    front = toc.scan_front_matter(norm)
    paged = tokens.restore_tokens(pages.paged_without_detection(norm, front, ()))
    skeleton = segment.segment(paged, front)
    generic = _grid([["指标", "绝对数（亿元）", "比上年增长（%）"], ["全社会固定资产投资", "43202", "16.1"], ["其中：国有", "31020", "17.0"]],
                    origin="markdown")
    indicator = _grid([["指标", "属性", "2020年", "2025年", "年均增长"], ["森林覆盖率（%）", "约束性", "30.5", "32.0", "[1.5]"],
                       ["地区生产总值（亿元）", "预期性", "1200", "1531.6", "6.0"]])
    blocks = (TableBlock(None, "表1", "固定资产投资", 10, 20, "", (), grid=generic), TableBlock(1, None, "主要指标", 30, 40, "", (), grid=indicator))
    result = tables.extract_tables(replace(skeleton, tables=blocks), paged)
    kinds = {table.kind: table for table in result.tables}
    assert set(kinds) == {"generic", "indicator"} and kinds["generic"].origin == "markdown"
    assert [row.label for row in kinds["generic"].rows] == ["全社会固定资产投资", "其中：国有"]
    assert [c.value for c in kinds["generic"].rows[0].cells] == [None, 43202.0, 16.1]
    assert [(i.indicator, i.unit, i.attribute) for i in result.indicators] == [("森林覆盖率", "%", "约束性"), ("地区生产总值", "亿元", "预期性")]
    assert [c.value for c in result.indicators[1].cells] == [1200.0, 1531.6, 6.0]
    assert all(c.confidence == 1.0 for i in result.indicators for c in i.cells)
    # 1200 → 1531.6 is 5.0 % a year, not 6.0: intact numbers are checked and warned, never rewritten.
    assert [w.code for w in result.warnings] == ["indicator_arithmetic"]
    assert isinstance(result.tables[0], models.Table)


def test_every_pipe_table_of_the_corpus_is_read_with_every_cell(corpus) -> None:  # type: ignore[no-untyped-def]
    """The communiqués' 表N tables and the 1953 plan's tables: all found, every cell typed, every
    printed figure read exactly as printed (or flagged when its form is broken)."""
    import regex

    from planparse.tables.grid import read_grid
    from tests.tools.pipetables import corpus_tables

    paths = sorted((corpus / "lawtext" / "国家统计局年度统计").glob("*.md")) + [corpus / "national_1st_fyp_1953.md"]
    count = cells = 0
    for path in paths:
        for found in corpus_tables(path):
            table = read_grid(found.grid)
            count += 1
            assert table.columns and table.rows, (path.name, found.line)
            for row in table.rows:
                for cell in row.cells:
                    cells += 1
                    plain = regex.fullmatch(r"-?\d+(?:\.\d+)?", cell.text)
                    if plain and cell.kind == "number":
                        assert cell.value == float(cell.text), (path.name, cell)
    assert count == 126 and cells > 5000


def test_a_word_cell_before_a_note_ends_at_its_lexicon_word() -> None:
    """With a 备注 column, 完成国家下达任务以2020年为基期 is a word cell and a note (the word cell
    had swallowed the note's first characters, or all of 五年累计数)."""
    from planparse import parse_text
    from planparse.damage import strip_like_seed

    text = ("第一章发展目标\n主要目标如下。\n专栏1主要指标\n指标 2020年 2025年 年均增长[累计] 备注\n"
            "永久基本农田保护面积（万亩） 585.5 585.5 完成国家下达任务 以2020年为基期\n森林覆盖率（%） 30.5 32.0 [1.5] 五年累计数\n"
            "注：①[ ]内为5年累计数。\n加强组织领导。各地要落实责任。\n")
    land, forest = parse_text(strip_like_seed(text)).indicators
    assert (land.cells[2].text, land.note) == ("完成国家下达任务", "以2020年为基期")
    assert forest.note == "五年累计数"


def test_a_damaged_communique_table_is_found_ends_at_its_first_sentence_and_guesses_nothing_silently() -> None:
    """A 表N caption glued to its year (表12023年…), rows whose labels end in a colon (其中：城镇),
    and flattened text after the table: the table is 表1 with its three rows, the sentence after
    it stays prose, and every cell read wrong is named in a warning (no arithmetic: priors only)."""
    from planparse import parse_text
    from planparse.damage import strip_like_seed

    text = ("第一章 人口\n年末全国人口140967万人。\n表1 2023年年末人口数及其构成\n指标 年末数（万人） 比重（%）\n"
            "全国人口 140967 100.0\n其中：城镇 93267 66.2\n乡村 47700 33.8\n"
            "年末全国就业人员74041万人，其中城镇就业人员47032万人。全年城镇新增就业1244万人。\n")
    truth = {"全国人口": (140967, 100.0), "其中：城镇": (93267, 66.2), "乡村": (47700, 33.8)}
    record = parse_text(strip_like_seed(text))
    assert [table.table for table in record.tables] == ["表1"]
    assert [indicator.indicator for indicator in record.indicators] == list(truth)
    for indicator in record.indicators:
        for cell, value in zip(indicator.cells, truth[indicator.indicator]):
            named = any(f"row {indicator.row} {indicator.indicator}" in w.message and f"/ {cell.column}:" in w.message
                        for w in record.warnings)
            assert cell.value == value or named or cell.confidence < 0.8


def test_a_table_after_one_that_has_no_rows_is_still_found() -> None:
    """Damaged: 表2 is a list the table reader cannot confirm; 表3 after it is still a table (the
    block sequence had stopped at the unconfirmed 表2, losing every later table)."""
    from planparse import parse_text
    from planparse.damage import strip_like_seed

    text = ("第一章 人口与价格\n年末全国人口140967万人。\n表1 2023年年末人口数及其构成\n指标 年末数（万人） 比重（%）\n"
            "全国人口 140967 100.0\n其中：城镇 93267 66.2\n乡村 47700 33.8\n全年居民消费价格比上年上涨0.2%。\n"
            "表2 2023年居民消费价格比上年涨跌幅度\n- 单位：%\n- 指标 全国 城市 农村\n- 居民消费价格 0.2 0.3 0.1\n"
            "- 衣着 1.0 1.1 0.6\n- 居住 0.3 0.2 0.4\n- 交通通信 -2.3 -2.4 -2.0\n"
            "全年工业生产者出厂价格比上年下降3.0%，工业生产者购进价格下降3.6%，农产品生产者价格下降2.3%。\n"
            "表3 2023年主要能源产品产量及其增长速度\n产品名称 单位 产量 比上年增长（%）\n"
            "原煤 亿吨 47.1 3.4\n原油 万吨 20902 2.1\n天然气 亿立方米 2324 5.8\n"
            "全年能源消费总量57.2亿吨标准煤，比上年增长5.7%，煤炭消费量增长5.6%，原油消费量增长9.1%。\n")
    record = parse_text(strip_like_seed(text))
    assert "表3" in [table.table for table in record.tables]
    assert [indicator.indicator for indicator in record.indicators if indicator.table == "表3"] == ["原煤", "原油", "天然气"]


def test_a_header_inside_the_title_gives_way_to_the_header_after_it() -> None:
    # Damaged 2023 communiqué 表9: 主要指标及其增长速度 put 指标 of the title first, 及其 became a
    # column and the title lost its end.
    from planparse.tables.detect import find_table_header

    text = ("表92023年房地产开发和销售主要指标及其增长速度指标单位绝对数比上年增长（）房地产开发投资亿元110913-96"
            "其中：住宅亿元83820-93房屋施工面积万平方米838364-72全年全国各类棚户区改造开工159万套。")
    assert find_table_header(text, 2, 82) == text.index("指标单位")
    plain = "表1主要指标指标属性2020年2025年森林覆盖率（）约束性305320湿地保护率（）预期性501523"
    assert find_table_header(plain, 2, 40) == plain.index("指标属性")


def test_a_flattened_table_ends_at_the_next_tables_caption() -> None:
    # Damaged 2023 communiqué: 表8's caption right after 表7's last figure (…组织-370表82023年…) with no
    # sentence between; 表7 ran on to the next sentence and 表8 was never a table.
    text = ("全国统计公报。一、综合。全年国内生产总值1260582亿元，比上年增长52。"
            "表72023年分行业固定资产投资增长速度指标比上年增长（）总计30采矿业21制造业65公共管理-370"
            "表82023年固定资产投资新增主要生产与运营能力指标单位绝对数新建铁路投产里程公里3637其中：高速铁路公里2776"
            "新增民用运输机场个5全年房地产开发投资110913亿元，比上年下降96。")
    record = parse_text(text)
    tables = {table.table: table for table in record.tables}
    assert tables["表8"].title == "2023年固定资产投资新增主要生产与运营能力"
    assert [i.indicator for i in record.indicators if i.table == "表7"] == ["总计", "采矿业", "制造业", "公共管理"]
    assert [i.indicator for i in record.indicators if i.table == "表8"] == ["新建铁路投产里程", "其中：高速铁路", "新增民用运输机场"]


def test_damaged_header_labels_the_lexicon_half_knows_are_value_columns() -> None:
    # Damaged 2023 communiqué 表14: 企业数（家） (unknown) before a growth label, 实际使用金额（亿元）
    # (an unknown head before 金额) — the header stopped at 行业 and the table was not found.
    from planparse.tables.header import scan_labels

    text = "行业企业数（家）比上年增长（）实际使用金额（亿元）比上年增长（）总计5376639711339-80"
    labels = scan_labels(text, 0, len(text))
    assert [(label.text, label.role, label.known) for label in labels] == [
        ("行业", "name", True), ("企业数（家）", "value", False), ("比上年增长（）", "change", True),
        ("实际使用金额（亿元）", "value", False), ("比上年增长（）", "change", True)]
    row = "指标绝对数比上年增长（）国内生产总值1260582亿元比上年增长52"
    assert [label.text for label in scan_labels(row, 0, len(row))] == ["指标", "绝对数", "比上年增长（）"]


def test_bare_years_in_a_flattened_header_are_labels_when_they_run_on() -> None:
    # Damaged 2002 communiqué 表6: 指标单位199819992000200120021998-2002大中型… (the header stopped at 单位).
    from planparse.tables.header import scan_labels

    text = "指标单位199819992000200120021998-2002大中型发电机组容量万千瓦183918911934151611658345"
    assert [label.text for label in scan_labels(text, 0, len(text))] == [
        "指标", "单位", "1998", "1999", "2000", "2001", "2002", "1998-2002"]
    for other in ("指标单位20152020大中型1839", "指标单位201520202025大中型1839", "指标单位1998199920002001"):
        assert [label.text for label in scan_labels(other, 0, len(other))] == ["指标", "单位"]


def test_a_page_number_glued_among_a_flattened_headers_years_is_taken_out() -> None:
    # Damaged 2002 communiqué 表11: …指标单位199819992000200172002广播… (page 7 between 2001 and 2002),
    # 表13: 指标单位81998… (page 8 before 1998).
    from planparse.tables.header import layout_of, scan_labels

    text = "指标单位199819992000200172002广播综合人口覆盖率883905925929932电视综合人口覆盖率890920937942945"
    labels = scan_labels(text, 0, len(text))
    assert [(label.text, label.glued) for label in labels][2:] == [
        ("1998", None), ("1999", None), ("2000", None), ("2001", None), ("2002", "7")]
    assert layout_of(labels, labels[-1].end).glued == ("2002 (took out 7)",)
    first = "指标单位819981999200020012002城镇居民人均可支配收入元54255854628068607703"
    assert [(label.text, label.glued) for label in scan_labels(first, 0, len(first))][2:4] == [("1998", "8"), ("1999", None)]
    closed = "指标1998199920002001200261998-2002招生数研究生73692128165203661"
    assert [(label.text, label.glued) for label in scan_labels(closed, 0, len(closed))][-1] == ("1998-2002", "6")
    # Digits that are not a page number before the next year: no header years.
    assert [label.text for label in scan_labels("指标单位1998199920001232005广播", 0, 20)] == ["指标", "单位"]


def test_share_labels_of_a_whole_are_value_columns() -> None:
    # Damaged 2023 communiqué 表13: 占全部出口比重（%） stopped the header after two columns.
    from planparse.tables.header import scan_labels

    text = "国家和地区出口额（亿元）比上年增长（）占全部出口比重（）进口额（亿元）比上年增长（）占全部进口比重（）东盟36817001552730904152"
    assert [(label.text, label.role) for label in scan_labels(text, 0, len(text))] == [
        ("国家和地区", "name"), ("出口额（亿元）", "value"), ("比上年增长（）", "change"), ("占全部出口比重（）", "value"),
        ("进口额（亿元）", "value"), ("比上年增长（）", "change"), ("占全部进口比重（）", "value")]


def test_an_unknown_label_with_its_unit_before_the_last_growth_label_is_a_column() -> None:
    # Damaged 2023 communiqué 表17: 指标专利数（万件）比上年增长（%）发明专利授权921153…: the table was not found.
    from planparse.tables.detect import find_table_header
    from planparse.tables.header import scan_labels

    text = "指标专利数（万件）比上年增长（）发明专利授权921153其中：境内发明专利授权813180实用新型专利授权2090-255"
    assert [(label.text, label.known) for label in scan_labels(text, 0, len(text))] == [
        ("指标", True), ("专利数（万件）", False), ("比上年增长（）", True)]
    assert find_table_header(text, 0, 40) == 0
    # Without a unit of its own the run may be the first row's name: not a label.
    bare = "指标专利数比上年增长（）发明专利授权921153"
    assert [label.text for label in scan_labels(bare, 0, len(bare))] == ["指标"]


def _rows(text: str) -> dict[str, list[str]]:
    return {row.indicator: [cell.raw for cell in row.cells] for row in parse_text(text).indicators}


def test_a_caption_less_table_of_flattened_text_after_its_announcing_clause_is_read() -> None:
    # The 1953 plan flattened: …增长如下列：产品名称1952年产量… had no 表N caption, and only line-broken
    # text could start a caption-less table: its 44 cells were lost. Its cells print their units
    # (72.6亿度（千瓦小时） | 159亿度（千瓦小时） | 219): a unit ends a cell, and the digits before it are no name's.
    text = ("第一章工业第一节工业的生产（一）主要工业品的产量工业总产值将增加为五三五·六亿元。五年内，主要工业品产量的增长如下列："
            "产品名称1952年产量1957年计划产量1957年为1952年的百分比发电量726亿度（千瓦小时）159亿度（千瓦小时）219"
            "原油436万吨2012万吨462钢135万吨412万吨306上表所列钢的产量中，都没有包括手工业生产的产量。第二节农业农业生产将有增长。")
    record = parse_text(text)
    assert [column.path for column in record.tables[0].columns] == ["1952年产量", "1957年计划产量", "1957年为1952年的百分比"]
    assert {row.indicator: (row.unit, [cell.raw for cell in row.cells]) for row in record.indicators} == {
        "发电量": ("亿度", ["726", "159", "219"]), "原油": ("万吨", ["436", "2012", "462"]), "钢": ("万吨", ["135", "412", "306"])}
    # Prose with a colon before a name label is no table: the rows must confirm it.
    assert not parse_text("第一章工业第一节工业的生产我们的任务如下：产品名称要统一，质量要提高。第二节农业农业生产将有增长。").tables


def test_the_last_row_of_a_flattened_table_before_a_sentence_is_kept() -> None:
    # 2002 表5: …房地产开发投资7736219东中西部地区投资全面增长。 — the table ended before 房地产开发投资,
    # as if 7736219 were the sentence's own figure (全年国内生产总值1260582亿元，); no unit follows it.
    rows = _rows("四、固定资产投资全年全社会固定资产投资43202亿元，比上年增长161。表5固定资产投资情况指标绝对数（亿元）比上年增长（）"
                 "全社会固定资产投资43202161更新改造投资6584111房地产开发投资7736219东中西部地区投资全面增长。全年东部地区投资18456亿元。")
    assert rows["房地产开发投资"] == ["7736", "219"]


def test_a_flattened_header_of_side_by_side_panels_is_read_once() -> None:
    # 2023 表7 damaged: 行业比上年增长（）行业比上年增长（）总计30…: the repeated labels were read as the first row's name.
    rows = _rows("三、固定资产投资全年固定资产投资增长30。表7分行业固定资产投资增长速度行业比上年增长（）行业比上年增长（）"
                 "总计30金融业-119制造业65教育28全年房地产开发投资110913亿元，比上年下降96。")
    assert list(rows) == ["总计", "金融业", "制造业", "教育"]


def test_a_page_number_glued_after_the_last_bare_year_is_taken_out() -> None:
    # 2002 表13 damaged: 指标单位199819992000200120028城镇… (page 8 after 2002): the header held no column, the table was lost.
    record = parse_text("十、人民生活全年城镇居民人均可支配收入7703元。表13五年来城乡居民生活改善情况指标单位199819992000200120028"
                        "城镇居民家庭恩格尔系数445419392379377农村居民家庭恩格尔系数534526491477462社会保障工作进一步加强。")
    assert [column.path for column in record.tables[0].columns] == ["1998", "1999", "2000", "2001", "2002"]
    assert [row.indicator for row in record.indicators] == ["城镇居民家庭恩格尔系数", "农村居民家庭恩格尔系数"]
    assert any(warning.code == "table_header_digits" and "took out 8" in warning.message for warning in record.warnings)


def test_age_ranges_open_row_names_and_their_parentheses_stay_in_the_name() -> None:
    # 2023 表1 damaged: …其中：0-15岁（含不满16周岁）2478917616-59岁（含不满60周岁）8648161360周岁及以上…: the
    # parenthesis was read as a unit, and -59 as a negative cell, so the 16-59岁 row was lost.
    rows = _rows("一、人口年末全国人口140967万人。表1年末人口数及其构成指标年末数（万人）比重（）全国人口1409671000"
                 "其中：0-15岁（含不满16周岁）2478917616-59岁（含不满60周岁）8648161360周岁及以上29697211年末全国就业人员74041万人。")
    assert "其中：0-15岁（含不满16周岁）" in rows
    assert any("59岁（含不满60周岁）" in name and not name.startswith("59") for name in rows)
    assert all(not cell.startswith("-") for name, cells in rows.items() for cell in cells)


def test_a_ratio_column_and_an_increment_column_check_the_levels() -> None:
    # The 1953 plan: 原油 43.6万吨 | 201.2万吨 | 462 (1957年为1952年的百分比) prints 原油436万吨2012万吨462; it was read
    # 436 | 201.2, a ratio of 46 %. The ratio fixes the levels' relative scale (43.6 | 201.2 or 436 | 2012: only priors
    # tell those apart). 1952年人数 + 五年内增加人数 = 1957年人数 checks a row too.
    text = ("第一章工业第一节工业的生产（一）主要工业品的产量工业总产值将增加为五三五·六亿元。五年内，主要工业品产量的增长如下列："
            "产品名称1952年产量1957年计划产量1957年为1952年的百分比发电量726亿度（千瓦小时）159亿度（千瓦小时）219"
            "原油436万吨2012万吨462钢135万吨412万吨306上表所列钢的产量中，都没有包括手工业生产的产量。第二节农业农业生产将有增长。")
    rows = {row.indicator: [cell.value for cell in row.cells] for row in parse_text(text).indicators}
    base, target, ratio = rows["原油"]
    assert ratio == 462.0 and base and target and abs(target / base * 100 - ratio) <= 1.0
    assert rows["发电量"] == [72.6, 159.0, 219.0]
    from planparse.repair.model import _RowContext  # noqa: F401  (the check lives in the scorer)
    from planparse.repair.score import _increment_column
    from planparse.tables import HeaderColumn

    columns = (HeaderColumn("1952年人数", 1952, "base", None), HeaderColumn("五年内增加人数", None, "value", None),
               HeaderColumn("1957年人数", 1957, "target", None), HeaderColumn("1957年为1952年的百分比", None, "value", None))

    class _Context:
        def __init__(self) -> None:
            self.columns = columns
            self.roles = tuple(column.role for column in columns)

    assert _increment_column(_Context()) == 1  # type: ignore[arg-type]


def test_a_parenthesis_before_cells_printed_with_units_is_the_names() -> None:
    # The 1953 plan: 烧碱（折合百分之百）79万吨154万吨194 — the parenthesis was read as the row's unit; its cells
    # print their units (万吨), so it qualifies the name.
    text = ("第一章工业第一节工业的生产（一）主要工业品的产量工业总产值将增加为五三五·六亿元。五年内，主要工业品产量的增长如下列："
            "产品名称1952年产量1957年计划产量1957年为1952年的百分比钢135万吨412万吨306烧碱（折合百分之百）79万吨154万吨194"
            "纯碱192万吨476万吨248上表所列钢的产量中，都没有包括手工业生产的产量。第二节农业农业生产将有增长。")
    rows = {row.indicator: row.unit for row in parse_text(text).indicators}
    assert rows == {"钢": "万吨", "烧碱（折合百分之百）": "万吨", "纯碱": "万吨"}


_PLAN_1953 = ("第一章工业第一节工业的生产（一）主要工业品的产量工业总产值将增加为五三五·六亿元。五年内，主要工业品产量的增长如下列："
              "产品名称1952年产量1957年计划产量1957年为1952年的百分比")
_PLAN_1953_END = "上表所列钢的产量中，都没有包括手工业生产的产量。第二节农业农业生产将有增长。"


def test_a_footnote_mark_that_lost_its_brackets_stays_in_the_name() -> None:
    # The 1953 plan damaged: 机床[^11] 16,298吨 … prints 机床^1116,298吨29,292吨180; the row was lost (^ ended the
    # name, the digits after it started no row). The references are numbered in the order printed: after ^1 … ^10
    # comes ^11, so 16,298 is the first cell (not 116,298).
    marks = "".join(f"第{index}项^{index}，" for index in range(1, 11))
    text = (_PLAN_1953.replace("增加为", marks + "增加为") + "钢135万吨412万吨306机床^1116,298吨29,292吨180纯碱192万吨476万吨248"
            + _PLAN_1953_END)
    record = parse_text(text)
    rows = {row.indicator: [cell.raw for cell in row.cells] for row in record.indicators}
    assert rows["机床^11"] == ["16,298", "29,292", "180"]
    assert not any(warning.code == "table_text_skipped" for warning in record.warnings)
    # When the numbering does not say (five references before it: neither ^1 nor ^11 is the sixth), the record names the guess.
    marks = "".join(f"第{index}项^{index}，" for index in range(1, 6))
    guessed = parse_text(_PLAN_1953.replace("增加为", marks + "增加为") + "钢135万吨412万吨306机床^1116,298吨29,292吨180"
                         "纯碱192万吨476万吨248" + _PLAN_1953_END)
    assert any(row.indicator.startswith("机床^") for row in guessed.indicators)
    assert any(warning.code == "table_row_boundary" and "footnote mark" in warning.message for warning in guessed.warnings)


def test_a_nameless_row_in_other_units_takes_the_digits_after_the_last_cell() -> None:
    # The 1953 plan damaged: 内燃机 1,528台 | 10,630台 | 696, then a nameless row 2.76万马力 | 26.02万马力 | 942: printed
    # 内燃机1,528台10,630台696276万马力2602万马力942, read as one cell 696276 (with the unit 万马力) and a row 万马力 cut into
    # 9 | 4 | 2. The last column prints no unit in the other rows, so a unit after it is the next row's: the digits split
    # as the column's cells usually run (3 digits), the guess named; commas decide when they can (1,60421,485: 1,604 | 21,485).
    text = (_PLAN_1953 + "钢135万吨412万吨306纯碱192万吨476万吨248内燃机1,528台10,630台696276万马力2602万马力942"
            "民用船舶84艘1,347艘1,60421,485排水量吨179,111排水量吨834自行车8万辆555万辆694" + _PLAN_1953_END)
    record = parse_text(text)
    rows = [(row.indicator, row.unit, [cell.raw for cell in row.cells]) for row in record.indicators]
    assert rows[2:] == [("内燃机", "台", ["1,528", "10,630", "696"]), ("内燃机", "万马力", ["276", "2602", "942"]),
                        ("民用船舶", "艘", ["84", "1,347", "1,604"]), ("民用船舶", "排水量吨", ["21,485", "179,111", "834"]),
                        ("自行车", "万辆", ["8", "555", "694"])]
    assert any(warning.code == "table_row_boundary" and "696276" in warning.message for warning in record.warnings)
    assert not any(warning.code == "table_row_boundary" and "1,60421,485" in warning.message for warning in record.warnings)
    # The unit printed in a cell goes with the cell.
    assert record.indicators[3].cells[0].text == "万马力"


def test_a_short_unknown_word_where_the_table_prints_units_is_the_cells_unit() -> None:
    # The 1953 plan: 货车 5,792辆 | 3,500耕 (a misprinted 辆) | 147 damaged: 货车5,792辆3,500耕147民用船舶…; 耕 was read as
    # the last cell and 147民用船舶 as the next name, and the rows after it ran together (自行车 was lost).
    text = (_PLAN_1953 + "钢135万吨412万吨306纯碱192万吨476万吨248货车5,792辆3,500耕147民用船舶84艘1,347艘1,604"
            "自行车8万辆555万辆694" + _PLAN_1953_END)
    record = parse_text(text)
    rows = {row.indicator: [cell.raw for cell in row.cells] for row in record.indicators}
    assert rows["货车"] == ["5,792", "3,500", "147"] and rows["民用船舶"] == ["84", "1,347", "1,604"]
    assert rows["自行车"] == ["8", "555", "694"]
    assert any(warning.code == "table_row_boundary" and "耕" in warning.message for warning in record.warnings)


def test_a_compound_unit_printed_in_a_cell_ends_the_cell() -> None:
    # The generator's unit_cells layout: 粮食单产 472公斤/亩 | 486公斤/亩 | 0.6 damaged 粮食单产472公斤/亩486公斤/亩06 was
    # read 4 | 7 | 2 at 0.997, unflagged: 公斤 before '/' ended no cell, so 472 alone was cut into the row's three cells.
    text = (_PLAN_1953 + "钢135万吨412万吨306纯碱192万吨476万吨248粮食单产472公斤/亩486公斤/亩104" + _PLAN_1953_END)
    rows = {row.indicator: (row.unit, [cell.raw for cell in row.cells]) for row in parse_text(text).indicators}
    assert rows["粮食单产"] == ("公斤/亩", ["472", "486", "104"])


def test_words_in_parentheses_that_hold_no_unit_stay_in_a_grid_rows_name() -> None:
    # The 1953 plan's pipe table, intact: | 烧碱（折合百分之百） | 7.9万吨 | … was read as 烧碱 in the unit 折合百分之百
    # (水轮机 in 水力透平), so the rows were not found under their names.
    from planparse.tables.grid import _split_unit

    assert _split_unit("烧碱（折合百分之百）") == ("烧碱（折合百分之百）", None)
    assert _split_unit("水轮机（水力透平）") == ("水轮机（水力透平）", None)
    assert _split_unit("城镇调查失业率（%）") == ("城镇调查失业率", "%")
    assert _split_unit("粮食产量（万吨）") == ("粮食产量", "万吨")
    assert _split_unit("城镇化率（）") == ("城镇化率", "")


def test_a_comma_that_fewer_than_three_digits_follow_is_a_misprinted_point() -> None:
    # The 1953 plan prints 钢材 111万吨 | 304,5万吨 | 275 and 原煤 6,352,8万吨 (misprints of 304.5 and 6,352.8); damaged,
    # the comma-broken blob left the whole row unread ("a signed or comma-broken number"), its ratio 275 lost too.
    text = (_PLAN_1953 + "钢135万吨412万吨306原煤6,352,8万吨11,2985万吨178钢材111万吨304,5万吨275纯碱192万吨476万吨248"
            + _PLAN_1953_END)
    record = parse_text(text)
    rows = {row.indicator: [cell.value for cell in row.cells] for row in record.indicators}
    assert rows["钢材"][1] == 304.5 and rows["钢材"][2] == 275.0
    assert rows["原煤"] == [6352.8, 11298.5, 178.0]
    assert any(warning.code == "table_row_boundary" and "304,5" in warning.message for warning in record.warnings)


def test_a_unit_before_a_word_cell_ends_its_cell() -> None:
    # The generator's unit_cells layout intact: 永久基本农田保护面积 471.8万亩 471.8万亩 完成国家下达任务 was read
    # 471.8 | 471.8 | 万亩完成国家下达任务: the unit before the word cell was taken into the word.
    text = ("第一章发展基础\n第一节目标\n专栏1江南市“十四五”时期主要指标\n指标 2020年产量 2025年产量 年均增速（%）\n"
            "5G基站数 4.0万个 11.0万个 22.5\n永久基本农田保护面积 471.8万亩 471.8万亩 完成国家下达任务\n"
            "发电量 72.6亿度 159亿度 17.0\n注：①[ ]内为5年累计数。\n第二章重点任务\n")
    cells = {row.indicator: [(cell.value, cell.text) for cell in row.cells] for row in parse_text(text).indicators}
    assert cells["永久基本农田保护面积"] == [(471.8, "万亩"), (471.8, "万亩"), (None, "完成国家下达任务")]


def test_transport_units_of_a_unit_column_are_known() -> None:
    # 2023 表5 damaged: 铁路亿吨公里36437615 was read as the row 铁路亿吨 in 公里 (亿吨公里 was no unit of the lexicon).
    record = parse_text("四、运输全年货物运输周转量247713亿吨公里，增长63。表5各种运输方式完成货物运输量及其增长速度指标单位绝对数比上年增长（）"
                        "货物运输周转量亿吨公里247712763铁路亿吨公里36437615全年旅客运输总量93亿人次，比上年增长665。")
    assert [(row.indicator, row.unit) for row in record.indicators] == [("货物运输周转量", "亿吨公里"), ("铁路", "亿吨公里")]


def test_a_share_label_without_its_percent_sign_is_a_share() -> None:
    # 2008 表15 damaged: 指标年末数比重全国总人口1328021000… (比重 printed without （%）): read 1328.02 | 0.0, the
    # share column not known as a percentage, so neither its one decimal nor the total row's 100 counted.
    record = parse_text("十一、人口年末全国总人口为132802万人。表152008年人口数及其构成单位：万人指标年末数比重全国总人口1328021000"
                        "其中：城镇60667457乡村72135543全年农村居民人均纯收入4761元。")
    assert [cell.value for cell in record.indicators[0].cells] == [132802.0, 100.0]


def test_growth_over_the_year_end_before_is_one_label() -> None:
    # 2010 表14 damaged: 指标年末数比上年末增长各项存款余额733382198… — 比上年末 was read as an unknown label of its own
    # and 增长 as a third column, so every row was cut into three (733 | 382.1 | 9.8): 0 of 14 cells right.
    record = parse_text("八、金融年末全部金融机构本外币各项存款余额733万亿元。表14：2010年全部金融机构本外币存贷款及其增长速度单位：亿元"
                        "指标年末数比上年末增长各项存款余额733382198其中：企业存款252960127全年保险公司原保险保费收入14528亿元。")
    assert [(column.path, column.role) for column in record.tables[0].columns] == [("年末数", "value"), ("比上年末增长", "change")]
    assert [[cell.raw for cell in row.cells] for row in record.indicators][0] == ["733382", "198"]


def test_a_category_row_right_after_a_damaged_header_is_no_header_label() -> None:
    # tablegen unit_col 156: 指标单位属性2020年2025年年均增长累计民生福祉单位地区生产总值…: the category 民生福祉
    # (followed by 单位…, which reads as a unit label) was taken for a fourth value column, and every
    # row was cut into four cells (居民消费价格涨幅约束性24<2-- read 2 | 4 | <2 | --, silently wrong).
    from planparse.tables import parse_header

    text = "指标单位属性2020年2025年年均增长累计民生福祉单位地区生产总值二氧化碳排放下降预期性----185"
    columns, _, end = parse_header(text, 0)
    assert [column.path for column in columns] == ["2020年", "2025年", "年均增长[累计]"]
    assert text[end:].startswith("民生福祉")


def test_a_note_cell_ends_at_its_longest_lexicon_word_and_may_fill_its_run() -> None:
    # tablegen note_col 27 and 6: 五年累计数农村生活污水治理率 was cut after 五年累计 (a shorter note of the
    # lexicon, tied), so the next row read 数农村生活污水治理率; 五年累计数PM2.5浓度达标天数比例: the Han run
    # ends before PM2.5 and the note was never allowed to fill it, so the next row read 五年累计数PM2.5….
    from planparse.tables.lexicon import notes
    from planparse.tables.rows import _split

    assert _split("五年累计数农村生活污水治理率", notes(), allow_empty=True) == (5, True)
    assert _split("五年累计数", notes(), allow_empty=True) == (5, True)
    assert _split("按可比价计算旅游总收入", notes(), allow_empty=True) == (6, True)


def test_a_parent_label_restated_whole_in_its_first_sub_row_ends_where_it_first_ends() -> None:
    # tablegen seed 0: （3）空气质量地级城市空气质量优良天数比率 was cut at the second 空气质量, so the row read
    # 空气质量优良天数比率 under the parent 空气质量地级城市; a two-character head restated (森林发展森林覆盖率)
    # still ends the label where the sub-row restates it.
    from planparse.tables.rows import _parent_cut

    assert _parent_cut("空气质量地级城市空气质量优良天数比率", ["细颗粒物浓度达标天数比例"], frozenset()) == 4
    assert _parent_cut("森林发展森林覆盖率", ["森林蓄积量"], frozenset()) == 4


def test_a_footnote_mark_glued_to_a_name_before_its_unit_cell_is_no_value() -> None:
    # Damaged 2023 communiqué 表3: 钢材[23] | 万吨 | 136268.2 | 5.2 became 钢材23万吨136268252; the 23 was
    # read as the row's first cell (unit %, or no reading at all). A 单位 column prints no value before
    # the unit: the digits stay in the name, the unit is 万吨, the cells are cut from 136268252.
    from planparse import parse_text

    table = ("表32023年规模以上工业主要产品产量及其增长速度指标单位产量比上年增长（）纱万吨22342-22布亿米2949-48粗钢万吨101908100"
             "钢材23万吨136268252十种有色金属万吨7469871")
    record = parse_text("一、工业\n" + "工业生产平稳。" * 3 + table + "。年末全国民用汽车保有量33618万辆。")
    row = next(indicator for indicator in record.indicators if indicator.indicator.startswith("钢材"))
    assert row.indicator == "钢材23" and row.unit == "万吨"
    assert "".join(cell.raw.lstrip("-") for cell in row.cells) == "136268252"
    assert next(i for i in record.indicators if i.indicator == "粗钢").unit == "万吨"  # a name without a mark: as before


def test_a_measure_word_that_opens_a_name_ends_the_value_before_it():
    """批 is a measure word (第1批), but 批发和零售业 is a name: the digits before it are the row
    before's value (2023 表7 damaged: 其他服务业158批发和零售业-04 read 158批发 into one name)."""
    from planparse.tables.model import HeaderColumn, Layout
    from planparse.tables.rows import parse_rows

    layout = Layout((HeaderColumn("比上年增长（%）", None, "change", False, "%"),), "none")
    text = "居民服务、修理和其他服务业158批发和零售业-04教育28"
    rows, skipped = parse_rows(text, 0, len(text), layout, damaged=True)
    assert [(row.name, [token.text for token in row.tokens]) for row in rows] == [
        ("居民服务、修理和其他服务业", ["158"]), ("批发和零售业", ["04"]), ("教育", ["28"])]
    assert not skipped
    first15 = "前15家企业营业收入99"
    rows, _ = parse_rows(first15, 0, len(first15), layout, damaged=True)
    assert rows[0].name == "前15家企业营业收入"  # a measure word still keeps a name's digits
