"""Stage ``repair``: cut damaged table rows into cells and rank every reading by evidence.

A damaged row such as ``常住人口城镇化率（）预期性60565853`` has lost its decimal points, ``%``
and ``[ ]``. Every way to cut its digits into the header's cells (at most one decimal point per
cell) is a *reading*; each reading is scored by

- arithmetic: target − base = cumulative change, or compounding for annual rates; in a
  plan-versus-actual table both paths must imply one starting value;
- agreement of the same indicator and year across tables (a second pass);
- scale priors: shares lie in 0–100, annual growth is rarely above 20, counts are whole,
  fewer decimals are likelier, and national reference values (``data/indicators.yaml``) are a
  soft prior for intensive indicators.

Scores become probabilities (softmax); a cell's confidence is the probability mass of the readings
that agree on it, and its runner-ups are the other values with their mass. Intact rows are not
rewritten: the same arithmetic only checks them and warns when it does not hold.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any, NamedTuple

import yaml

from . import models
from .document import PagedText, Skeleton
from .tables import HeaderColumn, ParsedTable, Row, TableResult, Token


@dataclass(frozen=True)
class RepairSettings:
    """The repair solver's tunables, in one place. Scores are log-odds (natural log); the
    arithmetic likelihood ratios are explained in :func:`_window_ratio`. Values marked
    *fitted* were chosen on the generator's development seeds (tests/tools/tablegen.py, seeds
    below 1000, ``python -m planparse.bench.repair --split dev``), never on the held-out ones."""

    flag_threshold: float = 0.8  # a cell below this confidence is named in an indicator_uncertain warning
    abstain_below: float = 0.95  # a cell only the priors decided is named too (indicator_prior_only) below this
    vouch: float = 0.97  # a damaged cell below this calibrated confidence is never left unnamed (fitted)
    max_blob_digits: int = 30
    max_readings: int = 250_000  # the search is capped (and the row flagged) above this many readings
    max_decimals: int = 2  # plan tables print at most two decimals (coefficients such as 0.55)
    prune_below: float = -7.0  # a cell prior this low is beyond what row arithmetic can make up
    negligible: float = 10.0  # readings this far below the best carry no probability worth keeping (e^(-10/1.2) each)
    temperature: float = 1.2  # softmax temperature of the scores (fitted; the calibration maps the rest)
    annual_growth_limit: float = 20.0  # annual growth rates above this are rare in plans
    cumulative_limit: float = 60.0
    years_default: int = 5
    share_change_typical: float = 12.0  # points a share moves in five years, beyond which changes get rarer
    # Arithmetic as a likelihood ratio (see _arithmetic_ratio).
    row_consistent: float = 0.85  # prior probability that a row's printed arithmetic holds exactly (fitted;
    #                               the generator prints 12 % of rows rounded or nominal-beside-real)
    spread: float = 0.5  # a wrong cut's implied start lies anywhere within this share of the row's largest level
    rounding_share: float = 0.5  # of the rows that do not add up: the share off by a rounding (a target printed whole)
    drift: float = 0.25  # the others (nominal levels beside real rates) drift apart by up to this share of the level
    far_share: float = 0.2  # a reading that misses every window: the chance it is still the printed row, as a ratio
    ratio_cap: float = 400.0  # no match is worth more: shifting digits between cells keeps many a row adding up (fitted)
    arithmetic_tie: float = 0.5  # readings whose arithmetic log-ratios differ by less are told apart by priors only
    # The parse itself may be wrong (a page number glued inside a row, a guessed row boundary): the
    # probability mass left for it, per row, before calibration.
    parse_wrong: float = 0.005
    parse_wrong_leftover: float = 0.1  # the row gave digits to the next row's name
    parse_wrong_boundary: float = 0.15  # the row parser guessed where the row ends
    parse_wrong_word: float = 0.03  # a word cell beside digits: its extent is a guess

    @property
    def arithmetic_max(self) -> float:
        """The most arithmetic and the cumulative prior can add to a reading (a search bound)."""
        return math.log(self.ratio_cap) + 2.0


SETTINGS = RepairSettings()
FLAG_THRESHOLD = SETTINGS.flag_threshold
ABSTAIN_BELOW = SETTINGS.abstain_below
MAX_BLOB_DIGITS = SETTINGS.max_blob_digits
MAX_READINGS = SETTINGS.max_readings
MAX_DECIMALS = SETTINGS.max_decimals
PRUNE_BELOW = SETTINGS.prune_below
ARITHMETIC_MAX = SETTINGS.arithmetic_max
NEGLIGIBLE = SETTINGS.negligible
TEMPERATURE = SETTINGS.temperature
GENERIC_ANNUAL_GROWTH_LIMIT = SETTINGS.annual_growth_limit
GENERIC_CUMULATIVE_LIMIT = SETTINGS.cumulative_limit
YEARS_DEFAULT = SETTINGS.years_default
SHARE_CHANGE_TYPICAL = SETTINGS.share_change_typical
COUNT_UNITS = frozenset({"万人", "万套", "万户", "个", "人", "万亩", "项", "所", "座", "家", "户", "套", "件次"})


@lru_cache(maxsize=1)
def priors() -> dict[str, Any]:
    text = (resources.files("planparse") / "data" / "indicators.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def known_names() -> frozenset[str]:
    """Every canonical name and alias in the priors file."""
    names: set[str] = set()
    for entry in priors()["indicators"]:
        names.add(entry["name"])
        names.update(entry.get("aliases") or [])
    return frozenset(names)


@lru_cache(maxsize=4096)
def lookup(name: str) -> dict[str, Any] | None:
    """The priors entry for an indicator name: exact name/alias first, then the longest contained."""
    best: tuple[int, dict[str, Any]] | None = None
    for entry in priors()["indicators"]:
        for candidate in (entry["name"], *(entry.get("aliases") or [])):
            if candidate == name:
                return entry
            if len(candidate) >= 4 and (candidate in name or name in candidate) and (best is None or len(candidate) > best[0]):
                best = (len(candidate), entry)
    return best[1] if best else None


def period_of(target_year: int | None) -> str | None:
    for key, period in priors()["periods"].items():
        if period["target_year"] == target_year:
            return str(key)
    return None


# ------------------------------------------------------------------ readings


class CellReading(NamedTuple):
    """One reading of one cell (a named tuple: the solver makes thousands per row)."""

    raw: str
    value: float | None
    decimals: int
    comparator: str | None = None
    text: str | None = None
    kind: str = "number"  # number | dash | word


def digit_readings(digits: str) -> list[tuple[float, int, str]]:
    """Every reading of a digit string with at most one decimal point: (value, decimals, shown)."""
    found = []
    if len(digits) == 1 or digits[0] != "0":
        found.append((float(digits), 0, digits))
    for cut in range(max(1, len(digits) - MAX_DECIMALS), len(digits)):
        whole, fraction = digits[:cut], digits[cut:]
        if len(whole) > 1 and whole[0] == "0":
            continue
        shown = f"{whole}.{fraction}"
        found.append((float(shown), len(fraction), shown))
    return found


def _compositions(length: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Ways to write ``length`` as an ordered sum of ``parts`` positive integers."""
    if parts == 1:
        yield (length,)
        return
    for first in range(1, length - parts + 2):
        for rest in _compositions(length - first, parts - 1):
            yield (first, *rest)


