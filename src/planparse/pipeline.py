"""The pipeline: each stage a pure function of the previous stage's value.

``load`` reads the file; everything after it works on immutable values; :mod:`planparse.emit`
writes. :func:`extract_document` is the whole text-to-record path for one loaded document.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import regex

from . import document as doc
from . import models
from .build import StageOutputs, build_record
from .config import ExtractConfig
from .errors import StructureError
from .load import load
from .normalize import normalize
from .structure.segment import Hints


class _Monotone:
    """A non-decreasing offset map seen as a sequence, so :func:`bisect.bisect_left` inverts it."""

    def __init__(self, length: int, mapping: Any) -> None:
        self._length = length
        self._mapping = mapping

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: int) -> int:
        return int(self._mapping(index))


def _pdf_page_starts(norm: doc.NormalizedText, source: doc.SourceDocument) -> list[tuple[int, int]]:
    """Normalized offsets where each PDF page with a printed number starts."""
    from bisect import bisect_left

    from .pdf import PAGE_JOIN

    assert source.pdf_pages is not None
    # Source offsets of page starts, then the first normalized offset at or after each.
    source_starts = []
    cursor = 0
    for page in source.pdf_pages:
        source_starts.append((cursor, page.printed))
        cursor += len(page.text) + len(PAGE_JOIN)
    # Normalized offsets map to increasing source offsets: search the map instead of listing it.
    sources = _Monotone(len(norm.text), norm.to_source)
    return [
        (bisect_left(sources, source_offset), printed)
        for source_offset, printed in source_starts
        if printed is not None
    ]


def _pdf_spans(paged: doc.PagedText, source: doc.SourceDocument, kind: str) -> frozenset[tuple[int, int]]:
    """Clean-text spans of what the PDF loader marked on its pages: ``bold`` leads or ruled
    ``tables`` (see :mod:`planparse.pdf`)."""
    from bisect import bisect_left

    from .pdf import PAGE_JOIN

    assert source.pdf_pages is not None
    if not any(getattr(page, kind) for page in source.pdf_pages):
        return frozenset()
    to_source = _Monotone(len(paged.text), paged.source_offset)
    spans = set()
    cursor = 0
    for page in source.pdf_pages:
        for start, end in getattr(page, kind):
            clean_start = bisect_left(to_source, cursor + start)
            clean_end = bisect_left(to_source, cursor + end)
            if clean_end > clean_start:
                spans.add((clean_start, clean_end))
        cursor += len(page.text) + len(PAGE_JOIN)
    return frozenset(spans)


def _to_clean(paged: doc.PagedText) -> Callable[[int], int]:
    """Source offset → the first clean offset at or after it."""
    from bisect import bisect_left

    sources = _Monotone(len(paged.text), paged.source_offset)
    return lambda source_offset: bisect_left(sources, source_offset)


def _view_to_normalized(norm: doc.NormalizedText, view: doc.TextView) -> Callable[[int], int]:
    """View offset (markup input) → normalized offset."""
    from bisect import bisect_left

    sources = _Monotone(len(norm.text), norm.to_source)
    return lambda view_offset: bisect_left(sources, view.to_source(view_offset))


def _grid_block(grid: doc.Grid, paged: doc.PagedText, to_clean: Callable[[int], int]) -> doc.TableBlock:
    """A table with known cells placed at its clean span; a first row of one cell that reads
    ``表N …`` is its label and title."""
    start, end = to_clean(grid.start), to_clean(grid.end)
    label = None
    title = grid.caption or ""
    first = [cell for cell in grid.rows[0] if cell] if grid.rows else []
    if len(first) == 1:
        caption = regex.match(r"(表\s*\d{1,3})\s*(.*)", first[0])
        if caption:
            label, title = regex.sub(r"\s+", "", caption.group(1)), caption.group(2).strip()
    return doc.TableBlock(None, label, title, start, end, paged.text[start:end], (), None, grid=grid)


def _hints(source: doc.SourceDocument, norm: doc.NormalizedText, paged: doc.PagedText) -> Hints:
    """What the markup says (headings, bold, tables with known cells), in clean offsets."""
    to_clean = _to_clean(paged)
    grids = tuple(_grid_block(grid, paged, to_clean) for grid in source.grids)
    view = source.view
    if view is None:
        return Hints(grids=grids)
    to_normalized = _view_to_normalized(norm, view)

    def clean(view_offset: int) -> int:
        return to_clean(norm.to_source(to_normalized(view_offset)))

    markup = {clean(offset): level for offset, level in view.heading_lines}
    bold = tuple((clean(start), clean(end)) for start, end in view.bold if end > start)
    quotes = tuple((clean(start), clean(end)) for start, end in view.quotes if end > start)
    images = tuple((clean(offset), label) for offset, label in view.images)
    return Hints(markup=markup, bold=bold, grids=grids, quotes=quotes, images=images)


def _image_warnings(source: doc.SourceDocument) -> tuple[models.RecordWarning, ...]:
    """Images in the markup stand for figures, boxes or tables published as pictures: their
    content is not in the record, and the record says so."""
    from .structure.blocks import pictured_block

    labels = [label for _, label in source.view.images] if source.view is not None else []
    if not labels:
        return ()
    named = [block for block in map(pictured_block, labels) if block is not None]
    boxes = sum(1 for kind, _, _ in named if kind == "专栏")
    recorded = (f"; {boxes} recorded as boxes of kind image and {len(named) - boxes} as figures, by their captions, "
                "without their content") if named else ""
    return (models.RecordWarning(code="images_not_read", message=(
        f"{len(labels)} image(s) not read: a box, table or figure published as a picture is missing from the record"
        + recorded), page=None),)


def _front_matter(source: doc.SourceDocument, norm: doc.NormalizedText) -> doc.FrontMatter:
    """Stage ``toc``: metadata, TOC and body start, with the markup's own TOC span and metadata as hints."""
    from .structure.front import scan_front_matter

    toc_hint = None
    if source.view is not None and source.view.toc_span is not None:
        to_normalized = _view_to_normalized(norm, source.view)
        toc_hint = (to_normalized(source.view.toc_span[0]), to_normalized(source.view.toc_span[1]))
    return scan_front_matter(norm, meta=source.view.meta if source.view else (), toc_hint=toc_hint)


