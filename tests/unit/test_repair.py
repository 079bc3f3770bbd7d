from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planparse.repair import digit_readings, lookup

SEED = Path(__file__).resolve().parents[2] / "data" / "raw" / "dongbei_13th_fyp_2016.txt"


@given(st.text(alphabet="0123456789", min_size=1, max_size=6))
def test_digit_readings_keep_the_digits_and_place_one_point(digits: str) -> None:
    for value, decimals, shown in digit_readings(digits):
        assert shown.replace(".", "") == digits
        assert shown.count(".") <= 1 and decimals <= 2
        assert abs(float(shown) - value) < 1e-9
        assert not (len(shown.split(".")[0]) > 1 and shown.startswith("0"))


def test_priors_match_names_and_aliases() -> None:
    assert lookup("常住人口城镇化率")["unit"] == "%"  # type: ignore[index]
    assert lookup("单位GDP能源消耗降低") is lookup("单位国内生产总值能源消耗降低")
    assert lookup("完全陌生的指标名称") is None


def test_generated_damaged_tables_are_repaired_or_flagged() -> None:
    """The evaluation harness on generated seed-like tables, damaged the seed's way."""
    from planparse.bench.repair import evaluate_cases
    from tests.tools import tablegen

    figures = evaluate_cases(tablegen.cases(tablegen.dev_seeds(4)))
    assert figures.exact >= 0.84, figures.failures
    assert figures.ece <= 0.045  # ~700 cells: sampling noise; the 20-document harness measures 0.018 (dev)
    assert figures.silent <= 8, [line for line, cell in zip(figures.failures, [c for c in figures.cells if not c.right])
                                 if cell.silently_wrong]


def test_branch_and_bound_search_equals_the_brute_force_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast row search returns exactly the brute-force readings, scores and order (ties
    included) on the seed's damaged tables and on generated target and review tables."""
    from planparse import parse_text
    from planparse.repair import search
    from tests.reference_solver import reference_row_readings
    from tests.tools import tablegen

    fast = search.row_readings
    compared: list[int] = []

    def both(*args):  # type: ignore[no-untyped-def]
        found = fast(*args)
        assert found == reference_row_readings(*args[:4])  # the fifth: the per-row cache
        compared.append(len(found[0]))
        return found

    monkeypatch.setattr(search, "row_readings", both)
    plans = [SEED.read_text(encoding="utf-8")]
    plans += [case.damaged for case in tablegen.cases([5], ["seed", "review", "attr_last"])]
    for plan in plans:
        parse_text(plan)
    assert len(compared) > 60 and max(compared) > 100  # rows with many near-tied readings were compared


_HEADERS = {
    "target": (("2015年基数", 2015, "base", None), ("2020年目标", 2020, "target", None), ("年均增速[累计]", None, "change", None)),
    "review": (("规划目标/2015年", 2015, "target", None), ("规划目标/年均增长", None, "change", False),
               ("实际完成/2015年", 2015, "actual", None), ("实际完成/年均增长", None, "change", False)),
    "levels": (("2015年", 2015, "value", None), ("2020年", 2020, "target", None)),
}


@st.composite
def _rows(draw: st.DrawFn) -> tuple[object, object, dict, int]:  # type: ignore[type-arg]
    """A random damaged row: blobs, fixed numbers, dashes, words and comparators over a header."""
    from planparse.repair import _RowContext
    from planparse.tables import HeaderColumn, Row, Token

    header = draw(st.sampled_from(["target", "target", "review", "levels"]))
    columns = tuple(HeaderColumn(path, year, role, cumulative) for path, year, role, cumulative in _HEADERS[header])
    tokens = []
    if header != "levels" and draw(st.booleans()):
        # Consistent arithmetic, stripped: the exact, near and far tiers all occur.
        start = draw(st.integers(50, 9000)) / 10
        rates = [draw(st.integers(1, 90)) / 10 for _ in range(2)]
        stretch = draw(st.sampled_from([1, 2, 3]))  # a ceiling far above the base: the comparator penalty
        cells = [start, start * stretch + rates[0], rates[0]] if header == "target" else [
            round(start * (1 + rates[0] / 100) ** 5, 1), rates[0], round(start * (1 + rates[1] / 100) ** 5, 1), rates[1]]
        texts = [f"{value:.1f}".replace(".", "") for value in cells]
        if draw(st.booleans()):
            tokens.append(Token("blob", "".join(texts), 0))
        else:
            # The first cell alone, then a blob that starts with a comparator (a target's < or >).
            tokens.append(Token("blob", texts[0], 0))
            tokens.append(Token("blob", "".join(texts[1:]), 0, comparator=draw(st.sampled_from(["<", "<", ">", "≤"]))))
    for _ in range(draw(st.integers(0 if tokens else 1, 0 if tokens else 3))):
        kind = draw(st.sampled_from(["blob", "blob", "blob", "number", "dash", "word"]))
        if kind == "blob":
            text = draw(st.text("0123456789", min_size=1, max_size=11))
            comparator = draw(st.sampled_from([None, None, "<", ">", "≥"]))
            word = draw(st.sampled_from([None, None, "左右"]))
            tokens.append(Token("blob", text, 0, comparator=comparator, word=word))
        elif kind == "number":
            tokens.append(Token("number", draw(st.sampled_from(["5.5", "12", "0.8", "100"])), 0, bracket=draw(st.booleans())))
        else:
            tokens.append(Token(kind, "--" if kind == "dash" else "完成", 0))
    name = draw(st.sampled_from(["常住人口城镇化率", "森林覆盖率", "地区生产总值", "城镇新增就业人数", "某项新指标"]))
    unit = draw(st.sampled_from(["%", "万人", "亿元", None]))
    row = Row(None, None, None, name, 0, len(name), unit, unit, None, tuple(tokens), 0, 1)
    context = _RowContext(columns=columns, unit=unit, prior=lookup(name), period=draw(st.sampled_from(["13th", None])),
                          years=5, base_year=2015, target_year=2020, name_key=name, brackets=draw(st.booleans()))
    agree = draw(st.sampled_from([{}, {(name, 2015, "base"): 60.3}, {(name, 2020, "target"): 12.0}]))
    return row, context, agree, draw(st.sampled_from([0, 2]))


@given(_rows())
@settings(max_examples=200, deadline=None)
def test_vectorized_search_equals_the_brute_force_search_on_random_rows(case: tuple) -> None:  # type: ignore[type-arg]
    from planparse.repair.search import row_readings
    from tests.reference_solver import reference_row_readings

    row, context, agree, leftover = case
    assert row_readings(row, context, agree, leftover) == reference_row_readings(row, context, agree, leftover)


def test_vectorized_search_equals_the_brute_force_search_on_comparator_rows() -> None:
    """Ceilings far above the base (the level spread and the comparator penalty both apply)."""
    from planparse import repair
    from planparse.repair.search import row_readings
    from planparse.tables import HeaderColumn, Row, Token
    from tests.reference_solver import reference_row_readings

    columns = tuple(HeaderColumn(path, year, role, cumulative) for path, year, role, cumulative in _HEADERS["target"])
    for base, target, change, comparator, unit in (("405", "1215", "810", "<", "万人"), ("1800", "700", "1100", ">", "亿元"),
                                                    ("405", "810", "405", "<", "万人")):
        row = Row(None, None, None, "某项新指标", 0, 5, unit, unit, None,
                  (Token("blob", base, 0), Token("blob", target + change, 0, comparator=comparator)), 0, 1)
        context = repair._RowContext(columns=columns, unit=unit, prior=None, period="13th", years=5, base_year=2015,
                                     target_year=2020, name_key="某项新指标", brackets=True)
        found = row_readings(row, context, {}, 0)
        assert found == reference_row_readings(row, context, {}, 0)
        assert any(reading.cells[1].comparator == comparator for reading in found[0])


