"""Stage 3 for 2021/22 and 2023–25 PEEL reports: "areas of policing" to tagged `Section`s.

Reads the layout of the 2021+ report pages and PDFs (reference §6e): "Overall summary", "Our
judgments" with its area → grade table, "HM Inspector's observations" (or summary), then one
section per area of policing, each opening with a grade sentence ("Durham Constabulary is
adequate at investigating crime"), and inside an area its areas for improvement, causes of
concern, recommendations and innovative or promising practice, each a section of its own
tagged with the area and its grade. The area plays the part of the question
(`question` = area name, `question_number` = its position) and the pillar is "".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from indexer.draft import CHILD_KINDS, Draft, ParsedReport, freeze, list_heading, slugify
from indexer.errors import ReportError
from indexer.forces import Force, find_force, forces_in
from indexer.grades import (
    disagreement_warning,
    grade_cell,
    judgment_sentence,
    no_grade_warning,
)
from indexer.metadata import Hints, date_line
from indexer.model import PEEL_ASSESSMENT, canonical_cycle, cycle_slug, cycle_year
from indexer.normalise import Block
from indexer.questions import AREAS, fold, known_area

TITLE_CYCLE = re.compile(r"\bPEEL\s+(20\d\d\s*(?:/|–|-|to)\s*(?:20)?\d\d)\b", re.IGNORECASE)
INSPECTION_OF = re.compile(r"\bAn inspection of (?:the )?(.+?)\s*$", re.IGNORECASE)
ASSESSED_HOW_GOOD = re.compile(r"assessed how good (?:the )?(.+?) is (?:in|at)\b", re.IGNORECASE)
TOP_HEADINGS: dict[str, tuple[str, str]] = {
    fold(h): v
    for h, v in (
        ("Overall summary", ("summary", "summary")),
        ("Our judgments", ("judgments", "summary")),
        ("Our judgements", ("judgments", "summary")),
        ("HM Inspector's observations", ("observations", "summary")),
        ("HMI's observations", ("observations", "summary")),
        ("HM Inspector's summary", ("observations", "summary")),
        ("His Majesty's Inspector's observations", ("observations", "summary")),
        ("Her Majesty's Inspector's observations", ("observations", "summary")),
        # Other headings of the reports' opening part (reference §6e).
        ("Important changes to PEEL", ("important-changes-to-peel", "other")),
        ("The operating context for Welsh forces", ("operating-context-for-welsh-forces", "other")),
        ("Terminology in this report", ("terminology", "other")),
    )
}
MAIN_FINDINGS = re.compile(r"^Main findings:?$", re.IGNORECASE)
JUDGMENT_LINE = re.compile(r"^(?P<area>.+?)\s*(?::|–|-|\|)\s*(?P<grade>[A-Za-z ]+)$")
# Where a capture starting at "Overall summary" still names its cycle (reference §6i).
FRAMEWORK_CYCLE = re.compile(
    r"\bPEEL\s+Assessment\s+Framework\s+(20\d\d\s*(?:/|–|-|to)\s*(?:20)?\d\d)\b", re.IGNORECASE
)


def _is_heading(block: Block) -> bool:
    if block.kind == "heading":
        return True
    text = block.text
    return block.kind == "line" and len(text) <= 90 and not text.endswith((".", ",", ";"))


@dataclass(slots=True)
class _State:
    cycle: str
    force: Force | None = None
    drafts: list[Draft] = field(default_factory=list)
    current: Draft | None = None
    area_level: int | None = None
    list_kind: str | None = None
    list_each: bool = False
    list_label: str = ""
    child: Draft | None = None
    child_sticky: bool = False  # a child opened by its own sub-heading collects paragraphs
    table: dict[str, str] = field(default_factory=dict)
    table_order: list[str] = field(default_factory=list)
    judgments: Draft | None = None  # the section holding the judgments table
    columns: list[str] = field(default_factory=list)
    areas: int = 0

    def start(self, draft: Draft) -> Draft:
        self.drafts.append(draft)
        self.current, self.list_kind, self.child = draft, None, None
        return draft


def looks_like_areas_report(blocks: list[Block], hints: Hints) -> bool:
    """True for a 2021+ report: its cycle, or an "Our judgments" heading near an area list."""
    if hints.cycle[:4].isdigit() and int(hints.cycle[:4]) >= 2021:
        return True
    for block in blocks[:40]:
        if (m := TITLE_CYCLE.search(block.text)) and cycle_year(canonical_cycle(m[1])) >= 2021:
            return True
    keys = {fold(b.text) for b in blocks if _is_heading(b)}
    if fold("Our judgments") in keys or fold("Our judgements") in keys:
        return True
    # Captured from "Overall summary" on: the summary heading and the framework's cycle.
    return fold("Overall summary") in keys and _framework_cycle(blocks) != ""


def _framework_cycle(blocks: list[Block]) -> str:
    for block in blocks:
        if (m := FRAMEWORK_CYCLE.search(block.text)) and cycle_year(
            canonical_cycle(m[1])
        ) >= 2021:
            return canonical_cycle(m[1])
    return ""


def _identity(blocks: list[Block], hints: Hints) -> tuple[int, Force, str]:
    """The title block's index, the force and the cycle, from the text, else the hints."""
    title_at = next(
        (i for i, b in enumerate(blocks) if b.kind == "heading" and b.level == 1),
        next(  # in plain text, the line naming the cycle or the force (none in a capture that
            # starts at "Overall summary")
            (i for i, b in enumerate(blocks[:40])
             if TITLE_CYCLE.search(b.text) or INSPECTION_OF.search(b.text)),
            -1,
        ),
    )  # fmt: skip
    cycle = ""
    named = ""
    for block in blocks[:40]:
        if not cycle and (m := TITLE_CYCLE.search(block.text)):
            cycle = canonical_cycle(m[1])
        if not named and (
            m := INSPECTION_OF.search(block.text) or ASSESSED_HOW_GOOD.search(block.text)
        ):
            named = m[1]
    force = find_force(named) if named else None
    if named and force is None and (found := forces_in(named)):
        force = found[0]
    if named and force is None and not hints.force:
        raise ReportError(f"unknown force {named!r} (not one of the 43 forces)")
    force = force or hints.force_or_none()
    if force is None:
        raise ReportError("force not recognised: no 'An inspection of …' line, file name or URL")
    cycle = cycle or hints.cycle or _framework_cycle(blocks)
    if not cycle:
        raise ReportError("PEEL cycle not recognised: no 'PEEL 2021/22'-style title")
    return title_at, force, cycle


