from planparse.damage import strip_like_seed
from planparse.normalize import normalize_text
from planparse.text.pages import remove_page_numbers
from planparse.toc import scan_front_matter
from planparse.tokens import is_damaged, restore_tokens


def _restore(text: str):  # type: ignore[no-untyped-def]
    norm = normalize_text(text)
    return restore_tokens(remove_page_numbers(norm, scan_front_matter(norm)))


def test_tokens_come_back_only_in_their_context() -> None:
    clean = "推进政府和社会资本合作（PPP）模式。发展3D打印设备。PM2.5未达标城市浓度下降。万元GDP用水量下降。建设G1211哈尔滨至吉林段高速公路。共有3个项目。"
    damaged = strip_like_seed(clean) + "指标12345678"
    paged = _restore(damaged)
    for token in ("（PPP）模式", "3D打印", "PM2.5未达标", "万元GDP用水量", "G1211哈尔滨"):
        assert token in paged.text
    assert "3个项目" in paged.text
    kinds = {repair.kind for repair in paged.repairs}
    assert kinds == {"token"}
    for repair in paged.repairs:
        assert damaged[repair.offset : repair.offset + len(repair.before)] == repair.before
        assert strip_like_seed(repair.after) == strip_like_seed(repair.before)
    assert paged.raw_slice(0, len(paged.text)) == damaged


def test_intact_text_is_left_alone() -> None:
    text = "推进政府和社会资本合作（PPP）模式，PM2.5浓度下降。"
    assert not is_damaged(text)
    paged = _restore(text)
    assert paged.text == text and not paged.repairs


def test_mobile_generations_and_attraction_grades_come_back() -> None:
    # A work report's 5G基站 and 4A级旅游景区 lost their letters: the 5 and the 4 had been removed
    # as page numbers (0.93, 0.97), and the tokens were never restored.
    clean = "开通5G基站3055个，新增上云企业。烧酒作坊遗址景区获评国家4A级旅游景区。共有5个基站在建。"
    damaged = strip_like_seed(clean) + "指标12345678"
    paged = _restore(damaged)
    assert "5G基站3055个" in paged.text and "4A级旅游景区" in paged.text
    assert "5个基站" in paged.text  # a count of stations stays a count


def test_a_tokens_digits_are_never_a_page_candidate() -> None:
    from planparse.text.pages import _Context

    text = "开通5基站3055个，获评国家4级旅游景区。"
    context = _Context(text)
    five, four = text.index("5基站"), text.index("4级")
    assert context.features(five, five + 1, five, five + 1) is None
    assert context.features(four, four + 1, four, four + 1) is None
    count = text.index("3055")
    assert context.features(count, count + 4, count, count + 4) is not None
