"""What every structure parser produces: a `ParsedReport` of frozen `Section`s.

Parsers assemble mutable `Draft`s (a section and its child lists: areas for improvement,
causes of concern, recommendations, practice) and `freeze` turns them into `Section`s, giving
each child its owner's question (or area) and grade. Reports of other types have no force.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from indexer.forces import Force
from indexer.model import Section, cycle_year

# Child kinds: their short anchor part and their label.
CHILD_KINDS: dict[str, tuple[str, str]] = {
    "area_for_improvement": ("afi", "Area for improvement"),
    "cause_of_concern": ("coc", "Cause of concern"),
    "recommendation": ("rec", "Recommendation"),
    "practice": ("practice", "Practice"),
}


# List headings inside a question, area or section: (pattern, child kind, is each paragraph or
# item under it a section of its own?). The one set every structure parser uses.
LIST_HEADINGS: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    (re.compile(r"^Areas? for improvement(?: \d+)?:?$", re.I), "area_for_improvement", True),
    (re.compile(r"^(?:Accelerated )?Causes? of concern(?: \d+)?:?$", re.I), "cause_of_concern",
     False),
    (re.compile(r"^Recommendations?(?: \d+)?:?$", re.I), "recommendation", True),
    (re.compile(r"^(?:Innovative|Promising|Notable)(?: (?:and|or) promising)? practices?:?$",
                re.I), "practice", False),
)  # fmt: skip


def list_heading(text: str) -> tuple[str, bool] | None:
    """(child kind, each item its own section?) when `text` heads a list, else None."""
    for pattern, kind, each in LIST_HEADINGS:
        if pattern.match(text.strip()):
            return kind, each
    return None


@dataclass(slots=True)
class ParsedReport:
    """What one file yielded: the report's identity, its sections and any warnings."""

    report_id: str
    title: str
    report_type: str
    force: Force | None
    cycle: str
    pillar: str
    updated: dt.date | None
    sections: list[Section] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    url: str = ""
    layout: str = "pillar page"

    @property
    def force_name(self) -> str:
        return self.force.name if self.force else ""


@dataclass(slots=True)
class Draft:
    """A section being assembled before it is frozen into a `Section`."""

    kind: str
    anchor: str
    heading: str
    number: int | None = None
    question: str = ""
    grade: str = ""
    grade_note: str = ""
    grade_source: str = ""  # see GRADE_SOURCES in indexer.model
    known: object | None = None
    pillar: str | None = None  # None: the report's pillar
    paragraphs: list[str] = field(default_factory=list)
    children: list[Draft] = field(default_factory=list)

    @property
    def grade_stated(self) -> bool:
        """True when the report itself states this block's grade (line, sentence or table)."""
        return self.grade_source in ("line", "sentence", "table")

    def set_grade(self, grade: str, source: str, note: str = "") -> None:
        self.grade, self.grade_source, self.grade_note = grade, source, note

    def add_child(self, kind: str, heading: str = "") -> Draft:
        """Start a child section of `kind` (anchor and heading numbered within its kind)."""
        short, label = CHILD_KINDS[kind]
        n = sum(1 for c in self.children if c.kind == kind) + 1
        where = f" ({self.question})" if self.question else ""
        child = Draft(
            kind,
            f"{self.anchor}-{short}-{n}",
            heading or f"{label} {n}{where}",
        )
        self.children.append(child)
        return child


def slugify(text: str, limit: int = 60) -> str:
    """A lowercase-hyphen slug: "Our judgments" -> "our-judgments"."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "").replace("’", "")).strip("-")
    return slug[:limit].rstrip("-") or "section"


def freeze(report: ParsedReport, drafts: list[Draft], source: str) -> list[Section]:
    """Drafts (and their children, after their owner) to sections, in order."""
    sections: list[Section] = []
    force = report.force
    year = cycle_year(report.cycle) if report.cycle[:4].isdigit() else 0

    def make(d: Draft, parent: Draft | None) -> Section:
        owner = parent or d
        pillar = owner.pillar if owner.pillar is not None else report.pillar
        return Section(
            report_id=report.report_id,
            section_id=f"{report.report_id}:{d.anchor}",
            anchor=d.anchor,
            report_title=report.title,
            report_type=report.report_type,
            force=force.name if force else "",
            force_short=force.short if force else "",
            force_slug=force.slug if force else "",
            region=force.region if force else "",
            cycle=report.cycle,
            year=year,
            pillar=pillar,
            question_number=owner.number,
            question=owner.question,
            grade=owner.grade,
            grade_note=owner.grade_note,
            grade_source=owner.grade_source if owner.grade else "",
            kind=d.kind,
            heading=d.heading,
            text="\n\n".join(d.paragraphs),
            position=len(sections),
            source=source,
            updated=report.updated,
            url=report.url,
        )

    for d in drafts:
        sections.append(make(d, None))
        for child in d.children:
            sections.append(make(child, d))
    return sections
