"""Research exports: the tidy cell table, the panel across plans, plan diffs, Parquet and the
Frictionless datapackage, and the library façade."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import planparse
from planparse import models
from planparse.dataset.cells import cell_rows, document_facts
from planparse.dataset.datapackage import build_package
from planparse.dataset.diff import diff_plans
from planparse.dataset.panel import build_panel
from planparse.dataset.schema import CELLS
from planparse.errors import InputError
from planparse.export import to_csv, to_jsonl, to_parquet
from tests.research_plans import PLAN_13, PLAN_14


@pytest.fixture(scope="module")
def plans() -> tuple[models.PlanRecord, models.PlanRecord]:
    return planparse.parse_text(PLAN_13), planparse.parse_text(PLAN_14)


def _cell(rows: list[dict], indicator: str, column: str) -> dict:
    return next(row for row in rows if row["indicator"] == indicator and row["column"] == column)


def test_cell_rows_carry_plan_metadata_year_role_and_canonical_units(plans: tuple[models.PlanRecord, ...]) -> None:
    rows = cell_rows(plans[0])
    assert all(tuple(row) == CELLS.names for row in rows)
    first = rows[0]
    assert first["document_id"] == plans[0].source.sha256
    assert (first["region"], first["region_code"], first["region_level"]) == ("沈阳市", "210100", "prefecture")
    assert (first["period_start"], first["period_end"]) == (2016, 2020)
    gdp_target = _cell(rows, "地区生产总值", "2020年目标")
    assert (gdp_target["indicator_id"], gdp_target["year"], gdp_target["role"], gdp_target["realized"]) == ("gdp", 2020, "target", False)
    assert (gdp_target["unit"], gdp_target["unit_canonical"], gdp_target["scale"]) == ("亿元", "元", 1e8)
    assert gdp_target["value_canonical"] == pytest.approx(10700 * 1e8)
    growth = _cell(rows, "地区生产总值", "年均增速[累计]")
    assert (growth["role"], growth["unit"], growth["cumulative"], growth["percentage_points"], growth["year"]) == (
        "growth", "%", False, False, 2020)
    points = _cell(rows, "常住人口城镇化率", "年均增速[累计]")
    assert (points["role"], points["cumulative"], points["percentage_points"]) == ("change", True, True)
    wetland = _cell(rows, "滨河湿地面积", "年均增速[累计]")  # a cumulative change in the row's unit
    assert (wetland["unit"], wetland["percentage_points"], wetland["indicator_id"], wetland["indicator_name"]) == (
        "万公顷", False, None, "滨河湿地面积")
    # Intact tables: nothing repaired, every reading intact.
    assert {row["basis"] for row in rows} == {"intact"} and not any(row["repaired"] for row in rows)
    assert {row["cell_ref"] for row in rows} >= {"/indicators/0/cells/0", "/indicators/5/cells/2"}


def test_seed_review_table_roles_and_damaged_cells(seed_text: str) -> None:
    record = planparse.parse_text(seed_text)
    rows = cell_rows(record)
    assert len(rows) == sum(len(indicator.cells) for indicator in record.indicators)
    actual_growth = next(row for row in rows if row["column"] == "实际完成/年均增长（%）" and row["value"] is not None)
    planned_growth = next(row for row in rows if row["column"] == "规划目标/年均增长（%）" and row["value"] is not None)
    assert actual_growth["realized"] and not planned_growth["realized"]
    assert actual_growth["year"] == 2015  # the review table's last year, not the plan's
    numeric = [row for row in rows if row["value"] is not None]
    assert all(row["repaired"] for row in numeric)
    # A damaged cell's basis is what decided it (the tables stage states it); never "intact".
    assert {row["basis"] for row in numeric} <= {"arithmetic", "cross_table", "prior_only"}
    assert {row["region"] for row in rows} == {"东北地区"}
    assert all(row["indicator_id"] for row in rows)
    # Both tables' 研究与试验发展经费投入强度 rows share one id.
    assert len({row["indicator_id"] for row in rows if "研究与试验发展" in row["indicator"]}) == 1


def test_same_indicator_from_two_plans_shares_an_id(plans: tuple[models.PlanRecord, ...]) -> None:
    one, two = (cell_rows(record) for record in plans)
    rd13 = {row["indicator_id"] for row in one if row["indicator"] == "研究与试验发展经费投入强度"}
    rd14 = {row["indicator_id"] for row in two if row["indicator"] == "研发经费投入强度"}
    assert rd13 == rd14 == {"rd_intensity"}
    assert [indicator.indicator_id for indicator in plans[1].indicators][:2] == ["gdp", "rd_intensity"]


def test_panel_reports_conflicts_and_targets_against_later_bases(plans: tuple[models.PlanRecord, ...]) -> None:
    result = build_panel([row for record in plans for row in cell_rows(record)])
    by_key = {(row["indicator_id"] or row["indicator_name"], row["year"], row["role"]): row for row in result.rows}
    gdp = by_key[("gdp", 2020, "target")]
    assert gdp["realized_value"] == pytest.approx(6571.6e8) and "十四个五年" in gdp["realized_from"]
    assert gdp["value"] == pytest.approx(10700e8) and gdp["unit"] == "元"
    rd = by_key[("rd_intensity", 2020, "base")]
    assert rd["documents"] == 1 and not rd["conflict"]
    # Each 2020 target is set beside the later plan's 2020 base:
    assert by_key[("urbanization_rate", 2020, "target")]["realized_value"] == pytest.approx(84.5)
    assert result.left_out == 2  # the two "--" cells
    assert result.documents == 2


def test_panel_flags_two_plans_reporting_one_fact_differently() -> None:
    # A revised edition of the same plan that reports two 2015 bases differently.
    changed = PLAN_13.replace("2016年3月", "2016年9月").replace("7280.5", "7290.0").replace("80.6", "84.5")
    result = build_panel([row for text in (PLAN_13, changed) for row in cell_rows(planparse.parse_text(text))])
    gdp = next(row for row in result.rows if row["indicator_id"] == "gdp" and row["role"] == "base")
    assert gdp["conflict"] and gdp["sources"] == 2 and "7280.5" in (gdp["from"] or "")
    urban = next(row for row in result.rows if row["indicator_id"] == "urbanization_rate" and row["role"] == "base")
    assert urban["conflict"]  # 80.6 vs 84.5
    same = build_panel([row for text in (PLAN_13, PLAN_13.replace("2016年3月", "2016年4月")) for row in cell_rows(planparse.parse_text(text))])
    assert same.conflicts == 0 and all(row["documents"] == 2 for row in same.rows)


def test_values_agree_within_printed_precision() -> None:
    base = PLAN_13.replace("80.6", "80.60")
    result = build_panel([row for text in (PLAN_13, base) for row in cell_rows(planparse.parse_text(text))])
    assert result.conflicts == 0


def test_diff_targets_against_later_bases(plans: tuple[models.PlanRecord, ...]) -> None:
    result = diff_plans(cell_rows(plans[0]), cell_rows(plans[1]))
    by_id = {(row["indicator_id"], row["measure"]): row for row in result.rows}
    assert by_id[("gdp", "level")]["status"] == "missed"
    assert by_id[("gdp", "level")]["difference"] == pytest.approx((6571.6 - 10700) * 1e8)
    assert by_id[("rd_intensity", "level")]["status"] == "missed"  # 2.6 against 2.8
    assert by_id[("urbanization_rate", "level")]["status"] == "met"  # 84.5 against 83.0
    assert by_id[("urban_registered_unemployment", "level")]["status"] == "met"  # 4.2 < 4.5
    assert by_id[("forest_coverage", "level")]["status"] == "met"
    assert ("gdp", "growth") not in by_id  # the 14th plan reports no achieved growth
    assert result.unmatched == result.aims - len(result.rows)
    # Plans the wrong way round: the 14th plan's 2025 targets have nothing to meet in the 13th.
    assert diff_plans(cell_rows(plans[1]), cell_rows(plans[0])).rows == []


def test_writers_give_the_same_columns_and_typed_frames(plans: tuple[models.PlanRecord, ...], tmp_path: Path) -> None:
    import pandas

    rows = cell_rows(plans[0])
    frame = pandas.read_csv(io.StringIO(to_csv(rows)))
    assert list(frame.columns) == list(CELLS.names)
    assert frame["cumulative"].dtype == bool and frame["flagged"].dtype == bool
    lines = to_jsonl(rows).splitlines()
    assert len(lines) == len(rows) and '"region": "沈阳市"' in lines[0]
    data = to_parquet(rows)
    assert data == to_parquet(rows)  # same rows, same bytes
    table = pandas.read_parquet(io.BytesIO(data))
    direct = planparse.to_dataframe(plans[0])
    assert list(table.columns) == list(CELLS.names)
    assert dict(table.dtypes) == dict(direct.dtypes)
    assert not [name for name, dtype in direct.dtypes.items() if str(dtype) == "object"]
    assert str(direct["year"].dtype) == "Int64" and direct["cumulative"].dtype == bool


def test_datapackage_validates_with_frictionless(plans: tuple[models.PlanRecord, ...], tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    communique = _markdown(tmp_path, "communique.md", _COMMUNIQUE.format(year=2015, gdp=676708, growth=6.9, oil="33550"))
    records = [*plans, communique]  # a generic table's figures too
    facts = [document_facts(record) for record in records]
    rows = [row for record, fact in zip(records, facts, strict=True) for row in cell_rows(record, fact)]
    assert {row["table_kind"] for row in rows} == {"indicator", "generic"}
    for file in build_package(facts, rows):
        (tmp_path / file.name).write_bytes(file.data)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    # The check can fail: a cell whose document is not among the documents breaks the foreign key.
    cells = (tmp_path / "cells.csv").read_text(encoding="utf-8")
    (tmp_path / "cells.csv").write_text(cells.replace(plans[0].source.sha256, "f" * 64, 1), encoding="utf-8")
    assert not frictionless.validate(str(tmp_path / "datapackage.json")).valid


def test_parse_takes_paths_and_parse_text_takes_text(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        planparse.parse("typo.txt")
    with pytest.raises(InputError, match="no such file"):
        planparse.parse(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="directory"):
        planparse.parse(tmp_path)
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN_13, encoding="utf-8")
    record = planparse.parse(str(plan))
    assert record.source.path == "plan.txt" and record == planparse.parse(plan)
    assert planparse.parse_text(PLAN_13).source.path == "<text>"
    with pytest.raises(TypeError):
        planparse.parse_text(plan)  # type: ignore[arg-type]
    with pytest.warns(DeprecationWarning):
        assert planparse.parse(PLAN_13).indicators  # multi-line text: still read, with a warning


def test_load_records_and_panel_frame(plans: tuple[models.PlanRecord, ...], tmp_path: Path) -> None:
    from planparse.emit import serialize

    for index, record in enumerate(plans):
        (tmp_path / f"p{index}.json").write_bytes(serialize(record, ".json"))
        (tmp_path / f"p{index}.yaml").write_bytes(serialize(record, ".yaml"))
    records = planparse.load_records(tmp_path)
    assert len(records) == 2  # each document once, though it has a .json and a .yaml
    panel = planparse.to_panel(records)
    assert panel["conflict"].dtype == bool and str(panel["year"].dtype) == "Int64"
    assert set(panel["region"]) == {"沈阳市"}
    with pytest.raises(InputError):
        planparse.load_records(tmp_path / "nothing")


_COMMUNIQUE = """# {year}年国民经济和社会发展统计公报

