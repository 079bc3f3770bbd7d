"""The PDF path: generated plan PDFs (reportlab, STSong-Light), the real government PDF in the
shared corpus, and every kind of bad PDF."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

import planparse
from planparse.cli import app
from planparse.emit import record_data
from planparse.errors import InputError
from planparse.load import load
from tests.fixtures.make_plan_pdf import (
    TABLE_ROWS,
    IndicatorRow,
    RichPlan,
    encrypted_pdf,
    image_only_pdf,
    plan_pdf,
    rich_plan_pdf,
)


@pytest.fixture(scope="module")
def long_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data, text = plan_pdf(repeat_body=12)
    path = tmp_path_factory.mktemp("pdf") / "plan.pdf"
    path.write_bytes(data)
    return path, text


def _structure(record: planparse.models.PlanRecord) -> dict:  # type: ignore[name-defined]
    data = record_data(record)
    keep = {}
    keep["document"] = {key: value for key, value in data["document"].items() if key != "damage"}
    keep["chapters"] = [
        (c["number"], c["title"], [p["text"] for p in c["paragraphs"]],
         [(s["number"], s["title"], [(p["text"], p["headline"]) for p in s["paragraphs"]]) for s in c["sections"]])
        for c in data["chapters"]
    ]
    keep["boxes"] = [(b["number"], b["title"], b["kind"], b["items"], b["groups"], b["notes"]) for b in data["boxes"]]
    keep["indicators"] = [(i["indicator"], i["unit"], i["attribute"], [(c["value"], c["cumulative"]) for c in i["cells"]]) for i in data["indicators"]]
    return keep


def test_pdf_record_equals_the_text_record(long_plan: tuple[Path, str]) -> None:
    path, text = long_plan
    from_pdf = planparse.parse(path)
    from_text = planparse.parse_text(text)
    assert _structure(from_pdf) == _structure(from_text)
    assert from_pdf.source.format == "pdf" and from_pdf.source.page_count and from_pdf.source.page_count > 3


def test_furniture_is_removed_and_kept_as_page_metadata(long_plan: tuple[Path, str]) -> None:
    path, _ = long_plan
    record = planparse.parse(path)
    assert record.pages[0].printed is None  # the cover
    printed = [page.printed for page in record.pages[1:]]
    assert printed == list(range(1, len(printed) + 1))
    dumped = json.dumps(record_data(record), ensure_ascii=False)
    assert "—" not in dumped.replace("——", "")
    paragraphs = [p for c in record.chapters for s in c.sections for p in s.paragraphs]
    assert not any("滨海市生态保护规划" in p.text for p in paragraphs)
    pages = [p.page for p in paragraphs]
    assert pages == sorted(pages) and pages[-1] == printed[-1]
    # Page offsets cite the text read from the PDF: each paragraph lies on the page it names.
    offsets = [page.offset for page in record.pages]
    assert offsets[0] == 0 and all(a is not None and b is not None and a < b for a, b in zip(offsets, offsets[1:]))
    for paragraph in paragraphs:
        on = [page for page in record.pages if page.offset is not None and page.offset <= paragraph.offset][-1]
        assert on.printed == paragraph.page


def test_real_government_pdf_matches_its_labels(corpus: Path) -> None:
    record = planparse.parse(corpus / "govdoc_cn_397" / "397.pdf")
    labels = (corpus / "govdoc_cn_397" / "397_labels_bio.txt").read_text(encoding="utf-8").splitlines()
    spans: dict[str, list[str]] = {}
    for line in labels:
        char, _, tag = line.rpartition(" ")
        if tag.startswith("B_"):
            spans.setdefault(tag[2:], []).append(char)
        elif tag.startswith("I_") and spans.get(tag[2:]):
            spans[tag[2:]][-1] += char
    assert record.document.title == spans["正文标题"][0].replace(" ", "")
    first = [title for title in spans["一级标题"]]
    second = [title for title in spans["二级标题"]]
    assert [c.title for c in record.chapters] == [t.split("、", 1)[1].rstrip("。") for t in first]
    assert [s.title for c in record.chapters for s in c.sections] == [t.split("）", 1)[1].rstrip("。") for t in second]
    assert record.document.numbering == "outline"
    assert [page.printed for page in record.pages] == list(range(1, 6))
    assert record.document.date == "2019-08"
    # The masthead's two offices (发展改革委办公厅 / 税务总局办公厅文件, the labels' 发文机关标志) issue it.
    masthead = spans["发文机关标志"][0].replace(" ", "")
    assert record.document.issuer is not None
    assert all(office in masthead for office in record.document.issuer.split("、"))
    assert record.document.issuer.split("、") == ["发展改革委办公厅", "税务总局办公厅"]
    # The range （2014-2020年） keeps its dash (pdfplumber reads it as a soft hyphen): no 20142020.
    body = " ".join(p.text for p in record.preamble)
    assert "2014-2020年" in body and "20142020" not in body
    # The signature and date close the document: not left inside the last paragraph of the body.
    date = spans["成文日期"][0].replace(" ", "")
    paragraphs = [p.text for c in record.chapters for p in c.paragraphs] + [
        p.text for c in record.chapters for s in c.sections for p in s.paragraphs
    ]
    assert not any(date in text and "。" in text for text in paragraphs)
    last_prose = [p.text for p in record.chapters[-1].sections[-1].paragraphs if "。" in p.text][-1]
    assert last_prose.endswith("。")  # nothing (signature, date) glued after the last sentence


def _bad(tmp_path: Path) -> dict[str, Path]:
    data, _ = plan_pdf()
    files = {
        "encrypted": encrypted_pdf(),
        "scanned": image_only_pdf(),
        "truncated": data[: len(data) // 3],
        "zero": b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
    }
    paths = {}
    for name, blob in files.items():
        paths[name] = tmp_path / f"{name}.pdf"
        paths[name].write_bytes(blob)
    return paths


@pytest.mark.parametrize(
    ("name", "message"),
    [("encrypted", "--password"), ("scanned", "OCR is needed"), ("truncated", "corrupt or truncated"), ("zero", "no pages|corrupt")],
)
def test_bad_pdfs_give_one_clear_error(tmp_path: Path, name: str, message: str) -> None:
    path = _bad(tmp_path)[name]
    with pytest.raises(InputError, match=message) as info:
        load(path)
    assert "\n" not in str(info.value)


def test_encrypted_pdf_opens_with_its_password(tmp_path: Path) -> None:
    path = _bad(tmp_path)["encrypted"]
    document = load(path, password="secret")
    assert "第一章" in document.text
    with pytest.raises(InputError, match="wrong password"):
        load(path, password="nope")


def test_cid_garbage_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from planparse import pdf

    real = pdf._lines

    def garbage(textpage: object, count: int, missing: list[int] | None = None) -> list:  # type: ignore[type-arg]
        return [pdf._Line("(cid:12)(cid:34)(cid:56)\ufffd\ufffd", line.left, line.right, line.bottom, line.top) for line in real(textpage, count, missing)]

    monkeypatch.setattr(pdf, "_lines", garbage)
    data, _ = plan_pdf()
    path = tmp_path / "cid.pdf"
    path.write_bytes(data)
    with pytest.raises(InputError, match="cid"):
        load(path)


def test_bad_pdfs_in_a_batch_fail_alone(tmp_path: Path) -> None:
    paths = _bad(tmp_path)
    good, _ = plan_pdf()
    (tmp_path / "good.pdf").write_bytes(good)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "-o", str(out), "--format", "json"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == len(paths)
    assert sorted(p.name for p in out.glob("*.json")) == ["good.json"]
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- layout: ruled tables, bold leads


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> tuple[RichPlan, planparse.models.PlanRecord, planparse.models.PlanRecord]:  # type: ignore[name-defined]
    plan = rich_plan_pdf()
    path = tmp_path_factory.mktemp("rich") / "rich.pdf"
    path.write_bytes(plan.pdf)
    return plan, planparse.parse(path), planparse.parse_text(plan.text)


@pytest.fixture(scope="module")
def rich_bold(tmp_path_factory: pytest.TempPathFactory) -> tuple[RichPlan, planparse.models.PlanRecord, planparse.models.PlanRecord]:  # type: ignore[name-defined]
    plan = rich_plan_pdf(repeat_header=False, comma_headline=True)
    path = tmp_path_factory.mktemp("rich") / "bold.pdf"
    path.write_bytes(plan.pdf)
    return plan, planparse.parse(path), planparse.parse_text(plan.text)


def _rich_structure(record: planparse.models.PlanRecord) -> dict:  # type: ignore[name-defined]
    data = record_data(record)
    keep = _structure(record)
    keep["toc"] = [(t["level"], t["number"], t["title"], t["page"]) for t in data["toc"]]
    keep["parts"] = [(p["number"], p["title"]) for p in data["parts"]]
    keep["chapter_parts"] = [(c["number"], c["part"]) for c in data["chapters"]]
    keep["preamble"] = [p["text"] for p in data["preamble"]]
    keep["indicators"] = [
        (i["number"], i["group"], i["category"], i["indicator"], i["unit"], i["attribute"],
         [(c["raw"], c["value"], c["cumulative"], c["confidence"]) for c in i["cells"]])
        for i in data["indicators"]
    ]
    keep["tables"] = [(t["box"], t["title"], t["notes"], t["bracket_meaning"], t["damaged"], [c["year"] for c in t["columns"]],
                       [c["role"] for c in t["columns"]]) for t in data["tables"]]
    keep["warnings"] = [(w["code"], w["message"]) for w in data["warnings"]]
    return keep


@pytest.mark.parametrize("name", ["rich", "rich_bold"])
def test_rich_pdf_record_equals_the_text_record(name: str, request: pytest.FixtureRequest) -> None:
    plan, from_pdf, from_text = request.getfixturevalue(name)
    expected = _rich_structure(from_text)
    if name == "rich_bold":
        # The one lead the grammar cannot see (it has a comma) is a headline only through bold.
        expected["chapters"][0][3][0][2][2] = ("推进绿色发展，建设美丽滨海。坚持生态优先，推动形成绿色生产方式和生活方式。", None)
    got = _rich_structure(from_pdf)
    if name == "rich_bold":
        got["chapters"][0][3][0][2][2] = (got["chapters"][0][3][0][2][2][0], None)
    assert got == expected
    assert from_pdf.warnings == [] and len(from_pdf.indicators) == 12
    # The TOC's page numbers are the printed pages where the headings are.
    assert [entry.page for entry in from_pdf.toc] == [c.page for c in _headings(from_pdf)]


def test_two_copies_with_a_table_right_after_a_group_box(tmp_path: Path) -> None:
    """A 专栏 of groups directly followed by a 专栏 with a ruled table: each box keeps its kind."""
    plan = rich_plan_pdf(copies=2, table_every=1)
    path = tmp_path / "two.pdf"
    path.write_bytes(plan.pdf)
    from_pdf = planparse.parse(path)
    assert _rich_structure(from_pdf) == _rich_structure(planparse.parse_text(plan.text))
    assert [(b.number, b.kind) for b in from_pdf.boxes][-3:] == [(4, "list"), (5, "groups"), (6, "indicator_table")]
    assert len(from_pdf.tables) == 2 and len(from_pdf.indicators) == 18


def test_box_title_drawn_as_the_tables_first_row(tmp_path: Path) -> None:
    """专栏1主要指标 as one cell across the grid: it stays the box's title, not a header level."""
    plan = rich_plan_pdf(title_row=True)
    path = tmp_path / "title.pdf"
    path.write_bytes(plan.pdf)
    from_pdf = planparse.parse(path)
    assert _rich_structure(from_pdf) == _rich_structure(planparse.parse_text(plan.text))
    assert from_pdf.boxes[0].title == "主要指标" and from_pdf.boxes[0].kind == "indicator_table"
    assert [c.path for c in from_pdf.tables[0].columns] == ["规划目标/2020年", "规划目标/2025年", "年均增长"]


