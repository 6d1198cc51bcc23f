"""Stage 3 for reports that are not about one force: sections by heading, no force.

National overviews, spotlight reports, revisits, thematic inspections and State of Policing
(reference §7) are indexed with their `report_type` and empty force fields. The text before
the first heading, and headings like "Summary" or "Foreword", become summary sections; lists
under "Recommendations", "Causes of concern" or "Areas for improvement" become one section
per item; every other heading starts a section of kind "other".
"""

from __future__ import annotations

import re

from indexer.draft import Draft, ParsedReport, freeze, slugify
from indexer.errors import ReportError
from indexer.metadata import Hints, date_line
from indexer.model import PILLARS, canonical_cycle
from indexer.normalise import Block

# Title words that name the report type, checked in this order.
TYPE_MARKERS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), t)
    for p, t in (
        (r"\bstate of policing\b", "State of Policing"),
        (r"\bspotlight\b", "Spotlight report"),
        (r"\brevisit\b", "Revisit"),
        (r"\bnational overview\b|\ban overview of\b", "National overview"),
        (r"\bthematic\b|\bjoint inspection\b|\binspection of (?:the )?police\b",
         "Thematic inspection"),
        (r"\bannual assessment of policing\b", "State of Policing"),
    )
)  # fmt: skip
SUMMARY_HEADINGS = re.compile(
    r"^(?:Executive summary|Summary|Overall summary|Foreword|Overview|Introduction|"
    r"Key findings|HM Chief Inspector's (?:foreword|overview))$",
    re.IGNORECASE,
)
LIST_KINDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Recommendations?:?$", re.I), "recommendation"),
    (re.compile(r"^(?:Accelerated )?Causes? of concern:?$", re.I), "cause_of_concern"),
    (re.compile(r"^Areas? for improvement:?$", re.I), "area_for_improvement"),
    (re.compile(r"^(?:Innovative|Promising|Notable) practice:?$", re.I), "practice"),
)
SPAN_CYCLE = re.compile(r"\b20\d\d\s*[/–-]\s*\d\d(?!\d)")
YEAR = re.compile(r"\b20\d\d\b")


def report_type_of(title: str, blocks: list[Block]) -> str | None:
    """The report type named by the title (or the opening lines), if any."""
    for text in (title, *(b.text for b in blocks[:8])):
        for pattern, report_type in TYPE_MARKERS:
            if pattern.search(text):
                return report_type
    return None


def _is_heading(block: Block) -> bool:
    if block.kind == "heading":
        return True
    text = block.text
    return block.kind == "line" and len(text) <= 80 and not text.endswith((".", ",", ";", ":"))


def _title(blocks: list[Block], hints: Hints, page_title: str) -> tuple[int | None, str]:
    for i, block in enumerate(blocks[:5]):
        if block.kind == "heading" and block.level == 1:
            return i, block.text
    if hints.title:
        return None, hints.title
    if page_title:
        return None, page_title
    return 0, blocks[0].text


def parse_other_report(
    blocks: list[Block], source: str, hints: Hints, page_title: str = ""
) -> ParsedReport:
    """Parse a report of another type (not one force's PEEL assessment) by its headings."""
    title_at, title = _title(blocks, hints, page_title)
    report_type = hints.report_type or report_type_of(title, blocks)
    if report_type is None:
        raise ReportError(
            "not a recognised report: no PEEL title line, no 2021+ report structure, and no "
            "report type (State of Policing, national overview, spotlight, revisit, thematic)"
        )
    span = SPAN_CYCLE.search(title)
    year = YEAR.search(title)
    cycle = hints.cycle or (canonical_cycle(span[0]) if span else year[0] if year else "")
    pillar = hints.pillar or next((p for p in PILLARS if p.lower() in title.lower()), "")
    drafts: list[Draft] = []
    current: Draft | None = None
    list_kind: str | None = None
    updated = hints.updated
    dated = False  # the first date line is the report's date, not a section (a sidecar's wins)
    for i, block in enumerate(blocks):
        if i == title_at:
            continue
        if not dated and (d := date_line(block.text)):
            dated, updated = True, updated or d
            continue
        if _is_heading(block):
            kind = next((k for p, k in LIST_KINDS if p.match(block.text)), None)
            if kind is not None:
                if current is None:
                    current = Draft("summary", "summary", "Summary", block.line)
                    drafts.append(current)
                list_kind = kind
                continue
            is_summary = SUMMARY_HEADINGS.match(block.text) is not None
            anchor = slugify(block.text)
            if any(d.anchor == anchor for d in drafts):
                anchor = f"{anchor}-{len(drafts) + 1}"
            current = Draft("summary" if is_summary else "other", anchor, block.text, block.line)
            drafts.append(current)
            list_kind = None
            continue
        if current is None:
            current = Draft("summary", "summary", "Summary", block.line)
            drafts.append(current)
        if list_kind:
            current.add_child(list_kind, block.line).paragraphs.append(block.text)
            continue
        current.paragraphs.append("• " + block.text if block.kind == "item" else block.text)
    report = ParsedReport(
        slugify(title, 80),
        title,
        report_type,
        None,
        cycle,
        pillar,
        updated,
        url=hints.url,
        layout="sections by heading",
    )
    report.sections = freeze(report, drafts, source)
    if not report.sections:
        report.warnings.append("no sections found")
    return report
