"""Stable indicator ids from ``data/indicator_ids.yaml``: exact matches after a fixed rewrite,
never a guess (an unknown name has no id)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..models import Indicator
from .knowledge import data_file

_QUOTES = re.compile(r"[\s“”\"‘’'「」『』]")


@dataclass(frozen=True)
class IndicatorIdentity:
    id: str
    name: str  # the canonical name
    better: str | None = None  # higher | lower: which way plans want it to go


@lru_cache(maxsize=1)
def _index() -> tuple[tuple[tuple[str, str], ...], dict[str, IndicatorIdentity]]:
    data = data_file("indicator_ids.yaml")
    rewrites = tuple((unicodedata.normalize("NFKC", a), unicodedata.normalize("NFKC", b)) for a, b in data["rewrite"])
    index: dict[str, IndicatorIdentity] = {}
    for entry in data["indicators"]:
        identity = IndicatorIdentity(entry["id"], entry["name"], entry.get("better"))
        for name in (entry["name"], *entry["aliases"]):
            key = _key(name, rewrites)
            if key in index and index[key] != identity:
                raise ValueError(f"indicator_ids.yaml: {name!r} is both {index[key].id} and {identity.id}")
            index[key] = identity
    return rewrites, index


def _key(name: str, rewrites: Sequence[tuple[str, str]]) -> str:
    text = _QUOTES.sub("", unicodedata.normalize("NFKC", name))
    for old, new in rewrites:
        text = text.replace(old, new)
    return text


def identify(*names: str | None) -> IndicatorIdentity | None:
    """The id of the first of ``names`` (the repaired name, then the printed one) that is known."""
    rewrites, index = _index()
    for name in names:
        if name:
            found = index.get(_key(name, rewrites))
            if found is not None:
                return found
    return None


def known_ids() -> frozenset[str]:
    return frozenset(identity.id for identity in _index()[1].values())


def with_ids(indicators: Sequence[Indicator]) -> list[Indicator]:
    """The record's indicators with ``indicator_id`` filled (the builder calls this)."""
    found = []
    for indicator in indicators:
        identity = identify(indicator.indicator, indicator.indicator_raw)
        found.append(indicator if identity is None else indicator.model_copy(update={"indicator_id": identity.id}))
    return found


def by_id(indicator_id: str) -> IndicatorIdentity | None:
    for identity in _index()[1].values():
        if identity.id == indicator_id:
            return identity
    return None
