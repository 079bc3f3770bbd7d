"""Hand-built records for tests that need a record but not the pipeline."""

from __future__ import annotations

from planparse import models


def small_record() -> models.PlanRecord:
    paragraph = models.Paragraph(text="深入推进简政放权。建立健全权力清单。", page=3, headline="深入推进简政放权。", offset=40)
    cell = models.Cell(
        column="2020年目标", column_index=2, raw="658", value=65.8, comparator=None, cumulative=None, text=None,
        confidence=0.93, alternatives=[models.Alternative(value=6.58, score=0.04)],
    )
    return models.PlanRecord(
        source=models.Source(path="plan.txt", sha256="0" * 64, format="text", encoding="utf-8"),
        document=models.DocumentMeta(label="附件1", title="示例规划", issuer="示例委员会", date="2016-11", numbering="chapter"),
        pages=[models.Page(index=1, printed=1, offset=0)],
        toc=[models.TocEntry(level="chapter", number=1, title="总体要求", page=1)],
        preamble=[],
        parts=[],
        chapters=[
            models.Chapter(number=1, part=None, title="总体要求", page=1, offset=10, paragraphs=[paragraph], sections=[])
        ],
        boxes=[],
        figures=[],
        tables=[],
        indicators=[
            models.Indicator(
                box=1, table=None, row=1, number=1, group=None, category="经济发展", indicator="常住人口城镇化率",
                indicator_raw="常住人口城镇化率", unit="%", attribute="预期性", page=2, offset=20, cells=[cell],
            )
        ],
        repairs=[models.Repair(kind="page_number", page=3, offset=44, before="9", after="", confidence=0.95)],
        warnings=[models.RecordWarning(code="toc_page_mismatch", message="第一章 starts on page 2, TOC says 1", page=2)],
    )
