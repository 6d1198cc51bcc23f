"""A force's profile: every graded judgment the archive holds for it as a timeline (rows by
theme, or by pillar and area of policing where no theme is known, × PEEL cycles, with the
changes of method marked), its areas for improvement, causes of concern and recommendations
by cycle, and its reports with their source addresses.

Everything comes from the index: `Archive.select` (the force's documents and their facet
columns) picks the sections a profile shows, and only those are read (`Archive.sections_of`);
the results are plain dataclasses that the web app renders as HTML, JSON and CSV.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from indexer.forces import FORCES, REGIONS, Force, find_force
from indexer.model import CYCLES, KIND_LABELS, PILLARS, Section, cycle_year
from indexer.schema import FACETS_BY_NAME
from indexer.search.citation import source_url
from indexer.search.coverage import report_counts_by_force
from indexer.search.engine import Archive, IndexReadError
from indexer.search.request import SearchRequest

MAX_SECTIONS = 20_000  # a force's sections read for its profile (a force has a few hundred)
FINDING_KINDS = ("area_for_improvement", "cause_of_concern", "recommendation")
JUDGMENT_KINDS = ("summary", "question")  # the kinds `judgment_of` can find a grade in
FIRST_NEW_METHOD = "2021/22"
BREAK_NOTE = (
    "No PEEL assessments were published in 2020. From 2021/22 forces are graded by area of "
    "policing instead of by pillar, on a five-point scale that adds Adequate: grades on either "
    "side of this line are not directly comparable."
)
GROUPS = ("Pillars", "Themes", "Questions", "Areas of policing")
GROUP_NOTES = {
    "Pillars": "The overall grade of each pillar (2014 to 2018/19).",
    "Themes": "Questions and areas of policing of every cycle, lined up by their subject.",
    "Questions": "The graded questions under each pillar (2014 to 2018/19).",
    "Areas of policing": "The areas of policing graded from 2021/22.",
}


def force_by_slug(slug: str) -> Force | None:
    """The force whose slug (or alias) this is, or None."""
    return find_force(slug) if slug and len(slug) <= 80 else None


def is_new_method(cycle: str) -> bool:
    return cycle[:4].isdigit() and cycle_year(cycle) >= 2021


def scale_of(cycle: str) -> str:
    return "5-point scale" if is_new_method(cycle) else "4-point scale"


@dataclass(frozen=True, slots=True)
class Judgment:
    """One graded judgment: a pillar's overall grade, a question's or an area's grade."""

    section: Section
    group: str
    row: str
    level: str  # "pillar", "question" or "area"
    label: str  # "Overall", "Q2", "Area 3"
    title: str  # the question's wording or the area's name
    theme: str

    @property
    def cycle(self) -> str:
        return self.section.cycle

    @property
    def grade(self) -> str:
        return self.section.grade


@dataclass(frozen=True, slots=True)
class Column:
    cycle: str
    scale: str
    held: bool  # the archive holds a report of this force in this cycle
    break_before: str = ""  # a note when the method changed before this cycle


@dataclass(frozen=True, slots=True)
class TimelineRow:
    group: str
    label: str
    cells: list[list[Judgment]]  # one list per column


@dataclass(frozen=True, slots=True)
class Finding:
    section: Section
    kind_label: str
    under: str  # "Effectiveness question 2: …" or "Area of policing: …"
    excerpt: str


@dataclass(frozen=True, slots=True)
class ReportRef:
    report_id: str
    title: str
    cycle: str
    report_type: str
    updated: str  # ISO date or ""
    sections: int
    source_url: str
    source_url_derived: bool


@dataclass(slots=True)
class ForceProfile:
    force: Force
    columns: list[Column]
    rows: list[TimelineRow]
    judgments: list[Judgment]
    findings: list[tuple[str, list[Finding]]]  # (cycle, findings in reading order)
    reports: list[ReportRef]
    sections: int
    uses_themes: bool
    truncated: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def groups(self) -> list[tuple[str, str, list[TimelineRow]]]:
        """(group, note, rows) in display order, groups without rows left out."""
        return [
            (g, GROUP_NOTES[g], rows)
            for g in GROUPS
            if (rows := [r for r in self.rows if r.group == g])
        ]


