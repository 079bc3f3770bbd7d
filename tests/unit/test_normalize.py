import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from planparse.normalize import normalize_text

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E50)
MIXED = st.text(
    alphabet=st.one_of(
        CJK,
        st.sampled_from(list("０１２３ＡＢａｂ0123abc.%[]（）：，。 \n\t\u3000\u200b\u00ad\ufeff\r")),
        st.characters(codec="utf-8"),
    ),
    max_size=80,
)


def test_fullwidth_letters_and_digits_become_ascii_but_punctuation_stays() -> None:
    result = normalize_text("ＧＤＰ增长６．５％（预期性），达到１２３。")
    assert result.text.startswith("GDP增长6")
    assert "（预期性），" in result.text
    assert "。" in result.text


def test_invisible_and_control_characters_are_removed() -> None:
    assert normalize_text("取\u200b消\u00ad许\ufeff可\x07").text == "取消许可"


def test_a_soft_hyphen_between_digits_is_a_printed_dash_not_nothing() -> None:
    # GovDoc-CN 397: pdfplumber reads （2014\xad2020 年）; dropped, the two years became 20142020.
    result = normalize_text("规划纲要（2014\u00ad2020 年）的通知，信\u00ad用")
    assert result.text == "规划纲要（2014-2020年）的通知，信用"
    assert result.to_source(result.text.index("-")) == "规划纲要（2014".__len__()


def test_whitespace_next_to_cjk_is_dropped_between_numbers_kept() -> None:
    result = normalize_text("常住人口城镇化率（%） 预期性  60.5\t65.8\n[5.3]\n第二节 发展")
    assert result.text == "常住人口城镇化率（%）预期性60.5 65.8 [5.3]第二节发展"


def test_line_breaks_are_remembered() -> None:
    result = normalize_text("第一章总则\n发展目标\n\n第二章")
    assert result.text == "第一章总则发展目标第二章"
    assert sorted(result.line_breaks) == [5, 9]


def test_flattened_and_line_broken_text_normalize_alike() -> None:
    lines = "第一章攻坚克难\n东北地区是工业\n摇篮。\n第一节发展环境\n“十二五”时期，"
    assert normalize_text(lines).text == normalize_text(lines.replace("\n", "")).text


@given(MIXED)
def test_normalizing_twice_equals_once(text: str) -> None:
    once = normalize_text(text).text
    assert normalize_text(once).text == once


@given(MIXED)
def test_every_char_maps_back_to_its_source(text: str) -> None:
    result = normalize_text(text)
    for index, char in enumerate(result.text):
        origin = text[result.to_source(index)]
        if char == " ":
            assert origin.isspace() or origin == "\u3000"
        else:
            assert unicodedata.normalize("NFKC", origin) == char or origin == char
