"""The HTML review page: the record turned into plain view values, rendered by Jinja2 templates
(autoescape on) with the CSS and JS inlined, so the page is one self-contained file. The output is
a pure function of the record (same record → same bytes)."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from planparse import models

# Below this a row is "flagged" for human review (the record's warning threshold).
FLAG_THRESHOLD = 0.8
# At or above this a repaired value is considered "high" confidence.
HIGH_THRESHOLD = 0.95
# Cap chart rows so a pathological table cannot produce a megabyte of SVG.
MAX_CHART_ROWS = 60
# How many next-best readings of a damaged row the hover lists.
ROW_ALTERNATIVES = 3


# --------------------------------------------------------------------------- value display


def _num(value: float | None) -> str:
    """Format a number without float noise (65.8, not 65.80000000000001)."""
    if value is None or not math.isfinite(value):
        return ""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _page(page: int | None) -> str:
    return f"p.{page}" if page is not None else ""


def cell_display(cell: models.Cell) -> str:
    """The reading of a cell as a reviewer should see it: comparator, value, [ ] for cumulative, words."""
    parts: list[str] = []
    if cell.value is not None:
        number = _num(cell.value)
        if cell.cumulative:
            number = f"[{number}]"
        parts.append((cell.comparator or "") + number)
    if cell.text:
        parts.append(cell.text)
    return " ".join(parts) if parts else "—"


def _alt_display(alt: models.Alternative) -> str:
    parts: list[str] = []
    if alt.value is not None:
        number = _num(alt.value)
        parts.append(f"[{number}]" if alt.cumulative else number)
    if alt.text:
        parts.append(alt.text)
    return " ".join(parts) if parts else "—"


def is_repaired(cell: models.Cell) -> bool:
    """A cell counts as repaired when its reading is not a verbatim copy of its raw characters."""
    if cell.alternatives or cell.confidence < 1.0:
        return True
    plain = cell_display(cell).replace(" ", "")
    return cell.raw.replace(" ", "") not in (plain, "")


def _conf_class(confidence: float) -> tuple[str, str, str]:
    """CSS class, text cue and word for a confidence, so colour is never the only signal."""
    if confidence < FLAG_THRESHOLD:
        return "c-lo", "‼", "low"
    if confidence < HIGH_THRESHOLD:
        return "c-mid", "?", "medium"
    return "c-hi", "*", "high"


def row_confidence(indicator: models.Indicator) -> float:
    """The weakest cell confidence of a row (1.0 for a row without cells)."""
    return min((c.confidence for c in indicator.cells), default=1.0)


# --------------------------------------------------------------------------- header and outline


def header_rows(columns: Sequence[models.Column]) -> list[list[tuple[str, int, int]]]:
    """Header rows for value columns as (label, colspan, rowspan), from paths split on ``/``.

    Consecutive columns sharing a prefix at a level are merged with colspan; a column whose path ends
    above the deepest level spans the remaining rows.
    """
    paths = [c.path.split("/") or [""] for c in columns]
    depth = max((len(p) for p in paths), default=1)
    rows: list[list[tuple[str, int, int]]] = []
    for level in range(depth):
        row: list[tuple[str, int, int]] = []
        i = 0
        while i < len(paths):
            path = paths[i]
            if len(path) <= level:
                i += 1  # covered by a rowspan from an upper level
                continue
            if len(path) == level + 1:
                row.append((path[level], 1, depth - level))
                i += 1
                continue
            prefix = path[: level + 1]
            j = i + 1
            while j < len(paths) and len(paths[j]) > level + 1 and paths[j][: level + 1] == prefix:
                j += 1
            row.append((path[level], j - i, 1))
            i = j
        rows.append(row)
    return rows


def _document_rows(record: models.PlanRecord) -> list[tuple[str, str]]:
    doc, src = record.document, record.source
    rows: list[tuple[str, str]] = []
    if doc.label:
        rows.append(("附件", doc.label))
    rows.append(("发文机关 Issuer", doc.issuer or "—"))
    rows.append(("日期 Date", doc.date or "—"))
    rows.append(("来源 Source", f"{src.path} ({src.format}{', ' + src.encoding if src.encoding else ''})"))
    rows.append(("SHA-256", src.sha256))
    if src.page_count is not None:
        rows.append(("页数 Pages", str(src.page_count)))
    rows.append(("编号 Numbering", doc.numbering))
    return rows


@dataclass
class _OutlinePart:
    """A part of the outline (or, with no anchor, the chapters that belong to no part)."""

    anchor: str | None
    title: str
    page: str
    chapters: list[dict[str, Any]] = field(default_factory=list)


def _part_anchors(record: models.PlanRecord) -> dict[int, tuple[str, str, str]]:
    """Part number → (anchor, title, page); anchors are the record's own positions (parts-0)."""
    found: dict[int, tuple[str, str, str]] = {}
    for index, part in enumerate(record.parts):
        if part.number is not None:
            found.setdefault(part.number, (f"parts-{index}", part.title, _page(part.page)))
    return found


