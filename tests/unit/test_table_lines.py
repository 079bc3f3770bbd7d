"""Intact tables of line-broken text read line by line (planparse.tables.lines): every printed
digit lands in the record, what was guessed is warned."""

from __future__ import annotations

import re

import planparse

_HEAD = "全国统计公报\n中华人民共和国国家统计局\n一、综合\n全年居民消费价格比上年上涨5.9%。\n"


def _digits(record: planparse.models.PlanRecord) -> list[str]:  # type: ignore[name-defined]
    found = []
    for table in record.tables:
        found += [column.path for column in table.columns] + list(table.notes)
        found += [cell.text for row in table.rows for cell in row.cells if not cell.merged]
    return re.findall(r"\d+", " ".join(found))


def test_a_wrapped_letter_spaced_header_is_read() -> None:
    text = _HEAD + ("表1 2008年居民消费价格比上年涨跌幅度\n单位：%\n指 标 全 国\n城 市 农 村\n"
                    "居民消费价格 5.9 5.6 6.5\n食 品 14.3 14.5 14.0\n其中：粮食 7.0 7.2 6.7\n"
                    "全年国内生产总值300670亿元，比上年增长9.0%，经济运行总体平稳。\n")
    record = planparse.parse_text(text)
    table = next(table for table in record.tables if table.table == "表1")
    assert table.kind == "generic"
    assert [column.path for column in table.columns] == ["指标", "全国", "城市", "农村"]
    assert [(row.label, [cell.value for cell in row.cells[1:]]) for row in table.rows] == [
        ("居民消费价格", [5.9, 5.6, 6.5]), ("食品", [14.3, 14.5, 14.0]), ("其中：粮食", [7.0, 7.2, 6.7])]
    assert any(w.code == "table_header_uncertain" for w in record.warnings)  # the even split is a guess
    assert sorted(_digits(record)) == sorted(re.findall(r"\d+", "5.9 5.6 6.5 14.3 14.5 14.0 7.0 7.2 6.7"))


def test_a_percent_sign_after_a_label_is_its_unit_and_a_unit_column_is_read() -> None:
    # 表2 row 1 纱: 2 cells for 3 columns (比上年增长% had been read as two labels, cells left unread).
    text = _HEAD + ("表2 2008年主要工业产品产量及其增长速度\n产品名称 单 位 产 量 比上年增长%\n纱 万吨 2148.9 3.9\n"
                    "卷 烟 亿支 22198.8 3.5\n化 肥（折100%） 万吨 6012.7 3.2\n"
                    "全年国内生产总值300670亿元，比上年增长9.0%，经济运行总体平稳。\n")
    record = planparse.parse_text(text)
    assert not [w for w in record.warnings if w.code in ("indicator_unsolved", "table_text_skipped")]
    assert [(i.indicator, i.unit, [c.raw for c in i.cells]) for i in record.indicators if i.table == "表2"] == [
        ("纱", "万吨", ["2148.9", "3.9"]), ("卷烟", "亿支", ["22198.8", "3.5"]), ("化肥（折100%）", "万吨", ["6012.7", "3.2"])]
    table = next(table for table in record.tables if table.table == "表2")
    assert [(column.path, column.role) for column in table.columns] == [("产量", "value"), ("比上年增长%", "change")]


