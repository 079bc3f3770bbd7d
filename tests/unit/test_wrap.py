"""The hard-wrap test: a print's fixed-width line breaks are dropped from the hints, the text's
own breaks (paragraph ends, headings, page-number lines) are kept, and text whose lines are
paragraphs is left as it is."""

from __future__ import annotations

from planparse.normalize import normalize_text
from planparse.text.wrap import hard_wrap

_WRAPPED = [
    "第六个五年计划的基本任务，是继续贯彻调整、改革、",
    "整顿、提高的方针，进一步解决过去遗留下来的各种问",
    "题，为下一个五年计划期间的经济和社会发展奠定基础。",
    "一、工农业生产，在提高经济效益的前提下，计划平均",
    "每年递增4%，在执行中争取达到5%。",
    "12",
    "第二章 农业",
]


def test_wraps_are_dropped_and_own_breaks_kept() -> None:
    text = "\n".join(_WRAPPED * 4)
    norm = normalize_text(text)
    wrapped, signal = hard_wrap(norm)
    assert signal.present and signal.kind == "lines_hard_wrapped"
    first = {line: norm.text.index(line.replace(" ", "")) for line in _WRAPPED}
    assert first["整顿、提高的方针，进一步解决过去遗留下来的各种问"] not in wrapped.line_breaks  # a wrap
    assert first["每年递增4%，在执行中争取达到5%。"] not in wrapped.line_breaks  # the item runs on
    assert first["一、工农业生产，在提高经济效益的前提下，计划平均"] in wrapped.line_breaks  # after a sentence end
    assert first["12"] in wrapped.line_breaks  # a page number's line is not text
    assert first["第二章 农业"] in wrapped.line_breaks


def test_lines_that_are_paragraphs_are_kept() -> None:
    paragraphs = [
        "各位代表：现在，我代表市人民政府，向大会报告工作，请予审议，并请市政协委员提出意见。",
        "过去一年，全市地区生产总值增长6.5%，一般公共预算收入增长8.1%。",
        "一、2023年工作回顾",
        "我们坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念，加快构建新发展格局，着力推动高质量发展，经济社会发展主要目标任务顺利完成。",
        "（一）经济运行稳中向好",
    ] * 6
    norm = normalize_text("\n".join(paragraphs))
    wrapped, signal = hard_wrap(norm)
    assert not signal.present
    assert wrapped.line_breaks == norm.line_breaks


def test_a_tables_rows_keep_their_lines() -> None:
    # Rows of similar width that end without a sentence mark are not a print's wraps: they are
    # mostly figures, not running text.
    rows = [f"原盐{2953 + index}万吨{index % 9}.{index % 7}" for index in range(15)]
    rows += [f"钢材2，{716 + index}万吨{index % 9}．{index % 7}" for index in range(15)]  # the 1980s' full-width marks
    norm = normalize_text("\n".join(rows))
    wrapped, signal = hard_wrap(norm)
    assert not signal.present
    assert wrapped.line_breaks == norm.line_breaks
