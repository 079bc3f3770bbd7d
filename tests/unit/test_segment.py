from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planparse.damage import strip_like_seed
from planparse.document import Skeleton
from planparse.normalize import normalize_text
from planparse.segment import segment
from planparse.text.pages import remove_page_numbers
from planparse.toc import scan_front_matter
from planparse.tokens import restore_tokens
from tests.corpus_text import markdown_to_text


def _skeleton(text: str):  # type: ignore[no-untyped-def]
    norm = normalize_text(text)
    front = scan_front_matter(norm)
    paged = restore_tokens(remove_page_numbers(norm, front))
    return front, paged, segment(paged, front)


@pytest.fixture(scope="module")
def seed(seed_text: str):  # type: ignore[no-untyped-def]
    return _skeleton(seed_text)


def _pieces(skeleton: Skeleton) -> list[tuple[int, int]]:
    spans = [(p.start, p.end) for p in skeleton.preamble]
    for chapter in skeleton.chapters:
        spans.append((chapter.heading.start, chapter.heading.end))
        spans.extend((p.start, p.end) for p in chapter.paragraphs)
        for section in chapter.sections:
            spans.append((section.heading.start, section.heading.end))
            spans.extend((p.start, p.end) for p in section.paragraphs)
    spans.extend((part.start, part.end) for part in skeleton.parts)
    spans.extend((box.start, box.end) for box in skeleton.boxes)
    return sorted(spans)


def test_every_toc_entry_has_its_body_heading(seed) -> None:  # type: ignore[no-untyped-def]
    front, _, skeleton = seed
    headings = [(c.heading.level, c.heading.number, c.heading.title, c.heading.page) for c in skeleton.chapters]
    headings += [(s.heading.level, s.heading.number, s.heading.title, s.heading.page) for c in skeleton.chapters for s in c.sections]
    expected = {(e.level, e.number, e.title, e.page) for e in front.toc}
    assert set(headings) == expected
    assert not [w for w in skeleton.warnings if w.code.startswith(("toc_", "heading_"))]


def test_boxes_are_numbered_in_sequence_with_titles_free_of_labels(seed) -> None:  # type: ignore[no-untyped-def]
    _, _, skeleton = seed
    numbers = [box.number for box in skeleton.boxes]
    assert numbers == list(range(1, len(numbers) + 1))
    kinds = {box.kind for box in skeleton.boxes}
    assert {"indicator_table", "list", "groups", "omitted"} <= kinds
    for box in skeleton.boxes:
        assert "：" not in box.title and "。" not in box.title
        assert box.chapter is not None
        if box.kind == "list":
            assert len(box.items) >= 2
            assert all(item and not item[0].isdigit() for item in box.items)
        if box.kind == "groups":
            assert all(group.label and (group.items or group.groups) for group in box.groups)
            assert not box.groups[0].label.startswith(box.title)
        if box.kind == "indicator_table":
            assert box.notes, "table notes are attached to their box"


def test_tables_and_figures(seed) -> None:  # type: ignore[no-untyped-def]
    _, _, skeleton = seed
    assert len(skeleton.tables) == sum(box.kind == "indicator_table" for box in skeleton.boxes)
    assert [figure.number for figure in skeleton.figures] == list(range(1, len(skeleton.figures) + 1))
    assert all(figure.title.endswith("图") and figure.chapter for figure in skeleton.figures)


def test_paragraphs_have_pages_and_headlines(seed) -> None:  # type: ignore[no-untyped-def]
    _, _, skeleton = seed
    paragraphs = [p for c in skeleton.chapters for s in c.sections for p in s.paragraphs]
    assert all(p.page is not None for p in paragraphs)
    headlines = [p for p in paragraphs if p.headline]
    assert len(headlines) > len(paragraphs) / 2
    assert all(p.text.startswith(p.headline) and len(p.headline) <= 26 for p in headlines)


