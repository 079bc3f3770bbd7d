"""The harness's truth: plain lines (no #, no bold) that are headings by the document's layout."""

from __future__ import annotations

from tests.tools.corpus import _plain_heading_lines


def _found(markdown: str) -> list[str]:
    raws = markdown.split("\n")
    return [raws[index] for index in sorted(_plain_heading_lines(raws))]


def test_short_line_between_paragraphs_is_a_heading() -> None:
    text = "各位代表：\n\n2017年工作回顾\n\n过去一年，我们坚持稳中求进。\n\n2018年工作安排\n\n今年要着力抓好六个方面工作：\n\n**一、加快发展**"
    assert _found(text) == ["2017年工作回顾", "2018年工作安排"]


def test_appendix_lines_chain() -> None:
    text = "让我们携手奋进。\n\n附件\n\n名词解释和有关情况说明\n\n1.新空间：指适应新形势的产业空间。"
    assert _found(text) == ["名词解释和有关情况说明"]  # (附件 labels the title after it)


def test_not_headings() -> None:
    # a lead-in ending in a colon, a dateline, a signature before its date, a bracketed print
    # note, a fragment of a hard-wrapped paragraph (no paragraph end before it), a long line
    text = ("开头一句。\n\n重点做好以下工作：\n\n第一句话。\n\n新华社北京3月10日电\n\n第二句话。\n\n（紧转第2版）\n\n"
            "第三句话在这里没有结束\n\n而是在下一行继续说完\n\n第四句话。\n\n"
            "这一行有二十一个字符所以太长了不会是标题的\n\n第五句话。\n\n市十三届人大四次会议秘书处\n\n2011年1月12日")
    assert _found(text) == []
