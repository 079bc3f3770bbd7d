"""Body headings (structure/headings.py), one root cause per test: small hand-made inputs, each
failing on the code before its fix (issue 14)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import planparse
from planparse.emit import record_data


def _headings(tmp_path: Path, text: str, suffix: str = ".txt") -> list[tuple[str, int | None, str]]:
    path = tmp_path / f"input{suffix}"
    path.write_text(text, encoding="utf-8")
    record: dict[str, Any] = record_data(planparse.parse(path))
    return [(h["kind"], h["number"], h["title"]) for h in record["headings"]]


_FILE_OF_TWO = """关于机构改革方案的决定
2008年3月15日
会议听取了关于机构改革方案的说明，审议了机构改革方案，决定批准这个方案。会议要求，国务院要加强领导，周密部署，保证机构改革方案的顺利实施。
机构改革方案
新华社北京3月15日电
根据精神，这次机构改革的主要任务是，围绕转变政府职能和理顺部门职责关系，探索实行职能有机统一的大部门体制，合理配置宏观调控部门职能。
（一）合理配置宏观调控部门职能。国家发展和改革委员会要进一步转变职能，减少微观管理事务和具体审批事项，集中精力抓好宏观调控。
（二）加强能源管理机构。设立高层次议事协调机构国家能源委员会，组建国家能源局，由国家发展和改革委员会管理。
---
https://www.example.com/news/2008/03-11/1.shtml
关于机构改革方案的说明
——2008年3月11日在第十一届全国人民代表大会第一次会议上
国务委员兼国务院秘书长　华建敏
各位代表：
现在，我就机构改革方案作说明。根据党中央的部署，经过认真调研，广泛听取意见，反复研究论证，形成了方案，现将有关情况说明如下。
一、合理配置宏观调控部门职能，形成科学权威高效的宏观调控体系
国家发展和改革委员会要进一步转变职能，减少微观管理事务和具体审批事项，集中精力抓好宏观调控。
二、加强能源管理机构，保障国家能源安全
能源问题事关经济社会发展全局，设立高层次议事协调机构国家能源委员会，组建国家能源局。
"""


def test_a_title_line_above_a_dateline_or_subtitle_is_a_heading(tmp_path: Path) -> None:
    """A short line above a dateline (新华社…电) or a —— subtitle is the title; the dateline is
    no heading; a rule or a source address line closes the text before a title (a file that
    holds two documents)."""
    headings = _headings(tmp_path, _FILE_OF_TWO)
    unnumbered = [title for kind, _, title in headings if kind == "unnumbered"]
    assert unnumbered == ["机构改革方案", "关于机构改革方案的说明"]


_REPEATED = ("各位代表：现在，我代表市人民政府，向大会报告工作，请予审议。一、2013年工作回顾过去一年，全市经济平稳较快发展，"
             "地区生产总值增长百分之十。回顾一年来的工作，我们也清醒地看到存在的困难和问题。二、2014年工作安排2014年是全面深化改革的开局之年，"
             "我们将增强信心，攻坚克难。（一）以改革开放为推动，释放经济社会发展活力。以改革推动发展，以开放激发活力。"
             "（二）以扩大内需为抓手，增强经济增长内生动力。抓住宏观经济新机遇，强化项目带动。（三）以产业转型为核心，提升经济发展质量效益。"
             "深入推进产业转型发展行动计划，确保目标任务全面完成。各位代表！让我们团结一心，开拓进取。"
             "二、2014年工作安排2014年是全面深化改革的开局之年，我们将增强信心，攻坚克难。")


def test_a_heading_printed_twice_in_flattened_text_is_kept_twice(tmp_path: Path) -> None:
    """二、2014年工作安排 … 二、2014年工作安排: the same label with the same title again is the
    source's repeat, kept as it stands (it was dropped: 二、 does not continue 一、二、)."""
    headings = _headings(tmp_path, _REPEATED)
    repeats = [title for kind, number, title in headings if kind == "outline1" and number == 2]
    assert len(repeats) == 2 and all(title.startswith("2014年工作安排") for title in repeats)


def _paragraph(words: str, times: int) -> str:
    return "".join(f"{words}第{index}项工作稳步推进，成效明显。" for index in range(times))


