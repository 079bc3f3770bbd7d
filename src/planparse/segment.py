"""Compatibility: segmentation now lives in :mod:`planparse.structure.segment`."""

from __future__ import annotations

from .structure.segment import Hints, segment

__all__ = ["Hints", "segment"]
