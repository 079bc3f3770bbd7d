"""planparse: Chinese government plan documents (五年规划) to validated structured data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from .models import PlanRecord

__all__ = ["__version__", "parse", "load_record"]


def parse(path_or_text: str | Any, **options: Any) -> PlanRecord:
    """Parse a plan from a path (str or Path to .txt/.pdf) or from text; return the validated record.

    A ``str`` that names an existing file is read as a file; any other ``str`` is parsed as text.
    Options are the fields of :class:`planparse.config.ExtractConfig` (``keywords``, ``encoding`` …).
    """
    from .pipeline import parse as _parse

    return _parse(path_or_text, **options)


def load_record(path: str | Any) -> PlanRecord:
    """Load a YAML or JSON record written by ``planparse extract`` into a :class:`PlanRecord`."""
    from .emit import load_record as _load

    return _load(path)
