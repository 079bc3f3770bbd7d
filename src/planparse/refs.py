"""Say what each repair concerns: a JSON pointer to the record element that holds the repaired
characters (``/chapters/3/sections/1/paragraphs/2``, ``/indicators/7``, ``/boxes/4``, ``/toc``), so a
program can act on a repair without reading offsets against the text.

Elements start at their source ``offset`` and, in document order, partition the text: a repair
belongs to the last element that starts at or before it. An indicator row ends with its cells, so a
repair past a row's printed length (a table's notes) belongs to the box that holds the table.
Repairs before the body (the cover and the TOC) point at ``/toc`` when there is one, else at
``/document``.

Warnings are raised by stages that do not know the record's layout: each attaches what it knows
(:class:`planparse.anchor.Anchor`: a heading's or a row's clean offset, a TOC entry's index, a
printed page) and :func:`with_warning_refs` turns that into pointers. :data:`WARNING_TARGETS` says,
for every warning code, what its pointers name; a code missing from it is a test failure.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence

from .anchor import Anchor
from .models import Indicator, Paragraph, PlanRecord, RecordWarning

# Characters a row may hold besides its name, unit, attribute and cells: brackets, separators, a
# glued page number.
ROW_SLACK = 12


def _paragraphs(prefix: str, paragraphs: list[Paragraph]) -> Iterator[tuple[int, str]]:
    for index, paragraph in enumerate(paragraphs):
        yield paragraph.offset, f"{prefix}/paragraphs/{index}"


def elements(record: PlanRecord) -> list[tuple[int, str]]:
    """(source offset, JSON pointer) of every element with an offset, in document order."""
    found: list[tuple[int, str]] = []
    found.extend((p.offset, f"/preamble/{i}") for i, p in enumerate(record.preamble))
    for i, part in enumerate(record.parts):
        found.append((part.offset, f"/parts/{i}"))
        found.extend(_paragraphs(f"/parts/{i}", part.paragraphs))
    for i, chapter in enumerate(record.chapters):
        found.append((chapter.offset, f"/chapters/{i}"))
        found.extend(_paragraphs(f"/chapters/{i}", chapter.paragraphs))
        for j, section in enumerate(chapter.sections):
            found.append((section.offset, f"/chapters/{i}/sections/{j}"))
            found.extend(_paragraphs(f"/chapters/{i}/sections/{j}", section.paragraphs))
    found.extend((box.offset, f"/boxes/{i}") for i, box in enumerate(record.boxes))
    found.extend((figure.offset, f"/figures/{i}") for i, figure in enumerate(record.figures))
    found.extend((row.offset, f"/indicators/{i}") for i, row in enumerate(record.indicators))
    # Stable: elements at one offset keep the order above (a box before its first row).
    return sorted(found, key=lambda item: item[0])


def _row_length(row: Indicator) -> int:
    return (len(row.indicator_raw) + len(row.unit or "") + len(row.attribute or "")
            + sum(len(cell.raw) for cell in row.cells) + ROW_SLACK)


def _box_before(record: PlanRecord, offset: int) -> str | None:
    boxes = [(box.offset, index) for index, box in enumerate(record.boxes) if box.offset <= offset]
    return f"/boxes/{max(boxes)[1]}" if boxes else None


def ref_at(record: PlanRecord, offset: int, found: list[tuple[int, str]] | None = None) -> str:
    """The pointer of the element holding the source offset."""
    found = found if found is not None else elements(record)
    starts = [start for start, _ in found]
    index = bisect_right(starts, offset) - 1
    if index < 0:
        return "/toc" if record.toc else "/document"
    start, pointer = found[index]
    if pointer.startswith("/indicators/"):
        row = record.indicators[int(pointer.rsplit("/", 1)[1])]
        if offset >= start + _row_length(row):
            return _box_before(record, offset) or pointer
    return pointer


def with_repair_refs(record: PlanRecord) -> PlanRecord:
    """The record with every repair's ``ref`` filled (the builder calls this last)."""
    if not record.repairs:
        return record
    found = elements(record)
    repairs = [repair if repair.ref is not None else repair.model_copy(update={"ref": ref_at(record, repair.offset, found)})
               for repair in record.repairs]
    return record.model_copy(update={"repairs": repairs})


# ------------------------------------------------------------------ warnings

