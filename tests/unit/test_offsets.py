from hypothesis import given
from hypothesis import strategies as st

from planparse.offsets import OffsetMap, OffsetMapBuilder, delete_spans


def test_identity_map() -> None:
    assert OffsetMap()(0) == 0
    assert OffsetMap()(123) == 123


@given(st.text(min_size=0, max_size=60), st.lists(st.tuples(st.integers(0, 60), st.integers(0, 5)), max_size=6))
def test_delete_spans_maps_every_kept_char_back(text: str, raw_spans: list[tuple[int, int]]) -> None:
    spans: list[tuple[int, int]] = []
    cursor = 0
    for start, length in sorted(raw_spans):
        start = max(start, cursor)
        end = min(start + length, len(text))
        if start < end:
            spans.append((start, end))
            cursor = end
    derived, mapping = delete_spans(text, spans)
    removed = {i for start, end in spans for i in range(start, end)}
    assert derived == "".join(ch for i, ch in enumerate(text) if i not in removed)
    for index, char in enumerate(derived):
        assert text[mapping(index)] == char


def test_builder_insert_maps_to_following_origin() -> None:
    builder = OffsetMapBuilder()
    builder.keep("（", 0)
    builder.insert("PPP", 1)
    builder.keep("）模式", 1)
    text, mapping = builder.build()
    assert text == "（PPP）模式"
    assert [mapping(i) for i in range(len(text))] == [0, 1, 1, 1, 1, 2, 3]


def test_composition() -> None:
    inner_text, inner = delete_spans("ab12cd", [(2, 4)])
    outer_text, outer = delete_spans(inner_text, [(0, 1)])
    assert outer_text == "bcd"
    composed = outer.then(inner)
    assert ["ab12cd"[composed(i)] for i in range(3)] == ["b", "c", "d"]