def _part_of(number: int, parts: dict[int, tuple[str, str, str]]) -> tuple[str, str, str]:
    return parts.get(number, (f"part-{number}", f"第{number}篇", ""))


def _outline(record: models.PlanRecord) -> list[_OutlinePart]:
    """Parts → chapters → sections from the body; chapters of no part sit in an untitled group.
    Anchors follow the record's JSON pointers (chapters-2-sections-0), so unnumbered headings
    (序言) and repeated numbers still get ids of their own."""
    parts = _part_anchors(record)
    groups: list[_OutlinePart] = []
    for position, chapter in enumerate(record.chapters):
        anchor = _part_of(chapter.part, parts)[0] if chapter.part is not None else None
        if not groups or groups[-1].anchor != anchor:
            if chapter.part is None:
                groups.append(_OutlinePart(None, "", ""))
            else:
                groups.append(_OutlinePart(*_part_of(chapter.part, parts)))
        groups[-1].chapters.append({
            "anchor": f"chapters-{position}", "title": chapter.title, "page": _page(chapter.page),
            "sections": [{"anchor": f"chapters-{position}-sections-{index}", "title": s.title, "page": _page(s.page)}
                         for index, s in enumerate(chapter.sections)],
        })
    return groups


# --------------------------------------------------------------------------- indicator tables


def _columns_for(table: models.Table | None, indicators: Sequence[models.Indicator]) -> list[models.Column]:
    if table is not None and table.columns:
        return sorted(table.columns, key=lambda c: c.index)
    # No table metadata: infer the columns from the cells so nothing is dropped.
    seen: dict[int, str] = {}
    for ind in indicators:
        for cell in ind.cells:
            seen.setdefault(cell.column_index, cell.column)
    return [models.Column(index=i, path=p, year=None, role="other", cumulative=None) for i, p in sorted(seen.items())]


def _row_readings(indicator: models.Indicator, columns: Sequence[models.Column]) -> dict[str, Any]:
    """The damaged row beside its chosen cut, and its next-best readings (one cell changed to its
    best alternative, the likeliest first)."""
    by_index = {cell.column_index: cell for cell in indicator.cells}
    ordered = [by_index[c.index] for c in columns if c.index in by_index]
    digits = "".join(cell.raw for cell in ordered if any(ch.isdigit() for ch in cell.raw))
    chosen = [cell_display(cell) for cell in ordered]
    swaps = []
    for position, cell in enumerate(ordered):
        if cell.alternatives:
            best = max(cell.alternatives, key=lambda alt: alt.score)
            reading = list(chosen)
            reading[position] = _alt_display(best)
            swaps.append((best.score, position, " | ".join(reading)))
    swaps.sort(key=lambda item: (-item[0], item[1]))
    return {
        "digits": digits,
        "cut": [cell.raw for cell in ordered],
        "reading": " | ".join(chosen),
        "next_best": [{"reading": text, "score": _num(round(score, 3)) or "0"} for score, _, text in swaps[:ROW_ALTERNATIVES]],
    }


