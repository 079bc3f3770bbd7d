"""Turn the shared corpus's Markdown transcriptions into the plain text planparse reads.

The corpus files are referenced in place (``../shared/corpus``), never copied into the project.
"""

from __future__ import annotations

import re
from pathlib import Path

_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)


def markdown_to_text(path: Path) -> str:
    """Plain text with line breaks: no YAML front matter, HTML tags, Markdown marks or links."""
    text = path.read_text(encoding="utf-8")
    text = _FRONT.sub("", text)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"</?(details|summary)>", "\n", text)
    text = text.replace("目录", "\n目录\n", 1)
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(#{1,6}\s|[-*+]\s|>)\s*", "", line)
        line = re.sub(r"\*\*(.*?)\*\*", r"\1", line)
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
        lines.append(line.strip())
    return "\n".join(lines)


def damage_like_seed(text: str) -> str:
    """Strip what the seed lost: ASCII letters, '.', '%', '[', ']', whitespace."""
    return re.sub(r"[A-Za-z.%\[\]\s]", "", text)
