"""Stage ``prose``: give numbers in damaged prose their decimal point and ``%`` back, or flag them.

Text whose decimal points and percent signs were stripped (the damage stage says
``decimals_stripped``) prints ``比上年增长107`` for 10.7 % and ``国内生产总值2094万亿元`` for 20.94.
Every digit run of the body's paragraphs and prose boxes (专栏 of items, groups or text) is read here. Its *readings* are the ways to put back a
decimal point (at most :attr:`ProseSettings.max_decimals` places) and a ``%``, plus *as printed*
and *not one number* (digits of several numbers run together). Each reading gets a probability
from evidence:

- **context statistics** (``data/prose_numbers.yaml``): how numbers are printed after a verb
  (增长, 达到 …), for a subject (…率, 比重, 总值 …) and before a unit (万人, 亿元, 个百分点, none):
  how often with a ``%``, with how many decimals (and whether the last is a 0: a work report
  prints 15 %, a communiqué 15.0 %), at what order of magnitude. Counted on intact
  statistical communiqués, work reports and plans; a count of 万人 is whole, a growth rate is small;
- **the document's indicator tables**: a cell of the indicator named just before the number with
  exactly its digits (``研究与试验发展经费投入强度达到21`` and a table value 2.1);
- **the national priors** (``data/indicators.yaml``): an indicator of known kind named before the
  number, its national values a soft scale prior.

The statistics give each reading a probability, and the best one's is calibrated (isotonic maps
fitted by cross-fitting on the tuning documents); the priors then weigh the readings, and a table
cell of the same quantity is mixed in with the chance that the prose restates it.

A reading other than *as printed* whose confidence reaches :attr:`ProseSettings.restore_at` (or
:attr:`ProseSettings.restore_with_table_at` when the table gives it) is restored: a ``decimal`` or
``percent`` repair with its runner-ups, and the paragraph shows the restored number. A number
whose best reading falls short of its threshold (as printed: :attr:`ProseSettings.keep_at`) is
left as printed and named in a ``prose_number_unverified`` warning: ``{clause}{digits} ({best
readings with probabilities}) at {source offset}``. A run touching a removed page number is never
restored (its digits are uncertain). On text whose decimals are not stripped, nothing happens.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

import regex
import yaml

from . import models
from .document import Box, Damage, PagedText, Paragraph, Skeleton, TextEdit


@dataclass(frozen=True)
class ProseSettings:
    """Tunables of the prose stage (fitted on the tuning documents; see benchmarks/bench_prose.py)."""

    # A reading other than "as printed" is restored at or above this (calibrated) probability: the
    # lowest threshold whose cross-fitted precision on the tuning documents is ≥ 99 %
    # (tools/build_prose_numbers.py prints the curve) …
    restore_at: float = 0.98
    # A reading that the document's own indicator table gives is restored at the threshold of the
    # table's cells (repair.FLAG_THRESHOLD): prose and table then say the same, at the same confidence.
    restore_with_table_at: float = 0.8
    # … and "as printed" passes silently at or above this one; anything less is flagged.
    keep_at: float = 0.95
    max_decimals: int = 3
    # Characters before a number searched for its verb and subject (within its clause) …
    clause_chars: int = 24
    # … and for the indicator it belongs to (within its sentence).
    sentence_chars: int = 40
    # Use the national priors (data/indicators.yaml) of an indicator named before the number.
    national_prior: bool = True
    # How much a reading whose percent sign contradicts the priors' unit keeps of its odds.
    national_unit_mismatch: float = 0.1
    # Spread (in decades) of the national-value scale prior for intensive indicators.
    national_spread: float = 0.6
    # Indicator names shorter than this are not matched in prose (too many false hits).
    min_name_chars: int = 4
    # Document style (document_style): the share of one-digit bare numbers that bounds s0/s1/s2,
    # and how many bare numbers it takes to tell.
    style_bounds: tuple[float, float] = (0.03, 0.12)
    style_min_numbers: int = 12
    # Numbers named per warning message (more numbers: more warnings; every one is named).
    listed_per_warning: int = 100
    # Boxes whose body is prose (read like paragraphs); a table box's numbers are the tables stage's.
    box_kinds: tuple[str, ...] = ("list", "groups", "text")


SETTINGS = ProseSettings()

_CLAUSE_END = regex.compile(r"[，。；！？：,;!?]")
_DIGITS = regex.compile(r"\d+")


# ------------------------------------------------------------------ vocabulary and statistics


def _data(name: str) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the statistics are large
    return yaml.load((resources.files("planparse") / "data" / name).read_text(encoding="utf-8"), Loader=loader)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(regex.escape(word) for word in sorted(set(words), key=lambda word: (-len(word), word)))


@dataclass(frozen=True)
class Vocabulary:
    """The context words of ``data/prose_vocabulary.yaml``, compiled."""

    unit: Any  # regex: an optional qualifier, then a unit (longest first)
    follower: Any
    verb: Any
    verb_class: Mapping[str, str]
    subject: Any
    subject_class: Mapping[str, str]
    percent_followers: tuple[str, ...]
    adjacent: frozenset[str]  # verbs that count only right before the number


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = _data("prose_vocabulary.yaml")
    verbs = {word: kind for kind, words in data["verbs"].items() for word in words}
    subjects = {word: kind for kind, words in data["subjects"].items() for word in words}
    return Vocabulary(
        unit=regex.compile(f"(?:{_alternation(data['qualifiers'])})?({_alternation(str(u) for u in data['units'])})"),
        follower=regex.compile(f"(?:{_alternation(data['followers'])})"),
        verb=regex.compile(_alternation(verbs)),
        verb_class=verbs,
        subject=regex.compile(_alternation(subjects)),
        subject_class=subjects,
        percent_followers=tuple(data["percent_followers"]),
        adjacent=frozenset(word for kind in data["adjacent_verbs"] for word in data["verbs"][kind]),
    )


class NumberContext(NamedTuple):
    """What surrounds a number: the class of its subject and verb, and the word after it; and the
    document's style (see :func:`document_style`)."""

    subject: str  # a subject class of the vocabulary, or "-"
    verb: str  # a verb class, or "-"
    follow: str  # a unit word, "~" + a follower word, or a character class (punct, han, end …)
    unit: bool  # ``follow`` is a unit word
    style: str = "?"
    head: str = ""  # the two characters before the verb (or the number): 能耗 in 能耗下降

    def keys(self) -> tuple[str, ...]:
        """Context keys from the most specific to the most general (the back-off chain)."""
        group = "unit" if self.unit else self.follow
        return (
            f"{self.head}>{self.subject}/{self.verb}/{self.follow}",
            f"{self.style}|{self.subject}/{self.verb}/{self.follow}",
            f"{self.subject}/{self.verb}/{self.follow}",
            f"*/{self.verb}/{self.follow}",
            f"*/*/{self.follow}",
            f"*/*/{group}",
            "*/*/*",
        )


