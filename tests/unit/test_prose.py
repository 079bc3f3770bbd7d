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
