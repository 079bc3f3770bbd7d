"""The prose stage: numbers in damaged prose restored with a confidence, or flagged."""

from __future__ import annotations

import re

import pytest

from planparse import parse_text, prose
from planparse.damage import strip_like_seed
from planparse.document import Damage, DamageSignal, Paragraph, Skeleton
from planparse.load import load_text
from planparse.normalize import normalize
from planparse.text.damage import detect_damage
from planparse.text.pages import paged_without_detection
from planparse.toc import scan_front_matter
from tests.plans import SMALL_PLAN

# Enough numbers for the damage stage to tell that decimals were stripped (it needs 30).
_REVIEW = (
    "全市地区生产总值4521亿元，比上年增长6.1%；一般公共预算收入312亿元，增长5.3%；"
    "城镇新增就业11.8万人，城镇登记失业率为3.2%；服务业增加值比重达到47.4%。"
    "2020年末常住人口1184万人，共建成学校36所。"
)
STRIPPED = Damage((DamageSignal("decimals_stripped", True, 0.99, "test"),))
INTACT = Damage((DamageSignal("decimals_stripped", False, 0.99, "test"),))


def _damaged_plan() -> str:
    text = SMALL_PLAN.replace("到2025年，生态环境质量持续改善。", "到2025年，森林覆盖率达到32.0%，城镇污水处理率达到95.0%。")
    text = text.replace("推进污染治理。重点流域水质明显改善。", "推进污染治理。" + _REVIEW * 4)
    return strip_like_seed(text)


def _paragraph_texts(record: object) -> str:
    return " ".join(p.text for c in record.chapters for s in c.sections for p in s.paragraphs)  # type: ignore[attr-defined]


def _stage(text: str, damage: Damage = STRIPPED) -> prose.ProseResult:
    """The prose stage alone on ``text`` read as one paragraph."""
    source = load_text(text)
    norm = normalize(source)
    paged = paged_without_detection(norm, scan_front_matter(norm), ())
    body = Paragraph(paged.text, 0, len(paged.text), None, None)
    return prose.repair_prose(Skeleton("none", (body,), (), (), (), (), ()), paged, (), damage)


def test_prose_numbers_get_their_decimal_point_back_or_are_flagged() -> None:
    text = _damaged_plan()
    record = parse_text(text)
    restored = {repair.before: repair.after for repair in record.repairs if repair.kind in ("decimal", "percent")}
    assert restored["320"] == "32.0%"  # its table says 32.0 (at 0.96)
    texts = _paragraph_texts(record)
    assert "达到32.0%" in texts and "达到320" not in texts
    flagged = " ".join(w.message for w in record.warnings if w.code == "prose_number_unverified")
    # Its table cell is uncertain itself: restored at the table's reading, or flagged, never wrong.
    assert restored.get("950", "95.0%") == "95.0%" and ("950" in restored or "处理率达到950 (95.0%" in flagged)
    truth = {"61": "6.1%", "53": "5.3%", "474": "47.4%", "32": "3.2%", "118": "11.8"}
    for digits, after in truth.items():
        assert restored.get(digits, after) == after  # never restored to a wrong reading …
        assert digits in restored or f"{digits} (" in flagged  # … nor silently kept
    for repair in record.repairs:
        if repair.kind in ("decimal", "percent"):
            assert 0.8 <= repair.confidence <= 1.0
            assert repair.after.replace(".", "").rstrip("%") == repair.before  # digits never change
            assert text[repair.offset : repair.offset + len(repair.before)] == repair.before
            assert all(alternative.score <= repair.confidence for alternative in repair.alternatives)


def test_counts_and_years_stay_whole() -> None:
    record = parse_text(_damaged_plan())
    texts = _paragraph_texts(record)
    assert "常住人口1184万人" in texts and "2020年末" in texts and "建成学校36所" in texts
    changed = {repair.before for repair in record.repairs if repair.kind in ("decimal", "percent")}
    assert not changed & {"1184", "2020", "36", "4521", "2025"}


def test_seed_keeps_its_four_prose_repairs(seed_text: str) -> None:
    record = parse_text(seed_text)
    restored = {(repair.before, repair.after) for repair in record.repairs if repair.kind in ("decimal", "percent")}
    assert restored == {("62", "6.2%"), ("21", "2.1%"), ("69", "6.9"), ("474", "47.4%")}
    values = {cell.value for row in record.indicators for cell in row.cells if cell.value is not None}
    for repair in record.repairs:
        if repair.kind == "decimal":
            assert float(repair.after.rstrip("%")) in values
            assert seed_text[repair.offset : repair.offset + len(repair.before)] == repair.before


