"""The tables stage's soft lexicon (``data/tables_vocabulary.yaml``), loaded once, with typed accessors.

Every word list here is a prior: parsers consult it to prefer one reading over another, and fall
back to a generic reading when a word is unknown.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import regex
import yaml


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    text = (resources.files("planparse") / "data" / "tables_vocabulary.yaml").read_text(encoding="utf-8")
    found: dict[str, Any] = yaml.safe_load(text)
    return found


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted({str(word) for word in words}, key=len, reverse=True))


@lru_cache(maxsize=1)
def categories() -> tuple[str, ...]:
    return _longest_first(vocabulary()["categories"])


@lru_cache(maxsize=1)
def attributes() -> tuple[str, ...]:
    return _longest_first(vocabulary()["attributes"])


@lru_cache(maxsize=1)
def header_groups() -> tuple[str, ...]:
    return _longest_first(vocabulary()["header_groups"])


@lru_cache(maxsize=1)
def units() -> tuple[str, ...]:
    return _longest_first(vocabulary()["units"])


@lru_cache(maxsize=1)
def notes() -> tuple[str, ...]:
    return _longest_first(vocabulary()["notes"])


@lru_cache(maxsize=1)
def name_digit_followers() -> tuple[str, ...]:
    return _longest_first(vocabulary()["name_digit_followers"])


@lru_cache(maxsize=1)
def note_endings() -> tuple[str, ...]:
    return _longest_first(vocabulary()["note_endings"])


@lru_cache(maxsize=64)
def is_share_label(label: str) -> bool:
    """A label of a share of a whole (比重, 占比; 占全部出口比重): its cells are percentages."""
    bare = regex.sub(r"[（(][^（）()]*[）)]", "", label)
    return bare in vocabulary().get("share_words", []) or bool(share_pattern().fullmatch(bare))


@lru_cache(maxsize=1)
def increment_words() -> tuple[str, ...]:
    return _longest_first(vocabulary().get("increment_words", []))


@lru_cache(maxsize=1)
def name_digit_not_followers() -> tuple[str, ...]:
    """Words that begin with a measure word of :func:`name_digit_followers` yet open a name (批发和零售业)."""
    return _longest_first(vocabulary().get("name_digit_not_followers", []))


@lru_cache(maxsize=1)
def name_digit_strict() -> tuple[str, ...]:
    return _longest_first(vocabulary()["name_digit_strict"])


@lru_cache(maxsize=1)
def plan_periods() -> dict[str, tuple[int, int]]:
    return {str(name): (int(years[0]), int(years[1])) for name, years in vocabulary()["periods"].items()}


@lru_cache(maxsize=1)
def word_cells() -> regex.Pattern[str]:
    """One pattern for every word cell (longest first) and then every number-with-word pattern."""
    vocab = vocabulary()
    words = _longest_first(vocab["word_cells"])
    alternatives = [regex.escape(word) for word in words] + [f"(?:{pattern})" for pattern in vocab["word_cell_patterns"]]
    return regex.compile("|".join(alternatives))


@lru_cache(maxsize=1)
def word_cells_list() -> tuple[str, ...]:
    return _longest_first(vocabulary()["word_cells"])


def word_at(text: str, position: int, end: int | None = None) -> str | None:
    """The lexicon word cell that starts at ``position``, if any."""
    match = word_cells().match(text, position, end if end is not None else len(text))
    return match.group() if match else None


@lru_cache(maxsize=1)
def label_words() -> tuple[tuple[str, str], ...]:
    """(label, role) of every header label word, longest first."""
    pairs = [(str(word), role) for role, words in vocabulary()["header_labels"].items() for word in words]
    return tuple(sorted(pairs, key=lambda pair: len(pair[0]), reverse=True))


@lru_cache(maxsize=1)
def year_suffixes() -> tuple[tuple[str, str], ...]:
    pairs = [(str(word), role) for role, words in vocabulary()["year_suffixes"].items() for word in words]
    return tuple(sorted(pairs, key=lambda pair: len(pair[0]), reverse=True))


def _alternation(words: list[str]) -> str:
    return "|".join(regex.escape(str(word)) for word in _longest_first(words))


@lru_cache(maxsize=1)
def growth_pattern() -> regex.Pattern[str]:
    """A growth label: (prefix)? word (suffix)? ([累计])?; groups ``annual``, ``cum_prefix``, ``cum``."""
    growth = vocabulary()["growth"]
    return regex.compile(
        rf"(?:(?P<annual>{_alternation(growth['annual_prefixes'])})|(?P<cum_prefix>{_alternation(growth['cumulative_prefixes'])}))?"
        rf"(?:{_alternation(growth['words'])})(?:{_alternation(growth['suffixes'])})?"
        rf"(?P<cum>{_alternation(growth['cumulative_marks'])})?"
    )


@lru_cache(maxsize=1)
def ratio_pattern() -> regex.Pattern[str]:
    return regex.compile(str(vocabulary()["ratio_pattern"]))


@lru_cache(maxsize=64)
def year_on_year(label: str) -> bool:
    """Whether a growth label is growth over the year before (比上年增长): a statistical outcome."""
    return any(word in label for word in vocabulary()["growth"].get("year_on_year", ()))


@lru_cache(maxsize=1)
def share_pattern() -> regex.Pattern[str]:
    """A label naming a share of a whole (占全部出口比重): a value column."""
    return regex.compile(str(vocabulary()["share_pattern"]))


def is_total_row(name: str) -> bool:
    """A row that is its table's total (总计, 货物进出口总额): the rows after it are its parts."""
    return any(word in name for word in vocabulary().get("total_words", ()))


def is_balance_row(name: str) -> bool:
    """A row that is the difference of two others (货物进出口顺差, 差额): never a part of a total."""
    return any(word in name for word in vocabulary().get("balance_words", ()))


def is_part_row(name: str) -> bool:
    """A row marked as a part of one above it (其中：…)."""
    return name.startswith(tuple(vocabulary().get("part_marks", ())))


def known_word_cell(text: str) -> bool:
    """Whether a word cell's text is one the lexicon knows (or a word-cell pattern matches it)."""
    if text in word_cells_list():
        return True
    found = word_cells().fullmatch(text)
    return found is not None