def parse_areas_report(blocks: list[Block], source: str, hints: Hints) -> ParsedReport:
    """Parse a 2021/22 or 2023–25 report's blocks into its report and sections."""
    title_at, force, cycle = _identity(blocks, hints)
    warnings: list[str] = []
    state = _State(cycle, force)
    updated: dt.date | None = None
    body = [b for i, b in enumerate(blocks) if i != title_at]
    for i, block in enumerate(body):
        if updated is None and (d := date_line(block.text)):
            updated = d
            continue
        nxt = body[i + 1] if i + 1 < len(body) else None
        if _is_heading(block) and _heading(state, block, nxt):
            continue
        _content(state, block)
    _settle(state, warnings)
    report_id = f"{force.slug}-{cycle_slug(cycle)}"
    report = ParsedReport(
        report_id,
        f"{force.short} PEEL {cycle}",
        PEEL_ASSESSMENT,
        force,
        cycle,
        "",
        updated or hints.updated,
        warnings=warnings,
        url=hints.url,
        layout="areas of policing (2021+)",
    )
    report.sections = freeze(report, state.drafts, source)
    return report


def _heading(state: _State, block: Block, nxt: Block | None) -> bool:
    """Act on a heading; False when the block is ordinary text after all."""
    text, key = block.text, fold(block.text)
    if key in TOP_HEADINGS:
        anchor, kind = TOP_HEADINGS[key]
        draft = state.start(Draft(kind, anchor, text, pillar=""))
        if anchor == "judgments":
            state.judgments = draft
        state.area_level = None
        return True
    if listed := list_heading(text):
        kind, each = listed
        if state.current is None:
            state.start(Draft("other", slugify(text), text))
        assert state.current is not None
        state.list_kind, state.list_each, state.child_sticky = kind, each, False
        state.list_label = text.rstrip(":")
        where = f" ({state.current.question})" if state.current.question else ""
        heading = f"{state.list_label}{where}"
        state.child = None if each else state.current.add_child(kind, heading)
        return True
    if MAIN_FINDINGS.match(text):
        state.list_kind = None
        return True
    sentence_follows = nxt is not None and judgment_sentence(nxt.text, state.force) is not None
    is_area = (
        key in state.table
        or known_area(text, state.cycle) is not None
        or (block.kind == "heading" and sentence_follows and _may_be_area(state, block))
    )
    if is_area:
        state.areas += 1
        n = state.areas
        draft = Draft("question", f"q{n}", text, number=n, question=text, pillar="")
        state.start(draft)
        state.area_level = block.level
        return True
    if block.kind != "heading":
        return False
    deeper = state.area_level is None or block.level > state.area_level
    if state.list_kind and state.current is not None and deeper:
        label = state.list_label or CHILD_KINDS[state.list_kind][1]
        if state.child is not None and not state.child.paragraphs:
            state.child.heading = f"{label}: {text}"
        else:
            state.child = state.current.add_child(
                state.list_kind, heading=f"{label}: {text}"
            )
        state.child_sticky = True
        return True
    if state.area_level is not None and deeper and state.current:
        state.current.paragraphs.append(text)
        return True
    state.start(Draft("other", slugify(text), text, pillar=""))
    state.area_level = None
    return True