def test_segmentation_never_loses_a_character(seed) -> None:  # type: ignore[no-untyped-def]
    _, paged, skeleton = seed
    spans = _pieces(skeleton)
    covered = sum(end - start for start, end in spans)
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert start >= end, "pieces never overlap"
    body = len(paged.text) - paged.body_start
    figures = sum(len(figure.title) + len(f"图{figure.number}") for figure in skeleton.figures)
    assert covered + figures == body


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["加强湿地保护。", "全市湿地面积稳定增长，生态功能持续提升。", "推进污染治理。", "——坚持绿色发展。", "到2025年，质量改善。"]), min_size=1, max_size=8))
def test_generated_sections_lose_no_text(sentences: list[str]) -> None:
    text = "第一章总体要求\n" + "".join(sentences) + "\n第二章重点任务\n实施工程。"
    _, paged, skeleton = _skeleton(text)
    first = skeleton.chapters[0]
    assert "".join(p.text for p in first.paragraphs) == "".join(sentences)


def test_national_outline_with_line_breaks_and_flattened(corpus: Path) -> None:
    text = markdown_to_text(corpus / "national_13th_fyp_outline.md")
    _, _, lines = _skeleton(text)
    _, _, flat = _skeleton(strip_like_seed(text))
    for skeleton in (lines, flat):
        assert skeleton.numbering == "part_chapter"
        assert [c.heading.number for c in skeleton.chapters] == list(range(1, len(skeleton.chapters) + 1))
        assert len(skeleton.parts) >= 10 and len(skeleton.chapters) >= 50
        assert all(c.part is not None for c in skeleton.chapters)
    assert [c.heading.title for c in lines.chapters] == [c.heading.title for c in flat.chapters]
    assert [len(c.sections) for c in lines.chapters] == [len(c.sections) for c in flat.chapters]
    assert sum(len(c.sections) for c in lines.chapters) > 100


def test_outline_numbering_maps_onto_chapters_and_sections() -> None:
    text = "关于推进示范区建设的实施方案\n一、总体要求\n（一）指导思想。全面贯彻新发展理念。\n（二）主要目标。到2025年，取得明显成效。\n二、重点任务\n（一）完善机制。健全协调机制。\n"
    _, _, skeleton = _skeleton(text)
    assert skeleton.numbering == "outline"
    assert [c.heading.title for c in skeleton.chapters] == ["总体要求", "重点任务"]
    assert [s.heading.title for s in skeleton.chapters[0].sections] == ["指导思想", "主要目标"]


def test_box_title_does_not_swallow_the_first_group_label() -> None:
    text = "第一章创新发展\n加强平台建设。支持建设一批平台。专栏1重点创新平台实验室、技术中心：甲实验室、乙中心。园区、基地：丙园区、丁基地。健全机制。完善政策。"
    _, _, skeleton = _skeleton(strip_like_seed(text))
    box = skeleton.boxes[0]
    assert box.kind == "groups" and box.title == "重点创新平台"
    assert [group.label for group in box.groups] == ["实验室、技术中心", "园区、基地"]
    assert box.groups[0].items == ("甲实验室", "乙中心")
    assert skeleton.chapters[0].paragraphs[-1].headline == "健全机制。"


def test_line_broken_and_flattened_text_give_the_same_structure(seed_text: str) -> None:
    from tests.plans import SMALL_PLAN

    _, _, broken = _skeleton(SMALL_PLAN)
    _, _, flat = _skeleton(SMALL_PLAN.replace("\n", ""))
    assert [b.title for b in broken.boxes] == [b.title for b in flat.boxes]
    assert [c.heading.number for c in broken.chapters] == [c.heading.number for c in flat.chapters]
    assert [len(c.sections) for c in broken.chapters] == [len(c.sections) for c in flat.chapters]


def test_a_table_caption_right_after_a_figure_caption_in_flattened_text() -> None:
    # …图3全社会固定资产投资规模持续扩大表5固定资产投资情况…: the figure's title ran on over the
    # table's caption, and the table (14 figures in the 2002 communiqué) was never found.
    from planparse import parse_text

    text = ("一、综合初步核算，全年国内生产总值1026581亿元，比上年增长72。全社会固定资产投资继续增长。"
            "图3全社会固定资产投资规模持续扩大表5固定资产投资情况指标绝对数（亿元）比上年增长（）"
            "全社会固定资产投资435007其中：城镇3762238农村6737-41"
            "二、农业全年粮食种植面积11339万公顷，比上年增加106万公顷。")
    record = parse_text(text)
    assert [(figure.number, figure.title) for figure in record.figures] == [(3, "全社会固定资产投资规模持续扩大")]
    assert [table.title for table in record.tables] == ["固定资产投资情况"]
