"""Stage ``load``: read an input file (text in any common Chinese encoding, or PDF) into text."""

from __future__ import annotations

import codecs
import hashlib
import os
from pathlib import Path

from .document import SourceDocument
from .errors import InputError

PDF_SUFFIXES = {".pdf"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
DOCX_SUFFIXES = {".docx"}
# Every suffix a folder walk picks up.
INPUT_SUFFIXES = {".txt", ".text", *PDF_SUFFIXES, *MARKDOWN_SUFFIXES, *HTML_SUFFIXES, *DOCX_SUFFIXES}

# Encodings tried, in order, when detection is unsure; GB18030 is a superset of GBK and GB2312.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CANONICAL = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "utf_8": "utf-8", "ascii": "utf-8"}


def display_path(path: Path) -> str:
    """The path as records show it: relative to the working directory when possible, never absolute."""
    try:
        return Path(os.path.relpath(path.resolve(), Path.cwd())).as_posix()
    except ValueError:  # another drive (Windows)
        return path.name


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in sample:
        # UTF-16 without BOM has a NUL in every other byte of ASCII; anything else is binary.
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        return not (even > len(sample) // 8 or odd > len(sample) // 8) or bool(even and odd and min(even, odd) > 4)
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    return controls > len(sample) // 20


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > len(sample) // 8 and even == 0:
        return "utf-16-le"
    if even > len(sample) // 8 and odd == 0:
        return "utf-16-be"
    # Chinese UTF-16 has few NULs: accept it when it decodes and is mostly CJK.
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        cjk = sum(1 for ch in text[:2000] if "\u4e00" <= ch <= "\u9fff" or ch in "，。：；（）")
        if text and cjk > len(text[:2000]) * 0.5:
            return encoding
    return None


def decode_bytes(data: bytes, encoding: str | None = None, *, source: str = "") -> tuple[str, str]:
    """Decode bytes to text; return (text, encoding used). Raises :class:`InputError`."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", source=source) from None
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise InputError(f"cannot decode as {encoding}: byte {exc.start}", source=source) from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name.replace("-sig", "") + ("-bom" if name == "utf-8-sig" else "")
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16), utf16
    if _looks_binary(data):
        raise InputError("binary file, not a text or PDF plan", source=source)
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError("undecodable bytes: not UTF-8, UTF-16 or GB18030 text", source=source)
    name = _CANONICAL.get(best.encoding, best.encoding)
    return str(best), name


def load(path: Path, *, encoding: str | None = None, password: str | None = None) -> SourceDocument:
    """Read one input file. Text is decoded (BOM, UTF-8, UTF-16, GB18030, then detection)."""
    shown = display_path(path)
    if not path.exists():
        raise InputError("no such file", source=shown)
    if path.is_dir():
        raise InputError("is a directory, not a file", source=shown)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=shown) from None
    return load_bytes(data, shown, suffix=path.suffix, encoding=encoding, password=password)


def load_text(text: str, *, path: str = "<text>") -> SourceDocument:
    """Wrap an in-memory text as a loaded document (for the library API and tests)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return SourceDocument(path=path, sha256=digest, format="text", encoding="utf-8", text=text)


def load_bytes(
    data: bytes, shown: str, *, suffix: str = "", encoding: str | None = None, password: str | None = None
) -> SourceDocument:
    """Like :func:`load` for bytes already read (from a URL, on a Dask worker); ``shown`` names them."""
    if not data.strip():
        raise InputError("empty file", source=shown)
    digest = hashlib.sha256(data).hexdigest()
    if suffix.lower() in PDF_SUFFIXES or data.startswith(b"%PDF-"):
        from .pdf import load_pdf

        return load_pdf(data, path=shown, sha256=digest, password=password)
    if suffix.lower() in DOCX_SUFFIXES:
        from .io.docx import load_docx

        return load_docx(data, path=shown, sha256=digest)
    text, used = decode_bytes(data, encoding, source=shown)
    if not text.strip():
        raise InputError("empty file", source=shown)
    kind = suffix.lower()
    if kind in MARKDOWN_SUFFIXES:
        from .io.markdown import markdown_view

        view, grids = markdown_view(text)
        return SourceDocument(path=shown, sha256=digest, format="markdown", encoding=used, text=text, view=view, grids=grids)
    if kind in HTML_SUFFIXES:
        from .io.html import html_view

        view, grids = html_view(text)
        return SourceDocument(path=shown, sha256=digest, format="html", encoding=used, text=text, view=view, grids=grids)
    return SourceDocument(path=shown, sha256=digest, format="text", encoding=used, text=text)
