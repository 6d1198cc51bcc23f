"""Stage 3 of the pipeline: normalised blocks of a PEEL pillar page to tagged `Section`s.

Reads the 2014–2018/19 pillar-page layout (reference §6a): title "{Force} PEEL {cycle}",
pillar name (sometimes missing), pillar headline question, "Last updated", overall grade,
summary, then questions found by number, by "Questions for …" or by their known wording, each
with an optional grade line and areas for improvement. A grade counts only when it stands on a
line of its own: grade words inside prose are never taken as grades.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath

from indexer.draft import Draft, ParsedReport, freeze
from indexer.errors import ReportError
from indexer.forces import find_force
from indexer.model import FOUR_POINT_GRADES, GRADES, PILLARS, cycle_slug, cycle_year
from indexer.normalise import Block
from indexer.questions import KnownQuestion, headline_pillar, known_questions, match_question

TITLE_RE = re.compile(r"^(?P<name>.+?)\s+PEEL\s+(?P<cycle>20\d\d(?:\s*/\s*\d\d)?)$", re.IGNORECASE)
UPDATED_RE = re.compile(r"^Last updated:?\s+(\d{1,2})/(\d{1,2})/(\d{4})$", re.IGNORECASE)
NUMBER_RE = re.compile(r"^(?:Question\s+)?(\d{1,2})\.?$", re.IGNORECASE)
QUESTIONS_FOR_RE = re.compile(r"^Questions for (\w+)$", re.IGNORECASE)
QUESTION_LIKE_RE = re.compile(r"^(How|To what extent|What|Is|Does|Has)\b.{10,240}\?$")
AFI_RE = re.compile(r"^Areas? for improvement:?$", re.IGNORECASE)
COC_RE = re.compile(r"^(?:Accelerated )?Causes? of concern:?$", re.IGNORECASE)
REC_RE = re.compile(r"^Recommendations?:?$", re.IGNORECASE)

# Status lines that stand where a grade would, meaning "no grade (yet)".
STATUS_LINES = {
    "to be graded": "To be graded",
    "not being graded": "Not being graded",
    "not yet graded": "Not yet graded",
    "ungraded": "Ungraded",
    "not graded": "Not graded",
}
UNGRADED_PROSE = re.compile(
    r"has not been inspected or graded|was not graded|is not graded|not yet graded|ungraded",
    re.IGNORECASE,
)
CARRIED_OVER_PROSE = re.compile(
    r"has been carried over|findings from last year's inspection still stand|"
    r"was not inspected in \d{4}",
    re.IGNORECASE,
)
_GRADE_BY_FOLD = {g.lower(): g for g in GRADES}


def grade_line(text: str) -> tuple[str, str] | None:
    """(grade, note) when `text` is a grade or status line standing alone, else None."""
    key = re.sub(r"\s+", " ", text.strip().rstrip(".")).lower()
    if key in _GRADE_BY_FOLD:
        return _GRADE_BY_FOLD[key], ""
    if key in STATUS_LINES:
        return "Ungraded", STATUS_LINES[key]
    return None


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

    updated: dt.date | None = None
    for j in range(i, min(i + 3, len(blocks))):
        m = UPDATED_RE.match(blocks[j].text)
        if m:
            day, month, year = (int(g) for g in m.groups())
            try:
                updated = dt.date(year, month, day)
            except ValueError:
                warnings.append(f"line {blocks[j].line}: impossible date {blocks[j].text!r}")
            i = j + 1
            break
    else:
        warnings.append("no 'Last updated' date")

    if pillar is None:
        pillar = _pillar_from_questions(blocks[i:], cycle) or _pillar_from_name(source)
        if pillar is None:
            raise ReportError("pillar not recognised: no pillar line, headline or known question")
        warnings.append(f"pillar line missing; inferred {pillar}")

    summary = Draft(
        "summary", "summary", f"{pillar}: {headline}" if headline else pillar, blocks[start].line
    )
    if i < len(blocks) and (g := grade_line(blocks[i].text)):
        summary.grade, summary.grade_note = g
        summary.grade_stated = True
        i += 1

    drafts = _split_questions(blocks[i:], cycle, pillar, summary, warnings)
    _settle_grades(drafts, cycle, pillar, warnings)

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


def _split_questions(
    blocks: list[Block], cycle: str, pillar: str, summary: Draft, warnings: list[str]
) -> list[Draft]:
    """Walk the body: summary paragraphs, then questions with their lists."""
    drafts = [summary]
    current = summary
    in_questions = False
    list_kind: str | None = None  # kind of the list the next items belong to
    pending_number: int | None = None
    count = 0

    def start_question(
        text: str, known: KnownQuestion | None, number: int | None, line: int
    ) -> Draft:
        nonlocal count
        count += 1
        n = number or (known.number if known else None) or count
        if known and number and known.number != number:
            warnings.append(f"line {line}: question numbered {number} is known as {known.number}")
        draft = Draft(
            "question", f"q{n}", f"Question {n}: {text}", line, number=n, question=text, known=known
        )
        drafts.append(draft)
        return draft

    idx = 0
    while idx < len(blocks):
        block = blocks[idx]
        text = block.text
        nxt = blocks[idx + 1] if idx + 1 < len(blocks) else None
        idx += 1

        if block.kind == "item":
            if list_kind:
                target = current
                n = len([c for c in target.children if c.kind == list_kind]) + 1
                short = {
                    "area_for_improvement": "afi",
                    "cause_of_concern": "coc",
                    "recommendation": "rec",
                }[list_kind]
                label = {
                    "area_for_improvement": "Area for improvement",
                    "cause_of_concern": "Cause of concern",
                    "recommendation": "Recommendation",
                }[list_kind]
                where = f" (question {target.number})" if target.number else ""
                target.children.append(
                    Draft(
                        list_kind,
                        f"{target.anchor}-{short}-{n}",
                        f"{label} {n}{where}",
                        block.line,
                        paragraphs=[text],
                    )
                )
            else:
                current.paragraphs.append("• " + text)
            continue

        m = QUESTIONS_FOR_RE.match(text)
        if m and m[1].capitalize() in PILLARS:
            in_questions = True
            list_kind = None
            continue
        if AFI_RE.match(text):
            list_kind = "area_for_improvement"
            continue
        if COC_RE.match(text):
            list_kind = "cause_of_concern"
            continue
        if REC_RE.match(text):
            list_kind = "recommendation"
            continue

        num = NUMBER_RE.match(text)
        if (
            num
            and nxt is not None
            and nxt.kind != "item"
            and (in_questions or match_question(nxt.text, cycle, pillar) or nxt.text.endswith("?"))
        ):
            pending_number = int(num[1])
            continue

        known = match_question(text, cycle, pillar)
        looks_like_question = pending_number is not None or (
            in_questions and QUESTION_LIKE_RE.match(text) and current.paragraphs != []
        )
        if known or (looks_like_question and text.endswith("?")):
            if not known:
                warnings.append(
                    f"line {block.line}: question not in the known {cycle} {pillar} list: {text!r}"
                )
            current = start_question(text, known, pending_number, block.line)
            pending_number = None
            list_kind = None
            if nxt is not None and (g := grade_line(nxt.text)):
                current.grade, current.grade_note = g
                current.grade_stated = True
                idx += 1
            in_questions = True
            continue
        if pending_number is not None:
            # A bare number that did not introduce a question is ordinary text.
            current.paragraphs.append(str(pending_number))
            pending_number = None
        list_kind = None
        current.paragraphs.append(text)
    return drafts


def _settle_grades(drafts: list[Draft], cycle: str, pillar: str, warnings: list[str]) -> None:
    """Fill grades that no grade line stated, from what the report says explicitly."""
    summary = drafts[0]
    pillar_status = summary.grade_note if summary.grade == "Ungraded" else ""
    questions = [d for d in drafts if d.kind == "question"]
    if not summary.grade_stated:
        known = known_questions(cycle, pillar)
        if known and not any(q.graded for q in known):
            summary.grade, summary.grade_note = "Ungraded", "Not graded in this cycle"
    for d in questions:
        body = " ".join(d.paragraphs)
        if CARRIED_OVER_PROSE.search(body):
            d.grade_note = "Carried over from an earlier inspection"
        if d.grade_stated:
            continue
        if pillar_status:
            d.grade, d.grade_note = "Ungraded", pillar_status
        elif d.known is not None and not d.known.graded:
            d.grade, d.grade_note = "Ungraded", "Not graded in this cycle"
        elif UNGRADED_PROSE.search(body):
            d.grade, d.grade_note = "Ungraded", "Not inspected or graded"
        else:
            warnings.append(f"question {d.number}: no grade stated")
    for d in drafts:
        if d.grade == "Adequate" and cycle_year(cycle) < 2021:
            warnings.append(
                f"{d.anchor}: grade 'Adequate' is outside the {cycle} scale "
                f"({', '.join(FOUR_POINT_GRADES)})"
            )