国家统计局

一、综合

全年国内生产总值{gdp}亿元，比上年增长{growth}%。

**表3 {year}年主要商品进口数量、金额及其增长速度[12]**

| 商品名称 | 单位 | 数量 | 比上年增长（%） | 金额（亿元） | 比上年增长（%） |
| --- | --- | --- | --- | --- | --- |
| 原油 | 万吨 | {oil} | 8.8 | 8333 | -40.5 |
| 美国 | 万吨 | 10.0 | 1.5 | 20 | 2.5 |

二、农业

全年粮食产量62144万吨。
"""


def _markdown(tmp_path: Path, name: str, text: str) -> models.PlanRecord:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return planparse.parse(path)


def test_a_generic_tables_figures_are_tidy_rows_and_join_across_years(tmp_path: Path) -> None:
    # A communiqué's tables are no indicator tables: their figures had no row in the cell table, so
    # a panel of communiqués was empty (`indicators` said none has an indicator table).
    first = _markdown(tmp_path, "2014.md", _COMMUNIQUE.format(year=2014, gdp=636139, growth=7.4, oil="30838"))
    second = _markdown(tmp_path, "2015.md", _COMMUNIQUE.format(year=2015, gdp=676708, growth=6.9, oil="33550"))
    rows = cell_rows(first)
    assert all(tuple(row) == CELLS.names for row in rows)
    oil = [row for row in rows if row["indicator"] == "原油"]
    assert [(row["table_kind"], row["year"], row["role"], row["realized"], row["value"], row["unit"]) for row in oil] == [
        ("generic", 2014, "value", True, 30838.0, "万吨"), ("generic", 2014, "growth", True, 8.8, "%"),
        ("generic", 2014, "value", True, 8333.0, "亿元"), ("generic", 2014, "growth", True, -40.5, "%")]
    assert oil[0]["value_canonical"] == pytest.approx(3.0838e8) and oil[0]["confidence"] == 1.0
    assert oil[0]["cell_ref"].startswith("/tables/0/rows/")
    # Each growth column is the growth of the value column before it; the footnote mark and the year
    # are not part of the series.
    assert [row["series"] for row in oil] == [
        "主要商品进口数量、金额及其增长速度/原油/数量", "主要商品进口数量、金额及其增长速度/原油/数量/比上年增长",
        "主要商品进口数量、金额及其增长速度/原油/金额", "主要商品进口数量、金额及其增长速度/原油/金额/比上年增长"]
    panel = build_panel(cell_rows(first) + cell_rows(second))
    assert panel.conflicts == 0
    volumes = [row for row in panel.rows if row["measure"] == "series:主要商品进口数量、金额及其增长速度/原油/数量"]
    assert [(row["year"], row["value"]) for row in volumes] == [(2014, pytest.approx(3.0838e8)), (2015, pytest.approx(3.355e8))]


def test_a_generic_tables_dated_columns_give_the_year_and_a_target(tmp_path: Path) -> None:
    text = ("# 发展国民经济的第一个五年计划\n\n第一章 任务\n\n工业生产的计划如下。\n\n"
            "| 产品名称 | 1952年产量 | 1957年计划产量 |\n| --- | --- | --- |\n| 原油 | 43.6万吨 | 201.2万吨 |\n"
            "| 原煤 | 6,352,8万吨 | 11,298.5万吨 |\n\n第二章 农业\n\n农业生产的计划如下。\n")
    rows = cell_rows(_markdown(tmp_path, "plan.md", text))
    assert [(row["indicator"], row["year"], row["role"], row["realized"], row["value"], row["unit"], row["series"])
            for row in rows] == [
        ("原油", 1952, "value", True, 43.6, "万吨", "原油/产量"), ("原油", 1957, "target", False, 201.2, "万吨", "原油/计划产量"),
        ("原煤", 1952, "value", True, None, "万吨", "原煤/产量"), ("原煤", 1957, "target", False, 11298.5, "万吨", "原煤/计划产量")]
    unread = rows[2]
    assert (unread["confidence"], unread["flagged"], unread["basis"], unread["raw"]) == (0.0, True, "unreadable", "6,352,8万吨")