def test_a_header_starts_a_line_and_the_next_caption_ends_the_table() -> None:
    # 行业 inside the title (2014年分行业…) is no header; 表5 right after 表4's last row is a table of its own.
    text = _HEAD + ("表4 2014年分行业固定资产投资及其增长速度\n行 业  投资额（亿元）  比上年增长（%）\n总 计  502005  15.7\n"
                    "采矿业  14681  0.7\n表5 2014年固定资产投资新增主要生产与运营能力\n指标  单位  绝对数\n"
                    "新增220千伏及以上变电设备  万千伏安  22394\n新建铁路投产里程  公里  8427\n"
                    "全年国内生产总值636463亿元，比上年增长7.4%，经济运行总体平稳。\n")
    record = planparse.parse_text(text)
    tables = {table.table: table for table in record.tables}
    assert tables["表4"].title == "2014年分行业固定资产投资及其增长速度"
    assert [(i.indicator, [c.raw for c in i.cells]) for i in record.indicators if i.table == "表4"] == [
        ("总计", ["502005", "15.7"]), ("采矿业", ["14681", "0.7"])]
    assert [[cell.text for cell in row.cells] for row in tables["表5"].rows] == [
        ["新增220千伏及以上变电设备", "万千伏安", "22394"], ["新建铁路投产里程", "公里", "8427"]]


def test_an_intact_table_of_whole_numbers_is_not_read_as_damaged() -> None:
    # No '.', '%' or '[' in the rows, one value column: the lines and spaces say the cells are intact.
    text = _HEAD + ("表8 2023年固定资产投资新增主要生产与运营能力\n指标  单位  绝对数\n新建铁路投产里程  公里  3637\n"
                    "其中：高速铁路  公里  2776\n新增民用运输机场  个  5\n"
                    "全年国内生产总值1260582亿元，比上年增长5.2%，经济运行总体平稳。\n")
    record = planparse.parse_text(text)
    assert not [w for w in record.warnings if w.code.startswith("indicator_")]
    table = next(table for table in record.tables if table.table == "表8")
    assert [row.cells[-1].value for row in table.rows] == [3637, 2776, 5]


def test_a_grid_caption_glued_to_its_year() -> None:
    markdown = ("# 统计公报\n\n## 一、综合\n\n全年货物进出口总额264334亿元。\n\n"
                "| **表102014年对主要国家和地区货物进出口额** | | |\n| --- | --- | --- |\n| 国家和地区 | 出口额（亿元） | 比上年增长（%） |\n"
                "| 欧盟 | 22787 | 8.3 |\n| 美国 | 24328 | 6.4 |\n")
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / "report.md"
    path.write_text(markdown, encoding="utf-8")
    record = planparse.parse(path)
    table = record.tables[0]
    assert (table.table, table.title) == ("表10", "2014年对主要国家和地区货物进出口额")


def test_a_table_read_line_by_line_is_one_table_at_its_source_offset() -> None:
    # Markup before the table moves clean offsets away from the source's: the lined table kept its
    # clean offset, so its warnings pointed at the next table and the block was read a second time.
    text = "# " + _HEAD + ("表1 2008年居民消费价格比上年涨跌幅度\n单位：%\n指 标 全 国\n城 市 农 村\n"
                           "居民消费价格 5.9 5.6 6.5\n食 品 14.3 14.5 14.0\n"
                           "全年国内生产总值300670亿元，比上年增长9.0%，经济运行总体平稳。\n")
    record = planparse.parse_text(text)
    tables = [table for table in record.tables if table.table == "表1"]
    assert len(tables) == 1
    assert tables[0].offset == text.index("指 标")  # a text table starts at its header, as a solved one does


def test_a_header_wrapped_over_two_lines_of_unknown_labels_names_every_value_column() -> None:
    # 2024 communiqué 表2: 指标 全国 / 城市 农村 (no letter-spacing); 城市 农村 was read as a parent row
    # and the header as one column 指标 全国 over 列1..列3.
    text = _HEAD + ("表2 2024年居民消费价格比上年涨跌幅度\n单位：%\n指标 全国\n城市 农村\n"
                    "居民消费价格 0.2 0.2 0.3\n衣着 1.4 1.6 0.9\n居住[10] 0.1 0.1 0.1\n"
                    "全年国内生产总值300670亿元，比上年增长9.0%，经济运行总体平稳。\n")
    record = planparse.parse_text(text)
    table = next(table for table in record.tables if table.table == "表2")
    assert [column.path for column in table.columns] == ["指标", "全国", "城市", "农村"]
    assert [(row.kind, row.label, [cell.value for cell in row.cells[1:]]) for row in table.rows] == [
        ("data", "居民消费价格", [0.2, 0.2, 0.3]), ("data", "衣着", [1.4, 1.6, 0.9]), ("data", "居住[10]", [0.1, 0.1, 0.1])]


