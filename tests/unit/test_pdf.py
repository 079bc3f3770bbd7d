"""The PDF path: generated plan PDFs (reportlab, STSong-Light), the real government PDF in the
shared corpus, and every kind of bad PDF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import planparse
from planparse.cli import app
from planparse.emit import record_data
from planparse.errors import InputError
from planparse.load import load
from tests.fixtures.make_plan_pdf import encrypted_pdf, image_only_pdf, plan_pdf


@pytest.fixture(scope="module")
def long_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data, text = plan_pdf(repeat_body=12)
    path = tmp_path_factory.mktemp("pdf") / "plan.pdf"
    path.write_bytes(data)
    return path, text


def _structure(record: planparse.models.PlanRecord) -> dict:  # type: ignore[name-defined]
    data = record_data(record)
    keep = {}
    keep["document"] = data["document"]
    keep["chapters"] = [
        (c["number"], c["title"], [p["text"] for p in c["paragraphs"]],
         [(s["number"], s["title"], [(p["text"], p["headline"]) for p in s["paragraphs"]]) for s in c["sections"]])
        for c in data["chapters"]
    ]
    keep["boxes"] = [(b["number"], b["title"], b["kind"], b["items"], b["groups"], b["notes"]) for b in data["boxes"]]
    keep["indicators"] = [(i["indicator"], i["unit"], i["attribute"], [(c["value"], c["cumulative"]) for c in i["cells"]]) for i in data["indicators"]]
    return keep


def test_pdf_record_equals_the_text_record(long_plan: tuple[Path, str]) -> None:
    path, text = long_plan
    from_pdf = planparse.parse(path)
    from_text = planparse.parse(text)
    assert _structure(from_pdf) == _structure(from_text)
    assert from_pdf.source.format == "pdf" and from_pdf.source.page_count and from_pdf.source.page_count > 3


def test_furniture_is_removed_and_kept_as_page_metadata(long_plan: tuple[Path, str]) -> None:
    path, _ = long_plan
    record = planparse.parse(path)
    assert record.pages[0].printed is None  # the cover
    printed = [page.printed for page in record.pages[1:]]
    assert printed == list(range(1, len(printed) + 1))
    dumped = json.dumps(record_data(record), ensure_ascii=False)
    assert "—" not in dumped.replace("——", "")
    paragraphs = [p for c in record.chapters for s in c.sections for p in s.paragraphs]
    assert not any("滨海市生态保护规划" in p.text for p in paragraphs)
    pages = [p.page for p in paragraphs]
    assert pages == sorted(pages) and pages[-1] == printed[-1]


def test_real_government_pdf_matches_its_labels(corpus: Path) -> None:
    record = planparse.parse(corpus / "govdoc_cn_397" / "397.pdf")
    labels = (corpus / "govdoc_cn_397" / "397_labels_bio.txt").read_text(encoding="utf-8").splitlines()
    spans: dict[str, list[str]] = {}
    for line in labels:
        char, _, tag = line.rpartition(" ")
        if tag.startswith("B_"):
            spans.setdefault(tag[2:], []).append(char)
        elif tag.startswith("I_") and spans.get(tag[2:]):
            spans[tag[2:]][-1] += char
    assert record.document.title == spans["正文标题"][0].replace(" ", "")
    first = [title for title in spans["一级标题"]]
    second = [title for title in spans["二级标题"]]
    assert [c.title for c in record.chapters] == [t.split("、", 1)[1].rstrip("。") for t in first]
    assert [s.title for c in record.chapters for s in c.sections] == [t.split("）", 1)[1].rstrip("。") for t in second]
    assert record.document.numbering == "outline"
    assert [page.printed for page in record.pages] == list(range(1, 6))
    assert record.document.date == "2019-08"


def _bad(tmp_path: Path) -> dict[str, Path]:
    data, _ = plan_pdf()
    files = {
        "encrypted": encrypted_pdf(),
        "scanned": image_only_pdf(),
        "truncated": data[: len(data) // 3],
        "zero": b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
    }
    paths = {}
    for name, blob in files.items():
        paths[name] = tmp_path / f"{name}.pdf"
        paths[name].write_bytes(blob)
    return paths


@pytest.mark.parametrize(
    ("name", "message"),
    [("encrypted", "--password"), ("scanned", "OCR is needed"), ("truncated", "corrupt or truncated"), ("zero", "no pages|corrupt")],
)
def test_bad_pdfs_give_one_clear_error(tmp_path: Path, name: str, message: str) -> None:
    path = _bad(tmp_path)[name]
    with pytest.raises(InputError, match=message) as info:
        load(path)
    assert "\n" not in str(info.value)


def test_encrypted_pdf_opens_with_its_password(tmp_path: Path) -> None:
    path = _bad(tmp_path)["encrypted"]
    document = load(path, password="secret")
    assert "第一章" in document.text
    with pytest.raises(InputError, match="wrong password"):
        load(path, password="nope")


def test_cid_garbage_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from planparse import pdf

    real = pdf._lines

    def garbage(textpage: object, count: int) -> list:  # type: ignore[type-arg]
        return [pdf._Line("(cid:12)(cid:34)(cid:56)\ufffd\ufffd", line.left, line.right, line.bottom, line.top) for line in real(textpage, count)]

    monkeypatch.setattr(pdf, "_lines", garbage)
    data, _ = plan_pdf()
    path = tmp_path / "cid.pdf"
    path.write_bytes(data)
    with pytest.raises(InputError, match="cid"):
        load(path)


def test_bad_pdfs_in_a_batch_fail_alone(tmp_path: Path) -> None:
    paths = _bad(tmp_path)
    good, _ = plan_pdf()
    (tmp_path / "good.pdf").write_bytes(good)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "-o", str(out), "--format", "json"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == len(paths)
    assert sorted(p.name for p in out.glob("*.json")) == ["good.json"]
    assert "Traceback" not in result.stderr