def test_the_scorer_gives_the_documented_score_of_small_rows() -> None:
    """The one scorer against the formulas written out by hand (cell priors 0 here: one decimal,
    shares within 0–100, no national figure): 30.5 → 32.0 with [1.5] adds up exactly (+0.4 for a
    cumulative change in %), annual 1.5 % misses by 0.8 (the drift window only); 72.3 → 77 with
    [4.5] is off by a rounding of the whole 77."""
    import math

    from planparse.repair import SETTINGS, CellReading, _RowContext
    from planparse.repair.score import score_readings
    from planparse.tables import HeaderColumn

    q, far = SETTINGS.row_consistent, (1 - SETTINGS.row_consistent) * SETTINGS.far_share
    half = (1 - q) * SETTINGS.rounding_share
    columns = tuple(HeaderColumn(path, year, role, cumulative) for path, year, role, cumulative in _HEADERS["target"])
    context = _RowContext(columns=columns, unit="%", prior=None, period=None, years=5, base_year=2015, target_year=2020,
                          name_key="某项新指标", brackets=True)

    def cells(*printed: str) -> tuple[CellReading, ...]:
        return tuple(CellReading(text, float(text), len(text.split(".")[1]) if "." in text else 0) for text in printed)

    found = score_readings(context, {}, [cells("30.5", "32.0", "1.5"), cells("72.3", "77", "4.5")], [0, 0], [True, False])
    spread = 0.5 * 32.0  # R; T = 0.15 (two roundings of 0.05 and the base's own)
    exact = far + q * spread / 0.3 + half * spread / (2 * 0.45) + (1 - q) * (1 - SETTINGS.rounding_share) * spread / (2 * 8.0)
    start = 32.0 / 1.015**5
    tolerance = start * (0.05 / 100 * 5 / 1.015) + 0.05 * start / 32.0 + 0.05
    assert abs(start - 30.5) > 3 * tolerance
    drift_only = far + (1 - q) * (1 - SETTINGS.rounding_share) * spread / (2 * 8.0)
    assert math.isclose(found.totals[0][0], 0.4 + math.log(exact), abs_tol=1e-12)
    assert math.isclose(found.totals[0][1], -0.4 + math.log(drift_only), abs_tol=1e-12)
    assert found.terms[0] == [(math.log(exact), True), (math.log(drift_only), False)]
    assert found.holds[0] == [True, False]
    spread = 0.5 * 77.0
    rounded = far + half * spread / (2 * 0.65) + (1 - q) * (1 - SETTINGS.rounding_share) * spread / (2 * 0.25 * 77.0)
    assert math.isclose(found.terms[1][0][0], math.log(rounded), abs_tol=1e-12) and found.terms[1][0][1] is False
    assert found.holds[1][0] is True  # within three tolerances (0.45): an intact row like it is not warned


def test_edge_rows_equal_the_brute_force_search_without_crashing() -> None:
    """Negative levels, growth compounded past float range, one-digit blobs, signed digits."""
    from planparse import repair
    from planparse.repair.search import row_readings
    from planparse.tables import HeaderColumn, Row, Token
    from tests.reference_solver import reference_row_readings

    columns = (HeaderColumn("2000年", 2000, "base", None), HeaderColumn("2060年", 2060, "target", None),
               HeaderColumn("累计", None, "change", True))
    cases = [
        (Token("number", "-5", 0), Token("blob", "1005", 0)),
        (Token("blob", "1234567890", 0),),
        (Token("number", "100", 0), Token("number", "200", 0), Token("blob", "1234567890123456789012345", 0)),
        (Token("blob", "7", 0), Token("blob", "0", 0), Token("blob", "12", 0)),
        (Token("blob", "-35", 0), Token("blob", "12", 0)),
    ]
    for tokens in cases:
        for brackets in (False, True):
            row = Row(None, None, None, "某项新指标", 0, 5, "亿元", "亿元", None, tokens, 0, 1)
            context = repair._RowContext(columns=columns, unit="亿元", prior=None, period=None, years=60, base_year=2000,
                                         target_year=2060, name_key="某项新指标", brackets=brackets)
            assert row_readings(row, context, {}, 2) == reference_row_readings(row, context, {}, 2)
    signed = row_readings(Row(None, None, None, "某项", 0, 2, "亿元", "亿元", None, cases[-1], 0, 1), context, {}, 0)
    assert signed == ([], "a signed or comma-broken number among damaged digits")


def test_isotonic_fit_is_monotone_smoothed_and_never_certain() -> None:
    from planparse.bench.calibrate import isotonic

    points = [(i / 100, i % 3 != 0) for i in range(100)] + [(0.99, True)] * 60 + [(0.05, False)] * 40
    blocks = isotonic(points)
    probabilities = [p for _, p, _ in blocks]
    assert probabilities == sorted(probabilities) and all(0 < p < 1 for p in probabilities)
    assert all(count >= 20 for _, _, count in blocks[:-1])


def test_worst_document_map_holds_on_each_document() -> None:
    from planparse.bench.calibrate import isotonic, worst_document

    # Two documents alike in their scores: one right nine times in ten, one half the time.
    good = [(0.5 + i / 200, i % 10 != 0) for i in range(100)]
    poor = [(0.5 + i / 200, i % 2 == 0) for i in range(100)]
    pooled = isotonic(good + poor)
    blocks = worst_document({"good": good, "poor": poor})
    probabilities = [p for _, p, _ in blocks]
    assert probabilities == sorted(probabilities) and all(0 < p < 1 for p in probabilities)
    assert max(probabilities) <= 0.6 < max(p for _, p, _ in pooled)  # the poor document's share, not the pool's
    # One document alone: the pooled map.
    assert worst_document({"good": good}) == [(low, p, n) for low, p, n in isotonic(good)]


def test_calibration_maps_scores_per_basis() -> None:
    from planparse.repair.calibrate import _maps, calibrate

    maps = _maps()
    assert {"arithmetic", "prior_only"} <= set(maps)
    for scores, probabilities in maps.values():
        assert list(scores) == sorted(scores) and list(probabilities) == sorted(probabilities)
        assert max(probabilities) < 1.0
    # A prior-only decision is worth less than an arithmetic one at the same raw mass.
    assert calibrate(0.93, "prior_only") <= calibrate(0.999, "arithmetic")
    assert calibrate(0.5, "no such basis") == 0.5


def test_a_scale_only_priors_decide_is_flagged_and_an_arithmetic_one_is_not() -> None:
    """Level and annual growth: 857.3 → 1438.1 at 10.9 % adds up exactly as 8573 → 14381 does; only
    the priors tell them apart, so the record abstains (a warning names the cell)."""
    from planparse import parse_text
    from planparse.damage import strip_like_seed

    text = ("第一章发展目标\n主要目标如下。\n专栏1主要指标\n指标 属性 2020年 2025年 年均增长[累计]\n"
            "（1）全社会研发经费支出（亿元） 预期性 857.3 1438.1 10.9\n（2）森林覆盖率（%） 约束性 30.5 32.0 [1.5]\n"
            "注：①[ ]内为5年累计数。\n加强组织领导。各地要落实责任。\n")
    record = parse_text(strip_like_seed(text))
    spending, forest = record.indicators
    assert {cell.basis for cell in spending.cells[:2]} == {"prior_only"}
    named = [w for w in record.warnings if "全社会研发经费支出 / 2020年" in w.message]
    assert named and named[0].code in ("indicator_prior_only", "indicator_uncertain")
    assert all(cell.basis in ("arithmetic", "prior_only") for cell in forest.cells)
    assert all(0 < cell.confidence < 1 for cell in spending.cells)


