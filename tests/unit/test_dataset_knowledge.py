"""The domain knowledge of the research exports: regions, periods, units and indicator ids."""

from __future__ import annotations

import pytest

from planparse.dataset.indicator_ids import identify, known_ids
from planparse.dataset.knowledge import data_file
from planparse.dataset.periods import period_of_title, period_of_years
from planparse.dataset.regions import region_of
from planparse.dataset.units import canonical_unit


@pytest.mark.parametrize(
    ("title", "issuer", "expected"),
    [
        ("东北振兴“十三五”规划", "国家发展改革委", ("东北地区", "macro", None)),
        ("辽宁省国民经济和社会发展第十三个五年规划纲要", None, ("辽宁省", "province", "210000")),
        # 吉林市 is the prefecture, not the province 吉林 (longest name first).
        ("吉林市“十四五”规划", None, ("吉林市", "prefecture", "220200")),
        ("内蒙古“十四五”规划", None, ("内蒙古自治区", "province", "150000")),
        # A county name used in several prefectures counts only with its prefecture named.
        ("南京市鼓楼区“十四五”规划", None, ("鼓楼区", "county", "320106")),
        ("关于加强个人所得税纳税信用建设的通知", "发展改革委办公厅税务总局办公厅", ("全国", "national", None)),
        ("中华人民共和国国民经济和社会发展第十二个五年规划纲要", None, ("全国", "national", None)),
        ("“十四五”生态保护规划", "沈阳市人民政府", ("沈阳市", "prefecture", "210100")),
    ],
)
def test_region_from_title_then_issuer(title: str, issuer: str | None, expected: tuple[str, str, str | None]) -> None:
    region = region_of(title, issuer)
    assert region is not None
    assert (region.name, region.level, region.code) == expected


@pytest.mark.parametrize(
    ("title", "issuer"),
    [
        ("鼓楼区“十四五”规划", None),  # four prefectures have a 鼓楼区: undecidable
        ("滨海市“十四五”生态保护规划", "滨海市人民政府"),  # no such city
        ("辽宁省吉林省合作规划", None),  # two provinces, no region that holds both
        (None, None),
    ],
)
def test_region_unknown_is_none_not_a_guess(title: str | None, issuer: str | None) -> None:
    assert region_of(title, issuer) is None


def test_gazetteer_has_every_level() -> None:
    data = data_file("regions.yaml")
    assert len(data["provinces"]) == 31
    assert len(data["prefectures"]) > 300 and len(data["counties"]) > 2800
    assert all(len(code) == 6 and code.isdigit() for code in data["counties"])
    codes = set(data["provinces"])
    assert all(code in codes for macro in data["macro_regions"] for code in macro["provinces"])


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("东北振兴“十三五”规划", (2016, 2020)),
        ("辽宁省国民经济和社会发展第十三个五年规划纲要", (2016, 2020)),
        ("国民经济和社会发展第十个五年计划纲要", (2001, 2005)),
        ("“十五五”规划", (2026, 2030)),
        ("十五计划", (2001, 2005)),
        ("中华人民共和国发展国民经济的第一个五年计划", (1953, 1957)),
        ("湿地保护规划（2021—2025年）", (2021, 2025)),
        ("2023年政府工作报告", None),
        ("十五个重点项目", None),
    ],
)
def test_period_from_title(title: str, expected: tuple[int, int] | None) -> None:
    assert period_of_title(title) == expected


def test_period_from_table_years() -> None:
    assert period_of_years(2015, 2020) == (2016, 2020)
    assert period_of_years(2020, 2020) is None and period_of_years(None, 2020) is None


@pytest.mark.parametrize(
    ("unit", "canonical", "scale"),
    [
        ("亿元", "元", 1e8),
        ("万亿元", "元", 1e12),
        ("万元/人", "元/人", 1e4),
        ("吨标准煤/万元", "吨标准煤/元", 1e-4),
        ("万公顷", "公顷", 1e4),
        ("万亩", "公顷", 1e4 / 15),
        ("亿立方米", "立方米", 1e8),
        ("万千瓦", "千瓦", 1e4),
        ("亿千瓦时", "千瓦时", 1e8),
        ("%", "%", 1.0),
        ("％", "%", 1.0),
        ("件", "件", 1.0),
    ],
)
def test_canonical_units(unit: str, canonical: str, scale: float) -> None:
    found = canonical_unit(unit)
    assert found is not None and found.unit == canonical
    assert found.scale == pytest.approx(scale)


def test_unknown_units_have_no_canonical_form() -> None:
    assert canonical_unit("微米/斤") is None and canonical_unit(None) is None and canonical_unit("") is None


def test_same_indicator_printed_differently_shares_an_id() -> None:
    pairs = [
        ("研究与试验发展经费投入强度", "研发经费投入强度"),
        ("单位GDP能源消耗降低", "单位能耗降低"),
        ("单位国内生产总值二氧化碳排放降低", "单位地区生产总值二氧化碳排放降低"),
        ("国内生产总值", "地区生产总值"),
        ("细颗粒物（PM2.5）未达标地级及以上城市浓度下降", "PM2.5未达标地级及以上城市浓度下降"),
        ("地表水质量达到或好于Ⅲ类水体比例", "达到或好于Ⅲ类水体比例"),
    ]
    for first, second in pairs:
        one, two = identify(first), identify(second)
        assert one is not None and two is not None and one.id == two.id, (first, second)


def test_different_indicators_never_share_an_id_and_unknown_has_none() -> None:
    urban, hukou = identify("常住人口城镇化率"), identify("户籍人口城镇化率")
    assert urban is not None and hukou is not None and urban.id != hukou.id
    assert identify("农村居民人均纯收入") != identify("农村居民人均可支配收入")
    assert identify("滨海湿地面积") is None
    # The repaired name first, the printed (damaged) one as a fallback.
    found = identify(None, "研发经费投入强度")
    assert found is not None and found.id == "rd_intensity"


def test_every_name_of_the_repair_priors_has_an_id() -> None:
    priors = data_file("indicators.yaml")
    missing = [name for entry in priors["indicators"] for name in (entry["name"], *(entry.get("aliases") or []))
               if identify(name) is None]
    assert missing == []
    assert all(id_.replace("_", "").isalnum() and id_.islower() for id_ in known_ids())
