"""The exceptions planparse raises. The CLI maps each to one line and an exit code."""

from __future__ import annotations


class PlanparseError(Exception):
    """Base class: a problem with an input or an output that is reported in one line.

    ``exit_code`` follows the CLI's convention: 1 for a bad input or unwritable output,
    2 for a usage error.
    """

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        page: int | None = None,
        offset: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.page = page
        self.offset = offset

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(str(self.source))
        if self.page is not None:
            where.append(f"page {self.page}")
        if self.offset is not None:
            where.append(f"offset {self.offset}")
        prefix = ":".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class InputError(PlanparseError):
    """The input cannot be read or decoded (missing, empty, binary, undecodable, corrupt PDF)."""


class StructureError(PlanparseError):
    """The text was read but holds no recognizable plan structure."""


class OutputError(PlanparseError):
    """An output file or directory cannot be written."""


class UsageError(PlanparseError):
    """The command was called wrongly (bad option value, conflicting options)."""

    exit_code = 2


class SchemaError(PlanparseError):
    """A record does not validate against the JSON Schema."""