def _paged(source: doc.SourceDocument, norm: doc.NormalizedText, front: doc.FrontMatter,
           damage: doc.Damage) -> tuple[doc.PagedText, doc.Damage]:
    """Stage ``pages`` (and ``tokens``): a PDF's own pages; glued page numbers removed where the
    damage stage found them; else only page numbers on lines of their own."""
    from . import tokens
    from .text import pages
    from .text.damage import with_pages_found

    if source.pdf_pages is not None:
        paged = pages.paged_without_detection(norm, front, _pdf_page_starts(norm, source))
    elif damage.has("page_numbers_glued"):
        paged = pages.remove_page_numbers(norm, front)
        damage = with_pages_found(damage, *pages.glued_evidence(paged))
    else:
        # Do no harm: without evidence of glued page numbers not one digit is deleted; page
        # numbers standing on lines of their own are furniture, removed when they form a chain.
        paged = pages.remove_page_lines(norm, front)
    if damage.has("letters_stripped"):
        paged = tokens.restore_tokens(paged)
    return paged, damage


def extract_document(source: doc.SourceDocument, config: ExtractConfig | None = None) -> models.PlanRecord:
    """Run every stage after ``load`` on one document and return its validated record."""
    from . import prose, tables
    from .structure.segment import segment
    from .text.damage import detect_damage
    from .text.wrap import hard_wrap

    config = config or ExtractConfig()
    # A print's wrap breaks are dropped from the line-break hints before anything reads them.
    norm, wrapping = hard_wrap(normalize(source))
    damage = doc.Damage((*detect_damage(source, norm).signals, wrapping))
    front = _front_matter(source, norm)
    paged, damage = _paged(source, norm, front, damage)
    is_pdf = source.pdf_pages is not None
    hints = _hints(source, norm, paged)
    skeleton = segment(paged, front, bold=_pdf_spans(paged, source, "bold") if is_pdf else (), hints=hints)
    if not (skeleton.headings or skeleton.boxes or skeleton.tables or front.toc):
        raise StructureError(
            "no recognizable plan structure (no 第X章/第X节, outline headings, 目录 or 专栏 found)",
            source=source.path,
        )
    table_result = tables.extract_tables(
        skeleton, paged, ruled=_pdf_spans(paged, source, "tables") if is_pdf else (), damage=damage
    )
    prose_result = prose.repair_prose(skeleton, paged, table_result.indicators, damage)
    keywords = None
    if config.keywords:
        from .keywords import chapter_keywords

        keywords = chapter_keywords(skeleton, top=config.keyword_count)
    outputs = StageOutputs(
        source=source,
        damage=damage,
        front=front,
        paged=paged,
        skeleton=skeleton,
        tables=table_result.tables,
        indicators=table_result.indicators,
        edits=prose_result.edits,
        repairs=(*paged.repairs, *table_result.repairs, *prose_result.repairs),
        warnings=(
            *(models.RecordWarning(code=code, message=message, page=page) for code, message, page in source.warnings),
            *_image_warnings(source),
            *front.warnings,
            *paged.warnings,
            *skeleton.warnings,
            *table_result.warnings,
            *prose_result.warnings,
        ),
        keywords=keywords,
    )
    return build_record(outputs)


def extract_path(path: Path, config: ExtractConfig | None = None) -> models.PlanRecord:
    """Load one file and extract its record."""
    config = config or ExtractConfig()
    source = load(path, encoding=config.encoding, password=config.password)
    return extract_document(source, config)


def parse(path: str | os.PathLike[str], **options: Any) -> models.PlanRecord:
    """Moved to :func:`planparse.api.parse` (a path only; text goes to ``parse_text``)."""
    from .api import parse as _parse

    return _parse(path, **options)