def test_nothing_changes_where_decimals_were_not_stripped() -> None:
    intact = _REVIEW * 4
    for damage in (INTACT, None):
        result = _stage(strip_like_seed(intact), damage) if damage else _stage(strip_like_seed(intact), Damage())
        assert result == prose.ProseResult((), (), ())
    record = parse_text(SMALL_PLAN.replace("推进污染治理。重点流域水质明显改善。", "推进污染治理。" + _REVIEW * 4))
    assert not [repair for repair in record.repairs if repair.kind in ("decimal", "percent")]
    assert not [warning for warning in record.warnings if warning.code.startswith("prose_")]
    assert "增长6.1%" in _paragraph_texts(record)


@pytest.mark.parametrize(
    ("sentence", "digits", "after"),
    [
        ("全年粮食产量比上年增长107，", "107", "10.7%"),  # an annual growth rate is small
        ("服务业增加值比重达到474，", "474", "47.4%"),  # a share lies within 0–100
        ("常住人口城镇化率为6060，", "6060", "60.60%"),  # a share with two decimals
        ("比上年末提高102个百分点，", "102", "1.02"),  # a share moves by a few points a year
    ],
)
def test_context_decides_where_the_point_goes(sentence: str, digits: str, after: str) -> None:
    text = sentence + "城镇新增就业1184万人，年末共有学校36所。" * 3
    result = _stage(text)
    found = {(edit.after) for edit in result.edits if text[edit.start : edit.end] == digits}
    number = next(n for n in result.numbers if n.digits == digits)
    assert number.best[0].shown == after
    assert found <= {after}


def test_thousands_groups_are_read_as_printed() -> None:
    text = "第一产业1990年达到3，060亿元，比上年增长79。" * 4
    result = _stage(text)
    groups = [number for number in result.numbers if number.digits in ("3", "060")]
    assert groups and all(number.best[0].as_printed and number.best[1] >= 0.99 for number in groups)
    assert not [edit for edit in result.edits if text[edit.start : edit.end] in ("3", "060")]


def test_uncertain_numbers_are_named_in_a_warning_with_their_offsets() -> None:
    text = "全年化学纤维产量2215万吨，棉花产量3598万吨，增长31。" * 2
    result = _stage(text)
    warnings = [warning for warning in result.warnings if warning.code == "prose_number_unverified"]
    assert warnings
    named = [(digits, int(offset)) for digits, offset in re.findall(r"(\d+) \([^()]*\) at (\d+)", warnings[0].message)]
    assert named
    count = int(warnings[0].message.split(" ", 1)[0])
    assert count == len(named)
    for digits, offset in named:
        assert text[offset : offset + len(digits)] == digits
    restored = {edit.start for edit in result.edits}
    assert not restored & {offset for _, offset in named}


def test_many_flagged_numbers_are_split_over_warnings() -> None:
    text = "产量2215万吨，" * 250
    result = _stage(text, STRIPPED)
    flagged = [w for w in result.warnings if w.code == "prose_number_unverified"]
    named = sum(len(re.findall(r" at \d+", w.message)) for w in flagged)
    assert len(flagged) >= 2 and all(w.message.startswith(f"{named} numbers") for w in flagged)


def test_a_run_beside_a_removed_page_number_is_not_restored() -> None:
    from planparse.text.pages import remove_page_numbers

    page = "规划纲要实施进展顺利各项事业全面发展人民生活持续改善" * 12
    text = "".join(f"{number}{page}全市粮食产量增长107，" for number in range(1, 9))
    # Page 10 glued to the number (its page begins right after it); pages 11 and 12 follow, so
    # the chain vouches for page 10.
    text += "9" + page + "全市粮食产量增长107" + "10" + page + "11" + page + "12" + page
    source = load_text(text)
    norm = normalize(source)
    paged = remove_page_numbers(norm, scan_front_matter(norm))
    body = Paragraph(paged.text, 0, len(paged.text), None, None)
    result = prose.repair_prose(Skeleton("none", (body,), (), (), (), (), ()), paged, (), STRIPPED)
    assert any(marker.digits == "10710" and marker.page == 10 for marker in paged.markers)
    cut = [number for number in result.numbers if paged.to_normalized(number.start) == norm.text.rfind("107")]
    assert cut and cut[0].best[0].shown.startswith("10.7")
    restored = {edit.start for edit in result.edits}
    assert cut[0].start not in restored  # its digits are not certain: flagged instead
    assert len(restored) == 8  # the same sentence elsewhere, away from page numbers, is restored
    assert any(f"at {source.text.rfind('107')}" in w.message for w in result.warnings)


