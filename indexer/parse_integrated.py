"""Stage 3 for one-report-per-force layouts of 2014–2018/19: integrated reports and overviews.

A 2018/19 integrated report (reference §6e) has an overall summary, then one part per pillar:
the pillar name, its headline question and grade, a summary, then ("Detailed findings") its
questions with grades and areas for improvement. Each pillar part is read by the pillar-page
parser, so questions are found by their known 2018/19 wording; anchors are prefixed with the
pillar ("effectiveness-q2-afi-1"). A force overview page (§6b) yields its summary, the HMI's
observations and one summary section per pillar with that pillar's grade.
"""

from __future__ import annotations

import dataclasses
import re

from indexer.draft import Draft, ParsedReport, freeze
from indexer.errors import ReportError
from indexer.forces import Force, find_force
from indexer.grades import grade_line, judgment_list, judgment_sentence, pillar_sentence
from indexer.metadata import Hints, date_line
from indexer.model import PEEL_ASSESSMENT, PILLARS, canonical_cycle, cycle_slug
from indexer.normalise import Block
from indexer.parse import parse_pillar_page
from indexer.parse_areas import INSPECTION_OF
from indexer.questions import headline_pillar, known_questions

INTEGRATED_TITLE = re.compile(
    r"effectiveness, efficiency and legitimacy\s+(2018\s*/\s*19)", re.IGNORECASE
)
DETAILED_FINDINGS = re.compile(r"^Detailed findings:?$", re.IGNORECASE)
OVERVIEW_TITLE = re.compile(r"^(?P<name>.+?)\s+(?P<cycle>20\d\d(?:\s*/\s*\d\d)?)$")
# What only an overview page says: its ordinal sentence (reference §6b) or the 2014 opening.
ORDINAL = re.compile(
    r"\b(?:first|second|third|fourth|fifth)\s+(?:PEEL|assessment)\b|"
    r"^The available evidence indicates that\b",
    re.IGNORECASE,
)
EVIDENCE = re.compile(r"\bThe available evidence indicates that:?\s*", re.IGNORECASE)
OBSERVATIONS = re.compile(r"^(?:HMI's|HM Inspector's) observations$", re.IGNORECASE)


def _pillar_of(block: Block) -> str | None:
    name = block.text.strip().capitalize()
    return name if name in PILLARS else None


def looks_like_integrated(blocks: list[Block]) -> bool:
    if not any(INTEGRATED_TITLE.search(b.text) for b in blocks[:15]):
        return False
    return len({p for b in blocks if (p := _pillar_of(b))}) >= 2


def _overview_title(blocks: list[Block]) -> tuple[int, Force, str] | None:
    """The overview's title line "{Short name} {cycle}", wherever banners have put it."""
    for i, block in enumerate(blocks):
        m = OVERVIEW_TITLE.match(block.text)
        if m and (force := find_force(m["name"])) is not None:
            return i, force, canonical_cycle(m["cycle"])
    return None


def looks_like_overview(blocks: list[Block]) -> bool:
    found = _overview_title(blocks)
    if found is None:
        return False
    force = found[1]
    return any(
        ORDINAL.search(b.text) or pillar_sentence(b.text, force) or judgment_list(b.text, force)
        for b in blocks
    )


def _force(blocks: list[Block], hints: Hints) -> Force:
    for block in blocks[:15]:
        if m := INSPECTION_OF.search(block.text):
            force = find_force(m[1])
            if force is None:
                raise ReportError(f"unknown force {m[1]!r} (not one of the 43 forces)")
            return force
    force = hints.force_or_none()
    if force is None:
        raise ReportError("force not recognised: no 'An inspection of …' line, file name or URL")
    return force


