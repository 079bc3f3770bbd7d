"""The scripts that write the package's data files (benchmarks/fit_*, tools/build_*): asking one for its
usage must print it and write nothing (``fit_page_model.py --help`` once refitted and overwrote
``page_model.json``)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "planparse" / "data"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("script", "written"), [
    ("fit_page_model.py", "page_model.json"),
    ("fit_page_calibration.py", "page_calibration.yaml"),
])
def test_help_prints_usage_and_writes_nothing(script: str, written: str) -> None:
    before = _digest(DATA / written)
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), "--help"], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage:")
    assert "--out" in result.stdout
    assert _digest(DATA / written) == before


def test_build_priors_reproduces_the_shipped_priors(tmp_path: Path) -> None:
    """``tools/build_priors.py`` is the provenance of ``indicators.yaml``: run on the transcribed
    national indicators it writes the shipped file byte for byte (it had written to a scratch
    path, with a header the file no longer had, and dropped the hand-written unit magnitudes)."""
    out = tmp_path / "indicators.yaml"
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_priors.py"), "--out", str(out)], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (DATA / "indicators.yaml").read_bytes()
