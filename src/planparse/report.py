"""HTML review report: one self-contained page per plan for checking extractions and repairs.

The page has no external assets (inline CSS, JS and SVG only) so it can be mailed or archived as
a single file, and the output is a pure function of the record (same record → same bytes).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from html import escape

from planparse import models

# Below this a row is "flagged" for human review (the spec's threshold).
FLAG_THRESHOLD = 0.8
# At or above this a repaired value is considered "high" confidence.
HIGH_THRESHOLD = 0.95
# Cap chart rows so a pathological table cannot produce a megabyte of SVG.
MAX_CHART_ROWS = 60

_CSS = """
:root{--hi:#e6f4ea;--hi-b:#2e7d32;--mid:#fff4d6;--mid-b:#b26a00;--lo:#fde2e1;--lo-b:#c62828;--ink:#1b1b1b;
--mute:#5f6368;--line:#d0d4d9;--accent:#1a56a6;--flag:#fff0f0}
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Zen Hei",sans-serif;
color:var(--ink);margin:0;line-height:1.5;font-size:15px}
a{color:var(--accent)}
a:focus,input:focus,[tabindex]:focus,summary:focus{outline:3px solid #ffbf47;outline-offset:1px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:9}
header.doc{padding:16px 24px;border-bottom:2px solid var(--line);background:#f7f9fc}
header.doc h1{margin:0 0 6px;font-size:24px}
header.doc dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0;font-size:14px}
header.doc dt{color:var(--mute)}header.doc dd{margin:0;word-break:break-all}
.layout{display:grid;grid-template-columns:minmax(220px,300px) 1fr;align-items:start}
nav.outline{position:sticky;top:0;max-height:100vh;overflow:auto;padding:12px 16px;border-right:1px solid var(--line);
font-size:14px}
nav.outline ul{list-style:none;padding-left:12px;margin:2px 0}
nav.outline>ul{padding-left:0}
nav.outline .pg{color:var(--mute);font-size:12px;margin-left:4px}
main{padding:12px 24px;min-width:0}
section.block{margin-bottom:28px}
h2{border-bottom:1px solid var(--line);padding-bottom:4px}
.summary{display:flex;flex-wrap:wrap;gap:8px 20px;margin:8px 0 16px;padding:0;list-style:none}
.summary li{background:#f1f3f4;padding:4px 10px;border-radius:4px}
.filters{margin:8px 0 16px;padding:8px 12px;border:1px solid var(--line);border-radius:4px;background:#fafafa}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin:6px 0 0;padding:0;list-style:none;font-size:13px}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:8px 0;font-size:14px}
caption{caption-side:top;text-align:left;font-weight:bold;padding:4px 0}
th,td{border:1px solid var(--line);padding:3px 8px;vertical-align:top}
thead th{background:#eef2f7;text-align:center}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
tbody th.ind{text-align:left;font-weight:normal}
tr.cat th,tr.grp th{text-align:left;background:#f5f5f5}
tr.grp th{background:#e8eaed}
tr.flagged>*{background:var(--flag)}
tr.flagged th.ind{box-shadow:inset 4px 0 0 var(--lo-b)}
.flagmark{color:var(--lo-b);font-weight:bold;font-size:12px;margin-left:4px;white-space:nowrap}
body.only-flagged tr.ind:not(.flagged){display:none}
.rep{position:relative;cursor:help}
.rep .cue{font-size:11px;margin-left:2px;font-weight:bold}
.rep.c-hi{background:var(--hi);border-bottom:2px solid var(--hi-b)}
.rep.c-hi .cue{color:var(--hi-b)}
.rep.c-mid{background:var(--mid);border-bottom:2px dotted var(--mid-b)}
.rep.c-mid .cue{color:var(--mid-b)}
.rep.c-lo{background:repeating-linear-gradient(135deg,var(--lo) 0 6px,#fff 6px 9px);border-bottom:3px double var(--lo-b)}
.rep.c-lo .cue{color:var(--lo-b)}
.sw{display:inline-block;min-width:2.4em;text-align:center;padding:0 4px;border-radius:2px}
.tip{display:none;position:absolute;z-index:5;top:100%;right:0;min-width:14em;max-width:26em;text-align:left;
white-space:normal;background:#202124;color:#fff;padding:6px 8px;border-radius:4px;font-size:13px;
font-weight:normal;box-shadow:0 2px 6px rgba(0,0,0,.3)}
.tip b{color:#ffe08a}
.tip ul{margin:2px 0 0;padding-left:16px}
.rep:hover .tip,.rep:focus .tip,.rep:focus-within .tip{display:block}
body.tips-off .rep .tip{display:none}
.notes{font-size:13px;color:var(--mute)}
figure.chart{margin:8px 0 16px}
figure.chart figcaption{font-size:13px;color:var(--mute)}
svg text{font-size:11px;fill:#333}
.box{border:1px solid var(--line);border-radius:6px;padding:8px 14px;margin:10px 0;background:#fcfcfd}
.box h3{margin:4px 0 8px;font-size:16px}
.box .groups>li{margin-bottom:4px}
.kind{font-size:12px;color:var(--mute);font-weight:normal;margin-left:6px}
mark{background:#ffe08a}
details{margin:4px 0}
.muted{color:var(--mute)}
@media (max-width:800px){.layout{grid-template-columns:1fr}nav.outline{position:static;max-height:none;
border-right:0;border-bottom:1px solid var(--line)}}
@media print{
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font-size:11pt}
.filters,.tip,.skip,noscript{display:none!important}
body.only-flagged tr.ind{display:table-row!important}
.layout{display:block}
nav.outline{position:static;max-height:none;border:0;overflow:visible}
.scroll{overflow:visible}
table{page-break-inside:auto;width:100%}
tr,figure.chart,.box{break-inside:avoid;page-break-inside:avoid}
thead{display:table-header-group}
h2,h3,caption{break-after:avoid;page-break-after:avoid}
a{color:inherit;text-decoration:none}
}
"""

# Tiny progressive enhancement: the filter and Escape-to-dismiss tooltips. Without JS the page
# still shows every row and tooltips still open on hover/focus (pure CSS).
_JS = """
(function(){
var box=document.getElementById('only-flagged');
function apply(){document.body.classList.toggle('only-flagged',box.checked);}
if(box){box.addEventListener('change',apply);apply();}
document.addEventListener('keydown',function(ev){
if(ev.key==='Escape'){document.body.classList.add('tips-off');}
});
// Place the tooltip in viewport coordinates so the table's scroll box cannot clip it.
function place(cell){var tip=cell.querySelector('.tip');if(!tip){return;}
var r=cell.getBoundingClientRect();tip.style.position='fixed';
var left=Math.max(4,Math.min(r.left,window.innerWidth-tip.offsetWidth-8));
var top=r.bottom+4;if(top+tip.offsetHeight>window.innerHeight){top=Math.max(4,r.top-tip.offsetHeight-4);}
tip.style.left=left+'px';tip.style.top=top+'px';tip.style.right='auto';}
function show(ev){var c=ev.target&&ev.target.closest?ev.target.closest('.rep'):null;
if(c){document.body.classList.remove('tips-off');place(c);}}
document.addEventListener('focusin',function(ev){document.body.classList.remove('tips-off');show(ev);});
document.addEventListener('mouseover',show);
})();
"""


def _e(text: object) -> str:
    """Escape any value for HTML text and attribute context."""
    return escape("" if text is None else str(text), quote=True)


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


def _slug(*parts: object) -> str:
    return "-".join(str(p).replace(" ", "_") for p in parts)


# --------------------------------------------------------------------------- header and outline


def _header(record: models.PlanRecord) -> str:
    doc = record.document
    src = record.source
    title = doc.title or src.path
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
    items = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows)
    return f'<header class="doc" role="banner"><h1>{_e(title)}</h1><dl>{items}</dl></header>'


def _outline(record: models.PlanRecord) -> str:
    """Nested list of parts → chapters → sections (from the body), plus links to the review sections."""
    parts_by_number = {p.number: p for p in record.parts}
    out: list[str] = ['<nav class="outline" aria-label="目录 Outline"><h2>目录</h2><ul>']
    open_part: int | None = None
    for chapter in record.chapters:
        if chapter.part != open_part:
            if open_part is not None:
                out.append("</ul></li>")  # a chapter of another part (or of none) closes the open part
            open_part = chapter.part
            if chapter.part is not None:
                part = parts_by_number.get(chapter.part)
                label = part.title if part else f"第{chapter.part}篇"
                page = part.page if part else None
                out.append(
                    f'<li><a href="#part-{chapter.part}">{_e(label)}</a>'
                    f'<span class="pg">{_e(_page(page))}</span><ul>'
                )
        out.append(
            f'<li><a href="#ch-{chapter.number}">{_e(chapter.title)}</a><span class="pg">{_e(_page(chapter.page))}</span>'
        )
        if chapter.sections:
            out.append("<ul>")
            for section in chapter.sections:
                out.append(
                    f'<li><a href="#sec-{chapter.number}-{section.number}">{_e(section.title)}</a>'
                    f'<span class="pg">{_e(_page(section.page))}</span></li>'
                )
            out.append("</ul>")
        out.append("</li>")
    if open_part is not None:
        out.append("</ul></li>")
    if not record.chapters and record.toc:
        # No body structure: fall back to the table of contents (no anchors to jump to).
        for entry in record.toc:
            out.append(f'<li class="muted">{_e(entry.title)}<span class="pg">{_e(_page(entry.page))}</span></li>')
    out.append("</ul><h2>审阅 Review</h2><ul>")
    for i, table in enumerate(record.tables):
        out.append(f'<li><a href="#tbl-{i}">{_e(table.title)}</a><span class="pg">{_e(_page(table.page))}</span></li>')
    if record.boxes:
        out.append('<li><a href="#boxes">专栏 Boxes</a></li>')
    out.append('<li><a href="#repairs">修复 Repairs</a></li><li><a href="#warnings">警告 Warnings</a></li>')
    out.append("</ul></nav>")
    return "".join(out)


# --------------------------------------------------------------------------- indicator tables


def header_rows(columns: Sequence[models.Column]) -> list[list[tuple[str, int, int]]]:
    """Header rows for value columns as (label, colspan, rowspan), from paths split on ``/``.

    Consecutive columns sharing a prefix at a level are merged with colspan; a column whose path ends
    above the deepest level spans the remaining rows.
    """
    paths = [[seg for seg in c.path.split("/")] or [""] for c in columns]
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


def _columns_for(table: models.Table | None, indicators: Sequence[models.Indicator]) -> list[models.Column]:
    if table is not None and table.columns:
        return sorted(table.columns, key=lambda c: c.index)
    # No table metadata: infer the columns from the cells so nothing is dropped.
    seen: dict[int, str] = {}
    for ind in indicators:
        for cell in ind.cells:
            seen.setdefault(cell.column_index, cell.column)
    return [
        models.Column(index=i, path=p, year=None, role="other", cumulative=None) for i, p in sorted(seen.items())
    ]


def _tooltip(cell: models.Cell, tip_id: str) -> str:
    _, _, word = _conf_class(cell.confidence)
    alts = "".join(
        f"<li>{_e(_alt_display(a))} <span class=\"muted\">(score {_e(_num(round(a.score, 3)) or '0')})</span></li>"
        for a in cell.alternatives
    )
    alt_html = f"<ul>{alts}</ul>" if alts else " none"
    return (
        f'<span class="tip" role="tooltip" id="{_e(tip_id)}">'
        f"<b>读数</b> {_e(cell_display(cell))}<br>"
        f"<b>原始 raw</b> {_e(cell.raw or '—')}<br>"
        f"<b>置信度</b> {_e(f'{cell.confidence:.2f}')} ({word})<br>"
        f"<b>候选 alternatives</b>{alt_html}</span>"
    )


def _value_cell(cell: models.Cell | None, tip_id: str) -> str:
    if cell is None:
        return '<td class="num muted">—</td>'
    shown = _e(cell_display(cell))
    if not is_repaired(cell):
        return f'<td class="num" data-raw="{_e(cell.raw)}">{shown}</td>'
    cls, cue, word = _conf_class(cell.confidence)
    return (
        f'<td class="num rep {cls}" tabindex="0" aria-describedby="{_e(tip_id)}" '
        f'data-confidence="{cell.confidence:.3f}" data-raw="{_e(cell.raw)}">'
        f'<span class="sw">{shown}</span><span class="cue" aria-label="{_e("repaired, " + word + " confidence")}">'
        f"{cue}</span>{_tooltip(cell, tip_id)}</td>"
    )


def row_confidence(indicator: models.Indicator) -> float:
    """The weakest cell confidence of a row (1.0 for a row without cells)."""
    return min((c.confidence for c in indicator.cells), default=1.0)


def _table_html(idx: int, table: models.Table | None, title: str, indicators: Sequence[models.Indicator]) -> str:
    columns = _columns_for(table, indicators)
    has_number = any(ind.number is not None for ind in indicators)
    has_unit = any(ind.unit for ind in indicators)
    has_attr = (table.attribute_column if table else False) or any(ind.attribute for ind in indicators)
    rows = header_rows(columns) if columns else [[]]
    depth = len(rows)
    lead: list[str] = []
    if has_number:
        lead.append("序号")
    lead.append("指标")
    if has_unit:
        lead.append("单位")
    ncols = len(lead) + len(columns) + (1 if has_attr else 0)
    thead: list[str] = []
    for level, row in enumerate(rows):
        cells: list[str] = []
        if level == 0:
            cells += [f'<th scope="col" rowspan="{depth}">{_e(x)}</th>' for x in lead]
        for label, colspan, rowspan in row:
            scope = "colgroup" if colspan > 1 else "col"
            span = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
            cells.append(f'<th scope="{scope}"{span}>{_e(label)}</th>')
        if level == 0 and has_attr:
            cells.append(f'<th scope="col" rowspan="{depth}">属性</th>')
        thead.append(f"<tr>{''.join(cells)}</tr>")
    body: list[str] = []
    group: str | None = None
    category: str | None = None
    flagged = 0
    for ind in indicators:
        if ind.group and ind.group != group:
            group, category = ind.group, None
            body.append(f'<tr class="grp"><th scope="rowgroup" colspan="{ncols}">{_e(ind.group)}</th></tr>')
        if ind.category and ind.category != category:
            category = ind.category
            body.append(f'<tr class="cat"><th scope="rowgroup" colspan="{ncols}">{_e(ind.category)}</th></tr>')
        conf = row_confidence(ind)
        is_flagged = conf < FLAG_THRESHOLD
        flagged += is_flagged
        by_index = {c.column_index: c for c in ind.cells}
        tds: list[str] = []
        if has_number:
            tds.append(f'<td class="num">{_e(ind.number if ind.number is not None else "")}</td>')
        mark = (
            f'<span class="flagmark">⚑ 待核 flagged ({_e(f"{conf:.2f}")})</span>' if is_flagged else ""
        )
        raw_note = (
            f' title="{_e("原文: " + ind.indicator_raw)}"' if ind.indicator_raw and ind.indicator_raw != ind.indicator else ""
        )
        tds.append(f'<th scope="row" class="ind"{raw_note}>{_e(ind.indicator)}{mark}</th>')
        if has_unit:
            tds.append(f"<td>{_e(ind.unit or '')}</td>")
        for col in columns:
            tds.append(_value_cell(by_index.get(col.index), f"tip-{idx}-{ind.row}-{col.index}"))
        if has_attr:
            tds.append(f"<td>{_e(ind.attribute or '')}</td>")
        cls = "ind flagged" if is_flagged else "ind"
        body.append(
            f'<tr class="{cls}" id="row-{idx}-{ind.row}" data-row="{ind.row}" data-confidence="{conf:.3f}">'
            f"{''.join(tds)}</tr>"
        )
    meta = [_page(table.page) if table else "", f"{len(indicators)} rows", f"{flagged} flagged"]
    if table is not None and table.damaged:
        meta.append("数值受损已修复 damaged values repaired")
    notes = ""
    if table is not None:
        extra = [f"[ ] = {table.bracket_meaning}"] if table.bracket_meaning else []
        lines = [*table.notes, *extra]
        if lines:
            notes = '<div class="notes">' + "".join(f"<p>{_e(n)}</p>" for n in lines) + "</div>"
    anchor = f' id="box-table-{table.box}"' if table is not None and table.box is not None else ""
    return (
        f'<section class="block" id="tbl-{idx}" aria-labelledby="tbl-{idx}-h"><h2 id="tbl-{idx}-h"{anchor}>'
        f'{_e(title)}</h2><p class="muted">{_e(" · ".join(m for m in meta if m))}</p>'
        f'<div class="scroll"><table class="indicators" data-table="{idx}"><caption>{_e(title)}</caption>'
        f"<thead>{''.join(thead)}</thead><tbody>{''.join(body)}</tbody></table></div>"
        f"{notes}{_chart(idx, title, columns, indicators)}</section>"
    )


def _pick(columns: Sequence[models.Column], role: str) -> models.Column | None:
    return next((c for c in columns if c.role == role), None)


def _chart(idx: int, title: str, columns: Sequence[models.Column], indicators: Sequence[models.Indicator]) -> str:
    """Inline SVG: base vs target bars per indicator (each row scaled to itself, units differ by row),
    or, without a base/target pair, one bar per row for the first numeric column scaled to the table."""
    base, target = _pick(columns, "base"), _pick(columns, "target")
    series: list[tuple[str, models.Column]] = []
    if base is not None and target is not None:
        series = [("基期 base", base), ("目标 target", target)]
    else:
        first = next(
            (c for c in columns if any(
                cell.column_index == c.index and cell.value is not None for ind in indicators for cell in ind.cells
            )),
            None,
        )
        if first is not None:
            series = [(first.path, first)]
    if not series:
        return ""
    data: list[tuple[str, list[float | None], list[bool]]] = []
    for ind in indicators:
        by_index = {c.column_index: c for c in ind.cells}
        values = [by_index[col.index].value if col.index in by_index else None for _, col in series]
        low = [col.index in by_index and by_index[col.index].confidence < FLAG_THRESHOLD for _, col in series]
        if any(v is not None and math.isfinite(v) for v in values):
            data.append((ind.indicator, values, low))
    if not data:
        return ""
    data = data[:MAX_CHART_ROWS]
    colours = ["#8ab4f8", "#1a56a6"]
    label_w, bar_w, val_w = 210, 300, 120
    bar_h, gap = 9, 6
    row_h = bar_h * len(series) + gap
    top = 22
    height = top + row_h * len(data) + 6
    width = label_w + bar_w + val_w
    table_max = max(
        (abs(v) for _, vals, _ in data for v in vals if v is not None and math.isfinite(v)), default=0.0
    )
    out = [
        f'<figure class="chart"><svg role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="chart-{idx}-t"><title id="chart-{idx}-t">'
        f"{_e(title)}: {_e(' vs '.join(s for s, _ in series))}</title>"
    ]
    x = label_w
    for k, (name, _) in enumerate(series):
        out.append(
            f'<rect x="{x}" y="4" width="10" height="10" fill="{colours[k % 2]}"/>'
            f'<text x="{x + 14}" y="13">{_e(name)}</text>'
        )
        x += 130
    for r, (name, vals, low) in enumerate(data):
        y = top + r * row_h
        short = name if len(name) <= 16 else name[:15] + "…"
        out.append(f'<text x="{label_w - 6}" y="{y + row_h / 2:.1f}" text-anchor="end">{_e(short)}</text>')
        finite = [abs(v) for v in vals if v is not None and math.isfinite(v)]
        scale = (max(finite) if len(series) > 1 else table_max) or 1.0
        for k, v in enumerate(vals):
            by = y + k * bar_h
            if v is None or not math.isfinite(v):
                continue
            length = max(1.0, bar_w * abs(v) / scale)
            dash = ' stroke="#c62828" stroke-width="1.5" stroke-dasharray="3 2"' if low[k] else ""
            out.append(
                f'<rect x="{label_w}" y="{by}" width="{length:.1f}" height="{bar_h - 1}" fill="{colours[k % 2]}"{dash}>'
                f"<title>{_e(name)} · {_e(series[k][0])}: {_e(_num(v))}</title></rect>"
                f'<text x="{label_w + length + 4:.1f}" y="{by + bar_h - 1}">{_e(_num(v))}{"‼" if low[k] else ""}</text>'
            )
    out.append("</svg>")
    cap = (
        "每行按自身最大值缩放（各行单位不同）; dashed red outline = flagged value"
        if len(series) > 1
        else "按全表最大值缩放; dashed red outline = flagged value"
    )
    if len(indicators) > MAX_CHART_ROWS:
        cap += f"; first {MAX_CHART_ROWS} rows"
    out.append(f"<figcaption>{_e(cap)}</figcaption></figure>")
    return "".join(out)


def _tables(record: models.PlanRecord) -> list[str]:
    """Pair each table with its rows by (box, table); rows that match no table get their own table."""
    keyed: dict[tuple[int | None, str | None], list[models.Indicator]] = {}
    for ind in record.indicators:
        keyed.setdefault((ind.box, ind.table), []).append(ind)
    out: list[str] = []
    used: set[tuple[int | None, str | None]] = set()
    for i, table in enumerate(record.tables):
        key = (table.box, table.table)
        rows = keyed.get(key, []) if key not in used else []
        used.add(key)
        out.append(_table_html(i, table, table.title, sorted(rows, key=lambda r: r.row)))
    n = len(record.tables)
    for key, rows in keyed.items():
        if key in used:
            continue
        title = f"指标 (专栏{key[0]})" if key[0] is not None else "指标 Indicators"
        out.append(_table_html(n, None, title, sorted(rows, key=lambda r: r.row)))
        n += 1
    return out


# --------------------------------------------------------------------------- boxes, body, repairs


def _groups(groups: Iterable[models.Group], depth: int = 0) -> str:
    if depth > 8:  # records are trees of bounded depth; guard against pathological input anyway
        return ""
    items: list[str] = []
    for g in groups:
        inner = "".join(f"<li>{_e(i)}</li>" for i in g.items)
        body = f"<ul>{inner}</ul>" if inner else (f"<p>{_e(g.text)}</p>" if g.text and not g.groups else "")
        sub = _groups(g.groups, depth + 1) if g.groups else ""
        items.append(f"<li><strong>{_e(g.label)}</strong>{body}{sub}</li>")
    return f'<ul class="groups">{"".join(items)}</ul>'


def _boxes(record: models.PlanRecord, table_ids: dict[int, int]) -> str:
    if not record.boxes:
        return ""
    out = ['<section class="block" id="boxes" aria-labelledby="boxes-h"><h2 id="boxes-h">专栏 Boxes</h2>']
    for box in record.boxes:
        where = " ".join(x for x in (_page(box.page), f"第{box.chapter}章" if box.chapter is not None else "") if x)
        out.append(
            f'<article class="box" id="box-{box.number}" aria-labelledby="box-{box.number}-h">'
            f'<h3 id="box-{box.number}-h">专栏{_e(box.number)} {_e(box.title)}'
            f'<span class="kind">{_e(box.kind)} {_e(where)}</span></h3>'
        )
        if box.kind == "indicator_table" and box.number in table_ids:
            out.append(f'<p><a href="#tbl-{table_ids[box.number]}">→ 指标表 indicator table</a></p>')
        if box.items:
            out.append("<ul>" + "".join(f"<li>{_e(i)}</li>" for i in box.items) + "</ul>")
        if box.groups:
            out.append(_groups(box.groups))
        if box.text and not box.items and not box.groups and box.kind != "indicator_table":
            out.append(f"<p>{_e(box.text)}</p>")
        if box.notes:
            out.append('<div class="notes">' + "".join(f"<p>{_e(n)}</p>" for n in box.notes) + "</div>")
        out.append("</article>")
    out.append("</section>")
    return "".join(out)


def _paragraphs(paragraphs: Sequence[models.Paragraph]) -> str:
    if not paragraphs:
        return ""
    body = "".join(
        f"<p>{'<strong>' + _e(p.headline) + '</strong>' if p.headline else ''}"
        f"{_e(p.text[len(p.headline):] if p.headline and p.text.startswith(p.headline) else p.text)}</p>"
        for p in paragraphs
    )
    return f"<details><summary>{len(paragraphs)} 段 paragraphs</summary>{body}</details>"


def _body(record: models.PlanRecord) -> str:
    if not record.chapters and not record.preamble:
        return ""
    out = ['<section class="block" id="body" aria-labelledby="body-h"><h2 id="body-h">正文 Text</h2>']
    if record.preamble:
        out.append("<h3>序言 Preamble</h3>" + _paragraphs(record.preamble))
    parts = {p.number: p for p in record.parts}
    shown: set[int] = set()
    # Only 第X章 styles have chapter/section ordinals in the heading; outline styles number 一、（一）.
    chapter_style = record.document.numbering in ("chapter", "part_chapter")
    ch_label, sec_label = ("第{}章 ", "第{}节 ") if chapter_style else ("{}. ", "{}. ")
    for ch in record.chapters:
        if ch.part is not None and ch.part not in shown:
            shown.add(ch.part)
            part = parts.get(ch.part)
            out.append(
                f'<h3 id="part-{ch.part}">{_e(part.title if part else f"第{ch.part}篇")} '
                f'<span class="muted">{_e(_page(part.page if part else None))}</span></h3>'
            )
        out.append(
            f'<h3 id="ch-{ch.number}">{_e(ch_label.format(ch.number))}{_e(ch.title)} '
            f'<span class="muted">{_e(_page(ch.page))}</span></h3>'
        )
        out.append(_paragraphs(ch.paragraphs))
        for sec in ch.sections:
            out.append(
                f'<h4 id="sec-{ch.number}-{sec.number}">{_e(sec_label.format(sec.number))}{_e(sec.title)} '
                f'<span class="muted">{_e(_page(sec.page))}</span></h4>'
            )
            out.append(_paragraphs(sec.paragraphs))
    out.append("</section>")
    return "".join(out)


def _context(repair: models.Repair) -> str:
    """The repair's context with the repaired text highlighted when it can be found."""
    ctx = repair.context
    if not ctx:
        return '<span class="muted">—</span>'
    needle = repair.after or repair.before
    pos = ctx.find(needle) if needle else -1
    if pos < 0:
        return _e(ctx)
    return f"{_e(ctx[:pos])}<mark>{_e(needle)}</mark>{_e(ctx[pos + len(needle):])}"


def _repairs(record: models.PlanRecord) -> str:
    out = ['<section class="block" id="repairs" aria-labelledby="repairs-h"><h2 id="repairs-h">修复 Repairs</h2>']
    if not record.repairs:
        out.append("<p>没有修复 No repairs.</p></section>")
        return "".join(out)
    counts: dict[str, int] = {}
    for r in record.repairs:
        counts[r.kind] = counts.get(r.kind, 0) + 1
    out.append('<ul class="summary">' + "".join(f"<li>{_e(k)}: {v}</li>" for k, v in sorted(counts.items())) + "</ul>")
    for kind in sorted(counts):
        rows = [r for r in record.repairs if r.kind == kind]
        rows.sort(key=lambda r: r.offset)
        trs = []
        for r in rows:
            cls, cue, word = _conf_class(r.confidence)
            trs.append(
                f'<tr class="{"flagged" if r.confidence < FLAG_THRESHOLD else ""}">'
                f'<td class="num">{_e(r.page if r.page is not None else "")}</td><td class="num">{r.offset}</td>'
                f"<td><code>{_e(r.before) or '∅'}</code></td><td><code>{_e(r.after) or '∅'}</code></td>"
                f'<td class="num"><span class="sw rep {cls}">{r.confidence:.2f}{cue}</span>'
                f'<span class="visually-hidden"> {word}</span></td><td>{_context(r)}</td></tr>'
            )
        out.append(
            f'<div class="scroll"><table class="repairs" data-kind="{_e(kind)}"><caption>{_e(kind)} ({len(rows)})</caption>'
            '<thead><tr><th scope="col">页 page</th><th scope="col">位置 offset</th><th scope="col">原 before</th>'
            '<th scope="col">改 after</th><th scope="col">置信度</th><th scope="col">上下文 context</th></tr></thead>'
            f"<tbody>{''.join(trs)}</tbody></table></div>"
        )
    out.append("</section>")
    return "".join(out)


def _warnings(record: models.PlanRecord) -> str:
    out = ['<section class="block" id="warnings" aria-labelledby="warnings-h"><h2 id="warnings-h">警告 Warnings</h2>']
    if not record.warnings:
        out.append("<p>没有警告 No warnings.</p>")
    else:
        trs = "".join(
            f'<tr><td><code>{_e(w.code)}</code></td><td class="num">{_e(w.page if w.page is not None else "")}</td>'
            f"<td>{_e(w.message)}</td></tr>"
            for w in record.warnings
        )
        out.append(
            f'<div class="scroll"><table class="warnings"><caption>{len(record.warnings)} warnings</caption>'
            '<thead><tr><th scope="col">code</th><th scope="col">页 page</th><th scope="col">message</th></tr></thead>'
            f"<tbody>{trs}</tbody></table></div>"
        )
    out.append("</section>")
    return "".join(out)


def _filters(record: models.PlanRecord) -> str:
    cells = [c for ind in record.indicators for c in ind.cells]
    repaired = sum(is_repaired(c) for c in cells)
    flagged = sum(row_confidence(ind) < FLAG_THRESHOLD for ind in record.indicators)
    legend = (
        '<ul class="legend"><li><span class="sw rep c-hi">12.3*</span> repaired, high confidence (≥0.95)</li>'
        '<li><span class="sw rep c-mid">12.3?</span> repaired, medium (0.8–0.95)</li>'
        '<li><span class="sw rep c-lo">12.3‼</span> low (&lt;0.8), row flagged ⚑</li>'
        "<li>悬停或 Tab 聚焦查看原始数字和候选 · hover or Tab to a value for raw digits and alternatives</li></ul>"
    )
    return (
        '<section class="filters" aria-label="筛选 Filters">'
        f'<ul class="summary"><li>{len(record.indicators)} indicators</li><li>{repaired} repaired values</li>'
        f"<li>{flagged} flagged rows</li><li>{len(record.repairs)} repairs</li>"
        f"<li>{len(record.warnings)} warnings</li></ul>"
        '<label><input type="checkbox" id="only-flagged"> 只显示待核行 show only flagged rows</label>'
        f"{legend}</section>"
    )


def render_report(record: models.PlanRecord) -> str:
    """Render one self-contained, deterministic HTML review page for a plan record."""
    title = record.document.title or record.source.path
    tables = _tables(record)
    table_ids = {t.box: i for i, t in enumerate(record.tables) if t.box is not None}
    main = "".join(
        [_filters(record), *tables, _boxes(record, table_ids), _repairs(record), _warnings(record), _body(record)]
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; img-src data:\">"
        f"<title>{_e(title)} — planparse review</title><style>{_CSS}"
        ".visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}</style></head>"
        f'<body><a class="skip" href="#main">跳到正文 Skip to content</a>{_header(record)}'
        f'<div class="layout">{_outline(record)}<main id="main">{main}</main></div>'
        f"<script>{_JS}</script></body></html>\n"
    )
