"""Every warning names what it concerns as JSON pointers (issue 15 item 5): ``ref`` and ``refs``
resolve in the record and name the right element, and no warning code can be added without them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import planparse
from planparse.models import PlanRecord, RecordWarning
from planparse.refs import WARNING_TARGETS, common_ancestor, matches
from tests.plans import SMALL_PLAN
from tests.tools.refcheck import resolve, warning_problems

SOURCE = Path(planparse.__file__).parent


@pytest.fixture(scope="module")
def seed(seed_text: str) -> PlanRecord:
    return planparse.parse_text(seed_text)


def test_every_seed_warning_points_at_its_element(seed: PlanRecord) -> None:
    assert len(seed.warnings) > 30
    assert warning_problems(seed) == []
    data = planparse.emit.record_data(seed)
    for warning in seed.warnings:
        assert warning.code in ("indicator_uncertain", "indicator_prior_only", "prose_number_unverified", "page_number_uncertain")
        assert warning.ref is not None and warning.refs == [warning.ref]
        if warning.code == "page_number_uncertain":
            assert matches(warning.ref, "/pages/*")  # a removal at 0.74 of the seed's 60 (all right)
        elif warning.code.startswith("indicator_"):
            assert matches(warning.ref, "/indicators/*/cells/*")
            cell = resolve(data, warning.ref)
            assert f"/ {cell['column']}: " in warning.message and cell["raw"] in warning.message
        else:  # numbers of a 专栏's prose
            assert matches(warning.ref, "/boxes/*")


def _with_toc(text: str) -> str:
    return text.replace("2021年3月\n", "2021年3月\n目录\n第一章总体要求\n第二章重点任务\n第四章实施保障\n")


def _paged(text: str) -> str:
    line = "推进污染治理，重点流域水质改善。\n"
    pages = "".join(line * 30 + f"{page}\n" for page in (1, 2, 4, 5))  # page 3's number is missing
    return text.replace("第一节发展基础\n", "第一节发展基础\n" + pages)


CASES = [
    # (what, text, code, ref, refs)
    ("a TOC entry that breaks the sequence", _with_toc(SMALL_PLAN), "toc_sequence", "/toc/2", ["/toc/2"]),
    ("a TOC entry with no heading", _with_toc(SMALL_PLAN), "toc_entry_unmatched", "/toc/2", ["/toc/2"]),
    ("a count over the whole list", _with_toc(SMALL_PLAN), "heading_count_mismatch", "/headings", []),
    ("a box of unknown kind", SMALL_PLAN.replace("东区：滨河湿地、东湖公园。西区：西山林场、青龙河谷。", "本栏目介绍重点区域的建设安排和保障措施，共有三项内容"),
     "box_text_uncertain", "/boxes/2", ["/boxes/2"]),
    ("a section before every chapter", SMALL_PLAN.replace("第一章总体要求\n本规划", "第一节编制依据\n依据有关法律编制。\n第一章总体要求\n本规划"),
     "section_without_chapter", "/headings/0", ["/headings/0"]),
    ("a page whose number is missing", _paged(SMALL_PLAN), "page_missing", "/pages/2", ["/pages/2"]),
    ("an intact row that does not add up", SMALL_PLAN.replace("30.5 32.0 [1.5]", "30.5 32.0 [2.5]"), "indicator_arithmetic",
     "/indicators/0", ["/indicators/0"]),
]


@pytest.mark.parametrize(("what", "text", "code", "ref", "refs"), CASES, ids=[case[0] for case in CASES])
def test_a_warning_names_the_element_it_concerns(what: str, text: str, code: str, ref: str, refs: list[str]) -> None:
    record = planparse.parse_text(text)
    found = [warning for warning in record.warnings if warning.code == code]
    assert len(found) == 1, (what, [w.code for w in record.warnings])
    assert (found[0].ref, found[0].refs) == (ref, refs)
    assert warning_problems(record) == []


def test_the_missing_page_points_at_the_page_that_holds_its_text() -> None:
    record = planparse.parse_text(_paged(SMALL_PLAN))
    warning = next(w for w in record.warnings if w.code == "page_missing")
    assert warning.ref is not None
    assert resolve(planparse.emit.record_data(record), warning.ref)["printed"] == warning.page == 3


def test_unverified_prose_numbers_name_their_paragraphs() -> None:
    from tests.unit.test_prose import _damaged_plan

    record = planparse.parse_text(_damaged_plan())
    flagged = [warning for warning in record.warnings if warning.code == "prose_number_unverified"]
    assert flagged and warning_problems(record) == []
    for warning in flagged:
        assert warning.refs and all("/paragraphs/" in pointer for pointer in warning.refs)
        assert warning.ref == common_ancestor(warning.refs)


def test_the_checker_catches_a_pointer_at_the_wrong_element(seed: PlanRecord) -> None:
    warning = seed.warnings[0]
    assert warning.ref is not None
    row = int(warning.ref.split("/")[2])
    moved = warning.model_copy(update={"ref": f"/indicators/{row + 1}/cells/0", "refs": [f"/indicators/{row + 1}/cells/0"]})
    gone = warning.model_copy(update={"ref": "/indicators/999", "refs": ["/indicators/999"]})
    bare = warning.model_copy(update={"ref": None, "refs": []})
    for broken in (moved, gone, bare):
        record = seed.model_copy(update={"warnings": [broken]})
        assert warning_problems(record), broken


def test_the_record_keeps_no_stage_coordinates() -> None:
    record = planparse.parse_text(SMALL_PLAN.replace("30.5 32.0 [1.5]", "30.5 32.0 [2.5]"))
    assert all(warning.anchor is None for warning in record.warnings)
    assert set(record.warnings[0].model_dump()) == {"code", "message", "page", "ref", "refs"}


def test_common_ancestor_and_patterns() -> None:
    assert common_ancestor(["/chapters/1/paragraphs/0", "/chapters/1/sections/0/paragraphs/2"]) == "/chapters/1"
    assert common_ancestor(["/toc/2", "/toc/5"]) == "/toc"
    assert common_ancestor(["/preamble/0", "/chapters/0"]) == ""
    assert matches("/indicators/3/cells/0", "/indicators/*/cells/*")
    assert not matches("/indicators/3", "/indicators/*/cells/*")
    assert not matches("/indicators/x/cells/0", "/indicators/*/cells/*")


# ------------------------------------------------------------------ no code without a pointer


def _warning_calls() -> list[tuple[str, int, str | None, bool]]:
    """(file, line, code or None for a computed one, anchored) of every RecordWarning(...) call."""
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        anchored: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "at" \
                    and isinstance(node.func.value, ast.Call):
                anchored.add(id(node.func.value))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if name != "RecordWarning":
                continue
            code_arg = next((keyword.value for keyword in node.keywords if keyword.arg == "code"), None)
            code = code_arg.value if isinstance(code_arg, ast.Constant) and isinstance(code_arg.value, str) else None
            found.append((str(path.relative_to(SOURCE)), node.lineno, code, id(node) in anchored))
    return found


_CODE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")


def _is_message(node: ast.expr) -> bool:
    """An f-string, a concatenation, or words (a string with a space)."""
    return isinstance(node, (ast.JoinedStr, ast.BinOp)) or (isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value)


def _tuple_codes() -> list[tuple[str, str]]:
    """(file, code) of warnings a stage hands on as (code, message[, page]) tuples (PDF loader, grids)."""
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple) and len(node.elts) in (2, 3) and isinstance(node.elts[0], ast.Constant) \
                    and isinstance(node.elts[0].value, str) and _CODE.fullmatch(node.elts[0].value) and _is_message(node.elts[1]):
                found.append((str(path.relative_to(SOURCE)), node.elts[0].value))
    return found


def test_every_warning_code_raised_in_the_source_has_a_target() -> None:
    calls = _warning_calls()
    assert len(calls) > 25  # the scan sees the stages' calls
    codes = {code for _, _, code, _ in calls if code is not None} | {code for _, code in _tuple_codes()}
    unknown = sorted(codes - set(WARNING_TARGETS))
    assert unknown == [], f"add these codes to planparse.refs.WARNING_TARGETS (and anchor their calls): {unknown}"
    stale = sorted(set(WARNING_TARGETS) - codes)
    assert stale == [], f"WARNING_TARGETS lists codes no stage raises: {stale}"


def test_every_warning_that_can_name_its_element_is_anchored() -> None:
    """A RecordWarning(...) whose code names elements must carry .at(...) (what its stage knows);
    one about a list as a whole must not (it would point at nothing in particular)."""
    missing, extra = [], []
    for where, line, code, anchored in _warning_calls():
        if where == "refs.py" or (where == "pipeline.py" and code is None):
            continue  # the builder's own copy; the loaders' (code, message, page) tuples, placed by page
        names_elements = code is None or bool(WARNING_TARGETS.get(code, ("", ("?",)))[1])
        if names_elements and not anchored:
            missing.append(f"{where}:{line} {code}")
        if not names_elements and anchored:
            extra.append(f"{where}:{line} {code}")
    assert missing == [], f"warnings raised without .at(...): {missing}"
    assert extra == [], f"list-level warnings with .at(...): {extra}"


def test_loader_warnings_are_placed_by_their_page() -> None:
    """The loaders hand on (code, message, page) only: their codes must concern pages."""
    for where, code in _tuple_codes():
        if where == "pdf.py":
            assert WARNING_TARGETS[code][0] == "/pages", code
    warning = RecordWarning(code="pdf_table_unread", message="m", page=2)
    from planparse.refs import _Layout, warning_ref

    record = planparse.parse_text(_paged(SMALL_PLAN))
    placed = warning_ref(warning, _Layout(record, lambda clean: clean))
    assert placed.ref == "/pages/1" and record.pages[1].printed == 2