def test_readings_of_a_digit_run() -> None:
    context = prose.NumberContext("-", "growth", "punct", False)
    shown = [reading.shown for reading in prose.readings("107", context)]
    assert shown == ["107", "107%", "10.7", "10.7%", "1.07", "1.07%", "107"]
    assert [reading.decimals for reading in prose.readings("05", context)] == [1, 1, -1]
    assert [reading.decimals for reading in prose.readings("000", context)] == [-1]
    with_unit = prose.NumberContext("-", "-", "万人", True)
    assert not any(reading.percent for reading in prose.readings("1184", with_unit))


def test_context_words() -> None:
    text = "第三产业增加值534233亿元，比上年增长69，占国内生产总值比重为539，城镇新增就业1184万人以上"
    assert prose.context_of(text, 7, 13)[:4] == ("amount", "-", "亿元", True)  # 增加 in 增加值 is no verb
    at = text.index("69")
    assert prose.context_of(text, at, at + 2)[:4] == ("-", "growth", "punct", False)
    at = text.index("539")
    assert prose.context_of(text, at, at + 3)[:4] == ("share", "target", "punct", False)
    at = text.index("1184")
    assert prose.context_of(text, at, at + 4)[:4] == ("amount", "target", "万人", True)


def test_calibration_maps_are_monotone_and_bounded() -> None:
    stats = prose.statistics()
    assert set(stats.calibration) == {"keep", "restore", "other"}
    for kind, knots in stats.calibration.items():
        calibrated = [y for _, y in knots]
        assert calibrated == sorted(calibrated), kind
        assert all(0.0 < y < 1.0 for y in calibrated)
    best = prose.Reading(1, True, 10.7, "10.7%")
    values = [prose.apply_calibration(stats.calibration, best, p / 20) for p in range(21)]
    assert values == sorted(values)


def test_the_same_text_gives_the_same_judgement() -> None:
    text = strip_like_seed(_REVIEW * 3)
    assert _stage(text) == _stage(text)


def test_a_surviving_per_mille_sign_is_no_evidence_that_decimals_survived() -> None:
    sentence = "全年国内生产总值990865亿元，比上年增长61，第一产业增加值70467亿元，增长31。"
    text = sentence * 60 + "全年出生率为1048‰，死亡率为714‰。"  # long enough to show its lost line breaks
    source = load_text(text)
    assert detect_damage(source, normalize(source)).has("decimals_stripped")
    intact = load_text(text.replace("增长61", "增长6.1%"))
    assert not detect_damage(intact, normalize(intact)).has("decimals_stripped")


def _indicator(name: str, column: str, value: float, confidence: float, alternatives: list[tuple[float, bool, float]]) -> object:
    from planparse import models

    cell = models.Cell(column=column, column_index=1, raw="", value=value, comparator=None, cumulative=None, text=None,
                       confidence=confidence, alternatives=[models.Alternative(value=v, cumulative=c, score=s) for v, c, s in alternatives])
    return models.Indicator(box=1, table=None, row=1, number=None, group=None, category=None, indicator=name, indicator_raw=name,
                            unit=None, attribute=None, page=None, offset=0, cells=[cell])


def test_a_table_cell_whose_runner_up_repeats_its_value_gives_no_probability_above_one() -> None:
    # Bug: a cell read 2.1 (0.9) with the runner-up 2.1 [cumulative] (0.4) gave the prose reading
    # 2.1 a mass of 1.3, a confidence of 1.07, and the record failed validation.
    text = "研究与试验发展经费投入强度达到21，" + strip_like_seed(_REVIEW) * 3
    row = _indicator("研究与试验发展经费投入强度", "2020年", 2.1, 0.9, [(2.1, True, 0.4), (21.0, False, 0.05)])
    source = load_text(text)
    norm = normalize(source)
    paged = paged_without_detection(norm, scan_front_matter(norm), ())
    body = Paragraph(paged.text, 0, len(paged.text), None, None)
    result = prose.repair_prose(Skeleton("none", (body,), (), (), (), (), ()), paged, (row,), STRIPPED)  # type: ignore[arg-type]
    first = next(number for number in result.numbers if number.digits == "21")
    assert first.best[0].shown == "2.1" and first.table
    assert all(0.0 <= p <= 1.0 for _, p in first.readings)
    assert abs(sum(p for _, p in first.readings) - 1.0) < 1e-9
    assert all(repair.confidence <= 1.0 for repair in result.repairs)