def test_a_trailing_zero_earns_a_match_no_extra_odds() -> None:
    """tablegen review 7075: 305096350141 (3.05 | [0.96] | 3.50 | [1.41]) was read 30.50 | [9.6] |
    35.0 | [14.1] at 0.98 and silently wrong: both pairs add up at either scale, but 30.50 made the
    reading's finest precision two decimals, so its match counted ten times the odds. The value
    30.50 needs one decimal; the two readings now tie on arithmetic and only priors tell them apart."""
    from planparse import parse_text
    from planparse.repair.score import _significant

    assert (_significant(30.5, 2), _significant(3.05, 2), _significant(40.0, 1), _significant(0.0, 2)) == (1, 2, 0, 0)
    text = ("第一章发展目标\n主要目标如下。\n专栏1江南市“十二五”时期主要指标完成情况\n"
            "指标属性规划目标完成情况2015年年均增长（）2015年年均增长（）\n"
            "前15家企业研发投入占营业收入比重（）预期性305096350141\n城乡居民体质达标率（）约束性9060790809\n"
            "注：①内为5年累计数。\n加强组织领导。各地要落实责任。\n")
    record = parse_text(text.replace("\n", ""))
    share = record.indicators[0]
    assert [cell.raw for cell in share.cells] in (["305", "096", "350", "141"], ["3050", "96", "350", "141"])
    assert all(cell.basis == "prior_only" for cell in share.cells)
    named = [w for w in record.warnings if "前15家企业研发投入占营业收入比重 / " in w.message]
    assert len(named) == 4


def test_a_cumulative_change_carries_the_decimals_of_its_levels() -> None:
    """tablegen review (dev): 312144280112 (31.2 | [14.4] | 28.0 | [11.2]) was read 31.21 | [4.4] |
    28.01 | [1.2]: moving the changes' shared first digit to the levels keeps both pairs adding up
    (26.81 = 26.81), and the finer levels even earned a narrower window. A change in points is the
    difference of the printed levels and carries their decimals: a level finer than its change pays
    ``finer_level_cost``; a level printed whole (40 beside [5.5]) pays nothing."""
    from planparse import parse_text

    text = ("第一章发展目标\n主要目标如下。\n专栏1江南市“十二五”时期主要指标完成情况\n"
            "指标属性规划目标完成情况2015年年均增长（）2015年年均增长（）\n"
            "3岁以下婴幼儿入托率（）约束性312144280112\n城乡居民体质达标率（）约束性9060790809\n"
            "注：①内为5年累计数。\n加强组织领导。各地要落实责任。\n")
    record = parse_text(text.replace("\n", ""))
    assert [cell.value for cell in record.indicators[0].cells] == [31.2, 14.4, 28.0, 11.2]


def test_a_long_range_target_continues_the_plans_course() -> None:
    """tablegen long_range 200: 27847725195 (27.8 | 47 | 72.5 | [19.5], 2020 / 2025 / 2035 / change)
    was read 27.8 | 47.7 | 25 | [19.5]: the 2035 column has no arithmetic, and a 2035 target of 25
    after 27.8 → 47.7 turns back against the plan's course; such a reading pays long_reversal_cost."""
    from planparse import parse_text

    text = ("第一章发展目标\n主要目标如下。\n专栏1主要指标\n指标属性2020年2025年2035年年均增长（）\n"
            "（1）农村生活污水治理率（）预期性27847725195\n（2）城市建成区绿地率（）约束性358377418\n"
            "注：①内为5年累计数。\n加强组织领导。各地要落实责任。\n")
    record = parse_text(text.replace("\n", ""))
    assert [cell.value for cell in record.indicators[0].cells] == [27.8, 47.0, 72.5, 19.5]


def test_a_match_is_worth_more_where_fewer_cuts_would_also_match() -> None:
    """The arithmetic is a likelihood ratio: an exact match among decimals (a narrow window) beats
    one among integers (where many cuts add up); a near miss (a rounded target) keeps some odds;
    a reading that misses every window loses against one with nothing to check."""
    import numpy as np

    from planparse.repair import SETTINGS
    from planparse.repair.score import _window_ratios

    def ratio(error: float, tolerance: float, level: float, coarse: float) -> float:
        return float(_window_ratios(np.array([error]), np.array([tolerance]), np.array([level]), coarse)[0])

    decimals = ratio(0.0, 0.15, 60.0, 0.05)
    integers = ratio(0.0, 1.5, 60.0, 0.5)
    rounded = ratio(0.4, 0.15, 60.0, 0.5)
    far = ratio(20.0, 0.15, 60.0, 0.05)
    assert decimals > integers > rounded > 1.0 > far > 0.0
    assert ratio(0.0, 1e-6, 1e6, 0.0) == SETTINGS.ratio_cap
    assert 0.0 < ratio(0.0, 0.0, 0.0, 0.0) < SETTINGS.ratio_cap  # a level of 0: no division by zero


def test_rival_kinds() -> None:
    from planparse.repair import rival_kind

    assert rival_kind(32.8, (3.28, None)) == "scale"
    assert rival_kind(5.0, (5.0, True)) == "flag"
    assert rival_kind(77.4, (77.0, None)) == "cut"
    assert rival_kind(None, (356.0, None)) == "cut"
    assert rival_kind(3.0, None) == "none"


def test_parse_risk_grows_where_the_parse_guessed() -> None:
    from planparse.repair import SETTINGS, Reading, parse_risk
    from planparse.tables import Row, Token

    plain = Row(None, None, None, "某项", 0, 2, "%", "%", None, (Token("blob", "305320", 2),), 0, 8)
    guessed = Row(None, None, None, "某项", 0, 2, "%", "%", None, (Token("blob", "305320", 2), Token("word", "零发生", 8)), 0, 11,
                  uncertain="the row end")
    leftover = [Reading((), None, "3", 0.0)]
    assert parse_risk(plain, []) == SETTINGS.parse_wrong
    assert parse_risk(guessed, leftover) > parse_risk(guessed, []) > parse_risk(plain, [])
    assert parse_risk(guessed, leftover) <= 0.5


def _damaged_plan(rows: str) -> str:
    from planparse.damage import strip_like_seed

    return strip_like_seed("第一章发展目标\n主要目标如下。\n专栏1主要指标\n指标 属性 2020年 2025年 年均增长[累计]\n" + rows
                           + "注：①[ ]内为5年累计数。\n加强组织领导。各地要落实责任。\n")


def test_a_row_that_cannot_add_up_is_named_and_no_damaged_cell_is_certain() -> None:
    """500 → 900 亿元 is not 8.0 % a year by any cut: the row is named as not adding up, its cells
    rest on the priors and are flagged; the dash and the word of a damaged row are below 1.0 too."""
    from planparse import parse_text

    record = parse_text(_damaged_plan("（1）全社会研发经费支出（亿元） 预期性 500 900 8.0\n（2）森林覆盖率（%） 约束性 30.5 32.0 [1.5]\n"
                                      "（3）重特大生产安全事故（起） 约束性 2 零发生 --\n"))
    spending, forest, accidents = record.indicators
    codes = {(w.code, w.message.split(":")[0]) for w in record.warnings}
    assert ("indicator_row_inconsistent", "专栏1 row 1 全社会研发经费支出") in codes
    assert not any(code == "indicator_row_inconsistent" and "森林覆盖率" in where for code, where in codes)
    assert all(cell.basis == "prior_only" for cell in spending.cells)
    assert all(0 < cell.confidence < 1 for indicator in record.indicators for cell in indicator.cells)
    assert [cell.text for cell in accidents.cells[1:]] == ["零发生", None]
    assert [cell.value for cell in forest.cells] == [30.5, 32.0, 1.5]


