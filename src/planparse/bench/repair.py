"""Evaluation harness for the repair solver: generate realistic indicator tables with consistent
arithmetic (target tables, and plan-versus-actual review tables every third box), render them as a
plan box, damage them the seed's way, extract, and score every cell.

    python -m planparse.bench.repair [--tables 40] [--seed 1]

Prints cell accuracy and whether every wrong cell was flagged (confidence below 0.8).
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass

from ..damage import strip_like_seed
from ..repair import FLAG_THRESHOLD, priors

GENERIC_SHARES = ["城镇污水处理率", "生活垃圾无害化处理率", "农村自来水普及率", "规模以上工业企业研发机构覆盖率", "绿色建筑占新建建筑比重"]
# (name, unit, low, high, decimals): magnitudes as such indicators print in provincial plans.
GENERIC_LEVELS = [("人均地区生产总值", "万元", 3, 15, 1), ("一般公共预算收入", "亿元", 300, 8000, 0),
                  ("社会消费品零售总额", "亿元", 2000, 20000, 0), ("全员劳动生产率", "万元/人", 6, 20, 1)]
GENERIC_COUNTS = [("城镇新增就业人数", "万人"), ("农村贫困人口脱贫", "万人"), ("城镇棚户区住房改造", "万套")]
GENERIC_RATES = ["单位地区生产总值能耗降低", "主要污染物排放总量减少", "万元工业增加值用水量下降"]


@dataclass(frozen=True)
class TrueCell:
    value: float | None
    cumulative: bool | None
    text: str  # as printed in the intact table


def _national_base(name: str) -> float | None:
    """The most recent national base value of an indicator in the priors file, if any."""
    from ..repair import lookup

    entry = lookup(name)
    if not entry:
        return None
    bases = [period.get("base") for period in (entry.get("national") or {}).values() if period.get("base")]
    return float(bases[-1]) if bases else None


def _fmt(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def _row(rng: random.Random) -> tuple[str, str, list[TrueCell]]:
    """(name, unit, cells [base, target, change]) of one indicator with consistent arithmetic."""
    kind = rng.choice(["share", "share", "share", "level", "count", "rate", "intensity"])
    entries = [entry for entry in priors()["indicators"] if entry.get("unit") == "%" and entry.get("kind") == "share"]
    if kind == "share":
        name = rng.choice([entry["name"] for entry in entries] + GENERIC_SHARES)
        national = _national_base(name)
        # A region sits within a small factor of the nation (plan-documents.md, "Reasoning a repair").
        base = round(min(95.0, national * rng.uniform(0.4, 2.5)), 1) if national else round(rng.uniform(8, 92), 1)
        change = round(rng.uniform(0.1 * max(base, 1.0), 0.3 * max(base, 1.0)) if base < 10 else rng.uniform(0.5, min(9.0, 99 - base)), 1)
        target = round(base + change, 1)
        return name, "%", [TrueCell(base, None, _fmt(base, 1)), TrueCell(target, None, _fmt(target, 1)),
                           TrueCell(change, True, f"[{_fmt(change, 1)}]")]
    if kind == "level":
        name, unit, low, high, decimals = rng.choice(GENERIC_LEVELS)
        base = round(rng.uniform(low, high), decimals)
        rate = round(rng.uniform(3.0, 9.0), 1)
        target = round(base * (1 + rate / 100) ** 5, decimals)
        return name, unit, [TrueCell(base, None, _fmt(base, decimals)), TrueCell(target, None, _fmt(target, decimals)),
                            TrueCell(rate, False, _fmt(rate, 1))]
    if kind == "count":
        name, unit = rng.choice(GENERIC_COUNTS)
        total = float(rng.randint(20, 900))
        return name, unit, [TrueCell(None, None, "--"), TrueCell(None, None, "--"), TrueCell(total, True, f"[{int(total)}]")]
    if kind == "rate":
        name = rng.choice(GENERIC_RATES)
        change = round(rng.uniform(5, 25), 1)
        return name, "%", [TrueCell(None, None, "--"), TrueCell(None, None, "--"), TrueCell(change, True, f"[{_fmt(change, 1)}]")]
    name = rng.choice(["每万人口发明专利拥有量", "每万人口高价值发明专利拥有量"])
    national = _national_base(name) or 6.3
    base = round(national * rng.uniform(0.4, 2.5), 1)
    change = round(base * rng.uniform(0.3, 1.0), 1)
    target = round(base + change, 1)
    return name, "件", [TrueCell(base, None, _fmt(base, 1)), TrueCell(target, None, _fmt(target, 1)),
                       TrueCell(change, True, f"[{_fmt(change, 1)}]")]


def _review_row(rng: random.Random) -> tuple[str, str, list[TrueCell]]:
    """A plan-versus-actual row: both (level, change) pairs start from one value."""
    if rng.random() < 0.6:
        entries = [entry for entry in priors()["indicators"] if entry.get("unit") == "%" and entry.get("kind") == "share"]
        name = rng.choice([entry["name"] for entry in entries] + GENERIC_SHARES)
        national = _national_base(name)
        start = round(min(90.0, national * rng.uniform(0.4, 2.5)), 1) if national else round(rng.uniform(8, 85), 1)
        planned = round(rng.uniform(0.5, 6.0), 1)
        actual = round(planned + rng.uniform(-1.0, 2.0), 1)
        actual = max(actual, 0.1)
        return name, "%", [TrueCell(round(start + planned, 1), None, _fmt(start + planned, 1)), TrueCell(planned, True, f"[{_fmt(planned, 1)}]"),
                           TrueCell(round(start + actual, 1), None, _fmt(start + actual, 1)), TrueCell(actual, True, f"[{_fmt(actual, 1)}]")]
    name, unit, low, high, decimals = rng.choice(GENERIC_LEVELS)
    start = rng.uniform(low, high)
    planned, actual = round(rng.uniform(3, 9), 1), round(rng.uniform(3, 9), 1)
    target = round(start * (1 + planned / 100) ** 5, decimals)
    reached = round(start * (1 + actual / 100) ** 5, decimals)
    return name, unit, [TrueCell(target, None, _fmt(target, decimals)), TrueCell(planned, False, _fmt(planned, 1)),
                        TrueCell(reached, None, _fmt(reached, decimals)), TrueCell(actual, False, _fmt(actual, 1))]


def generate_review_plan(rng: random.Random, rows: int = 6) -> tuple[str, list[list[TrueCell]]]:
    """A review box (规划目标 vs 实际完成, two-level header) and its truth."""
    lines = ["第一章发展回顾", "第一节发展基础", "“十二五”时期目标基本完成。", "专栏1主要指标实现情况",
             "指标属性规划目标实际完成2015年年均增长（%）2015年年均增长（%）"]
    truth = []
    for _ in range(rows):
        name, unit, cells = _review_row(rng)
        lines.append(f"{name}（{unit}）{rng.choice(['预期性', '约束性'])} " + " ".join(cell.text for cell in cells))
        truth.append(cells)
    lines += ["注：①[ ]内为5年累计数。", "第二节发展环境", "加强组织领导。各地要落实责任。"]
    return "\n".join(lines) + "\n", truth


def generate_plan(rng: random.Random, rows: int = 8) -> tuple[str, list[list[TrueCell]]]:
    """A small plan (chapter, section, indicator box) and the truth of its table's cells."""
    lines = ["第一章总体要求", "第一节主要目标", "到2020年，主要目标如下。", "专栏1主要指标", "指标属性2015年基数2020年目标年均增速[累计]"]
    truth = []
    for number in range(1, rows + 1):
        name, unit, cells = _row(rng)
        attribute = rng.choice(["预期性", "约束性"])
        lines.append(f"（{number}）{name}（{unit}）{attribute} " + " ".join(cell.text for cell in cells))
        truth.append(cells)
    lines.append("注：①[ ]内为5年累计数。")
    lines.append("第二节保障措施")
    lines.append("加强组织领导。各地要落实责任。")
    return "\n".join(lines) + "\n", truth


