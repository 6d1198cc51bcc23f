"""The archive's one currency: a tagged `Section` of an inspection report.

The parser yields sections, the index writer stores them and the web app reads them back.
Grades and section kinds are ordered vocabularies declared here once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

# The inspection grade scale, best first. "Adequate" exists only from 2021/22 on.
GRADES: tuple[str, ...] = (
    "Outstanding",
    "Good",
    "Adequate",
    "Requires improvement",
    "Inadequate",
    "Ungraded",
)
FOUR_POINT_GRADES: tuple[str, ...] = ("Outstanding", "Good", "Requires improvement", "Inadequate")

# Section kinds, in the order a report presents them.
KINDS: tuple[str, ...] = (
    "summary",
    "question",
    "area_for_improvement",
    "cause_of_concern",
    "recommendation",
    "practice",
    "other",
)
KIND_LABELS: dict[str, str] = {
    "summary": "Summary",
    "question": "Question",
    "area_for_improvement": "Area for improvement",
    "cause_of_concern": "Cause of concern",
    "recommendation": "Recommendation",
    "practice": "Practice",
    "other": "Other",
}

# Where a section's grade came from (its `grade_source`; "" when it has no grade):
GRADE_SOURCES: dict[str, str] = {
    "line": "a grade or status line of its own (\"Good\", \"To be graded\")",
    "sentence": "the stock judgment sentence opening its block (\"… is good at …\")",
    "table": "a judgments or grades table",
    "framework": "Ungraded because the cycle's framework does not grade this question",
    "implied": "Ungraded by the report's own word elsewhere (a pillar's \"To be graded\", "
    "\"not inspected or graded\" in the body)",
}

PILLARS: tuple[str, ...] = ("Effectiveness", "Efficiency", "Legitimacy", "Leadership")

# Report types, PEEL force reports first. Reports of the other types have no force.
PEEL_ASSESSMENT = "PEEL assessment"
REPORT_TYPES: tuple[str, ...] = (
    PEEL_ASSESSMENT,
    "National overview",
    "Spotlight report",
    "Revisit",
    "Thematic inspection",
    "State of Policing",
    "News",  # the inspectorate's press releases, news items and publication landing pages
)

# PEEL cycle labels, in date order. From 2021 a cycle spans two years; the 2023 cycle is
# written with an en dash, as the inspectorate writes it ("PEEL 2023–25").
CYCLES: tuple[str, ...] = ("2014", "2015", "2016", "2017", "2018/19", "2021/22", "2023–25")


def cycle_year(cycle: str) -> int:
    """The first calendar year of a cycle label: "2018/19" -> 2018, "2023–25" -> 2023."""
    return int(cycle[:4])


def cycle_slug(cycle: str) -> str:
    """A cycle label as it appears in ids and URLs: "2023–25" -> "2023-25"."""
    return cycle.replace("/", "-").replace("–", "-")


def canonical_cycle(text: str) -> str:
    """A cycle label from any way of writing it: "2023-2025", "2023/25", "peel-2018" -> label.

    Two-year spans become "2021/22" (or "2023–25" for the 2023 cycle); "2018" alone is the
    2018/19 cycle; other single years stay as they are. "" when no year is found.
    """
    m = re.search(r"(20\d\d)(?:\s*(?:/|-|–|to)\s*(?:20)?(\d\d)(?!\d))?", text)
    if not m:
        return ""
    first, second = m[1], m[2]
    if first == "2018" or (second and int(second) == (int(first) + 1) % 100):
        second = second or "19"
        return f"{first}/{second}"
    if first == "2023" and second == "25":
        return "2023–25"
    return first


@dataclass(frozen=True, slots=True)
class Section:
    """One searchable passage of a report, with every tag the archive facets on."""

    report_id: str
    section_id: str
    anchor: str
    report_title: str
    report_type: str
    force: str
    force_short: str
    force_slug: str
    region: str
    cycle: str
    year: int
    pillar: str
    question_number: int | None
    question: str
    grade: str
    grade_note: str
    kind: str
    heading: str
    text: str
    position: int
    source: str
    updated: dt.date | None
    url: str = ""
    grade_source: str = ""  # one of GRADE_SOURCES, "" when there is no grade
    # The stable subject of the section's question or area across cycles (`indexer.themes`);
    # "" for pillar summaries and sections outside any question.
    theme: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (the date as an ISO string)."""
        data = dataclasses.asdict(self)
        data["updated"] = self.updated.isoformat() if self.updated else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Section:
        """Rebuild a section from `to_dict` output or from stored index fields."""
        # Field names and empty values are worked out once (a results page builds 20 of these).
        values: dict[str, Any] = {name: data.get(name) for name in SECTION_FIELDS}
        updated = values["updated"]
        if isinstance(updated, str) and updated:
            values["updated"] = dt.date.fromisoformat(updated)
        elif not isinstance(updated, dt.date):
            values["updated"] = None
        qn = values["question_number"]
        values["question_number"] = int(qn) if qn not in (None, "", 0) else None
        for name, empty in _EMPTY_VALUES:
            if values[name] is None:
                values[name] = empty
        return cls(**values)


SECTION_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Section))
# What a missing stored value becomes in `Section.from_dict` (the date and question number
# stay None).
_EMPTY_VALUES: tuple[tuple[str, object], ...] = tuple(
    (f.name, 0 if f.type in ("int",) else "")
    for f in dataclasses.fields(Section)
    if f.name not in ("updated", "question_number")
)