# Pointer patterns (``*``: one index) of the elements a paragraph's text or a box's text sits in.
TEXT_ELEMENTS = (
    "/preamble/*", "/parts/*", "/parts/*/paragraphs/*", "/chapters/*", "/chapters/*/paragraphs/*",
    "/chapters/*/sections/*", "/chapters/*/sections/*/paragraphs/*", "/boxes/*", "/figures/*", "/indicators/*", "/toc",
    "/document",
)

# Every warning code: the list it concerns as a whole (its ``ref`` when it names no element), and
# the patterns its ``refs`` match (none: it is about the list as a whole).
WARNING_TARGETS: dict[str, tuple[str, tuple[str, ...]]] = {
    # load (PDF): a page, by its printed number
    "pdf_table_unread": ("/pages", ("/pages/*",)),
    "pdf_glyphs_missing": ("/pages", ()),
    # load (markup): images hold what the record does not (a figure, box or table as a picture)
    "images_not_read": ("/figures", ()),
    # TOC
    "toc_entry_unreadable": ("/toc", ()),  # the entry was skipped: it is in no list
    "toc_page_order": ("/toc", ("/toc/*",)),
    "toc_sequence": ("/toc", ("/toc/*",)),
    "toc_truncated": ("/toc", ()),
    # headings and boxes
    "toc_entry_unmatched": ("/toc", ("/toc/*",)),
    "heading_not_in_toc": ("/headings", ("/headings/*", *TEXT_ELEMENTS)),
    "heading_restart": ("/headings", ()),
    "heading_title_uncertain": ("/headings", ("/headings/*", *TEXT_ELEMENTS)),
    "heading_items_uncertain": ("/headings", TEXT_ELEMENTS),  # the paragraphs holding the labels
    "heading_count_mismatch": ("/headings", ()),
    "heading_span_dominant": ("/headings", ("/headings/*", "/preamble/*")),
    "section_without_chapter": ("/headings", ("/headings/*",)),
    "box_text_uncertain": ("/boxes", ("/boxes/*",)),
    # pages
    "page_chain_rejected": ("/pages", ()),
    "page_missing": ("/pages", ("/pages/*",)),
    "page_number_doubtful": ("/pages", ("/pages/*",)),
    "page_number_uncertain": ("/pages", ("/pages/*",)),
    "toc_page_mismatch": ("/headings", ("/headings/*", *TEXT_ELEMENTS)),
    # tables
    "table_header_unknown": ("/tables", ("/tables/*",)),
    "table_text_skipped": ("/tables", ("/tables/*",)),
    "table_header_digits": ("/tables", ("/tables/*",)),
    "table_label_unknown": ("/tables", ("/tables/*",)),
    "grid_number_suspect": ("/tables", ("/tables/*",)),
    "grid_columns_empty": ("/tables", ("/tables/*",)),
    "grid_row_ragged": ("/tables", ("/tables/*",)),
    "table_header_uncertain": ("/tables", ("/tables/*",)),
    "table_row_short": ("/tables", ("/tables/*",)),
    # indicator rows and cells
    "table_row_boundary": ("/indicators", ("/indicators/*",)),
    "indicator_unsolved": ("/indicators", ("/indicators/*",)),
    "row_leftover_digits": ("/indicators", ("/indicators/*",)),
    "indicator_arithmetic": ("/indicators", ("/indicators/*",)),
    "indicator_row_inconsistent": ("/indicators", ("/indicators/*",)),
    "indicator_uncertain": ("/indicators", ("/indicators/*/cells/*",)),
    "indicator_prior_only": ("/indicators", ("/indicators/*/cells/*",)),
    # prose: the paragraphs (or boxes) that hold the numbers named
    "prose_number_unverified": ("", TEXT_ELEMENTS),
}


def matches(pointer: str, pattern: str) -> bool:
    """Whether a JSON pointer has a pattern's shape (``*`` stands for one array index)."""
    parts, wanted = pointer.split("/"), pattern.split("/")
    return len(parts) == len(wanted) and all(w == p or (w == "*" and p.isdigit()) for p, w in zip(parts, wanted))


def common_ancestor(pointers: Sequence[str]) -> str:
    """The nearest element holding every pointer (``""``, the whole record, when only it does)."""
    split = [pointer.split("/") for pointer in pointers]
    shared: list[str] = []
    for parts in zip(*split):
        if any(part != parts[0] for part in parts):
            break
        shared.append(parts[0])
    return "/".join(shared)