def test_a_cell_below_the_vouching_level_is_named() -> None:
    """Every damaged cell with a rival and a calibrated confidence below ``vouch`` is named in a
    warning, whatever decided it (so a wrong value at 0.9 is never silent)."""
    from planparse import models
    from planparse.repair import SETTINGS, _damaged_row_warnings

    def cell(confidence: float, basis: str) -> models.Cell:
        return models.Cell(column="2020年", column_index=1, raw="305", value=30.5, comparator=None, cumulative=None, text=None,
                           confidence=confidence, alternatives=[models.Alternative(value=3.05, cumulative=None, score=0.05)],
                           basis=basis)  # type: ignore[arg-type]

    assert [w.code for w in _damaged_row_warnings("专栏1 row 1 某项", None, 0, 0.9, [])] == ["indicator_row_inconsistent"]
    for confidence, basis, code in ((0.5, "arithmetic", "indicator_uncertain"), (0.9, "prior_only", "indicator_prior_only"),
                                    ((0.8 + SETTINGS.vouch) / 2, "arithmetic", "indicator_uncertain"), (0.99, "arithmetic", None)):
        found = _damaged_row_warnings("专栏1 row 1 某项", None, 0, None, [cell(confidence, basis)])
        assert [w.code for w in found] == ([code] if code else [])


def test_a_cell_only_the_priors_told_from_a_scale_rival_is_always_named() -> None:
    """Issue 12: where only the priors separate a reading from the same digits ×10ⁿ, the record
    abstains (held-out long_range: 3.68 read 36.8 at 0.98 on priors alone, unwarned); a rival
    that cuts other digits keeps the vouching level."""
    from planparse import models
    from planparse.repair import _damaged_row_warnings

    def cell(rival: float) -> models.Cell:
        return models.Cell(column="2020年", column_index=1, raw="368", value=36.8, comparator=None, cumulative=None, text=None,
                           confidence=0.99, alternatives=[models.Alternative(value=rival, cumulative=None, score=0.01)],
                           basis="prior_only")  # type: ignore[arg-type]

    assert [w.code for w in _damaged_row_warnings("专栏1 row 1 某项", None, 0, None, [cell(3.68)])] == ["indicator_prior_only"]
    assert [w.code for w in _damaged_row_warnings("专栏1 row 1 某项", None, 0, None, [cell(3.6)])] == []


def test_calibration_falls_back_from_basis_and_rival_to_basis() -> None:
    from planparse.repair.calibrate import _maps, calibrate

    maps = _maps()
    assert "fixed" in maps and any(key.startswith("prior_only:") for key in maps)
    assert calibrate(0.9, "arithmetic", "no such kind") == calibrate(0.9, "arithmetic")
    assert calibrate(0.999, "fixed") < 1.0


def test_a_cells_confidence_and_its_alternatives_never_exceed_one() -> None:
    """The runner-ups share what the calibrated confidence leaves (the prose stage adds them up:
    a calibrated 0.99 beside raw runner-up masses gave a prose repair a confidence of 1.0002)."""
    from planparse import parse_text
    from tests.tools import tablegen

    cells = [cell for case in tablegen.cases([3]) for indicator in parse_text(case.damaged).indicators for cell in indicator.cells]
    assert sum(bool(cell.alternatives) for cell in cells) > 20
    assert all(cell.confidence + sum(alt.score for alt in cell.alternatives) <= 1.0 + 1e-3 for cell in cells)


def test_a_damaged_negative_growth_rate_is_read_with_its_sign() -> None:
    """纱（万吨） 2234.2 -2.2 damaged: 22342-22 — the minus starts the growth cell (the row had been
    left unread as 'a signed number among damaged digits'); the fast search equals the oracle."""
    from planparse import parse_text
    from planparse.damage import strip_like_seed
    from planparse.repair import _RowContext
    from planparse.repair.search import row_readings
    from planparse.tables import HeaderColumn, Row, Token
    from tests.reference_solver import reference_row_readings

    text = ("第一章 工业\n全年规模以上工业增加值比上年增长4.6%。\n表1 2023年主要工业产品产量及其增长速度\n"
            "产品名称 单位 产量 比上年增长（%）\n纱 万吨 2234.2 -2.2\n布 亿米 294.9 -4.8\n化学纤维 万吨 7127.0 10.2\n"
            "全年能源消费总量57.2亿吨标准煤，比上年增长5.7%，煤炭消费量增长5.6%，原油消费量增长9.1%。\n")
    record = parse_text(strip_like_seed(text))
    yarn = next(indicator for indicator in record.indicators if indicator.indicator == "纱")
    assert yarn.unit == "万吨"
    assert yarn.cells[1].raw == "-22" and yarn.cells[1].value in (-2.2, -22.0, -0.22)
    columns = (HeaderColumn("产量", None, "value", None), HeaderColumn("比上年增长（%）", None, "change", False))
    row = Row(None, None, None, "纱", 0, 1, "万吨", "万吨", None, (Token("blob", "22342", 0), Token("blob", "22", 6, negative=True)), 0, 9)
    context = _RowContext(columns=columns, unit="万吨", prior=None, period=None, years=1, base_year=None, target_year=None,
                          name_key="纱", brackets=False)
    found = row_readings(row, context, {}, 0)
    assert found == reference_row_readings(row, context, {}, 0)
    assert all(reading.cells[1].value is not None and reading.cells[1].value < 0 for reading in found[0])


def test_year_on_year_growth_and_levels_of_a_statistical_table_read_as_printed() -> None:
    # Damaged 2002 communiqué 表7: 出口总额3256223 is 3256 | 22.3 (比上年增长（%） prints one decimal and
    # may pass a plan's 20 % annual limit; the level beside it is whole more often than not). Main
    # read 325.6 | 2.23.
    from planparse import parse_text

    text = ("一、对外贸易全年进出口总额达6208亿美元，比上年增长218。其中，出口总额3256亿美元，增长223；进口总额2952亿美元，增长212。"
            "表1进出口贸易主要分类情况指标绝对数（亿美元）比上年增长（）出口总额3256223其中：一般贸易1362217进口总额2952212"
            "其中：一般贸易1291138对主要贸易伙伴的出口均有不同程度的增长。")
    rows = {row.indicator: [cell.value for cell in row.cells] for row in parse_text(text).indicators}
    assert rows["出口总额"] == [3256.0, 22.3]
    assert rows["进口总额"] == [2952.0, 21.2]


def test_a_five_year_row_is_cut_where_its_years_add_up_to_the_range_total() -> None:
    # Damaged 2002 communiqué 表6: 1998 … 2002 and 1998-2002 (their total); 24 digits in 6 cells were
    # "too many possible readings" and left unread. The sum decides the cut; the point stays a prior
    # (whole numbers likelier), so the cells are named (abstain on the scale).
    from planparse import parse_text

    text = ("四、固定资产投资全年完成投资21132亿元，增长144。表1五年来全国基本建设投资新增主要生产能力指标单位199819992000200120021998-2002"
            "大中型发电机组容量万千瓦183918911934151611658345新建铁路投产里程公里11051242655124616965944重点工程建设进展顺利。")
    record = parse_text(text)
    row = record.indicators[0]
    assert [cell.value for cell in row.cells] == [1839.0, 1891.0, 1934.0, 1516.0, 1165.0, 8345.0]
    assert all(cell.alternatives and cell.basis == "prior_only" for cell in row.cells)
    assert not any(warning.code == "indicator_unsolved" for warning in record.warnings)


def test_the_wide_search_keeps_the_sum_structure_and_its_readings_apart() -> None:
    from planparse.repair.wide import sum_structure
    from planparse.tables import HeaderColumn

    years = [HeaderColumn(str(year), year, "target", None) for year in range(1998, 2003)]
    assert sum_structure((*years, HeaderColumn("1998-2002", None, "value", None))) == ((0, 1, 2, 3, 4), 5)
    assert sum_structure((*years[:4], HeaderColumn("1998-2002", None, "value", None))) is None  # 2002 missing: no total


