"""Unit tests for the HTML review report, on hand-built records (no pipeline needed)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from planparse import models
from planparse.report import header_rows, render_report


def _cell(index: int, column: str, raw: str, value: float | None, confidence: float = 1.0,
          alternatives: list[models.Alternative] | None = None, cumulative: bool | None = None,
          text: str | None = None) -> models.Cell:
    return models.Cell(column=column, column_index=index, raw=raw, value=value, comparator=None,
                       cumulative=cumulative, text=text, confidence=confidence, alternatives=alternatives or [])


def _columns() -> list[models.Column]:
    return [
        models.Column(index=1, path="2015年", year=2015, role="base", cumulative=None),
        models.Column(index=2, path="规划目标/2020年", year=2020, role="target", cumulative=None),
        models.Column(index=3, path="规划目标/年均增长", year=None, role="change", cumulative=None),
    ]


def _indicator(row: int, name: str, cells: list[models.Cell], category: str | None = "经济发展",
               group: str | None = None) -> models.Indicator:
    return models.Indicator(box=1, table=None, row=row, number=row, group=group, category=category, indicator=name,
                            indicator_raw=name, unit="%", attribute="预期性", page=5, offset=100 + row, cells=cells)


def record(extra_title: str = "示例规划") -> models.PlanRecord:
    para = models.Paragraph(text="要点。正文内容。", page=3, headline="要点。", offset=40)
    flagged = _cell(2, "规划目标/2020年", "658", 65.8, confidence=0.55,
                    alternatives=[models.Alternative(value=6.58, score=0.3), models.Alternative(value=658.0, score=0.1)])
    ok_repaired = _cell(1, "2015年", "561", 56.1, confidence=0.97)
    verbatim = _cell(3, "规划目标/年均增长", "7", 7.0)
    cum = _cell(3, "规划目标/年均增长", "15", 15.0, cumulative=True, confidence=0.9,
                alternatives=[models.Alternative(value=1.5, cumulative=True, score=0.2)])
    table = models.Table(box=1, table=None, title="主要指标", page=5, offset=90, columns=_columns(),
                         attribute_column=True, notes=["注：[ ]内为五年累计数。"], bracket_meaning="五年累计数",
                         damaged=True)
    return models.PlanRecord(
        source=models.Source(path="plan.txt", sha256="a" * 64, format="text", encoding="utf-8"),
        document=models.DocumentMeta(label=None, title=extra_title, issuer="示例政府", date="2016-11",
                                     numbering="part_chapter"),
        pages=[models.Page(index=1, printed=1, offset=0)],
        toc=[models.TocEntry(level="chapter", number=1, title="总体要求", page=1)],
        preamble=[],
        parts=[models.Part(number=1, title="第一篇 总体要求", page=1, offset=5)],
        chapters=[models.Chapter(number=1, part=1, title="发展环境", page=1, offset=10, paragraphs=[para], sections=[
            models.Section(number=1, title="发展基础", page=2, offset=30, paragraphs=[para])])],
        boxes=[
            models.Box(number=1, title="主要指标", kind="indicator_table", page=5, chapter=1, section=None, offset=90,
                       items=[], groups=[], text="", notes=[]),
            models.Box(number=2, title="重点工程", kind="groups", page=6, chapter=1, section=1, offset=200, items=[],
                       groups=[models.Group(label="能源基地", items=["甲工程", "乙工程"], text="甲工程、乙工程", groups=[
                           models.Group(label="发展重点", items=["丙项目"], text="丙项目")])],
                       text="", notes=[]),
        ],
        figures=[],
        tables=[table],
        indicators=[
            _indicator(1, "城镇化率", [ok_repaired, flagged, verbatim]),
            _indicator(2, "研发投入强度", [_cell(1, "2015年", "2", 2.0), cum], category="创新驱动", group="甲组"),
        ],
        repairs=[models.Repair(kind="page_number", page=3, offset=44, before="17", after="", confidence=0.95,
                               context="建立健全17权力清单", context_offset=4),
                 models.Repair(kind="token", page=4, offset=60, before="", after="GDP", confidence=0.7,
                               context="地区增长", context_offset=2),
                 # A glued page number with look-alike digits before it, and a restored decimal.
                 models.Repair(kind="page_number", page=1, offset=30, before="1", after="", confidence=0.9,
                               context="16年11月1目录第一章攻", context_offset=6),
                 models.Repair(kind="decimal", page=7, offset=900, before="62", after="6.2%", confidence=0.99,
                               context="全员劳动生产率年均增长62", context_offset=11)],
        warnings=[models.RecordWarning(code="toc_page_mismatch", message="第一章 <页码> 不符", page=2)],
    )


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in {"meta", "input", "br", "rect", "link", "img"}:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "rect" and (not self.stack or self.stack[-1] != "rect"):
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}> with stack {self.stack[-3:]}")
            return
        self.stack.pop()


def _parse(page: str) -> _Collector:
    parser = _Collector()
    parser.feed(page)
    parser.close()
    return parser


def test_page_is_well_formed_and_semantic() -> None:
    page = render_report(record())
    parsed = _parse(page)
    assert not parsed.errors, parsed.errors[:3]
    assert parsed.stack == []
    names = {t for t, _ in parsed.tags}
    assert {"header", "nav", "main", "section", "table", "caption", "thead", "tbody", "svg"} <= names
    assert page.startswith("<!DOCTYPE html>")
    # Every th has a scope so screen readers can associate headers.
    assert all(a.get("scope") for t, a in parsed.tags if t == "th")


def test_no_external_assets() -> None:
    page = render_report(record())
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"<(?:link|img|iframe)\b", page)
    assert not re.search(r"<script[^>]+src=", page)


def test_deterministic() -> None:
    assert render_report(record()) == render_report(record())


def test_two_level_header_uses_colspan_and_rowspan() -> None:
    page = render_report(record())
    thead = re.search(r'<table class="indicators".*?<thead>(.*?)</thead>', page, re.S)
    assert thead
    rows = re.findall(r"<tr>(.*?)</tr>", thead.group(1), re.S)
    assert len(rows) == 2
    assert re.search(r'<th scope="colgroup" colspan="2">规划目标</th>', rows[0])
    assert re.search(r'<th scope="col" rowspan="2">2015年</th>', rows[0])
    assert ">2020年<" in rows[1] and ">年均增长<" in rows[1]


def test_header_rows_property_spans_cover_every_column() -> None:
    cols = [models.Column(index=i + 1, path=p, year=None, role="other", cumulative=None)
            for i, p in enumerate(["a", "b/x", "b/y", "c/x/1", "c/x/2", "c/z", "d"])]
    rows = header_rows(cols)
    depth = len(rows)
    assert depth == 3
    # Each grid column is covered exactly once per header level (counting rowspans).
    covered = [0] * depth
    for level, row in enumerate(rows):
        for _, colspan, rowspan in row:
            for lv in range(level, level + rowspan):
                covered[lv] += colspan
    assert covered == [len(cols)] * depth


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["甲", "乙", "丙"]), min_size=1, max_size=3).map("/".join),
                min_size=1, max_size=8))
def test_header_rows_cover_grid(paths: list[str]) -> None:
    cols = [models.Column(index=i + 1, path=p, year=None, role="other", cumulative=None) for i, p in enumerate(paths)]
    rows = header_rows(cols)
    covered = [0] * len(rows)
    for level, row in enumerate(rows):
        for _, colspan, rowspan in row:
            for lv in range(level, level + rowspan):
                covered[lv] += colspan
    assert covered == [len(cols)] * len(rows)


def test_flagged_row_and_repaired_cells_marked() -> None:
    page = render_report(record())
    rows = re.findall(r'<tr class="(ind[^"]*)" id="row-0-(\d+)"', page)
    assert ("ind flagged", "1") in rows and ("ind", "2") in rows
    assert "⚑" in page  # text cue, not only colour
    # The low-confidence cell: class, keyboard focus, tooltip wiring.
    cell = re.search(r'<td class="num rep c-lo" tabindex="0" aria-describedby="([^"]+)"[^>]*>(.*?)</td>', page, re.S)
    assert cell
    tip = re.search(rf'<span class="tip" role="tooltip" id="{cell.group(1)}">(.*?)</span></td>', page, re.S)
    assert tip
    assert "658" in tip.group(1) and "6.58" in tip.group(1) and "0.55" in tip.group(1)
    assert "‼" in cell.group(2)
    # The verbatim cell is not marked as repaired.
    assert re.search(r'<td class="num" data-raw="7">7</td>', page)
    # Cumulative values keep their brackets, including alternatives.
    assert "[15]" in page and "[1.5]" in page


def test_category_and_group_rows() -> None:
    page = render_report(record())
    assert re.search(r'<tr class="cat"><th scope="rowgroup" colspan="7">经济发展</th></tr>', page)
    assert re.search(r'<tr class="grp"><th scope="rowgroup" colspan="7">甲组</th></tr>', page)


def test_filter_outline_boxes_repairs_warnings() -> None:
    page = render_report(record())
    assert 'type="checkbox" id="only-flagged"' in page
    for anchor in ("parts-0", "chapters-0", "chapters-0-sections-0", "tbl-0", "repairs", "warnings", "boxes"):
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
    assert "能源基地" in page and "发展重点" in page and "丙项目" in page
    assert '建立健全<mark class="repair"><del title="removed">17</del></mark>权力清单' in page
    assert '地区<mark class="repair"><ins title="inserted">GDP</ins></mark>增长' in page
    assert "toc_page_mismatch" in page and "&lt;页码&gt;" in page
    assert "@media print" in page


def test_svg_chart_per_table_with_labels() -> None:
    page = render_report(record())
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) == 1
    assert "城镇化率" in svgs[0] and "<rect" in svgs[0] and "<title" in svgs[0]


def test_text_is_escaped() -> None:
    page = render_report(record(extra_title="<script>alert(1)</script>&"))
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in page


def test_empty_record_renders() -> None:
    empty = record().model_copy(update={"tables": [], "indicators": [], "boxes": [], "repairs": [], "warnings": [],
                                        "chapters": [], "parts": []})
    page = render_report(empty)
    assert not _parse(page).errors
    assert "<svg" not in page


def test_rows_without_table_metadata_still_rendered() -> None:
    rec = record()
    orphan = rec.indicators[0].model_copy(update={"box": 9, "row": 1})
    page = render_report(rec.model_copy(update={"indicators": [*rec.indicators, orphan]}))
    assert page.count('<table class="indicators"') == 2


def test_large_record_is_fast_and_bounded() -> None:
    import time

    base = record()
    blob = "9" * 100_000  # a pathological digit blob in one cell
    rows = [
        _indicator(i, f"指标{i}", [_cell(1, "2015年", str(i), float(i)),
                                  _cell(2, "规划目标/2020年", blob if i == 1 else str(i * 10), i * 1.5,
                                        confidence=0.5 if i % 7 == 0 else 0.99,
                                        alternatives=[models.Alternative(value=i * 0.15, score=0.1)])],
                   category=f"类{i // 50}")
        for i in range(1, 3001)
    ]
    start = time.perf_counter()
    page = render_report(base.model_copy(update={"indicators": rows}))
    assert time.perf_counter() - start < 5
    assert page.count('class="ind flagged"') == 3000 // 7
    svg = re.search(r"<svg.*?</svg>", page, re.S)
    assert svg and svg.group(0).count("<rect") < 200  # chart rows are capped


def test_outline_nests_chapters_under_their_parts() -> None:
    rec = record()
    ch = rec.chapters[0]
    chapters = [ch.model_copy(update={"number": 1, "part": 1}), ch.model_copy(update={"number": 2, "part": 2}),
                ch.model_copy(update={"number": 3, "part": None, "sections": []})]
    parts = [*rec.parts, rec.parts[0].model_copy(update={"number": 2, "title": "第二篇 创新"})]
    page = render_report(rec.model_copy(update={"chapters": chapters, "parts": parts}))
    assert not _parse(page).errors
    nav = re.search(r"<nav.*?</nav>", page, re.S)
    assert nav
    order = re.findall(r'href="#((?:parts|chapters)-\d+)"', nav.group(0))
    assert order == ["parts-0", "chapters-0", "parts-1", "chapters-1", "chapters-2"]
    # Chapter 3 belongs to no part: it sits at the top level, after part 2's list is closed.
    assert re.search(r'</ul></li>\s*<li><a href="#chapters-2">', nav.group(0))


def test_unnumbered_and_repeated_headings_get_their_own_anchors() -> None:
    rec = record()
    ch = rec.chapters[0]
    chapters = [ch.model_copy(update={"number": None, "part": None, "title": "序言", "sections": []}),
                ch.model_copy(update={"number": 1, "part": None}), ch.model_copy(update={"number": 1, "part": None})]
    page = render_report(rec.model_copy(update={"chapters": chapters, "parts": []}))
    ids = re.findall(r'id="(chapters-[^"]+)"', page)
    assert len(ids) == len(set(ids)) and "chapters-0" in ids and "chapters-2" in ids
    assert "None" not in page and ">序言 <" in page


def test_repairs_are_marked_at_their_offset_not_at_a_look_alike() -> None:
    page = render_report(record())
    # The page number is the fourth "1" of the context; the removed digit is shown struck out.
    assert '16年11月<mark class="repair"><del title="removed">1</del></mark>目录第一章攻' in page
    # A decimal repair marks the digits and shows the inserted point and percent sign.
    assert ('全员劳动生产率年均增长<mark class="repair">6<ins title="inserted">.</ins>2'
            '<ins title="inserted">%</ins></mark>') in page


def test_an_unplaced_repair_is_shown_without_a_guessed_mark() -> None:
    rec = record()
    repair = rec.repairs[2].model_copy(update={"context_offset": None})
    page = render_report(rec.model_copy(update={"repairs": [repair]}))
    assert "<mark" not in page and "16年11月1目录第一章攻" in page


def test_warnings_and_repairs_come_before_the_tables() -> None:
    page = render_report(record())
    assert page.index('id="warnings"') < page.index('id="repairs"') < page.index('class="indicators"')
    assert re.search(r'<nav class="attention"[^>]*>.*href="#warnings".*href="#repairs"', page, re.S)


def test_category_rows_come_above_their_groups() -> None:
    page = render_report(record())
    body = re.search(r'<table class="indicators".*?</table>', page, re.S)
    assert body
    labels = re.findall(r'<tr class="(cat|grp)"><th scope="rowgroup" colspan="\d+">([^<]+)</th>', body.group(0))
    assert labels == [("cat", "经济发展"), ("cat", "创新驱动"), ("grp", "甲组")]


def test_one_chart_per_unit() -> None:
    rec = record()
    tonnes = [_indicator(row, name, [_cell(1, "2015年", "13210", 13210.0), _cell(2, "规划目标/2020年", "14000", 14000.0)])
              .model_copy(update={"unit": "万吨"}) for row, name in ((3, "粮食产量"), (4, "粮食储备"))]
    water = _indicator(5, "用水总量", [_cell(1, "2015年", "600", 600.0)]).model_copy(update={"unit": "亿立方米"})
    page = render_report(rec.model_copy(update={"indicators": [*rec.indicators, *tonnes, water]}))
    titles = re.findall(r"<svg.*?<title id=\"[^\"]+\">([^<]+)</title>", page, re.S)
    assert len(titles) == 2 and "(%)" in titles[0] and "(万吨)" in titles[1]
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert "粮食产量" not in svgs[0] and "粮食产量" in svgs[1]
    # A unit with a single row compares nothing: no chart, but it is named.
    assert "用水总量" not in "".join(svgs) and "not charted (the only row of its unit): 用水总量 (亿立方米)" in page


def test_damaged_row_hover_shows_the_row_its_cut_and_next_best_readings() -> None:
    page = render_report(record())
    tip = re.search(r'<span class="tip" role="tooltip" id="tip-0-1-2">(.*?)</span></td>', page, re.S)
    assert tip
    text = re.sub(r"<[^>]+>", "", tip.group(1))
    assert "受损行 damaged row 5616587" in text
    assert "切分 cut 561 | 658 | 7 → 56.1 | 65.8 | 7" in text
    assert "<b>658</b>" in tip.group(1)  # this cell's piece of the cut
    assert "56.1 | 6.58 | 7" in text  # the next-best reading of the row: this cell's best alternative


def test_each_repair_links_to_the_element_it_concerns() -> None:
    rec = record()
    repairs = [rec.repairs[0].model_copy(update={"ref": "/chapters/0/sections/0/paragraphs/0"}),
               rec.repairs[1].model_copy(update={"ref": "/indicators/1"}),
               rec.repairs[2].model_copy(update={"ref": "/toc"})]
    page = render_report(rec.model_copy(update={"repairs": repairs}))
    assert '<a href="#chapters-0-sections-0"><code>/chapters/0/sections/0/paragraphs/0</code></a>' in page
    assert '<a href="#row-0-2"><code>/indicators/1</code></a>' in page and 'id="row-0-2"' in page
    assert "<td><code>/toc</code></td>" in page