def _headings(record: planparse.models.PlanRecord) -> list:  # type: ignore[name-defined]
    result: list = []
    parts = {part.number: part for part in record.parts}
    seen: set[int] = set()
    for chapter in record.chapters:
        if chapter.part is not None and chapter.part not in seen:
            seen.add(chapter.part)
            result.append(parts[chapter.part])
        result.append(chapter)
        result.extend(chapter.sections)
    return result


def test_ruled_table_header_parents_and_pages(rich: tuple) -> None:  # type: ignore[type-arg]
    plan, record, _ = rich
    table = record.tables[0]
    assert [(c.path, c.year, c.role, c.cumulative) for c in table.columns] == [
        ("规划目标/2020年", 2020, "base", None), ("规划目标/2025年", 2025, "target", None), ("年均增长", None, "change", False),
    ]
    assert table.attribute_column and not table.damaged and table.bracket_meaning == "5年累计数"
    rows = {(i.group, i.indicator): i for i in record.indicators}
    assert [i.number for i in record.indicators] == [1, 2, 3, 3, 4, 5, 6, 7, 8, 8, 9, 10]
    air = [i for i in record.indicators if i.group == "空气质量"]
    assert [i.indicator for i in air] == ["地级及以上城市空气质量优良天数比率", "细颗粒物浓度"]
    assert [i.unit for i in air] == ["%", "微克/立方米"] and {i.attribute for i in air} == {"约束性"}
    assert [c.raw for c in rows[(None, "地区生产总值")].cells] == ["1200", "1531.6", "5.0"]
    assert [c.cumulative for c in rows[(None, "地区生产总值")].cells] == [None, None, False]
    assert [c.raw for c in rows[("水环境", "城市黑臭水体比例")].cells] == ["6.0", "0.0", "[-6.0]"]
    assert [c.value for c in rows[(None, "单位地区生产总值能耗降低")].cells] == [None, None, 13.5]
    # The table runs over two pages; each row keeps the page it is printed on.
    first, second = plan.table_pages
    assert second == first + 1
    pages = [i.page for i in record.indicators]
    assert set(pages) == {first, second} and pages == sorted(pages)
    assert [i.indicator for i in record.indicators if i.page == second] == ["近岸海域水质优良比例", "城市黑臭水体比例", "生活垃圾无害化处理率", "受污染耕地安全利用率"]
    assert table.page == first and record.boxes[0].page == first


def test_continuation_without_repeated_header(rich_bold: tuple) -> None:  # type: ignore[type-arg]
    plan, record, _ = rich_bold
    first, second = plan.table_pages
    assert [i.page for i in record.indicators].count(second) == 4
    assert len(record.tables) == 1 and len(record.tables[0].columns) == 3


