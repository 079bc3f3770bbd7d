"""Stage ``segment``: the skeleton of a document (parts, chapters, sections, paragraphs, boxes,
figures and tables) from its clean text, its TOC and what the layout or markup says.

The headings come from :mod:`planparse.structure.headings`. They are then given their roles: the
document's heading kinds, outermost first (by the markup's levels where there are any, else by the
grammar's ranks), fill the record's three levels — parts, chapters, sections (a document with two
kinds uses chapters and sections; 篇 are always parts). Deeper headings stay in the flat
``headings`` list and their lines in the paragraphs of the section that holds them. Every character
of the body lands in exactly one heading, paragraph, box, figure or table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..document import Chapter, FrontMatter, Heading, PagedText, Paragraph, Section, Skeleton, TableBlock
from ..models import RecordWarning
from .blocks import BlockState, content
from .grammar import RANK, vocabulary
from .headings import Chosen, Layout, count_warnings, find_headings

# A body is line-broken (paragraphs follow its lines) when it has at least one line break per
# this many characters.
_CHARS_PER_LINE = 600


@dataclass(frozen=True)
class Hints:
    """What the input's layout or markup says about structure, in clean offsets."""

    markup: Mapping[int, int] = field(default_factory=dict)  # heading line start → level (0 = bold line)
    bold: Iterable[tuple[int, int]] = ()
    grids: Sequence[TableBlock] = ()  # tables with known cells, placed at their clean spans
    quotes: Sequence[tuple[int, int]] = ()  # blockquotes of the markup (a box's extent), clean spans
    images: Sequence[tuple[int, str]] = ()  # pictures of the markup: clean offset, what they stand for


def _is_lined(paged: PagedText, start: int) -> bool:
    body = len(paged.text) - start
    breaks = sum(1 for offset in paged.line_breaks if offset >= start)
    return body > 0 and breaks >= max(2, body / _CHARS_PER_LINE)


