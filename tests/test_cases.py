"""Golden cases: ``tests/cases/<name>/input.*`` and the hand-checked ``expected.json``.

Regenerate with ``python -m pytest tests/test_cases.py --update-golden`` and review the diff (cases
with a ``known_gap.txt`` are hand-checked truth and are never regenerated).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planparse.emit import record_data
from planparse.pipeline import extract_path

CASES = sorted(path for path in (Path(__file__).parent / "cases").iterdir() if path.is_dir())


def _record(case: Path) -> dict:
    source = next(case.glob("input.*"))
    data = record_data(extract_path(source))
    data["source"]["path"] = source.name  # independent of the working directory
    return data


def _param(case: Path) -> object:
    """A case with a ``known_gap.txt`` pins a gap the issue still has open: a strict xfail, with
    the file's first line as the reason (it fails once the gap is closed, so the mark goes)."""
    gap = case / "known_gap.txt"
    if gap.is_file():
        reason = gap.read_text(encoding="utf-8").splitlines()[0]
        return pytest.param(case, id=case.name, marks=pytest.mark.xfail(reason=reason, strict=True))
    return pytest.param(case, id=case.name)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_golden_case(case: Path, update_golden: bool) -> None:
    expected_path = case / "expected.json"
    actual = _record(case)
    if update_golden and not (case / "known_gap.txt").is_file():
        # (a known gap's expected.json is the hand-checked truth the code does not reach yet:
        # regenerating it would write today's wrong answer over it)
        expected_path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert expected_path.is_file(), f"no expected.json in {case}: run with --update-golden and review it"
    assert actual == json.loads(expected_path.read_text(encoding="utf-8"))