def _may_be_area(state: _State, block: Block) -> bool:
    return state.area_level is None or block.level <= state.area_level


def _content(state: _State, block: Block) -> None:
    if state.current is None:
        state.start(Draft("summary", "introduction", "Introduction", pillar=""))
    current = state.current
    assert current is not None
    if ASSESSED_HOW_GOOD.search(block.text) and state.judgments is None:
        state.judgments = current  # no "Our judgments" line: the table follows this sentence
    if current.anchor == "judgments" or current is state.judgments:
        _table_row(state, block)
    text = "• " + block.text if block.kind == "item" else block.text
    if state.list_kind:
        if state.child is None:
            state.child = current.add_child(state.list_kind)
        state.child.paragraphs.append(block.text)
        if state.list_each and not state.child_sticky:
            state.child = None  # each paragraph or item is its own section
        return
    current.paragraphs.append(text)


def _table_row(state: _State, block: Block) -> None:
    """Read one row (or "Area: Grade" line) of the judgments table."""
    cells = block.cells
    if block.kind == "row" and sum(grade_cell(c) is not None for c in cells) >= 2:
        state.columns = cells  # a header row of grades: areas sit under their grade
        return
    pairs: list[tuple[str, str]] = []
    if block.kind == "row" and state.columns:
        for i, cell in enumerate(cells):
            grade = grade_cell(state.columns[i]) if i < len(state.columns) else None
            if cell and grade:
                pairs.append((cell, grade))
    elif block.kind == "row" and len(cells) == 2:
        for area, grade_text in (cells, cells[::-1]):
            if (grade := grade_cell(grade_text)) and not grade_cell(area):
                pairs.append((area, grade))
                break
    elif (m := JUDGMENT_LINE.match(block.text)) and (grade := grade_cell(m["grade"])):
        pairs.append((m["area"], grade))
    for area, grade in pairs:
        state.table[fold(area)] = grade
        state.table_order.append(area)


def _settle(state: _State, warnings: list[str]) -> None:
    """Give each area its grade: the judgments table's, else its grade sentence's."""
    areas = [d for d in state.drafts if d.kind == "question"]
    for d in areas:
        from_table = state.table.get(fold(d.question))
        from_text = judgment_sentence(d.paragraphs[0], state.force) if d.paragraphs else None
        known = known_area(d.question, state.cycle)
        if from_table and from_text and from_table != from_text:
            warnings.append(
                disagreement_warning(
                    d.anchor, ("judgments table", from_table), ("sentence", from_text)
                )
            )
        if from_table:
            d.set_grade(from_table, "table")
        elif from_text:
            d.set_grade(from_text, "sentence")
        elif known is not None and not known[1]:
            d.set_grade("Ungraded", "framework", "Not graded in this cycle")
        else:
            warnings.append(no_grade_warning(d.anchor, d.question))
        if known is None and state.cycle in AREAS:
            warnings.append(f"{d.anchor}: area not in the known {state.cycle} list: {d.question!r}")
    names = {fold(d.question) for d in areas}
    for area in state.table_order:
        if fold(area) not in names:
            warnings.append(f"judgments table names {area!r} but no section covers it")
    if not areas:
        warnings.append("no areas of policing found")