def parse_integrated_report(blocks: list[Block], source: str, hints: Hints) -> ParsedReport:
    """Parse a 2018/19 integrated PEEL report: overall summary, then each pillar's part."""
    force = _force(blocks, hints)
    cycle = "2018/19"
    starts = [i for i, b in enumerate(blocks) if _pillar_of(b)]
    first = starts[0]
    updated = next((d for b in blocks[:first] if (d := date_line(b.text))), None)
    report = ParsedReport(
        f"{force.slug}-{cycle_slug(cycle)}",
        f"{force.short} PEEL {cycle}",
        PEEL_ASSESSMENT,
        force,
        cycle,
        "",
        updated or hints.updated,
        url=hints.url,
        layout="integrated report (2018/19)",
    )
    summary = Draft("summary", "summary", "Overall summary", pillar="")
    for block in blocks[:first]:
        if INTEGRATED_TITLE.search(block.text) or INSPECTION_OF.search(block.text):
            continue
        if date_line(block.text) or block.text.lower() == "overall summary":
            continue
        summary.paragraphs.append(block.text)
    sections = freeze(report, [summary], source)
    for start, end in zip(starts, [*starts[1:], len(blocks)], strict=True):
        pillar = _pillar_of(blocks[start]) or ""
        part = [Block("line", f"{force.short} PEEL {cycle}", blocks[start].line)]
        for b in blocks[start:end]:
            if DETAILED_FINDINGS.match(b.text):
                part.append(Block("line", f"Questions for {pillar}", b.line))
            else:
                part.append(b)
        parsed = parse_pillar_page(part, source)
        prefix = pillar.lower()
        report.warnings.extend(
            f"{prefix}: {w}" for w in parsed.warnings if w != "no 'Last updated' date"
        )
        for s in parsed.sections:
            anchor = f"{prefix}-{s.anchor}"
            sections.append(
                dataclasses.replace(
                    s,
                    report_id=report.report_id,
                    section_id=f"{report.report_id}:{anchor}",
                    anchor=anchor,
                    report_title=report.title,
                    position=len(sections),
                    updated=report.updated,
                    url=report.url,
                )
            )
    report.sections = sections
    return report


def _evidence_list(blocks: list[Block], force: Force) -> dict[str, str]:
    """Pillar grades from a 2014 overview's list after "The available evidence indicates that"."""
    grades: dict[str, str] = {}
    for i, block in enumerate(blocks):
        m = EVIDENCE.search(block.text)
        if not m:
            continue
        parts = [block.text[m.end() :]]
        for b in blocks[i + 1 :]:
            prev = parts[-1].rstrip()
            if b.kind == "item" or not prev or prev.endswith((";", "; and", ":")):
                parts.append(b.text)
            else:
                break
        for part in parts:
            grades.update(judgment_list(part, force))
    return grades


def _starts_pillar(block: Block, nxt: Block | None, current: Draft) -> str | None:
    """The pillar whose block starts here: its name line before its headline question, or the
    headline question alone when a capture lost the name line."""
    pillar = _pillar_of(block)
    if pillar and nxt is not None and (nxt.text.endswith("?") or headline_pillar(nxt.text)):
        return pillar
    headline = headline_pillar(block.text)
    if headline and not (current.pillar == headline and not current.paragraphs):
        return headline
    return None


def parse_overview(blocks: list[Block], source: str, hints: Hints) -> ParsedReport:
    """Parse a force overview page: its summary, the HMI's observations, each pillar's grade."""
    found = _overview_title(blocks)
    if found is None:
        raise ReportError("not a force overview page")
    title_at, force, cycle = found
    report = ParsedReport(
        f"{force.slug}-{cycle_slug(cycle)}-overview",
        f"{force.short} PEEL {cycle} — Overview",
        PEEL_ASSESSMENT,
        force,
        cycle,
        "",
        hints.updated,
        url=hints.url,
        layout="force overview page",
    )
    summary = Draft("summary", "summary", f"{force.short} {cycle}")
    summary.pillar = ""
    drafts = [summary]
    current = summary
    stated: dict[str, tuple[str, str]] = {}  # pillar -> (grade, note) from its sentence
    blocks_after = blocks[title_at + 1 :]
    for pillar, grade in _evidence_list(blocks_after, force).items():
        stated[pillar] = (grade, "")
    for i, block in enumerate(blocks_after):
        if said := pillar_sentence(block.text, force):
            stated[said[0]] = (said[1], said[2])
        if OBSERVATIONS.match(block.text):
            current = Draft("summary", "observations", block.text, pillar="")
            drafts.append(current)
            continue
        nxt = blocks_after[i + 1] if i + 1 < len(blocks_after) else None
        if opened := _starts_pillar(block, nxt, current):
            current = Draft("summary", opened.lower(), opened, pillar=opened)
            drafts.append(current)
            if opened != _pillar_of(block):  # the headline question itself opened the block
                current.paragraphs.append(block.text)
            continue
        if current.pillar and not current.grade and (g := grade_line(block.text)):
            current.set_grade(g[0], "line", g[1])
            continue
        if when := date_line(block.text):
            report.updated = report.updated or when
            continue
        current.paragraphs.append(block.text)
    for d in drafts:
        if not d.pillar or d.grade:
            continue
        opening = next((p for p in d.paragraphs if not p.endswith("?")), "")
        if d.pillar in stated:
            d.set_grade(stated[d.pillar][0], "sentence", stated[d.pillar][1])
        elif said_grade := judgment_sentence(opening, force):
            d.set_grade(said_grade, "sentence")
        elif (known := known_questions(cycle, d.pillar)) and not any(q.graded for q in known):
            d.set_grade("Ungraded", "framework", "Not graded in this cycle")
    report.sections = freeze(report, drafts, source)
    return report