def _char_class(char: str) -> str:
    if not char:
        return "end"
    if char in "，。；！？：,;!?":
        return "punct"
    if char == "、":
        return "list"
    if char in "-—–~～/":
        return "dash"
    if char in "（(“《〔【‘":
        return "open"
    if char in "）)”》〕】’":
        return "close"
    if regex.match(r"\p{Han}", char):
        return "han"
    return "other"


def _last_word(
    pattern: Any, clause: str, covered: Sequence[tuple[int, int]] = (), adjacent: frozenset[str] = frozenset()
) -> tuple[str, int, int] | None:
    """The vocabulary word ending nearest the clause's end (longest among those), skipping words
    inside a ``covered`` span (a verb inside a subject word: 增加 in 增加值) and ``adjacent`` words
    that do not end right before the number (第 of 第三产业 is no ordinal of 534233)."""
    best: tuple[int, int, str, int] | None = None
    for match in pattern.finditer(clause, overlapped=True):
        start, end = match.span()
        if any(s <= start and end <= e and (s, e) != (start, end) for s, e in covered):
            continue
        if end != len(clause) and match.group() in adjacent:
            continue
        key = (end, end - start, match.group(), start)
        if best is None or key[:2] > best[:2]:
            best = key
    return (best[2], best[3], best[0]) if best else None


def _share_suffix(clause: str) -> tuple[str, int, int] | None:
    """A word ending in 率 (城镇化率, 覆盖率): a share unless the vocabulary says otherwise."""
    at = clause.rfind("率")
    return ("率", at, at + 1) if at >= 0 else None


def clause_before(text: str, start: int, settings: ProseSettings = SETTINGS) -> str:
    """The characters before ``start`` back to the clause's start (at most ``clause_chars``)."""
    window = text[max(0, start - settings.clause_chars) : start]
    ends = [match.end() for match in _CLAUSE_END.finditer(window)]
    return window[ends[-1] :] if ends else window