def test_a_note_mark_glued_to_a_label_is_no_cell() -> None:
    # 2014 communiqué 表5 (text): 其中：高速铁路[20]  公里  5491 gave a cell [20] = 20 at confidence 1.0
    # and lost 5491 to a row named 公里.
    text = _HEAD + ("表5 2014年固定资产投资新增主要生产与运营能力\n指标  单位  绝对数\n新增220千伏及以上变电设备  万千伏安  22394\n"
                    "新建铁路投产里程  公里  8427\n其中：高速铁路[20]  公里  5491\n电气化铁路投产里程  公里  8653\n"
                    "全年国内生产总值636463亿元，比上年增长7.4%，经济运行总体平稳。\n")
    record = planparse.parse_text(text)
    assert not [i for i in record.indicators if any(c.raw == "[20]" for c in i.cells)]
    table = next(table for table in record.tables if table.table == "表5")
    assert [[cell.text for cell in row.cells] for row in table.rows][2] == ["其中：高速铁路[20]", "公里", "5491"]
    assert sorted(_digits(record)) == sorted(re.findall(r"\d+", "220 22394 8427 20 5491 8653"))


def test_a_header_of_bare_years_is_a_table_header() -> None:
    # 2002 communiqué 表6/表11/表13: years printed without 年 (1998 … 2002 1998-2002); the caption
    # was not confirmed as a table and its rows were left in the prose.
    text = _HEAD + ("表6. 五年来全国基本建设投资新增主要生产能力\n指        标 单  位 1998 1999 2000 2001 2002 1998-2002\n"
                    "大中型发电机组容量 万千瓦 1839 1891 1934 1516 1165 8345\n新建铁路投产里程 公里 1105 1242 655 1246 1696 5944\n"
                    "其中：高速公路 公里 1663 2639 4467 3149 5545 17463\n"
                    "全年国内生产总值300670亿元，比上年增长9.0%，经济运行总体平稳。\n")
    record = planparse.parse_text(text)
    rows = {i.indicator: (i.unit, [c.value for c in i.cells]) for i in record.indicators if i.table == "表6"}
    assert rows == {"大中型发电机组容量": ("万千瓦", [1839, 1891, 1934, 1516, 1165, 8345]),
                    "新建铁路投产里程": ("公里", [1105, 1242, 655, 1246, 1696, 5944]),
                    "其中：高速公路": ("公里", [1663, 2639, 4467, 3149, 5545, 17463])}
    assert [c.column for c in record.indicators[0].cells] == ["1998", "1999", "2000", "2001", "2002", "1998-2002"]


def test_years_that_do_not_run_in_order_are_no_header() -> None:
    from planparse.tables.header import scan_labels

    line = "指标 2002 1998 2000"
    assert [label.text for label in scan_labels(line, 0, len(line), frozenset({len(line)}))] == ["指标"]
    line = "指标 1998 1999 1998-1999"
    assert [label.text for label in scan_labels(line, 0, len(line), frozenset({len(line)}))] == ["指标", "1998", "1999", "1998-1999"]


