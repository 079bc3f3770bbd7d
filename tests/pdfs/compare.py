"""How far each producer's PDF gives the record of its text. Run from the project root:

    python -m tests.pdfs.compare

For every committed PDF (and the Word document the LibreOffice PDF was converted from) it reads
the record on a host with a CJK system font and on one without (PDFium's font folders replaced,
tests/fixtures/pdfium_host.py), and compares it with the record of the ``<name>.txt`` beside it
and with the cells the document prints:

- headings: chapters and sections (number, title) as the text record has them, and how many carry
  the printed page their TOC entry names;
- paragraphs: (text, headline) as the text record has them, in order;
- boxes: (number, title, kind, notes) as the text record has them;
- cells: every indicator cell the document prints, right when its row's name and its printed form
  (raw digits as printed and the words after them) are the printed ones; for the text record too;
- hosts: whether the records of the two hosts are byte-identical.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PDFS = ("reportlab_plan", "libreoffice_plan", "weasyprint_plan", "seed_plan")
SYSTEM_CJK = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


@dataclass(frozen=True)
class PrintedRow:
    indicator: str  # the name without its unit
    cells: tuple[str, ...]  # as printed


def printed_rows(name: str) -> list[PrintedRow]:
    """The indicator rows the document prints."""
    if name == "seed_plan":
        rows = json.loads((HERE / "seed_plan_cells.json").read_text(encoding="utf-8"))
        return [PrintedRow(row["indicator"], tuple(cell["printed"] for cell in row["cells"])) for row in rows]
    if name == "reportlab_plan":
        from tests.fixtures.make_plan_pdf import TABLE_ROWS

        return [PrintedRow(row.name.split("（")[0], row.cells) for row in TABLE_ROWS]
    from tests.fixtures.make_plan_docx import INDICATORS

    return [PrintedRow(row[2].split("（")[0], tuple(row[4:])) for row in INDICATORS]


def printed_form(cell: dict[str, Any]) -> str:
    """A record cell as the document printed it: its raw digits and the words after them."""
    raw, text = cell["raw"], cell["text"]
    return raw + (text if text and text != raw else "")


_PRINTED_NUMBER = regex.compile(r"^(?:[<>≤≥]=?)?\[?(?:[<>≤≥]=?)?(-?\d+(?:\.\d+)?)")


def printed_value(printed: str) -> float | None:
    """The number a printed cell shows (``[>3]`` → 3, ``19.6完成任务`` → 19.6), None for words and ``--``."""
    match = _PRINTED_NUMBER.match(printed)
    return float(match.group(1)) if match else None


def cells_right(record: dict[str, Any], truth: list[PrintedRow]) -> tuple[int, int, list[str]]:
    """(cells right, cells printed, the wrong ones): the record's indicator rows in order against the printed rows."""
    right = 0
    wrong = []
    rows = record["indicators"]
    for index, row in enumerate(truth):
        got = rows[index] if index < len(rows) else None
        for column, printed in enumerate(row.cells):
            cell = got["cells"][column] if got is not None and column < len(got["cells"]) else None
            if (got is not None and got["indicator"] == row.indicator and cell is not None and printed_form(cell) == printed
                    and cell["value"] == printed_value(printed)):
                right += 1
            else:
                shown = (printed_form(cell), cell["value"]) if cell is not None else None
                wrong.append(f"{row.indicator} col{column + 1}: printed {printed!r}, read (as printed, value) {shown!r}")
    return right, sum(len(row.cells) for row in truth), wrong


def headings(record: dict[str, Any]) -> list[tuple[str, int, str]]:
    result = []
    for chapter in record["chapters"]:
        result.append(("chapter", chapter["number"], chapter["title"]))
        result += [("section", section["number"], section["title"]) for section in chapter["sections"]]
    return result


def heading_pages(record: dict[str, Any]) -> tuple[int, int]:
    """(headings whose page is the one their TOC entry prints, TOC entries), in document order."""
    placed = []
    parts = {part["number"]: part for part in record["parts"]}
    for index, chapter in enumerate(record["chapters"]):
        if chapter["part"] is not None and (index == 0 or record["chapters"][index - 1]["part"] != chapter["part"]):
            part = parts[chapter["part"]]
            placed.append((("part", part["number"], part["title"]), part["page"]))
        placed.append((("chapter", chapter["number"], chapter["title"]), chapter["page"]))
        placed += [(("section", section["number"], section["title"]), section["page"]) for section in chapter["sections"]]
    toc = [((entry["level"], entry["number"], entry["title"]), entry["page"]) for entry in record["toc"]]
    return sum(1 for (key, page), (entry, printed) in zip(placed, toc) if key == entry and printed is not None and page == printed), len(toc)


