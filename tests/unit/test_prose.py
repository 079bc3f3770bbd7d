from planparse import parse
from tests.plans import SMALL_PLAN


def _damaged_plan() -> str:
    text = SMALL_PLAN.replace("到2025年，生态环境质量持续改善。", "到2025年，森林覆盖率达到32.0%，城镇污水处理率达到95.0%。")
    from planparse.damage import strip_like_seed

    return strip_like_seed(text)


def test_prose_numbers_get_their_decimal_point_back() -> None:
    record = parse(_damaged_plan())
    decimal = [repair for repair in record.repairs if repair.kind == "decimal"]
    assert {(repair.before, repair.after) for repair in decimal} == {("320", "32.0%"), ("950", "95.0%")}
    texts = " ".join(p.text for c in record.chapters for s in c.sections for p in s.paragraphs)
    assert "达到32.0%" in texts and "达到95.0%" in texts
    assert "达到320" not in texts


def test_seed_prose_repairs_agree_with_table_values(seed_text: str) -> None:
    record = parse(seed_text)
    values = {cell.value for row in record.indicators for cell in row.cells if cell.value is not None}
    decimal = [repair for repair in record.repairs if repair.kind == "decimal"]
    assert decimal
    for repair in decimal:
        assert float(repair.after.rstrip("%")) in values
        assert repair.after.replace(".", "").rstrip("%") == repair.before


def test_a_surviving_per_mille_sign_is_no_evidence_that_decimals_survived() -> None:
    from planparse.load import load_text
    from planparse.normalize import normalize
    from planparse.text.damage import detect_damage

    sentence = "全年国内生产总值990865亿元，比上年增长61，第一产业增加值70467亿元，增长31。"
    text = sentence * 20 + "全年出生率为1048‰，死亡率为714‰。"
    source = load_text(text)
    assert detect_damage(source, normalize(source)).has("decimals_stripped")
    intact = load_text(text.replace("增长61", "增长6.1%"))
    assert not detect_damage(intact, normalize(intact)).has("decimals_stripped")