def test_a_short_numbered_run_inside_a_heading_is_items_when_the_sequence_goes_on(tmp_path: Path) -> None:
    """一、二、三、四、 then 一、二、三、 inside 四, then 五、: the sequence from before goes on, so the short
    run numbered items of 四 (it was taken for a new sequence, and 五、六、 were lost)."""
    text = ("各位代表：现在，我代表国务院向大会报告工作。"
            + "".join(f"{label}、{title}。{_paragraph(title[:2], 8)}" for label, title in
                      (("一", "当前的经济形势"), ("二", "调整国民经济的方针"), ("三", "加快农业发展")))
            + "四、提高经济效益。要做好以下工作：一、节约能源，降低消耗。" + _paragraph("节能", 3)
            + "二、改革产品结构，提高质量。" + _paragraph("产品", 3) + "三、合理利用资源。" + _paragraph("资源", 3)
            + "".join(f"{label}、{title}。{_paragraph(title[:2], 8)}" for label, title in
                      (("五", "分批整顿企业"), ("六", "增加建设资金"))))
    top = [(number, title) for kind, number, title in _headings(tmp_path, text) if kind == "outline1"]
    assert [number for number, _ in top] == [1, 2, 3, 4, 5, 6], top


def test_a_second_sequence_with_long_sections_is_kept(tmp_path: Path) -> None:
    """A report's review (一、…四、) then its tasks (一、…五、), each task section long: the tasks'
    一、 restarts the numbering although its 二、 and 三、 stand far after it (they were dropped, and
    the tasks' 五、 was read as the review's)."""
    review = "".join(f"{label}、{title}。{_paragraph(title[:2], 10)}" for label, title in
                     (("一", "经济持续快速发展"), ("二", "社会事业明显进步"), ("三", "社会大局保持稳定"),
                      ("四", "政府自身建设切实加强")))
    tasks = "".join(f"{label}、{title}。{_paragraph(title[:2], 200)}" for label, title in
                    (("一", "着力推进经济建设"), ("二", "切实加强社会建设"), ("三", "促进区域协调发展"),
                     ("四", "大力促进社会稳定"), ("五", "加强政府自身建设")))
    text = "各位代表：现在，我代表自治区人民政府向大会报告工作。" + review + tasks
    top = [number for kind, number, _ in _headings(tmp_path, text) if kind == "outline1"]
    assert top == [1, 2, 3, 4, 1, 2, 3, 4, 5], top


def test_an_unnumbered_title_the_body_repeats_is_a_heading_in_flattened_text(tmp_path: Path) -> None:
    """2014年工作回顾2014年，全市… / 2015年工作安排各位代表，2015年是…: a year, a short title, then the
    same year where the body begins. Without a number or a line, the repeat is the evidence (these
    headings were lost in flattened text)."""
    text = ("各位代表：现在，我代表市人民政府，向大会报告工作，请予审议。"
            "2014年工作回顾2014年，面对复杂严峻的形势，全市上下攻坚克难，经济社会保持平稳健康发展。"
            "一、经济运行稳中有进。地区生产总值增长百分之八，财政收入增长百分之十。"
            "二、民生事业持续改善。城乡居民收入稳步增长，社会保障水平不断提高。"
            "2015年工作安排各位代表，2015年是全面深化改革的关键之年，我们要稳中求进，改革创新。"
            "一、推动经济稳定增长。扩大有效投资，促进消费升级。二、保障和改善民生。办好民生实事，兜牢民生底线。")
    unnumbered = [title for kind, _, title in _headings(tmp_path, text) if kind == "unnumbered"]
    assert unnumbered == ["2014年工作回顾", "2015年工作安排"]


def test_a_short_table_row_between_paragraphs_is_no_heading() -> None:
    # 地表水国控断面水质 约束性 -- 持续改善 -- after a category line was read as an unnumbered chapter:
    # the table was cut there without a warning and its remaining rows lost.
    import planparse

    body = "加快建设现代化基础设施体系，推进交通、能源、水利、信息等网络互联互通，强化企业创新主体地位。\n"
    text = ("第一章 发展基础\n" + body + "专栏1 主要指标\n指标 单位 属性 2020年 2025年 年均增长[累计]\n绿色生态\n"
            "地表水国控断面水质 约束性 -- 持续改善 --\n数字经济核心产业增加值 亿元 约束性 2117 3583 11.1\n"
            "千兆光网覆盖率 % 预期性 20.8 44.2 [23.4]\n第二章 重点任务\n" + body)
    record = planparse.parse_text(text)
    assert [heading.title for heading in record.headings] == ["发展基础", "重点任务"]
    assert {"数字经济核心产业增加值", "千兆光网覆盖率"} <= {row.indicator for row in record.indicators}


