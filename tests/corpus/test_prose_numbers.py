"""The prose stage on the corpus: damaged variants whose truth is known, and clean text untouched.

The fast tests use three held-out documents (one per kind); the slow one runs every work report,
communiqué and plan of ../shared/corpus/lawtext with and without glued page numbers (the figures
benchmarks/bench_prose.py prints). Bounds sit a little below the measured figures: they catch a
regression, and the precision bound is the goal's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planparse.errors import PlanparseError
from planparse.load import load_text
from planparse.normalize import normalize
from planparse.pipeline import extract_document
from tests.tools.numbers import CorpusDocument, corpus_documents, make_variant, plain_text
from tests.tools.prose_eval import Tally, extract_prose_only, extract_variant, score_variant


def _documents(corpus: Path) -> list[CorpusDocument]:
    return corpus_documents(corpus / "lawtext")


def _one_held_out_per_kind(corpus: Path) -> list[CorpusDocument]:
    chosen: dict[str, CorpusDocument] = {}
    for document in _documents(corpus):
        if document.held_out:
            chosen.setdefault(document.kind, document)
    assert set(chosen) == {"work_report", "communique", "plan"}
    return list(chosen.values())


def test_clean_corpus_text_passes_through_untouched(corpus: Path) -> None:
    checked = 0
    for document in _documents(corpus)[::6]:
        text = plain_text(document.path.read_text(encoding="utf-8"))
        assert extract_prose_only(text).record.repairs == ()  # the stage itself changes nothing
        try:
            record = extract_document(load_text(text))
        except PlanparseError:
            continue
        checked += 1
        assert not [r for r in record.repairs if r.kind in ("decimal", "percent")], document.path.name
        assert not [w for w in record.warnings if w.code.startswith("prose_")], document.path.name
        normalized = normalize(load_text(text)).text
        paragraphs = [p for c in record.chapters for s in c.sections for p in s.paragraphs] + list(record.preamble)
        for paragraph in paragraphs:
            assert paragraph.text in normalized, (document.path.name, paragraph.text[:40])
    assert checked >= 8


def test_damaged_prose_numbers_on_three_held_out_documents(corpus: Path) -> None:
    tally = Tally()
    for index, document in enumerate(_one_held_out_per_kind(corpus)):
        variant = make_variant(plain_text(document.path.read_text(encoding="utf-8")), page_numbers=False, seed=index)
        tally.add(score_variant(variant, extract_prose_only(variant.text)))
    assert tally.decimals > 300
    assert tally.restorations_high >= 50
    assert tally.precision_high >= 0.97
    assert tally.fraction(tally.decimals_restored) >= 0.15
    assert tally.fraction(tally.decimals_silent) <= 0.03
    assert tally.integers_changed <= 1
    assert tally.offsets_off == 0


@pytest.mark.slow
def test_damaged_prose_numbers_on_the_corpus(corpus: Path) -> None:
    held_out = Tally()
    stage = Tally()
    for index, document in enumerate(_documents(corpus)):
        intact = plain_text(document.path.read_text(encoding="utf-8"))
        for per_page in (None, 600, 1350):
            variant = make_variant(intact, page_numbers=per_page is not None, chars_per_page=per_page or 600, seed=index)
            if document.held_out:
                held_out.add(score_variant(variant, extract_variant(variant.text)))
                stage.add(score_variant(variant, extract_prose_only(variant.text)))
    for tally in (held_out, stage):
        assert tally.precision_high >= 0.985
        assert tally.fraction(tally.decimals_restored) >= 0.2
        assert tally.fraction(tally.decimals_silent) <= 0.03
        assert tally.integers_changed <= 0.001 * tally.integers
        assert tally.offsets_off == 0
