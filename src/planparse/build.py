"""Assemble the validated :class:`PlanRecord` from the stages' hand-off values.

This is where clean offsets become source offsets and where prose edits (decimal repairs) are
applied to the text of paragraphs and of boxes (their body, items, groups and notes), so the stages
before it never have to rewrite each other's text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from . import document as doc
from . import models
from .dataset.indicator_ids import with_ids
from .locate import with_context_offsets
from .refs import with_repair_refs, with_warning_refs

_LEVEL_ORDER = {"part": 0, "chapter": 1, "section": 2}


@dataclass(frozen=True)
class StageOutputs:
    """Everything the builder needs, gathered by the pipeline."""

    source: doc.SourceDocument
    damage: doc.Damage
    front: doc.FrontMatter
    paged: doc.PagedText
    skeleton: doc.Skeleton
    tables: Sequence[models.Table]
    indicators: Sequence[models.Indicator]
    edits: Sequence[doc.TextEdit]
    repairs: Sequence[models.Repair]
    warnings: Sequence[models.RecordWarning]
    keywords: dict[int, list[str]] | None = None


def apply_edits(text: str, start: int, edits: Sequence[doc.TextEdit]) -> str:
    """Apply the edits that fall wholly inside ``[start, start + len(text))`` to ``text``."""
    end = start + len(text)
    pieces: list[str] = []
    cursor = 0
    for edit in edits:
        if edit.start < start + cursor or edit.end > end:
            continue
        pieces.append(text[cursor : edit.start - start])
        pieces.append(edit.after)
        cursor = edit.end - start
    pieces.append(text[cursor:])
    return "".join(pieces)


class _Builder:
    def __init__(self, outputs: StageOutputs) -> None:
        self.out = outputs
        self.paged = outputs.paged
        self.edits = sorted(outputs.edits, key=lambda edit: (edit.start, edit.end))
        self._edit_starts = [edit.start for edit in self.edits]

    def source_offset(self, clean: int) -> int:
        return self.paged.source_offset(clean)

    def _edits_in(self, start: int, end: int) -> list[doc.TextEdit]:
        from bisect import bisect_left

        index = bisect_left(self._edit_starts, start)
        found = []
        while index < len(self.edits) and self.edits[index].start < end:
            found.append(self.edits[index])
            index += 1
        return found

    def paragraph(self, paragraph: doc.Paragraph) -> models.Paragraph:
        text = paragraph.text
        headline = paragraph.headline
        edits = self._edits_in(paragraph.start, paragraph.end)
        if edits and self.paged.text[paragraph.start : paragraph.end] == text:
            text = apply_edits(text, paragraph.start, edits)
            if headline and paragraph.text.startswith(headline):
                headline = apply_edits(headline, paragraph.start, edits)
        return models.Paragraph(
            text=text, page=paragraph.page, headline=headline or None, offset=self.source_offset(paragraph.start)
        )

    def paragraphs(self, paragraphs: Iterable[doc.Paragraph]) -> list[models.Paragraph]:
        return [self.paragraph(paragraph) for paragraph in paragraphs]

    def _edited(self, text: str, at: int | None) -> str:
        """``text`` with the edits inside it, when it stands at clean offset ``at``."""
        if at is None or not text or self.paged.text[at : at + len(text)] != text:
            return text
        edits = self._edits_in(at, at + len(text))
        return apply_edits(text, at, edits) if edits else text

    def _find(self, text: str, start: int, end: int) -> int | None:
        """Clean offset of ``text`` in ``[start, end)``: a box's items, groups and notes are cut from
        its body, so each stands at the first place after the previous piece."""
        at = self.paged.text.find(text, start, end) if text else -1
        return at if at >= 0 else None

    def _pieces(self, texts: Sequence[str], start: int, end: int, offsets: Sequence[int] = ()) -> list[str]:
        """Each piece with its edits, placed in order inside ``[start, end)``."""
        placed = []
        cursor = start
        for index, text in enumerate(texts):
            known = offsets[index] if index < len(offsets) else None
            at = known if known is not None and self.paged.text[known : known + len(text)] == text else self._find(text, cursor, end)
            placed.append(self._edited(text, at))
            if at is not None:
                cursor = at + len(text)
        return placed

    def groups(self, groups: Sequence[doc.Group], span: tuple[int, int] | None) -> list[models.Group]:
        """Groups with their edits, each placed after the previous one inside ``span`` (None: unplaced)."""
        placed = []
        cursor = span[0] if span else 0
        for group in groups:
            at = self._find(group.text, cursor, span[1]) if span else None
            inner = (at, at + len(group.text)) if at is not None else None
            placed.append(models.Group(
                label=group.label,
                items=self._pieces(group.items, *inner) if inner else list(group.items),
                text=self._edited(group.text, at),
                groups=self.groups(group.groups, inner),
            ))
            if inner:
                cursor = inner[1]
        return placed

    def box(self, box: doc.Box) -> models.Box:
        """A box, its body's prose edits applied to its text, items, groups and notes alike."""
        body = box.end - len(box.text)
        if self.paged.text[body : box.end] != box.text:
            body = self._find(box.text, box.start, box.end) or box.start
        return models.Box(
            number=box.number,
            title=box.title,
            kind=box.kind,  # type: ignore[arg-type]
            page=box.page,
            chapter=box.chapter,
            section=box.section,
            offset=self.source_offset(box.start),
            items=self._pieces(box.items, body, box.end, box.item_offsets),
            groups=self.groups(box.groups, (body, box.end)),
            text=self._edited(box.text, body),
            notes=self._pieces(box.notes, body, box.end),
        )

    def pages(self) -> list[models.Page]:
        source = self.out.source
        if source.pdf_pages is not None:
            from .pdf import PAGE_JOIN

            starts = list(accumulate((len(page.text) + len(PAGE_JOIN) for page in source.pdf_pages[:-1]), initial=0))
            return [models.Page(index=page.index, printed=page.printed, offset=start) for page, start in zip(source.pdf_pages, starts)]
        return [
            models.Page(index=index, printed=printed, offset=self.source_offset(start),
                        estimated=printed in self.paged.estimated_pages)
            for index, (start, printed) in enumerate(self.paged.page_starts, start=1)
        ]

    def record(self) -> models.PlanRecord:
        out = self.out
        front, skeleton, source = out.front, out.skeleton, out.source
        chapters: list[models.Chapter] = []
        for chapter in skeleton.chapters:
            heading = chapter.heading
            chapters.append(
                models.Chapter(
                    number=_number(heading),
                    part=chapter.part,
                    title=heading.title,
                    page=heading.page,
                    offset=self.source_offset(heading.start),
                    paragraphs=self.paragraphs(chapter.paragraphs),
                    sections=[
                        models.Section(
                            number=_number(section.heading),
                            title=section.heading.title,
                            page=section.heading.page,
                            offset=self.source_offset(section.heading.start),
                            paragraphs=self.paragraphs(section.paragraphs),
                        )
                        for section in chapter.sections
                    ],
                    keywords=(out.keywords or {}).get(len(chapters)) if out.keywords is not None else None,
                )
            )
        boxes = [self.box(box) for box in skeleton.boxes]
        figures = [
            models.Figure(
                number=figure.number,
                title=figure.title,
                page=figure.page,
                chapter=figure.chapter,
                section=figure.section,
                offset=self.source_offset(figure.start),
            )
            for figure in skeleton.figures
        ]
        part_paragraphs = list(skeleton.part_paragraphs) + [()] * (len(skeleton.parts) - len(skeleton.part_paragraphs))
        parts = [
            models.Part(number=_number(part), title=part.title, page=part.page, offset=self.source_offset(part.start),
                        paragraphs=self.paragraphs(paragraphs))
            for part, paragraphs in zip(skeleton.parts, part_paragraphs, strict=True)
        ]
        headings = [
            models.Heading(
                kind=heading.kind or heading.level,  # type: ignore[arg-type]
                label=heading.label or None,
                number=_number(heading),
                title=heading.title,
                level=heading.level,  # type: ignore[arg-type]
                depth=heading.depth,
                page=heading.page,
                offset=self.source_offset(heading.start),
                in_toc=heading.in_toc,
            )
            for heading in skeleton.headings
        ]
        toc = [
            models.TocEntry(level=entry.level, number=entry.number, title=entry.title, page=entry.page)  # type: ignore[arg-type]
            for entry in front.toc
        ]
        repairs = with_context_offsets(sorted(out.repairs, key=lambda repair: (repair.offset, repair.kind, repair.before)), source.text)
        return models.PlanRecord(
            source=models.Source(
                path=source.path,
                sha256=source.sha256,
                format=source.format,  # type: ignore[arg-type]
                encoding=source.encoding,
                page_count=source.page_count,
            ),
            document=models.DocumentMeta(
                label=front.label,
                title=front.title,
                issuer=front.issuer,
                date=front.date,
                numbering=skeleton.numbering,  # type: ignore[arg-type]
                damage=[
                    models.DamageSignal(
                        kind=signal.kind,  # type: ignore[arg-type]
                        present=signal.present,
                        confidence=signal.confidence,
                        evidence=signal.evidence,
                    )
                    for signal in out.damage.signals
                ],
            ),
            pages=self.pages(),
            toc=toc,
            headings=headings,
            front_matter=self.paragraphs(skeleton.front_matter),
            preamble=self.paragraphs(skeleton.preamble),
            parts=parts,
            chapters=chapters,
            boxes=boxes,
            figures=figures,
            tables=list(out.tables),
            indicators=with_ids(out.indicators),
            repairs=repairs,
            warnings=_dedupe(out.warnings),
        )


def _number(heading: doc.Heading) -> int | None:
    return heading.number if heading.numbered else None


def _dedupe(warnings: Iterable[models.RecordWarning]) -> list[models.RecordWarning]:
    seen: set[tuple[str, str, int | None]] = set()
    kept = []
    for warning in warnings:
        key = (warning.code, warning.message, warning.page)
        if key not in seen:
            seen.add(key)
            kept.append(warning)
    return kept


def build_record(outputs: StageOutputs) -> models.PlanRecord:
    """Build the validated record (pydantic checks every field on construction); every repair and
    warning names the element it concerns (:mod:`planparse.refs`)."""
    return with_warning_refs(with_repair_refs(_Builder(outputs).record()), outputs.paged.source_offset)
