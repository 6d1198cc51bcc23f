"""CSV export of a search: every matching section (up to a cap) with its tags and text.

Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage
return) are prefixed with an apostrophe, as OWASP recommends against CSV injection.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from indexer.model import Section
from webapp.urls import section_url

MAX_ROWS = 10_000
COLUMNS = (
    "section_id", "report_id", "report_title", "report_type", "force", "region", "cycle",
    "year", "pillar", "question_number", "question", "theme", "grade", "grade_note", "kind",
    "heading", "updated", "url", "text",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell as text, with a formula's start defused."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


_cell = safe_cell  # the name the tests and older callers use


def to_csv(sections: Iterable[Section], q: str = "") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for s in sections:
        row = {
            **s.to_dict(),
            "url": section_url(s.report_id, s.anchor, q),
        }
        writer.writerow([safe_cell(row.get(c)) for c in COLUMNS])
    return out.getvalue()
