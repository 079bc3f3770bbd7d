"""Stage ``repair`` (joint evidence between rows): a damaged statistical table's rows are not
independent. A total's parts add up to it (旅客运输总量 93.0 = 铁路 38.5 + 公路 45.7 + 水路 2.6 +
民航 6.2; 全国人口 = 城镇 + 乡村 = 男性 + 女性, and their shares add up to 100), so the cut of
one row is evidence for the cuts of the others.

Each row's readings (:mod:`.search`) give a distribution over its *states* (the values of the
group's columns). A group of rows is a sum group with prior probability ``sum_prior``; if it is
one, its configuration (one state per row) adds up within the printed roundings with probability
``sum_exact`` (within three roundings: ``sum_near``), whereas configurations drawn independently
from the rows' own distributions add up by chance with probability ``q`` (computed over every
configuration: the chance matches are counted). A configuration that adds up gains the likelihood
ratio ``sum_exact / q``; one that does not keeps ``(1 − sum_exact − sum_near) / (1 − q …)``;
mixed with the prior that the group is no sum at all. Each row's state gets the factor by which
its marginal changed: :func:`joint_factors`. Scale rivals (every row ×10) add up alike: the joint
evidence leaves them to the priors, and their cells stay flagged.

NumPy is imported by the functions that need it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..tables import HeaderColumn, Row, lexicon
from .model import SETTINGS, TEMPERATURE, Reading, RepairSettings, _share

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

State = tuple[float | None, ...]


@dataclass(frozen=True)
class SumGroup:
    """A total row, its parts (row positions in the table) and the columns they add up in."""

    total: int
    parts: tuple[int, ...]
    columns: tuple[int, ...]  # the columns of a row's state: every column (the rates too, for the growth check)
    sums: tuple[int, ...]  # the state's positions that add up: levels and shares, not rates
    prior: float  # the probability that the parts add up to the total at all


def _group_columns(columns: Sequence[HeaderColumn]) -> tuple[int, ...]:
    """The columns a total's parts add up in: levels and shares, not rates (比上年增长)."""
    return tuple(index for index, column in enumerate(columns) if column.role != "change")


def sum_groups(rows: Sequence[Row], columns: Sequence[HeaderColumn], settings: RepairSettings = SETTINGS) -> list[SumGroup]:
    """The candidate sum groups of a table: after a total row (lexicon ``total_words``, or the first
    row of a run of rows in one unit: 旅客运输周转量 before 铁路, 公路 … in 亿人公里), the rows of its
    unit up to the next total, cut into runs where a part mark (其中：) starts a new partition
    (全国人口: 其中：城镇, 乡村; 其中：男性, 女性). A run of fewer than two rows is no group."""
    found: list[SumGroup] = []
    group_columns = _group_columns(columns)
    if not group_columns:
        return found
    count = len(rows)
    for index, row in enumerate(rows):
        named = lexicon.is_total_row(row.name) and not lexicon.is_part_row(row.name)
        block_start = index > 0 and rows[index - 1].unit != row.unit and row.unit is not None
        if not named and not block_start:
            continue
        members: list[int] = []
        for later in range(index + 1, count):
            other = rows[later]
            if lexicon.is_total_row(other.name) and not lexicon.is_part_row(other.name):
                break
            if other.unit != row.unit:
                if named:
                    continue  # a part printed in another unit (民航 in 万吨 among 亿吨)
                break
            members.append(later)
        runs: list[list[int]] = []
        for member in members:
            if lexicon.is_part_row(rows[member].name) or not runs:
                runs.append([member])
            else:
                runs[-1].append(member)
        prior = settings.sum_prior_named if named else settings.sum_prior_block
        candidates = [run for run in runs if len(run) >= 2]
        if named:
            # The total's own kind of row (货物进出口总额: 货物出口额, 货物进口额), across the 其中 lists
            # between them; a balance (货物进出口顺差) is a difference, never a part.
            head = row.name[:2]
            kin = [member for member in members if rows[member].name.startswith(head) and not lexicon.is_part_row(rows[member].name)
                   and not lexicon.is_balance_row(rows[member].name)]
            if len(kin) >= 2 and kin not in candidates:
                candidates.append(kin)
        for run in candidates:
            found.append(SumGroup(index, tuple(run), tuple(range(len(columns))), group_columns, prior))
    return found


