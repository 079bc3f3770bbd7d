from pathlib import Path

from planparse.damage import damage_text, strip_like_seed
from planparse.normalize import normalize_text
from planparse.pages import remove_page_numbers
from planparse.toc import scan_front_matter
from tests.corpus_text import markdown_to_text


def _paged(text: str):  # type: ignore[no-untyped-def]
    norm = normalize_text(text)
    front = scan_front_matter(norm)
    return front, remove_page_numbers(norm, front)


def test_seed_pages_form_one_sequence_and_match_the_toc(seed_text: str) -> None:
    front, paged = _paged(seed_text)
    printed = [page for _, page in paged.page_starts]
    assert printed == list(range(1, len(printed) + 1))
    assert printed[-1] >= max(entry.page or 0 for entry in front.toc)
    assert not [warning for warning in paged.warnings if warning.code in ("toc_page_mismatch", "page_missing")]
    front_marks = [marker for marker in front.markers if marker.front]
    assert len(paged.repairs) == len(printed) + len(front_marks)
    for repair in paged.repairs:
        assert seed_text[repair.offset : repair.offset + len(repair.before)] == repair.before
        assert repair.kind == "page_number" and 0 < repair.confidence <= 1


def test_every_toc_heading_lies_on_its_page(seed_text: str) -> None:
    front, paged = _paged(seed_text)
    for entry in front.toc:
        position = paged.text.find(entry.label + entry.title, paged.body_start)
        assert position >= 0
        assert paged.page_at(position) == entry.page, entry


def test_glued_page_numbers_are_recovered_from_a_damaged_national_outline(corpus: Path) -> None:
    clean = strip_like_seed(markdown_to_text(corpus / "national_13th_fyp_outline.md"))
    damaged = damage_text(clean, chars_per_page=700, seed=3)
    _, paged = _paged(damaged.text)
    # A page starts at the character after its number: step back over the digits.
    found = {(paged.to_normalized(offset) - len(str(page)), page) for offset, page in paged.page_starts}
    truth = set(damaged.pages[1:])  # page 1 sits before the title: nothing marks where it starts
    recovered = len(truth & found) / len(truth)
    assert recovered >= 0.95, recovered
    assert len(found - truth) <= 0.05 * len(truth)


def test_texts_without_page_numbers_get_none(corpus: Path) -> None:
    text = markdown_to_text(corpus / "national_13th_fyp_outline.md")
    _, paged = _paged(text)
    assert paged.page_starts == () and paged.repairs == ()


def test_removal_is_idempotent(seed_text: str) -> None:
    _, paged = _paged(seed_text)
    _, again = _paged(paged.text)
    assert not [repair for repair in again.repairs if repair.offset > again.body_start]