def test_a_row_too_wide_to_list_is_read_by_the_beam_and_every_cell_is_named() -> None:
    # Damaged 2023 communiqué 表13: six cells per country (22 digits) were left unread, raw ''.
    from planparse import parse_text
    from planparse.bench.repair import _names_cell

    text = ("七、对外经济全年货物进出口总额417568亿元。表1对主要国家和地区货物进出口金额、增长速度及其比重国家和地区出口额（亿元）比上年增长（）"
            "占全部出口比重（）进口额（亿元）比上年增长（）占全部进口比重（）东盟36817001552730904152欧盟35226-531481983346110"
            "美国35198-8114811528-1864全年服务进出口总额65754亿元，比上年增长100。")
    record = parse_text(text)
    assert [row.indicator for row in record.indicators] == ["东盟", "欧盟", "美国"]
    messages = [warning.message for warning in record.warnings]
    printed = [[36817, 0.0, 15.5, 27309, 0.4, 15.2], [35226, -5.3, 14.8, 19833, 4.6, 11.0], [35198, -8.1, 14.8, 11528, -1.8, 6.4]]
    for row, truth in zip(record.indicators, printed):
        assert len(row.cells) == 6 and all(cell.raw and cell.value is not None for cell in row.cells)
        for cell, value in zip(row.cells, truth):
            # never silent: a cell the record vouches for (the shares' common total decided it) is right
            assert any(_names_cell(message, row, cell) for message in messages) or cell.value == value
    assert not any(warning.code == "indicator_unsolved" for warning in record.warnings)


def test_statistical_tables_have_structures_of_their_own_for_calibration() -> None:
    from planparse.repair.calibrate import calibrate
    from planparse.repair.solve import table_structure
    from planparse.tables import HeaderColumn

    growth = HeaderColumn("比上年增长（%）", None, "change", None, "%")
    level = HeaderColumn("绝对数（亿元）", None, "value", None, "亿元")
    assert table_structure((level, growth)) == "outcome"
    years = tuple(HeaderColumn(str(year), year, "target", None) for year in (1998, 1999, 2000))
    assert table_structure(years) == "series"
    plan = (HeaderColumn("2020年", 2020, "base", None), HeaderColumn("2025年", 2025, "target", None),
            HeaderColumn("2035年", 2035, "target", None))
    assert table_structure(plan) == "none"  # a plan's 2020/2025/2035 is no series of successive years
    # A real structure's map (data/calibration_real.yaml) comes before the generated ones.
    assert calibrate(0.3, "prior_only", "scale", "outcome") != calibrate(0.3, "prior_only", "scale", "none")


def _statistical_context(**options):  # type: ignore[no-untyped-def]
    from planparse.repair.model import _RowContext
    from planparse.tables import HeaderColumn

    columns = (HeaderColumn("绝对数（亿美元）", None, "value", None, "亿美元"), HeaderColumn("比上年增长（%）", None, "change", None, "%"))
    return _RowContext(columns=columns, unit=None, prior=None, period=None, years=1, base_year=None, target_year=None,
                       name_key="其中：一般贸易", **options)


def test_a_tables_typical_rate_tells_a_rate_from_the_digits_its_level_would_take() -> None:
    # 1362217: 1362 | 21.7 or 13622 | 1.7 — both whole levels, both one decimal; the rows whose level
    # the prose confirms say how large this table's rates are (2002's exports: about 22 %).
    from planparse.repair.model import CellReading
    from planparse.repair.score import cell_scores

    def prefers_large(habit: float | None) -> bool:
        context = _statistical_context(growth_habit=habit)
        large = cell_scores(context, {}, 1, CellReading("217", 21.7, 1), [False])[0]
        small = cell_scores(context, {}, 1, CellReading("17", 1.7, 1), [False])[0]
        return large > small

    assert prefers_large(22.3) and not prefers_large(1.5)


def test_a_part_is_never_larger_than_the_totals_above_it() -> None:
    from planparse.repair.model import CellReading, Reading
    from planparse.repair.score import cell_scores
    from planparse.repair.solve import _Parts
    from planparse.tables import Row

    context = _statistical_context()

    def row(name: str) -> Row:
        return Row(None, None, None, name, 0, 0, None, None, None, (), 0, 0)

    parts = _Parts(context.columns)
    total = row("出口总额")
    assert parts.ceilings(total) == ()
    parts.add(total, [Reading((CellReading("3256", 3256.0, 0), CellReading("223", 22.3, 1)), False, "", 0.0)], context.columns)
    ceilings = parts.ceilings(row("其中：一般贸易"))
    assert ceilings == (("绝对数（亿美元）", 3256.0),)
    bounded = _statistical_context(ceilings=ceilings)
    assert (cell_scores(bounded, {}, 0, CellReading("13622", 13622.0, 0), [False])[0]
            < cell_scores(bounded, {}, 0, CellReading("1362", 1362.0, 0), [False])[0])
    assert parts.ceilings(row("加工贸易")) == ceilings  # the rows under a total in its unit are its parts


def test_the_proses_rates_give_a_documents_typical_rate() -> None:
    # Damaged prose: 比上年增长218 (21.8 %), 下降13 (1.3 %); 提高29个百分点 and 增长2倍 are no rates of this kind.
    from planparse.repair.solve import ProseFigures

    rates = "，".join(f"产品{index}比上年增长{digits}" for index, digits in enumerate(["218", "223", "212", "289", "256", "78", "179",
                                                                                          "283", "238", "317", "299"]))
    prose = ProseFigures(rates + "，增速提高29个百分点，出口增长2倍。", [])
    assert prose.rate_size() == 23.8
    assert ProseFigures("比上年增长52。", []).rate_size() is None  # too few to tell


def test_shares_are_no_levels_and_are_read_as_ratios_to_the_total_row() -> None:
    # Damaged 2023 communiqué 表1: 全国人口1409671000 其中：城镇93267662 … were read 1409671 | 0.00 and
    # 932.67 | 66.2: the share 比重（%） was taken for a level of the row's magnitude.
    from planparse import parse_text
    from planparse.repair.model import _RowContext
    from planparse.tables import HeaderColumn

    columns = (HeaderColumn("年末数（万人）", None, "value", None, "万人"), HeaderColumn("比重（%）", None, "value", None, "%"))
    context = _RowContext(columns=columns, unit=None, prior=None, period=None, years=1, base_year=None, target_year=None, name_key="乡村")
    assert context.level_columns == (0,)
    text = ("一、人口年末全国人口140967万人。表1年末人口数及其构成指标年末数（万人）比重（）全国人口1409671000其中：城镇93267662"
            "乡村47700338其中：男性72032511女性68935489年末全国就业人员74041万人。")
    rows = {row.indicator: [cell.value for cell in row.cells] for row in parse_text(text).indicators}
    assert rows["全国人口"] == [140967.0, 100.0]
    assert rows["其中：城镇"] == [93267.0, 66.2] and rows["其中：男性"] == [72032.0, 51.1]


def test_an_unread_row_names_the_digits_it_could_not_read() -> None:
    # A row whose cells are left unread (too few digits for its four columns) said only "cells left
    # unread": its printed digits are named, so nothing is lost silently.
    from planparse import parse_text

    text = ("七、对外经济全年货物出口额237726亿元。表1主要商品出口数量、金额及其增长速度商品名称单位数量比上年增长（）金额（亿元）比上年增长（）"
            "钢材万吨90263625929-34服装万吨9-1全年服务进出口总额65754亿元。")
    unsolved = [warning.message for warning in parse_text(text).warnings if warning.code == "indicator_unsolved"]
    assert unsolved and all("(printed: " in message for message in unsolved)
    assert any("服装" in message and "9 -1" in message for message in unsolved)


