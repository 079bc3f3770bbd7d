"""The variant maker and the digit-run aligner of tests/tools/numbers.py."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.tools.numbers import align, make_variant, plain_text


def _kinds(intact: str, **options: object) -> list[tuple[str, str, str]]:
    variant = make_variant(intact, **options)  # type: ignore[arg-type]
    return [(run.digits, run.kind, run.truth.text if run.truth else "") for run in variant.runs]


def test_each_damaged_run_knows_its_intact_number() -> None:
    intact = "国内生产总值20.94万亿元，比上年增长10.7%；城镇新增就业1184万人，利润增长31%。"
    assert _kinds(intact, page_numbers=False) == [
        ("2094", "decimal", "20.94"),
        ("107", "decimal", "10.7%"),
        ("1184", "integer", "1184"),
        ("31", "percent", "31%"),
    ]


def test_runs_of_several_numbers_are_merged_and_glued_pages_counted() -> None:
    intact = "全年国内生产总值[2]990865亿元。" + "很长的文字" * 200 + "增长6.1%。"
    variant = make_variant(intact, page_numbers=True, chars_per_page=300, seed=3)
    merged = [run for run in variant.runs if run.kind == "merged"]
    assert [run.digits[-6:] for run in merged] == ["990865"]
    assert variant.pages and all(variant.text[offset:].startswith(str(page)) for offset, page in variant.pages)
    assert any(run.page_digits for run in variant.runs)
    growth = [run for run in variant.runs if run.truth is not None and run.truth.text == "6.1%"]
    assert len(growth) == 1 and variant.text[growth[0].number_start : growth[0].number_end] == "61"


def test_a_page_number_glued_to_a_number_keeps_the_numbers_truth() -> None:
    intact = "开头" + "文" * 50 + "12.5%的增长"
    runs = align(intact, "开头" + "文" * 50 + "7" + "125的增长", pages=((52, 7),))
    assert [(run.digits, run.kind, run.page_digits, run.number_start) for run in runs] == [("7125", "decimal", 1, 53)]
    assert [run.number_end for run in runs] == [56]


def test_plain_text_drops_marks_images_and_keeps_table_cells() -> None:
    markdown = "---\ntitle: x\n---\n## 一、综合\n\n**增长6.1%**，见图![http://10.6.1.8/a.png](./W0203.png)\n\n| 指标 | 比重（％） |\n| --- | --- |\n| <br>城镇 | <br>60.60 |\n"
    assert plain_text(markdown) == "一、综合\n\n增长6.1%，见图\n\n指标 比重（%）\n城镇 60.60\n"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["增长", "达到", "万人", "亿元", "，", "。", " ", "\n", "A", "[3]", "%"]) | st.from_regex(r"\d{1,5}(\.\d{1,2})?%?", fullmatch=True), max_size=40), st.integers(0, 9))
def test_every_damaged_digit_maps_back_to_an_intact_digit(pieces: list[str], seed: int) -> None:
    intact = "".join(pieces) * 5
    variant = make_variant(intact, page_numbers=bool(seed % 2), chars_per_page=60, seed=seed)
    for run in variant.runs:
        if run.kind in ("integer", "percent", "decimal"):
            assert run.truth is not None
            assert variant.text[run.number_start : run.number_end] == run.truth.digits
    assert sum(run.end - run.start for run in variant.runs) == sum(char.isdigit() for char in variant.text)
    assert make_variant(intact, page_numbers=bool(seed % 2), chars_per_page=60, seed=seed) == variant