_SENTENCE_END = regex.compile(r"[。；！？;!?]")


def sentence_before(text: str, start: int, settings: ProseSettings = SETTINGS) -> str:
    """The characters before ``start`` back to the sentence's start (at most ``sentence_chars``):
    where the indicator a number belongs to is named (地区生产总值4521亿元，比上年增长61)."""
    window = text[max(0, start - settings.sentence_chars) : start]
    ends = [match.end() for match in _SENTENCE_END.finditer(window)]
    return window[ends[-1] :] if ends else window


def context_of(text: str, start: int, end: int, settings: ProseSettings = SETTINGS) -> NumberContext:
    """The context of the number ``text[start:end]`` (see :class:`NumberContext`)."""
    vocab = vocabulary()
    unit = vocab.unit.match(text, end)
    if unit:
        follow, is_unit = unit.group(1), True
    else:
        follower = vocab.follower.match(text, end)
        follow = "~" + follower.group() if follower else _char_class(text[end : end + 1])
        is_unit = False
    clause = clause_before(text, start, settings)
    subject = _last_word(vocab.subject, clause) or _share_suffix(clause)
    covered = [(subject[1], subject[2])] if subject else []
    verb = _last_word(vocab.verb, clause, covered, vocab.adjacent)
    subject_class = vocab.subject_class.get(subject[0], "share") if subject else "-"
    verb_class = vocab.verb_class[verb[0]] if verb else "-"
    before = clause[: verb[1]] if verb else clause
    return NumberContext(subject_class, verb_class, follow, is_unit, head=_DIGITS.sub("#", before[-2:]))


def document_style(contexts: Iterable[tuple[str, NumberContext]], settings: ProseSettings = SETTINGS) -> str:
    """How often the document prints a bare one-digit number where a percentage stands (``增长8，``
    can only be 8 %: a damaged 0.8 % keeps its zero): "s0" rarely (a communiqué printing every rate
    with a decimal), "s1" sometimes, "s2" often (a work report's round targets), "?" too few to tell.
    The same document's numbers are the evidence of how it prints the ambiguous ones."""
    followers = frozenset(vocabulary().percent_followers)
    lengths = [len(digits) for digits, context in contexts if not context.unit and context.follow in followers]
    if len(lengths) < settings.style_min_numbers:
        return "?"
    share = sum(1 for length in lengths if length == 1) / len(lengths)
    low, high = settings.style_bounds
    return "s0" if share < low else ("s1" if share < high else "s2")


# ------------------------------------------------------------------ readings and their scores


class Reading(NamedTuple):
    decimals: int  # -1: not one number (digits of several numbers run together)
    percent: bool
    value: float | None
    shown: str

    @property
    def as_printed(self) -> bool:
        return self.decimals == 0 and not self.percent


_GROUP_BEFORE = regex.compile(r"\d[，,]$")
_GROUP_AFTER = regex.compile(r"[，,]\d{3}(?!\d)")
_FULL_WIDTH_GROUP = regex.compile(r"\d，\d{3}(?!\d)")
_FULL_WIDTH_GROUPS_SHOWN = 3


def digit_group(text: str, start: int, end: int, full_width: bool = True) -> str | None:
    """Where a run is a piece of a number grouped by thousands (``3，060亿元``, ``12,026``): "lead"
    for the groups before the last one, "group" for a last group of exactly three digits (a last
    group with more digits may be a lost decimal, ``1，2345``, or a new number, ``7，1990年``).
    ``full_width``: the document groups digits with ``，`` too (:func:`groups_with_full_width_commas`)."""
    before = _GROUP_BEFORE.search(text, max(0, start - 2), start)
    if before is not None and (full_width or before.group().endswith(",")):
        return "group" if end - start == 3 else None
    after = _GROUP_AFTER.match(text, end) if end - start <= 3 else None
    if after is not None and (full_width or after.group().startswith(",")):
        return "lead"
    return None


def groups_with_full_width_commas(text: str) -> bool:
    """Does the document group digits by thousands with a full-width comma (the 1980s
    communiqués and plans: ``2，031元``, ``1，205．5万吨``)? A habit shows in many numbers, while
    a stripped rate before a clause's three-digit number (``增长305，365所`` is 30.5%，365所, not
    305,365) happens once in a document at most: in the corpus's 112 damaged documents, the five
    that group print 10 to 107 such groups, the others 0 or 1."""
    return len(_FULL_WIDTH_GROUP.findall(text)) >= _FULL_WIDTH_GROUPS_SHOWN


