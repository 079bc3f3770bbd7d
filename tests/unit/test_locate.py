"""Repairs are placed inside their context at their own offset, not at a look-alike."""

from __future__ import annotations

from planparse.locate import context_offset
from planparse.models import Repair


def _repair(source: str, at: str, before: str, context: str, after: str = "") -> Repair:
    return Repair(kind="page_number", page=1, offset=source.index(at), before=before, after=after, confidence=0.9,
                  context=context)


def test_the_repaired_digit_not_the_first_look_alike() -> None:
    source = "2016年11月1目录第一章攻坚克难"
    repair = _repair(source, "1目录", "1", "16年11月1目录第一章攻")
    assert context_offset(repair, source) == 6


def test_a_context_cut_from_text_with_page_numbers_removed_still_places() -> None:
    # The stage removed a page number (8) before the repair, so the context's head differs.
    source = "公顷）约束性2700270008（15）万元用水量下降（）"
    repair = _repair(source, "万元用水量", "万元用水量", "7000（15）万元用水量下降（）", "万元GDP用水量")
    assert context_offset(repair, source) == 8


def test_unplaceable_repairs_have_no_offset() -> None:
    source = "一二三四五六七八九十"
    assert context_offset(_repair(source, "五", "五", "甲乙丙丁戊"), source) is None
    moved = Repair(kind="decimal", page=1, offset=0, before="62", after="6.2", confidence=0.9, context="增长62")
    assert context_offset(moved, source) is None  # the source does not hold `before` at the offset
