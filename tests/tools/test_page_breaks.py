"""The damage simulators glue a page number only where a printed line could begin."""

from __future__ import annotations

from planparse.damage import NO_LINE_START, damage_text, line_starts_allowed
from tests.tools.corpus import documents, variants


def test_no_page_begins_inside_a_number_or_before_closing_punctuation() -> None:
    # 增长12.6%，其中（一）: kept characters 增长126，其中（一）, in a line longer than a printed one
    tail = "，全年粮食产量保持稳定，农民收入持续增长。"
    allowed = line_starts_allowed("增长12.6%，其中（一）" + tail)[: len("增长126，其中（一）")]
    kept = "增长126，其中（一）"
    assert len(allowed) == len(kept)
    said = dict(zip(kept, allowed, strict=True))
    assert allowed[0] and said["长"] and said["1"]  # between characters, before a number
    assert not allowed[kept.index("2")] and not allowed[kept.index("6")]  # inside 12.6
    assert not allowed[kept.index("，")]  # a line never starts with a comma
    assert not allowed[kept.index("一")]  # nor right after an opening bracket
    assert allowed[kept.index("（")]


def test_a_line_no_longer_than_a_printed_line_is_never_broken() -> None:
    # A heading, a caption or a table row is printed on one line: a page begins before it, never
    # inside it (表5|6|固定资产投资情况 had page 6 glued after the caption's number).
    assert line_starts_allowed("表5. 固定资产投资情况") == [True] + [False] * 9
    assert line_starts_allowed("第三章 推进新型城镇化\n原盐  2953万吨  4.1") == [True] + [False] * 9 + [True] + [False] * 9


def test_the_corpus_variants_follow_the_rule() -> None:
    document = next(d for d in documents() if d.kind == "communique")
    for item in variants(document):
        for offset, digits in item.page_marks:
            after = item.text[offset + len(digits) : offset + len(digits) + 1]
            assert after not in NO_LINE_START, (item.name, item.text[offset - 6 : offset + 8])


def test_damage_text_follows_the_rule() -> None:
    text = "全年粮食产量增长12.6%，达到6.5亿吨，其中（一）稻谷增长3.4%。" * 40
    damaged = damage_text(text, chars_per_page=37, seed=1)
    assert len(damaged.pages) > 10
    for offset, page in damaged.pages:
        after = damaged.text[offset + len(str(page)) : offset + len(str(page)) + 1]
        assert after not in NO_LINE_START and not (after.isdigit() and damaged.text[offset - 1 : offset].isdigit())