def _states(readings: Sequence[Reading], columns: Sequence[int]) -> dict[State, tuple[float, tuple[int, ...]]]:
    """The row's distribution over states: mass and the decimals of each column's value."""
    if not readings:
        return {}
    top = readings[0].score
    weights = [math.exp((reading.score - top) / TEMPERATURE) for reading in readings]
    total = sum(weights)
    found: dict[State, tuple[float, tuple[int, ...]]] = {}
    for reading, weight in zip(readings, weights):
        state = tuple(reading.cells[column].value if column < len(reading.cells) else None for column in columns)
        decimals = tuple(reading.cells[column].decimals if column < len(reading.cells) else 0 for column in columns)
        mass, _ = found.get(state, (0.0, decimals))
        found[state] = (mass + weight / total, decimals)
    return found


JointFactors = dict[int, tuple[tuple[int, ...], dict[State, float], float]]  # row position → (state columns, log factor by state, else)


Key = tuple[tuple[float | None, ...], tuple[int, ...]]  # a row's values in a group's sum columns, and their decimals


KeyEntry = tuple[Key, float, list[tuple[State, float, tuple[int, ...]]]]  # a key, its mass, its states (mass, decimals)


def _keys(group: SumGroup, states: dict[State, tuple[float, tuple[int, ...]]],
          settings: RepairSettings, limit: int | None = None) -> list[KeyEntry]:
    """A row's states grouped by what the sums read (their values in the sum columns), likeliest
    first: (key, mass, the states of that key with their mass and decimals)."""
    by_key: dict[Key, tuple[float, list[tuple[State, float, tuple[int, ...]]]]] = {}
    for state, (mass, decimals) in states.items():
        key = (tuple(state[column] for column in group.sums), tuple(decimals[column] for column in group.sums))
        total, members = by_key.get(key, (0.0, []))
        members.append((state, mass, decimals))
        by_key[key] = (total + mass, members)
    ranked = sorted(by_key.items(), key=lambda item: -item[1][0])
    return [(key, mass, members) for key, (mass, members) in ranked if mass >= settings.joint_min_mass][: settings.joint_states if limit is None else limit]


def _group_factors(group: SumGroup, states: Sequence[dict[State, tuple[float, tuple[int, ...]]]],
                   header: Sequence[HeaderColumn], settings: RepairSettings) -> dict[int, tuple[dict[State, float], float]] | None:
    """Log factors of each group row's states (and the factor of a state left out of the
    enumeration), or None when the group cannot be checked. Two stages: every configuration of the
    rows' sum-column values (keys) is checked for adding up; the configurations that add up exactly
    are expanded into the rows' full states (their rates) for the previous-level check."""
    import numpy as np

    members = (group.total, *group.parts)
    wide = [_keys(group, states[member], settings, settings.joint_search_states) for member in members]
    if any(not item for item in wide):
        return None
    try:
        return _searched_factors(group, members, wide, header, settings)
    except _Budget:
        pass  # too many partial sums fit: the full enumeration of the likeliest states
    kept = [_keys(group, states[member], settings) for member in members]
    while math.prod(len(item) for item in kept) > settings.joint_max_configs:
        longest = max(range(len(kept)), key=lambda position: len(kept[position]))
        if len(kept[longest]) <= 2:
            return None
        kept[longest] = kept[longest][:-1]
    shape = tuple(len(item) for item in kept)
    grid = np.indices(shape).reshape(len(shape), -1)
    mass = np.ones(grid.shape[1])
    for position, chosen in enumerate(kept):
        mass = mass * np.array([item[1] for item in chosen])[grid[position]]
    exact = np.ones(grid.shape[1], dtype=bool)
    near = np.ones(grid.shape[1], dtype=bool)
    checked = np.zeros(grid.shape[1], dtype=bool)
    for column in range(len(group.sums)):
        values = [np.array([math.nan if item[0][0][column] is None else item[0][0][column] for item in chosen]) for chosen in kept]
        halves = [np.array([0.5 * 10.0 ** -item[0][1][column] for item in chosen]) for chosen in kept]
        total = values[0][grid[0]]
        parts = sum(values[position][grid[position]] for position in range(1, len(kept)))
        tolerance = sum(halves[position][grid[position]] for position in range(len(kept)))
        defined = ~np.isnan(total) & ~np.isnan(parts)
        gap = np.abs(np.where(defined, total - parts, 0.0))
        checked |= defined
        exact &= ~defined | (gap <= tolerance + 1e-9)
        near &= ~defined | (gap <= 3 * tolerance + 1e-9)
    exact &= checked
    near &= checked & ~exact
    full = float(mass.sum())
    if full <= 0:
        return None
    ratio = _ratios(mass, full, exact, near, settings.sum_exact, settings.sum_near)
    if ratio is None:
        return None  # nothing adds up: the group tells nothing
    ratios, weight_miss = ratio
    prior = group.prior
    weights = prior * ratios + (1 - prior)
    weight_miss = prior * weight_miss + (1 - prior)
    # Per row and key: (mass before, mass after) over the configurations not expanded; per state:
    # the same over the expanded ones.
    before_key = [np.zeros(len(chosen)) for chosen in kept]
    after_key = [np.zeros(len(chosen)) for chosen in kept]
    plain, state_before, state_after = _expanded_states(group, kept, grid, np.flatnonzero(exact), header, settings, prior, ratios)
    joint = mass * weights
    total_after = float(joint[plain].sum()) + sum(state_after[0].values())
    for position in range(len(kept)):
        np.add.at(before_key[position], grid[position][plain], mass[plain])
        np.add.at(after_key[position], grid[position][plain], joint[plain])
    normal = total_after / full
    found: dict[int, tuple[dict[State, float], float]] = {}
    for position, (member, chosen) in enumerate(zip(members, kept)):
        factors: dict[State, float] = {}
        for key_index, (_key, key_mass, subs) in enumerate(chosen):
            for state, state_mass, _decimals in subs:
                before = float(before_key[position][key_index]) * state_mass / key_mass + state_before[position].get(state, 0.0)
                after = float(after_key[position][key_index]) * state_mass / key_mass + state_after[position].get(state, 0.0)
                if before > 0 and after > 0:
                    factors[state] = math.log(after / before / normal)
        found[member] = (factors, math.log(weight_miss / normal))
    return found