def _excerpt(text: str, limit: int = 240) -> str:
    # Whitespace is collapsed in a prefix first (a finding's text can be long); the whole
    # text only when the prefix collapses to no more than the limit.
    head = " ".join(text[:limit * 2].split())
    text = head if len(head) > limit + 1 else " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def _under(section: Section) -> str:
    if not section.question:
        return ""
    if not section.pillar and is_new_method(section.cycle):
        return f"Area of policing: {section.question}"
    number = f" {section.question_number}" if section.question_number else ""
    return f"{section.pillar} question{number}: {section.question}".strip()


def judgment_of(section: Section) -> Judgment | None:
    """The judgment a section records, or None (findings, summaries without a pillar…)."""
    theme = getattr(section, "theme", "") or ""
    if section.kind == "summary" and section.pillar and section.grade:
        return Judgment(section, "Pillars", section.pillar, "pillar", "Overall",
                        section.question or section.heading, "")
    if section.kind != "question":
        return None
    area = not section.pillar and is_new_method(section.cycle)
    title = section.question or section.heading
    number = section.question_number
    label = ("Area" if area else "Q") + (f" {number}" if area and number else f"{number or ''}")
    if theme:
        return Judgment(section, "Themes", theme, "area" if area else "question", label, title,
                        theme)
    if area:
        return Judgment(section, "Areas of policing", title, "area", label, title, "")
    return Judgment(section, "Questions", f"{section.pillar or 'Other'} questions", "question",
                    label, title, "")


def _row_order(judgments: list[Judgment]) -> list[tuple[str, str]]:
    theme_facet = FACETS_BY_NAME.get("theme")
    first_seen: dict[tuple[str, str], int] = {}
    for i, j in enumerate(judgments):
        first_seen.setdefault((j.group, j.row), i)
    pillar_rank = {p: i for i, p in enumerate(PILLARS)}

    def key(item: tuple[str, str]) -> tuple[int, tuple[int, str] | int, int]:
        group, row = item
        if group == "Pillars":
            inner: tuple[int, str] | int = pillar_rank.get(row, len(PILLARS))
        elif group == "Questions":
            inner = pillar_rank.get(row.removesuffix(" questions"), len(PILLARS))
        elif group == "Themes" and theme_facet is not None:
            inner = theme_facet.sort_key(row)
        else:
            inner = 0
        return (GROUPS.index(group), inner, first_seen[item])

    return sorted(first_seen, key=key)


def _columns(sections: list[Section]) -> list[Column]:
    held = {s.cycle for s in sections}
    extra = sorted({c for c in held if c not in CYCLES and c[:4].isdigit()}, key=cycle_year)
    cycles = sorted([*CYCLES, *extra], key=lambda c: (cycle_year(c), c))
    columns: list[Column] = []
    for i, cycle in enumerate(cycles):
        before = cycles[i - 1] if i else ""
        changed = is_new_method(cycle) and before and not is_new_method(before)
        columns.append(Column(cycle, scale_of(cycle), cycle in held,
                              BREAK_NOTE if changed else ""))
    return columns