def _value_cell(cell: models.Cell | None, tip_id: str, row: dict[str, Any] | None, position: int) -> dict[str, Any]:
    if cell is None:
        return {"kind": "empty"}
    shown = cell_display(cell)
    if not is_repaired(cell):
        return {"kind": "plain", "shown": shown, "raw": cell.raw}
    cls, cue, word = _conf_class(cell.confidence)
    return {
        "kind": "repaired", "shown": shown, "raw": cell.raw, "cls": cls, "cue": cue, "word": word,
        "tip_id": tip_id, "confidence": f"{cell.confidence:.3f}", "confidence2": f"{cell.confidence:.2f}",
        "alternatives": [{"shown": _alt_display(a), "score": _num(round(a.score, 3)) or "0"} for a in cell.alternatives],
        "row": row, "position": position,
    }


def _table_view(idx: int, table: models.Table | None, title: str, indicators: Sequence[models.Indicator]) -> dict[str, Any]:
    columns = _columns_for(table, indicators)
    has_number = any(ind.number is not None for ind in indicators)
    has_unit = any(ind.unit for ind in indicators)
    has_attr = (table.attribute_column if table else False) or any(ind.attribute for ind in indicators)
    lead = [label for label, present in (("序号", has_number), ("指标", True), ("单位", has_unit)) if present]
    ncols = len(lead) + len(columns) + (1 if has_attr else 0)
    damaged = bool(table and table.damaged)
    body: list[dict[str, Any]] = []
    group: str | None = None
    category: str | None = None
    flagged = 0
    for ind in indicators:
        # A category row heads its groups: it comes first, and a new category closes the group.
        if ind.category and ind.category != category:
            category, group = ind.category, None
            body.append({"kind": "cat", "label": ind.category})
        if ind.group and ind.group != group:
            group = ind.group
            body.append({"kind": "grp", "label": ind.group})
        conf = row_confidence(ind)
        is_flagged = conf < FLAG_THRESHOLD
        flagged += is_flagged
        by_index = {c.column_index: c for c in ind.cells}
        readings = _row_readings(ind, columns) if damaged else None
        present = [col.index for col in columns if col.index in by_index]
        body.append({
            "kind": "ind", "row": ind.row, "number": ind.number, "name": ind.indicator,
            "raw_name": ind.indicator_raw if ind.indicator_raw and ind.indicator_raw != ind.indicator else None,
            "unit": ind.unit or "", "attribute": ind.attribute or "", "flagged": is_flagged,
            "confidence": f"{conf:.3f}", "confidence2": f"{conf:.2f}",
            "cells": [
                _value_cell(by_index.get(col.index), f"tip-{idx}-{ind.row}-{col.index}", readings,
                            present.index(col.index) if col.index in present else -1)
                for col in columns
            ],
        })
    meta = [_page(table.page) if table else "", f"{len(indicators)} rows", f"{flagged} flagged"]
    if damaged:
        meta.append("数值受损已修复 damaged values repaired")
    notes: list[str] = []
    if table is not None:
        notes = [*table.notes, *([f"[ ] = {table.bracket_meaning}"] if table.bracket_meaning else [])]
    return {
        "idx": idx, "title": title, "meta": " · ".join(m for m in meta if m),
        "anchor": f"box-table-{table.box}" if table is not None and table.box is not None else None,
        "lead": lead, "depth": len(header_rows(columns)) if columns else 1,
        "header": [[{"label": label, "colspan": colspan, "rowspan": rowspan} for label, colspan, rowspan in row]
                   for row in (header_rows(columns) if columns else [[]])],
        "has_number": has_number, "has_unit": has_unit, "has_attr": has_attr, "ncols": ncols,
        "body": body, "notes": notes, "charts": _charts(idx, title, columns, indicators),
    }


