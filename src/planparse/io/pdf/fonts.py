"""Fonts of PDFium's own: the same text, character boxes and record on every host.

PDFium asks the host's font info whenever a PDF names a font it does not embed. The host's
answer decides the glyph boxes PDFium measures and, where no CJK font is installed, whether
characters survive at all (a one-glyph text object measured zero wide is dropped). planparse
installs its own ``FPDF_SYSFONTINFO`` before the first document is opened and never consults
the system: requests for CJK fonts (by charset or by family name, ``data/pdf_fonts.yaml``) get
the TrueType CJK face shipped by the ``paperang-p2-fonts-cjk`` package (WenQuanYi Micro Hei);
every other request gets no host font, so PDFium uses its built-in standard-14 substitutes. The record therefore depends on
the PDF and on the installed Python packages only.
"""

from __future__ import annotations

import ctypes
import struct
import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

_SERIF, _SANS = 1, 2  # font handles handed to PDFium (any non-null pointer value): the kind of request
_TTCF = int.from_bytes(b"ttcf", "big")
_lock = threading.Lock()
_installed: list[Any] = []  # keeps the struct and its callbacks alive for the process


@dataclass(frozen=True)
class FontRules:
    cjk_charsets: frozenset[int]
    serif: tuple[str, ...]
    sans: tuple[str, ...]
    package: str
    file: str
    index: int
    name: str


@cache
def rules() -> FontRules:
    data = yaml.safe_load(resources.files("planparse").joinpath("data/pdf_fonts.yaml").read_text(encoding="utf-8"))
    families = data["cjk_families"]
    face = data["face"]
    return FontRules(
        cjk_charsets=frozenset(int(code) for code in data["cjk_charsets"]),
        serif=tuple(str(name).lower() for name in families["serif"]),
        sans=tuple(str(name).lower() for name in families["sans"]),
        package=str(face["package"]), file=str(face["file"]), index=int(face["index"]), name=str(face["name"]),
    )


def face_name(raw: bytes) -> str:
    """A requested face name as text: PDFs name Chinese fonts in UTF-8 or in GBK bytes."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def choose_face(face: str, charset: int) -> int | None:
    """The shipped face for a font request, or None for PDFium's built-in substitutes."""
    table = rules()
    key = face.lower().replace(" ", "").replace("-", "").replace(",", "").replace("_", "")
    if any(name in key for name in table.sans):
        return _SANS
    if any(name in key for name in table.serif) or charset in table.cjk_charsets:
        return _SERIF
    return None


def font_file() -> Path:
    """The shipped font collection."""
    table = rules()
    return Path(resources.files(table.package).joinpath(table.file))  # type: ignore[arg-type]


@cache
def font_data(handle: int = _SERIF, index: int | None = None) -> bytes:
    """The CJK face as a standalone TrueType file (one face of the shipped collection). Every kind
    of request gets the same face; ``handle`` only names the request."""
    return ttc_face(font_file().read_bytes(), rules().index if index is None else index)


def ttc_face(data: bytes, index: int) -> bytes:
    """One face of a TrueType collection as a file of its own (its tables copied, offsets rewritten)."""
    if data[:4] != b"ttcf":
        return data
    count = struct.unpack_from(">I", data, 8)[0]
    if not 0 <= index < count:
        raise ValueError(f"font collection has {count} faces, not {index + 1}")
    start = struct.unpack_from(">I", data, 12 + 4 * index)[0]
    version, tables = struct.unpack_from(">IH", data, start)
    records = [struct.unpack_from(">4sIII", data, start + 12 + 16 * i) for i in range(tables)]
    header = struct.pack(">IH", version, tables) + data[start + 6 : start + 12]
    directory = []
    body = []
    position = 12 + 16 * tables
    for tag, checksum, offset, length in records:
        blob = data[offset : offset + length]
        directory.append(struct.pack(">4sIII", tag, checksum, position, length))
        body.append(blob + b"\0" * (-length % 4))
        position += length + (-length % 4)
    return header + b"".join(directory) + b"".join(body)


def _table(data: bytes, tag: int) -> bytes:
    """One table of an OpenType file (``tag`` as a big-endian integer), or b"" without it."""
    count = struct.unpack_from(">H", data, 4)[0]
    for index in range(count):
        found, _, offset, length = struct.unpack_from(">IIII", data, 12 + 16 * index)
        if found == tag:
            return data[offset : offset + length]
    return b""


_FACE_NAMES = {_SERIF: b"planparse CJK serif", _SANS: b"planparse CJK sans"}  # one face, two requests


def _handler() -> Any:
    import pypdfium2.raw as pdfium_c

    info = pdfium_c.FPDF_SYSFONTINFO()
    info.version = 1
    gb2312 = 134

    def release(_this: Any) -> None:
        return None

    def enum_fonts(_this: Any, mapper: Any) -> None:
        for name in _FACE_NAMES.values():
            pdfium_c.FPDF_AddInstalledFont(mapper, name, gb2312)

    def map_font(_this: Any, _weight: int, _italic: int, charset: int, _pitch: int, face: Any, exact: Any) -> int | None:
        name = face_name(ctypes.cast(face, ctypes.c_char_p).value or b"") if face else ""
        return choose_face(name, charset)

    def get_font(_this: Any, face: Any) -> int | None:
        name = ctypes.cast(face, ctypes.c_char_p).value or b"" if face else b""
        return next((handle for handle, known in _FACE_NAMES.items() if known == name), None)

    def get_font_data(_this: Any, font: Any, table: int, buffer: Any, size: int) -> int:
        handle = int(font or 0)
        if handle not in _FACE_NAMES or table == _TTCF:
            return 0
        data = font_data(handle)
        blob = data if table == 0 else _table(data, table)
        if buffer and size >= len(blob):
            ctypes.memmove(buffer, blob, len(blob))
        return len(blob)

    def get_face_name(_this: Any, font: Any, buffer: Any, size: int) -> int:
        name = _FACE_NAMES.get(int(font or 0), b"") + b"\0"
        if buffer and size >= len(name):
            ctypes.memmove(buffer, name, len(name))
        return len(name)

    def get_font_charset(_this: Any, _font: Any) -> int:
        return gb2312

    def delete_font(_this: Any, _font: Any) -> None:
        return None

    callbacks = {
        "Release": release, "EnumFonts": enum_fonts, "MapFont": map_font, "GetFont": get_font,
        "GetFontData": get_font_data, "GetFaceName": get_face_name, "GetFontCharset": get_font_charset,
        "DeleteFont": delete_font,
    }
    kept = []
    for name, function in callbacks.items():
        wrapped = type(getattr(info, name))(function)
        kept.append(wrapped)
        setattr(info, name, wrapped)
    return info, kept


def install() -> None:
    """Give PDFium planparse's font info (once per process, before a document is opened)."""
    if _installed:
        return
    with _lock:
        if _installed:
            return
        import pypdfium2.raw as pdfium_c

        info, kept = _handler()
        pdfium_c.FPDF_SetSystemFontInfo(ctypes.byref(info))
        _installed.extend([info, kept])