def test_numbers_in_boxes_are_restored_in_their_text_items_and_groups(seed_text: str) -> None:
    # A 专栏's prose was not read, and the builder applied edits to paragraphs only: a list item
    # and a group of the seed given a number each, stripped as the seed's numbers are.
    text = seed_text.replace("1机器人产业联盟；", "1机器人产业联盟，全员劳动生产率年均增长62；")
    text = text.replace("辽宁省：沈阳市、盘锦市、本溪市、鞍山市。", "辽宁省：沈阳市、盘锦市，服务业增加值比重达到474、本溪市、鞍山市。")
    record = parse_text(text)
    in_boxes = {(repair.before, repair.after): repair for repair in record.repairs
                if repair.kind in ("decimal", "percent") and repair.ref and repair.ref.startswith("/boxes/")}
    assert set(in_boxes) == {("62", "6.2%"), ("474", "47.4%")}
    listed = record.boxes[int(in_boxes["62", "6.2%"].ref.split("/")[2])]  # type: ignore[union-attr]
    assert listed.kind == "list" and listed.items[0] == "机器人产业联盟，全员劳动生产率年均增长6.2%"
    assert listed.text.startswith("1机器人产业联盟，全员劳动生产率年均增长6.2%；2")
    grouped = record.boxes[int(in_boxes["474", "47.4%"].ref.split("/")[2])]  # type: ignore[union-attr]
    assert grouped.kind == "groups" and grouped.groups[0].label == "辽宁省"
    assert grouped.groups[0].text == "沈阳市、盘锦市，服务业增加值比重达到47.4%、本溪市、鞍山市。"
    assert grouped.groups[0].items == ["沈阳市", "盘锦市，服务业增加值比重达到47.4%", "本溪市", "鞍山市"]
    assert "达到47.4%" in grouped.text and "达到474" not in grouped.text
    # The paragraphs keep their four repairs.
    assert sum(1 for repair in record.repairs if repair.kind in ("decimal", "percent")) == 6


def test_the_numbers_of_a_list_box_are_not_read_as_quantities() -> None:
    # The builder's list numbers 10, 11, 12 (…；10生态廊道工程；…) were flagged as numbers that may
    # have lost a decimal point.
    items = "；".join(f"{number}第{number}项生态修复工程" for number in range(1, 13)) + "。"
    text = _damaged_plan().replace("1湿地修复工程；2海岸带整治工程；3城市绿道建设工程。", items)
    record = parse_text(text)
    box = next(index for index, box in enumerate(record.boxes) if box.kind == "list")
    assert len(record.boxes[box].items) == 12
    for warning in record.warnings:
        assert f"/boxes/{box}" not in warning.refs, warning.message


def test_a_run_with_a_page_number_removed_from_its_middle_is_not_restored() -> None:
    # Bug: 增长1|10|07 (page 10 glued inside 10.7) left the clean run 107, which was restored as
    # 10.7 % with a repair whose digits "107" are not at its offset in the input (11007 is).
    from planparse.document import PagedText, PageMarker
    from planparse.offsets import delete_spans

    text = strip_like_seed(_REVIEW * 3) + "全市粮食产量增长1" + "10" + "07，" + "全市粮食产量增长107，"
    source = load_text(text)
    norm = normalize(source)
    inside = norm.text.rfind("11007") + 1  # the pages stage took the 10 of 11007 for page 10
    clean, to_normalized = delete_spans(norm.text, [(inside, inside + 2)])
    paged = PagedText(clean, to_normalized, norm, ((0, 9), (inside, 10)), (PageMarker(inside, 2, 10, "11007", 0.9),), 0)
    body = Paragraph(paged.text, 0, len(paged.text), None, None)
    result = prose.repair_prose(Skeleton("none", (body,), (), (), (), (), ()), paged, (), STRIPPED)
    cut = next(number for number in result.numbers if paged.to_normalized(number.start) == inside - 1)
    assert cut.digits == "107" and cut.best[0].shown == "10.7%"
    assert cut.start not in {edit.start for edit in result.edits}  # its digits are not certain: flagged
    assert any(f"at {source.text.rfind('11007')}" in w.message for w in result.warnings)
    assert any(repair.before == "107" for repair in result.repairs)  # the same sentence away from the page
    for repair in result.repairs:
        assert source.text[repair.offset : repair.offset + len(repair.before)] == repair.before


def test_a_full_width_comma_groups_digits_only_in_a_document_that_groups_with_it() -> None:
    # ``本地生源招生量增长30.5%，365所`` lost its marks: ``增长305，365所`` was read as 305,365 (one
    # grouped number) and kept at 1.00. Only a document that prints many ``2，031元`` groups them.
    from planparse.prose import digit_group, groups_with_full_width_commas

    modern = "本地生源招生量增长305，365所城镇小学实行校内课后托管服务。"
    start = modern.index("305")
    assert not groups_with_full_width_commas(modern)
    assert digit_group(modern, start, start + 3, full_width=False) is None
    assert digit_group(modern, start, start + 3) == "lead"  # the habit assumed
    assert digit_group("总额12,026亿元", 2, 4, full_width=False) == "lead"  # an ASCII comma always groups
    old = "全年生产钢3，712万吨，原煤6，200万吨，发电量3，006亿度，增长2，031元。"
    assert groups_with_full_width_commas(old)
