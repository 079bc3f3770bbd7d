from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planparse.bench.repair import evaluate
from planparse.repair import FLAG_THRESHOLD, digit_readings, lookup

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
    """The evaluation harness: damage→repair round trip on generated tables with known truth."""
    for seed in (1, 7):
        result = evaluate(tables=25, seed=seed)
        assert result["accuracy"] >= 0.97, result
        assert result["wrong_flagged"] == result["wrong"], f"every wrong cell must be flagged (< {FLAG_THRESHOLD}): {result}"


def test_branch_and_bound_search_equals_the_brute_force_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast row search returns exactly the brute-force readings, scores and order (ties
    included) on the seed's damaged tables and on generated target and review tables."""
    import random

    from planparse import parse, repair
    from planparse.bench.repair import generate_plan, generate_review_plan
    from planparse.damage import strip_like_seed
    from tests.reference_solver import reference_row_readings

    fast = repair.row_readings
    compared: list[int] = []

    def both(*args):  # type: ignore[no-untyped-def]
        found = fast(*args)
        assert found == reference_row_readings(*args)
        compared.append(len(found[0]))
        return found

    monkeypatch.setattr(repair, "row_readings", both)
    rng = random.Random(5)
    plans = [SEED.read_text(encoding="utf-8")]
    plans += [strip_like_seed(generate_review_plan(rng)[0] if index % 2 else generate_plan(rng)[0]) for index in range(6)]
    for plan in plans:
        parse(plan)
    assert len(compared) > 60 and max(compared) > 100  # rows with many near-tied readings were compared
