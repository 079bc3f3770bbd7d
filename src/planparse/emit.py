"""Stage ``emit``: serialize records deterministically and write them atomically."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, OutputError
from .models import PlanRecord

try:  # the C dumper is several times faster; fall back to the pure-Python one.
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def record_data(record: PlanRecord) -> dict[str, Any]:
    """The record as plain JSON data, keys in model order (stable across runs)."""
    return record.model_dump(mode="json")


def to_json(data: dict[str, Any] | PlanRecord) -> str:
    """UTF-8 JSON text, Chinese unescaped, two-space indent, trailing newline."""
    if isinstance(data, PlanRecord):
        data = record_data(data)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_yaml(data: dict[str, Any] | PlanRecord) -> str:
    """YAML text with keys in model order and Chinese unescaped."""
    if isinstance(data, PlanRecord):
        data = record_data(data)
    return yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False
    )


def serialize(record: PlanRecord, suffix: str) -> bytes:
    """Bytes of a record for an output suffix (``.json`` or ``.yaml``)."""
    data = record_data(record)
    text = to_json(data) if suffix == ".json" else to_yaml(data)
    return text.encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to ``path`` via a temporary file in the same folder and a rename.

    A crash or Ctrl-C leaves either the old file or the new one, never a partial file.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder: {exc.strerror}", source=str(path.parent)) from None
    fd = -1
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            fd = -1
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; records are ordinary files
        os.replace(tmp, path)
        tmp = ""
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", source=str(path)) from None
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def read_data(path: Path) -> Any:
    """Read a YAML or JSON record file into plain data. Raises :class:`InputError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", source=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read record: {exc}", source=str(path)) from None
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.load(text, Loader=_Loader)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"not valid {path.suffix.lstrip('.').upper() or 'YAML'}: {first}", source=str(path)) from None


def load_record(path: str | os.PathLike[str]) -> PlanRecord:
    """Load a record file written by ``planparse extract`` into a validated :class:`PlanRecord`."""
    from pydantic import ValidationError

    file = Path(path)
    data = read_data(file)
    try:
        return PlanRecord.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = "/".join(str(part) for part in error["loc"])
        raise InputError(f"not a planparse record: /{where}: {error['msg']}", source=str(file)) from None