def _force_sections(archive: Archive, force: Force) -> tuple[int, list[Section], dict[str, int]]:
    """The force's section count, the sections a profile shows (graded judgments, findings,
    and one section of each report for its title and source), oldest report first and in
    reading order, and each report's section count.

    Which sections those are is decided from the index's facet columns, so only their stored
    fields are read (a force's other sections, and the full set, never are)."""
    req = SearchRequest(filters={"force": (force.name,)})
    for _ in range(3):  # a new build swapped in between select and read: select again
        sel = archive.select(req)
        docs = sel.docs
        kinds = [sel.code("kind", k) for k in (*JUDGMENT_KINDS, *FINDING_KINDS)]
        wanted = np.isin(sel.codes["kind"][docs], kinds)
        ranks, first, counts = np.unique(sel.reports[docs], return_index=True,
                                         return_counts=True)
        wanted[first] = True  # one section of every report
        chosen = docs[wanted]
        chosen = chosen[np.lexsort((chosen, sel.reports[chosen]))][:MAX_SECTIONS]
        sections = archive.sections_of(sel, chosen.tolist())
        if sections is not None:
            break
    else:
        raise IndexReadError("The archive's index changed three times while this profile "
                             "was read; please try again.")
    rank_of = dict(zip(chosen.tolist(), sel.reports[chosen].tolist(), strict=True))
    order = sorted(range(len(sections)),
                   key=lambda i: (rank_of[int(chosen[i])], sections[i].position))
    by_rank = dict(zip(ranks.tolist(), counts.tolist(), strict=True))
    ordered = [sections[i] for i in order]
    report_sections: dict[str, int] = {}
    for i in order:
        report_sections.setdefault(sections[i].report_id, by_rank[rank_of[int(chosen[i])]])
    return len(docs), ordered, report_sections


def force_profile(archive: Archive, force: Force) -> ForceProfile:
    """Everything the archive holds for `force`, in date order."""
    total, sections, counts = _force_sections(archive, force)
    peel = [s for s in sections if s.cycle]
    judgments = [j for s in peel if (j := judgment_of(s)) is not None]
    columns = _columns(peel)
    col_index = {c.cycle: i for i, c in enumerate(columns)}
    rows: list[TimelineRow] = []
    by_row: dict[tuple[str, str], list[Judgment]] = {}
    for j in judgments:
        by_row.setdefault((j.group, j.row), []).append(j)
    for group, label in _row_order(judgments):
        cells: list[list[Judgment]] = [[] for _ in columns]
        for j in by_row[(group, label)]:
            if j.cycle in col_index:
                cells[col_index[j.cycle]].append(j)
        for cell in cells:
            cell.sort(key=lambda j: (j.level != "pillar", j.section.question_number or 0,
                                     j.section.position))
        rows.append(TimelineRow(group, label, cells))

    findings: dict[str, list[Finding]] = {}
    for s in peel:
        if s.kind in FINDING_KINDS:
            findings.setdefault(s.cycle, []).append(
                Finding(s, KIND_LABELS.get(s.kind, s.kind), _under(s), _excerpt(s.text))
            )
    reports: dict[str, ReportRef] = {}
    for s in sections:
        if s.report_id not in reports:
            url, derived = source_url(s)
            reports[s.report_id] = ReportRef(
                s.report_id, s.report_title, s.cycle, s.report_type,
                s.updated.isoformat() if s.updated else "", 0, url, derived,
            )
    refs = [
        ReportRef(r.report_id, r.title, r.cycle, r.report_type, r.updated, counts[r.report_id],
                  r.source_url, r.source_url_derived)
        for r in reports.values()
    ]
    return ForceProfile(
        force=force,
        columns=columns,
        rows=rows,
        judgments=judgments,
        findings=sorted(findings.items(), key=lambda kv: (cycle_year(kv[0]), kv[0])),
        reports=refs,
        sections=total,
        uses_themes=any(j.theme for j in judgments),
        truncated=total > MAX_SECTIONS,
        notes=[BREAK_NOTE],
    )


@dataclass(frozen=True, slots=True)
class ForceEntry:
    force: Force
    reports: int


def force_list(archive: Archive) -> list[tuple[str, list[ForceEntry]]]:
    """The 43 forces by region (regions in their usual order), each with its PEEL reports."""
    counts = report_counts_by_force(archive.report_tags())
    return [
        (region, [ForceEntry(f, counts.get(f.name, 0)) for f in FORCES if f.region == region])
        for region in REGIONS
    ]