def _kind_order(chosen: Sequence[Chosen], markup: Mapping[int, int]) -> list[str]:
    """The document's numbered heading kinds, outermost first: by the markup's ``#`` levels where
    a kind is marked, else by the grammar's ranks."""
    levels: dict[str, list[int]] = {}
    for item in chosen:
        if item.kind == "unnumbered":
            continue
        levels.setdefault(item.kind, [])
        level = markup.get(item.start)
        if level:
            levels[item.kind].append(level)

    def key(kind: str) -> tuple[float, int]:
        marked = sorted(levels[kind])
        return (marked[len(marked) // 2] if marked else 7 + RANK[kind], RANK[kind])

    return sorted(levels, key=key)


def _roles(order: list[str]) -> dict[str, str]:
    """Map kinds to the record's levels (part, chapter, section); deeper kinds get none.

    篇/编/部分 are parts; so is a kind the markup sets above 第X章 (七五's ``## 一、``). The next
    two kinds are chapters and sections."""
    roles: dict[str, str] = {}
    kinds = list(order)
    if kinds and (kinds[0] == "part" or ("chapter" in kinds and kinds[0] != "chapter")):
        roles[kinds.pop(0)] = "part"
    for role, kind in zip(("chapter", "section"), kinds, strict=False):
        roles[kind] = role
    return roles


def _unnumbered_role(index: int, chosen: Sequence[Chosen], roles: dict[str, str], markup: Mapping[int, int]) -> str | None:
    """An unnumbered heading's level: a named entry (序言, 结束语) stands beside the outermost
    level; another is the level above the numbered sequence it opens (2014年工作回顾 → （一）…),
    or the level of the numbered headings its markup level matches."""
    item = chosen[index]
    top = "part" if "part" in roles.values() else "chapter"
    named = {str(word) for word in vocabulary()["named_headings"]}
    level = markup.get(item.start)
    if level:
        for other in chosen:
            if other.kind != "unnumbered" and markup.get(other.start) == level and other.kind in roles:
                return roles[other.kind]
    if item.label in named or any(item.label.startswith(word) for word in named):
        return top
    following = next((other for other in chosen[index + 1 :] if other.kind != "unnumbered"), None)
    if following is None or following.kind not in roles:
        return top
    role = roles[following.kind]
    if following.number == 1:
        return {"section": "chapter", "chapter": "part", "part": "part"}[role]
    return role


@dataclass
class _Tree:
    state: BlockState
    preamble: list[Paragraph] = field(default_factory=list)
    parts: list[Heading] = field(default_factory=list)
    part_paragraphs: dict[int, list[Paragraph]] = field(default_factory=dict)
    chapters: list[Chapter] = field(default_factory=list)
    current: tuple[Heading, list[Paragraph], list[Section]] | None = None
    part_number: int | None = None
    part_of: dict[int, int | None] = field(default_factory=dict)

    def close(self) -> None:
        if self.current is not None:
            heading, paragraphs, sections = self.current
            self.chapters.append(Chapter(heading, self.part_of[id(heading)], tuple(paragraphs), tuple(sections)))
            self.current = None


def _heading(item: Chosen, role: str | None, depth: int, paged: PagedText) -> Heading:
    title = paged.text[item.title_start : item.title_end]
    # A headline's full stop (（一）推动产业转型升级。实施…) belongs to the heading, not to the
    # paragraph after it.
    end = item.title_end + 1 if paged.text[item.title_end : item.title_end + 1] in ("。", "！", "？", "；") else item.title_end
    return Heading(role or "none", item.number if item.number is not None else 0, item.label, title, item.start,
                   end, paged.page_at(item.start), kind=item.kind, depth=depth, in_toc=item.in_toc,
                   numbered=item.number is not None)


def _assemble(state: BlockState, headings: list[Heading], start: int) -> _Tree:
    tree = _Tree(state)
    placed = [heading for heading in headings if heading.level in ("part", "chapter", "section")]
    text_end = len(state.text)
    first = placed[0].start if placed else text_end
    tree.preamble = content(state, start, first, None, None)
    for index, heading in enumerate(placed):
        span_end = placed[index + 1].start if index + 1 < len(placed) else text_end
        chapter_number = tree.current[0].number if tree.current is not None else None
        if heading.level == "part":
            tree.close()
            tree.parts.append(heading)
            tree.part_number = heading.number if heading.numbered else None
            tree.part_paragraphs[id(heading)] = content(state, heading.end, span_end, None, None)
        elif heading.level == "chapter":
            tree.close()
            tree.part_of[id(heading)] = tree.part_number
            tree.current = (heading, content(state, heading.end, span_end, heading.number, None), [])
        elif tree.current is None:
            state.warnings.append(RecordWarning(code="section_without_chapter", message=f"{heading.label}{heading.title} precedes every chapter", page=heading.page)
                                  .at(headings=[heading.start]))
            paragraphs = content(state, heading.start, span_end, None, heading.number)
            if tree.parts:
                tree.part_paragraphs[id(tree.parts[-1])].extend(paragraphs)
            else:
                tree.preamble.extend(paragraphs)
        else:
            paragraphs = content(state, heading.end, span_end, chapter_number, heading.number)
            tree.current[2].append(Section(heading, tuple(paragraphs)))
    tree.close()
    return tree


def _front_paragraphs(paged: PagedText, front: FrontMatter, body_start: int) -> tuple[Paragraph, ...]:
    """The text before the body that is not the TOC (title, issuer, date, a subtitle): one
    paragraph per line, so that no character of the input is lost from the record."""
    spans = []
    if front.toc_span is not None:
        toc_start, toc_end = (paged.clean_offset(offset) for offset in front.toc_span)
        spans = [(0, min(toc_start, body_start)), (min(toc_end, body_start), body_start)]
    else:
        spans = [(0, body_start)]
    paragraphs: list[Paragraph] = []
    for start, end in spans:
        cuts = sorted({start, *(offset for offset in paged.line_breaks if start < offset < end), end})
        for line_start, line_end in zip(cuts, cuts[1:], strict=False):
            text = paged.text[line_start:line_end]
            if text.strip():
                paragraphs.append(Paragraph(text, line_start, line_end, paged.page_at(line_start), None))
    return tuple(paragraphs)


def _numbering(roles: dict[str, str]) -> str:
    chapter_kind = next((kind for kind, role in roles.items() if role == "chapter"), None)
    part_kind = next((kind for kind, role in roles.items() if role == "part"), None)
    if chapter_kind is None:
        return "none" if part_kind is None else "part_chapter"
    if chapter_kind == "chapter":
        return "part_chapter" if part_kind else "chapter"
    return "outline_part" if part_kind == "part" else "outline"


def segment(paged: PagedText, front: FrontMatter, bold: Iterable[tuple[int, int]] = (), hints: Hints | None = None) -> Skeleton:
    """Build the document skeleton from the clean text (see the module docstring).

    ``bold``: clean spans of bold leads at line starts (PDF input); ``hints``: markup headings,
    bold spans and tables with known cells."""
    hints = hints or Hints()
    text = paged.text
    start = min(paged.body_start, len(text))
    state = BlockState(paged, text, paged.line_breaks, [])
    for span_start, span_end in [*bold, *hints.bold]:
        state.bold[span_start] = max(span_end, state.bold.get(span_start, span_end))
    state.lined = _is_lined(paged, start)
    state.grids = {block.start: block for block in hints.grids if block.start >= start}
    state.quotes = sorted(hints.quotes)
    state.images = sorted(hints.images)
    layout = Layout(text, paged.line_breaks, start, len(text), dict(hints.markup), dict(state.bold), state.lined)
    chosen, warnings, _ = find_headings(layout, front.toc)
    # A table with known cells is a block of its own: no heading starts inside it (a category
    # row's line, 环境治理, is not a chapter).
    cells = [(block.start, block.end) for block in hints.grids]
    chosen = [item for item in chosen if not any(start <= item.start < end for start, end in cells)]
    state.warnings.extend(warnings)
    order = _kind_order(chosen, hints.markup)
    roles = _roles(order)
    assigned = [
        roles.get(item.kind) if item.kind != "unnumbered" else _unnumbered_role(index, chosen, roles, hints.markup)
        for index, item in enumerate(chosen)
    ]
    present: list[str] = [role for role in ("part", "chapter", "section") if role in assigned]
    deeper = [kind for kind in order if kind not in roles]
    headings: list[Heading] = []
    for item, role in zip(chosen, assigned, strict=True):
        depth = present.index(role) + 1 if role else len(present) + 1 + (deeper.index(item.kind) if item.kind in deeper else 0)
        headings.append(_heading(item, role, depth, paged))
    state.warnings.extend(count_warnings(layout, chosen, front.toc, set(order)))
    tree = _assemble(state, headings, start)
    front_matter = _front_paragraphs(paged, front, start)
    numbering = _numbering(roles) if headings else "none"
    return Skeleton(
        numbering=numbering,
        preamble=tuple(tree.preamble),
        parts=tuple(tree.parts),
        chapters=tuple(tree.chapters),
        # Boxes and figures in text order (a picture's is recorded when its span is read).
        boxes=tuple(sorted(state.boxes, key=lambda box: box.start)),
        figures=tuple(sorted(state.figures, key=lambda figure: figure.start)),
        tables=tuple(state.tables),
        warnings=tuple(state.warnings),
        headings=tuple(headings),
        front_matter=front_matter,
        part_paragraphs=tuple(tuple(tree.part_paragraphs.get(id(part), ())) for part in tree.parts),
    )
