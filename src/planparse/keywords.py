"""Per-chapter keywords with jieba (only with ``--keywords``: jieba's dictionary load is slow)."""

from __future__ import annotations

import logging
from functools import lru_cache
from importlib import resources
from typing import Any

from .document import Skeleton

USER_DICT = "jieba_userdict.txt"


@lru_cache(maxsize=1)
def _analyser() -> Any:
    import jieba
    import jieba.analyse

    jieba.setLogLevel(logging.WARNING)
    text = (resources.files("planparse") / "data" / USER_DICT).read_text(encoding="utf-8")
    for line in text.splitlines():
        fields = line.split()
        if not fields or line.startswith("#"):
            continue  # jieba's own loader has no comment syntax, so the file is read here
        word, freq, tag = (fields + [None, None])[:3]
        jieba.add_word(word, int(freq) if freq else None, tag)
    return jieba.analyse


def chapter_keywords(skeleton: Skeleton, *, top: int = 10) -> dict[int, list[str]]:
    """Top TF-IDF keywords of each chapter's text, keyed by the chapter's position (0-based)."""
    analyse = _analyser()
    found: dict[int, list[str]] = {}
    for position, chapter in enumerate(skeleton.chapters):
        parts = [paragraph.text for paragraph in chapter.paragraphs]
        for section in chapter.sections:
            parts.append(section.heading.title)
            parts.extend(paragraph.text for paragraph in section.paragraphs)
        text = chapter.heading.title + "。" + "".join(parts)
        # allowPOS=() keeps every word; ties keep jieba's deterministic order.
        found[position] = list(analyse.extract_tags(text, topK=top))
    return found
