"""The repair solver's values and knowledge, without NumPy: its settings, the priors file
(``data/indicators.yaml``), cell and row readings, a row's context, and the national and
cumulative priors every scorer shares."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any, NamedTuple

import yaml

from ..tables import HeaderColumn, Row, Token


@dataclass(frozen=True)
class RepairSettings:
    """The repair solver's tunables, in one place. Scores are log-odds (natural log); the
    arithmetic likelihood ratios are explained in :func:`planparse.repair.score._window_ratios`. Values marked
    *fitted* were chosen on the generator's development seeds (tests/tools/tablegen.py, seeds
    below 1000, ``python -m planparse.bench.repair --split dev``), never on the held-out ones."""

    flag_threshold: float = 0.8  # a cell below this confidence is named in an indicator_uncertain warning
    abstain_below: float = 0.95  # a cell only the priors decided is named too (indicator_prior_only) below this
    vouch: float = 0.97  # a damaged cell below this calibrated confidence is never left unnamed (fitted)
    abstain_on_scale: bool = True  # a cell only the priors told from a ×10ⁿ rival is always named (issue 12: abstain)
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
    # A cumulative change printed coarser than a level it is the difference of (62.02 beside [6.3]: a
    # cut that moved a digit from each change to its level, and both pairs still add up): log-odds lost.
    finer_level_cost: float = 4.0  # (fitted on the dev seeds: 1 → 87.5 %, 2 → 87.9 %, 3.5 → 88.4 %, 6 → 88.6 % exact; e⁴: about one row in 50)
    # A later target no arithmetic checks (2035年 beside 2020年 and 2025年) that turns back against the
    # row's course from base to target: log-odds lost.
    long_reversal_cost: float = 4.0  # (fitted on the dev seeds: 1.5 → 88.45 %, 3 → 88.56 %, 6 → 88.57 % exact)
    arithmetic_tie: float = 0.5  # readings whose arithmetic log-ratios differ by less are told apart by priors only
    # The parse itself may be wrong (a page number glued inside a row, a guessed row boundary): the
    # probability mass left for it, per row, before calibration.
    parse_wrong: float = 0.005
    parse_wrong_leftover: float = 0.1  # the row gave digits to the next row's name
    parse_wrong_boundary: float = 0.15  # the row parser guessed where the row ends
    parse_wrong_word: float = 0.03  # a word cell beside digits: its extent is a guess
    parse_wrong_unknown_word: float = 0.3  # a Han run no lexicon knows read as a word cell: maybe the next row's name
    # The prose repeats a table's figures (年末全国人口140967万人 before 表1): a piece whose digits
    # the prose prints in a clause that names the row is likelier the printed cell (the cut, not the
    # decimal point: damaged prose lost its points too).
    prose_bonus: float = 3.0
    # Statistical outcomes (issue 12, the communiqués' tables): a year-on-year growth (比上年增长) or a
    # share in % (比重（%）) is printed with one decimal; other decimals cost this much per digit off.
    outcome_decimal_cost: float = 1.2
    outcome_growth_limit: float = 100.0  # a year-on-year growth beyond this is rare (exports +84.3 % happen)
    outcome_growth_over: float = 4.0  # log-odds a growth beyond it loses
    growth_habit_tail: float = 1e6  # degrees of freedom of the rates' spread around the table's typical rate (1e6: normal)
    # A level column beside them prints whole numbers about two times in three (the real tables of the
    # tuned half of ``planparse.bench.realtables``: 419 whole, 204 with one decimal; ln 2.05 ≈ 0.7).
    outcome_level_decimal_cost: float = 0.7
    # A level beside them (产量, 金额（亿元）) is a quantity: below zero only for a balance (进出口差额),
    # so a cut that hands a growth cell's sign to a level (80213-20979729 read 802|13|-209797|29) pays this.
    negative_level_cost: float = 3.0
    # A column whose label counts single things (企业数（家）, 2023 表14): a decimal point in it is
    # a wrong cut (3624 | 1.5 read 36.24 | 15.3), never a printed figure; log-odds lost per reading.
    count_column_decimal_cost: float = 6.0
    # A ratio column (1957年为1952年的百分比, the 1953 plan) that a reading's own base and target reproduce
    # within rounding: a wrong cut does so by chance about once in a few hundred (ratios spread over
    # hundreds of points, a rounding is ±0.5): odds of e⁴ ≈ 55 after allowing for misprints; three
    # roundings off, e^1.5.
    ratio_match: float = 4.0
    ratio_near: float = 1.5
    growth_habit_spread: float = 1.4  # a table's rates spread around their typical size by this (natural log of 1 + |rate|; fitted on the tuned split of the real tables)
    min_prose_rates: int = 10  # rates the prose prints, needed to know its year's typical rate
    min_anchors: int = 2  # rows whose cut the prose confirms, needed to know a table's typical rate
    part_above_total: float = 4.0  # a part's level above its total's (whose readings bound it): score lost
    total_share: float = 2.0  # the first row of a (level, share) table printing a share of 100: its score gained
    prose_min_digits: int = 2  # a single digit matches by chance too often (the bonus counts chance matches: prose_bonus())
    prose_restates: float = 0.5  # the chance the prose near a row's name restates the cell (not another figure)
    prose_follow: int = 1  # digit runs after a row's name in its sentence that may be its other cells (its rate)
    # A column's decimal habit (issue 12: the communiqués print every level of a column with the same
    # number of decimals, so the rows, taken together, tell the precision a single row cannot). A row
    # votes for its cell's decimals when evidence, not the priors, fixed them: among the readings that
    # give the cell the same digits, one decimal count holds at least ``decimal_evidence`` of the mass
    # (digits that allow one point only, 08 = 0.8; a ratio or a total that adds up with one point only).
    decimal_evidence: float = 0.95
    decimal_cut: float = 0.8  # the readings giving the cell its digits need this much of the row's mass (the cut decided)
    decimal_votes: int = 2  # fewer voting rows tell nothing about the column
    decimal_mixed: float = 0.1  # the chance a row of a column of one habit prints another precision
    decimal_habit_level: float = 0.67  # prior that a level beside outcomes is whole (outcome_level_decimal_cost: 419 whole, 204 not)
    decimal_pool_units: bool = True  # units of too few rows each vote together (ratios apart)
    decimal_decide: float = 0.9  # the column's posterior needed to use the habit (below it: abstain, the priors stand)
    # Totals and their parts (issue 12: :mod:`planparse.repair.joint`): the prior that a total's parts
    # add up to it — a total named so (总计, 旅客运输总量), or the first row of a run of rows in one unit
    # (旅客运输周转量 before 铁路, 公路 … in 亿人公里); if they do, the probability that the printed
    # figures add up within their roundings (else within three roundings: a part left out, a revision).
    sum_prior_named: float = 0.6
    sum_prior_block: float = 0.3
    sum_exact: float = 0.7
    sum_near: float = 0.15
    # Given the levels add up, the probability that last year's levels (a level over 1 + its growth)
    # add up too within the roundings, or near (0.5 %: revised bases).
    growth_sum_exact: float = 0.5
    growth_sum_near: float = 0.35
    # Shares that are ratios to one total (表13: 占全部出口比重（%）, the total not printed): the prior
    # that a share column is such a ratio, and the probability that a printed share is the level's
    # ratio rounded (not a misprint, not another base); the grid of the total's logarithm.
    share_prior: float = 0.8
    share_match: float = 0.9
    share_grid: float = 0.0005
    share_rows: int = 3  # rows with a share needed to pool their evidence on the total
    share_max_bins: int = 100_000
    joint_ratio_cap: float = 1e4  # no match between rows is worth more (the chance of a match is counted, this bounds a misfit model)
    joint_states: int = 24  # a row's likeliest states the joint enumeration keeps
    joint_min_mass: float = 1e-4  # lighter states are left to the default factor
    joint_max_configs: int = 300_000  # a group's configurations enumerated at most (its rows' states trimmed to fit)
    # The search for the configurations that add up (issue 12: 2023 表6 铁路 38.5 | 130.4, a rate above
    # 100 % that the priors rank low): a row keeps this many states when only the configurations
    # that add up are enumerated (depth first, pruned by the bounds of the rows left); a search that
    # visits more nodes than the budget falls back to the full enumeration of the likeliest states.
    joint_search_states: int = 64
    joint_search_nodes: int = 200_000

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
COUNT_MULTIPLIERS = ("万", "亿")  # a count in 万人 may print decimals (1.5万人); one in 家 never does



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



class CellReading(NamedTuple):
    """One reading of one cell (a named tuple: the solver makes thousands per row)."""

    raw: str
    value: float | None
    decimals: int
    comparator: str | None = None
    text: str | None = None
    kind: str = "number"  # number | dash | word


def comma_fits(start: int, end: int, decimals: int, commas: Sequence[int]) -> bool:
    """True when a reading of the digits ``start:end`` with ``decimals`` places keeps the blob's
    thousands commas: none at the piece's edge (a comma is inside a number), one to three digits
    before the first, three between commas, and three after the last before the decimal point."""
    if any(position in (start, end) for position in commas):
        return False
    inside = [position for position in commas if start < position < end]
    if not inside:
        return True
    if inside[0] - start > 3 or any(later - earlier != 3 for earlier, later in zip(inside, inside[1:])):
        return False
    return end - decimals == inside[-1] + 3


def digit_readings(digits: str) -> list[tuple[float, int, str]]:
    """Every reading of a digit string with at most one decimal point: (value, decimals, shown)."""
    return list(_digit_readings(digits))


@lru_cache(maxsize=8192)
def _digit_readings(digits: str) -> tuple[tuple[float, int, str], ...]:
    """:func:`digit_readings`, kept: the same pieces recur across a row's cuts, passes and rows."""
    found = []
    if len(digits) == 1 or digits[0] != "0":
        found.append((float(digits), 0, digits))
    for cut in range(max(1, len(digits) - MAX_DECIMALS), len(digits)):
        whole, fraction = digits[:cut], digits[cut:]
        if len(whole) > 1 and whole[0] == "0":
            continue
        shown = f"{whole}.{fraction}"
        found.append((float(shown), len(fraction), shown))
    return tuple(found)



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
    return CellReading(token.printed, value, decimals, token.comparator, token.word)



