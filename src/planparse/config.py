"""Frozen run configuration built by the CLI (or by :func:`planparse.parse`) from its options."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from .errors import UsageError

FORMATS = ("yaml", "json", "both")


@dataclass(frozen=True)
class ExtractConfig:
    """Options that change what a record contains or how it is written."""

    keywords: bool = False  # per-chapter jieba keywords (slow: loads jieba's dictionary)
    keyword_count: int = 10
    encoding: str | None = None  # force a text encoding instead of detecting it
    password: str | None = None  # for encrypted PDFs
    format: str = "both"  # yaml | json | both

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {self.format!r}")
        if self.keyword_count < 1:
            raise UsageError("--keyword-count must be at least 1")

    @property
    def suffixes(self) -> tuple[str, ...]:
        return {"yaml": (".yaml",), "json": (".json",), "both": (".json", ".yaml")}[self.format]

    def fingerprint(self) -> str:
        """What, besides the input bytes and planparse's version, decides a record's content."""
        return f"keywords={self.keywords}:{self.keyword_count}"

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> ExtractConfig:
        known = {field.name for field in fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise UsageError(f"unknown option(s): {', '.join(unknown)}")
        return cls(**options)