class _Budget(Exception):
    """The search for the configurations that add up visited more nodes than its budget."""


def _matches(group: SumGroup, kept: Sequence[Sequence[KeyEntry]], settings: RepairSettings) -> tuple[list[tuple[int, ...]], list[int]]:
    """Every configuration (one key per row: the total first, then its parts) whose parts add up to
    the total within three roundings in every sum column both define (at least one), and its tier
    (1: within the roundings, 2: near). Depth first over the parts, a branch cut when the rows left
    cannot bring the partial sum within reach of the total (their smallest and largest values);
    raises :class:`_Budget` past ``joint_search_nodes`` nodes."""
    columns = len(group.sums)
    rows = len(kept)
    values = [[entry[0][0] for entry in chosen] for chosen in kept]
    halves = [[tuple(0.5 * 10.0 ** -decimals for decimals in entry[0][1]) for entry in chosen] for chosen in kept]
    # Per position and column: bounds of the sum of the rows from there on (low, high, largest
    # roundings), or None when a state of them lacks the column (the column may die there).
    suffix: list[list[tuple[float, float, float] | None]] = [[(0.0, 0.0, 0.0)] * columns for _ in range(rows + 1)]
    for position in range(rows - 1, 0, -1):
        for column in range(columns):
            later = suffix[position + 1][column]
            cells = [value[column] for value in values[position]]
            if later is None or any(cell is None for cell in cells):
                suffix[position][column] = None
                continue
            defined = [float(cell) for cell in cells if cell is not None]
            suffix[position][column] = (later[0] + min(defined), later[1] + max(defined),
                                        later[2] + max(half[column] for half in halves[position]))
    found: list[tuple[int, ...]] = []
    tiers: list[int] = []
    nodes = 0

    def visit(total: tuple[float | None, ...], position: int, chosen: tuple[int, ...], sums: tuple[float, ...],
              tolerance: tuple[float, ...], alive: tuple[bool, ...]) -> None:
        nonlocal nodes
        if position == rows:
            gaps = [(abs((total[column] or 0.0) - sums[column]), tolerance[column]) for column in range(columns) if alive[column]]
            if gaps and all(gap <= 3 * allowed + 1e-9 for gap, allowed in gaps):
                found.append(chosen)
                tiers.append(1 if all(gap <= allowed + 1e-9 for gap, allowed in gaps) else 2)
            return
        for key, (value, half) in enumerate(zip(values[position], halves[position])):
            nodes += 1
            if nodes > settings.joint_search_nodes:
                raise _Budget
            now_alive = tuple(alive[column] and value[column] is not None for column in range(columns))
            if not any(now_alive):
                continue  # no column left to check: the configuration is no match
            now_sums = tuple(sums[column] + (value[column] or 0.0) for column in range(columns))
            now_tolerance = tuple(tolerance[column] + half[column] for column in range(columns))
            if any(_out_of_reach(total[column] or 0.0, now_sums[column], now_tolerance[column], suffix[position + 1][column])
                   for column in range(columns) if now_alive[column]):
                continue
            visit(total, position + 1, (*chosen, key), now_sums, now_tolerance, now_alive)

    for index, (total, half) in enumerate(zip(values[0], halves[0])):
        alive = tuple(cell is not None for cell in total)
        if any(alive):
            visit(total, 1, (index,), (0.0,) * columns, half, alive)
    return found, tiers


