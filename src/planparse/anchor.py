"""Where a warning belongs, as the stage that raises it knows it.

A stage does not know the record's layout (which paragraph is ``/chapters/3/sections/1/paragraphs/2``):
it knows a clean offset, the start of an indicator row, a table block, a TOC entry's index. It
attaches that to its warning (``RecordWarning(...).at(rows=[row.start])``); the builder turns it into
JSON pointers (:func:`planparse.refs.with_warning_refs`) and the record's warning carries only those
(``ref``, ``refs``). Offsets here are *clean* offsets (:class:`planparse.document.PagedText`), the
coordinates every stage after ``pages`` works in.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Anchor:
    """What a warning concerns, in stage coordinates; every field may name several elements."""

    headings: tuple[int, ...] = ()  # clean offsets of headings' labels (document.Heading.start)
    boxes: tuple[int, ...] = ()  # clean offsets of boxes (document.Box.start)
    tables: tuple[int, ...] = ()  # clean offsets of table blocks (document.TableBlock.start)
    rows: tuple[int, ...] = ()  # clean offsets of indicator rows (the row's start; Indicator.offset)
    cells: tuple[tuple[int, int], ...] = ()  # (clean offset of the row, 1-based column_index of the cell)
    text: tuple[int, ...] = ()  # clean offsets inside the text: the element that holds each
    toc: tuple[int, ...] = ()  # indices into FrontMatter.toc (the record's ``toc`` in the same order)
    pages: tuple[int, ...] = ()  # printed page numbers

    def __bool__(self) -> bool:
        return any((self.headings, self.boxes, self.tables, self.rows, self.cells, self.text, self.toc, self.pages))