def readings(digits: str, context: NumberContext, settings: ProseSettings = SETTINGS, group: str | None = None) -> list[Reading]:
    """Every reading of a digit run: decimal points (no leading zero but ``0.5``), ``%`` where no
    unit follows, and *not one number*. A thousands group (see :func:`digit_group`) is read as
    printed, and the tail of a grouped number keeps its first three digits whole."""
    if group in ("lead", "group"):
        return [Reading(0, False, float(digits), digits)]
    found = []
    length = len(digits)
    percent_options = (False,) if context.unit else (False, True)
    for decimals in range(0, min(settings.max_decimals, length - 1) + 1):
        whole = digits[: length - decimals]
        if len(whole) > 1 and whole[0] == "0" and group is None:
            continue
        shown = f"{whole}.{digits[length - decimals:]}" if decimals else whole
        if decimals and float(shown) == 0.0:
            continue  # 000 is no 0.00
        for percent in percent_options:
            found.append(Reading(decimals, percent, float(shown), shown + ("%" if percent else "")))
    found.append(Reading(-1, False, None, digits))
    return found


def magnitude_bin(value: float, width: float) -> int:
    """The order-of-magnitude bin of a value (bins ``width`` decades wide; 0 has its own)."""
    if value <= 0:
        return -99
    return max(-12, min(30, math.floor(math.log10(value) / width)))


def length_bin(length: int) -> int:
    return min(length, 12)


def trailing_zero(reading: Reading, digits: str) -> bool:
    """A decimal reading whose last decimal is 0 (``15.0%``, ``2.30``): printed by some styles
    (a communiqué's one decimal everywhere), hardly by others (a work report prints 15%)."""
    return reading.decimals > 0 and digits.endswith("0")


def outcome(reading: Reading, digits: str, width: float) -> str:
    """The statistics' outcome code of a reading: ``percent:decimals:bin`` (decimals ``1z`` …
    when the last decimal is 0, see :func:`trailing_zero`) or ``x:length``."""
    if reading.decimals < 0:
        return f"x:{length_bin(len(digits))}"
    assert reading.value is not None
    zero = "z" if trailing_zero(reading, digits) else ""
    return f"{int(reading.percent)}:{reading.decimals}{zero}:{magnitude_bin(reading.value, width)}"


@dataclass(frozen=True)
class Statistics:
    """Counts of outcomes per context key (``data/prose_numbers.yaml``) and the fitted smoothing."""

    counts: Mapping[str, Mapping[str, int]]
    totals: Mapping[str, int]
    width: float  # magnitude bin width in decades
    smoothing: tuple[float, ...]  # per level of the back-off chain (most specific first): the
    # pseudo-counts a key borrows from the next, more general one
    temperature: float  # probabilities are sharpened or softened by this (fitted)
    outcomes: int  # size of the outcome space (for the uniform floor)
    calibration: Mapping[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)

    @classmethod
    def from_counts(
        cls,
        counts: Mapping[str, Mapping[str, int]],
        width: float,
        smoothing: tuple[float, ...],
        temperature: float,
        calibration: Mapping[str, tuple[tuple[float, float], ...]] | None = None,
    ) -> Statistics:
        return cls(
            counts=counts,
            totals={key: sum(values.values()) for key, values in counts.items()},
            width=width,
            smoothing=smoothing,
            temperature=temperature,
            outcomes=2 * 7 * 44 + 12,  # percent × decimals (0; 1–3 with or without a last 0) × bins, + lengths
            calibration=calibration or {},
        )

    def probability(self, keys: Sequence[str], code: str) -> float:
        """P(outcome | most specific key), smoothed down the back-off chain to a uniform floor."""
        probability = 1.0 / self.outcomes
        last = len(keys) - 1
        for level in range(last, -1, -1):
            key = keys[level]
            total = self.totals.get(key, 0)
            if total:
                alpha = self.smoothing[level]
                probability = (self.counts[key].get(code, 0) + alpha * probability) / (total + alpha)
        return probability


@lru_cache(maxsize=1)
def statistics() -> Statistics:
    data = _data("prose_numbers.yaml")
    counts = {key: {str(code): int(n) for code, n in values.items()} for key, values in data["counts"].items()}
    smoothing = tuple(float(alpha) for alpha in data["smoothing"])
    calibration = {
        str(kind): tuple((float(raw), float(calibrated)) for raw, calibrated in knots)
        for kind, knots in (data.get("calibration") or {}).items()
    }
    return Statistics.from_counts(
        counts, float(data["bin_width"]), smoothing, float(data["temperature"]), calibration
    )


