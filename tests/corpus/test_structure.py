"""The corpus harness as tests: every lawtext document and the national 13th outline, in every
variant (raw Markdown, plain text, TOCs with dot leaders and pages, without pages, listing only
篇/章, and text damaged the seed's way with glued page numbers of short and long pages, with and
without a TOC, and without page numbers). See tests/tools/corpus.py for where the truth comes
from and benchmarks/bench_structure.py for the printed tables.

Where a goal of issues 11 and 14 is met the test asserts the goal; where it is not yet met, it
asserts today's level as a floor (a ratchet: raise it when the figure improves) and the goal
stays open in the issue.
"""

from __future__ import annotations

import pytest

from tests.tools.corpus import documents
from tests.tools.harness import VariantTally, reliability, run

LINED = ("md", "txt", "txt_toc_dots", "txt_toc_nopages", "txt_toc_partchapter")
CLEAN = ("md", "txt", "txt_toc_dots", "txt_toc_nopages", "txt_toc_partchapter")
FLAT = ("flat_short", "flat_long", "flat_notoc", "flat_nopages", "flat_toc_cut")


@pytest.fixture(scope="module")
def tallies(corpus) -> dict[tuple[str, str], VariantTally]:  # type: ignore[no-untyped-def]
    return run(documents())


def _share(tallies: dict[tuple[str, str], VariantTally], kinds: tuple[str, ...], names: tuple[str, ...]) -> float:
    chosen = [tally for (kind, name), tally in tallies.items() if kind in kinds and name in names]
    return sum(t.right for t in chosen) / max(1, sum(t.truth for t in chosen))


def test_every_variant_of_every_document_is_read(tallies) -> None:  # type: ignore[no-untyped-def]
    rejected = [line for tally in tallies.values() for line in tally.rejected]
    assert rejected == [], rejected


@pytest.mark.parametrize("name", LINED)
def test_headings_of_the_outlines_on_lined_variants(tallies, name: str) -> None:  # type: ignore[no-untyped-def]
    assert _share(tallies, ("outline",), (name,)) >= 0.99


@pytest.mark.parametrize("kind", ["work_report", "communique"])
@pytest.mark.parametrize("name", ["md", "txt"])
def test_headings_of_reports_and_communiques_on_markdown_and_text(tallies, kind: str, name: str) -> None:  # type: ignore[no-untyped-def]
    assert _share(tallies, (kind,), (name,)) >= 0.98


@pytest.mark.parametrize(
    ("kind", "name", "floor"),
    [
        ("outline", "flat_short", 0.997), ("outline", "flat_long", 0.997), ("outline", "flat_notoc", 0.99),
        ("outline", "flat_nopages", 0.99), ("outline", "flat_toc_cut", 0.992),
        # (re-based on the truth that counts plain-line headings, tests/tools/corpus.py
        # _plain_heading_lines: 22 more work-report headings, 1 more reform heading; the code
        # before that commit scores 0.961 / 0.961 / 0.961 and 0.784 on it)
        # (titles10: glossary, 关于-year, annex-year and salutation headings: 1382, 1383, 1383 of 1421)
        # (titles11: 关于X part headings, 1984: flat_short 1385, flat_nopages 1386 of 1421; communiqués with the
        # short-sibling title style: 180, 181, 184 of 185)
        ("work_report", "flat_short", 0.974), ("work_report", "flat_long", 0.973), ("work_report", "flat_nopages", 0.975),
        ("reform", "flat_short", 0.784),
        ("communique", "flat_short", 0.972), ("communique", "flat_long", 0.977), ("communique", "flat_nopages", 0.994),
    ],
)
def test_headings_of_damaged_flattened_text_floor(tallies, kind: str, name: str, floor: float) -> None:  # type: ignore[no-untyped-def]
    """Issue 14's goal is 99% / 98% here too; today's level is the floor (titles of flattened
    text without a TOC are the gap)."""
    assert _share(tallies, (kind,), (name,)) >= floor


def test_no_markdown_document_loses_structure_silently(tallies) -> None:  # type: ignore[no-untyped-def]
    silent = [line for (kind, name), tally in tallies.items() if name == "md" for line in tally.silent]
    assert silent == []
    everywhere = [line for tally in tallies.values() for line in tally.silent]
    # (a document whose headings are right but for pages that a page warning names is not silent:
    # tests/tools/harness.PAGE_WARNINGS)
    assert len(everywhere) <= 1, everywhere


def test_reform_files_on_text_variants(tallies) -> None:  # type: ignore[no-untyped-def]
    """Files of several documents (a decision, the plan, its explanation): floor at today's level."""
    assert _share(tallies, ("reform",), ("txt",)) >= 0.96
    assert _share(tallies, ("reform",), ("md",)) >= 0.99


def test_front_matter(tallies) -> None:  # type: ignore[no-untyped-def]
    for names, goal in ((("md", "txt"), 0.98), (FLAT, 0.95)):
        values = [v for (kind, name), t in tallies.items() if name in names for v in (*t.titles, *t.issuers, *t.dates)]
        assert sum(values) / len(values) >= goal, names


def test_do_no_harm_on_clean_input(tallies) -> None:  # type: ignore[no-untyped-def]
    for (kind, name), tally in tallies.items():
        if name not in CLEAN:
            continue
        assert tally.page_repairs_on_clean == 0, (kind, name)
        assert tally.digits_lost == 0, (kind, name)


def test_no_page_number_removed_from_damaged_text_without_page_numbers(tallies) -> None:  # type: ignore[no-untyped-def]
    removed = {kind: tally.page_removed for (kind, name), tally in tallies.items() if name == "flat_nopages"}
    assert set(removed.values()) == {0}, removed


@pytest.mark.parametrize(
    ("kinds", "precision", "recall"),
    # (communiqués: since the variants break pages only at printed line starts, a page number
    # between two table rows sticks to the row's digits: precision 0.962, recall 0.878)
    [(("outline", "work_report"), 0.995, 0.985), (("communique",), 0.96, 0.87)],
)
def test_glued_page_numbers_floor(tallies, kinds: tuple[str, ...], precision: float, recall: float) -> None:  # type: ignore[no-untyped-def]
    """Issue 11's goal is 99.5% / 97%; today's level is the floor."""
    chosen = [t for (kind, name), t in tallies.items() if kind in kinds and name in ("flat_short", "flat_long")]
    removed = sum(t.page_removed for t in chosen)
    correct = sum(t.page_correct for t in chosen)
    truth = sum(t.page_truth for t in chosen)
    assert correct / removed >= precision and correct / truth >= recall


def test_glued_page_numbers_under_a_toc_cut_short(tallies) -> None:  # type: ignore[no-untyped-def]
    """The TOC's last page capped the page numbers: with the TOC cut after its first third, half of
    the outlines' page numbers stayed in the text (recall 50.4 %)."""
    chosen = [t for (kind, name), t in tallies.items() if name == "flat_toc_cut"]
    removed = sum(t.page_removed for t in chosen)
    correct = sum(t.page_correct for t in chosen)
    truth = sum(t.page_truth for t in chosen)
    assert truth and correct / removed >= 0.995 and correct / truth >= 0.97


def test_page_removal_confidence_is_calibrated(tallies) -> None:  # type: ignore[no-untyped-def]
    pairs = [pair for tally in tallies.values() for pair in tally.page_confidences]
    error, _ = reliability(pairs)
    assert error <= 0.03
