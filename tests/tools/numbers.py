"""Damaged variants of intact corpus text, and the truth of every number in them.

The corpus's Markdown documents are intact: every number keeps its decimal point and ``%``. A
*variant* is made the way the seed plan was damaged (:func:`planparse.damage.damage_text`: page
numbers glued in, optionally, then ASCII letters, ``.``, ``%``, ``[ ]`` and whitespace stripped).
Damage only deletes characters (and inserts page numbers at offsets it reports), so each damaged
character maps back to one intact character or to a glued page number. :func:`align` uses that map
to tell, for every digit run of the damaged text, which intact number(s) its digits came from:

- ``integer`` / ``percent`` / ``decimal``: all the digits of one intact number (``1184`` from
  ``1184``, ``31`` from ``31%``, ``107`` from ``10.7%``), possibly with page digits glued on;
- ``merged``: digits of several intact numbers run together (``2990865`` from a footnote mark
  ``[2]`` and ``990865``; table cells whose separating spaces are gone);
- ``partial``: part of an intact number (``1,200`` splits at the comma);
- ``page``: glued page digits only.

Everything here is deterministic: the same text and seed give the same variant and truth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from planparse.damage import damage_text

_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:https?:|\.|/)[^)]*\)")
_TAG = re.compile(r"<(?:br|/?details|/?summary|/?p|/?div|/?span|/?sup|/?sub)[^>]*>", re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_LINE_MARK = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+)")
_EMPHASIS = re.compile(r"\*{1,3}")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
# An intact number: digits with at most one decimal point, then an optional percent sign.
_INTACT_NUMBER = re.compile(r"\d+(?:\.\d+)*(?:\s*%)?")
_DIGIT_RUN = re.compile(r"\d+")
# Full-width forms the simulator would not strip; the seed's producer printed ASCII ones.
_FULLWIDTH = str.maketrans({"％": "%", "．": "."})

KINDS = ("integer", "percent", "decimal", "merged", "partial", "page")


def plain_text(markdown: str) -> str:
    """The text a reader sees: no front matter, images, tags or Markdown marks; table rows become
    their cells separated by spaces (as a PDF's text layer gives them). Full-width ``％``/``．``
    become ASCII so that damage strips them as it strips the seed's."""
    text = _FRONT.sub("", markdown)
    text = _COMMENT.sub("", text)
    text = _IMAGE.sub("", text)
    text = _TAG.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = text.translate(_FULLWIDTH)
    lines = []
    for line in text.splitlines():
        if _TABLE_RULE.match(line):
            continue
        if line.lstrip().startswith("|"):
            line = " ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
        line = _LINE_MARK.sub("", line)
        line = _EMPHASIS.sub("", line)
        lines.append(line.strip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


@dataclass(frozen=True)
class IntactNumber:
    """A number of the intact text: its characters as printed and where they stand."""

    start: int
    end: int
    text: str  # e.g. "10.7%", "1184", "60.60%"

    @property
    def digits(self) -> str:
        return re.sub(r"\D", "", self.text)

    @property
    def percent(self) -> bool:
        return self.text.endswith("%")

    @property
    def decimals(self) -> int:
        number = self.text.rstrip("%").strip()
        return len(number.split(".")[1]) if number.count(".") == 1 else 0

    @property
    def dotted(self) -> int:
        return self.text.count(".")


@dataclass(frozen=True)
class DigitRun:
    """A maximal digit run of the damaged text and what its digits were."""

    start: int  # offsets into the damaged text
    end: int
    digits: str
    kind: str  # see KINDS
    numbers: tuple[IntactNumber, ...]  # the intact numbers whose digits it holds, in order
    page_digits: int  # how many of its digits are a glued page number
    number_start: int  # damaged offsets of its (single) intact number's digits, else start/end
    number_end: int

    @property
    def truth(self) -> IntactNumber | None:
        """The one intact number of an ``integer``/``percent``/``decimal`` run."""
        return self.numbers[0] if self.kind in ("integer", "percent", "decimal") else None


@dataclass(frozen=True)
class Variant:
    intact: str
    text: str
    pages: tuple[tuple[int, int], ...]
    runs: tuple[DigitRun, ...]

    def runs_by_start(self) -> dict[int, DigitRun]:
        """Runs indexed by every damaged offset they cover (for looking up a repair's offset)."""
        index: dict[int, DigitRun] = {}
        for run in self.runs:
            for offset in range(run.start, run.end):
                index[offset] = run
        return index


def intact_numbers(intact: str) -> list[IntactNumber]:
    return [IntactNumber(m.start(), m.end(), m.group()) for m in _INTACT_NUMBER.finditer(intact)]


def source_map(intact: str, damaged: str, pages: tuple[tuple[int, int], ...]) -> list[int]:
    """For each damaged character, the index of the intact character it is (-1: a glued page
    number's digit). Damage deletes characters and inserts page numbers only, and no deleted
    character equals a kept one, so the leftmost subsequence match is the true one."""
    glued = set()
    for offset, page in pages:
        glued.update(range(offset, offset + len(str(page))))
    mapping = []
    cursor = 0
    for index, char in enumerate(damaged):
        if index in glued:
            mapping.append(-1)
            continue
        found = intact.find(char, cursor)
        if found < 0:
            raise ValueError(f"damaged character {char!r} at {index} is not in the intact text after {cursor}")
        mapping.append(found)
        cursor = found + 1
    return mapping


def align(intact: str, damaged: str, pages: tuple[tuple[int, int], ...] = ()) -> tuple[DigitRun, ...]:
    """Every digit run of ``damaged`` with the intact number(s) it came from (see module doc)."""
    mapping = source_map(intact, damaged, pages)
    numbers = intact_numbers(intact)
    owner: dict[int, int] = {}
    for number_index, number in enumerate(numbers):
        for offset in range(number.start, number.end):
            if intact[offset].isdigit():
                owner[offset] = number_index
    runs = []
    for match in _DIGIT_RUN.finditer(damaged):
        sources = [mapping[offset] for offset in range(match.start(), match.end())]
        page_digits = sum(1 for source in sources if source < 0)
        owners: list[int] = []
        for source in sources:
            if source >= 0 and owner[source] not in owners:
                owners.append(owner[source])
        found = tuple(numbers[number_index] for number_index in owners)
        number_start, number_end = match.start(), match.end()
        if not found:
            kind = "page"
        elif len(found) > 1:
            kind = "merged"
        else:
            number = found[0]
            covered = sum(1 for source in sources if source >= 0)
            inside = [i for i, source in enumerate(sources) if source >= 0]
            number_start, number_end = match.start() + inside[0], match.start() + inside[-1] + 1
            if number_end - number_start != covered:
                covered = -1  # page digits inside the number: not one contiguous piece
            if covered != len(number.digits) or number.dotted > 1:
                kind = "partial"
            elif number.decimals:
                kind = "decimal"
            elif number.percent:
                kind = "percent"
            else:
                kind = "integer"
        runs.append(DigitRun(match.start(), match.end(), match.group(), kind, found, page_digits, number_start, number_end))
    return tuple(runs)


def make_variant(intact: str, *, page_numbers: bool, chars_per_page: int = 600, seed: int = 0) -> Variant:
    """A damaged variant of ``intact`` (plain text) with the truth of its digit runs."""
    damaged = damage_text(intact, page_numbers=page_numbers, chars_per_page=chars_per_page, seed=seed)
    return Variant(intact, damaged.text, damaged.pages, align(intact, damaged.text, damaged.pages))


# ------------------------------------------------------------------ the corpus

DOCUMENT_KINDS = {
    "work_report": ("政府工作报告-国务院", "政府工作报告-省自治区", "政府工作报告-主要城市", "政府工作报告-其他地市"),
    "communique": ("国家统计局年度统计",),
    "plan": ("五年规划",),
}


@dataclass(frozen=True)
class CorpusDocument:
    path: Path
    kind: str  # work_report | communique | plan
    held_out: bool  # every fifth document (in path order) is kept out of tuning


def corpus_documents(lawtext: Path) -> list[CorpusDocument]:
    """The work reports, communiqués and plans of ``lawtext/``, in path order; every fifth one
    (the 5th, 10th, … in that order) is held out of tuning."""
    found = []
    for kind, folders in DOCUMENT_KINDS.items():
        for folder in folders:
            for path in sorted((lawtext / folder).glob("*.md")):
                found.append((str(path.relative_to(lawtext)), path, kind))
    found.sort()
    return [CorpusDocument(path, kind, index % 5 == 4) for index, (_, path, kind) in enumerate(found)]
