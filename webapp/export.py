"""Whole-result exports of a search, streamed: CSV and JSON Lines, one section a row.

The rows come from `indexer.search.export.stream` (every match in the search's order, stored
fields loaded in chunks) and are encoded here in batches, so memory stays flat however many
sections match. Links are absolute (the archive's public address, see `webapp.urls`), each row
carries the report's published address, and `bom=True` starts the file with the UTF-8
byte-order mark that Excel on Windows needs to read "—" and "’" correctly.

CSV cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage
return) are prefixed with an apostrophe, as OWASP recommends against CSV injection.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from indexer.model import Section
from webapp.urls import section_url

COLUMNS = (
    "section_id", "report_id", "report_title", "report_type", "force", "region", "cycle",
    "year", "pillar", "question_number", "question", "theme", "grade", "grade_note",
    "grade_source", "kind",
    "heading", "updated", "url", "source_url", "text",
)
BOM = "\ufeff"
BATCH = 100  # rows encoded per chunk sent
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell as text, with a formula's start defused."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


_cell = safe_cell  # the name the tests and older callers use


def row(section: Section, base: str, q: str = "") -> dict[str, Any]:
    """One exported section: its tags, absolute archive link, published address and text."""
    data = section.to_dict()
    data["url"] = base + section_url(section.report_id, section.anchor, q)
    data["source_url"] = section.url
    return {c: data.get(c) for c in COLUMNS}


def _batched(lines: Iterable[str], bom: bool) -> Iterator[bytes]:
    batch: list[str] = [BOM] if bom else []
    for line in lines:
        batch.append(line)
        if len(batch) >= BATCH:
            yield "".join(batch).encode("utf-8")
            batch.clear()
    if batch:
        yield "".join(batch).encode("utf-8")


def csv_lines(sections: Iterable[Section], base: str, q: str = "") -> Iterator[str]:
    """The header line, then one CSV line (\\r\\n-terminated, formula-safe) per section."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")

    def line(values: Iterable[object]) -> str:
        out.seek(0)
        out.truncate()
        writer.writerow([_cell(v) for v in values])
        return out.getvalue()

    yield line(COLUMNS)
    for s in sections:
        yield line(row(s, base, q).values())


def jsonl_lines(sections: Iterable[Section], base: str, q: str = "") -> Iterator[str]:
    """One JSON object per line per section, with the same fields as the CSV's columns."""
    for s in sections:
        yield json.dumps(row(s, base, q), ensure_ascii=False) + "\n"


def csv_stream(sections: Iterable[Section], base: str, q: str = "", bom: bool = False
               ) -> Iterator[bytes]:
    return _batched(csv_lines(sections, base, q), bom)


def jsonl_stream(sections: Iterable[Section], base: str, q: str = "") -> Iterator[bytes]:
    return _batched(jsonl_lines(sections, base, q), bom=False)
