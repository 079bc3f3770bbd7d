"""Word input: a plan made with python-docx the way ministries' .docx files are (heading styles
with automatic numbering, a TOC, bold leads, header and footer, a merged indicator table)."""

from __future__ import annotations

from pathlib import Path

import pytest

import planparse
from planparse.errors import InputError
from planparse.load import load
from tests.fixtures.make_plan_docx import INDICATORS, TITLE, PlanDocx, plan_docx

TOC_PAGES = (1, 1, 1, 2, 2, 2, 2, 3, 3)

@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[PlanDocx, Path]:
    made = plan_docx(toc_pages=TOC_PAGES)
    path = tmp_path_factory.mktemp("docx") / "plan.docx"
    path.write_bytes(made.docx)
    return made, path


def test_paragraphs_headings_numbering_and_toc(plan: tuple[PlanDocx, Path]) -> None:
    made, path = plan
    source = load(path)
    assert source.format == "docx" and source.view is not None and source.view.text == source.text
    lines = source.text.split("\n")
    # Word's automatic numbering is part of the heading's text, as Word shows it.
    headings = [(source.text[offset:].split("\n", 1)[0], level) for offset, level in source.view.heading_lines if level]
    assert [text.replace(" ", "") for text, _ in headings] == list(made.headings)
    assert [level for _, level in headings] == [1 if text.startswith("第") and "章" in text[:5] else 2 for text, _ in headings]
    assert source.view.toc_span is not None
    toc = source.text[slice(*source.view.toc_span)].split("\n")
    assert toc[0].startswith("第一章") and toc[-1].endswith(" 3") and len(toc) == len(TOC_PAGES)
    bold = [source.text[start:end] for start, end in source.view.bold]
    assert "加强湿地保护。" in bold and "推进污染治理。" in bold
    # Header and footer are furniture: the running title only on the cover, no page-number field.
    assert source.text.count(TITLE) == 1 and not any(line.startswith("—") for line in lines)


def test_a_word_table_is_a_grid_with_merged_cells(plan: tuple[PlanDocx, Path]) -> None:
    """Written as ``cell | cell`` lines (each cell once), the Grid's offsets pointing into them."""
    from planparse.io.docx import docx_view

    made, _ = plan
    text, _, grids = docx_view(made.docx)
    assert len(grids) == 1
    grid = grids[0]
    assert grid.origin == "docx" and grid.header_rows == 2  # the rows Word repeats on each page
    assert grid.rows[0] == ("指标", "指标", "属性", "规划目标", "规划目标", "年均增长")
    assert grid.rows[1] == ("指标", "指标", "属性", "2020年", "2025年", "年均增长")
    assert grid.rows[2] == ("环境治理",) * 6  # a category row across the table
    assert {(0, 0, 2, 2), (0, 3, 1, 2), (2, 0, 1, 6)} <= set(grid.merged)
    body = [row for row in grid.rows[2:] if len(set(row)) > 1]
    assert len(body) == len(INDICATORS)
    for row, (_, parent, name, attribute, *cells) in zip(body, INDICATORS):
        assert row[1].endswith(name) and row[2:] == (attribute, *cells)
        if parent is not None:
            assert row[0].endswith(parent)
    water = [index for index, row in enumerate(grid.rows) if row[0].endswith("水环境")]
    assert len(water) == 2 and (water[0], 0, 2, 1) in grid.merged  # the parent cell merged down
    assert ("13210", "13210") in {row[3:5] for row in body}  # equal neighbours both kept
    assert any(row[4:] == ("完成国家指标", "[>3]") for row in body)  # word and bracket cells
    for row, spans in zip(grid.rows, grid.cell_spans):
        for cell, (start, end) in zip(row, spans):
            assert start < 0 or text[start:end] == cell
    placed = [spans for row, spans in zip(grid.rows[2:], grid.cell_spans[2:]) if len(set(row)) > 1]
    assert all(start >= 0 for spans in placed for start, _ in spans[2:])  # every value cell has its place
    assert text[grid.start:grid.end].startswith("指标 | 属性 | 规划目标 | 年均增长\n2020年 | 2025年\n环境治理\n")


def test_the_docx_record_has_the_text_records_structure(plan: tuple[PlanDocx, Path]) -> None:
    made, path = plan
    from_docx = planparse.parse(path)
    from_text = planparse.parse_text(made.text)
    assert from_docx.source.format == "docx"
    assert [(c.number, c.title, [s.title for s in c.sections]) for c in from_docx.chapters] == [
        (c.number, c.title, [s.title for s in c.sections]) for c in from_text.chapters
    ]
    assert [(t.level, t.number, t.title, t.page) for t in from_docx.toc] == [
        (t.level, t.number, t.title, t.page) for t in from_text.toc
    ]
    assert [t.page for t in from_docx.toc] == list(TOC_PAGES)
    assert [(b.number, b.title, b.kind, b.notes) for b in from_docx.boxes] == [(b.number, b.title, b.kind, b.notes) for b in from_text.boxes]
    # Every indicator row as the text gives it, the row with word cells (单位地区生产总值能耗降低: --
    # 完成国家指标 [>3]) and the category rows (环境治理 before （1）…) included.
    assert [(i.indicator, i.category, i.group, [(c.raw, c.value, c.text) for c in i.cells]) for i in from_docx.indicators] == [
        (i.indicator, i.category, i.group, [(c.raw, c.value, c.text) for c in i.cells]) for i in from_text.indicators
    ]
    paragraphs = [[p.text for p in s.paragraphs] for c in from_docx.chapters for s in c.sections]
    assert paragraphs == [[p.text for p in s.paragraphs] for c in from_text.chapters for s in c.sections]


def test_the_docx_tables_cells_are_read_from_its_grid(plan: tuple[PlanDocx, Path]) -> None:
    _, path = plan
    record = planparse.parse(path)
    assert [(b.number, b.kind) for b in record.boxes] == [(1, "indicator_table")]
    assert [(i.category, i.indicator, [c.raw for c in i.cells]) for i in record.indicators] == [
        (category, name.split("（")[0], list(cells)) for category, _, name, _, *cells in INDICATORS
    ]


def test_a_broken_docx_is_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="not a readable .docx") as info:
        load(path)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("number", "kind", "shown"),
    [(1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (12, "chineseCountingThousand", "十二"),
     (20, "chineseCounting", "二十"), (105, "chineseCounting", "一百零五"), (4, "upperRoman", "IV"),
     (9, "lowerRoman", "ix"), (3, "decimal", "3"), (2, "decimalEnclosedCircle", "②"), (12, "decimalFullWidth", "１２")],
)
def test_word_number_formats(number: int, kind: str, shown: str) -> None:
    from planparse.io.docx import _format

    assert _format(number, kind) == shown