def test_a_dash_in_the_unit_column_is_the_units_cell() -> None:
    # 2023 communiqué 表11: 纺织纱线、织物及其制品 — — — 9454 -3.1 (no unit, no quantity): the unit's dash
    # was read as the first value and every figure of the row sat one column to the right.
    text = _HEAD + ("表11 2023年主要商品出口数量、金额及其增长速度\n商品名称 单位 数量 比上年增长（%） 金额（亿元） 比上年增长（%）\n"
                    "钢材 万吨 9026 36.2 5929 -3.4\n纺织纱线、织物及其制品 — — — 9454 -3.1\n鞋靴 万双 891424 -2.5 3470 -8.0\n"
                    "全年国内生产总值300670亿元，比上年增长9.0%，经济运行总体平稳。\n")
    record = planparse.parse_text(text)
    table = next(table for table in record.tables if table.table == "表11")
    assert len(table.columns) == 6
    assert [cell.text for cell in table.rows[1].cells] == ["纺织纱线、织物及其制品", "—", "—", "—", "9454", "-3.1"]
    assert not [w for w in record.warnings if w.code == "grid_row_ragged"]


def test_a_header_line_without_a_caption_starts_a_table() -> None:
    # No 表N caption: the rows had stayed in the prose, lost without a warning.
    text = _HEAD + ("二、农业\n全年粮食产量比上年增加。主要牲畜的存栏数如下：\n种类 2007年数 2008年数 2008年为2007年的百分比\n"
                    "马 613 834 136\n牛 5660 7361 130\n骡 164 197 121\n"
                    "全年国内生产总值300670亿元，比上年增长9.0%，经济运行总体平稳。\n")
    record = planparse.parse_text(text)
    assert len(record.tables) == 1
    assert [column.path for column in record.tables[0].columns] == ["2007年数", "2008年数", "2008年为2007年的百分比"]
    assert [(i.indicator, [c.raw for c in i.cells]) for i in record.indicators] == [
        ("马", ["613", "834", "136"]), ("牛", ["5660", "7361", "130"]), ("骡", ["164", "197", "121"])]


def test_prose_lines_with_figures_are_no_caption_less_table() -> None:
    # A line that opens with a name label and a year (地区 2008年) but holds sentence marks is prose,
    # even when lines of figures follow it (without the check it became a table's header).
    text = _HEAD + ("二、地区\n地区 2008年 增长情况，东部地区快于西部地区。\n"
                    "东部 10.2 11.3\n西部 9.1 8.7\n全年国内生产总值300670亿元，比上年增长9.0%，经济运行总体平稳。\n")
    record = planparse.parse_text(text)
    assert record.tables == []


def test_cells_printed_with_their_unit_are_value_cells() -> None:
    # 72.6亿度（千瓦小时） had been read into the row's name, leaving one cell for three columns.
    text = _HEAD + ("表1 2008年主要工业品产量\n产品名称 2007年产量 2008年产量 2008年为2007年的百分比\n"
                    "发电量 72.6亿度（千瓦小时） 159亿度（千瓦小时） 219\n原煤 6352万吨 11298.5万吨 178\n"
                    "原木 1002万立方公尺 2000万立方公尺 200\n"
                    "全年国内生产总值300670亿元，比上年增长9.0%，经济运行总体平稳。\n")
    record = planparse.parse_text(text)
    assert [(i.indicator, [c.raw for c in i.cells]) for i in record.indicators] == [
        ("发电量", ["72.6", "159", "219"]), ("原煤", ["6352", "11298.5", "178"]), ("原木", ["1002", "2000", "200"])]


def test_a_caption_less_header_with_labels_the_lexicon_does_not_know_beside_dated_ones() -> None:
    # 人数 after 2007年 and 五年内增加人数 are unknown labels: the dated columns vouch for the header line.
    text = _HEAD + ("二、就业\n城镇就业人员的分配如下：\n类别 2007年人数 五年内增加人数 2012年人数 2012年为2007年的百分比\n"
                    "总 计 1012.4 536.0 1548.4 152.9\n工 业 286.4 227.2 513.5 179.3\n"
                    "全年国内生产总值300670亿元，比上年增长9.0%，经济运行总体平稳。\n")
    record = planparse.parse_text(text)
    assert len(record.tables) == 1
    rows = [(row.label, [cell.text for cell in row.cells][-4:]) for row in record.tables[0].rows if row.kind == "data"]
    rows += [(i.indicator, [c.raw for c in i.cells]) for i in record.indicators]
    assert rows == [("总计", ["1012.4", "536.0", "1548.4", "152.9"]), ("工业", ["286.4", "227.2", "513.5", "179.3"])]


