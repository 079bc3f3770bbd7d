"""One cached loader for the data files this package reads (each file names its source)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

try:  # the C loader is several times faster on the 80 kB gazetteer
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@cache
def data_file(name: str) -> Any:
    """The parsed YAML of ``planparse/data/<name>``."""
    text = (resources.files("planparse") / "data" / name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_Loader)
