"""The table generator (tests/tools/tablegen.py) and the harness that scores against it."""

from __future__ import annotations

from pathlib import Path

import pytest

from planparse import models
from planparse.bench.repair import Figures, align, cell_right, score_record
from planparse.damage import strip_like_seed
from tests.tools import tablegen


def test_generation_is_deterministic_and_seeds_differ() -> None:
    first, again, other = tablegen.generate(3), tablegen.generate(3), tablegen.generate(4)
    assert first == again
    assert first.intact != other.intact


@pytest.mark.parametrize("layout", tablegen.LAYOUTS)
def test_every_layout_prints_its_truth(layout: str) -> None:
    for seed in range(4):
        case = tablegen.generate(seed, layout)
        lines = case.intact.splitlines()
        header = next(line for line in lines if line.startswith("指标"))
        assert all(column.split("/")[-1] in header for column in case.table.columns)
        for row in case.table.rows:
            line = next(line for line in lines if row.name in line and not line.endswith(row.name))
            printed = " ".join(cell.printed for cell in row.cells)
            assert printed in line, (line, printed)
            assert len(row.cells) == len(case.table.columns)
        # The damaged text is the intact one stripped the seed's way, with page numbers glued in.
        assert set(strip_like_seed(case.intact)) >= set(case.damaged) - set("0123456789")
        assert len(case.damaged) == len(strip_like_seed(case.intact)) + sum(len(str(page)) for page in range(1, case.pages + 1))


def test_the_unit_cells_layout_prints_each_levels_unit_in_its_cell() -> None:
    # tables13: the 1953 plan prints 发电量 72.6亿度 | 159亿度 | 219; an extra layout (apart from LAYOUTS, whose
    # documents stay as they were) prints every level with its unit and the rate without.
    assert "unit_cells" in tablegen.EXTRA_LAYOUTS and "unit_cells" not in tablegen.LAYOUTS
    seen = 0
    for seed in range(6):
        case = tablegen.generate(seed, "unit_cells")
        lines = case.intact.splitlines()
        for row in case.table.rows:
            if not row.unit or row.cells[0].value is None:
                continue
            line = next(line for line in lines if line.startswith(row.name + " "))
            assert f" {row.cells[0].printed}{row.unit} " in line and not line.endswith(row.unit)
            seen += 1
    assert seen >= 10


def test_layouts_cover_what_the_issue_names() -> None:
    texts = {layout: "".join(tablegen.generate(seed, layout).intact for seed in range(20)) for layout in tablegen.LAYOUTS}
    joined = "".join(texts.values())
    for token in ("前15家", "1.1级", "PM2.5", "5G", "4A级", "零发生", "持续改善", "完成国家下达任务"):
        assert token in joined, token
    assert "单位" in texts["unit_col"] and "备注" in texts["note_col"] and "2035年" in texts["long_range"]
    assert "基期" in texts["base_target"] or "现状值" in texts["base_target"]
    assert "实际完成" in texts["review"] or "完成情况" in texts["review"]
    rows = [row for layout in tablegen.LAYOUTS for seed in range(8) for row in tablegen.generate(seed, layout).table.rows]
    assert any(not row.consistent for row in rows), "tables must disagree with themselves sometimes"
    assert any(row.group for row in rows) and any(row.category for row in rows)


def test_generator_does_not_draw_from_the_solvers_priors() -> None:
    source = Path(tablegen.__file__).read_text(encoding="utf-8")
    code = source.split('"""', 2)[2]  # after the module docstring
    assert "indicators.yaml" not in code and "priors" not in code
    assert "import repair" not in code and "planparse.repair" not in code and "planparse.data" not in code


def test_held_out_seeds_are_disjoint_from_development_seeds() -> None:
    dev = {case.seed for case in tablegen.cases(tablegen.dev_seeds(20))}
    held = {case.seed for case in tablegen.cases(tablegen.held_out_seeds(20))}
    assert not dev & held


def _cell(value: float | None, **extra: object) -> models.Cell:
    fields: dict[str, object] = {"column": "2020年", "column_index": 1, "raw": "", "value": value, "comparator": None,
                                 "cumulative": None, "text": None, "confidence": 0.95, "alternatives": []}
    fields.update(extra)
    return models.Cell(**fields)  # type: ignore[arg-type]


def test_cell_comparison_checks_value_flag_comparator_and_word() -> None:
    assert cell_right(_cell(60.5), tablegen.TrueCell("60.5", 60.5))
    assert not cell_right(_cell(605.0), tablegen.TrueCell("60.5", 60.5))
    assert not cell_right(_cell(5.3, cumulative=False), tablegen.TrueCell("[5.3]", 5.3, True))
    assert not cell_right(_cell(6.5), tablegen.TrueCell(">6.5", 6.5, comparator=">"))
    assert cell_right(_cell(None, text="零发生"), tablegen.TrueCell("零发生", None, text="零发生"))
    assert not cell_right(_cell(None), tablegen.TrueCell("零发生", None, text="零发生"))


def test_alignment_skips_rows_that_were_not_emitted() -> None:
    assert align(["森林覆盖率", "PM2.5浓度", "耕地保有量"], ["森林覆盖率", "耕地保有量"]) == [0, None, 1]
    assert align(["PM2.5浓度下降"], ["25浓度下降"]) == [0]


def test_the_harness_can_fail() -> None:
    """A record that reads one cell wrong at high confidence, unwarned, is silently wrong; a
    record that drops a row unwarned loses its cells silently too."""
    from planparse import parse_text

    case = tablegen.generate(1, "seed")
    record = parse_text(case.intact)
    figures = Figures()
    score_record(record, case.table, figures, damaged=False)
    baseline = figures.silent
    first = record.indicators[0]
    numeric = next(index for index, cell in enumerate(first.cells) if cell.value is not None)
    cells = list(first.cells)
    cells[numeric] = cells[numeric].model_copy(update={"value": (cells[numeric].value or 0) * 10 + 1})
    broken = record.model_copy(update={"indicators": [first.model_copy(update={"cells": cells}), *record.indicators[2:]], "warnings": []})
    worse = Figures()
    score_record(broken, case.table, worse, damaged=False)
    assert worse.silent >= baseline + 1 + len(case.table.rows[1].cells)
    assert worse.exact < figures.exact