def test_side_by_side_panels_are_read_one_row_per_panel() -> None:
    # 2023 表7 (行业 | 比上年增长 | 行业 | 比上年增长; a note mark [42] sends it to the line reader) came back as one row per line with four
    # columns, the right panel's 金融业 a "note": its rows were missing from the record.
    text = _HEAD + ("表7 2023年分行业固定资产投资（不含农户）增长速度\n行业 比上年增长（%） 行业 比上年增长（%）\n"
                    "总计 3.0 金融业 -11.9\n制造业 6.5 房地产业[42] -8.1\n建筑业 22.5 住宿和餐饮业 8.2\n"
                    "全年国内生产总值300670亿元，比上年增长9.0%，经济运行总体平稳。\n")
    record = planparse.parse_text(text)
    table = next(table for table in record.tables if table.table == "表7")
    assert [column.path for column in table.columns] == ["行业", "比上年增长（%）"]
    assert [(row.label, [cell.value for cell in row.cells[1:]]) for row in table.rows] == [
        ("总计", [3.0]), ("金融业", [-11.9]), ("制造业", [6.5]), ("房地产业[42]", [-8.1]), ("建筑业", [22.5]), ("住宿和餐饮业", [8.2])]
    assert sorted(_digits(record)) == sorted(re.findall(r"\d+", "3.0 -11.9 6.5 42 -8.1 22.5 8.2"))


def test_a_tables_last_row_after_a_short_row_is_a_row_and_a_short_sentence_after_it_is_prose() -> None:
    # 2023 表8: ``新增光缆线路长度 万公里 474`` after the short row ``新增民用运输机场 个 5`` was taken
    # for an unnumbered heading (a short line under a short line) and lost without a word; and a
    # short sentence after a table (28 characters) was read as its last row.
    rows = ("指标 单位 绝对数\n新建铁路投产里程 公里 3637\n新增民用运输机场 个 5\n新增光缆线路长度 万公里 474\n\n")
    text = ("2023年国民经济和社会发展统计公报\n\n一、综合\n\n全年国内生产总值1260582亿元，比上年增长5.2%。\n\n"
            "表8 2023年固定资产投资新增主要生产与运营能力\n\n" + rows + "全年房地产开发投资110913亿元，比上年下降9.6%。\n")
    record = planparse.parse_text(text)
    assert [row.label for table in record.tables for row in table.rows] == ["新建铁路投产里程", "新增民用运输机场", "新增光缆线路长度"]
    assert [heading.title for heading in record.headings] == ["综合"]


def test_words_in_parentheses_that_hold_no_unit_stay_in_the_name() -> None:
    # 2010 表7's last row ``进出口差额（出口减进口） 1831 —`` was read as 进出口差额 in the unit
    # 出口减进口, so the row matched no name; （万吨） and a stripped （%） stay units.
    from planparse.tables.rows import _names_no_unit

    assert _names_no_unit("出口减进口")
    assert not _names_no_unit("万吨") and not _names_no_unit("") and not _names_no_unit("亿元")
    text = _HEAD + ("表7 2010年货物进出口总额及其增长速度\n单位：亿美元\n指标 绝对数 比上年增长%\n"
                    "货物进出口总额 29728 34.7\n货物出口额 15779 31.3\n进出口差额（出口减进口） 1831 —\n\n"
                    "全年国内生产总值300670亿元，比上年增长9.0%，经济运行总体平稳。\n")
    record = planparse.parse_text(text)
    names = [row.label for table in record.tables for row in table.rows] + [row.indicator for row in record.indicators]
    assert "进出口差额（出口减进口）" in names


