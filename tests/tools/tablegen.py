"""A generator of plan documents with indicator tables in many layouts, with known truth.

Every document is one small plan (chapters, sections, prose, one 专栏 with an indicator table and
its notes) rendered twice:

- ``intact``: line breaks, spaces between cells, decimals, ``%`` and ``[ ]`` as printed;
- ``damaged``: the seed's damage (:func:`planparse.damage.damage_text`: ASCII letters, ``.``,
  ``%``, ``[``, ``]`` and all whitespace stripped, printed page numbers glued in at page starts,
  which may fall inside the table and inside a row's digits).

The indicators are this module's own catalogue (most outside any national list), with values
drawn from ranges of its own — never from ``src/planparse/data/indicators.yaml`` — so a solver
that leans on its priors can fail here. Tables disagree with themselves the way real ones do:
rounded targets, nominal levels printed with real growth rates. Names hold digits (前15家,
1.1级, PM2.5, 5G, 4A级, 3岁), word cells stand where numbers would (零发生, 持续改善, 完成国家下达任务),
and rows come under category rows and parent rows.

Layouts (``LAYOUTS``):
  seed         指标 属性 2015年 2020年 年均增速[累计], rows （N）name（unit） attribute cells
  attr_last    指标 2020年 2025年 年均增长（%） 属性: the attribute after the cells
  unit_col     指标 单位 属性 2020年 2025年 年均增长[累计]: units in their own column
  base_target  指标 属性 基期 目标 年均增长[累计]: no years in the header
  long_range   指标 属性 2020年 2025年 2035年 年均增长（%）: a 2035 column without arithmetic
  review       规划目标 / 实际完成 over (2015年, 年均增长), two-level header
  note_col     指标 2020年 2025年 年均增长[累计] 备注: no attribute, a text column at the end

Extra layouts (``EXTRA_LAYOUTS``, generated apart so the layouts above keep their documents):
  unit_cells   产品名称 2020年产量 2025年产量 年均增长（%）: every level prints its unit in the cell
               (the 1953 plan's 72.6亿度 | 159亿度 | 219), no attribute, no unit after the name

Seeds below ``HELD_OUT_FROM`` are for development; seeds from it on are held out (never tuned on).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from planparse.damage import damage_text

HELD_OUT_FROM = 1000
LAYOUTS = ("seed", "attr_last", "unit_col", "base_target", "long_range", "review", "note_col")
EXTRA_LAYOUTS = ("unit_cells",)
LEVEL_ROLES = frozenset({"base", "target", "long", "plan", "actual"})


@dataclass(frozen=True)
class TrueCell:
    """One value cell as the intact table prints it, and what a reader should get from it."""

    printed: str  # "60.5", "[5.3]", "--", "零发生", ">6.5"
    value: float | None
    cumulative: bool | None = None  # change columns: True for [ ], False for an annual rate
    text: str | None = None  # a word cell
    comparator: str | None = None


@dataclass(frozen=True)
class TrueRow:
    name: str
    unit: str | None
    attribute: str | None
    category: str | None
    group: str | None  # the parent row's label
    number: int | None
    note: str | None
    cells: tuple[TrueCell, ...]
    consistent: bool = True  # False: the printed arithmetic does not hold (rounded, nominal/real)


@dataclass(frozen=True)
class TrueTable:
    layout: str
    box: int
    title: str
    columns: tuple[str, ...]  # value columns' header paths, in order
    rows: tuple[TrueRow, ...]


@dataclass(frozen=True)
class Case:
    layout: str
    seed: int
    intact: str
    damaged: str
    table: TrueTable
    pages: int = 0  # page numbers glued into the damaged text


# ------------------------------------------------------------------ catalogue

# (name, unit, low, high, decimals): shares, five-year change in points drawn from [change_low, change_high].
SHARES: tuple[tuple[str, str, float, float, float, float], ...] = (
    ("规模以上工业企业数字化研发设计工具普及率", "%", 50, 80, 3, 12),
    ("前15家企业研发投入占营业收入比重", "%", 1.5, 4.5, 0.3, 1.5),
    ("1.1级以上地震自动速报覆盖率", "%", 55, 88, 3, 10),
    ("PM2.5达标城市比例", "%", 40, 85, 3, 12),
    ("65岁以上老年人健康管理率", "%", 55, 78, 3, 10),
    ("5G用户普及率", "%", 20, 50, 15, 35),
    ("农村生活污水治理率", "%", 18, 50, 8, 25),
    ("城市建成区绿地率", "%", 33, 42, 0.5, 3),
    ("二级及以上医院预约诊疗率", "%", 40, 70, 5, 20),
    ("数字经济核心产业增加值占比", "%", 4, 10, 1.5, 4),
    ("高新技术产业增加值占规上工业比重", "%", 15, 45, 3, 10),
    ("主要农作物耕种收综合机械化率", "%", 60, 85, 2, 8),
    ("县级以上城市建成区黑臭水体消除比例", "%", 60, 95, 3, 20),
    ("3岁以下婴幼儿入托率", "%", 5, 20, 5, 15),
    ("4A级及以上景区智慧化覆盖率", "%", 30, 70, 10, 25),
    ("城乡居民体质达标率", "%", 88, 93, 0.5, 2),
)
# (name, unit, low, high, decimals, rate low, rate high): levels with an annual growth rate.
LEVELS: tuple[tuple[str, str, float, float, int, float, float], ...] = (
    ("数字经济核心产业增加值", "亿元", 300, 3000, 0, 8, 15),
    ("旅游总收入", "亿元", 500, 8000, 0, 5, 12),
    ("人均地区生产总值", "万元", 4, 15, 2, 5, 8),
    ("口岸货物吞吐量", "万吨", 1000, 50000, 0, 3, 8),
    ("5G基站数", "万个", 0.5, 8, 1, 12, 28),
    ("前15家企业营业收入", "亿元", 800, 6000, 0, 6, 10),
    ("全社会研发经费支出", "亿元", 50, 900, 1, 8, 14),
    ("社会消费品零售总额", "亿元", 2000, 20000, 0, 5, 9),
    ("外贸进出口总额", "亿美元", 100, 3000, 0, 3, 8),
    ("粮食单产", "公斤/亩", 350, 480, 0, 0.5, 2),
)
# (name, unit, low, high, decimals): five-year totals, levels not printed.
COUNTS: tuple[tuple[str, str, float, float, int], ...] = (
    ("城镇新增就业", "万人", 20, 300, 0),
    ("改造城镇老旧小区", "个", 300, 3000, 0),
    ("新建改建农村公路", "公里", 2000, 12000, 0),
    ("新增4A级以上旅游景区", "个", 5, 40, 0),
    ("新增高标准农田", "万亩", 50, 800, 0),
    ("培训高素质农民", "万人次", 2, 30, 1),
)
# Declines in percent over five years (levels not printed).
DECLINES: tuple[tuple[str, float, float], ...] = (
    ("单位地区生产总值能耗下降", 12, 16),
    ("万元地区生产总值建设用地下降", 15, 25),
    ("单位地区生产总值二氧化碳排放下降", 17, 20),
    ("重点行业挥发性有机物排放量下降", 8, 12),
    ("PM2.5年均浓度下降", 5, 15),
)
# (name, unit, low, high, decimals): a level, then a word for the target (or the change).
WORDS: tuple[tuple[str, str | None, str, str], ...] = (
    ("重特大生产安全事故", "起", "零发生", "target"),
    ("地表水国控断面水质", None, "持续改善", "target"),
    ("永久基本农田保护面积", "万亩", "完成国家下达任务", "change"),
    ("城乡居民收入增长", "%", "与经济增长同步", "target"),
    ("近岸海域水质", None, "稳步提高", "target"),
    ("重要江河湖泊水功能区水质达标率", "%", "达到国家要求", "target"),
)
# Comparator rows: (name, unit, low, high, decimals, comparator).
BOUNDS: tuple[tuple[str, str, float, float, int, str], ...] = (
    ("城镇调查失业率", "%", 4.0, 5.4, 1, "<"),
    ("粮食产量", "万吨", 300, 3000, 0, ">"),
    ("居民消费价格涨幅", "%", 1.5, 2.8, 1, "<"),
    ("规模以上工业增加值增长", "%", 5.0, 8.0, 1, ">"),
)
# Parent rows and their sub-indicators (shares).
PARENTS: tuple[tuple[str, tuple[tuple[str, float, float, float, float], ...]], ...] = (
    ("教育普及水平", (("学前教育毛入园率", 80, 92, 2, 6), ("高中阶段教育毛入学率", 88, 95, 1, 4))),
    ("数字基础设施", (("千兆光网覆盖率", 20, 50, 15, 30), ("5G网络行政村通达率", 40, 80, 10, 30))),
    ("空气质量", (("地级城市空气质量优良天数比率", 75, 88, 1, 4), ("PM2.5浓度达标天数比例", 80, 92, 1, 3))),
)
CATEGORIES = ("经济发展", "创新驱动", "民生福祉", "绿色生态", "安全保障", "数字转型", "乡村振兴", "文化旅游")
NOTES = ("按可比价计算", "五年累计数", "国家下达", "以2020年为基期", "预期值", "")
ATTRIBUTES = ("预期性", "约束性")
REGIONS = ("滨海市", "云岭省", "江南市", "北川市", "青原县", "临江区")
SECTORS = ("国民经济和社会发展", "数字经济发展", "生态环境保护", "文化和旅游发展", "乡村振兴", "公共服务")
PROSE = (
    "坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，推动高质量发展取得新成效。",
    "着力推进供给侧结构性改革，加快构建现代化产业体系，提升产业链供应链现代化水平。",
    "深入实施创新驱动发展战略，强化企业创新主体地位，加快科技成果转化和产业化。",
    "坚持以人民为中心的发展思想，持续增进民生福祉，扎实推动共同富裕。",
    "统筹推进山水林田湖草沙系统治理，持续改善生态环境质量，推动绿色低碳发展。",
    "深化重点领域和关键环节改革，持续优化营商环境，激发各类市场主体活力。",
    "加快建设现代化基础设施体系，推进交通、能源、水利、信息等网络互联互通。",
    "全面推进乡村振兴，巩固拓展脱贫攻坚成果，促进农业高质高效、乡村宜居宜业。",
    "推进以人为核心的新型城镇化，提升城市品质，增强城市综合承载能力。",
    "建设更高水平的平安城市，统筹发展和安全，防范化解重大风险。",
    "扩大高水平对外开放，积极融入共建一带一路，打造内陆开放新高地。",
    "加强公共文化服务体系建设，推动文化和旅游深度融合发展。",
    "完善多层次社会保障体系，健全覆盖全民、统筹城乡的基本医疗保障制度。",
    "实施人才强市战略，完善人才引进、培养、使用、评价和激励机制。",
    "加强规划实施的组织保障，健全规划实施监测评估机制，确保各项目标任务落到实处。",
    "到2025年，经济实力、科技实力和综合竞争力明显增强，人民生活水平显著提高。",
    "发挥政府投资撬动作用，激发民间投资活力，形成市场主导的投资内生增长机制。",
    "推动制造业数字化、网络化、智能化转型，培育一批具有核心竞争力的企业。",
    "健全城乡融合发展体制机制，促进城乡要素平等交换、双向流动。",
    "加强历史文化保护传承，塑造城市特色风貌，建设宜居韧性智慧城市。",
)


# ------------------------------------------------------------------ printing


def _fmt(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def _level(value: float, decimals: int) -> TrueCell:
    return TrueCell(_fmt(value, decimals), round(value, decimals))


def _change(value: float, decimals: int, cumulative: bool) -> TrueCell:
    shown = _fmt(value, decimals)
    return TrueCell(f"[{shown}]" if cumulative else shown, round(value, decimals), cumulative)


DASH = TrueCell("--", None)


def _word(text: str) -> TrueCell:
    return TrueCell(text, None, text=text)


# ------------------------------------------------------------------ rows


@dataclass
class _Spec:
    """What a layout asks of a row: the roles of its value columns and the years they span."""

    roles: tuple[str, ...]  # base | target | change | long | plan | plan_change | actual | actual_change
    years: int = 5
    annual_only: bool = False  # the header says 年均 only: shares still print [ ] (the note says so)
    inconsistency: float = 0.12  # share of rows whose printed arithmetic does not hold


@dataclass
class _Row:
    name: str
    unit: str | None
    values: dict[str, TrueCell]
    consistent: bool = True
    group: str | None = None


def _share_row(rng: random.Random, spec: _Spec, entry: tuple[str, str, float, float, float, float]) -> _Row:
    name, unit, low, high, change_low, change_high = entry
    decimals = 2 if high < 5 and rng.random() < 0.5 else 1
    base = round(rng.uniform(low, high), decimals)
    change = round(min(rng.uniform(change_low, change_high), 99.5 - base), decimals)
    change = max(change, 10 ** -decimals)
    target = round(base + change, decimals)
    consistent = True
    target_cell = _level(target, decimals)
    if rng.random() < spec.inconsistency:
        # A rounded target: printed whole, while the change was computed from the exact value.
        rounded = float(round(target))
        if abs(rounded - target) > 0.2:
            target_cell = TrueCell(_fmt(rounded, 0), rounded)
            consistent = False
    if rng.random() < 0.25 and abs(base - round(base)) < 1e-9:
        base_cell = TrueCell(_fmt(base, 0), base)  # 40 printed without its .0
    else:
        base_cell = _level(base, decimals)
    values = {"base": base_cell, "target": target_cell, "change": _change(change, decimals, True)}
    long_target = round(max(target, min(99.5, target + change * rng.uniform(1.2, 2.0))), decimals)
    values["long"] = _level(long_target, decimals)
    planned = change
    actual_change = round(min(99.5 - base, max(10 ** -decimals, planned + rng.uniform(-0.3, 0.5) * planned)), decimals)
    start = base
    values["plan"] = _level(round(start + planned, decimals), decimals)
    values["plan_change"] = _change(planned, decimals, True)
    values["actual"] = _level(round(start + actual_change, decimals), decimals)
    values["actual_change"] = _change(actual_change, decimals, True)
    return _Row(name, unit, values, consistent)


def _level_row(rng: random.Random, spec: _Spec, entry: tuple[str, str, float, float, int, float, float]) -> _Row:
    name, unit, low, high, decimals, rate_low, rate_high = entry
    base = round(rng.uniform(low, high), decimals)
    rate = round(rng.uniform(rate_low, rate_high), 1)
    consistent = True
    grown = rate
    if rng.random() < spec.inconsistency:
        grown = rate + rng.uniform(2.0, 3.5)  # a nominal level beside a real (comparable-price) rate
        consistent = False
    target = round(base * (1 + grown / 100) ** spec.years, decimals)
    values = {"base": _level(base, decimals), "target": _level(target, decimals), "change": _change(rate, 1, False)}
    values["long"] = _level(round(target * (1 + rate / 200) ** 10, decimals), decimals)
    actual_rate = round(max(0.5, rate + rng.uniform(-2.0, 1.5)), 1)
    start = base
    values["plan"] = _level(round(start * (1 + rate / 100) ** spec.years, decimals), decimals)
    values["plan_change"] = _change(rate, 1, False)
    values["actual"] = _level(round(start * (1 + actual_rate / 100) ** spec.years, decimals), decimals)
    values["actual_change"] = _change(actual_rate, 1, False)
    return _Row(name, unit, values, consistent)


def _count_row(rng: random.Random, entry: tuple[str, str, float, float, int]) -> _Row:
    name, unit, low, high, decimals = entry
    total = round(rng.uniform(low, high), decimals)
    actual = round(total * rng.uniform(0.9, 1.3), decimals)
    values = {"base": DASH, "target": DASH, "change": _change(total, decimals, True), "long": DASH,
              "plan": DASH, "plan_change": _change(total, decimals, True), "actual": DASH,
              "actual_change": _change(actual, decimals, True)}
    return _Row(name, unit, values)


def _decline_row(rng: random.Random, entry: tuple[str, float, float]) -> _Row:
    name, low, high = entry
    decline = round(rng.uniform(low, high), 1)
    actual = round(decline * rng.uniform(0.95, 1.25), 1)
    word = rng.random() < 0.2
    change = _word("完成国家下达任务") if word else _change(decline, 1, True)
    values = {"base": DASH, "target": DASH, "change": change, "long": DASH, "plan": DASH, "plan_change": change,
              "actual": DASH, "actual_change": _change(actual, 1, True)}
    return _Row(name, "%", values)


def _word_row(rng: random.Random, entry: tuple[str, str | None, str, str]) -> _Row:
    name, unit, word, where = entry
    level = DASH
    if unit in ("万亩", "%"):
        level = _level(round(rng.uniform(60, 900), 1), 1) if unit == "万亩" else DASH
    if unit == "起":
        level = _level(float(rng.randint(0, 3)), 0)
    values = {"base": level, "target": _word(word) if where == "target" else level, "change": _word(word) if where == "change" else DASH,
              "long": _word(word) if where == "target" else DASH, "plan": _word(word) if where == "target" else level,
              "plan_change": _word(word) if where == "change" else DASH, "actual": _word("完成") if where == "target" else level,
              "actual_change": _word("完成") if where == "change" else DASH}
    return _Row(name, unit, values)


def _bound_row(rng: random.Random, entry: tuple[str, str, float, float, int, str]) -> _Row:
    name, unit, low, high, decimals, comparator = entry
    base = round(rng.uniform(low, high), decimals)
    bound = round(base * rng.uniform(1.02, 1.15), 0 if decimals == 0 else 1) if comparator == "<" else round(base * rng.uniform(1.0, 1.05), decimals)
    if decimals and rng.random() < 0.5:
        bound = float(round(bound))
    shown = _fmt(bound, decimals if abs(bound - round(bound)) > 1e-9 or decimals == 0 else 0)
    target = TrueCell(comparator + shown, bound, comparator=comparator)
    values = {"base": _level(base, decimals), "target": target, "change": DASH, "long": target, "plan": target,
              "plan_change": DASH, "actual": _level(round(base * rng.uniform(0.95, 1.02), decimals), decimals), "actual_change": DASH}
    return _Row(name, unit, values)


def _draw_row(rng: random.Random, spec: _Spec, used: set[str]) -> _Row:
    """One indicator of the catalogue not yet in the table."""
    makers: list[tuple[float, Callable[[], _Row]]] = [
        (0.38, lambda: _share_row(rng, spec, rng.choice(SHARES))),
        (0.24, lambda: _level_row(rng, spec, rng.choice(LEVELS))),
        (0.1, lambda: _count_row(rng, rng.choice(COUNTS))),
        (0.1, lambda: _decline_row(rng, rng.choice(DECLINES))),
        (0.09, lambda: _word_row(rng, rng.choice(WORDS))),
        (0.09, lambda: _bound_row(rng, rng.choice(BOUNDS))),
    ]
    for _ in range(50):
        pick = rng.random() * sum(weight for weight, _ in makers)
        for weight, make in makers:
            pick -= weight
            if pick <= 0:
                row = make()
                break
        else:
            row = makers[0][1]()
        if row.name not in used:
            used.add(row.name)
            return row
    return row


def _parent_rows(rng: random.Random, spec: _Spec, used: set[str]) -> list[_Row]:
    label, subs = rng.choice(PARENTS)
    if label in used:
        return []
    used.add(label)
    rows = []
    for name, low, high, change_low, change_high in subs:
        row = _share_row(rng, spec, (name, "%", low, high, change_low, change_high))
        row.group = label
        rows.append(row)
    return rows


# ------------------------------------------------------------------ layouts


@dataclass
class _Layout:
    name: str
    header: Callable[[random.Random], tuple[str, tuple[str, ...]]]  # (header line, value column paths)
    spec: _Spec
    attribute: str  # first | last | none
    unit: str  # paren | column | cells (printed after each level: 72.6亿度)
    numbered: float  # probability that rows are numbered （N）
    note: bool = False
    period: tuple[int, int] = (2020, 2025)
    review: bool = False
    categories: float = 0.7  # probability that the table has category rows
    extra: dict[str, str] = field(default_factory=dict)


def _seed_header(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    growth = rng.choice(["年均增速[累计]", "年均增长[累计]"])
    return f"指标 属性 2015年 2020年 {growth}", ("2015年", "2020年", growth)


def _attr_last_header(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    growth = rng.choice(["年均增长（%）", "年均增速（%）"])
    return f"指标 2020年 2025年 {growth} 属性", ("2020年", "2025年", growth)


def _unit_header(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    return "指标 单位 属性 2020年 2025年 年均增长[累计]", ("2020年", "2025年", "年均增长[累计]")


def _base_target_header(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    base, target = rng.choice([("基期", "目标"), ("现状值", "目标值"), ("基期值", "目标值")])
    return f"指标 属性 {base} {target} 年均增长[累计]", (base, target, "年均增长[累计]")


def _long_header(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    return "指标 属性 2020年 2025年 2035年 年均增长（%）", ("2020年", "2025年", "2035年", "年均增长（%）")


def _review_header(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    plan, actual = rng.choice([("规划目标", "实际完成"), ("规划目标", "完成情况")])
    leaf = "年均增长（%）"
    return (f"指标 属性 {plan} {actual} 2015年 {leaf} 2015年 {leaf}",
            (f"{plan}/2015年", f"{plan}/{leaf}", f"{actual}/2015年", f"{actual}/{leaf}"))


def _unit_cells_header(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    label = rng.choice(["产量", ""])  # the 1953 plan prints 1952年产量; a plan 2020年
    growth = rng.choice(["年均增长（%）", "年均增速（%）"])
    return f"指标 2020年{label} 2025年{label} {growth}", (f"2020年{label}", f"2025年{label}", growth)


def _note_header(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    return "指标 2020年 2025年 年均增长[累计] 备注", ("2020年", "2025年", "年均增长[累计]")


LAYOUT_SPECS: dict[str, _Layout] = {
    "seed": _Layout("seed", _seed_header, _Spec(("base", "target", "change")), "first", "paren", 0.8, period=(2015, 2020)),
    "attr_last": _Layout("attr_last", _attr_last_header, _Spec(("base", "target", "change"), annual_only=True), "last", "paren", 0.3),
    "unit_col": _Layout("unit_col", _unit_header, _Spec(("base", "target", "change")), "first", "column", 0.3),
    "base_target": _Layout("base_target", _base_target_header, _Spec(("base", "target", "change")), "first", "paren", 0.5),
    "long_range": _Layout("long_range", _long_header, _Spec(("base", "target", "long", "change")), "first", "paren", 0.5),
    "review": _Layout("review", _review_header, _Spec(("plan", "plan_change", "actual", "actual_change")), "first", "paren", 0.0,
                      period=(2010, 2015), review=True),
    "note_col": _Layout("note_col", _note_header, _Spec(("base", "target", "change")), "none", "paren", 0.3, note=True),
    "unit_cells": _Layout("unit_cells", _unit_cells_header, _Spec(("base", "target", "change"), annual_only=True), "none", "cells",
                          0.0, categories=0.0),
}


def _cells_for(row: _Row, roles: Sequence[str]) -> tuple[TrueCell, ...]:
    return tuple(row.values[role] for role in roles)


def _render_row(layout: _Layout, row: TrueRow, number: int | None, printed_unit: str | None, show_attribute: bool = True) -> str:
    label = f"（{number}）" if number is not None else ""
    unit = row.unit
    parts: list[str] = []
    if layout.unit == "paren":
        head = f"{label}{row.name}" + (f"（{unit}）" if unit else "")
        parts.append(head)
    elif layout.unit == "cells":
        # Each level prints its unit (72.6亿度 | 159亿度 | 219; a percentage 93.4%), the rate none.
        parts.append(f"{label}{row.name}")
        shown = unit or ""
        parts.extend(cell.printed + (shown if role in LEVEL_ROLES and cell.value is not None else "")
                     for cell, role in zip(row.cells, layout.spec.roles, strict=True))
        return " ".join(part for part in parts if part)
    else:
        parts.append(f"{label}{row.name}")
        parts.append(printed_unit or "")
    if layout.attribute == "first" and row.attribute and show_attribute:
        parts.append(row.attribute)
    parts.extend(cell.printed for cell in row.cells)
    if layout.attribute == "last" and row.attribute and show_attribute:
        parts.append(row.attribute)
    if layout.note and row.note:
        parts.append(row.note)
    return " ".join(part for part in parts if part)


def _table(rng: random.Random, layout: _Layout) -> tuple[list[str], tuple[TrueRow, ...], tuple[str, ...]]:
    header, columns = layout.header(rng)
    spec = layout.spec
    used: set[str] = set()
    count = rng.randint(8, 13)
    categories = list(rng.sample(CATEGORIES, k=min(len(CATEGORIES), 4))) if rng.random() < layout.categories else []
    category_at = sorted(rng.sample(range(1, count), k=max(0, len(categories) - 1))) if categories else []
    numbered = rng.random() < layout.numbered
    lines = [header]
    rows: list[TrueRow] = []
    number = 0
    category: str | None = None
    if categories:
        category = categories.pop(0)
        lines.append(category)
    index = 0
    parent_done = False
    while index < count:
        if category_at and index == category_at[0]:
            category_at.pop(0)
            if categories:
                category = categories.pop(0)
                lines.append(category)
        drawn: list[_Row]
        if not parent_done and index > 1 and rng.random() < 0.18:
            drawn = _parent_rows(rng, spec, used)
            parent_done = True
        else:
            drawn = []
        if not drawn:
            drawn = [_draw_row(rng, spec, used)]
        number += 1
        attribute = rng.choice(ATTRIBUTES) if layout.attribute != "none" else None
        if drawn[0].group:
            lines.append((f"（{number}）" if numbered else "") + drawn[0].group)
        for position, made in enumerate(drawn):
            note = rng.choice(NOTES) if layout.note else None
            true = TrueRow(made.name, made.unit, attribute, category, made.group, number if numbered else None, note or None,
                           _cells_for(made, spec.roles), made.consistent)
            rows.append(true)
            shown_number = number if numbered and not made.group else None
            # Sub-rows after the first often leave the shared attribute to the first one.
            show = not (made.group and position > 0 and rng.random() < 0.5)
            lines.append(_render_row(layout, true, shown_number, made.unit, show))
        index += 1
    return lines, tuple(rows), columns


def _prose(rng: random.Random, length: int) -> list[str]:
    paragraphs = []
    total = 0
    while total < length:
        paragraph = "".join(rng.sample(PROSE, k=rng.randint(2, 4)))
        paragraphs.append(paragraph)
        total += len(paragraph)
    return paragraphs


def generate(seed: int, layout: str | None = None) -> Case:
    """One document of ``layout`` (or a layout chosen by the seed), intact and damaged."""
    rng = random.Random(seed)
    name = layout or LAYOUTS[seed % len(LAYOUTS)]
    spec = LAYOUT_SPECS[name]
    region = rng.choice(REGIONS)
    sector = rng.choice(SECTORS)
    period = "“十二五”" if spec.review else ("“十三五”" if spec.period[1] == 2020 else "“十四五”")
    plan_period = "“十三五”" if spec.review else period
    lines = [f"{region}{plan_period}{sector}规划", f"{region}人民政府", f"{spec.period[1] + (5 if spec.review else 0) - 4}年3月"]
    lines += ["第一章发展基础", "第一节发展成就", *_prose(rng, 700), "第二节发展目标", *_prose(rng, 500)]
    title = f"{period}时期主要指标" + ("完成情况" if spec.review else "")
    table_lines, rows, columns = _table(rng, spec)
    lines.append(f"专栏1{region}{title}")
    lines += table_lines
    notes = ["[ ]内为5年累计数"]
    if any(not row.consistent for row in rows):
        notes.append("地区生产总值、收入等绝对数按现价计算，增速按可比价计算")
    lines.append("注：" + "".join(f"{'①②③'[i]}{note}。" for i, note in enumerate(notes)))
    lines += ["第二章重点任务", "第一节推动产业升级", *_prose(rng, 900), "第二节强化保障措施", *_prose(rng, 900)]
    intact = "\n".join(lines) + "\n"
    chars = rng.choice([rng.randint(500, 700), rng.randint(1200, 1500)])
    damaged = damage_text(intact, page_numbers=True, chars_per_page=chars, seed=seed)
    table = TrueTable(name, 1, f"{region}{title}", columns, rows)
    return Case(name, seed, intact, damaged.text, table, len(damaged.pages))


def cases(seeds: Sequence[int], layouts: Sequence[str] = LAYOUTS) -> list[Case]:
    """One case per (seed, layout)."""
    return [generate(seed * len(LAYOUTS) + index, layout) for seed in seeds for index, layout in enumerate(layouts)]


def dev_seeds(count: int) -> list[int]:
    return list(range(count))


def held_out_seeds(count: int) -> list[int]:
    return list(range(HELD_OUT_FROM, HELD_OUT_FROM + count))