def _tables(record: models.PlanRecord) -> list[dict[str, Any]]:
    """Pair each table with its rows by (box, table); rows that match no table get their own table."""
    keyed: dict[tuple[int | None, str | None], list[models.Indicator]] = {}
    for ind in record.indicators:
        keyed.setdefault((ind.box, ind.table), []).append(ind)
    out: list[dict[str, Any]] = []
    used: set[tuple[int | None, str | None]] = set()
    for i, table in enumerate(record.tables):
        key = (table.box, table.table)
        rows = keyed.get(key, []) if key not in used else []
        used.add(key)
        out.append(_table_view(i, table, table.title, sorted(rows, key=lambda r: r.row)))
    n = len(record.tables)
    for key, rows in keyed.items():
        if key in used:
            continue
        title = f"指标 (专栏{key[0]})" if key[0] is not None else "指标 Indicators"
        out.append(_table_view(n, None, title, sorted(rows, key=lambda r: r.row)))
        n += 1
    return out


# --------------------------------------------------------------------------- charts


_COLOURS = ("#8ab4f8", "#1a56a6")
_LABEL_W, _BAR_W, _VAL_W, _BAR_H, _GAP, _TOP = 210, 300, 120, 9, 6, 22


def _series(columns: Sequence[models.Column], indicators: Sequence[models.Indicator]) -> list[tuple[str, models.Column]]:
    base = next((c for c in columns if c.role == "base"), None)
    target = next((c for c in columns if c.role == "target"), None)
    actual = next((c for c in columns if c.role == "actual"), None)
    if base is not None and target is not None:
        return [("基期 base", base), ("目标 target", target)]
    if target is not None and actual is not None:
        return [("目标 target", target), ("实际 actual", actual)]
    first = next((c for c in columns if c.role != "change" and any(
        cell.column_index == c.index and cell.value is not None for ind in indicators for cell in ind.cells)), None)
    return [(first.path, first)] if first is not None else []


MIN_CHART_ROWS = 2  # a unit with fewer rows compares nothing: it is named under the charts instead


def _charts(idx: int, title: str, columns: Sequence[models.Column], indicators: Sequence[models.Indicator]) -> dict[str, Any]:
    """One bar chart per unit (values of different units never share an axis), levels only; units
    with a single row get no chart and are listed as not charted."""
    series = _series(columns, indicators)
    if not series:
        return {"charts": [], "skipped": []}
    by_unit: dict[str, list[tuple[str, list[float | None], list[bool]]]] = {}
    for ind in indicators:
        by_index = {c.column_index: c for c in ind.cells}
        values = [by_index[col.index].value if col.index in by_index else None for _, col in series]
        low = [col.index in by_index and by_index[col.index].confidence < FLAG_THRESHOLD for _, col in series]
        if any(v is not None and math.isfinite(v) for v in values):
            by_unit.setdefault(ind.unit or "", []).append((ind.indicator, values, low))
    charts = []
    skipped = [f"{data[0][0]} ({unit or '—'})" for unit, data in by_unit.items() if len(data) < MIN_CHART_ROWS]
    by_unit = {unit: data for unit, data in by_unit.items() if len(data) >= MIN_CHART_ROWS}
    for number, (unit, data) in enumerate(by_unit.items()):
        capped = len(data) > MAX_CHART_ROWS
        data = data[:MAX_CHART_ROWS]
        row_h = _BAR_H * len(series) + _GAP
        scale = max((abs(v) for _, vals, _ in data for v in vals if v is not None and math.isfinite(v)), default=0.0) or 1.0
        rows = []
        for r, (name, vals, low) in enumerate(data):
            y = _TOP + r * row_h
            bars = []
            for k, v in enumerate(vals):
                if v is None or not math.isfinite(v):
                    continue
                length = max(1.0, _BAR_W * abs(v) / scale)
                bars.append({"y": y + k * _BAR_H, "width": f"{length:.1f}", "colour": _COLOURS[k % 2], "low": low[k],
                             "label_x": f"{_LABEL_W + length + 4:.1f}", "value": _num(v), "series": series[k][0]})
            rows.append({"name": name, "short": name if len(name) <= 16 else name[:15] + "…",
                         "label_y": f"{y + row_h / 2:.1f}", "bars": bars})
        caption = f"单位 {unit or '—'}: 同一坐标 one axis per unit; dashed red outline = flagged value"
        if capped:
            caption += f"; first {MAX_CHART_ROWS} rows"
        charts.append({
            "id": f"chart-{idx}-{number}", "title": f"{title} ({unit or '—'}): {' vs '.join(s for s, _ in series)}",
            "width": _LABEL_W + _BAR_W + _VAL_W, "height": _TOP + row_h * len(data) + 6, "label_w": _LABEL_W,
            "bar_h": _BAR_H - 1, "legend": [{"x": _LABEL_W + 130 * k, "name": s, "colour": _COLOURS[k % 2]}
                                              for k, (s, _) in enumerate(series)],
            "rows": rows, "caption": caption,
        })
    return {"charts": charts, "skipped": skipped}


