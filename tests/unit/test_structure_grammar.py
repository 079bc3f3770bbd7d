"""The heading grammar's labels (planparse.structure.grammar) and the flattened-text heading
finders of planparse.structure.headings that read runs of labels."""

from __future__ import annotations

from planparse.structure.grammar import find_labels
from planparse.structure.headings import Layout, ordinal_titles


def _keys(text: str) -> list[tuple[str, int | None]]:
    return [label.key for label in find_labels(text, 0, len(text))]


def test_numerals_enumerated_in_running_text_are_no_labels() -> None:
    # 二、三产业 and 一、二、三产业 enumerate numbers; 二、政府工作 numbers a heading.
    assert _keys("财政收入增长2倍；二、三产业增加值比重提高。二、政府工作总体要求") == [("outline1", 2)]
    assert _keys("全面提升一、二、三产业发展水平。") == []
    assert _keys("一、三峡工程建设顺利推进。") == [("outline1", 1)]


def _flat(text: str) -> Layout:
    return Layout(text, frozenset(), 0, len(text))


def test_ordinal_runs_of_running_text_are_not_headings() -> None:
    # The ordinals of a list in running text open short clauses close together.
    text = "我们有以下几点体会：第一，坚持解放思想、实事求是。第二，妥善处理改革、发展、稳定的关系。" \
           "第三，坚持两手抓、两手都要硬。今后要继续坚持。"
    assert ordinal_titles(_flat(text)) == []


def test_ordinal_runs_that_head_parts_are_headings() -> None:
    filler = "各级政府要把这项工作摆在突出位置，统筹安排，精心组织，切实抓紧抓好，确保各项任务落到实处。" * 14
    titles = ["第一，进一步稳定和加强农业", "第二，国有企业改革要取得新的突破", "第三，继续加强和改善宏观调控"]
    bodies = ["农业事关全局，决不能放松。", "国有企业改革是当前经济体制改革的重点，要攻坚。", "今年宏观调控的主要目标是经济增长速度8左右。"]
    text = "今年要着重抓好以下工作：" + "".join(title + body + filler for title, body in zip(titles, bodies))
    found = ordinal_titles(_flat(text))
    assert [text[start:title.end] for start, title in found][1:] == titles[1:]
    assert len(found) == 3