def test_an_end_notes_heading_in_flattened_text(tmp_path: Path) -> None:
    """名词解释1双高铁…: after the report's closing sentence, a notes heading (structure vocabulary's
    notes_headings) right before its first note; it was lost in flattened text."""
    text = ("各位代表：现在，我代表市人民政府，向大会报告工作，请予审议。"
            "一、过去一年的工作回顾。地区生产总值增长百分之八，财政收入增长百分之十。"
            "二、今年的主要任务。扩大有效投资，促进消费升级，办好民生实事。"
            "让我们团结一心，为建设现代化城市而努力奋斗！"
            "名词解释1双高铁：两条高速铁路的简称。2六未项目：在谈未签约的项目。")
    unnumbered = [title for kind, _, title in _headings(tmp_path, text) if kind == "unnumbered"]
    assert unnumbered == ["名词解释"]


def test_a_short_outline_title_before_a_year_is_a_heading_of_its_chapter(tmp_path: Path) -> None:
    """目录…第二章经济增长率和经济效益（一）工农业总产值1990年工农业总产值，按照…: under a TOC of 章,
    a flattened （一） right after its chapter's title opens its sequence (it was dropped as inline,
    and its （二）（三） with it); the year that opens the body and repeats the title makes its title sure."""
    text = ("目录第一章主要任务第二章经济增长率和经济效益第三章国民收入的生产和分配"
            "第一章主要任务今后五年的主要任务是坚持改革，发展生产，改善人民生活。"
            "第二章经济增长率和经济效益（一）工农业总产值1990年工农业总产值，按照1980年不变价格计算，"
            "达到一万六千亿元，平均每年增长百分之七。（二）国民生产总值1990年国民生产总值，按照1985年价格计算，"
            "达到一万一千亿元，平均每年增长百分之七。（三）经济效益1990年经济效益要有明显提高，物质消耗有所下降。"
            "第三章国民收入的生产和分配国民收入的增长要同生产的增长相适应。（一）国民收入1990年国民收入达到"
            "九千亿元，平均每年增长百分之七。（二）居民消费水平1990年居民消费水平平均每年提高百分之五。")
    found = _headings(tmp_path, text)
    assert [title for kind, _, title in found if kind == "outline2"] == [
        "工农业总产值", "国民生产总值", "经济效益", "国民收入", "居民消费水平"], found


def test_opening_list_of_parts_needs_two_items_in_turn() -> None:
    """第一部分是…；第二部分是… names the parts; a lone 第一部分是… (a reference) names none, nor does
    a list that does not open with 1."""
    from planparse.structure.headings import preview_titles

    assert [title for _, title in preview_titles("报告分两个部分：第一部分是经济建设的成就；第二部分是今后的主要任务。")] \
        == ["经济建设的成就", "今后的主要任务"]
    assert preview_titles("报告的第一部分是经济建设的成就。其他内容从略。") == []
    assert preview_titles("第二部分是经济建设的成就；第三部分是今后的主要任务。") == []


def test_numbered_list_after_colon_is_kept_when_the_outer_sequence_does_not_resume(tmp_path: Path) -> None:
    """A list after a colon is the document's headings when no outer sequence takes up its next
    number after it (69 real headings of the corpus follow a colon)."""
    text = ("某市人民政府工作报告各位代表：现在我代表市人民政府向大会报告工作，请予审议。今年要重点抓好以下工作："
            "一、稳定经济增长全年地区生产总值增长百分之六左右，投资保持稳定增长。二、深化改革开放推进国资国企改革，"
            "持续优化营商环境。三、保障改善民生做好就业和社会保障工作，办好人民满意的教育。")
    assert [number for _, number, _ in _headings(tmp_path, text)] == [1, 2, 3]