# --------------------------------------------------------------------------- repairs and warnings


def repair_context(repair: models.Repair) -> dict[str, Any]:
    """The repair's context split around the repaired characters (at ``context_offset``, never at
    a look-alike), with the edit as pieces: ``same`` kept, ``del`` removed (a glued page digit),
    ``ins`` inserted (a restored decimal point or token)."""
    ctx = repair.context or ""
    start = repair.context_offset
    if start is None or ctx[start : start + len(repair.before)] != repair.before:
        return {"placed": False, "text": ctx}
    pieces = []
    matcher = difflib.SequenceMatcher(a=repair.before, b=repair.after, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("same", repair.before[a0:a1]))
        if op in ("delete", "replace"):
            pieces.append(("del", repair.before[a0:a1]))
        if op in ("insert", "replace"):
            pieces.append(("ins", repair.after[b0:b1]))
    return {"placed": True, "before": ctx[:start], "pieces": pieces, "after": ctx[start + len(repair.before):]}


def _anchor_of(ref: str | None, rows: dict[str, str]) -> str | None:
    """The page's anchor for a record pointer: an indicator row, a chapter or section as in the
    outline (a paragraph's), a box, a part; None where the page has no anchor."""
    if not ref:
        return None
    if ref in rows:
        return rows[ref]
    parts = ref.strip("/").split("/")
    if parts[0] == "chapters":
        keep = parts[:4] if len(parts) >= 4 and parts[2] == "sections" else parts[:2]
        return "-".join(keep)
    if parts[0] == "boxes" and len(parts) > 1:
        return f"boxes-{parts[1]}"
    if parts[0] == "parts" and len(parts) > 1:
        return f"parts-{parts[1]}"
    return None


def _repair_groups(record: models.PlanRecord) -> list[dict[str, Any]]:
    tables = {(t.box, t.table): i for i, t in enumerate(record.tables)}
    row_anchors = {f"/indicators/{i}": f"row-{tables[(ind.box, ind.table)]}-{ind.row}"
            for i, ind in enumerate(record.indicators) if (ind.box, ind.table) in tables}
    kinds = sorted({repair.kind for repair in record.repairs})
    groups = []
    for kind in kinds:
        rows = sorted((r for r in record.repairs if r.kind == kind), key=lambda r: r.offset)
        items = []
        for repair in rows:
            cls, cue, word = _conf_class(repair.confidence)
            items.append({
                "page": repair.page if repair.page is not None else "", "offset": repair.offset,
                "before": repair.before, "after": repair.after, "flagged": repair.confidence < FLAG_THRESHOLD,
                "cls": cls, "cue": cue, "word": word, "confidence": f"{repair.confidence:.2f}",
                "context": repair_context(repair) if repair.context else None,
                "ref": repair.ref or "", "anchor": _anchor_of(repair.ref, row_anchors),
            })
        flagged = sum(repair.confidence < FLAG_THRESHOLD for repair in rows)
        groups.append({"kind": kind, "rows": items, "flagged": flagged})
    return groups


# --------------------------------------------------------------------------- boxes and body


def _groups(groups: Iterable[models.Group], depth: int = 0) -> list[dict[str, Any]]:
    if depth > 8:  # records are trees of bounded depth; guard against pathological input anyway
        return []
    return [{"label": g.label, "items": list(g.items), "text": g.text if g.text and not g.items and not g.groups else "",
             "groups": _groups(g.groups, depth + 1)} for g in groups]