def paragraphs(record: dict[str, Any]) -> list[tuple[str, str | None]]:
    found = [(p["text"], p["headline"]) for p in record["preamble"]]
    for chapter in record["chapters"]:
        found += [(p["text"], p["headline"]) for p in chapter["paragraphs"]]
        found += [(p["text"], p["headline"]) for section in chapter["sections"] for p in section["paragraphs"]]
    return found


def boxes(record: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(box["number"], box["title"], box["kind"], tuple(box["notes"])) for box in record["boxes"]]


def on_host(pdf: Path, fonts: Path | None) -> dict[str, Any]:
    """The record of a PDF read by a PDFium whose only system font folder is ``fonts`` (None: this machine's own)."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.fixtures.pdfium_host", str(fonts) if fonts else "-", "on", str(pdf)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=True,
    )
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def text_record(name: str) -> dict[str, Any]:
    import planparse
    from planparse.emit import record_data

    record = planparse.parse_text((HERE / f"{name}.txt").read_text(encoding="utf-8"))
    return json.loads(json.dumps(record_data(record), ensure_ascii=False, sort_keys=True))


def docx_record() -> tuple[dict[str, Any], dict[str, Any]]:
    """The Word plan's record and its text's record."""
    import planparse
    from planparse.emit import record_data
    from tests.fixtures.make_plan_docx import plan_docx

    made = plan_docx(toc_pages=(1, 1, 1, 2, 2, 2, 2, 3, 3))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.docx"
        path.write_bytes(made.docx)
        record = record_data(planparse.parse(path))
    as_json = json.loads(json.dumps(record, ensure_ascii=False, sort_keys=True))
    return as_json, json.loads(json.dumps(record_data(planparse.parse_text(made.text)), ensure_ascii=False, sort_keys=True))


def row(name: str, fonts: str, record: dict[str, Any], text: dict[str, Any], identical: str) -> tuple[list[str], list[str]]:
    truth = printed_rows(name.replace(".docx", "").replace("plan_docx", "libreoffice_plan"))
    same_headings = sum(1 for a, b in zip(headings(record), headings(text)) if a == b)
    on_page, paged = heading_pages(record)
    same_paragraphs = sum(1 for a, b in zip(paragraphs(record), paragraphs(text)) if a == b)
    same_boxes = sum(1 for a, b in zip(boxes(record), boxes(text)) if a == b)
    right, total, wrong = cells_right(record, truth)
    text_right, _, _ = cells_right(text, truth)
    cells = [name, fonts, f"{same_headings}/{len(headings(text))}", f"{on_page}/{paged}" if record["source"]["format"] == "pdf" else "n/a",
             f"{same_paragraphs}/{len(paragraphs(text))}", f"{same_boxes}/{len(boxes(text))}",
             f"{right}/{total}", f"{text_right}/{total}", identical]
    return cells, wrong


def main() -> None:
    header = ["document", "host fonts", "headings as text", "heading pages = TOC", "paragraphs as text", "boxes as text", "cells right (file)",
              "cells right (its text)", "records of both hosts identical"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        with_cjk, without = Path(folder) / "cjk", Path(folder) / "none"
        with_cjk.mkdir()
        without.mkdir()
        (with_cjk / SYSTEM_CJK.name).symlink_to(SYSTEM_CJK)
        for name in PDFS:
            pdf = HERE / f"{name}.pdf"
            text = text_record(name)
            records = {"CJK font": on_host(pdf, with_cjk), "none": on_host(pdf, without)}
            identical = "yes" if records["CJK font"] == records["none"] else "NO"
            for fonts, record in records.items():
                cells, wrong = row(name, fonts, record, text, identical)
                lines.append("| " + " | ".join(cells) + " |")
                failures += [f"{name} ({fonts}): {entry}" for entry in wrong]
    record, text = docx_record()
    cells, wrong = row("plan_docx", "n/a", record, text, "n/a")
    lines.append("| " + " | ".join(cells) + " |")
    failures += [f"plan.docx: {entry}" for entry in wrong]
    print("\n".join(lines))
    if failures:
        print("\ncells not read as printed:")
        print("\n".join(f"- {entry}" for entry in failures))


if __name__ == "__main__":
    main()