def test_ruled_table_lines_replace_its_text(rich: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    plan, _, _ = rich
    path = tmp_path / "rich.pdf"
    path.write_bytes(plan.pdf)
    pages = load(path).pdf_pages
    assert pages is not None
    first = next(page for page in pages if page.printed == plan.table_pages[0])
    second = next(page for page in pages if page.printed == plan.table_pages[1])
    # One line per printed row, each cell once (a merged cell at its first position), as printed.
    table = first.text[first.text.index("专栏1主要指标\n") :].split("\n")
    assert table[1:6] == [
        "指标 | 属性 | 规划目标 | 年均增长", "2020年 | 2025年", "（1）森林覆盖率（%） | 约束性 | 30.5 | 32.0 | [1.5]",
        "（2）湿地保护率（%） | 约束性 | 52.0 | 55.0 | [3.0]",
        "（3）空气质量 | 地级及以上城市空气质量优良天数比率（%） | 约束性 | 85.0 | 87.5 | [2.5]",
    ]
    assert table[6] == "细颗粒物浓度（微克/立方米） | 约束性 | 38 | 35 | [-3]"  # the parent cell printed once
    assert second.text.startswith("指标 | 属性 | 规划目标 | 年均增长\n2020年 | 2025年\n（8）水环境 | 近岸海域水质优良比例（%）")
    assert first.tables and second.tables
    assert [first.text[start:end].split("\n")[0] for start, end in first.tables] == ["指标 | 属性 | 规划目标 | 年均增长"]


def test_prose_pages_skip_the_table_finder(rich: tuple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[type-arg]
    from planparse import pdf_tables

    plan, _, _ = rich
    calls: list[int] = []
    real = pdf_tables.TableFinder.find

    def spy(self: pdf_tables.TableFinder, index: int, area: object = None) -> list:  # type: ignore[type-arg]
        calls.append(index)
        return real(self, index, area)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf_tables.TableFinder, "find", spy)
    path = tmp_path / "rich.pdf"
    path.write_bytes(plan.pdf)
    load(path)
    # Cover + TOC come first: printed page N is physical index N + 1 (0-based). Frames of list
    # boxes alone do not send a page to pdfplumber.
    assert calls == [page + 1 for page in plan.table_pages]


def test_intact_table_with_bad_arithmetic_is_flagged_not_rewritten(tmp_path: Path) -> None:
    rows = (
        replace(TABLE_ROWS[0], cells=("30.5", "32.0", "[2.5]")),  # 32.0 − 30.5 is 1.5
        *TABLE_ROWS[1:5],
        replace(TABLE_ROWS[5], cells=("1200", "1800.0", "5.0")),  # 5 % a year gives 1531.5
        *TABLE_ROWS[6:],
    )
    plan = rich_plan_pdf(rows=rows)
    path = tmp_path / "bad.pdf"
    path.write_bytes(plan.pdf)
    record = planparse.parse(path)
    assert [(w.code, w.page) for w in record.warnings] == [("indicator_arithmetic", plan.table_pages[0])] * 2
    assert "森林覆盖率" in record.warnings[0].message and "地区生产总值" in record.warnings[1].message
    assert [(c.raw, c.value, c.confidence) for c in record.indicators[0].cells] == [("30.5", 30.5, 1.0), ("32.0", 32.0, 1.0), ("[2.5]", 2.5, 1.0)]
    assert [c.value for c in record.indicators[5].cells] == [1200.0, 1800.0, 5.0]


def test_ruled_integer_table_is_intact(tmp_path: Path) -> None:
    """Without '.', '%' or '[ ]' a text table looks damaged; cells read from rules are intact."""
    rows = (
        IndicatorRow(1, "地区生产总值（亿元）", "预期性", ("1200", "1532", "5")),
        IndicatorRow(2, "常住人口（万人）", "预期性", ("520", "545", "1")),
        IndicatorRow(3, "粮食产量（万吨）", "约束性", ("150", "150", "0")),
    )
    plan = rich_plan_pdf(rows=rows)
    path = tmp_path / "int.pdf"
    path.write_bytes(plan.pdf)
    record = planparse.parse(path)
    assert not record.tables[0].damaged and record.warnings == []
    assert [[(c.value, c.confidence) for c in i.cells] for i in record.indicators] == [
        [(1200.0, 1.0), (1532.0, 1.0), (5.0, 1.0)], [(520.0, 1.0), (545.0, 1.0), (1.0, 1.0)], [(150.0, 1.0), (150.0, 1.0), (0.0, 1.0)],
    ]
    # The text path knows too: the rows keep the spaces between their cells, and nothing else in
    # the text is damaged (issue 12: intact is decided per cell, from separators).
    assert not planparse.parse_text(plan.text).tables[0].damaged


def test_bold_leads_are_detected_and_become_headlines(rich_bold: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    plan, record, from_text = rich_bold
    path = tmp_path / "bold.pdf"
    path.write_bytes(plan.pdf)
    pages = load(path).pdf_pages
    assert pages is not None
    found = [page.text[start:end] for page in pages for start, end in page.bold]
    assert found == list(plan.bold)
    headlines = [p.headline for c in record.chapters for s in c.sections for p in s.paragraphs if p.headline]
    assert headlines == list(plan.bold)
    assert "推进绿色发展，建设美丽滨海。" in headlines
    text_headlines = [p.headline for c in from_text.chapters for s in c.sections for p in s.paragraphs if p.headline]
    assert "推进绿色发展，建设美丽滨海。" not in text_headlines  # grammar alone: a comma, no headline


def test_bold_confirms_grammar_headlines() -> None:
    """In a document that sets its leads in bold, a short sentence in mid-line that is not bold
    stays inside its paragraph; without bold spans the paragraphs still follow the lines (no
    split at a short sentence in mid-line), and a short lead sentence is the headline."""
    from planparse import document as doc
    from planparse.load import load_text
    from planparse.normalize import normalize
    from planparse.segment import segment
    from planparse.text.pages import paged_without_detection
    from planparse.toc import scan_front_matter

    text = "第一章总体要求\n加强湿地保护。全市湿地面积稳定增长。生态功能持续提升，候鸟得到保护。\n推进污染治理。水质改善。\n强化组织领导。各区落实责任。\n"
    norm = normalize(load_text(text))
    front = scan_front_matter(norm)
    paged: doc.PagedText = paged_without_detection(norm, front, [])
    leads = [paged.text.index(lead) for lead in ("加强湿地保护。", "推进污染治理。", "强化组织领导。")]
    bold = [(start, start + 7) for start in leads]

    def paragraphs(spans: list[tuple[int, int]]) -> list[tuple[str, str | None]]:
        skeleton = segment(paged, front, bold=spans)
        return [(p.text, p.headline) for p in skeleton.chapters[0].paragraphs]

    assert paragraphs(bold) == [
        ("加强湿地保护。全市湿地面积稳定增长。生态功能持续提升，候鸟得到保护。", "加强湿地保护。"),
        ("推进污染治理。水质改善。", "推进污染治理。"),
        ("强化组织领导。各区落实责任。", "强化组织领导。"),
    ]
    assert paragraphs([]) == paragraphs(bold)  # not split at 全市湿地面积稳定增长。


def test_a_bold_lead_wrapped_over_two_lines_is_one_span() -> None:
    from planparse.pdf import _Layout, _Line, _page_text

    layout = _Layout(left=72.0, right=504.0, char=12.0)
    first = "坚持生态优先、绿色发展，统筹山水林田湖草沙系统治理，全面提升生态系"  # 34 chars, indented, all bold
    second = "统质量。推动形成绿色生产方式。"
    lines = [
        _Line(first, 96.0, 96.0 + 12 * len(first), 700.0, 712.0, bold=len(first)),
        _Line(second, 72.0, 72.0 + 12 * len(second), 678.0, 690.0, bold=4),
        _Line("第二节保障措施", 240.0, 324.0, 650.0, 662.0, bold=7),
    ]
    text, bold, tables = _page_text(lines, layout)
    assert text == first + second + "\n第二节保障措施"
    assert [text[start:end] for start, end in bold] == [first + "统质量。", "第二节保障措施"]
    assert tables == ()


def _record_of_pieces(pieces: list) -> planparse.models.PlanRecord:  # type: ignore[name-defined,type-arg]
    """The record of a plan whose only table is these ruled pieces, handed on as the PDF loader does:
    the pieces joined, printed one row per line, their Grid placed after a 专栏 label."""
    from planparse.document import SourceDocument
    from planparse.pdf_tables import build_grids, join_continuations, printed_lines
    from planparse.pipeline import extract_document

    joined = join_continuations(pieces)
    text = "滨海市规划\n第一章总体要求\n专栏1主要指标\n"
    anchors = {}
    for number, piece in enumerate(joined):
        for line in printed_lines(piece):
            anchors[(number, line.row)] = len(text)
            text += line.text + "\n"
    grids = build_grids(joined, [None] * (max(piece.page for piece in joined) + 1), anchors)
    for grid in grids:  # each printed cell's place holds it
        for row, spans in zip(grid.rows, grid.cell_spans):
            assert all(start < 0 or text[start:end] == cell for cell, (start, end) in zip(row, spans))
    return extract_document(SourceDocument(path="t.txt", sha256="0" * 64, format="text", encoding=None, text=text, grids=grids))


def test_serial_category_unit_and_parent_columns_of_a_grid() -> None:
    from planparse.pdf_tables import RuledTable

    box = (0.0, 1.0)
    header = (("序号", "类别", "指标", "单位", "规划目标", "规划目标"), ("序号", "类别", "指标", "单位", "2020年", "2025年"))
    first = RuledTable(
        0, (72.0, 400.0, 520.0, 700.0), header,
        (("1", "生态文明", "森林覆盖率", "%", "30.5", "32.0"), ("2", "生态文明", "空气质量", "", "", ""),
         ("", "生态文明", "优良天数比率", "%", "85.0", ""), ("3", "民生福祉", "人均预期寿命", "岁", "78", "79")),
        (box,) * 4, merged=((0, 0, 2, 1), (0, 1, 2, 1), (0, 2, 2, 1), (0, 3, 2, 1), (0, 4, 1, 2)),
    )
    more = RuledTable(1, (72.0, 600.0, 520.0, 760.0), (), (("4", "民生福祉", "城镇新增就业", "万人", "[50]", "[55]"),), (box,))
    record = _record_of_pieces([first, more])
    assert [(i.number, i.category, i.group, i.indicator, i.unit) for i in record.indicators] == [
        (1, "生态文明", None, "森林覆盖率", "%"), (2, "生态文明", "空气质量", "优良天数比率", "%"),
        (3, "民生福祉", None, "人均预期寿命", "岁"), (4, "民生福祉", None, "城镇新增就业", "万人"),
    ]
    assert [c.role for c in record.tables[0].columns] == ["base", "target"]
    assert [[c.raw for c in i.cells] for i in record.indicators] == [["30.5", "32.0"], ["85.0", "--"], ["78", "79"], ["[50]", "[55]"]]
    assert (record.boxes[0].number, record.boxes[0].title, record.boxes[0].kind) == (1, "主要指标", "indicator_table")


def test_bare_years_in_a_header_row() -> None:
    from planparse.pdf_tables import RuledTable, _header_rows

    grid = [["指标", "2020", "2025"], ["（1）森林覆盖率（%）", "30.5", "32.0"], ["（2）湿地保护率（%）", "52.0", "55.0"]]
    assert _header_rows(grid) == 1
    piece = RuledTable(0, (72.0, 400.0, 520.0, 700.0), (tuple(grid[0]),), tuple(tuple(row) for row in grid[1:]), ((0.0, 1.0),) * 2)
    record = _record_of_pieces([piece])
    assert [(c.path, c.year) for c in record.tables[0].columns][1:] == [("2020", 2020), ("2025", 2025)]
    assert [[c.value for c in row.cells][1:] for row in record.tables[0].rows] == [[30.5, 32.0], [52.0, 55.0]]


def test_a_table_after_body_text_does_not_continue_the_previous_page() -> None:
    from planparse.pdf_tables import RuledTable, join_continuations

    header = (("指标", "2020年", "2025年"),)
    rows = (("（1）森林覆盖率（%）", "30.5", "32.0"),)
    first = RuledTable(0, (72.0, 100.0, 520.0, 300.0), header, rows, ((0.0, 1.0),))
    second = RuledTable(1, (72.0, 500.0, 520.0, 700.0), (), rows, ((0.0, 1.0),))
    assert [t.continues for t in join_continuations([first, second])] == [False, True]
    assert [t.continues for t in join_continuations([first, second], lambda a, b: False)] == [False, False]
    third = RuledTable(2, (72.0, 500.0, 520.0, 700.0), (), (("x", "1", "2", "3"),), ((0.0, 1.0),))
    assert [t.continues for t in join_continuations([first, third])] == [False, False]  # pages not adjacent


def test_line_broken_text_table_parent_rows_and_wrapped_names() -> None:
    """The text rendering of a ruled table: a numbered label on its own line is a parent when
    several rows follow it, and a wrapped name when only one does."""
    text = (
        "滨海市规划\n第一章总体要求\n专栏1主要指标\n指标 属性 2020年 2025年 年均增长\n"
        "（1）森林覆盖率（%） 约束性 30.5 32.0 [1.5]\n"
        "（2）单位地区生产总值\n二氧化碳排放降低（%） 约束性 -- -- [18.0]\n"
        "（3）空气质量\n优良天数比率（%） 约束性 85.0 87.5 [2.5]\n细颗粒物浓度（微克/立方米） 约束性 38 35 [-3]\n"
        "注：①[ ]内为5年累计数。\n"
    )
    record = planparse.parse_text(text)
    assert [(i.number, i.group, i.indicator, i.indicator_raw, i.unit) for i in record.indicators] == [
        (1, None, "森林覆盖率", "森林覆盖率", "%"),
        (2, None, "单位地区生产总值二氧化碳排放降低", "单位地区生产总值二氧化碳排放降低", "%"),
        (3, "空气质量", "优良天数比率", "优良天数比率", "%"),
        (3, "空气质量", "细颗粒物浓度", "细颗粒物浓度", "微克/立方米"),
    ]


def test_bold_by_font_name() -> None:
    import io

    import pypdfium2 as pdfium
    from reportlab.pdfgen import canvas

    from planparse.pdf import _lines

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    text = pdf.beginText(72, 700)
    text.setFont("Helvetica-Bold", 12)
    text.textOut("Bold lead.")
    text.setFont("Helvetica", 12)
    text.textOut(" Plain text follows.")
    pdf.drawText(text)
    pdf.drawString(72, 680, "Plain line.")
    pdf.showPage()
    pdf.save()
    document = pdfium.PdfDocument(buffer.getvalue())
    textpage = document[0].get_textpage()
    lines = _lines(textpage, textpage.count_chars())
    assert [line.text[: line.bold] for line in lines] == ["Bold lead.", ""]


def test_ruled_integer_cells_are_checked_and_keep_the_headers_annual_meaning(tmp_path: Path) -> None:
    """Integer cells of a ruled table are intact too: their arithmetic is checked, and an
    unbracketed change under 年均增长 stays an annual rate."""
    rows = (
        IndicatorRow(1, "地区生产总值（亿元）", "预期性", ("1200", "1532", "5")),
        IndicatorRow(2, "常住人口（万人）", "预期性", ("520", "545", "25")),  # 25 % a year does not hold
    )
    plan = rich_plan_pdf(rows=rows)
    path = tmp_path / "int.pdf"
    path.write_bytes(plan.pdf)
    record = planparse.parse(path)
    assert [(w.code, "常住人口" in w.message) for w in record.warnings] == [("indicator_arithmetic", True)]
    assert [i.cells[2].cumulative for i in record.indicators] == [False, False]
    assert [c.value for c in record.indicators[1].cells] == [520.0, 545.0, 25.0]


def test_a_page_the_table_finder_cannot_read_is_warned_and_read_as_text(rich: tuple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[type-arg]
    from planparse import pdf_tables

    plan, _, _ = rich

    def broken(self: pdf_tables.TableFinder, index: int, area: object = None) -> list:  # type: ignore[type-arg]
        raise ValueError("unparseable content stream")

    monkeypatch.setattr(pdf_tables.TableFinder, "find", broken)
    path = tmp_path / "rich.pdf"
    path.write_bytes(plan.pdf)
    record = planparse.parse(path)
    unread = [warning for warning in record.warnings if warning.code == "pdf_table_unread"]
    assert [warning.page for warning in unread] == list(plan.table_pages)
    assert all("ValueError" in warning.message for warning in unread)
    assert record.indicators  # the table is still read, from its text lines


# ---------------------------------------------------------------- the host's fonts do not matter


def _record_on_host(font_dir: Path, mode: str, pdf: Path) -> dict:  # type: ignore[type-arg]
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-m", "tests.fixtures.pdfium_host", str(font_dir), mode, str(pdf)],
        cwd=root, capture_output=True, text=True, timeout=120, check=True,
    )
    return json.loads(result.stdout)


def test_records_do_not_depend_on_the_hosts_fonts(tmp_path: Path) -> None:
    """A host with a CJK font and a host without one give the same record, byte for byte; the
    control run (planparse's fonts kept out) shows the hosts really differ for PDFium."""
    from planparse.io.pdf import fonts

    plan = rich_plan_pdf()
    pdf = tmp_path / "rich.pdf"
    pdf.write_bytes(plan.pdf)
    with_cjk, without = tmp_path / "host-cjk", tmp_path / "host-none"
    with_cjk.mkdir()
    without.mkdir()
    # The "system" CJK font is not the face planparse maps this PDF's STSong-Light to: the
    # collection's other face (WenQuanYi Micro Hei Mono, other widths).
    (with_cjk / "host-cjk.ttf").write_bytes(fonts.font_data(index=1))
    on_cjk = _record_on_host(with_cjk, "on", pdf)
    on_none = _record_on_host(without, "on", pdf)
    assert on_cjk == on_none
    assert not [w for w in on_none["warnings"] if w["code"] == "pdf_glyphs_missing"]
    here = json.loads(json.dumps(record_data(planparse.parse(pdf)), ensure_ascii=False, sort_keys=True))
    assert here == on_none
    bare = _record_on_host(without, "off", pdf)
    assert bare != on_none
    missing = [w for w in bare["warnings"] if w["code"] == "pdf_glyphs_missing"]
    assert len(missing) == 1 and "pdfminer" in missing[0]["message"]


@pytest.mark.parametrize(
    ("face", "charset", "expected"),
    [
        (b"STSong-Light", 134, 1), (b"SimSun,Bold", 0, 1), (b"ABCDEF+FangSong_GB2312", 0, 1),
        ("宋体".encode("gbk"), 0, 1), ("仿宋_GB2312".encode(), 0, 1), (b"SimHei", 0, 2), (b"Microsoft YaHei", 134, 2),
        (b"Arial", 0, None), (b"TimesNewRomanPSMT", 0, None), (b"Unknown", 134, 1),
    ],
)
def test_font_requests_get_shipped_cjk_faces_or_pdfiums_own(face: bytes, charset: int, expected: int | None) -> None:
    from planparse.io.pdf import fonts

    assert fonts.choose_face(fonts.face_name(face), charset) == expected


# ---------------------------------------------------------------- which pages are ruled


def _drawn(draw: object) -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    draw(pdf)  # type: ignore[operator]
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _grid_lines(pdf: object, rows: int = 3, columns: int = 3) -> None:
    for row in range(rows):
        pdf.line(72, 600 + 20 * row, 372, 600 + 20 * row)  # type: ignore[attr-defined]
    for column in range(columns):
        pdf.line(72 + 150 * column, 600, 72 + 150 * column, 600 + 20 * (rows - 1))  # type: ignore[attr-defined]


def _thin_rectangles(pdf: object) -> None:
    for row in range(4):
        pdf.rect(72, 600 + 20 * row, 300, 0.5, stroke=0, fill=1)  # type: ignore[attr-defined]
    for column in range(3):
        pdf.rect(72 + 150 * column, 600, 0.5, 60, stroke=0, fill=1)  # type: ignore[attr-defined]


def _watermark(pdf: object) -> None:
    path = pdf.beginPath()  # type: ignore[attr-defined]
    for index in range(1500):  # 6000 curve segments, as a drawn seal or watermark text
        x, y = 72 + (index % 50) * 9, 200 + (index // 50) * 12
        path.circle(x, y, 4)
    pdf.drawPath(path, stroke=1, fill=0)  # type: ignore[attr-defined]


def _frame(pdf: object) -> None:
    pdf.rect(72, 500, 400, 200)  # type: ignore[attr-defined]


def _rules_only(pdf: object) -> None:  # a three-line table: horizontal rules, no verticals
    for y in (600, 620, 700):
        pdf.line(72, y, 472, y)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("draw", "ruled"),
    [(_grid_lines, True), (_thin_rectangles, True), (lambda pdf: _grid_lines(pdf, 2, 3), False),
     (lambda pdf: _grid_lines(pdf, 3, 2), False), (_watermark, False), (_frame, False), (_rules_only, False)],
    ids=["grid", "thin-rectangles", "one-row", "one-column", "watermark", "frame", "rules-only"],
)
def test_a_page_is_ruled_only_by_a_grid_of_straight_rules(draw: object, ruled: bool) -> None:
    import pypdfium2 as pdfium

    from planparse.io.pdf.ruling import has_grid

    document = pdfium.PdfDocument(_drawn(draw))
    assert has_grid(document[0]) is ruled


def test_a_watermark_page_with_a_table_is_still_ruled() -> None:
    import pypdfium2 as pdfium

    from planparse.io.pdf.ruling import has_grid

    document = pdfium.PdfDocument(_drawn(lambda pdf: (_watermark(pdf), _grid_lines(pdf))))
    assert has_grid(document[0])


def test_a_document_pdfplumber_cannot_open_is_tried_once_and_warned_once(
    rich: tuple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[type-arg]
) -> None:
    import pdfplumber

    plan, _, _ = rich
    opens: list[int] = []

    def broken(*args: object, **kwargs: object) -> object:
        opens.append(1)
        raise KeyError("Root")

    monkeypatch.setattr(pdfplumber, "open", broken)
    path = tmp_path / "rich.pdf"
    path.write_bytes(plan.pdf)
    record = planparse.parse(path)
    unread = [warning for warning in record.warnings if warning.code == "pdf_table_unread"]
    assert len(opens) == 1 and len(unread) == 1
    assert "KeyError" in unread[0].message and f"of {len(plan.table_pages)} pages" in unread[0].message
    assert unread[0].page == plan.table_pages[0] and record.indicators


# ---------------------------------------------------------------- ruled tables as grids of cells


@pytest.mark.parametrize("name", ["rich", "rich_bold"])
def test_a_ruled_table_is_one_grid_of_printed_cells(name: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    plan, _, _ = request.getfixturevalue(name)
    from planparse.pdf import load_pdf

    source = load_pdf(plan.pdf, path="plan.pdf", sha256="")
    assert len(source.grids) == 1
    grid = source.grids[0]
    assert grid.origin == "pdf" and grid.caption is None and grid.header_rows == 2
    assert grid.rows[0] == ("指标", "指标", "属性", "规划目标", "规划目标", "年均增长")
    assert grid.rows[1] == ("指标", "指标", "属性", "2020年", "2025年", "年均增长")
    body = grid.rows[2:]
    assert len(body) == len(TABLE_ROWS)  # the continuation joined, a repeated header dropped
    for row, expected in zip(body, TABLE_ROWS):
        label = f"（{expected.number}）{expected.parent}" if expected.parent else f"（{expected.number}）{expected.name}"
        assert row[0] == label and row[2:] == (expected.attribute, *expected.cells)
        assert row[1] == (expected.name if expected.parent else label)  # a merged cell filled from its span
    # Merged cells named once: the header's 规划目标 over two columns, 指标 over two rows and columns,
    # each parent over its sub-rows, each indicator name over two columns.
    assert {(0, 0, 2, 2), (0, 3, 1, 2), (0, 2, 2, 1), (0, 5, 2, 1), (4, 0, 2, 1)} <= set(grid.merged)
    first, second = plan.table_pages
    split = 2 + next(index for index, row in enumerate(TABLE_ROWS) if row.name.startswith("近岸海域"))
    assert grid.row_pages == (first,) * split + (second,) * (len(grid.rows) - split)
    # Each printed cell's place in the decoded text holds that cell; every value cell has one.
    inside = {(rr, cc) for r, c, rs, cs in grid.merged for rr in range(r, r + rs) for cc in range(c, c + cs) if (rr, cc) != (r, c)}
    for index, (row, spans) in enumerate(zip(grid.rows, grid.cell_spans)):
        for column, (cell, (start, end)) in enumerate(zip(row, spans)):
            if start >= 0:
                assert source.text[start:end] == cell
            else:
                assert (index, column) in inside or index < 2
            if index >= 2 and column >= 2:
                assert start >= 0
    assert 0 <= grid.start < grid.end <= len(source.text)


def _piece(page: int, header: tuple, rows: tuple, edges: tuple = (72.0, 200.0, 260.0, 320.0), merged: tuple = ()) -> object:  # type: ignore[type-arg]
    from planparse.pdf_tables import RuledTable

    return RuledTable(page, (72.0, 100.0, 320.0, 700.0), header, rows, ((0.0, 1.0),) * len(rows), edges=edges, merged=merged)


def test_a_continuation_is_joined_by_layout_even_when_its_header_lacks_a_level() -> None:
    from planparse.pdf_tables import join_continuations

    header = (("指标", "规划目标", "规划目标"), ("指标", "2020年", "2025年"))
    first = _piece(0, header, (("（1）森林覆盖率（%）", "30.5", "32.0"),))
    short_header = _piece(1, (("指标", "2020年", "2025年"),), (("（2）湿地保护率（%）", "52.0", "55.0"),))
    joined = join_continuations([first, short_header])  # type: ignore[list-item]
    assert [t.continues for t in joined] == [False, True] and joined[1].repeated == 1
    moved = _piece(1, (), (("（2）湿地保护率（%）", "52.0", "55.0"),), edges=(72.0, 150.0, 260.0, 320.0))
    assert [t.continues for t in join_continuations([first, moved])] == [False, False]  # type: ignore[list-item]
    other = _piece(1, (("项目", "2020年", "2025年"),), (("（2）湿地保护率（%）", "52.0", "55.0"),))
    assert [t.continues for t in join_continuations([first, other])] == [False, False]  # type: ignore[list-item]


def test_category_rows_equal_neighbours_word_and_bracket_cells_of_a_grid() -> None:
    from planparse.pdf_tables import _header_rows, printed_lines

    grid = [
        ["指标", "属性", "2020年", "2025年", "年均增长"],
        ["经济发展"] * 5,
        ["（1）粮食综合生产能力（万吨）", "约束性", "13210", "13210", "0"],
        ["（2）研究与试验发展经费投入强度（%）", "预期性", "2.5", "完成国家指标", "[>3]"],
        ["资源环境"] * 5,
        ["（3）森林覆盖率（%）", "约束性", "30.5", "32.0", "[1.5]"],
    ]
    assert _header_rows(grid, {1, 4}) == 1  # the category row is not a header level
    piece = _piece(0, (tuple(grid[0]),), tuple(tuple(row) for row in grid[1:]),
                   edges=(72.0, 200.0, 240.0, 280.0, 320.0, 360.0), merged=((1, 0, 1, 5), (4, 0, 1, 5)))
    assert [line.text for line in printed_lines(piece)] == [  # type: ignore[arg-type]
        "指标 | 属性 | 2020年 | 2025年 | 年均增长", "经济发展", "（1）粮食综合生产能力（万吨） | 约束性 | 13210 | 13210 | 0",
        "（2）研究与试验发展经费投入强度（%） | 预期性 | 2.5 | 完成国家指标 | [>3]", "资源环境",
        "（3）森林覆盖率（%） | 约束性 | 30.5 | 32.0 | [1.5]",
    ]
    record = _record_of_pieces([piece])
    assert [(i.category, i.indicator, [(c.raw, c.value, c.text) for c in i.cells]) for i in record.indicators] == [
        ("经济发展", "粮食综合生产能力", [("13210", 13210.0, None), ("13210", 13210.0, None), ("0", 0.0, None)]),
        # [>3] kept as printed, with its value (the comparator printed inside the brackets).
        ("经济发展", "研究与试验发展经费投入强度", [("2.5", 2.5, None), ("完成国家指标", None, "完成国家指标"), ("[>3]", 3.0, None)]),
        ("资源环境", "森林覆盖率", [("30.5", 30.5, None), ("32.0", 32.0, None), ("[1.5]", 1.5, None)]),
    ]


# ---------------------------------------------------------------- layout as evidence


def _layout_pdf(pages: int = 3, roman: bool = False, watermark: bool = False) -> bytes:
    import io

    from reportlab.pdfgen import canvas

    from tests.fixtures.make_plan_pdf import _register

    _register()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(595, 842), invariant=1)
    for page in range(pages):
        if watermark:
            pdf.saveState()
            pdf.setFont("STSong-Light", 40)
            pdf.translate(300, 400)
            pdf.rotate(45)
            pdf.drawCentredString(0, 0, "内部资料注意保密")
            pdf.restoreState()
            pdf.setFont("STSong-Light", 9)
            pdf.drawString(460, 500, "样本")  # a stamp at the same place on every page
        pdf.setFont("STSong-Light", 16)
        pdf.drawCentredString(297, 760, f"第{'一二三'[page]}章总体要求")
        spaced = pdf.beginText(72, 720)
        spaced.setFont("STSong-Light", 12)
        spaced.setCharSpace(6)
        spaced.textOut("税务总局办公厅"[: 7 - page])
        pdf.drawText(spaced)
        pdf.setFont("STSong-Light", 12)
        pdf.drawString(360, 720, "文件")
        line = pdf.beginText(72, 690)
        line.setFont("STSong-Light", 12)
        line.textOut("新建")
        line.setCharSpace(4)
        line.textOut("50")
        line.setCharSpace(0)
        line.textOut("座，改造")
        line.setCharSpace(4)
        line.textOut("250")
        line.setCharSpace(0)
        line.textOut("万亩农田。" + "一二三"[page])
        pdf.drawText(line)
        for row in range(12):
            pdf.drawString(72, 660 - 22 * row, f"坚持生态优先、绿色发展，统筹山水林田湖草沙系统治理，第{page + 1}页第{row + 1}行。")
        pdf.setFont("STSong-Light", 9)
        pdf.drawCentredString(297, 45, ["i", "ii", "Ⅲ"][page] if roman else f"— {page + 1} —")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_letter_spaced_runs_are_joined_and_wide_gaps_kept(tmp_path: Path) -> None:
    path = tmp_path / "spaced.pdf"
    path.write_bytes(_layout_pdf())
    pages = load(path).pdf_pages
    assert pages is not None
    lines = pages[0].text.split("\n")
    assert "新建50座，改造250万亩农田。一" in lines
    assert any(line.startswith("税务总局办公厅") and line.endswith(" 文件") for line in lines)


def test_watermarks_stamps_and_roman_footers_are_furniture(tmp_path: Path) -> None:
    path = tmp_path / "marked.pdf"
    path.write_bytes(_layout_pdf(roman=True, watermark=True))
    pages = load(path).pdf_pages
    assert pages is not None
    text = "".join(page.text for page in pages)
    assert "内部资料" not in text and "样本" not in text
    assert not any(mark in page.text.split("\n") for page in pages for mark in ("i", "ii", "Ⅲ"))
    assert [page.printed for page in pages] == [None, None, None]
    assert all(page.text.startswith(f"第{'一二三'[index]}章总体要求\n") for index, page in enumerate(pages))


def test_each_line_records_its_size_weight_centring_and_gap(tmp_path: Path) -> None:
    path = tmp_path / "layout.pdf"
    path.write_bytes(_layout_pdf())
    page = load(path).pdf_pages[0]  # type: ignore[index]
    heading, masthead, spaced, first, body = page.lines[:5]
    assert page.text[heading.start:heading.end] == "第一章总体要求"
    assert (heading.size, heading.centred, heading.bold) == (16.0, True, False)
    assert (body.size, body.centred) == (12.0, False) and body.gap == 0.0
    assert masthead.gap > 0.2 and first.gap > 0.2  # wider spaces than between body lines
    assert page.text[spaced.start:spaced.end] == "新建50座，改造250万亩农田。一"


# ---------------------------------------------------------------- the committed PDFs of three producers

PDFS = Path(__file__).resolve().parents[1] / "pdfs"
PRODUCERS = ("reportlab_plan", "libreoffice_plan", "weasyprint_plan")


def _embedded(pdf: Path) -> set[bool]:
    """Whether the fonts of the PDF's text are embedded (one value per font seen)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    seen = set()
    document = pdfium.PdfDocument(pdf)
    for page in document:
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
            font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
            seen.add(bool(pdfium_c.FPDFFont_GetIsEmbedded(font)))
    return seen


def test_the_fixture_pdfs_embed_fonts_in_some_and_not_in_others() -> None:
    assert _embedded(PDFS / "reportlab_plan.pdf") == {False}
    assert _embedded(PDFS / "libreoffice_plan.pdf") == {True}
    assert _embedded(PDFS / "weasyprint_plan.pdf") == {True}


@pytest.mark.parametrize("name", PRODUCERS)
def test_every_printed_line_of_the_plan_is_read_from_each_producers_pdf(name: str) -> None:
    """The body as the PDF prints it: each paragraph and heading of the plan's text is one line
    of the loaded pages (wraps joined, letter spacing closed, furniture gone)."""
    source = load(PDFS / f"{name}.pdf")
    assert source.pdf_pages is not None
    lines = {line.replace(" ", "") for page in source.pdf_pages for line in page.text.split("\n")}
    text = (PDFS / f"{name}.txt").read_text(encoding="utf-8")
    all_lines = text.split("\n")
    body = all_lines[[index for index, line in enumerate(all_lines) if line.startswith("第一章")][-1]:]  # after the TOC
    prose = [line for line in body if line.endswith("。") and not line.startswith("注") and " " not in line]
    headings = [line for line in body if regex_heading(line)]
    assert len(prose) >= 8 and len(headings) >= 9
    missing = [line for line in prose + headings if line not in lines]
    assert missing == []
    furniture = ("滨海市“十四五”生态环境保护规划", "滨海市生态保护规划")
    for page in source.pdf_pages[1:]:
        assert not any(line in furniture or line.startswith("—") for line in page.text.split("\n"))


def regex_heading(line: str) -> bool:
    import regex

    return bool(regex.fullmatch(r"第[一二三四五六七八九十]+[篇章节]\S{2,20}", line))


@pytest.mark.parametrize(("name", "printed"), [("libreoffice_plan", [None, None, 1, 2]), ("weasyprint_plan", [None, 2, 3, 4])])
def test_printed_page_numbers_of_each_producer(name: str, printed: list[int | None]) -> None:
    """LibreOffice: Roman footers on the front pages (furniture, no number), — N — in the body;
    WeasyPrint: — N — from the TOC on."""
    source = load(PDFS / f"{name}.pdf")
    assert [page.printed for page in source.pdf_pages or ()] == printed


def _expected_grid() -> list[tuple[str, ...]]:
    from tests.fixtures.make_plan_docx import INDICATORS

    rows = [("指标", "指标", "属性", "规划目标", "规划目标", "年均增长"), ("指标", "指标", "属性", "2020年", "2025年", "年均增长")]
    seen: set[str] = set()
    parents: dict[str, str] = {}
    number = 0
    for category, parent, name, attribute, *cells in INDICATORS:
        if category not in seen:
            seen.add(category)
            rows.append((category,) * 6)
        if parent is None:
            number += 1
            rows.append((f"（{number}）{name}", f"（{number}）{name}", attribute, *cells))
            continue
        if parent not in parents:
            number += 1
            parents[parent] = f"（{number}）{parent}"
        rows.append((parents[parent], name, attribute, *cells))
    return rows


@pytest.mark.parametrize("name", ["libreoffice_plan", "weasyprint_plan"])
def test_the_indicator_table_of_each_producer_is_the_same_grid(name: str) -> None:
    from planparse.pdf import load_pdf

    source = load_pdf((PDFS / f"{name}.pdf").read_bytes(), path=f"{name}.pdf", sha256="")
    assert len(source.grids) == 1
    grid = source.grids[0]
    assert list(grid.rows) == _expected_grid() and grid.header_rows == 2
    pages = sorted(set(grid.row_pages))
    assert len(pages) == 2 and pages[1] == pages[0] + 1  # one table over two pages, each row its page
    merged = set(grid.merged)
    categories = [index for index, row in enumerate(grid.rows) if len(set(row)) == 1]
    assert all((index, 0, 1, 6) in merged for index in categories)
    water = [index for index, row in enumerate(grid.rows) if row[0].endswith("水环境")]
    assert (water[0], 0, 2, 1) in merged  # the parent cell merged down over the page break
    assert grid.row_pages[water[0]] + 1 == grid.row_pages[water[1]]
    for row, spans in zip(grid.rows, grid.cell_spans):
        for cell, (start, end) in zip(row, spans):
            assert start < 0 or source.text[start:end] == cell


def _producer_structure(record: planparse.models.PlanRecord) -> dict:  # type: ignore[name-defined]
    data = record_data(record)
    return {
        "toc": [(t["level"], t["number"], t["title"], t["page"]) for t in data["toc"]],
        "chapters": [(c["number"], c["title"], [(s["number"], s["title"], [(p["text"], p["headline"]) for p in s["paragraphs"]])
                                                for s in c["sections"]]) for c in data["chapters"]],
        "boxes": [(b["number"], b["title"], b["kind"], b["notes"]) for b in data["boxes"]],
    }


@pytest.mark.parametrize("name", ["libreoffice_plan", "weasyprint_plan"])
def test_each_producers_record_has_its_texts_structure(name: str) -> None:
    from_pdf = planparse.parse(PDFS / f"{name}.pdf")
    from_text = planparse.parse_text((PDFS / f"{name}.txt").read_text(encoding="utf-8"))
    assert _producer_structure(from_pdf) == _producer_structure(from_text)
    assert [c.page for c in from_pdf.chapters] == [t.page for t in from_pdf.toc if t.level == "chapter"]


@pytest.mark.parametrize("name", ["libreoffice_plan", "weasyprint_plan"])
def test_each_producers_indicator_cells_are_all_read(name: str) -> None:
    from tests.fixtures.make_plan_docx import INDICATORS

    record = planparse.parse(PDFS / f"{name}.pdf")
    assert [(i.category, i.indicator, [c.raw for c in i.cells]) for i in record.indicators] == [
        (category, name.split("（")[0], list(cells)) for category, _, name, _, *cells in INDICATORS
    ]


def test_a_row_split_over_the_page_break_is_joined_back() -> None:
    """Word and LibreOffice split a row over a page break: the continuation starts with the row's
    rest (empty, or the text of a merged parent cell that did not fit). The rest joins the cell it
    continues; a cell merged down over the break (the attribute) is filled on the next page."""
    from planparse.pdf_tables import join_continuations

    header = (("指标", "指标", "属性", "2015年", "2020年"),)
    first = _piece(0, header, (
        ("（1）森林覆盖率（%）", "（1）森林覆盖率（%）", "约束性", "30.5", "32.0"),
        ("（2）主要污染物排放", "化学需氧量", "约束性", "--", "[8.4]"),
        ("（2）主要污染物排放", "氨氮", "约束性", "--", "[7.6]"),
    ), edges=(72.0, 120.0, 200.0, 240.0, 280.0, 320.0), merged=((1, 0, 1, 2), (2, 0, 2, 1), (2, 2, 2, 1)))
    rest = _piece(1, header, (
        ("总量减少（%）", "", "", "", ""), ("总量减少（%）", "二氧化硫", "", "--", "[17.3]"),
        ("（3）湿地保护率（%）", "（3）湿地保护率（%）", "约束性", "52.0", "55.0"),
    ), edges=(72.0, 120.0, 200.0, 240.0, 280.0, 320.0), merged=((1, 0, 2, 1), (1, 2, 2, 1), (3, 0, 1, 2)))
    joined = join_continuations([first, rest])  # type: ignore[list-item]
    assert [piece.continues for piece in joined] == [False, True]
    assert [row[0] for row in joined[0].rows[1:]] == ["（2）主要污染物排放总量减少（%）"] * 2
    assert joined[1].rows[:2] == (("（2）主要污染物排放总量减少（%）", "二氧化硫", "约束性", "--", "[17.3]"),
                                  ("（3）湿地保护率（%）", "（3）湿地保护率（%）", "约束性", "52.0", "55.0"))
    record = _record_of_pieces([first, rest])
    assert [(i.number, i.group, i.indicator, i.unit, i.attribute, [c.raw for c in i.cells]) for i in record.indicators] == [
        (1, None, "森林覆盖率", "%", "约束性", ["30.5", "32.0"]),
        (2, "主要污染物排放总量减少", "化学需氧量", "%", "约束性", ["--", "[8.4]"]),
        (2, "主要污染物排放总量减少", "氨氮", "%", "约束性", ["--", "[7.6]"]),
        (2, "主要污染物排放总量减少", "二氧化硫", "%", "约束性", ["--", "[17.3]"]),
        (3, None, "湿地保护率", "%", "约束性", ["52.0", "55.0"]),
    ]
    # The parent cell and the attribute are one merged cell each, over the break.
    grid = planparse.pdf_tables.build_grids(joined, [1, 2], {})  # type: ignore[attr-defined]
    assert {(2, 0, 3, 1), (2, 2, 3, 1)} <= set(grid[0].merged)


def test_an_empty_rest_of_a_split_row_is_dropped() -> None:
    from planparse.pdf_tables import join_continuations

    header = (("指标", "属性", "2015年", "2020年"),)
    first = _piece(0, header, (("森林覆盖率（%）", "约束性", "30.5", "32.0"),))
    rest = _piece(1, (*header, ("", "", "", "")), (("湿地保护率（%）", "约束性", "52.0", "55.0"),))
    joined = join_continuations([first, rest])  # type: ignore[list-item]
    assert [piece.continues for piece in joined] == [False, True] and joined[1].rows == (("湿地保护率（%）", "约束性", "52.0", "55.0"),)


# ---------------------------------------------------------------- the seed as a ministry's PDF


def test_the_seed_as_a_ministry_pdf_reads_every_printed_cell() -> None:
    """tests/pdfs/seed_plan.pdf: the seed plan as a Word document converted by LibreOffice (two
    indicator tables over two pages each, category rows, parent cells merged down, a row split over
    a page break, word cells): every one of its 187 printed cells is read as printed, with its value."""
    from tests.pdfs.compare import cells_right, heading_pages, printed_rows

    record = json.loads(json.dumps(record_data(planparse.parse(PDFS / "seed_plan.pdf")), ensure_ascii=False))
    right, total, wrong = cells_right(record, printed_rows("seed_plan"))
    assert total == 187
    assert wrong == [] and right == 187
    seed = json.loads((PDFS.parents[1] / "data" / "structured" / "dongbei_13th_fyp_2016.json").read_text(encoding="utf-8"))
    assert [(c["number"], c["title"], [s["title"] for s in c["sections"]]) for c in record["chapters"]] == [
        (c["number"], c["title"], [s["title"] for s in c["sections"]]) for c in seed["chapters"]]
    assert heading_pages(record) == (57, 57)
    assert [(b["number"], b["kind"]) for b in record["boxes"][:2]] == [(1, "indicator_table"), (2, "indicator_table")]
    assert [t["title"] for t in record["tables"] if t["box"] in (1, 2)] == [b["title"] for b in seed["boxes"][:2]]
    # Every paragraph (one of them over a page break) and its headline as the plan's text gives it.
    from tests.pdfs.compare import paragraphs, text_record

    assert paragraphs(record) == paragraphs(text_record("seed_plan")) and len(paragraphs(record)) > 200
    grids = load(PDFS / "seed_plan.pdf").grids
    assert [len(set(grid.row_pages)) for grid in grids] == [2, 3]  # each table over a page break


@pytest.mark.parametrize("name", [*PRODUCERS, "seed_plan"])
def test_each_committed_pdf_gives_one_record_with_and_without_a_system_cjk_font(name: str, tmp_path: Path) -> None:
    from tests.pdfs.compare import SYSTEM_CJK, on_host

    with_cjk, without = tmp_path / "cjk", tmp_path / "none"
    with_cjk.mkdir()
    without.mkdir()
    from planparse.io.pdf import fonts

    # A CJK system font: the machine's own where it has one, else the shipped collection's other face.
    (with_cjk / "host.ttc").write_bytes(SYSTEM_CJK.read_bytes() if SYSTEM_CJK.exists() else fonts.font_data(index=1))
    assert on_host(PDFS / f"{name}.pdf", with_cjk) == on_host(PDFS / f"{name}.pdf", without)


def test_a_line_wrapped_before_a_number_or_over_a_page_break_goes_on() -> None:
    """A line that ends short of the right edge because the next line starts with a number that
    did not fit is a wrap, not a paragraph's end; so is a page's first line after a full last line."""
    from planparse.pdf import _breaks, _Layout, _Line

    layout = _Layout(left=90.0, right=500.0, char=14.0, full=29.0)
    previous = _Line("推动产业结构调整取得积极进展，服务业增加值比重提高到", 90.0, 458.0, 700.0, 714.0)  # 3 characters short
    assert not _breaks(previous, _Line("47.4%，初步建成先进装备制造业基地。", 90.0, 380.0, 680.0, 694.0), layout)
    short = _Line("推动产业结构调整取得积极进展", 90.0, 286.0, 700.0, 714.0)  # a line of its own: no sentence end, half a line
    assert _breaks(short, _Line("初步建成先进装备制造业基地。", 90.0, 290.0, 680.0, 694.0), layout)
    heading = _Line("第一节发展环境", 90.0, 188.0, 700.0, 714.0)
    assert _breaks(heading, _Line("面对复杂多变的国际国内环境。", 90.0, 290.0, 680.0, 694.0), layout)
    toc = _Line("第一章发展基础……………………1", 90.0, 520.0, 700.0, 714.0)
    assert _breaks(toc, _Line("第二章主要目标……………………3", 90.0, 520.0, 680.0, 694.0), layout)


@pytest.mark.parametrize(("name", "bold"), [(b"SimHei", True), (b"ABCDEF+SimHei,Bold", True), (b"WenQuanYi-Zen-Hei-Bold", True),
                                            (b"ECYXMQ+WenQuanYi-Zen-Hei-Medium", False), (b"NotoSansSC-Regular", False),
                                            (b"Helvetica-Bold", True), (b"SimSun", False)])
def test_a_hei_face_is_bold_unless_it_names_a_regular_weight(name: bytes, bold: bool) -> None:
    from planparse.pdf import _BOLD_FONT

    assert bool(_BOLD_FONT.search(name)) is bold
