"""Warnings' pointers on the corpus: every warning of a record made from ../shared/corpus/lawtext
(the Markdown as published, its structure-harness variants, damaged prose) has a ``ref`` that
resolves in the record, ``refs`` of its code's shape, and names the element its message is about
(tests/tools/refcheck.py). A sample runs by default, every document under ``-m slow``."""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from planparse.errors import PlanparseError
from planparse.load import load, load_text
from planparse.models import PlanRecord
from planparse.pipeline import extract_document
from tests.tools.corpus import documents, variants
from tests.tools.numbers import corpus_documents, make_variant, plain_text
from tests.tools.refcheck import warning_problems

VARIANTS = ("md", "txt", "txt_toc_dots", "txt_toc_nopages", "txt_toc_partchapter", "flat_short", "flat_long", "flat_notoc",
            "flat_nopages")


def _structure_records(step: int, names: tuple[str, ...]) -> Iterator[tuple[str, PlanRecord]]:
    with tempfile.TemporaryDirectory() as folder:
        for document in documents()[::step]:
            for variant in variants(document):
                if variant.name not in names:
                    continue
                path = Path(folder) / f"variant{variant.suffix}"
                path.write_text(variant.text, encoding="utf-8")
                try:
                    yield f"{document.name} {variant.name}", extract_document(load(path))
                except PlanparseError:
                    continue


def _prose_records(corpus: Path, step: int) -> Iterator[tuple[str, PlanRecord]]:
    for index, document in enumerate(corpus_documents(corpus / "lawtext")):
        if index % step:
            continue
        variant = make_variant(plain_text(document.path.read_text(encoding="utf-8")), page_numbers=True, seed=index)
        try:
            yield f"{document.path.name} damaged", extract_document(load_text(variant.text))
        except PlanparseError:
            continue


def _check(records: Iterator[tuple[str, PlanRecord]]) -> Counter[str]:
    codes: Counter[str] = Counter()
    problems = []
    for name, record in records:
        codes.update(warning.code for warning in record.warnings)
        problems += [(name, *problem) for problem in warning_problems(record)]
    assert problems == [], problems[:10]
    return codes


def test_warnings_point_at_their_elements_on_a_corpus_sample(corpus: Path) -> None:
    codes = _check(_structure_records(10, ("md", "flat_short", "txt_toc_dots")))
    codes += _check(_prose_records(corpus, 12))
    # The sample raises warnings of every stage that writes them: structure, tables, prose.
    assert {"heading_title_uncertain", "indicator_uncertain", "prose_number_unverified"} <= set(codes), codes
    assert sum(codes.values()) > 300


@pytest.mark.slow
def test_warnings_point_at_their_elements_on_every_corpus_document(corpus: Path) -> None:
    codes = _check(_structure_records(1, VARIANTS))
    codes += _check(_prose_records(corpus, 1))
    assert len(codes) >= 15 and sum(codes.values()) > 5000
