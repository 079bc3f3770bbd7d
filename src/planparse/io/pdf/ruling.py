"""Does a page hold a ruled table? Straight rules that cross as a grid, read from PDFium's paths.

A page goes to pdfplumber's table finder only when its vector paths draw at least a 2×2 grid:
three horizontal and three vertical rules (straight line segments, or rectangles thin enough to be
rules, or the edges of cell rectangles) where each of the three verticals crosses each of the three
horizontals. A frame around a box (one rectangle) is not a grid, and neither is a watermark or a
seal drawn as thousands of curve segments: a path with a curve in it is never a rule.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True)
class RulingSettings:
    thin: float = 2.0  # a rectangle at most this thick (pt) is a rule
    straight: float = 0.5  # a segment whose ends differ by at most this much in x (or y) is vertical (horizontal)
    min_length: float = 6.0  # shorter strokes are glyph parts or ticks, not rules
    tolerance: float = 2.0  # rules this close to meeting still cross (line widths, rounding)
    max_rules: int = 2000  # a page with more straight pieces than this is read as it is: enough to decide
    max_depth: int = 3  # nested form XObjects


RULING = RulingSettings()

# (fixed, low, high): y and x span of a horizontal rule, or x and y span of a vertical one
Rule = tuple[float, float, float]


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _matrix(obj: Any) -> Matrix:
    import pypdfium2.raw as pdfium_c

    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix)):
        return _IDENTITY
    return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)


def _add(start: tuple[float, float], end: tuple[float, float], horizontal: list[Rule], vertical: list[Rule],
         settings: RulingSettings) -> None:
    (x0, y0), (x1, y1) = start, end
    if abs(y1 - y0) <= settings.straight and abs(x1 - x0) >= settings.min_length:
        horizontal.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) <= settings.straight and abs(y1 - y0) >= settings.min_length:
        vertical.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def _path_rules(obj: Any, outer: Matrix, horizontal: list[Rule], vertical: list[Rule], settings: RulingSettings) -> None:
    """The straight horizontal and vertical pieces of one path (none when it has a curve)."""
    import pypdfium2.raw as pdfium_c

    count = pdfium_c.FPDFPath_CountSegments(obj)
    if count <= 0:
        return
    a, b, c, d, e, f = _compose(_matrix(obj), outer)
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[int, float, float, bool]] = []
    for index in range(count):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            return  # a curve: a seal, a watermark's letters, a rounded frame
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        points.append((kind, a * x.value + c * y.value + e, b * x.value + d * y.value + f,
                       bool(pdfium_c.FPDFPathSegment_GetClose(segment))))
    rectangle = _thin_rectangle(points, settings)
    if rectangle is not None:
        (horizontal if rectangle[0] == "h" else vertical).append(rectangle[1])
        return
    first: tuple[float, float] | None = None
    previous: tuple[float, float] | None = None
    for kind, px, py, closes in points:
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or previous is None:
            first = previous = (px, py)
            continue
        _add(previous, (px, py), horizontal, vertical, settings)
        previous = (px, py)
        if closes and first is not None:
            _add(previous, first, horizontal, vertical, settings)
            previous = first


def _thin_rectangle(points: list[tuple[int, float, float, bool]], settings: RulingSettings) -> tuple[str, Rule] | None:
    """A path that is one rectangle thinner than ``settings.thin``: the rule it draws."""
    if not 4 <= len(points) <= 5:
        return None
    xs = [p[1] for p in points]
    ys = [p[2] for p in points]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    if width <= settings.thin and height >= settings.min_length:
        return "v", ((max(xs) + min(xs)) / 2, min(ys), max(ys))
    if height <= settings.thin and width >= settings.min_length:
        return "h", ((max(ys) + min(ys)) / 2, min(xs), max(xs))
    return None


def page_rules(page: Any, settings: RulingSettings = RULING) -> tuple[list[Rule], list[Rule]]:
    """Horizontal and vertical rules of a PDFium page (``PdfPage`` or its raw handle)."""
    import pypdfium2.raw as pdfium_c

    raw = getattr(page, "raw", page)
    horizontal: list[Rule] = []
    vertical: list[Rule] = []

    def walk(count: int, get: Any, outer: Matrix, depth: int) -> None:
        for index in range(count):
            if len(horizontal) + len(vertical) > settings.max_rules:
                return
            obj = get(index)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                _path_rules(obj, outer, horizontal, vertical, settings)
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < settings.max_depth:
                inner = _compose(_matrix(obj), outer)
                walk(pdfium_c.FPDFFormObj_CountObjects(obj), lambda i, form=obj: pdfium_c.FPDFFormObj_GetObject(form, i),
                     inner, depth + 1)

    walk(pdfium_c.FPDFPage_CountObjects(raw), lambda i: pdfium_c.FPDFPage_GetObject(raw, i), _IDENTITY, 0)
    return horizontal, vertical


def _distinct(rules: list[Rule], tolerance: float) -> list[Rule]:
    """Rules on the same line merged (a rule drawn as several pieces, or twice)."""
    merged: list[list[float]] = []
    for fixed, low, high in sorted(rules):
        last = merged[-1] if merged else None
        if last is not None and abs(last[0] - fixed) <= tolerance and low <= last[2] + tolerance:
            last[2] = max(last[2], high)
        else:
            merged.append([fixed, low, high])
    return [(m[0], m[1], m[2]) for m in merged]


Area = tuple[float, float, float, float]  # x0, bottom, x1, top in PDF user space


def grid_area(horizontal: list[Rule], vertical: list[Rule], settings: RulingSettings = RULING) -> Area | None:
    """Where the rules cross as a grid of at least 2×2 cells (three verticals each crossing the
    same three horizontals): the box around every rule that crosses another, or None."""
    tol = settings.tolerance
    rows = _distinct(horizontal, tol)
    columns = _distinct(vertical, tol)
    if len(rows) < 3 or len(columns) < 3:
        return None
    crossings: list[tuple[int, frozenset[int]]] = []
    for number, (x, low, high) in enumerate(columns):
        crossed = frozenset(
            index for index, (y, left, right) in enumerate(rows)
            if left - tol <= x <= right + tol and low - tol <= y <= high + tol
        )
        if crossed:
            crossings.append((number, crossed))
    wide = [(number, crossed) for number, crossed in crossings if len(crossed) >= 3]
    found = False
    for i, (_, first) in enumerate(wide):
        for j in range(i + 1, len(wide)):
            shared = first & wide[j][1]
            if len(shared) >= 3 and any(len(shared & wide[k][1]) >= 3 for k in range(j + 1, len(wide))):
                found = True
                break
        if found:
            break
    if not found:
        return None
    used_rows = frozenset().union(*(crossed for _, crossed in crossings))
    used_columns = [columns[number] for number, _ in crossings]
    xs = [x for x, _, _ in used_columns] + [value for index in used_rows for value in rows[index][1:]]
    ys = [rows[index][0] for index in used_rows] + [value for _, low, high in used_columns for value in (low, high)]
    return (min(xs) - tol, min(ys) - tol, max(xs) + tol, max(ys) + tol)


def forms_grid(horizontal: list[Rule], vertical: list[Rule], settings: RulingSettings = RULING) -> bool:
    """True when three verticals each cross the same three horizontals (a grid of 2×2 cells)."""
    return grid_area(horizontal, vertical, settings) is not None


def ruled_area(page: Any, settings: RulingSettings = RULING) -> Area | None:
    """The area of the page's paths that rules at least a 2×2 grid, or None."""
    horizontal, vertical = page_rules(page, settings)
    return grid_area(horizontal, vertical, settings)


def has_grid(page: Any, settings: RulingSettings = RULING) -> bool:
    """True when the page's paths rule at least a 2×2 grid."""
    return ruled_area(page, settings) is not None
