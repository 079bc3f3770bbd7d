from hypothesis import given
from hypothesis import strategies as st

from planparse.damage import damage_text, strip_like_seed

_TEXT = st.text(alphabet="指标增长率（）年万元0123456789.%[] \nabcXYZ-<>", max_size=400)


@given(_TEXT)
def test_stripping_removes_exactly_what_the_seed_lost(text: str) -> None:
    stripped = strip_like_seed(text)
    assert not any(ch.isascii() and (ch.isalpha() or ch in ".%[]" or ch.isspace()) for ch in stripped)
    kept = [ch for ch in text if not (ch.isascii() and (ch.isalpha() or ch in ".%[]")) and not ch.isspace()]
    assert stripped == "".join(kept)


@given(_TEXT, st.integers(min_value=0, max_value=50))
def test_glued_page_numbers_are_recorded_where_they_sit(text: str, seed: int) -> None:
    damaged = damage_text(text, chars_per_page=60, seed=seed)
    stripped = strip_like_seed(text)
    assert [page for _, page in damaged.pages] == list(range(1, len(damaged.pages) + 1))
    pieces = []
    for index, (offset, page) in enumerate(damaged.pages):
        assert damaged.text.startswith(str(page), offset)
        end = damaged.pages[index + 1][0] if index + 1 < len(damaged.pages) else len(damaged.text)
        pieces.append(damaged.text[offset + len(str(page)) : end])
    assert "".join(pieces) == stripped  # removing the recorded numbers gives the truth back


def test_without_page_numbers_and_determinism() -> None:
    text = "服务业增加值比重（%） 50.5 [10]\n" * 80
    assert damage_text(text, page_numbers=False).text == strip_like_seed(text)
    assert damage_text(text, seed=4) == damage_text(text, seed=4)