def _out_of_reach(total: float, partial: float, tolerance: float, rest: tuple[float, float, float] | None) -> bool:
    """Whether no choice of the rows left (their sum's bounds ``rest``) brings ``partial`` within three
    roundings of ``total``."""
    if rest is None:
        return False
    low, high, halves = rest
    allowed = 3 * (tolerance + halves) + 1e-9
    return total < partial + low - allowed or total > partial + high + allowed


def _searched_factors(group: SumGroup, members: Sequence[int], kept: Sequence[Sequence[KeyEntry]],
                      header: Sequence[HeaderColumn], settings: RepairSettings) -> dict[int, tuple[dict[State, float], float]] | None:
    """:func:`_group_factors` over the configurations that add up only (:func:`_matches`): every
    other configuration has the same likelihood ratio, so a row key's mass after the evidence is
    its mass times the others' (at that ratio) corrected by the matches it is in."""
    import numpy as np

    configs, tiers = _matches(group, kept, settings)
    if not configs:
        return None  # nothing adds up: the group tells nothing
    grid = np.array(configs, dtype=np.int64).T
    masses = [np.array([entry[1] for entry in chosen]) for chosen in kept]
    row_mass = [float(mass.sum()) for mass in masses]
    full = math.prod(row_mass)
    if full <= 0:
        return None
    mass = np.ones(grid.shape[1])
    for position in range(len(kept)):
        mass = mass * masses[position][grid[position]]
    tier = np.array(tiers)
    ratio = _ratios(mass, full, tier == 1, tier == 2, settings.sum_exact, settings.sum_near)
    if ratio is None:
        return None
    ratios, weight_miss = ratio
    prior = group.prior
    weights = prior * ratios + (1 - prior)
    weight_miss = prior * weight_miss + (1 - prior)
    plain, state_before, state_after = _expanded_states(group, kept, grid, np.flatnonzero(tier == 1), header, settings, prior, ratios)
    matched = float(mass.sum())
    total_after = weight_miss * (full - matched) + float((mass * weights)[plain].sum()) + sum(state_after[0].values())
    normal = total_after / full
    found: dict[int, tuple[dict[State, float], float]] = {}
    for position, (member, chosen) in enumerate(zip(members, kept)):
        others = full / row_mass[position]
        in_matches = np.zeros(len(chosen))
        in_plain = np.zeros(len(chosen))
        after_plain = np.zeros(len(chosen))
        np.add.at(in_matches, grid[position], mass)
        np.add.at(in_plain, grid[position][plain], mass[plain])
        np.add.at(after_plain, grid[position][plain], (mass * weights)[plain])
        # Over the configurations not expanded: before, every configuration of the key less the expanded
        # ones; after, the ones that do not add up at the miss's weight plus the matches at theirs.
        before_key = np.maximum(masses[position] * others - (in_matches - in_plain), 0.0)
        after_key = np.maximum(weight_miss * (before_key - in_plain), 0.0) + after_plain
        factors: dict[State, float] = {}
        for key_index, (_key, key_mass, subs) in enumerate(chosen):
            for state, state_mass, _decimals in subs:
                before = float(before_key[key_index]) * state_mass / key_mass + state_before[position].get(state, 0.0)
                after = float(after_key[key_index]) * state_mass / key_mass + state_after[position].get(state, 0.0)
                if before > 0 and after > 0:
                    factors[state] = math.log(after / before / normal)
        found[member] = (factors, math.log(weight_miss / normal))
    return found