def decision_kind(reading: Reading) -> str:
    """keep (as printed), restore (a decimal point or %) or other (not one number)."""
    if reading.decimals < 0:
        return "other"
    return "keep" if reading.as_printed else "restore"


def apply_calibration(calibration: Mapping[str, Sequence[tuple[float, float]]], best: Reading, probability: float) -> float:
    """The calibrated confidence of a best reading: its raw probability mapped through the
    (raw, calibrated) knots of its decision kind, linearly between knots, flat beyond them."""
    knots = calibration.get(decision_kind(best))
    if not knots:
        return probability
    if probability <= knots[0][0]:
        return knots[0][1]
    for (x0, y0), (x1, y1) in zip(knots, knots[1:]):
        if probability <= x1:
            return y0 + (y1 - y0) * (probability - x0) / (x1 - x0) if x1 > x0 else y1
    return knots[-1][1]


def log_likelihood(reading: Reading, digits: str, keys: Sequence[str], stats: Statistics) -> float:
    """log P(these digits, read this way | context). A reading's outcome covers a magnitude bin:
    the digits are one of the ``N ln10 width`` values of that bin on its decimal lattice, ``N`` the
    digits' integer (the same for every reading, so only the outcome decides between readings);
    a decimal reading's outcome holds the tenth of them whose last decimal is 0, or the other nine
    tenths; *not one number* spreads over all digit strings of that length."""
    code = outcome(reading, digits, stats.width)
    probability = stats.probability(keys, code)
    if reading.decimals < 0:
        spread = math.log(9.0) + (len(digits) - 1) * math.log(10.0)
    else:
        spread = math.log(max(int(digits), 1) * math.log(10.0) * stats.width)
        if reading.decimals > 0:
            spread += math.log(0.1) if trailing_zero(reading, digits) else math.log(0.9)
    return math.log(probability) - spread


def posterior(scores: Sequence[float], temperature: float) -> list[float]:
    top = max(scores)
    weights = [math.exp((score - top) / temperature) for score in scores]
    total = sum(weights)
    return [weight / total for weight in weights]


# ------------------------------------------------------------------ evidence from the document


@dataclass(frozen=True)
class _Name:
    """An indicator named in the document (table rows) or in the national priors."""

    name: str
    rows: tuple[models.Indicator, ...]
    prior: Mapping[str, Any] | None


@dataclass(frozen=True)
class _Names:
    pattern: Any
    table: Mapping[str, tuple[models.Indicator, ...]]
    national: Mapping[str, Mapping[str, Any]]


def _names(indicators: Sequence[models.Indicator], settings: ProseSettings) -> _Names | None:
    from .repair import lookup, priors

    table: dict[str, list[models.Indicator]] = {}
    for indicator in indicators:
        for name in {indicator.indicator, indicator.indicator_raw}:
            if len(name) >= settings.min_name_chars:
                table.setdefault(name, []).append(indicator)
    national: dict[str, Mapping[str, Any]] = {}
    for entry in priors()["indicators"]:
        for name in (entry["name"], *(entry.get("aliases") or [])):
            if len(name) >= settings.min_name_chars:
                national.setdefault(name, entry)
    for name in table:
        entry = lookup(name)
        if entry is not None:
            national.setdefault(name, entry)
    words = set(table) | set(national)
    if not words:
        return None
    return _Names(regex.compile(_alternation(words)), {k: tuple(v) for k, v in table.items()}, national)


def _named(names: _Names | None, clause: str) -> _Name | None:
    """The indicator named nearest before the number in its sentence."""
    if names is None or not clause:
        return None
    found = _last_word(names.pattern, clause)
    if found is None:
        return None
    word = found[0]
    return _Name(word, names.table.get(word, ()), names.national.get(word))