class _Layout:
    """The record's elements by source offset, for turning anchors into pointers."""

    def __init__(self, record: PlanRecord, to_source: Callable[[int], int]) -> None:
        self.record = record
        self.to_source = to_source
        self.found = elements(record)
        self.headings = {heading.offset: index for index, heading in reversed(list(enumerate(record.headings)))}
        self.boxes = {box.offset: index for index, box in reversed(list(enumerate(record.boxes)))}
        self.rows = sorted((row.offset, index) for index, row in enumerate(record.indicators))

    def text(self, clean: int) -> str:
        return ref_at(self.record, self.to_source(clean), self.found)

    def heading(self, clean: int) -> str:
        index = self.headings.get(self.to_source(clean))
        return f"/headings/{index}" if index is not None else self.text(clean)

    def box(self, clean: int) -> str:
        index = self.boxes.get(self.to_source(clean))
        return f"/boxes/{index}" if index is not None else self.text(clean)

    def table(self, clean: int) -> str | None:
        """The table nearest the block's start (a grid's table starts at the grid, a text table at its header)."""
        source = self.to_source(clean)
        tables = self.record.tables
        if not tables:
            return None
        index = min(range(len(tables)), key=lambda at: (abs(tables[at].offset - source), at))
        return f"/tables/{index}"

    def row(self, clean: int) -> int | None:
        source = self.to_source(clean)
        at = bisect_right(self.rows, (source, len(self.rows))) - 1
        return self.rows[at][1] if at >= 0 and self.rows[at][0] == source else None

    def cell(self, clean: int, column_index: int) -> str | None:
        row = self.row(clean)
        if row is None:
            return None
        cells = self.record.indicators[row].cells
        found = next((index for index, cell in enumerate(cells) if cell.column_index == column_index), None)
        return f"/indicators/{row}/cells/{found}" if found is not None else f"/indicators/{row}"

    def page(self, printed: int) -> str | None:
        """The page with that printed number, else the page whose text holds the missing one (the
        last page printed before it)."""
        pages = self.record.pages
        exact = next((index for index, page in enumerate(pages) if page.printed == printed), None)
        if exact is not None:
            return f"/pages/{exact}"
        before = [index for index, page in enumerate(pages) if page.printed is not None and page.printed < printed]
        return f"/pages/{before[-1]}" if before else None

    def pointers(self, anchor: Anchor) -> list[str]:
        found: list[str | None] = [
            *(f"/toc/{index}" if 0 <= index < len(self.record.toc) else None for index in anchor.toc),
            *(self.page(printed) for printed in anchor.pages),
            *(self.heading(clean) for clean in anchor.headings),
            *(self.box(clean) for clean in anchor.boxes),
            *(self.table(clean) for clean in anchor.tables),
            *((f"/indicators/{row}" if (row := self.row(clean)) is not None else None) for clean in anchor.rows),
            *(self.cell(clean, column) for clean, column in anchor.cells),
            *(self.text(clean) for clean in anchor.text),
        ]
        return list(dict.fromkeys(pointer for pointer in found if pointer is not None))


def warning_ref(warning: RecordWarning, layout: _Layout) -> RecordWarning:
    """The record's form of a stage's warning: its pointers filled, its anchor dropped."""
    collection, _ = WARNING_TARGETS.get(warning.code, (None, ()))
    anchor = warning.anchor
    if not anchor and warning.page is not None and collection == "/pages":
        anchor = Anchor(pages=(warning.page,))  # a loader's warning names its page only
    refs = layout.pointers(anchor) if anchor else []
    ref = refs[0] if len(refs) == 1 else (common_ancestor(refs) if refs else collection)
    return RecordWarning(code=warning.code, message=warning.message, page=warning.page, ref=ref, refs=refs)


def with_warning_refs(record: PlanRecord, to_source: Callable[[int], int]) -> PlanRecord:
    """The record with every warning's ``ref`` and ``refs`` filled from what its stage knew
    (the builder calls this last; ``to_source`` maps the stages' clean offsets to source offsets)."""
    if not record.warnings:
        return record
    layout = _Layout(record, to_source)
    return record.model_copy(update={"warnings": [warning_ref(warning, layout) for warning in record.warnings]})