def _expanded_states(group: SumGroup, kept: Sequence[Sequence[KeyEntry]], grid: NDArray[np.int64], chosen: NDArray[np.int64],
                     header: Sequence[HeaderColumn], settings: RepairSettings, prior: float, ratios: NDArray[np.float64],
                     ) -> tuple[NDArray[np.bool_], list[dict[State, float]], list[dict[State, float]]]:
    """The configurations ``chosen`` expanded to their rows' states (:func:`_expand`): which
    configurations stay plain, and per row and state the mass before and after the evidence."""
    import numpy as np

    state_before: list[dict[State, float]] = [{} for _ in kept]
    state_after: list[dict[State, float]] = [{} for _ in kept]
    expanded = _expand(group, kept, grid, chosen, header, settings)
    plain = np.ones(grid.shape[1], dtype=bool)
    if expanded is not None:
        configs, plain_masses, growth_masses = expanded
        plain[configs] = False
        for config, plain_rows, growth_rows in zip(configs.tolist(), plain_masses, growth_masses):
            for position in range(len(kept)):
                for state, state_mass in plain_rows[position].items():
                    state_before[position][state] = state_before[position].get(state, 0.0) + state_mass
                    state_after[position][state] = state_after[position].get(state, 0.0) + (
                        prior * float(ratios[config]) * growth_rows[position][state] + (1 - prior) * state_mass)
    return plain, state_before, state_after


def _ratios(mass: NDArray[np.float64], full: float, exact: NDArray[np.bool_], near: NDArray[np.bool_], rho_exact: float,
            rho_near: float) -> tuple[NDArray[np.float64], float] | None:
    """The likelihood ratio of each configuration (a sum group against chance): ``rho / q`` for the
    configurations that add up (exactly, or near), ``(1 − rho …) / (1 − q …)`` for the others, where
    q is the share of the mass (of ``full`` in all) that adds up by chance; None when none does."""
    import numpy as np

    if full <= 0:
        return None
    matched = float(mass[exact].sum() + mass[near].sum()) / full
    if matched == 0:
        return None
    # Chance spreads evenly over the bands (the near band is twice the exact one's width): the chance
    # of each band is a third and two thirds of the mass in both, so a config just outside the
    # exact band, when the exact band holds a likely config, gains nothing.
    q_exact, q_near = matched / 3, 2 * matched / 3
    rest = 1.0 - rho_exact - rho_near
    miss_share = 1.0 - matched
    miss = rest / miss_share if miss_share > 1e-12 else 1.0
    cap = SETTINGS.joint_ratio_cap
    ratios = np.where(exact, min(cap, rho_exact / q_exact), np.where(near, min(cap, rho_near / q_near), miss))
    return ratios, miss


Expanded = tuple["NDArray[np.int64]", list[list[dict[State, float]]], list[list[dict[State, float]]]]


