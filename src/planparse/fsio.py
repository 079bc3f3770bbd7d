"""Read and write inputs and records on local paths or fsspec URLs (``memory://``, ``s3://``, …).

A *location* is a :class:`~pathlib.Path` (local) or a ``str`` URL. Local locations use plain
``pathlib``/``os`` so the common case costs no import; URLs go through fsspec, imported lazily.

Typer hands the CLI's arguments over as ``Path`` objects, which collapse ``s3://b/k`` to ``s3:/b/k``;
:func:`as_location` turns such a collapsed path back into its URL.
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from pathlib import Path
from typing import Any

from .errors import InputError, OutputError, UsageError

Location = Path | str

# ``scheme:/…`` with a scheme of two or more letters: one letter is a Windows drive (``C:/``).
_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]+):/+(?P<rest>.*)\Z", re.DOTALL)
FSSPEC_MISSING = "URL inputs and outputs need fsspec: pip install 'planparse[dask]'"


def split_url(value: Path | str) -> tuple[str, str] | None:
    """``(scheme, rest)`` when ``value`` is a URL (also in its Path-collapsed form), else None."""
    text = value.as_posix() if isinstance(value, Path) else value
    match = _URL.match(text)
    if match is None:
        return None
    return match["scheme"].lower(), match["rest"]


def as_location(value: Path | str) -> Location:
    """Normalize a path or URL: ``file://`` URLs become local paths, other URLs ``scheme://rest``."""
    parts = split_url(value)
    if parts is None:
        return value if isinstance(value, Path) else Path(value)
    scheme, rest = parts
    if scheme in ("file", "local"):
        return Path("/" + rest)
    return f"{scheme}://{rest}"


def is_url(location: Location) -> bool:
    return isinstance(location, str)


def _fs(url: str) -> tuple[Any, str]:
    """The fsspec filesystem for a URL and the path within it."""
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise UsageError(FSSPEC_MISSING) from None
    try:
        fs, path = url_to_fs(url)
    except (ImportError, ValueError) as exc:  # unknown protocol or its backend is not installed
        raise UsageError(f"cannot open {url}: {exc}") from None
    return fs, path


def shown(location: Location) -> str:
    """How records and messages name a location: the URL, or the local path relative to the cwd."""
    if isinstance(location, str):
        return location
    from .load import display_path

    return display_path(location)


def absolute(location: Location) -> str:
    """A string a worker on another machine can open: the URL, or the absolute local path."""
    return location if isinstance(location, str) else str(Path(location).resolve())


def from_task(value: str) -> Location:
    """Inverse of :func:`absolute`."""
    return value if split_url(value) is not None else Path(value)


def join(directory: Location, name: str) -> Location:
    if isinstance(directory, str):
        return directory.rstrip("/") + "/" + name
    return directory / name


def name_of(location: Location) -> str:
    return location.rstrip("/").rsplit("/", 1)[-1] if isinstance(location, str) else location.name


def read_bytes(location: Location) -> bytes:
    """All bytes of an input; :class:`InputError` (missing, a directory, unreadable) otherwise."""
    where = shown(location)
    if isinstance(location, Path):
        if not location.exists():
            raise InputError("no such file", source=where)
        if location.is_dir():
            raise InputError("is a directory, not a file", source=where)
        try:
            return location.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", source=where) from None
    fs, path = _fs(location)
    try:
        if fs.isdir(path):
            raise InputError("is a directory, not a file", source=where)
        data: bytes = fs.cat_file(path)
    except FileNotFoundError:
        raise InputError("no such file", source=where) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=where) from None
    return data


def read_or_none(location: Location) -> bytes | None:
    """The bytes of an existing file, or None when it is missing or unreadable."""
    try:
        return read_bytes(location)
    except InputError:
        return None


def is_file(location: Location) -> bool:
    if isinstance(location, Path):
        return location.is_file()
    fs, path = _fs(location)
    try:
        return bool(fs.isfile(path))
    except OSError:
        return False


def makedirs(location: Location) -> None:
    """Create an output folder (a no-op on object stores, which have no folders)."""
    try:
        if isinstance(location, Path):
            location.mkdir(parents=True, exist_ok=True)
        else:
            fs, path = _fs(location)
            fs.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder: {exc.strerror or exc}", source=shown(location)) from None


def write_atomic(location: Location, data: bytes) -> None:
    """Write bytes so that readers see the old file or the whole new one, never a partial file.

    Local files: :func:`planparse.emit.write_atomic` (temp file + rename). URLs: write a hidden
    temp object beside the target, then move it over the target; on object stores the move is a
    server-side copy, and an object only becomes visible once complete, so the guarantee holds.
    """
    if isinstance(location, Path):
        from .emit import write_atomic as write_local

        write_local(location, data)
        return
    fs, path = _fs(location)
    parent, _, name = path.rpartition("/")
    tmp = f"{parent}/.{name}.{uuid.uuid4().hex}.tmp" if parent else f".{name}.{uuid.uuid4().hex}.tmp"
    try:
        if parent:
            fs.makedirs(parent, exist_ok=True)
        fs.pipe_file(tmp, data)
        fs.mv(tmp, path)
        tmp = ""
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", source=location) from None
    finally:
        if tmp:  # interrupted or failed: leave no temp object behind
            with contextlib.suppress(Exception):
                fs.rm_file(tmp)


def find_inputs(location: Location, suffixes: set[str]) -> list[Location] | None:
    """Files under a folder with one of ``suffixes`` (sorted, hidden parts skipped);
    ``[location]`` for a file; None when nothing is there."""
    if isinstance(location, Path):
        if location.is_dir():
            children = sorted(
                (child for child in location.rglob("*")
                 if child.is_file() and child.suffix.lower() in suffixes
                 and not any(part.startswith(".") for part in child.relative_to(location).parts)),
                key=lambda child: child.as_posix(),
            )
            return list(children)
        return [location] if location.exists() else None
    fs, path = _fs(location)
    try:
        if fs.isdir(path):
            root = path.rstrip("/")
            found = []
            for child in fs.find(root):
                relative = child[len(root):].lstrip("/") if child.startswith(root) else child
                if any(part.startswith(".") for part in relative.split("/")):
                    continue
                if os.path.splitext(relative)[1].lower() in suffixes:
                    found.append(location.rstrip("/") + "/" + relative)
            return sorted(found)
        return [location] if fs.exists(path) else None
    except OSError:
        return None
