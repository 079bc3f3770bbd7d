"""PDF input: text with line and paragraph structure through PDFium, page furniture removed.

PDFium (pypdfium2) reads a page's text about 35× faster than pdfplumber; its line breaks and
character boxes are enough to tell furniture (running headers, footers, printed page numbers in
the top and bottom bands) from body text and to recover paragraph breaks from indentation.
Pages are read one at a time and closed, so memory stays bounded for long documents.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

import regex

from .document import PdfPageText, SourceDocument
from .errors import InputError

PAGE_JOIN = "\n\f\n"  # between page texts in SourceDocument.text (pipeline maps page starts by it)
BAND = 0.10  # top and bottom tenth of a page: where headers, footers and page numbers sit
_PAGE_NUMBER = regex.compile(r"^[\s—\-–－―_]*(?:第\s*)?(\d{1,4})(?:\s*页)?(?:\s*/\s*\d+)?[\s—\-–－―_]*$")
_GARBAGE = regex.compile(r"[\ufffd\ue000-\uf8ff]|\(cid:\d+\)")
_SENTENCE_END = "。！？；：”）"


@dataclass(frozen=True)
class _Line:
    text: str
    left: float
    right: float
    bottom: float
    top: float


def _lines(textpage: object, count: int) -> list[_Line]:
    """Lines in PDFium's reading order, each with its bounding box."""
    text = textpage.get_text_range(0, count)  # type: ignore[attr-defined]
    lines: list[_Line] = []
    start = 0
    for match in regex.finditer(r"\r\n|\n|\r", text + "\n"):
        end = match.start()
        piece = text[start:end]
        if piece.strip():
            boxes = []
            for index in range(start, min(end, count)):
                left, bottom, right, top = textpage.get_charbox(index)  # type: ignore[attr-defined]
                if right > left or top > bottom:
                    boxes.append((left, bottom, right, top))
            if boxes:
                lines.append(
                    _Line(piece.strip(), min(b[0] for b in boxes), max(b[2] for b in boxes),
                          min(b[1] for b in boxes), max(b[3] for b in boxes))
                )
        start = match.end()
    return lines


def _furniture_key(text: str) -> str:
    return regex.sub(r"\d+", "#", regex.sub(r"\s+", "", text))


def _open(data: bytes, password: str | None, path: str) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as error:
        message = str(error).lower()
        if "password" in message:
            hint = "wrong password" if password else "encrypted PDF: give its password with --password"
            raise InputError(hint, source=path) from None
        raise InputError("corrupt or truncated PDF (PDFium cannot read it)", source=path) from None


def load_pdf(data: bytes, *, path: str, sha256: str, password: str | None = None) -> SourceDocument:
    """Read a PDF into page texts without furniture; raise :class:`InputError` for bad PDFs."""
    document = _open(data, password, path)
    try:
        page_count = len(document)
        if page_count == 0:
            raise InputError("PDF has no pages", source=path)
        raw_pages: list[tuple[list[_Line], float]] = []
        widths: list[float] = []
        total_chars = 0
        garbage = 0
        for index in range(page_count):
            page = document[index]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    count = textpage.count_chars()
                    lines = _lines(textpage, count) if count else []
                finally:
                    textpage.close()
            finally:
                page.close()
            for line in lines:
                total_chars += len(line.text)
                garbage += sum(len(found) for found in _GARBAGE.findall(line.text))
            raw_pages.append((lines, height))
            widths.append(width)
    finally:
        document.close()
    if total_chars == 0:
        raise InputError("no text layer (scanned images?): OCR is needed before planparse can read it", source=path)
    if garbage > 0.2 * total_chars:
        raise InputError("the fonts map to unknown glyphs ((cid:…) garbage): the text layer is unusable", source=path)
    pages = _strip_furniture(raw_pages, statistics.median(widths))
    text = PAGE_JOIN.join(page.text for page in pages)
    return SourceDocument(path=path, sha256=sha256, format="pdf", encoding=None, text=text,
                          page_count=page_count, pdf_pages=tuple(pages))


def _strip_furniture(raw_pages: list[tuple[list[_Line], float]], page_width: float) -> list[PdfPageText]:
    """Remove headers/footers (by position and repetition) and keep printed page numbers."""
    band_keys: Counter[str] = Counter()
    for lines, height in raw_pages:
        seen = set()
        for line in lines:
            if line.top > height * (1 - BAND) or line.bottom < height * BAND:
                seen.add(_furniture_key(line.text))
        band_keys.update(seen)
    repeated = {key for key, count in band_keys.items() if len(raw_pages) >= 3 and count >= max(2, 0.3 * len(raw_pages))}
    # Margins and character width come from the whole document: a page of short lines alone
    # would hide where the text block's edges are.
    all_lines = [line for lines, _ in raw_pages for line in lines]
    left = _percentile([line.left for line in all_lines], 0.05)
    layout = _Layout(
        left=left,
        # Without a full line the block's right edge mirrors its left margin.
        right=max(max(line.right for line in all_lines), page_width - left),
        char=statistics.median([(line.right - line.left) / max(len(line.text), 1) for line in all_lines]),
    )
    pages = []
    for index, (lines, height) in enumerate(raw_pages, start=1):
        printed = None
        body: list[_Line] = []
        for line in lines:
            in_band = line.top > height * (1 - BAND) or line.bottom < height * BAND
            number = _PAGE_NUMBER.match(line.text) if in_band else None
            if number:
                printed = int(number.group(1))
                continue
            if in_band and _furniture_key(line.text) in repeated:
                continue
            body.append(line)
        pages.append(PdfPageText(index=index, printed=printed, text=_page_text(body, layout)))
    return pages


@dataclass(frozen=True)
class _Layout:
    left: float
    right: float
    char: float


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _page_text(lines: list[_Line], layout: _Layout) -> str:
    """Join lines: a Chinese line wrap joins without a break; a paragraph starts on an indented
    line or after a short line that ends a sentence; short centred lines stand alone (headings)."""
    if not lines:
        return ""
    char = layout.char or 10.0
    pieces = [lines[0].text]
    for previous, line in zip(lines, lines[1:]):
        indented = line.left > layout.left + 1.5 * char
        previous_short = previous.right < layout.right - 2 * char
        centred = abs((line.left - layout.left) - (layout.right - line.right)) < 2 * char and line.left > layout.left + 2 * char
        ends_sentence = previous.text.endswith(tuple(_SENTENCE_END))
        if indented or centred or (previous_short and (ends_sentence or len(previous.text) < 30)):
            pieces.append("\n")
        pieces.append(line.text)
    return "".join(pieces)
