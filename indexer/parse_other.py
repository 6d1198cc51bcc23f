"""Stage 3 for reports that are not about one force: sections by heading, no force.

National overviews, spotlight reports, revisits, thematic inspections and State of Policing
(reference §7) are indexed with their `report_type` and empty force fields. The text before
the first heading, and headings like "Summary" or "Foreword", become summary sections; lists
under "Recommendations", "Causes of concern" or "Areas for improvement" become one section
per item; every other heading starts a section of kind "other".
"""

from __future__ import annotations

import datetime as dt
import re

from indexer.draft import Draft, ParsedReport, freeze, list_heading, slugify
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
# A grades table's question label (reference §6d): "Legitimacy - Question 2 - Ungraded".
TABLE_QUESTION = re.compile(
    r"^(?P<pillar>Effectiveness|Efficiency|Legitimacy|Leadership)\s*[-–]\s*Question\s+(?P<n>\d+)"
    r"(?:\s*[-–]\s*(?P<ungraded>Ungraded))?$",
    re.IGNORECASE,
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
    drafts = _SectionsByHeading().run(
        [b for i, b in enumerate(blocks) if i != title_at], hints.updated
    )
    updated = drafts.updated
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
    report.sections = freeze(report, drafts.drafts, source)
    if not report.sections:
        report.warnings.append("no sections found")
    return report


class _SectionsByHeading:
    """Walks a report's blocks: a section per heading, a child per list item."""

    def __init__(self) -> None:
        self.drafts: list[Draft] = []
        self.current: Draft | None = None
        self.list_kind: str | None = None
        self.updated: dt.date | None = None
        self.awaiting_question = False  # a grades-table label waits for its question's wording

    def run(self, blocks: list[Block], updated: dt.date | None) -> _SectionsByHeading:
        self.updated = updated
        dated = False  # the first date line is the report's date, not a section (a sidecar's wins)
        for block in blocks:
            if not dated and (d := date_line(block.text)):
                dated, self.updated = True, self.updated or d
            elif self.awaiting_question:
                self._question_wording(block)
            elif (m := TABLE_QUESTION.match(block.text)) is not None:
                self._table_question(block, m)
            elif _is_heading(block):
                self._heading(block)
            else:
                self._text(block)
        # A heading with nothing under it (a legend, a heading over a sub-heading) holds no
        # passage to find: it is not a section.
        self.drafts = [d for d in self.drafts if d.paragraphs or d.children]
        return self

    def _start(self, draft: Draft) -> Draft:
        self.drafts.append(draft)
        self.current, self.list_kind = draft, None
        return draft

    def _summary(self, block: Block) -> Draft:
        if self.current is None:
            self._start(Draft("summary", "summary", "Summary"))
        assert self.current is not None
        return self.current

    def _table_question(self, block: Block, m: re.Match[str]) -> None:
        pillar, n = m["pillar"].capitalize(), int(m["n"])
        draft = Draft(
            "question", f"{pillar.lower()}-q{n}", f"{pillar} – Question {n}",
            number=n, pillar=pillar,
        )
        if m["ungraded"]:
            draft.set_grade("Ungraded", "table", "Ungraded in the grades table")
        self._start(draft)
        self.awaiting_question = True

    def _question_wording(self, block: Block) -> None:
        """The line after a grades-table label is its question, heading-like or not."""
        self.awaiting_question = False
        assert self.current is not None
        self.current.question = block.text
        self.current.heading = f"{self.current.heading}: {block.text}"
        self.current.paragraphs.append(block.text)

    def _heading(self, block: Block) -> None:
        if listed := list_heading(block.text):
            self._summary(block)
            self.list_kind = listed[0]
            return
        is_summary = SUMMARY_HEADINGS.match(block.text) is not None
        anchor = slugify(block.text)
        if any(d.anchor == anchor for d in self.drafts):
            anchor = f"{anchor}-{len(self.drafts) + 1}"
        self._start(Draft("summary" if is_summary else "other", anchor, block.text))

    def _text(self, block: Block) -> None:
        current = self._summary(block)
        if self.list_kind:
            current.add_child(self.list_kind).paragraphs.append(block.text)
        else:
            current.paragraphs.append("• " + block.text if block.kind == "item" else block.text)
