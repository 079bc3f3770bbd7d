"""The library façade: parse a plan file or a plan's text, load a record, and turn records into
research tables (pandas DataFrames).

    import planparse
    record = planparse.parse("data/raw/dongbei_13th_fyp_2016.txt")
    cells = planparse.to_dataframe([record])          # one row per indicator cell, typed
    panel = planparse.to_panel(planparse.load_records("out/"))
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError

PATH_MAX = 4096  # Linux's limit on a path's length: a longer str cannot name a file
NAME_MAX = 255  # … and on one file name's length, in bytes

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from .models import PlanRecord


def parse(path: str | os.PathLike[str], **options: Any) -> PlanRecord:
    """Parse the plan in a file (.txt in any common Chinese encoding, .pdf …) into its record.

    A path that names no file raises :class:`~planparse.errors.InputError` (``parse("typo.txt")``
    never parses the string as a plan); to parse a plan's text, use :func:`parse_text`. The record's ``source.path`` is the file's name. Options are the
    fields of :class:`planparse.config.ExtractConfig` (``keywords``, ``encoding``, ``password`` …).
    """
    from .config import ExtractConfig
    from .load import load_bytes
    from .pipeline import extract_document

    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"parse() takes a path; for a plan's text use parse_text(), not {type(path).__name__}")
    if isinstance(path, str) and not _could_be_path(path):
        warnings.warn("planparse.parse(text) is deprecated: use planparse.parse_text(text)", DeprecationWarning, stacklevel=2)
        return parse_text(path, **options)
    config = ExtractConfig.from_options(options)
    file = Path(path)
    if not file.exists():
        raise InputError("no such file (to parse a plan's text, use planparse.parse_text)", source=str(path))
    if file.is_dir():
        raise InputError("is a directory, not a file", source=str(path))
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=str(path)) from None
    source = load_bytes(data, file.name, suffix=file.suffix, encoding=config.encoding, password=config.password)
    return extract_document(source, config)


def _could_be_path(text: str) -> bool:
    """A str that can name a file: one line, shorter than PATH_MAX, no part longer than NAME_MAX
    bytes. Any other str is a plan's text, which parse() still accepts (with a DeprecationWarning)
    until callers move to parse_text()."""
    if "\n" in text or len(text) >= PATH_MAX:
        return False
    return all(len(part.encode("utf-8")) <= NAME_MAX for part in text.replace("\\", "/").split("/"))


def parse_text(text: str, **options: Any) -> PlanRecord:
    """Parse a plan's text (a ``str``) into its record; ``source.path`` is ``<text>``."""
    from .config import ExtractConfig
    from .load import load_text
    from .pipeline import extract_document

    if not isinstance(text, str):
        raise TypeError(f"parse_text() takes a str, not {type(text).__name__}")
    return extract_document(load_text(text), ExtractConfig.from_options(options))


def load_record(path: str | os.PathLike[str]) -> PlanRecord:
    """Load a YAML or JSON record written by ``planparse extract``."""
    from .emit import load_record as _load

    return _load(path)


def load_records(*paths: str | os.PathLike[str], **options: Any) -> list[PlanRecord]:
    """Records from record files, plan inputs and folders of either (as the CLI reads them); a
    document met twice is returned once. Raises :class:`InputError` for the first input that fails
    or when nothing is found."""
    from .batch import gather_records
    from .config import ExtractConfig

    gathered = gather_records([Path(path) for path in paths], ExtractConfig.from_options(options))
    if gathered.failures:
        failure = gathered.failures[0]
        raise InputError(failure.message or "failed", source=failure.input)
    if not gathered.records:
        raise InputError("no plan inputs or records found", source=", ".join(map(str, paths)))
    return [record for _, record in gathered.records]


def _as_records(records: PlanRecord | Iterable[PlanRecord]) -> list[PlanRecord]:
    from .models import PlanRecord

    return [records] if isinstance(records, PlanRecord) else list(records)


def cell_table(records: PlanRecord | Iterable[PlanRecord]) -> list[dict[str, Any]]:
    """The tidy cell rows (dicts in :data:`planparse.dataset.schema.CELLS` order) of records."""
    from .dataset.cells import cell_rows

    return [row for record in _as_records(records) for row in cell_rows(record)]


def to_dataframe(records: PlanRecord | Iterable[PlanRecord]) -> pandas.DataFrame:
    """One typed row per indicator cell of the records (the ``planparse indicators`` columns):
    nullable ``Int64`` integers, ``string`` text, ``float64`` numbers, ``bool`` flags. Needs pandas."""
    from .export import to_dataframe as frame

    return frame(cell_table(records))


def to_panel(records: PlanRecord | Iterable[PlanRecord]) -> pandas.DataFrame:
    """The panel across plans (``planparse panel``) as a typed DataFrame. Needs pandas."""
    from .dataset.panel import PANEL, build_panel
    from .export import to_dataframe as frame

    return frame(build_panel(cell_table(records)).rows, PANEL)