def test_dashes_in_the_unit_column_are_the_unit_cell_and_one_cell_each() -> None:
    # A damaged 2023 communiqué 表11: 纺织纱线、织物及其制品 | — | — | — | 9454 | -3.1 prints
    # 纺织纱线、织物及其制品———9454-31. The name before the dashes was read as a word cell of 钢材's row
    # and "——" as one cell, so the row was left unread and its neighbours' cells shifted.
    from planparse import parse_text

    text = ("七、对外经济全年货物出口额237726亿元。表1主要商品出口数量、金额及其增长速度商品名称单位数量比上年增长（）金额（亿元）比上年增长（）"
            "钢材万吨90263625929-34纺织纱线、织物及其制品———9454-31服装及衣着附件———11206-28全年服务进出口总额65754亿元。")
    rows = {row.indicator: row for row in parse_text(text).indicators}
    assert list(rows) == ["钢材", "纺织纱线、织物及其制品", "服装及衣着附件"]
    assert [cell.raw for cell in rows["纺织纱线、织物及其制品"].cells] == ["—", "—", "9454", "-31"]
    assert [cell.value for cell in rows["服装及衣着附件"].cells][2:] == [11206.0, -2.8]
    assert rows["钢材"].cells[3].value == -3.4


def test_a_level_beside_growth_rates_takes_no_sign() -> None:
    # 手机 | 万台 | 80213 | -2.0 | 9797 | 2.9 prints 手机万台80213-20979729: the sign belongs to the growth
    # cell; the cut 80 | 13 | -20979 | 29 handed it to 金额（亿元）, a level that is never negative here.
    from planparse import parse_text

    text = ("七、对外经济全年货物出口额237726亿元。表1主要商品出口数量、金额及其增长速度商品名称单位数量比上年增长（）金额（亿元）比上年增长（）"
            "钢材万吨90263625929-34手机万台80213-20979729全年服务进出口总额65754亿元。")
    phone = next(row for row in parse_text(text).indicators if row.indicator == "手机")
    assert [cell.raw for cell in phone.cells] == ["80213", "-20", "9797", "29"]
    assert all(cell.value is not None and cell.value >= 0 for index, cell in enumerate(phone.cells) if index != 1)


def test_a_share_takes_no_sign() -> None:
    # 2023 表13 damaged: 欧盟35226-531481983346110 (35226 | -5.3 | 14.8 | 19833 | 4.6 | 11.0) was read 35 | 22.6 | -5.3 | …:
    # the sign, a growth cell's, went to 占全部出口比重, a share, and 美国's last cell came out -186.4 %.
    from planparse import parse_text

    text = ("七、对外经济全年货物出口额237726亿元。表132023年对主要国家和地区货物进出口金额、增长速度及其比重国家和地区出口额（亿元）"
            "比上年增长（）占全部出口比重（）进口额（亿元）比上年增长（）占全部进口比重（）欧盟35226-531481983346110美国35198-8114811528-1864"
            "全年服务进出口总额65754亿元。")
    rows = {row.indicator: row.cells for row in parse_text(text).indicators}
    assert rows["欧盟"][0].value == 35226.0 and (rows["欧盟"][1].value or 0) < 0  # the sign opens the growth cell
    assert all(cell.value is None or cell.value >= 0 for cells in rows.values() for cell in (cells[2], cells[5]))


def test_a_wide_rows_levels_are_of_one_magnitude() -> None:
    # 2023 表13 damaged: 东盟36817001552730904152 (36817 | 0.0 | 15.5 | 27309 | 0.4 | 15.2) was read 3681 | 0 | 0 |
    # 1552730 | …: the beam over a wide row knew no level prior, so exports of 3681 beside imports of 1552730 cost nothing.
    from planparse import parse_text

    text = ("七、对外经济全年货物出口额237726亿元。表132023年对主要国家和地区货物进出口金额、增长速度及其比重国家和地区出口额（亿元）"
            "比上年增长（）占全部出口比重（）进口额（亿元）比上年增长（）占全部进口比重（）东盟36817001552730904152韩国10467-224411381-13963"
            "全年服务进出口总额65754亿元。")
    rows = {row.indicator: [cell.value for cell in row.cells] for row in parse_text(text).indicators}
    assert rows["东盟"][:3] == [36817.0, 0.0, 15.5]
    assert rows["韩国"][3] == 11381.0


def _reading(level: tuple[str, float, int], score: float = 0.0):  # type: ignore[no-untyped-def]
    from planparse.repair.model import CellReading, Reading

    return Reading((CellReading(*level), CellReading("22", 2.2, 1)), False, "", score)


def test_a_columns_rows_together_tell_its_decimals() -> None:
    # Damaged statistical rows lost their points: 08 can only be 0.8 and 00 only 0.0 (the digits fix one
    # point), so the column prints one decimal, and its 22342 (纱 2234.2 万吨 of 2023 表3) is 2234.2, not
    # 22342 as a lone row's priors say. Rows whose priors alone chose (22342 or 2234.2) do not vote.
    from planparse.repair.model import CellReading
    from planparse.repair.score import cell_scores
    from planparse.repair.solve import decimal_habits, decimal_votes

    columns = _statistical_context().columns
    forced = [_reading(("08", 0.8, 1))]
    zero = [_reading(("00", 0.0, 1))]
    open_ = [_reading(("22342", 22342.0, 0), 0.0), _reading(("22342", 2234.2, 1), -0.7)]
    assert decimal_votes(forced, 0) == 1 and decimal_votes(open_, 0) is None
    habits = decimal_habits(columns, [(None, forced), (None, zero), (None, open_)])
    assert [(path, unit) for path, unit, _ in habits] == [("绝对数（亿美元）", None)]
    precision = tuple((path, terms) for path, _, terms in habits)

    def prefers_one_decimal(context) -> bool:  # type: ignore[no-untyped-def]
        whole = cell_scores(context, {}, 0, CellReading("22342", 22342.0, 0), [False])[0]
        point = cell_scores(context, {}, 0, CellReading("22342", 2234.2, 1), [False])[0]
        return point > whole

    assert not prefers_one_decimal(_statistical_context())  # alone: the level prior (whole 2:1)
    assert prefers_one_decimal(_statistical_context(decimal_habits=precision))


def test_a_mixed_column_or_one_vote_gives_no_decimal_habit() -> None:
    from planparse.repair.solve import decimal_habits

    columns = _statistical_context().columns
    one = [_reading(("08", 0.8, 1))]
    whole = [_reading(("5", 5.0, 0))]
    assert decimal_habits(columns, [(None, one)]) == ()  # one vote tells nothing
    assert decimal_habits(columns, [(None, one), (None, one), (None, whole), (None, whole)]) == ()  # mixed: abstain
    # Rows of another unit keep their own habit (incomes in 元 whole, Engel coefficients in % one decimal).
    habits = decimal_habits(columns, [("元", whole), ("元", whole), ("%", one), ("%", one)])
    assert sorted((unit, terms[1] > 0) for _, unit, terms in habits) == [("%", True), ("元", False)]


def test_units_of_a_row_each_vote_together_for_a_columns_decimals() -> None:
    # 2023 表3: one product a row, each in its own unit (万吨, 亿米, 万台 …): no unit has the two votes
    # a habit needs, the column's rows together do; a ratio (%) row keeps apart.
    import dataclasses

    from planparse.repair.model import SETTINGS
    from planparse.repair.solve import decimal_habits

    columns = _statistical_context().columns
    one = [_reading(("08", 0.8, 1))]
    rows = [("万吨", one), ("亿米", one), ("万台", one), ("%", [_reading(("5", 5.0, 0))])]
    habits = decimal_habits(columns, rows)
    assert sorted(unit for _, unit, terms in habits if terms[1] > 0) == sorted(["万吨", "亿米", "万台"])
    assert decimal_habits(columns, rows, dataclasses.replace(SETTINGS, decimal_pool_units=False)) == ()


