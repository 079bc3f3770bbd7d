"""Which region a plan is for, from its title (then its issuer), with the gazetteer in
``data/regions.yaml`` (国家统计局 division codes; national and multi-province regions by hand).

The most specific division named wins (county > prefecture > province > multi-province region);
a county name is taken only when it is unique in the country or its prefecture or province is
named too. Names are matched longest first, so 吉林市 is a prefecture and not the province 吉林.
When a title names several divisions of the same level that do not nest, the region is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .knowledge import data_file

LEVELS = ("national", "macro", "province", "prefecture", "county")
_RANK = {level: rank for rank, level in enumerate(LEVELS)}
# Suffixes dropped from a province's name to get the short form titles use (内蒙古, 广西, 新疆).
_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


@dataclass(frozen=True)
class Region:
    name: str  # the official full name (辽宁省, 沈阳市), or the region's name (东北地区, 全国)
    level: str  # national | macro | province | prefecture | county
    code: str | None = None  # 6-digit GB/T 2260 code; None for national and multi-province regions

    @property
    def province_code(self) -> str | None:
        return self.code[:2] + "0000" if self.code else None

    @property
    def prefecture_code(self) -> str | None:
        return self.code[:4] + "00" if self.code and self.level == "county" else self.code


@dataclass(frozen=True)
class _Gazetteer:
    names: dict[str, tuple[Region, ...]]  # a printed name → the regions it can mean
    longest: int
    national: Region
    title_words: tuple[str, ...]
    issuer_words: tuple[str, ...]


@lru_cache(maxsize=1)
def gazetteer() -> _Gazetteer:
    data = data_file("regions.yaml")
    names: dict[str, list[Region]] = {}

    def add(name: str, region: Region) -> None:
        entries = names.setdefault(name, [])
        if region not in entries:
            entries.append(region)

    for code, name in data["provinces"].items():
        region = Region(name, "province", str(code))
        add(name, region)
        for suffix in _PROVINCE_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                add(name[: -len(suffix)], region)
                break
    for code, name in data["prefectures"].items():
        add(name, Region(name, "prefecture", str(code)))
    for code, name in data["counties"].items():
        add(name, Region(name, "county", str(code)))
    for macro in data["macro_regions"]:
        region = Region(macro["name"], "macro", None)
        for alias in {macro["name"], *macro["aliases"]}:
            add(alias, region)
    national = data["national"]
    return _Gazetteer(
        names={name: tuple(regions) for name, regions in names.items()},
        longest=max(len(name) for name in names),
        national=Region(national["name"], "national", None),
        title_words=tuple(national["title_words"]),
        issuer_words=tuple(national["issuer_words"]),
    )


def _mentions(text: str) -> list[tuple[Region, ...]]:
    """The names found in ``text``, longest match first at each position, not overlapping."""
    table = gazetteer()
    found = []
    position = 0
    while position < len(text):
        for size in range(min(table.longest, len(text) - position), 1, -1):
            regions = table.names.get(text[position : position + size])
            if regions:
                found.append(regions)
                position += size
                break
        else:
            position += 1
    return found


def _contains(outer: Region, inner: Region) -> bool:
    if outer.code is None or inner.code is None:
        return False
    if outer.level == "province":
        return inner.code[:2] == outer.code[:2]
    if outer.level == "prefecture":
        return inner.code[:4] == outer.code[:4]
    return False


def _pick(mentions: list[tuple[Region, ...]]) -> Region | None:
    """The most specific region the mentions agree on (None when they name unrelated places)."""
    certain = [regions[0] for regions in mentions if len(regions) == 1]
    candidates: list[Region] = list(certain)
    for regions in mentions:
        if len(regions) > 1:
            # An ambiguous name (鼓楼区) counts only through a named parent (南京市鼓楼区).
            backed = [region for region in regions if any(_contains(parent, region) for parent in certain)]
            if len(backed) == 1:
                candidates.append(backed[0])
    if not candidates:
        return None
    deepest = max(_RANK[region.level] for region in candidates)
    top = {region for region in candidates if _RANK[region.level] == deepest}
    if len(top) != 1:
        return None
    return top.pop()


def region_of(title: str | None, issuer: str | None) -> Region | None:
    """The region of a plan: named in its title, else in its issuer; national when the title or
    a national issuer says so; None when nothing tells."""
    table = gazetteer()
    for text in (title, issuer):
        if text:
            region = _pick(_mentions(text))
            if region is not None:
                return region
    if title and any(word in title for word in table.title_words):
        return table.national
    if issuer and any(word in issuer for word in table.issuer_words):
        return table.national
    return None
