"""Check that a record's warnings point at what they are about (issue 15: pointers, not prose).

:func:`warning_problems` lists every way a record's warnings fail their contract: a code that
:data:`planparse.refs.WARNING_TARGETS` does not know, a ``ref`` that is null or resolves to nothing,
a ``refs`` entry of the wrong shape or not under ``ref``, a code that names elements but whose
warning names none, and a pointer at the wrong element (the element's own words are not in the
message: another row, another heading, another box).
"""

from __future__ import annotations

import re
from typing import Any

from planparse.emit import record_data
from planparse.models import PlanRecord, RecordWarning
from planparse.refs import WARNING_TARGETS, matches


class Unresolved(LookupError):
    pass


def resolve(data: Any, pointer: str) -> Any:
    """The value a JSON pointer names (RFC 6901; ``""`` is the whole record)."""
    if pointer == "":
        return data
    if not pointer.startswith("/"):
        raise Unresolved(pointer)
    for part in pointer[1:].split("/"):
        try:
            data = data[int(part)] if isinstance(data, list) else data[part]
        except (KeyError, IndexError, ValueError, TypeError) as error:
            raise Unresolved(pointer) from error
    return data


_LISTED = re.compile(r"(\d+) \([^)]*\) at (\d+)")


def _offset_range(data: dict[str, Any], pointer: str) -> tuple[int, str]:
    target = resolve(data, pointer)
    return int(target.get("offset") or 0), str(target.get("text", ""))


def _wrong_element(warning: RecordWarning, data: dict[str, Any]) -> str | None:
    """Why the pointers name another element than the message does, or None."""
    code, message = warning.code, warning.message
    for pointer in warning.refs:
        target = resolve(data, pointer)
        if pointer.startswith("/indicators/"):
            row = resolve(data, "/".join(pointer.split("/")[:3]))
            if f"row {row['row']} {row['indicator']}" not in message:
                return f"{pointer} is row {row['row']} {row['indicator']}"
            if "/cells/" in pointer and f"/ {target['column']}:" not in message:
                return f"{pointer} is column {target['column']}"
        elif pointer.startswith("/boxes/") and code == "box_text_uncertain":
            if f"专栏{target['number']}" not in message:
                return f"{pointer} is 专栏{target['number']}"
        elif pointer.startswith("/tables/"):
            name = f"专栏{target['box']}" if target["box"] is not None else (target["table"] or "")
            if not message.startswith(name):
                return f"{pointer} is {name or 'an unnamed table'}"
        elif pointer.startswith("/headings/") and code in ("section_without_chapter", "heading_span_dominant", "toc_page_mismatch"):
            if target["title"][:4] not in message:
                return f"{pointer} is {target['title']}"
        elif pointer.startswith("/toc/") and code in ("toc_page_order", "toc_entry_unmatched"):
            listed = warning.refs[:5]  # the message names the first five
            if pointer in listed and target["title"] not in message:
                return f"{pointer} is {target['title']}"
        elif pointer.startswith("/pages/"):
            printed = target["printed"]
            if warning.page is not None and printed is not None and printed > warning.page:
                return f"{pointer} is page {printed}, after page {warning.page}"
    if code == "prose_number_unverified":
        spans = [_offset_range(data, pointer) for pointer in warning.refs]
        for digits, offset in _LISTED.findall(message):
            holders = [text for start, text in spans if start <= int(offset)]
            if not any(digits in text for text in holders) and not any(pointer.startswith("/indicators/") for pointer in warning.refs):
                return f"{digits} at {offset} is in none of {warning.refs}"
    return None


def _contract(warning: RecordWarning, data: dict[str, Any]) -> list[str]:
    target = WARNING_TARGETS.get(warning.code)
    if target is None:
        return ["code not in refs.WARNING_TARGETS"]
    collection, patterns = target
    if warning.ref is None:
        return ["no ref"]
    found = []
    try:
        resolve(data, warning.ref)
    except Unresolved:
        found.append(f"ref {warning.ref!r} resolves to nothing")
    if patterns and not warning.refs:
        found.append("names no element")
    if not patterns and warning.refs:
        found.append(f"names elements {warning.refs} although its code concerns {collection} as a whole")
    for pointer in warning.refs:
        try:
            resolve(data, pointer)
        except Unresolved:
            found.append(f"refs entry {pointer!r} resolves to nothing")
            continue
        if not any(matches(pointer, pattern) for pattern in patterns):
            found.append(f"refs entry {pointer!r} matches none of {patterns}")
        if not (pointer == warning.ref or pointer.startswith(warning.ref + "/") or warning.ref == ""):
            found.append(f"refs entry {pointer!r} is not under ref {warning.ref!r}")
    if not found:
        wrong = _wrong_element(warning, data)
        if wrong is not None:
            found.append(f"points at the wrong element: {wrong}")
    return found


def warning_problems(record: PlanRecord) -> list[tuple[str, str, str]]:
    """(code, problem, message) for every warning that breaks the contract."""
    data = record_data(record)
    return [(warning.code, problem, warning.message[:120]) for warning in record.warnings for problem in _contract(warning, data)]
