from pathlib import Path

import pytest

from planparse.normalize import normalize_text
from planparse.toc import chinese_number, scan_front_matter
from tests.corpus_text import markdown_to_text

FRONT = (
    "附件3：滨海省“十四五”综合交通规划滨海省人民政府2021年6月1目录"
    "第一章总体要求1第一节发展基础1第二节发展目标3第二章重点任务5第一节建设通道6第二节完善枢纽9"
    "第三节提升服务122第三章保障措施13第一节加强领导13第二节强化落实141"
    "本规划依据国家有关要求编制。第一章总体要求综合交通是基础。"
)


@pytest.mark.parametrize(("text", "number"), [("一", 1), ("十", 10), ("十二", 12), ("二十三", 23), ("一百零五", 105), ("两", 2), ("12", 12)])
def test_chinese_numerals_of_any_size(text: str, number: int) -> None:
    assert chinese_number(text) == number


def test_metadata_and_toc_from_flattened_front_matter() -> None:
    front = scan_front_matter(normalize_text(FRONT))
    assert (front.label, front.title, front.issuer, front.date) == ("附件3", "滨海省“十四五”综合交通规划", "滨海省人民政府", "2021-06")
    assert [entry.level for entry in front.toc].count("chapter") == 3
    pages = [entry.page for entry in front.toc]
    assert pages == sorted(pages), "entry pages never decrease once TOC page numbers are split off"
    assert pages[-3] == 13 and pages[-1] == 14
    assert {marker.page for marker in front.markers if marker.front} == {1, 2}
    body = [marker for marker in front.markers if not marker.front]
    assert len(body) == 1 and body[0].page == 1
    assert FRONT[front.body_start + 1 :].startswith("本规划")
    assert all(entry.title and not any(ch.isdigit() for ch in entry.title) for entry in front.toc)


def test_toc_sequence_gaps_are_warned() -> None:
    text = FRONT.replace("第三章保障措施", "第五章保障措施")
    codes = [warning.code for warning in scan_front_matter(normalize_text(text)).warnings]
    assert "toc_sequence" in codes


def test_markdown_outline_toc_without_pages(corpus: Path) -> None:
    text = markdown_to_text(corpus / "national_13th_fyp_outline.md")
    front = scan_front_matter(normalize_text(text))
    levels = [entry.level for entry in front.toc]
    assert levels.count("part") >= 10 and levels.count("chapter") >= 50
    assert all(entry.page is None for entry in front.toc)
    numbers = [entry.number for entry in front.toc if entry.level == "chapter"]
    assert numbers == list(range(1, len(numbers) + 1))
    assert front.title and front.title.endswith("纲要")


def test_text_without_toc_has_no_entries() -> None:
    front = scan_front_matter(normalize_text("第一章总则\n本办法依据有关规定制定。\n"))
    assert front.toc == () and front.toc_span is None