def _table_readings(options: Sequence[Reading], named: _Name, verb: str) -> tuple[list[float], int] | None:
    """The document's own table on a number: the readings that a cell of the named indicator gives
    these digits (its value and its runner-ups, with their probabilities), and how many cells were
    compared. A cell is compared when its column fits the verb (change columns for a growth verb,
    levels otherwise). None when no cell has these digits."""
    best: list[float] | None = None
    cells = 0
    for row in named.rows:
        for cell in row.cells:
            if cell.value is None:
                continue
            is_change = any(word in cell.column for word in ("增", "累计", "降"))
            if (verb == "growth") != is_change:
                continue
            cells += 1
            percent = row.unit == "%" or (is_change and not cell.cumulative)
            values = [(cell.value, cell.confidence), *((alt.value, alt.score) for alt in cell.alternatives if alt.value is not None)]
            masses = [0.0] * len(options)
            for value, mass in values:
                for index, reading in enumerate(options):
                    if reading.value == value and (reading.percent == percent or not any(o.percent for o in options)):
                        masses[index] += mass
                        break
            # A cell's value and a runner-up can be the same reading (8 and 8 [cumulative]), and
            # a cell's alternatives are scores, not shares of its confidence: the masses are a
            # distribution over the readings only once they sum to at most 1.
            total = sum(masses)
            if total > 1.0:
                masses = [mass / total for mass in masses]
            if max(masses) > 0 and (best is None or max(masses) > max(best)):
                best = masses
    return (best, cells) if best is not None else None


def _national_factor(reading: Reading, named: _Name, verb: str, settings: ProseSettings) -> float:
    """A soft scale prior from the national values of an indicator: its growth rates for a growth
    verb, its levels when it is intensive (a share, a rate, a per-capita value); and its unit (a
    share or a growth rate is printed with ``%``)."""
    entry = named.prior
    if entry is None or reading.value is None or not settings.national_prior:
        return 1.0
    factor = 1.0
    # A share is printed with %, and so is the growth rate of a level (whatever the level's unit);
    # a ratio (a coefficient such as 0.53) and its changes are not.
    percent = entry.get("unit") == "%" or (verb == "growth" and entry.get("kind") != "ratio")
    if percent != reading.percent:
        factor *= settings.national_unit_mismatch
    if verb != "growth" and not entry.get("intensive"):
        return factor  # an extensive level scales with the region: the national value says nothing
    fields = ("growth",) if verb == "growth" else ("base", "target")
    references = [
        float(period[field])
        for period in (entry.get("national") or {}).values()
        for field in fields
        if isinstance(period.get(field), (int, float)) and period[field] > 0
    ]
    if not references or reading.value <= 0:
        return factor
    distance = min(abs(math.log10(reading.value / reference)) for reference in references)
    return factor * (0.2 + math.exp(-0.5 * (distance / settings.national_spread) ** 2))


# ------------------------------------------------------------------ the stage


@dataclass(frozen=True)
class NumberReading:
    """The stage's judgement of one digit run of the prose (clean coordinates)."""

    start: int
    end: int
    digits: str
    context: NumberContext
    readings: tuple[tuple[Reading, float], ...]  # best first, calibrated: the best's probability is its
    # calibrated confidence, the runner-ups share the rest in proportion
    table: bool = False  # the best reading is the one the document's indicator table gives

    @property
    def best(self) -> tuple[Reading, float]:
        return self.readings[0]


@dataclass(frozen=True)
class ProseResult:
    edits: tuple[TextEdit, ...]
    repairs: tuple[models.Repair, ...]
    warnings: tuple[models.RecordWarning, ...]
    numbers: tuple[NumberReading, ...] = ()


def read_number(
    text: str,
    start: int,
    end: int,
    *,
    names: _Names | None = None,
    stats: Statistics | None = None,
    context: NumberContext | None = None,
    settings: ProseSettings = SETTINGS,
    full_width_groups: bool = True,
) -> NumberReading:
    """All readings of the digit run ``text[start:end]`` with their probabilities
    (``full_width_groups``: see :func:`digit_group`)."""
    stats = stats or statistics()
    digits = text[start:end]
    context = context or context_of(text, start, end, settings)
    keys = context.keys()
    options = readings(digits, context, settings, digit_group(text, start, end, full_width_groups))
    scores = [log_likelihood(reading, digits, keys, stats) for reading in options]
    probabilities = _calibrated(options, posterior(scores, stats.temperature), stats)
    named = _named(names, sentence_before(text, start, settings))
    supported = False
    if named is not None:
        weights = [p * _national_factor(reading, named, context.verb, settings) for reading, p in zip(options, probabilities)]
        total = sum(weights)
        probabilities = [weight / total for weight in weights]
        table = _table_readings(options, named, context.verb)
        if table is not None:
            masses, cells = table
            # The prose restates its table: unless its digits match a cell by coincidence (one
            # chance in 9·10^(n-1) per cell compared), it is the cell's quantity.
            same = 1.0 - min(0.5, cells / (9.0 * 10 ** (len(digits) - 1)))
            spare = max(0.0, 1.0 - sum(masses))
            probabilities = [same * (mass + spare * p) + (1.0 - same) * p for mass, p in zip(masses, probabilities)]
            supported = max(range(len(options)), key=lambda index: probabilities[index]) == max(
                range(len(options)), key=lambda index: masses[index]
            )
    ranked = sorted(zip(options, probabilities), key=lambda pair: (-pair[1], pair[0].decimals, pair[0].percent))
    return NumberReading(start, end, digits, context, tuple(ranked), supported)


