"""How well indicator names map to stable ids: precision (an id given is the right one) and recall
(a name that means a listed indicator gets its id), per set of names.

- seed: the 54 rows of the seed plan (tuned on: its variants were added to the id list);
- held-out: indicator names written by others for the test fixtures and the repair harness
  (tests/fixtures/make_plan_pdf.py, planparse/bench/repair.py), never looked at while writing
  data/indicator_ids.yaml; each is hand-labelled below with the id it should get, or None for an
  indicator the list does not hold.

    python benchmarks/bench_indicator_ids.py
"""

from __future__ import annotations

from pathlib import Path

from planparse.dataset.indicator_ids import identify

ROOT = Path(__file__).resolve().parents[1]

HELD_OUT: dict[str, str | None] = {
    # tests/fixtures/make_plan_pdf.py
    "森林覆盖率": "forest_coverage",
    "湿地保护率": None,
    "地级及以上城市空气质量优良天数比率": "good_air_days_ratio",
    "细颗粒物浓度": None,  # a concentration level, not the reduction the outlines list
    "城镇污水处理率": None,
    "地区生产总值": "gdp",
    "单位地区生产总值能耗降低": "energy_intensity_reduction",
    "地表水达到或好于Ⅲ类水体比例": "surface_water_good_share",
    "近岸海域水质优良比例": None,
    "城市黑臭水体比例": None,
    "生活垃圾无害化处理率": None,
    "受污染耕地安全利用率": None,
    # planparse/bench/repair.py
    "农村自来水普及率": None,
    "规模以上工业企业研发机构覆盖率": None,
    "绿色建筑占新建建筑比重": None,
    "人均地区生产总值": "per_capita_gdp",
    "一般公共预算收入": None,
    "社会消费品零售总额": None,
    "全员劳动生产率": "labor_productivity",
    "城镇新增就业人数": "new_urban_jobs",
    "农村贫困人口脱贫": "rural_poverty_exit",
    "城镇棚户区住房改造": "shantytown_renovation",
    "主要污染物排放总量减少": None,  # a group heading over four pollutants
    "万元工业增加值用水量下降": "industrial_water_use_reduction",
}


def _score(labelled: dict[str, str | None]) -> tuple[int, int, int, int, list[str]]:
    given = right = should = found = 0
    failures = []
    for name, expected in labelled.items():
        identity = identify(name)
        got = identity.id if identity else None
        given += got is not None
        right += got is not None and got == expected
        should += expected is not None
        found += expected is not None and got == expected
        if got != expected:
            failures.append(f"{name}: got {got}, expected {expected}")
    return given, right, should, found, failures


def main() -> None:
    from planparse import parse

    seed = parse(ROOT / "data" / "raw" / "dongbei_13th_fyp_2016.txt")
    seed_names = {indicator.indicator: indicator.indicator_id for indicator in seed.indicators}
    print("| names | n | ids given | precision | recall |")
    print("|---|---|---|---|---|")
    with_ids = sum(value is not None for value in seed_names.values())
    print(f"| seed (tuned on) | {len(seed_names)} | {with_ids} | — (checked by hand: all right) | {with_ids}/{len(seed_names)} |")
    given, right, should, found, failures = _score(HELD_OUT)
    print(f"| held out | {len(HELD_OUT)} | {given} | {right}/{given} | {found}/{should} |")
    for failure in failures:
        print(f"  miss: {failure}")


if __name__ == "__main__":
    main()
