"""The HTML review report: one self-contained page per plan (``planparse report``), rendered from
Jinja2 templates (``templates/``) with autoescape, the CSS and JS inlined."""

from __future__ import annotations

from .render import (
           FLAG_THRESHOLD,
           HIGH_THRESHOLD,
           cell_display,
           header_rows,
           is_repaired,
           render_report,
           repair_context,
           row_confidence,
)

__all__ = ["FLAG_THRESHOLD", "HIGH_THRESHOLD", "cell_display", "header_rows", "is_repaired", "render_report",
           "repair_context", "row_confidence"]