def _expand(group: SumGroup, kept: Sequence[Sequence[KeyEntry]],
            grid: NDArray[np.int64], configs: NDArray[np.int64], header: Sequence[HeaderColumn],
            settings: RepairSettings) -> Expanded | None:
    """The configurations that add up exactly, expanded into the rows' full states and checked on
    their previous levels: a level L beside its year-on-year growth g (比上年增长（%）) implies last
    year's level L / (1 + g/100), and last year's parts add up to last year's total too, within
    the roundings of L and g (near: three roundings and 0.5 %, as last year's figures are revised).
    Returns (the configurations; per configuration and row, each state's mass; the same weighted
    by the check's likelihood ratio), or None when the group has no (level, growth) pair or too
    many states to expand."""
    import itertools

    import numpy as np

    from .score import _outcome_column

    pairs = [(index, index + 1) for index in group.sums
             if index + 1 < len(header) and header[index + 1].role == "change" and _outcome_column(header[index + 1])]
    if not pairs or configs.size == 0:
        return None
    expansions = []
    count = 0
    for config in configs.tolist():
        subs = [kept[position][grid[position][config]][2] for position in range(len(kept))]
        count += math.prod(len(item) for item in subs)
        if count > settings.joint_max_configs:
            return None
        expansions.append(subs)
    # Every full configuration: its mass, and whether last year's levels add up (exact, near).
    rows: list[tuple[int, tuple[tuple[State, float], ...], float, int]] = []
    for number, subs in enumerate(expansions):
        for combination in itertools.product(*subs):
            weight = math.prod(item[1] for item in combination)
            rows.append((number, tuple((item[0], item[1]) for item in combination), weight, _previous_adds_up(combination, pairs)))
    weights = np.array([weight for _, _, weight, _ in rows])
    tiers = np.array([tier for _, _, _, tier in rows])
    ratio = _ratios(weights, float(weights.sum()), tiers == 1, tiers == 2, settings.growth_sum_exact, settings.growth_sum_near)
    if ratio is None:
        return None
    ratios = ratio[0].tolist()
    per_config: list[list[dict[State, float]]] = [[{} for _ in kept] for _ in expansions]
    weighted: list[list[dict[State, float]]] = [[{} for _ in kept] for _ in expansions]
    for (number, combination, weight, _tier), row_ratio in zip(rows, ratios, strict=True):
        for position, (state, _mass) in enumerate(combination):
            per_config[number][position][state] = per_config[number][position].get(state, 0.0) + weight
            weighted[number][position][state] = weighted[number][position].get(state, 0.0) + weight * row_ratio
    return configs, per_config, weighted


def _previous_adds_up(combination: Sequence[tuple[State, float, tuple[int, ...]]], pairs: Sequence[tuple[int, int]]) -> int:
    """0: last year's levels do not add up; 1: within the roundings; 2: near (three roundings and 0.5 %)."""
    tier = 1
    for level, rate in pairs:
        previous = []
        allowed = 0.0
        for state, _mass, decimals in combination:
            value, growth = state[level], state[rate]
            if value is None or growth is None or 1 + growth / 100 <= 0:
                return 0
            factor = 1 + growth / 100
            previous.append(value / factor)
            allowed += 0.5 * 10.0 ** -decimals[level] / factor + abs(value) * 0.5 * 10.0 ** -decimals[rate] / 100 / factor**2
        gap = abs(previous[0] - sum(previous[1:]))
        if gap <= allowed + 1e-9:
            continue
        if gap <= 3 * allowed + 0.005 * abs(previous[0]) + 1e-9:
            tier = 2
            continue
        return 0
    return tier


def joint_factors(rows: Sequence[Row], columns: Sequence[HeaderColumn], readings: Sequence[Sequence[Reading]],
                  settings: RepairSettings = SETTINGS) -> JointFactors:
    """For each row position of a damaged statistical table: (the columns of its state, the log
    factor of each state, the log factor of any other state), from every sum group it is in
    (factors of several groups add: a total with two partitions)."""
    groups = sum_groups(rows, columns, settings)
    found: JointFactors = {}
    everything = tuple(range(len(columns)))
    for level, share in share_pairs(columns):
        every_row = [_states(item, everything) for item in readings]
        for member, (by_state, other) in _share_factors(every_row, level, share, settings).items():
            _merge(found, member, everything, by_state, other)
    for group in groups:
        states = {member: _states(readings[member], group.columns) for member in (group.total, *group.parts)}
        factors = _group_factors(group, [states.get(position, {}) for position in range(len(rows))], columns, settings)
        if factors is None:
            continue
        for member, (by_state, other) in factors.items():
            _merge(found, member, group.columns, by_state, other)
    return found


def _merge(found: JointFactors, member: int, columns: tuple[int, ...], by_state: dict[State, float], other: float) -> None:
    """Add one piece of evidence's log factors to a row's (every piece keys states by all columns)."""
    if member in found:
        _columns, old, old_other = found[member]
        merged = {state: old.get(state, old_other) + by_state.get(state, other) for state in set(old) | set(by_state)}
        found[member] = (columns, merged, old_other + other)
    else:
        found[member] = (columns, by_state, other)