_BOX_HEAD = ("滨海市“十四五”规划\n第一章发展基础\n第一节发展成就\n" + "坚持稳中求进工作总基调，推动高质量发展取得新成效。" * 4 + "\n")
_BOX_TAIL = "注：①[ ]内为5年累计数。\n第二章重点任务\n" + "深入实施创新驱动发展战略，强化企业创新主体地位。" * 4 + "\n"


def test_a_category_row_over_a_parent_row_is_no_heading_and_the_rows_under_them_stay_in_the_table() -> None:
    # tablegen unit_col 7016: 创新驱动 (a category row) over 空气质量 (a parent row) read as an
    # unnumbered heading (a short line under a short line, a long line after it): the table ended
    # there and its last six rows were lost without a word.
    text = _BOX_HEAD + ("专栏1滨海市“十四五”时期主要指标\n指标 单位 属性 2020年 2025年 年均增长[累计]\n经济发展\n"
                        "旅游总收入 亿元 预期性 5164 8241 9.8\n创新驱动\n空气质量\n"
                        "地级城市空气质量优良天数比率 % 约束性 86.9 90.7 [3.8]\nPM2.5浓度达标天数比例 % 约束性 83.5 85.3 [1.8]\n"
                        "外贸进出口总额 亿美元 预期性 1193 1650 6.7\n") + _BOX_TAIL
    record = planparse.parse_text(text)
    assert [row.indicator for row in record.indicators] == [
        "旅游总收入", "地级城市空气质量优良天数比率", "PM2.5浓度达标天数比例", "外贸进出口总额"]
    assert [cell.value for cell in record.indicators[-1].cells] == [1193, 1650, 6.7]
    assert "空气质量" not in [heading.title for heading in record.headings]


def test_word_cells_where_values_stand_are_value_cells() -> None:
    # tablegen review 19 and note_col 41: a word cell before the values (达到国家要求 -- 完成 --) was
    # read into the row's name and the cells shifted left; one after them (-- -- 完成国家下达任务
    # 以2020年为基期) went to the note column, and the row was lost.
    review = ("专栏1临江区“十二五”时期主要指标完成情况\n指标 属性 规划目标 实际完成 2015年 年均增长（%） 2015年 年均增长（%）\n"
              "外贸进出口总额（亿美元） 预期性 1966 5.1 1838 3.7\n新增4A级以上旅游景区（个） 约束性 -- [9] -- [8]\n"
              "重要江河湖泊水功能区水质达标率（%） 预期性 达到国家要求 -- 完成 --\n粮食产量（万吨） 预期性 >330 -- 323 --\n"
              "5G基站数（万个） 预期性 5.2 20.1 5.3 20.4\n")
    notes = ("专栏1北川市“十四五”时期主要指标\n指标 2020年 2025年 年均增长[累计] 备注\n"
             "（1）县级以上城市建成区黑臭水体消除比例（%） 74.9 90.6 [15.7] 五年累计数\n"
             "（2）城乡居民收入增长（%） -- 与经济增长同步 --\n（3）新增高标准农田（万亩） -- -- [439] 以2020年为基期\n"
             "（4）PM2.5年均浓度下降（%） -- -- 完成国家下达任务 以2020年为基期\n")
    record = planparse.parse_text(_BOX_HEAD + review + _BOX_TAIL)
    cells = {row.indicator: [(cell.value, cell.text) for cell in row.cells] for row in record.indicators}
    assert cells["重要江河湖泊水功能区水质达标率"] == [(None, "达到国家要求"), (None, None), (None, "完成"), (None, None)]
    assert {row.indicator: row.attribute for row in record.indicators}["重要江河湖泊水功能区水质达标率"] == "预期性"
    record = planparse.parse_text(_BOX_HEAD + notes + _BOX_TAIL)
    cells = {row.indicator: [(cell.value, cell.text) for cell in row.cells] for row in record.indicators}
    assert cells["PM2.5年均浓度下降"] == [(None, None), (None, None), (None, "完成国家下达任务")]