def _calibrated(options: Sequence[Reading], probabilities: Sequence[float], stats: Statistics) -> list[float]:
    """The model's probabilities with the best one calibrated (the others share the rest)."""
    best = max(range(len(options)), key=lambda index: (probabilities[index], -options[index].decimals))
    raw = probabilities[best]
    confidence = apply_calibration(stats.calibration, options[best], raw)
    rest = (1.0 - confidence) / (1.0 - raw) if raw < 1.0 else 0.0
    return [confidence if index == best else p * rest for index, p in enumerate(probabilities)]


def _paragraphs(skeleton: Skeleton, paged: PagedText, settings: ProseSettings = SETTINGS) -> list[Paragraph]:
    """The prose the stage reads, in text order: every paragraph (preamble, parts, chapters,
    sections) and the body of every box of a prose kind (its items, groups and notes are pieces of
    it), each as a span of the clean text."""
    found = list(skeleton.preamble)
    for paragraphs in skeleton.part_paragraphs:
        found.extend(paragraphs)
    for chapter in skeleton.chapters:
        found.extend(chapter.paragraphs)
        for section in chapter.sections:
            found.extend(section.paragraphs)
    for box in skeleton.boxes:
        if box.kind in settings.box_kinds:
            found.extend(_box_prose(box, paged))
    found.sort(key=lambda paragraph: (paragraph.start, paragraph.end))
    kept: list[Paragraph] = []
    for paragraph in found:  # a span read once, even if two lists hold it
        if not kept or paragraph.start >= kept[-1].end:
            kept.append(paragraph)
    return kept


def _box_prose(box: Box, paged: PagedText) -> list[Paragraph]:
    """A box's prose as spans of the clean text: its body (which runs to the box's end, notes
    included); for a numbered list, its items and what follows them, not the numbers of the list
    (``…；10沈阳…`` numbers an item, it is no quantity)."""
    text = paged.text
    start = box.end - len(box.text)
    if not box.text or text[start : box.end] != box.text:
        return []
    if box.kind != "list" or not box.items:
        return [Paragraph(box.text, start, box.end, box.page, None)]
    spans = []
    for offset, item in zip(box.item_offsets, box.items, strict=False):
        if text[offset : offset + len(item)] == item:
            spans.append(Paragraph(item, offset, offset + len(item), box.page, None))
    after = max((span.end for span in spans), default=start)
    after = min(box.end, after + 1) if text[after : after + 1] in ("。", "；", ";") else after
    if after < box.end:
        spans.append(Paragraph(text[after : box.end], after, box.end, box.page, None))
    return spans


def _runs(paragraph: Paragraph, paged: PagedText) -> Iterator[tuple[int, int]]:
    """Digit runs of a paragraph in clean coordinates (none that the tokens stage inserted)."""
    inserted = [(at, at + len(text)) for at, text in paged.insertions]
    for match in _DIGITS.finditer(paragraph.text):
        start, end = paragraph.start + match.start(), paragraph.start + match.end()
        if not any(s < end and start < e for s, e in inserted):
            yield start, end


def _page_cuts(paged: PagedText) -> frozenset[int]:
    """Normalized offsets next to a removed page number: a digit run starting or ending there had
    digits of it taken for a page number (``3|08亿元``), so its own digits are not certain."""
    found: set[int] = set()
    text = paged.normalized.text
    for marker in paged.markers:
        start, end = marker.offset, marker.offset + marker.length
        found.update((start, end))
        if text[end : end + 1] in ("，", ","):  # 2|，016: the page took a thousands group's lead
            found.add(end + 1)
    return frozenset(found)


def _touches_page(start: int, end: int, paged: PagedText, cuts: frozenset[int]) -> bool:
    """Whether a page number was removed at the run's edge (``3|08亿元``) or inside it (``6|19|2``:
    the clean run 62 is not one span of the source)."""
    if not cuts:
        return False
    first, last = paged.to_normalized(start), paged.to_normalized(end - 1) + 1
    return first in cuts or last in cuts or last - first != end - start