def _estimate(row: Row, counts: Sequence[int]) -> int:
    total = 1
    blobs = [token for token in row.tokens if token.kind == "blob"]
    for token, cells in zip(blobs, counts):
        n = len(token.text)
        # Every cut, times the readings of its pieces: a piece has at most MAX_DECIMALS + 1 (digit_readings).
        total *= math.comb(max(n - 1, 0), max(cells - 1, 0)) * max(1, min(n // cells + 1, MAX_DECIMALS + 1) ** cells)
    return total



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
    prose_digits: frozenset[str] = frozenset()  # digit runs the prose prints right after the row's name
    prose_rates: frozenset[str] = frozenset()  # those that are year-on-year rates (增长665: 66.5, one decimal)
    prose_weight: float = 0.0  # what a reading the prose quotes gains (:func:`prose_weight`: chance matches counted)
    # A part's level is at most its total's (其中 rows, rows under a 总计): the bound by column path.
    ceilings: tuple[tuple[str, float], ...] = ()
    # The typical size of the table's year-on-year rates, from rows whose cut the prose confirms (None: unknown).
    growth_habit: float | None = None
    # A share column that is each row's level over the table's total row (比重（%）, 全国人口 = 100.0):
    # (level column, share column, the total's level).
    share_total: tuple[int, int, float] | None = None
    total_row: bool = False  # the first row of a (level, share) table: its share is 100 as a rule
    # The column's decimal habit (:func:`planparse.repair.solve.decimal_habits`): by column path, the
    # log-prior of 0, 1 and 2 decimals, which replaces the generic decimal priors of that column.
    decimal_habits: tuple[tuple[str, tuple[float, float, float]], ...] = ()

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
        """The row's levels, of one magnitude (a plan's base and target). A statistical table's share
        (比重（%）) is no level, and its levels of different units (企业数（家）, 金额（亿元）) are not one quantity."""
        levels = [index for index, column in enumerate(self.columns) if column.role != "change" and not _share(column)]
        if len(levels) < len(self.columns) and len({self.columns[index].unit for index in levels if self.columns[index].unit}) > 1:
            return ()
        return tuple(levels) if any(_share(column) for column in self.columns) or len(levels) == len(self.columns) else tuple(
            index for index, role in enumerate(self.roles) if role != "change")

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


def _share(column: HeaderColumn) -> bool:
    """A share column of a statistical table: a value in % without a year (比重（%）, 占全部出口比重（%）)."""
    return column.role == "value" and column.unit == "%" and column.year is None


def _tolerance(decimals: int) -> float:
    return 0.5 * 10 ** (-decimals)


def regex_share(name: str) -> bool:
    """A name that reads as a share (…率, …比重, …比例) rather than a decline or growth rate."""
    return name.endswith(("率", "比重", "比例", "覆盖率")) and not any(word in name for word in ("降低", "下降", "减少", "增长"))



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



def cumulative_prior_given(context: _RowContext, levels_missing: bool, cumulative: bool) -> float:
    """Whether a change is a five-year total ([ ]) or an annual rate, before arithmetic, once it is
    known whether the row has no level value at all."""
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




def prose_quotes(raw: str, decimals: int, digits: frozenset[str], rates: frozenset[str] = frozenset()) -> bool:
    """True when the prose may print this reading of a cell: its digits whole, or the reading
    rounded to a whole number, as the communiqués' prose rounds a table's levels (a cell 556.8
    beside 货物运输总量557亿吨, 28609.6 beside 28610亿人公里, 93.0 beside 93亿人次). Damaged prose
    lost its points too, so only digits are compared; a rounding to a whole number also tells the
    cell's decimals (55.68 would be printed 55.7, not 557). A figure of ``rates`` (增长665) is a
    year-on-year rate, printed with one decimal: only a reading with one decimal quotes it."""
    shown = raw.lstrip("-")
    if not digits or not shown:
        return False
    if shown in digits:
        return decimals == 1 or shown not in rates
    if decimals == 0:
        return False
    rounded = (int(shown) + 5 * 10 ** (decimals - 1)) // 10**decimals  # half up, as the communiqués round
    return str(rounded) in digits


def prose_weight(tokens: Sequence[Token], digits: frozenset[str], rates: frozenset[str] = frozenset(),
                 settings: RepairSettings | None = None) -> float:
    """The score a reading the prose quotes (:func:`prose_quotes`) gains, as a likelihood ratio that
    counts chance matches: if the prose restates a cell, its right reading matches; a wrong reading
    matches only by chance, as often as the share of the row's readings (every piece of its digit
    blobs, every decimal point) that match some figure the prose prints near the row's name.
    ln(readings / matching), at most ``prose_bonus`` (the prose may quote another figure); 0 when
    nothing matches."""
    if not digits:
        return 0.0
    texts = tuple(token.text for token in tokens if token.kind in ("blob", "number"))
    readings, matching = _prose_matches(texts, digits, rates)
    if matching == 0:
        return 0.0
    chosen = settings or SETTINGS
    return max(0.0, min(chosen.prose_bonus, math.log(chosen.prose_restates * readings / matching)))


@lru_cache(maxsize=1024)
def _prose_matches(texts: tuple[str, ...], digits: frozenset[str], rates: frozenset[str]) -> tuple[int, int]:
    """(readings, readings the prose quotes) of every piece of the digit runs ``texts`` (see
    :func:`prose_weight`; kept, as each pass over a table asks it again for every row)."""
    readings = matching = 0
    for text in texts:
        for start in range(len(text)):
            for end in range(start + 1, min(len(text), start + MAX_BLOB_PIECE) + 1):
                for _value, places, _shown in _digit_readings(text[start:end]):
                    readings += 1
                    matching += prose_quotes(text[start:end], places, digits, rates)
    return readings, matching


MAX_BLOB_PIECE = 9  # the longest piece of a blob counted as a reading of a cell (a level of 100 million)
