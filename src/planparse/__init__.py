"""planparse: Chinese government plan documents (五年规划) to validated structured data.

The library façade lives in :mod:`planparse.api`; the names below import it lazily, so that
``import planparse`` stays light.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from .models import PlanRecord

__all__ = ["__version__", "parse", "parse_text", "load_record", "load_records", "to_dataframe", "to_panel"]


def parse(path: str | os.PathLike[str], **options: Any) -> PlanRecord:
    """Parse the plan in a file into its record; a path naming no file raises InputError
    (see :func:`planparse.api.parse`; for text use :func:`parse_text`)."""
    from .api import parse as _parse

    return _parse(path, **options)


def parse_text(text: str, **options: Any) -> PlanRecord:
    """Parse a plan's text into its record (see :func:`planparse.api.parse_text`)."""
    from .api import parse_text as _parse_text

    return _parse_text(text, **options)


def load_record(path: str | os.PathLike[str]) -> PlanRecord:
    """Load a YAML or JSON record written by ``planparse extract``."""
    from .api import load_record as _load

    return _load(path)


def load_records(*paths: str | os.PathLike[str], **options: Any) -> list[PlanRecord]:
    """Records from record files, plan inputs and folders of either (see :func:`planparse.api.load_records`)."""
    from .api import load_records as _load

    return _load(*paths, **options)


def to_dataframe(records: PlanRecord | Iterable[PlanRecord]) -> pandas.DataFrame:
    """One typed row per indicator cell (see :func:`planparse.api.to_dataframe`)."""
    from .api import to_dataframe as _frame

    return _frame(records)


def to_panel(records: PlanRecord | Iterable[PlanRecord]) -> pandas.DataFrame:
    """The panel across plans as a typed DataFrame (see :func:`planparse.api.to_panel`)."""
    from .api import to_panel as _panel

    return _panel(records)