def test_a_row_whose_cut_is_in_doubt_casts_no_decimal_vote() -> None:
    # 08 | 22 or 082 | 2: the digits of the level cell are themselves in doubt.
    from planparse.repair.model import CellReading, Reading
    from planparse.repair.solve import decimal_votes

    other = Reading((CellReading("082", 8.2, 1), CellReading("2", 2.0, 0)), False, "", 0.0)
    assert decimal_votes([_reading(("08", 0.8, 1)), other], 0) is None


def test_a_damaged_tables_rows_with_one_possible_point_give_its_other_rows_their_decimals() -> None:
    # 丝08 | 绒06 | 线07 万吨 can only be 0.8, 0.6, 0.7: the 万吨 rows of this column print one decimal, so
    # 纱22342-22 is 2234.2 | -2.2 (it was read 22342, as a lone row's priors say). 布 is in 亿米, a unit
    # no row of which fixes its decimals: its reading is left to the priors, as before.
    from planparse import parse_text

    text = ("二、工业全年规模以上工业增加值比上年增长46。表3主要工业产品产量及其增长速度产品名称单位产量比上年增长（）"
            "纱万吨22342-22丝万吨08-15绒万吨06-23线万吨07-31布亿米2949-48全国居民人均可支配收入39218元。")
    rows = {row.indicator: [cell.value for cell in row.cells] for row in parse_text(text).indicators}
    assert rows["纱"] == [2234.2, -2.2] and rows["丝"] == [0.8, -1.5]
    assert rows["布"] == [2949.0, -4.8]


def test_a_prose_figure_quotes_a_cell_whole_or_rounded_and_a_rate_with_one_decimal() -> None:
    # Damaged prose lost its points too: 货物运输总量557亿吨 quotes the cell 556.8 (rounded whole), not
    # 55.68 (the prose would print 55.7); 增长665 is a rate, printed with one decimal: 66.5, not 6.65.
    from planparse.repair.model import prose_quotes

    prose = frozenset({"557", "665"})
    assert prose_quotes("5568", 1, prose) and not prose_quotes("5568", 2, prose) and not prose_quotes("5568", 0, prose)
    assert prose_quotes("665", 1, prose, frozenset({"665"})) and not prose_quotes("665", 2, prose, frozenset({"665"}))
    assert prose_quotes("665", 2, prose)  # not known as a rate: its digits whole, any point
    assert not prose_quotes("556", 0, prose) and not prose_quotes("5568", 1, frozenset())


def test_the_proses_evidence_counts_its_chance_matches() -> None:
    # The more readings of a row match some prose figure by chance, the less a match tells.
    from planparse.repair.model import SETTINGS, prose_weight
    from planparse.tables import Token

    row = (Token("blob", "930665", 0),)
    one = prose_weight(row, frozenset({"93", "665"}))
    many = prose_weight(row, frozenset({"93", "665", "30", "66", "306", "9", "5"}))
    assert 0 < many < one <= SETTINGS.prose_bonus
    assert prose_weight(row, frozenset({"1234"})) == 0.0  # nothing matches: no evidence
    assert prose_weight(row, frozenset()) == 0.0


def test_prose_figures_near_a_name_include_its_rate_and_skip_a_footnote_mark() -> None:
    # 全年货物运输总量[28]557亿吨，比上年增长81 damaged: the footnote mark glued to the figure; the rate
    # in the next clause of the sentence; a clause never reaches back into a table before it.
    from planparse.repair.solve import ProseFigures

    text = "铁路亿吨50115全年货物运输总量28557亿吨，比上年增长81。铁路运输完成4011亿吨。"
    table_end = text.index("全年")
    prose = ProseFigures(text, [(0, table_end)])
    assert {"557", "81", "28557"} <= prose.after("货物运输总量")
    assert prose.rates_after("货物运输总量") == frozenset({"81"})
    assert "4011" not in prose.after("货物运输总量")  # another sentence
    assert prose.after("铁路") == frozenset({"4011"})  # the table's 铁路 (before the prose) leads no prose figure


def test_a_damaged_row_the_prose_restates_is_cut_as_the_prose_prints_it() -> None:
    # Damaged 2023 communiqué 表6: 旅客运输总量亿人次930665, true 93.0 | 66.5 (post-COVID rates above
    # 100 % fight the growth prior); the prose says 全年旅客运输总量93亿人次，比上年增长665.
    from planparse import parse_text

    table = ("表62023年各种运输方式完成旅客运输量及其增长速度指标单位绝对数比上年增长（）旅客运输总量亿人次930665铁路亿人次3851304"
             "公路亿人次457289水路亿人次261216民航亿人次621461")

    def cells(prose: str) -> list[float | None]:
        text = "一、运输\n" + "交通运输平稳运行。" * 3 + prose + table + "。年末全国民用汽车保有量33618万辆。"
        row = next(ind for ind in parse_text(text).indicators if ind.indicator == "旅客运输总量")
        return [cell.value for cell in row.cells]

    assert cells("全年旅客运输总量93亿人次，比上年增长665。") == [93.0, 66.5]
    assert cells("") != [93.0, 66.5]  # without the prose the priors read it otherwise


def test_merged_table_spans_answer_what_the_raw_spans_do() -> None:
    # ProseFigures bisects the union of the table spans: a figure inside any span is skipped, and
    # a clause stops at the last span ending before it — the same answers as asking every span.
    import random
    from bisect import bisect_right

    from planparse.repair.solve import _merged

    rng = random.Random(7)
    for _ in range(300):
        spans = [(low, low + rng.randint(1, 30)) for low in (rng.randint(0, 200) for _ in range(rng.randint(0, 8)))]
        starts, ends = _merged(spans)
        for position in range(0, 240):
            inside = any(low <= position < high for low, high in spans)
            index = bisect_right(starts, position) - 1
            assert inside == (index >= 0 and position < ends[index])
            if not inside:
                floor = max((high for low, high in spans if high <= position), default=0)
                before = bisect_right(ends, position) - 1
                assert floor == (ends[before] if before >= 0 else 0)


def test_the_prose_figures_leave_out_the_front_matter_and_toc(seed_text: str) -> None:
    # The seed's TOC (…提升粮食综合生产能力18第二节…) gave the row 粮食综合生产能力 "prose"
    # figures that were page numbers, and two of its honest ties were decided by them.
    from planparse.normalize import normalize_text
    from planparse.repair.solve import prose_figures
    from planparse.text.pages import remove_page_numbers
    from planparse.toc import scan_front_matter

    norm = normalize_text(seed_text)
    paged = remove_page_numbers(norm, scan_front_matter(norm))
    from planparse.repair.solve import ProseFigures

    body = paged.text[paged.body_start :]
    only_in_front = [(clause, digits) for clause, digits in ProseFigures(paged.text, []).clauses
                     if clause and clause + digits not in body]
    assert only_in_front  # the TOC's entries and their page numbers read as prose figures
    figures = prose_figures((), None, paged).clauses
    assert figures and not [pair for pair in figures if pair in only_in_front]


def _joint_rows(names: list[str], unit: str | None = "亿吨"):
    from planparse.tables.model import Row

    return [Row(None, None, None, name, 0, 0, unit, unit, None, (), index, index + 1) for index, name in enumerate(names)]


def _readings(states: dict[tuple[float, ...], float]):
    """Readings of one row with the given masses (score = temperature × log mass)."""
    import math

    from planparse.repair.model import TEMPERATURE, CellReading, Reading

    found = [Reading(tuple(CellReading(str(value), value, 1) for value in state), None, "", TEMPERATURE * math.log(mass))
             for state, mass in states.items()]
    return sorted(found, key=lambda reading: -reading.score)