def _alternatives(number: NumberReading, chosen: Reading) -> list[models.Alternative]:
    return [
        models.Alternative(value=reading.value, text=reading.shown if reading.decimals >= 0 else "not one number", score=round(p, 4))
        for reading, p in number.readings
        if reading != chosen
    ][:3]


def _describe(number: NumberReading, text: str, settings: ProseSettings) -> str:
    clause = clause_before(text, number.start, settings)[-6:]
    options = ", ".join(
        f"{reading.shown if reading.decimals >= 0 else 'not one number'} {p:.2f}" for reading, p in number.readings[:3]
    )
    return f"{clause}{number.digits} ({options})"


def repair_prose(
    skeleton: Skeleton,
    paged: PagedText,
    indicators: Sequence[models.Indicator],
    damage: Damage | None = None,
    settings: ProseSettings = SETTINGS,
) -> ProseResult:
    """Restore or flag every number of the body's paragraphs, where decimals were stripped."""
    if damage is None or not damage.has("decimals_stripped"):
        return ProseResult((), (), ())  # do no harm: intact text keeps every digit as printed
    names = _names(indicators, settings)
    stats = statistics()
    text = paged.text
    edits: list[TextEdit] = []
    repairs: list[models.Repair] = []
    flagged: dict[int | None, list[tuple[NumberReading, int]]] = {}
    numbers: list[NumberReading] = []
    runs = [(paragraph, start, end) for paragraph in _paragraphs(skeleton, paged, settings) for start, end in _runs(paragraph, paged)]
    contexts = [context_of(text, start, end, settings) for _, start, end in runs]
    style = document_style(((text[start:end], context) for (_, start, end), context in zip(runs, contexts)), settings)
    cuts = _page_cuts(paged)
    full_width_groups = groups_with_full_width_commas(text)
    for (paragraph, start, end), context in zip(runs, contexts):
        number = read_number(text, start, end, names=names, stats=stats, context=context._replace(style=style), settings=settings,
                             full_width_groups=full_width_groups)
        numbers.append(number)
        reading, probability = number.best
        if reading.as_printed and probability >= settings.keep_at and not _touches_page(start, end, paged, cuts):
            continue
        threshold = settings.restore_with_table_at if number.table else settings.restore_at
        if decision_kind(reading) == "restore" and probability >= threshold and not _touches_page(start, end, paged, cuts):
            edits.append(TextEdit(start, end, reading.shown))
            repairs.append(_repair(number, paragraph, paged, settings))
            continue
        flagged.setdefault(paragraph.page, []).append((number, paged.source_offset(start)))
    warnings = [warning for page, found in flagged.items() for warning in _unverified(page, found, text, settings)]
    return ProseResult(tuple(sorted(edits, key=lambda edit: edit.start)), tuple(repairs), tuple(warnings), tuple(numbers))


def _repair(number: NumberReading, paragraph: Paragraph, paged: PagedText, settings: ProseSettings) -> models.Repair:
    reading, probability = number.best
    text = paged.text
    return models.Repair(
        kind="decimal" if reading.decimals else "percent",
        page=paragraph.page,
        offset=paged.source_offset(number.start),
        before=number.digits,
        after=reading.shown,
        confidence=round(probability, 4),
        context=clause_before(text, number.start, settings)[-12:] + text[number.start : min(len(text), number.end + 4)],
        alternatives=_alternatives(number, reading),
    )


def _unverified(page: int | None, found: list[tuple[NumberReading, int]], text: str, settings: ProseSettings) -> list[models.RecordWarning]:
    """Warnings naming every number of a page left as printed although it may be damaged (one
    warning per ``listed_per_warning`` numbers, so no message grows without bound)."""
    size = settings.listed_per_warning
    chunks = [found[at : at + size] for at in range(0, len(found), size)]
    warnings = []
    for index, chunk in enumerate(chunks, start=1):
        part = f" (part {index} of {len(chunks)})" if len(chunks) > 1 else ""
        listed = "; ".join(f"{_describe(number, text, settings)} at {offset}" for number, offset in chunk)
        warnings.append(
            models.RecordWarning(
                code="prose_number_unverified",
                message=f"{len(found)} numbers in the prose may have lost a decimal point or % and are left as printed{part}: {listed}",
                page=page,
            ).at(text=[number.start for number, _ in chunk])
        )
    return warnings
