"""Say what each repair concerns: a JSON pointer to the record element that holds the repaired
characters (``/chapters/3/sections/1/paragraphs/2``, ``/indicators/7``, ``/boxes/4``, ``/toc``), so a
program can act on a repair without reading offsets against the text.

Elements start at their source ``offset`` and, in document order, partition the text: a repair
belongs to the last element that starts at or before it. An indicator row ends with its cells, so a
repair past a row's printed length (a table's notes) belongs to the box that holds the table.
Repairs before the body (the cover and the TOC) point at ``/toc`` when there is one, else at
``/document``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator

from .models import Indicator, Paragraph, PlanRecord

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
