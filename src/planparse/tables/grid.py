"""Grids (Markdown pipe tables, HTML tables, PDF/Word grids with known cells), read cell by cell."""

from __future__ import annotations

from collections.abc import Sequence

from ..document import PagedText, TableBlock
from .model import TableResult


def grid_tables(blocks: Sequence[TableBlock], paged: PagedText) -> TableResult:
    del blocks, paged
    return TableResult((), (), (), ())
