"""Canonical units and scale factors (亿元 → 元 × 1e8), from ``data/units.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .knowledge import data_file


@dataclass(frozen=True)
class CanonicalUnit:
    unit: str  # the canonical unit (元, 元/人, 吨标准煤/元, %)
    scale: float  # value × scale = value in ``unit``
    dimensionless: str | None = None  # percent | permille | years | ratio | points, for such units


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, float], dict[str, tuple[str, float]], dict[str, str]]:
    data = data_file("units.yaml")
    prefixes = {str(key): float(value) for key, value in data["prefixes"].items()}
    bases = {str(key): (str(value[0]), float(value[1])) for key, value in data["base_units"].items()}
    dimensionless = {str(key): str(value) for key, value in data["dimensionless"].items()}
    return prefixes, bases, dimensionless


def _simple(unit: str) -> tuple[str, float] | None:
    prefixes, bases, _ = _tables()
    if unit in bases:
        return bases[unit]
    for prefix in sorted(prefixes, key=len, reverse=True):
        if unit.startswith(prefix) and unit[len(prefix):] in bases:
            canonical, factor = bases[unit[len(prefix):]]
            return canonical, prefixes[prefix] * factor
    return None


@lru_cache(maxsize=1024)
def canonical_unit(unit: str | None) -> CanonicalUnit | None:
    """The canonical unit and scale of a printed unit; None when the unit is unknown or absent."""
    if not unit:
        return None
    unit = unit.strip().replace("％", "%")
    _, bases, dimensionless = _tables()
    if unit in dimensionless:
        return CanonicalUnit(unit, 1.0, dimensionless[unit])
    whole = _simple(unit)
    if whole is not None:
        return CanonicalUnit(whole[0], whole[1])
    if unit.count("/") == 1:
        top, bottom = unit.split("/")
        numerator, denominator = _simple(top), _simple(bottom)
        if numerator and denominator:
            return CanonicalUnit(f"{numerator[0]}/{denominator[0]}", numerator[1] / denominator[1])
    return None