def test_a_totals_parts_that_add_up_decide_a_parts_cut() -> None:
    # 货物运输总量 93.0 = 铁路 38.5 + 公路 54.5: the cut 35.8 the priors preferred does not add up.
    from planparse.repair.joint import adjusted, joint_factors
    from planparse.tables import HeaderColumn

    columns = (HeaderColumn("绝对数", None, "value", None),)
    rows = _joint_rows(["货物运输总量", "铁路", "公路"])
    readings = [_readings({(93.0,): 1.0}), _readings({(35.8,): 0.7, (38.5,): 0.3}), _readings({(54.5,): 1.0})]
    factors = joint_factors(rows, columns, readings)
    assert adjusted(readings[1], factors[1])[0].cells[0].value == 38.5
    # No total (no total word, no run of another unit): nothing binds the rows.
    assert joint_factors(_joint_rows(["铁路", "公路", "水路"]), columns, readings) == {}
    # Parts that add up only with another cut of the total: the total's cut follows them.
    readings = [_readings({(9.3,): 0.6, (93.0,): 0.4}), _readings({(38.5,): 1.0}), _readings({(54.5,): 1.0})]
    factors = joint_factors(rows, columns, readings)
    assert adjusted(readings[0], factors[0])[0].cells[0].value == 93.0


def test_the_joint_search_keeps_a_part_state_the_priors_rank_low() -> None:
    # Issue 12 (2023 表6 铁路 38.5 | 130.4: a rate above 100 % ranks the true state ~20th): the true
    # part 38.5 is the 31st state of its row; the enumeration of the likeliest 24 (joint_states)
    # left it out and nothing added up, the search for the configurations that add up keeps it.
    import dataclasses

    from planparse.repair.joint import adjusted, joint_factors
    from planparse.repair.model import SETTINGS
    from planparse.tables import HeaderColumn

    columns = (HeaderColumn("绝对数", None, "value", None),)
    rows = _joint_rows(["货物运输总量", "铁路", "公路"])
    decoys = {(100.0 + index,): 0.03 for index in range(30)}
    readings = [_readings({(93.0,): 1.0}), _readings({**decoys, (38.5,): 0.002}), _readings({(54.5,): 1.0})]
    assert [reading.cells[0].value for reading in readings[1]].index(38.5) >= SETTINGS.joint_states
    factors = joint_factors(rows, columns, readings)
    assert adjusted(readings[1], factors[1])[0].cells[0].value == 38.5
    # Past the search's budget, the full enumeration of the likeliest states: the true state is cut.
    tight = dataclasses.replace(SETTINGS, joint_search_nodes=0)
    assert joint_factors(rows, columns, readings, tight) == {}


def test_the_joint_search_gives_the_full_enumerations_factors() -> None:
    # Where the full enumeration keeps every state, the search (the configurations that add up
    # only) gives the same factors.
    import dataclasses

    from planparse.repair.joint import joint_factors
    from planparse.repair.model import SETTINGS
    from planparse.tables import HeaderColumn

    columns = (HeaderColumn("绝对数", None, "value", None), HeaderColumn("比重", None, "value", None))
    rows = _joint_rows(["货物运输总量", "铁路", "公路", "水路"])
    readings = [_readings({(93.0, 100.0): 0.5, (9.3, 100.0): 0.3, (930.0, 10.0): 0.2}),
                _readings({(38.5, 41.4): 0.4, (3.85, 41.4): 0.35, (38.5, 4.14): 0.25}),
                _readings({(45.7, 49.1): 0.6, (4.57, 49.1): 0.4}),
                _readings({(8.8, 9.5): 0.5, (88.0, 9.5): 0.3, (0.88, 95.0): 0.2})]
    searched = joint_factors(rows, columns, readings)
    full = joint_factors(rows, columns, readings, dataclasses.replace(SETTINGS, joint_search_nodes=0))
    assert searched and searched.keys() == full.keys()
    for member, (state_columns, by_state, other) in searched.items():
        assert state_columns == full[member][0] and abs(other - full[member][2]) < 1e-9
        assert by_state.keys() == full[member][1].keys()
        assert all(abs(value - full[member][1][state]) < 1e-9 for state, value in by_state.items())


def test_shares_of_one_total_decide_a_rows_cut() -> None:
    # 出口额 | 占全部出口比重（%）: 100 | 10.0, 250 | 25.0, 50 | 5.0 share a total of 1000; the second
    # row's rival 25 | 0.25 (another cut, shares of another total) loses.
    from planparse.repair.joint import adjusted, joint_factors
    from planparse.tables import HeaderColumn

    columns = (HeaderColumn("出口额（亿元）", None, "value", None, "亿元"), HeaderColumn("占全部出口比重（%）", None, "value", None, "%"))
    rows = _joint_rows(["东盟", "欧盟", "美国"], None)
    readings = [_readings({(100.0, 10.0): 1.0}), _readings({(2502.0, 5.0): 0.6, (250.0, 25.0): 0.4}), _readings({(50.0, 5.0): 1.0})]
    factors = joint_factors(rows, columns, readings)
    assert adjusted(readings[1], factors[1])[0].cells[0].value == 250.0


def test_a_damaged_blobs_thousands_commas_bind_its_cuts() -> None:
    # The 1953 plan's 总计1,012.4 | 536.0 | 1,548.4 | 152.9 damaged: 1,012453601,54841529.
    from planparse.repair.model import comma_fits
    from planparse.repair.search import _without_commas
    from planparse.tables.model import Row, Token

    row = Row(None, None, None, "总计", 0, 2, None, None, None, (Token("blob", "1,012453601,54841529", 2),), 0, 30)
    token = _without_commas(row).tokens[0]
    assert token.text == "101245360154841529" and token.commas == (1, 10)
    assert comma_fits(0, 5, 1, token.commas)  # 1012.4
    assert comma_fits(0, 4, 0, token.commas)  # 1012 (the point's digit in the next cell)
    assert not comma_fits(0, 3, 0, token.commas)  # 101|2…: a cut inside a thousands group
    assert not comma_fits(0, 1, 0, token.commas)  # a cut at the comma
    assert not comma_fits(0, 5, 2, token.commas)  # 101.24: the point before the group's end


def test_a_column_that_counts_single_things_prints_no_decimals() -> None:
    # 2023 表14 damaged: 企业数（家） | 比上年增长（%） | 实际使用金额（亿元） | …, 制造业3624153179-18 was read
    # 36.24 | 15.3 | 179 | -1.8: a count of enterprises has no decimal point; 万件 (a count in ten thousands) may.
    from planparse.repair import CellReading, _RowContext
    from planparse.repair.score import _counts_single_things, _one_prior
    from planparse.tables import HeaderColumn

    enterprises = HeaderColumn("企业数（家）", None, "value", None)
    patents = HeaderColumn("专利数（万件）", None, "value", None, "万件")
    growth = HeaderColumn("比上年增长（%）", None, "change", False, "%")
    assert _counts_single_things(enterprises) and not _counts_single_things(patents) and not _counts_single_things(growth)
    context = _RowContext(columns=(enterprises, growth), unit=None, prior=None, period=None, years=5, base_year=None,
                          target_year=None, name_key="制造业", brackets=True)
    whole, pointed = CellReading("3624", 3624.0, 0), CellReading("3624", 36.24, 2)
    assert _one_prior(pointed, enterprises, context, None) < _one_prior(whole, enterprises, context, None) - 6.0
    other = HeaderColumn("金额（亿元）", None, "value", None, "亿元")
    assert _one_prior(pointed, other, context, None) > _one_prior(pointed, enterprises, context, None) + 5.0