def evaluate(tables: int = 40, seed: int = 1) -> dict[str, float]:
    """Extract generated damaged tables; return accuracy figures."""
    from .. import parse

    rng = random.Random(seed)
    total = right = wrong_flagged = wrong = 0
    for index in range(tables):
        plan, truth = generate_review_plan(rng) if index % 3 == 2 else generate_plan(rng)
        record = parse(strip_like_seed(plan))
        for indicator, cells in zip(record.indicators, truth):
            for cell, true in zip(indicator.cells, cells):
                total += 1
                ok = (cell.value is None and true.value is None) or (
                    cell.value is not None and true.value is not None and abs(cell.value - true.value) < 1e-9
                    and (true.cumulative is None or cell.cumulative == true.cumulative)
                )
                if ok:
                    right += 1
                else:
                    wrong += 1
                    wrong_flagged += cell.confidence < FLAG_THRESHOLD
        missing = sum(len(cells) for cells in truth[len(record.indicators) :])
        total += missing
        wrong += missing
    return {
        "cells": total,
        "accuracy": right / total if total else 0.0,
        "wrong": wrong,
        "wrong_flagged": wrong_flagged,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tables", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    result = evaluate(options.tables, options.seed)
    print(f"cells                 {result['cells']:.0f}")
    print(f"exactly right         {result['accuracy']:.2%}")
    print(f"wrong cells           {result['wrong']:.0f}")
    print(f"wrong and flagged     {result['wrong_flagged']:.0f} (confidence < {FLAG_THRESHOLD})")


if __name__ == "__main__":
    main()
