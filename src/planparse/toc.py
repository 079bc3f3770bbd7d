"""Compatibility: the TOC and front matter now live in :mod:`planparse.structure`."""

from __future__ import annotations

from .structure.front import format_date, scan_front_matter
from .structure.grammar import NUMERAL, chinese_number, vocabulary

__all__ = ["NUMERAL", "chinese_number", "format_date", "scan_front_matter", "vocabulary"]