def share_pairs(columns: Sequence[HeaderColumn]) -> list[tuple[int, int]]:
    """(level column, share column) pairs of a statistical table: a share in % without a year
    (占全部出口比重（%）) and the level before it (出口额（亿元）), its rate (比上年增长) between them."""
    pairs = []
    for index, column in enumerate(columns):
        if not _share(column):
            continue
        level = next((earlier for earlier in range(index - 1, -1, -1)
                      if columns[earlier].role in ("value", "base", "target", "actual") and not _share(columns[earlier])
                      and columns[earlier].unit != "%"), None)
        if level is not None:
            pairs.append((level, index))
    return pairs


def _share_factors(states: Sequence[dict[State, tuple[float, tuple[int, ...]]]], level: int, share: int,
                   settings: RepairSettings) -> dict[int, tuple[dict[State, float], float]]:
    """Shares that are each row's level over one common total (表13: 占全部出口比重 = 出口额 / 全部出口额):
    a latent total X, on a grid of log X. A state (L, S) whose S is 100·L/X rounded gains
    ``share_match / P0(S)`` over chance, P0(S) the chance of printing that S at all (one value of
    the 0–100 range at its decimals); a misprint keeps 1 − ``share_match``. The rows' evidence on X
    is pooled (leaving the row itself out), mixed with the prior ``share_prior`` that the column
    is such a ratio at all. Scale rivals (every level ×10, X ×10) fit alike: left to the priors."""
    import numpy as np

    step = settings.share_grid
    rows: list[tuple[int, list[tuple[State, float, float, float, float]]]] = []  # (row, [(state, mass, low, high, gain)])
    for position, found in enumerate(states):
        entries = []
        for state, (mass, decimals) in found.items():
            value, ratio = state[level], state[share]
            if value is None or ratio is None or value <= 0 or ratio <= 0 or ratio > 100:
                continue
            half = 0.5 * 10.0 ** -decimals[share]
            level_half = 0.5 * 10.0 ** -decimals[level]
            low = math.log(100 * max(value - level_half, 1e-12) / (ratio + half))
            high = math.log(100 * (value + level_half) / max(ratio - half, 1e-12))
            chance = 10.0 ** -decimals[share] / 100  # one printed value of 0–100
            entries.append((state, mass, low, high, settings.share_match / chance))
        if entries:
            rows.append((position, entries))
    if len(rows) < settings.share_rows:
        return {}
    lowest = min(entry[2] for _, entries in rows for entry in entries)
    highest = max(entry[3] for _, entries in rows for entry in entries)
    bins = int((highest - lowest) / step) + 2
    if bins > settings.share_max_bins:
        return {}
    logs = []
    fitted = []
    for _position, entries in rows:
        curve = np.zeros(bins + 1)
        for _state, mass, low, high, gain in entries:
            first, last = int((low - lowest) / step), int((high - lowest) / step) + 1
            curve[first] += mass * gain
            curve[last] -= mass * gain
        fit = np.cumsum(curve)[:bins] + (1 - settings.share_match)
        fitted.append(fit)
        logs.append(np.log(fit))
    pooled = np.sum(logs, axis=0)
    result: dict[int, tuple[dict[State, float], float]] = {}
    prior = settings.share_prior
    for index, (position, entries) in enumerate(rows):
        others = pooled - logs[index]
        weights = np.exp(others - others.max())
        weights = weights / weights.sum()
        expected = float((weights * fitted[index]).sum())  # the row's own fit, on average over X
        by_state: dict[State, float] = {}
        for state, _mass, low, high, gain in entries:
            first, last = int((low - lowest) / step), int((high - lowest) / step) + 1
            inside = float(weights[first:last].sum())
            ratio = (inside * gain + (1 - settings.share_match)) / expected
            by_state[state] = math.log(prior * ratio + (1 - prior))
        other = math.log(prior * (1 - settings.share_match) / expected + (1 - prior))
        result[position] = (by_state, other)
    return result


def adjusted(readings: Sequence[Reading], factor: tuple[tuple[int, ...], dict[State, float], float]) -> list[Reading]:
    """A row's readings with the joint evidence added: its log factor to each reading's arithmetic
    (the evidence of the rows' sums) and, at the softmax's temperature, to its score; best first."""
    columns, by_state, other = factor
    found = []
    for reading in readings:
        state = tuple(reading.cells[column].value if column < len(reading.cells) else None for column in columns)
        log = by_state.get(state, other)
        found.append(reading._replace(score=reading.score + TEMPERATURE * log, arithmetic=reading.arithmetic + log))
    found.sort(key=lambda reading: -reading.score)
    return found
