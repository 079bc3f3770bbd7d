"""The markup loaders' views: what the markup declares beyond the text (here, blockquotes)."""

from pathlib import Path

from planparse.io.html import html_view
from planparse.io.markdown import markdown_view


def _quoted(text: str, spans: tuple[tuple[int, int], ...]) -> list[str]:
    return [text[start:end].strip() for start, end in spans]


def test_a_markdown_blockquote_runs_over_its_bare_quote_lines_and_ends_at_a_plain_line() -> None:
    view, _ = markdown_view(
        "正文第一段。\n\n> **专栏1　重点工程**\n>\n> **沃土工程**→加大耕地质量建设力度。\n>\n> **植保工程**→完善基层站点。\n\n正文第二段。\n"
    )
    assert _quoted(view.text, view.quotes) == ["专栏1　重点工程\n沃土工程→加大耕地质量建设力度。\n植保工程→完善基层站点。"]
    assert "正文第二段" not in view.text[view.quotes[0][0] : view.quotes[0][1]]


def test_two_blockquotes_a_blank_line_apart_are_two() -> None:
    view, _ = markdown_view("> 专栏1　甲\n> 甲的内容。\n\n> 专栏2　乙\n> 乙的内容。\n")
    assert _quoted(view.text, view.quotes) == ["专栏1　甲\n甲的内容。", "专栏2　乙\n乙的内容。"]


def test_an_html_blockquote_is_one_span_with_its_nested_quotes() -> None:
    view, _ = html_view(
        "<html><body><p>正文。</p><blockquote><p><b>专栏1　重点工程</b></p><p>沃土工程→加大投入。</p>"
        "<blockquote><p>引文。</p></blockquote></blockquote><p>后文。</p></body></html>"
    )
    assert len(view.quotes) == 1
    quoted = _quoted(view.text, view.quotes)[0]
    assert quoted.startswith("专栏1") and "引文" in quoted and "后文" not in quoted


def test_an_unclosed_html_blockquote_runs_to_the_end() -> None:
    view, _ = html_view("<html><body><p>正文。</p><blockquote><p>专栏1　重点工程</p><p>甲工程→内容。</p></body></html>")
    assert len(view.quotes) == 1 and view.text[view.quotes[0][0] : view.quotes[0][1]].strip().endswith("甲工程→内容。")


def test_a_quoted_box_whose_one_long_line_has_no_sentence_mark_is_all_title(tmp_path: Path) -> None:
    import planparse

    title = "很长的标题" * 10
    source = tmp_path / "box.md"
    source.write_text(f"## 第一章 总则\n\n> **专栏2　{title}**\n\n## 第二章 任务\n\n内容。\n", encoding="utf-8")
    record = planparse.parse(source)
    assert [(box.number, box.title) for box in record.boxes] == [(2, title)]
