"""Show how planparse reads one generated table (a debugging aid for tests/tools/tablegen.py cases).

    python -m tests.tools.show_table SEED LAYOUT [damaged|intact]

Prints the parsed columns and rows (tokens, spare digits, notes, guesses), the record's warnings,
and the table's text as extracted and as generated.
"""

from __future__ import annotations

import sys
from typing import Any

import planparse.tables as tables
from planparse import parse
from tests.tools import tablegen


def main(argv: list[str]) -> None:
    seed, layout = int(argv[0]), argv[1]
    variant = argv[2] if len(argv) > 2 else "damaged"
    case = next(case for case in tablegen.cases([seed]) if case.layout == layout)
    original = tables.parse_table

    def show(*args: Any, **options: Any) -> tables.ParsedTable:
        parsed = original(*args, **options)
        print([(column.path, column.role) for column in parsed.columns], "damaged" if parsed.damaged else "intact")
        for row in parsed.rows:
            tokens = [(token.kind, token.text, token.comparator, token.word) for token in row.tokens]
            print(" ", row.category, row.number, row.group, row.name, "|", row.unit, row.attribute, tokens, row.spare,
                  row.note, row.uncertain)
        return parsed

    tables.parse_table = show  # type: ignore[assignment]
    try:
        text = case.damaged if variant == "damaged" else case.intact
        record = parse(text)
    finally:
        tables.parse_table = original  # type: ignore[assignment]
    for warning in record.warnings:
        print(warning.code, warning.message[:160])
    start = text.find("专栏1")
    print(text[start : text.find("注：", start)])
    print(case.intact[case.intact.find("专栏1") : case.intact.find("注：")])


if __name__ == "__main__":
    main(sys.argv[1:])
