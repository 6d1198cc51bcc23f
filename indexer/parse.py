"""Stage 3 of the pipeline: normalised blocks of a PEEL pillar page to tagged `Section`s.

Reads the 2014–2018/19 pillar-page layout (reference §6a): title "{Force} PEEL {cycle}"
(found by content, wherever banners put it), pillar name (sometimes missing), pillar headline
question, "Last updated", overall grade, summary, then questions found by number, by
"Questions for …" or by their known wording, each with an optional grade line and areas for
improvement. Grades are read by `indexer.grades`: a grade line of its own, else the stock
judgment sentence opening the block; grade words anywhere else are never grades.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath

from indexer.draft import Draft, ParsedReport, freeze, list_heading
from indexer.errors import ReportError
from indexer.forces import Force, find_force
from indexer.grades import (
    CARRIED_OVER_PROSE,
    UNGRADED_PROSE,
    disagreement_warning,
    grade_line,
    judgment_sentence,
    no_grade_warning,
)
from indexer.model import PILLARS, cycle_slug
from indexer.normalise import Block
from indexer.questions import KnownQuestion, headline_pillar, known_questions, match_question

TITLE_RE = re.compile(r"^(?P<name>.+?)\s+PEEL\s+(?P<cycle>20\d\d(?:\s*/\s*\d\d)?)$", re.IGNORECASE)
UPDATED_RE = re.compile(r"^Last updated:?\s+(\d{1,2})/(\d{1,2})/(\d{4})$", re.IGNORECASE)
NUMBER_RE = re.compile(r"^(?:Question\s+)?(\d{1,2})\.?$", re.IGNORECASE)
QUESTIONS_FOR_RE = re.compile(r"^Questions for (\w+)$", re.IGNORECASE)
QUESTION_LIKE_RE = re.compile(r"^(How|To what extent|What|Is|Does|Has)\b.{10,240}\?$")


def _find_title(blocks: list[Block]) -> tuple[int, re.Match[str]]:
    for i, block in enumerate(blocks):
        m = TITLE_RE.match(block.text)
        if m:
            return i, m
    raise ReportError("no PEEL title line found (expected a line like 'Kent PEEL 2016')")


def _pillar_from_name(source: str) -> str | None:
    stem = PurePath(source).stem.lower()
    for pillar in PILLARS:
        if pillar.lower() in stem:
            return pillar
    return None


def _updated(blocks: list[Block], i: int, warnings: list[str]) -> tuple[dt.date | None, int]:
    """The "Last updated" date within three blocks of `i`, and where reading goes on. (A date
    line elsewhere is not the page's date, and the body walker never keeps it as text.)"""
    for j in range(i, min(i + 3, len(blocks))):
        m = UPDATED_RE.match(blocks[j].text)
        if m:
            day, month, year = (int(g) for g in m.groups())
            try:
                return dt.date(year, month, day), j + 1
            except ValueError:
                warnings.append(f"line {blocks[j].line}: impossible date {blocks[j].text!r}")
                return None, j + 1
    warnings.append("no 'Last updated' date")
    return None, i


def parse_pillar_page(blocks: list[Block], source: str) -> ParsedReport:
    """Parse the blocks of one pillar page into a report and its sections."""
    warnings: list[str] = []
    start, title = _find_title(blocks)
    force = find_force(title["name"])
    if force is None:
        raise ReportError(
            f"unknown force {title['name']!r} in title line (not one of the 43 forces)",
            line=blocks[start].line,
        )
    cycle = re.sub(r"\s+", "", title["cycle"])
    if "/" not in cycle and cycle == "2018":
        cycle = "2018/19"
    i = start + 1

    pillar: str | None = None
    headline = ""
    if i < len(blocks) and blocks[i].text.capitalize() in PILLARS:
        pillar = blocks[i].text.capitalize()
        i += 1
    if i < len(blocks) and (blocks[i].text.endswith("?") or headline_pillar(blocks[i].text)):
        headline = blocks[i].text
        pillar = pillar or headline_pillar(headline)
        i += 1
    updated, i = _updated(blocks, i, warnings)

    if pillar is None:
        pillar = _pillar_from_questions(blocks[i:], cycle) or _pillar_from_name(source)
        if pillar is None:
            raise ReportError("pillar not recognised: no pillar line, headline or known question")
        warnings.append(f"pillar line missing; inferred {pillar}")

    summary = Draft(
        "summary", "summary", f"{pillar}: {headline}" if headline else pillar
    )
    if i < len(blocks) and (g := grade_line(blocks[i].text)):
        summary.set_grade(g[0], "line", g[1])
        i += 1

    drafts = _QuestionSplitter(cycle, pillar, summary, warnings).run(blocks[i:])
    settle_grades(drafts, cycle, pillar, force, warnings)

    report_id = f"{force.slug}-{cycle_slug(cycle)}-{pillar.lower()}"
    report_title = f"{force.short} PEEL {cycle} — {pillar}"
    report = ParsedReport(
        report_id, report_title, "PEEL assessment", force, cycle, pillar, updated, warnings=warnings
    )
    report.sections = freeze(report, drafts, source)
    if not any(s.kind == "question" for s in report.sections):
        warnings.append("no questions found")
    return report


def _pillar_from_questions(blocks: list[Block], cycle: str) -> str | None:
    for block in blocks:
        m = QUESTIONS_FOR_RE.match(block.text)
        if m and m[1].capitalize() in PILLARS:
            return m[1].capitalize()
        for pillar in PILLARS:
            if match_question(block.text, cycle, pillar):
                return pillar
    return None


class _QuestionSplitter:
    """Walks a pillar page's body: summary paragraphs, then questions with their lists."""

    def __init__(self, cycle: str, pillar: str, summary: Draft, warnings: list[str]) -> None:
        self.cycle, self.pillar, self.warnings = cycle, pillar, warnings
        self.drafts = [summary]
        self.current = summary
        self.in_questions = False  # past a "Questions for …" heading or a first question
        self.list_kind: str | None = None  # kind of the list the next items belong to
        self.pending_number: int | None = None  # a number line waiting for its question
        self.count = 0

    def run(self, blocks: list[Block]) -> list[Draft]:
        idx = 0
        while idx < len(blocks):
            block = blocks[idx]
            nxt = blocks[idx + 1] if idx + 1 < len(blocks) else None
            idx += 1
            if block.kind == "item":
                self._item(block)
            elif UPDATED_RE.match(block.text):
                continue  # page chrome, read by `_updated`; never a section's text
            elif self._marker(block.text) or self._number(block.text, nxt):
                continue
            elif self._question(block):
                if nxt is not None and (g := grade_line(nxt.text)):
                    self.current.set_grade(g[0], "line", g[1])
                    idx += 1
            else:
                self._text(block.text)
        return self.drafts

    def _item(self, block: Block) -> None:
        """A list item: a child section under a list heading, else part of the prose."""
        if self.list_kind:
            self.current.add_child(self.list_kind).paragraphs.append(block.text)
        else:
            self.current.paragraphs.append("• " + block.text)

    def _marker(self, text: str) -> bool:
        """A "Questions for …" or list heading: remembered, not kept as text."""
        m = QUESTIONS_FOR_RE.match(text)
        if m and m[1].capitalize() in PILLARS:
            self.in_questions, self.list_kind = True, None
            return True
        if heading := list_heading(text):
            self.list_kind = heading[0]
            return True
        return False

    def _number(self, text: str, nxt: Block | None) -> bool:
        """A bare question number, when a question follows it."""
        num = NUMBER_RE.match(text)
        if not num or nxt is None or nxt.kind == "item":
            return False
        if not (
            self.in_questions
            or match_question(nxt.text, self.cycle, self.pillar)
            or nxt.text.endswith("?")
        ):
            return False
        self.pending_number = int(num[1])
        return True

    def _question(self, block: Block) -> bool:
        """Start a question when the line is a known wording, or question-like where expected."""
        text = block.text
        known = match_question(text, self.cycle, self.pillar)
        looks_like_question = self.pending_number is not None or (
            self.in_questions and QUESTION_LIKE_RE.match(text) and self.current.paragraphs != []
        )
        if not (known or (looks_like_question and text.endswith("?"))):
            return False
        if not known:
            self.warnings.append(
                f"line {block.line}: question not in the known {self.cycle} {self.pillar} list: "
                f"{text!r}"
            )
        self.count += 1
        number = self.pending_number
        n = number or (known.number if known else None) or self.count
        if known and number and known.number != number:
            self.warnings.append(
                f"line {block.line}: question numbered {number} is known as {known.number}"
            )
        self.current = Draft(
            "question", self._anchor(n, known, block.line), f"Question {n}: {text}",
            number=n, question=text, known=known,
        )
        self.drafts.append(self.current)
        self.pending_number, self.list_kind, self.in_questions = None, None, True
        return True

    def _anchor(self, n: int, known: KnownQuestion | None, line: int) -> str:
        """`q{n}`, unless an earlier question of the page took it (a number line that disagrees
        with the wording it stands above): then the first free of the wording's known number,
        the question's place on the page, or `q{n}-2`, `q{n}-3` …, with a warning. Anchors
        are section ids: two sections of one report must never share one."""
        taken = {d.anchor for d in self.drafts}
        if f"q{n}" not in taken:
            return f"q{n}"
        options = [f"q{c}" for c in (known.number if known else None, self.count) if c]
        options += [f"q{n}-{k}" for k in range(2, len(taken) + 3)]
        anchor = next(a for a in options if a not in taken)
        self.warnings.append(f"line {line}: question number {n} is already used; this question "
                             f"is anchored as {anchor}")
        return anchor

    def _text(self, text: str) -> None:
        if self.pending_number is not None:
            # A bare number that did not introduce a question is ordinary text.
            self.current.paragraphs.append(str(self.pending_number))
            self.pending_number = None
        self.list_kind = None
        self.current.paragraphs.append(text)


def read_sentence_grade(draft: Draft, force: Force | None, warnings: list[str]) -> None:
    """Give `draft` the grade its opening judgment sentence states, when no line stated one.

    When a grade line and the sentence disagree, the line's grade is kept and a warning says so.
    """
    said = judgment_sentence(draft.paragraphs[0], force) if draft.paragraphs else None
    if said is None:
        return
    if draft.grade_source == "line" and draft.grade not in (said, "Ungraded"):
        warnings.append(
            disagreement_warning(draft.anchor, ("grade line", draft.grade), ("sentence", said))
        )
    elif not draft.grade_stated:
        draft.set_grade(said, "sentence")


def settle_grades(
    drafts: list[Draft], cycle: str, pillar: str, force: Force | None, warnings: list[str]
) -> None:
    """Fill grades that no grade line stated, from what the report says explicitly."""
    summary = drafts[0]
    pillar_status = summary.grade_note if summary.grade == "Ungraded" else ""
    read_sentence_grade(summary, force, warnings)
    if not summary.grade:
        known = known_questions(cycle, pillar)
        if known and not any(q.graded for q in known):
            summary.set_grade("Ungraded", "framework", "Not graded in this cycle")
    for d in drafts:
        if d.kind != "question":
            continue
        read_sentence_grade(d, force, warnings)
        body = " ".join(d.paragraphs)
        if CARRIED_OVER_PROSE.search(body):
            d.grade_note = "Carried over from an earlier inspection"
        if d.grade_stated:
            continue
        known_ungraded = isinstance(d.known, KnownQuestion) and not d.known.graded
        if pillar_status:
            d.set_grade("Ungraded", "implied", pillar_status)
        elif UNGRADED_PROSE.search(body):
            d.set_grade("Ungraded", "implied", "Not inspected or graded")
        elif known_ungraded:
            d.set_grade("Ungraded", "framework", "Not graded in this cycle")
        else:
            warnings.append(no_grade_warning(d.anchor, d.question))