def _boxes(record: models.PlanRecord, table_ids: dict[int, int]) -> list[dict[str, Any]]:
    return [{
        "index": index, "number": box.number, "title": box.title, "kind": box.kind,
        "where": " ".join(x for x in (_page(box.page), f"第{box.chapter}章" if box.chapter is not None else "") if x),
        "table": table_ids.get(box.number) if box.kind == "indicator_table" else None,
        "items": list(box.items), "groups": _groups(box.groups),
        "text": box.text if box.text and not box.items and not box.groups and box.kind != "indicator_table" else "",
        "notes": list(box.notes),
    } for index, box in enumerate(record.boxes)]


def _paragraphs(paragraphs: Sequence[models.Paragraph]) -> list[dict[str, str]]:
    return [{"headline": p.headline or "",
             "rest": p.text[len(p.headline):] if p.headline and p.text.startswith(p.headline) else p.text}
            for p in paragraphs]


def _label(template: str, number: int | None) -> str:
    return template.format(number) if number is not None else ""


def _body(record: models.PlanRecord) -> dict[str, Any] | None:
    if not record.chapters and not record.preamble:
        return None
    parts = _part_anchors(record)
    shown: set[int] = set()
    # Only 第X章 styles have chapter/section ordinals in the heading; outline styles number 一、（一）.
    chapter_style = record.document.numbering in ("chapter", "part_chapter")
    ch_label, sec_label = ("第{}章 ", "第{}节 ") if chapter_style else ("{}. ", "{}. ")
    chapters = []
    for position, ch in enumerate(record.chapters):
        part = None
        if ch.part is not None and ch.part not in shown:
            shown.add(ch.part)
            anchor, title, page = _part_of(ch.part, parts)
            part = {"anchor": anchor, "title": title, "page": page}
        chapters.append({
            "part": part, "anchor": f"chapters-{position}", "label": _label(ch_label, ch.number), "title": ch.title,
            "page": _page(ch.page), "paragraphs": _paragraphs(ch.paragraphs),
            "sections": [{"anchor": f"chapters-{position}-sections-{index}", "label": _label(sec_label, sec.number),
                          "title": sec.title, "page": _page(sec.page), "paragraphs": _paragraphs(sec.paragraphs)}
                         for index, sec in enumerate(ch.sections)],
        })
    return {"preamble": _paragraphs(record.preamble), "chapters": chapters}


# --------------------------------------------------------------------------- the page


@lru_cache(maxsize=1)
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("planparse.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str]:
    folder = resources.files("planparse.report")
    return (folder / "report.css").read_text(encoding="utf-8"), (folder / "report.js").read_text(encoding="utf-8")


def render_report(record: models.PlanRecord) -> str:
    """Render one self-contained, deterministic HTML review page for a plan record."""
    from markupsafe import Markup

    css, js = _assets()
    cells = [c for ind in record.indicators for c in ind.cells]
    table_ids = {t.box: i for i, t in enumerate(record.tables) if t.box is not None}
    repairs = _repair_groups(record)
    view = {
        "title": record.document.title or record.source.path,
        "document": _document_rows(record),
        "outline": _outline(record),
        "toc": [{"title": e.title, "page": _page(e.page)} for e in record.toc] if not record.chapters else [],
        "tables": _tables(record),
        "boxes": _boxes(record, table_ids),
        "repairs": repairs,
        "repairs_total": len(record.repairs),
        "repairs_flagged": sum(group["flagged"] for group in repairs),
        "warnings": [{"code": w.code, "page": w.page if w.page is not None else "", "message": w.message}
                     for w in record.warnings],
        "counts": {
            "indicators": len(record.indicators),
            "repaired": sum(is_repaired(c) for c in cells),
            "flagged": sum(row_confidence(ind) < FLAG_THRESHOLD for ind in record.indicators),
        },
        "body": _body(record),
        # Static assets of the package, not record data: inlined verbatim.
        "css": Markup(css),
        "js": Markup(js),
    }
    return str(_environment().get_template("report.html.j2").render(**view))
