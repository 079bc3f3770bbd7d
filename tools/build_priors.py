"""Build the national part of ``src/planparse/data/indicators.yaml`` (the repair solver's priors).

The indicators and their national reference values come from ``shared/docs/national-indicators.yaml``
(the main-indicator tables of the 12th–14th national outlines, transcribed); each indicator gets a
kind from its unit and name, a plausible range, how its change is usually stated and whether the
national value is a scale prior for a region. The file's hand-written tail — the generic
magnitudes per unit, from ``# Generic magnitudes`` on — is kept as it stands.

    python tools/build_priors.py [--source PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "docs" / "national-indicators.yaml"
TARGET = ROOT / "src" / "planparse" / "data" / "indicators.yaml"
HAND_WRITTEN = "# Generic magnitudes of level values by unit"

HEADER = """# Priors for the indicator repair solver (planparse). SOFT evidence only.
#
# Source of the national reference values: the main-indicator tables (专栏1 主要指标) of the
# national outlines of the 12th (2011-2015), 13th (2016-2020) and 14th (2021-2025) five-year plans
# (国民经济和社会发展第十二/十三/十四个五年规划纲要, published on gov.cn), as transcribed in
# shared/docs/national-indicators.yaml. These are NATIONAL figures, never answers for a regional
# plan: an intensive indicator (share, rate, per-capita, per-10,000-people) of a region usually
# lies within a small factor of the national value; extensive ones are fractions of it.
#
# Fields: name, aliases, unit, kind (share | rate | level | count | intensity | ratio),
# range (plausible [min, max], null = open), growth (how change is usually stated: annual rate or
# five-year cumulative [ ]), intensive (whether the national value is a scale prior for a region),
# national (per period: base, target, growth, cumulative, comparators).
# Generic rules for indicators not listed here live in repair/model.py (RepairSettings) and repair/score.py.
"""

# Rates are changes (降低, 增长 …) and the pollutants' reductions; other percentages are shares.
_RATE_NAME = re.compile(r"(降低|下降|减少|增长|脱贫)$")
_POLLUTANTS = ("化学需氧量", "氨氮", "二氧化硫", "氮氧化物")
_COUNT_UNITS = ("万人", "万套", "万亩", "人", "个")
_RANGES: dict[str, list[float | None]] = {"share": [0, 100], "rate": [-100, 100], "ratio": [0, 10]}
_INTENSIVE_KINDS = ("share", "rate", "intensity", "ratio")
_INTENSIVE_UNITS = ("万元/人", "元", "年", "岁")
_REFERENCE_FIELDS = ("unit", "base", "target", "growth", "cumulative", "target_cmp", "growth_cmp")


def kind_of(name: str, unit: str | None) -> str:
    """share | rate | level | count | intensity | ratio, from the unit and the name's ending."""
    if unit == "%":
        return "rate" if _RATE_NAME.search(name) or name in _POLLUTANTS else "share"
    if unit in _COUNT_UNITS:
        return "count"
    if unit == "件":
        return "intensity"
    if unit is None:
        return "ratio"
    return "level"


def build(source: dict[str, Any]) -> dict[str, Any]:
    """One entry per indicator (names and aliases across the periods merged), first seen first."""
    merged: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    for period, block in source.items():
        for indicator in block["indicators"]:
            names = [indicator["name"], *indicator.get("aliases", [])]
            key = next((known for known in order if known in names or any(alias in names for alias in merged[known]["aliases"])), None)
            if key is None:
                key = indicator["name"]
                order.append(key)
                merged[key] = {"name": key, "aliases": [], "unit": indicator.get("unit"),
                               "kind": kind_of(key, indicator.get("unit")), "national": {}}
            entry = merged[key]
            for name in names:
                if name != key and name not in entry["aliases"]:
                    entry["aliases"].append(name)
            entry["national"][period] = {field: indicator[field] for field in _REFERENCE_FIELDS if field in indicator}
            if "cumulative" in indicator and "growth" not in entry:
                entry["growth"] = "cumulative" if indicator["cumulative"] else "annual"
    for entry in merged.values():
        entry.setdefault("growth", "cumulative" if entry["kind"] in ("share", "rate", "count") else "annual")
        entry["range"] = list(_RANGES.get(entry["kind"], [0, None]))  # a copy: no YAML anchors
        entry["intensive"] = entry["kind"] in _INTENSIVE_KINDS or entry["unit"] in _INTENSIVE_UNITS
    return {
        "periods": {period: {"base_year": block["base_year"], "target_year": block["target_year"]} for period, block in source.items()},
        "indicators": [merged[key] for key in order],
    }


def render(built: dict[str, Any], current: str) -> str:
    """The file's text: header, the generated indicators, then the current file's hand-written tail."""
    tail = current[current.index(HAND_WRITTEN):] if HAND_WRITTEN in current else ""
    return HEADER + yaml.safe_dump(built, allow_unicode=True, sort_keys=False, width=200) + tail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="the transcribed national indicators")
    parser.add_argument("--out", type=Path, default=TARGET, help="where to write (default: the package's file)")
    options = parser.parse_args()
    built = build(yaml.safe_load(options.source.read_text(encoding="utf-8")))
    options.out.write_text(render(built, TARGET.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {options.out}: {len(built['indicators'])} indicators")


if __name__ == "__main__":
    main()