def _fixed(token: Token) -> CellReading:
    if token.kind == "dash":
        return CellReading(token.text, None, 0, kind="dash")
    if token.kind == "word":
        return CellReading(token.text, None, 0, text=token.text, kind="word")
    number = token.text.rstrip("%").replace(",", "")
    try:
        value: float | None = float(number)
    except ValueError:
        value = None
    decimals = len(number.split(".")[1]) if "." in number else 0
    raw = (token.comparator or "") + ("[" if token.bracket else "") + token.text + ("]" if token.bracket else "")
    return CellReading(raw, value, decimals, token.comparator, token.word)


def _estimate(row: Row, counts: Sequence[int]) -> int:
    total = 1
    blobs = [token for token in row.tokens if token.kind == "blob"]
    for token, cells in zip(blobs, counts):
        n = len(token.text)
        total *= math.comb(max(n - 1, 0), max(cells - 1, 0)) * max(1, (n // cells + 1) ** cells)
    return total


# ------------------------------------------------------------------ scoring


@dataclass
class _RowContext:
    columns: tuple[HeaderColumn, ...]
    unit: str | None
    prior: dict[str, Any] | None
    period: str | None
    years: int
    base_year: int | None
    target_year: int | None
    name_key: str
    brackets: bool = True
    spare_cost: float = 8.0  # score lost per digit the row's last blob gives to the next row's name

    @cached_property
    def roles(self) -> tuple[str, ...]:
        return tuple(column.role for column in self.columns)

    @cached_property
    def pairs(self) -> tuple[tuple[int, int], ...]:
        """(level, change) column pairs of a plan-versus-actual table."""
        roles = self.roles
        return tuple((index, index + 1) for index, role in enumerate(roles)
                     if role in ("target", "actual") and index + 1 < len(roles) and roles[index + 1] == "change")

    @cached_property
    def arithmetic_columns(self) -> tuple[int, ...]:
        """The columns the row's arithmetic reads (their printed precision sets its tolerance): base,
        target and change, or the (level, change) pairs; a 2035 column beside them is not one."""
        roles = self.roles
        if "base" in roles and "target" in roles and "change" in roles:
            return tuple(sorted(roles.index(role) for role in ("base", "target", "change")))
        return tuple(sorted({index for pair in self.pairs for index in pair})) or tuple(range(len(roles)))

    @cached_property
    def level_columns(self) -> tuple[int, ...]:
        return tuple(index for index, role in enumerate(self.roles) if role != "change")

    @cached_property
    def kind(self) -> str | None:
        return (self.prior or {}).get("kind")

    @cached_property
    def is_share(self) -> bool:
        """A share (…率, …比重) by the priors, or by its name when the priors do not know it."""
        return self.kind == "share" or (self.kind is None and regex_share(self.name_key))

    @cached_property
    def share_capped(self) -> bool:
        """Values above 100 % are implausible for it."""
        return self.kind in (None, "share") or "率" in self.name_key or "比重" in self.name_key

    @cached_property
    def magnitude(self) -> dict[str, Any] | None:
        """The unit's plausible range and decimals (``data/indicators.yaml``, ``units``)."""
        found: dict[str, Any] | None = priors().get("units", {}).get(self.unit or "")
        return found

    @cached_property
    def national_references(self) -> dict[tuple[int, bool | None], tuple[float, float] | None]:
        return {}


def _tolerance(decimals: int) -> float:
    return 0.5 * 10 ** (-decimals)


def regex_share(name: str) -> bool:
    """A name that reads as a share (…率, …比重, …比例) rather than a decline or growth rate."""
    return name.endswith(("率", "比重", "比例", "覆盖率")) and not any(word in name for word in ("降低", "下降", "减少", "增长"))


def _cell_prior(cell: CellReading, column: HeaderColumn, context: _RowContext, cumulative: bool | None) -> float:
    if cell.value is None:
        return 0.0
    value = cell.value
    percent = context.unit == "%"
    score = {0: 0.0, 1: 0.0, 2: -1.2}.get(cell.decimals, -4.0)
    if cell.decimals == 2 and value < 1:
        score = -0.2  # coefficients (0.55) print two decimals
    if cell.decimals and value >= 1000:
        score -= 1.5  # totals in the thousands are printed whole
    if column.role == "change":
        if cumulative and percent and context.is_share and abs(value) > SHARE_CHANGE_TYPICAL:
            # A share rarely moves more than ten-odd points in five years.
            score -= 0.25 * (abs(value) - SHARE_CHANGE_TYPICAL)
        limit = GENERIC_CUMULATIVE_LIMIT if cumulative else GENERIC_ANNUAL_GROWTH_LIMIT
        if percent or context.unit is None or cumulative is False:
            if abs(value) > limit:
                score -= 4.0
            elif not cumulative and abs(value) > 12:
                score -= 1.5
    elif percent and value > 100 and context.share_capped:
        score -= 8.0  # a share above 100 %
    magnitude = context.magnitude
    if magnitude and column.role != "change":
        low, high = magnitude["range"]
        if 0 < value < low:
            score -= 1.5 * math.log(low / value) / math.log(10) + 1.0
        elif high is not None and value > high:
            score -= 1.5 * math.log(value / high) / math.log(10) + 1.0
        if cell.decimals > magnitude["decimals"]:
            score -= 0.6 * (cell.decimals - magnitude["decimals"])
    if context.unit in COUNT_UNITS and cell.decimals:
        score -= 1.5  # counts of people, dwellings, projects are whole numbers
    score += _national_prior(value, column, context, cumulative)
    return score


def _national_reference(column: HeaderColumn, context: _RowContext, cumulative: bool | None) -> tuple[float, float] | None:
    """(the national figure a cell of ``column`` is compared with, its weight), or None."""
    entry = context.prior
    if not entry:
        return None
    national_values = entry.get("national") or {}
    reference = national_values.get(context.period) or {}
    weight = 1.0
    if not reference and national_values:
        # No figure for this period: the nearest other period's, at half weight.
        reference = national_values[sorted(national_values)[-1]]
        weight = 0.5
    if reference.get("unit", entry.get("unit")) != context.unit and not (context.unit is None and reference.get("unit") is None):
        return None
    national = None
    if column.role == "change":
        national = reference.get("growth")
        if national is not None and reference.get("cumulative") is not None and cumulative is not None and reference["cumulative"] != cumulative:
            national = None
    elif entry.get("intensive"):
        if column.year is not None and column.year == context.base_year:
            national = reference.get("base")
        elif column.year is not None and column.year == context.target_year:
            national = reference.get("target")
        else:
            national = reference.get("target") if column.role in ("target", "actual") else reference.get("base")
    if not national:
        return None
    return abs(float(national)), weight


def _national_prior(value: float, column: HeaderColumn, context: _RowContext, cumulative: bool | None) -> float:
    if value == 0:
        return 0.0
    found = national_reference(column, context, cumulative)
    return 0.0 if found is None else national_term(value, found[0], found[1], bool((context.prior or {}).get("intensive")))


def national_reference(column: HeaderColumn, context: _RowContext, cumulative: bool | None) -> tuple[float, float] | None:
    """:func:`_national_reference`, remembered on the row's context."""
    key = (id(column), cumulative)  # columns live as long as the context: identity is cheap to hash
    references = context.national_references
    if key not in references:
        references[key] = _national_reference(column, context, cumulative)
    return references[key]


def national_term(value: float, national: float, weight: float, intensive: bool) -> float:
    """The national scale prior of a nonzero value against the national figure."""
    ratio = math.log(abs(value) / national)
    if not intensive:
        # A region's total is a fraction of the nation's: only implausibly large or tiny values cost.
        if ratio > math.log(1.5):
            return -0.9 * ((ratio - math.log(1.5)) / math.log(3)) ** 2
        if ratio < math.log(1 / 300):
            return -0.9 * ((ratio - math.log(1 / 300)) / math.log(3)) ** 2
        return 0.0
    # Regions differ from the nation by a factor of a few: a broad log-normal (sigma = ln 4).
    return -0.6 * weight * (ratio / math.log(4)) ** 2


def _window_ratio(error: float, tolerance: float, level: float, coarse: float, settings: RepairSettings = SETTINGS) -> float:
    """The likelihood ratio of a reading's arithmetic: how much likelier its implied-start error is
    if the reading is the printed row than if it is some other cut of the digits.

    A wrong cut's implied starting value lands anywhere within ``spread`` of the row's largest
    level (density 2 / R of the error, R = spread × level): the chance that it matches within the
    tolerance by accident is 2T / R, so a match is worth R / 2T — large for a row printed with
    decimals, small for one of integers, where many cuts add up. The printed row adds up with
    probability ``row_consistent`` (error within T); otherwise it is off by a rounding (a target
    printed whole: within ``coarse``, half the unit of its coarsest cell) or drifts (nominal levels
    beside real rates: within ``drift`` of the level). A reading that misses every window keeps
    ``far_share`` of the odds of the rows that do not add up. Capped at ``ratio_cap``."""
    tolerance = max(tolerance, 1e-9)  # a level of 0 compounds to a tolerance of 0
    spread = max(settings.spread * level, 2 * tolerance)
    consistent = settings.row_consistent
    ratio = (1 - consistent) * settings.far_share
    if error <= tolerance + 1e-9:
        ratio += consistent * spread / (2 * tolerance)
    rounding = max(3 * tolerance, tolerance + coarse)
    if error <= rounding + 1e-9:
        ratio += (1 - consistent) * settings.rounding_share * spread / (2 * rounding)
    drift = max(settings.drift * level, rounding)
    if error <= drift + 1e-9:
        ratio += (1 - consistent) * (1 - settings.rounding_share) * spread / (2 * drift)
    return min(settings.ratio_cap, ratio)


def _implied_start(level: CellReading, change: CellReading, cumulative: bool, years: int, finest: int) -> tuple[float, float] | None:
    """The starting value a (level, change) pair implies, and the rounding tolerance of it.

    Tolerances use the finest precision printed in the row's arithmetic cells, so that a coarse reading (13 | 21 | 8)
    is not 'consistent' merely because its integers hide the error."""
    if level.value is None or change.value is None:
        return None
    if cumulative:
        return level.value - change.value, 2 * _tolerance(finest)
    rate = 1 + change.value / 100
    if rate <= 0:
        return None
    try:
        power = rate**years
    except OverflowError:  # a growth rate no plan prints, compounded over many years
        return None
    start = level.value / power
    return start, abs(start) * (0.5 * 10 ** (-max(finest, change.decimals)) / 100 * years / rate) + _tolerance(finest) * abs(start) / max(abs(level.value), 1e-9)


def _coarse(cells: Sequence[CellReading]) -> float:
    """Half the unit of the coarsest printed number among ``cells`` (0.5 for an integer cell)."""
    coarsest = min((cell.decimals for cell in cells if cell.value is not None), default=0)
    return 0.5 * 10 ** (-coarsest)


def _arithmetic_check(cells: Sequence[CellReading], context: _RowContext, cumulative: bool) -> tuple[float, bool, bool] | None:
    """(the likelihood ratio of the row's arithmetic, :func:`_window_ratio`; whether it holds to
    within three tolerances; whether it holds exactly), or None when the row has nothing to check.

    Base, target and change: the target less the change (or deflated by the annual rate) implies a
    starting value, compared with the base. Plan-versus-actual: each (level, change) pair implies
    the same starting value."""
    roles = context.roles
    used = [cells[index] for index in context.arithmetic_columns]
    finest = max((cell.decimals for cell in used if cell.value is not None), default=0)
    if "base" in roles and "target" in roles and "change" in roles:
        base, target, change = (cells[roles.index(role)] for role in ("base", "target", "change"))
        implied = _implied_start(target, change, cumulative, context.years, finest)
        if implied is None or base.value is None:
            return None
        start, tolerance = implied
        tolerance += _tolerance(finest)
        if target.comparator or change.comparator:
            tolerance *= 3
        error = abs(start - base.value)
        level = max(abs(base.value), abs(target.value or 0.0))
        return _window_ratio(error, tolerance, level, _coarse(used)), error <= 3 * tolerance + 1e-9, error <= tolerance + 1e-9
    if roles.count("change") >= 2 and ("target" in roles or "actual" in roles):
        starts = [_implied_start(cells[level], cells[change], cumulative, context.years, finest) for level, change in context.pairs]
        known = [start for start in starts if start is not None]
        if len(known) < 2:
            return None
        (first, tol_a), (second, tol_b) = known[0], known[1]
        scale = max(abs(first), abs(second), 1e-9)
        error = abs(first - second)
        exact = error <= tol_a + tol_b + 1e-9
        return _window_ratio(error, tol_a + tol_b, scale, 0.0), exact or error / scale <= 0.08, exact
    return None


def _arithmetic(cells: Sequence[CellReading], context: _RowContext, cumulative: bool) -> float:
    """The log likelihood ratio of a reading's arithmetic (0 when nothing can be checked)."""
    found = _arithmetic_check(cells, context, cumulative)
    return 0.0 if found is None else math.log(found[0])


def _level_prior(cells: Sequence[CellReading], context: _RowContext) -> float:
    """Levels of one row (base, target, actual) are of one magnitude: a tenfold jump is rare."""
    levels = [cells[index].value for index in context.level_columns if cells[index].value]
    if len(levels) < 2:
        return 0.0
    ratio = max(levels) / min(levels)  # type: ignore[type-var,operator]
    spread = math.log(ratio) if ratio > 0 else 0.0  # levels of both signs: no magnitude to compare
    score = -1.5 * max(0.0, spread - math.log(2.5))
    roles = context.roles
    if "base" in roles and "target" in roles:
        base, target = cells[roles.index("base")], cells[roles.index("target")]
        if base.value and target.value:
            # A ceiling (<) far above today's value, or a floor (>) far below it, binds nothing.
            if target.comparator == "<" and target.value > 1.5 * base.value:
                score -= 1.5
            if target.comparator == ">" and target.value < base.value / 1.5:
                score -= 1.5
    return score


def _cumulative_prior(context: _RowContext, cells: Sequence[CellReading], cumulative: bool) -> float:
    """Whether a change is a five-year total ([ ]) or an annual rate, before arithmetic."""
    levels = [cell for cell, column in zip(cells, context.columns) if column.role != "change"]
    return cumulative_prior_given(context, bool(levels) and all(cell.value is None for cell in levels), cumulative)


def cumulative_prior_given(context: _RowContext, levels_missing: bool, cumulative: bool) -> float:
    """:func:`_cumulative_prior` once it is known whether the row has no level value at all."""
    entry = context.prior
    if entry is not None:
        reference = (entry.get("national") or {}).get(context.period or "", {})
        if "cumulative" in reference:
            return 1.2 if reference["cumulative"] == cumulative else -1.2
        usual = entry.get("growth")
        if usual:
            return 0.6 if (usual == "cumulative") == cumulative else -0.6
    percent_header = any("%" in column.path for column in context.columns if column.role == "change")
    if levels_missing and context.unit not in ("%", None) and not percent_header:
        # Only a change, printed in the row's own unit (万人, 万套): a five-year total, not a rate.
        return 2.0 if cumulative else -2.0
    if context.unit == "%":
        return 0.4 if cumulative else -0.4
    if any(column.cumulative is False for column in context.columns if column.role == "change"):
        return 0.8 if not cumulative else -0.8  # the header says 年均 and the unit is not a share
    return 0.3 if not cumulative else -0.3


# ------------------------------------------------------------------ solving a row


class Reading(NamedTuple):
    """A reading of a whole row, scored (a named tuple: the solver keeps thousands per table)."""

    cells: tuple[CellReading, ...]
    cumulative: bool | None
    leftover: str
    score: float
    arithmetic: float = 0.0  # the log likelihood ratio of its arithmetic (0: nothing to check)
    adds_up: bool | None = None  # its arithmetic holds exactly (None: nothing to check)


@dataclass(frozen=True)
class SearchSpace:
    """What a damaged row's search runs over: its digit blobs (token positions), the ways to share
    the columns left after the fixed cells among them, and the cumulative flags to try."""

    blobs: list[int]
    distributions: list[tuple[int, ...]]
    flags: list[bool | None]


def search_space(row: Row, context: _RowContext) -> SearchSpace | tuple[list[Reading], str | None]:
    """The search space of a row, or, when there is nothing to search, the answer itself: the one
    reading of an intact row, or why no reading can be made."""
    columns = context.columns
    width = len(columns)
    tokens = list(row.tokens)
    blobs = [index for index, token in enumerate(tokens) if token.kind == "blob"]
    fixed_count = len(tokens) - len(blobs)
    spare = width - fixed_count
    if any(len(tokens[index].text) > MAX_BLOB_DIGITS for index in blobs):
        return [], f"a digit run longer than {MAX_BLOB_DIGITS} digits"
    if any(not tokens[index].text.isdigit() for index in blobs):
        # A sign or a stray comma inside damaged digits: no reading can be told apart honestly.
        return [], "a signed or comma-broken number among damaged digits"
    if not blobs:
        if len(tokens) != width:
            return [], f"{len(tokens)} cells for {width} columns"
        fixed_cells = tuple(_fixed(token) for token in tokens)
        return [Reading(fixed_cells, None, "", 0.0)], None
    if spare < len(blobs):
        return [], f"{len(tokens)} pieces for {width} columns"
    distributions = [
        counts for counts in _compositions(spare, len(blobs))
        if all(count <= (1 if tokens[index].whole else len(tokens[index].text)) for count, index in zip(counts, blobs))
    ]
    if not distributions:
        return [], "too few digits for the columns"
    if sum(_estimate(row, counts) for counts in distributions) > MAX_READINGS:
        return [], "too many possible readings (search capped)"
    change_columns = [index for index, column in enumerate(columns) if column.role == "change"]
    flags: list[bool | None] = [None]
    if change_columns:
        # The [ ] that told cumulative values apart were stripped: every change cell may be either,
        # unless the header names only one kind and the notes do not mention [ ].
        fixed_flags = {columns[index].cumulative for index in change_columns}
        open_flags = None in fixed_flags or context.brackets
        flags = [True, False] if open_flags else [bool(next(iter(fixed_flags)))]
    return SearchSpace(blobs, distributions, flags)


def row_readings(
    row: Row, context: _RowContext, agree: dict[tuple[str, int | None, str], float], leftover_allowed: int,
    cache: dict[Any, Any] | None = None,
) -> tuple[list[Reading], str | None]:
    """All scored readings of a damaged row (best first), or a reason why none could be made.

    The readings are exactly those of the brute-force search (every cut, every decimal point,
    every cumulative flag, kept when within ``NEGLIGIBLE`` of the best; tests/reference_solver.py),
    with the same scores and order; :mod:`planparse.rowsearch` lists and scores them as arrays.
    ``cache`` (one per row) keeps the pieces' priors for solving the row again with ``agree``."""
    space = search_space(row, context)
    if not isinstance(space, SearchSpace):
        return space
    from .rowsearch import search

    readings = search(row, context, agree, space, leftover_allowed, cache)
    if not readings:
        return [], "no plausible reading"
    return readings, None


def _probabilities(readings: Sequence[Reading]) -> list[float]:
    """Softmax of the scores. The temperature widens near-ties: the soft priors are rough, and a
    reading ahead by one point of prior only is not 'clearly ahead' (calibrated on the harness)."""
    top = readings[0].score
    weights = [math.exp((reading.score - top) / TEMPERATURE) for reading in readings]
    total = sum(weights)
    return [weight / total for weight in weights]


def _display(value: float | None, decimals: int) -> str:
    return "--" if value is None else f"{value:.{decimals}f}"


ARITHMETIC_TIE = SETTINGS.arithmetic_tie


def _basis(key: tuple[float | None, bool | None], rival: tuple[float | None, bool | None] | None,
           supports: dict[tuple[float | None, bool | None], Reading], context: _RowContext | None,
           agreed: bool) -> str:
    """What tells a damaged cell's shown value from its strongest rival: ``cross_table`` (another
    table's confident value), ``arithmetic`` (the rival's row does not add up as well), or
    ``prior_only`` (both add up alike, or nothing can be checked: only the priors decide)."""
    if agreed:
        return "cross_table"
    if rival is None:
        return "arithmetic"  # no other reading within reach
    if context is None:
        return "prior_only"
    own = supports[key].arithmetic
    if own < ARITHMETIC_TIE:
        return "prior_only"  # its own row does not add up: nothing but priors chose it
    other = supports[rival].arithmetic
    return "arithmetic" if own - other >= ARITHMETIC_TIE else "prior_only"


def arithmetic_structure(roles: Sequence[str]) -> str:
    """What a table's rows can check: ``levels`` (base, target and change), ``pairs``
    (plan-versus-actual (level, change) pairs) or ``none``. Calibration maps may differ by it."""
    if "base" in roles and "target" in roles and "change" in roles:
        return "levels"
    if roles.count("change") >= 2 and ("target" in roles or "actual" in roles):
        return "pairs"
    return "none"


def rival_kind(value: float | None, rival: tuple[float | None, bool | None] | None) -> str:
    """How a cell's shown value differs from its strongest rival: ``scale`` (the same digits with
    the point elsewhere, ×10ⁿ), ``flag`` (the same value, cumulative or annual), ``cut`` (other
    digits), or ``none`` (no rival within reach)."""
    if rival is None:
        return "none"
    other = rival[0]
    if other is None or value is None:
        return "cut"
    if other == value:
        return "flag"
    if value and other:
        exponent = math.log10(abs(other / value))
        if abs(exponent - round(exponent)) < 1e-6:
            return "scale"
    return "cut"


def parse_risk(row: Row | None, readings: Sequence[Reading], settings: RepairSettings = SETTINGS) -> float:
    """The probability that a damaged row was parsed wrong (its cells then are wrong whatever their
    reading): a floor for every row, more where the parse guessed — the row's last digits given to
    the next name, a guessed row end, a word cell beside digits."""
    risk = settings.parse_wrong
    if row is None:
        return risk
    if readings and readings[0].leftover:
        risk += settings.parse_wrong_leftover
    if row.uncertain:
        risk += settings.parse_wrong_boundary
    kinds = {token.kind for token in row.tokens}
    if "word" in kinds and "blob" in kinds:
        risk += settings.parse_wrong_word
    return min(risk, 0.5)


def row_inconsistency(readings: Sequence[Reading], probabilities: Sequence[float]) -> float | None:
    """The probability that the row's printed numbers do not add up: the mass of the readings whose
    arithmetic misses its exact window (rounded targets, nominal levels beside real rates); None
    when the row has nothing to check."""
    missed = checked = 0.0
    for reading, probability in zip(readings, probabilities):
        if reading.adds_up is None:
            continue
        checked += probability
        if not reading.adds_up:
            missed += probability
    return missed / checked if checked > 0.5 else None


def _cells_from(readings: Sequence[Reading], columns: Sequence[HeaderColumn], damaged: bool,
                context: _RowContext | None = None, agree: dict[tuple[str, int | None, str], float] | None = None,
                risk: float = SETTINGS.parse_wrong, probabilities: Sequence[float] | None = None) -> list[models.Cell]:
    """The row's cells. One notion of value and confidence: each damaged cell shows the value with
    the highest probability mass over the readings (its marginal); that mass, less the row's
    ``risk`` of a wrong parse, calibrated for what decided it and how its rival differs
    (:func:`_basis`, :func:`rival_kind`; ``data/calibration.yaml``), is its confidence. A dash or
    a word of a damaged row is printed whole, yet its row may be parsed wrong: it gets the fitted
    ``fixed`` map of ``1 − risk``. No damaged cell is certain."""
    from .calibration import calibrate

    best = readings[0]
    if probabilities is None:
        probabilities = _probabilities(readings) if damaged else [1.0]
    # Probability mass of each (value, cumulative) per column, readings in order (one pass), and
    # the first (best) reading that holds each.
    changes = [column.role == "change" for column in columns]
    masses: list[dict[tuple[float | None, bool | None], float]] = [{} for _ in columns]
    supports: list[dict[tuple[float | None, bool | None], Reading]] = [{} for _ in columns]
    for reading, probability in zip(readings, probabilities):
        for index, other in enumerate(reading.cells):
            key = (other.value, reading.cumulative if changes[index] and other.value is not None else None)
            mass_of = masses[index]
            mass_of[key] = mass_of.get(key, 0.0) + probability
            supports[index].setdefault(key, reading)
    result = []
    for index, column in enumerate(columns):
        mass = masses[index]
        cell = best.cells[index]
        if damaged and cell.kind == "number":
            ranked = sorted(mass.items(), key=lambda item: (-item[1], str(item[0])))
            own_key, confidence = ranked[0]
            cell = supports[index][own_key].cells[index]
            rival = ranked[1][0] if len(ranked) > 1 else None
            known = (agree or {}).get((context.name_key, column.year, "target" if column.role == "actual" else column.role)) if context else None
            agreed = known is not None and cell.value is not None and abs(known - cell.value) < 1e-9
            basis = _basis(own_key, rival, supports[index], context, agreed)
            structure = arithmetic_structure(context.roles) if context else "none"
            raw = confidence
            confidence = calibrate(raw * (1 - risk), basis, rival_kind(own_key[0], rival), structure)
            # The runner-ups share what the calibrated confidence leaves, in proportion to their mass:
            # a cell's confidence and its alternatives' scores never add up to more than 1.
            rest = (1.0 - confidence) / (1.0 - raw) if raw < 1.0 else 0.0
            alternatives = [
                models.Alternative(value=value, cumulative=flag, score=round(min(1.0, p * rest), 4)) for (value, flag), p in ranked[1:4]
            ]
            cumulative = own_key[1] if column.role == "change" and cell.value is not None else None
            if cumulative is None and column.role == "change" and cell.value is not None:
                cumulative = column.cumulative
        else:
            basis = "intact"
            confidence = calibrate(1 - risk, "fixed") if damaged else 1.0
            alternatives = []
            cumulative = None
            if column.role == "change" and cell.value is not None:
                cumulative = best.cumulative if best.cumulative is not None else column.cumulative
                if not damaged:
                    # Intact: printed brackets say cumulative; otherwise the header decides (年均: annual).
                    cumulative = True if "[" in cell.raw else bool(column.cumulative)
        result.append(
            models.Cell(
                column=column.path,
                column_index=index + 1,
                raw=cell.raw,
                value=cell.value,
                comparator=cell.comparator,  # type: ignore[arg-type]
                cumulative=cumulative,
                text=cell.text,
                confidence=round(min(1.0, max(0.0, confidence)), 4),
                alternatives=alternatives,
                basis=basis,  # type: ignore[arg-type]
            )
        )
    return result


def _damaged_row_warnings(label: str, page: int | None, inconsistent: float | None, cells: Sequence[models.Cell],
                          settings: RepairSettings = SETTINGS) -> list[models.RecordWarning]:
    """The warnings of a damaged row: the row when its numbers probably do not add up, and every
    cell the record does not vouch for — below ``flag_threshold`` (indicator_uncertain), decided
    by the priors alone below ``abstain_below`` (indicator_prior_only: the value is the likelier
    one, the record abstains), or with a rival and below ``vouch``."""
    found: list[models.RecordWarning] = []
    page_of = page
    if inconsistent is not None and inconsistent >= 0.5:
        found.append(models.RecordWarning(
            code="indicator_row_inconsistent",
            message=f"{label}: the row's numbers probably do not add up (probability {inconsistent:.2f}: a rounded target, or "
            "levels and growth on different price bases); its cells rest on the priors", page=page_of))
    for cell in cells:
        if cell.basis == "intact" and not cell.alternatives:
            continue
        shown = ", ".join(_display(alt.value, 2) + (" [cumulative]" if alt.cumulative else "") for alt in cell.alternatives)
        read = "--" if cell.value is None else f"{cell.value:g}"
        if cell.confidence < settings.flag_threshold:
            found.append(models.RecordWarning(
                code="indicator_uncertain",
                message=f"{label} / {cell.column}: read {cell.raw} as {read} (confidence {cell.confidence:.2f}); alternatives: {shown}",
                page=page_of))
        elif cell.basis == "prior_only" and cell.alternatives and cell.confidence < max(settings.abstain_below, settings.vouch):
            # Only the soft priors tell the reading from its rival (a ×10 scale of a row that adds
            # up either way): the value is the likelier one, but the record abstains from vouching.
            found.append(models.RecordWarning(
                code="indicator_prior_only",
                message=f"{label} / {cell.column}: {cell.raw} read as {read} on priors alone (confidence "
                f"{cell.confidence:.2f}); the row adds up as well with: {shown}", page=page_of))
        elif cell.alternatives and cell.confidence < settings.vouch:
            found.append(models.RecordWarning(
                code="indicator_uncertain",
                message=f"{label} / {cell.column}: read {cell.raw} as {read} (confidence {cell.confidence:.2f}, below "
                f"{settings.vouch:.2f}); alternatives: {shown}", page=page_of))
    return found


def _years(table: ParsedTable) -> tuple[int | None, int | None]:
    """(base year, target year) of a table's arithmetic: the base column's year and the first
    target's (a 2035 column beside 2020 and 2025 is not the change column's end), else the title's
    plan period (“十四五”), else the years printed."""
    columns = table.columns
    base = next((column.year for column in columns if column.role == "base" and column.year), None)
    target = next((column.year for column in columns if column.role in ("target", "actual") and column.year), None)
    if base is not None and target is not None and target > base:
        return base, target
    if table.period is not None and not any(column.year for column in columns):
        return table.period
    years = sorted({column.year for column in columns if column.year})
    target_year = years[-1] if years else None
    base_year = years[0] if len(years) >= 2 else (target_year - YEARS_DEFAULT if target_year else None)
    return base_year, target_year


def _context(table: ParsedTable, row: Row) -> _RowContext:
    base_year, target_year = _years(table)
    span = (target_year - base_year) if target_year and base_year and target_year > base_year else YEARS_DEFAULT
    prior = lookup(row.name)
    return _RowContext(
        columns=table.columns,
        unit=row.unit,
        prior=prior,
        period=period_of(target_year),
        years=span,
        base_year=base_year,
        target_year=target_year,
        name_key=prior["name"] if prior else row.name,
        brackets=table.bracket_meaning is not None or table.damaged,
        spare_cost=-row.spare_prior,
    )


def _check_intact(row: Row, context: _RowContext, cells: Sequence[CellReading]) -> bool:
    """True when an intact row's arithmetic holds (or cannot be checked)."""
    columns = context.columns
    flags = {True, False}
    for token, column in zip(row.tokens, columns):
        if column.role == "change" and token.kind in ("number", "blob"):
            # Printed brackets decide; without them the header's 年均/累计 does, else either.
            if token.bracket:
                flags = {True}
            elif column.cumulative is not None:
                flags = {bool(column.cumulative)}
    results = [_arithmetic_check(cells, context, flag) for flag in flags]
    return all(result is None for result in results) or any(result is not None and result[1] for result in results)


@dataclass
class _Solved:
    """A row's readings (or why there are none), and its cells once made (the second pass reuses
    both when no other table's values bear on the row)."""

    readings: list[Reading]
    problem: str | None
    cells: list[models.Cell] | None = None
    inconsistent: float | None = None  # the probability that the row's numbers do not add up


def solve_tables(parsed: Sequence[ParsedTable], skeleton: Skeleton | None, paged: PagedText) -> TableResult:
    """Solve every table. A second pass re-solves the rows whose indicator another table also
    reports (same name and year), rewarding readings that agree with its confident values."""
    del skeleton  # prose evidence carries no decimal point: its digits agree with every reading
    agree_by_table: list[dict[tuple[str, int | None, str], float]] = []
    memo: dict[int, _Solved] = {}
    caches: dict[int, dict[Any, Any]] = {}  # row start → what its search keeps for the second pass
    solved = []
    for table in parsed:
        collected: dict[tuple[str, int | None, str], float] = {}
        solved.append(_solve_table(table, paged, {}, collect=collected, memo=memo, caches=caches))
        agree_by_table.append(collected)
    for index, table in enumerate(parsed):
        others: dict[tuple[str, int | None, str], float] = {}
        for other_index, collected in enumerate(agree_by_table):
            if other_index != index:
                for key, value in collected.items():
                    others.setdefault(key, value)
        if others and any(key[0] in {k[0] for k in others} for key in agree_by_table[index]) or (
            others and _shares_names(table, others)
        ):
            solved[index] = _solve_table(table, paged, others, collect=None, memo=memo, caches=caches)
    tables = tuple(table for table, _, _ in solved)
    indicators = tuple(indicator for _, rows, _ in solved for indicator in rows)
    warnings = tuple(warning for table in parsed for warning in table.warnings) + tuple(
        warning for _, _, found in solved for warning in found
    )
    return TableResult(tables, indicators, (), warnings)


def _shares_names(table: ParsedTable, others: dict[tuple[str, int | None, str], float]) -> bool:
    names = {key[0] for key in others}
    return any(_context(table, row).name_key in names for row in table.rows)


def _solve_table(
    table: ParsedTable,
    paged: PagedText,
    agree: dict[tuple[str, int | None, str], float],
    collect: dict[tuple[str, int | None, str], float] | None,
    memo: dict[int, _Solved] | None = None,
    caches: dict[int, dict[Any, Any]] | None = None,
) -> tuple[models.Table, list[models.Indicator], list[models.RecordWarning]]:
    block = table.block
    name = f"专栏{block.box}" if block.box is not None else (block.label or "table")
    warnings: list[models.RecordWarning] = []
    indicators: list[models.Indicator] = []
    columns = table.columns
    carried = ""  # digits the previous row's last blob gave to this row's name
    for position, row in enumerate(table.rows, start=1):
        page = paged.page_at(row.start)
        context = _context(table, row)
        shown_name = carried + row.name
        label = f"{name} row {position} {shown_name}"
        if not columns:
            continue
        if row.uncertain:
            warnings.append(models.RecordWarning(code="table_row_boundary", message=f"{label}: guessed {row.uncertain}", page=page))
        relevant = {key: value for key, value in agree.items() if key[0] == context.name_key} if table.damaged else {}
        solved = memo.get(row.start) if memo is not None and not relevant else None
        if solved is None:
            solved = _Solved(*row_readings(row, context, relevant, row.spare if table.damaged else 0,
                                           caches.setdefault(row.start, {}) if caches is not None else None))
            if memo is not None and not relevant:
                memo[row.start] = solved
        readings, problem = solved.readings, solved.problem
        raw_start = row.name_start - len(carried)
        carried = ""
        if problem or not readings:
            warnings.append(models.RecordWarning(code="indicator_unsolved", message=f"{label}: {problem}; cells left unread", page=page))
            cells = [
                models.Cell(column=column.path, column_index=index + 1, raw="", value=None, comparator=None, cumulative=None,
                            text=None, confidence=0.0, alternatives=[])
                for index, column in enumerate(columns)
            ]
        else:
            if solved.cells is None:
                risk = parse_risk(row, readings) if table.damaged else 0.0
                probabilities = _probabilities(readings) if table.damaged else [1.0]
                solved.cells = _cells_from(readings, columns, table.damaged, context, relevant, risk, probabilities)
                solved.inconsistent = row_inconsistency(readings, probabilities) if table.damaged else None
            cells = solved.cells
            best = readings[0]
            if best.leftover:
                carried = best.leftover
                warnings.append(
                    models.RecordWarning(
                        code="row_leftover_digits",
                        message=f"{label}: digits {best.leftover} after the last cell taken as the start of the next row's name",
                        page=page,
                    )
                )
            if not table.damaged and not _check_intact(row, context, best.cells):
                warnings.append(
                    models.RecordWarning(code="indicator_arithmetic", message=f"{label}: the row's numbers do not add up (base, target and change disagree)", page=page)
                )
            if table.damaged:
                warnings.extend(_damaged_row_warnings(label, page, solved.inconsistent, cells))
            for cell in cells:
                if collect is not None and cell.value is not None and cell.confidence >= 0.9:
                    column = columns[cell.column_index - 1]
                    role = "target" if column.role in ("actual", "target") else column.role
                    if column.role != "change":
                        collect.setdefault((context.name_key, column.year, role), cell.value)
                        if column.role == "base":
                            collect.setdefault((context.name_key, column.year, "target"), cell.value)
        indicators.append(
            models.Indicator(
                box=block.box,
                table=block.label,
                row=position,
                number=row.number,
                group=row.group,
                category=row.category,
                indicator=shown_name,
                indicator_raw=paged.raw_slice(raw_start, row.name_end),
                unit=row.unit,
                attribute=row.attribute,  # type: ignore[arg-type]
                page=page,
                offset=paged.source_offset(row.start),
                cells=cells,
                note=row.note,
            )
        )
    model = models.Table(
        box=block.box,
        table=block.label,
        title=block.title,
        page=paged.page_at(block.start),
        offset=paged.source_offset(block.start),
        columns=[
            models.Column(index=index + 1, path=column.path, year=column.year, role=column.role, cumulative=column.cumulative)  # type: ignore[arg-type]
            for index, column in enumerate(columns)
        ],
        attribute_column=table.has_attribute,
        notes=list(block.notes),
        bracket_meaning=table.bracket_meaning,
        damaged=table.damaged,
    )
    return model, indicators, warnings
