"""A plan's period: from its title (“十三五” → 2016–2020, 第十个五年计划, （2021—2025年）),
with the five-year plans of ``data/periods.yaml``."""

from __future__ import annotations

import re
from functools import lru_cache

from .knowledge import data_file

_YEARS = re.compile(r"((?:19|20)\d{2})\s*年?\s*[—–\-－~～至到]+\s*((?:19|20)\d{2})\s*年?")


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], tuple[int, int]]]:
    data = data_file("periods.yaml")
    followers = "|".join(map(re.escape, data["short_followers"]))
    plans = sorted(data["five_year_plans"], key=lambda plan: -len(plan["short"]))
    found = []
    for plan in plans:
        span = (int(plan["start"]), int(plan["end"]))
        ordinal = re.escape(plan["ordinal"])
        found.append((re.compile(rf"第{ordinal}个五年(?:规划|计划)"), span))
    for plan in plans:  # 十五五 before 十五: longest short names first
        span = (int(plan["start"]), int(plan["end"]))
        short = re.escape(plan["short"])
        found.append((re.compile(rf"(?<![一二三四五六七八九十]){short}[”\"’'」』]?(?:{followers})"), span))
        found.append((re.compile(rf"[“\"‘'「『]{short}[”\"’'」』]"), span))
    return found


def period_of_title(title: str | None) -> tuple[int, int] | None:
    """(first year, last year) named by a title, or None."""
    if not title:
        return None
    years = _YEARS.search(title)
    if years:
        start, end = int(years.group(1)), int(years.group(2))
        if start < end:
            return start, end
    for pattern, span in _patterns():
        if pattern.search(title):
            return span
    return None


def period_of_years(base: int | None, target: int | None) -> tuple[int, int] | None:
    """The period a table's base and target years span (2015 → 2020 gives 2016–2020)."""
    if base is None or target is None or target <= base:
        return None
    return base + 1, target
