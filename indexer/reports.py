"""Stage 3's front door: pick the structure parser for a report's blocks, then apply overrides.

First the page's kind (`indexer.kinds`): a third party's republication is refused, a press
release, news item or landing page is indexed as "News" under an id of its own. Report layouts
are then tried in this order:
- 2021/22 and 2023–25 reports (areas of policing) — `indexer.parse_areas`;
- force overview pages and 2018/19 integrated reports — `indexer.parse_integrated`;
- 2014–2018/19 pillar pages ("Kent PEEL 2016") — `indexer.parse`;
- other report types (no force) — `indexer.parse_other`.
A sidecar's values override whatever the parser inferred; a sidecar `report_type` other than
"PEEL assessment" sends the file straight to the other-types parser, and any sidecar
`report_type` vouches for the page's kind.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from indexer.draft import ParsedReport
from indexer.errors import ReportError
from indexer.forces import find_force
from indexer.grades import scale_warning
from indexer.kinds import NEWS, classify, news_id, news_title_like
from indexer.metadata import Hints
from indexer.model import PEEL_ASSESSMENT, cycle_slug, cycle_year
from indexer.normalise import Normalised
from indexer.parse import TITLE_RE, parse_pillar_page
from indexer.parse_areas import looks_like_areas_report, parse_areas_report
from indexer.parse_integrated import (
    looks_like_integrated,
    looks_like_overview,
    parse_integrated_report,
    parse_overview,
)
from indexer.parse_other import parse_other_report, report_type_of
from indexer.themes import theme_for, unmapped_warning


def parse_report(
    normalised: Normalised, source: str, inferred: Hints, override: Hints
) -> ParsedReport:
    """The report in `normalised`: inferred from its text, file name and URL; then overridden."""
    blocks = normalised.blocks
    hints = override.over(inferred).over(Hints(url=normalised.meta.get("url", "")))
    page_title = normalised.meta.get("title", "")
    # The page's own address (provenance record or canonical link), never a sidecar's.
    found_url = inferred.url or normalised.meta.get("url", "")
    verdict = classify(normalised, found_url) if not override.report_type else None
    if verdict is not None and verdict.kind == "third party":
        raise ReportError(verdict.reason)
    if verdict is not None and verdict.kind == "news":
        report = parse_news(normalised, source, hints, verdict.reason)
    elif override.report_type and override.report_type != PEEL_ASSESSMENT:
        report = parse_other_report(blocks, source, hints, page_title)
    elif looks_like_areas_report(blocks, hints):
        report = parse_areas_report(blocks, source, hints)
    elif looks_like_overview(blocks):
        report = parse_overview(blocks, source, hints)
    elif looks_like_integrated(blocks):
        report = parse_integrated_report(blocks, source, hints)
    elif any(TITLE_RE.match(b.text) for b in blocks) or not report_type_of(page_title, blocks):
        report = parse_pillar_page(blocks, source)
    else:
        report = parse_other_report(blocks, source, hints, page_title)
    report = apply_overrides(report, override, inferred_url=hints.url)
    report = with_themes(report)
    check_grades(report)
    if not report.sections:
        report.warnings.append("no sections found")
    return report


def parse_news(normalised: Normalised, source: str, hints: Hints, why: str) -> ParsedReport:
    """A press release, news item or landing page: sections by heading, an id of its own."""
    title = next(
        (b.text for b in normalised.blocks if b.kind == "heading" and b.level == 1),
        next((b.text for b in normalised.blocks if news_title_like(b.text)), ""),
    )
    news_hints = Hints(
        report_type=NEWS, title=title, cycle=hints.cycle, url=hints.url, updated=hints.updated
    )
    report = parse_other_report(
        normalised.blocks, source, news_hints, normalised.meta.get("title", "")
    )
    report_id = news_id(report.title)
    report.report_id, report.layout = report_id, "news page"
    report.sections = [
        dataclasses.replace(s, report_id=report_id, section_id=f"{report_id}:{s.anchor}")
        for s in report.sections
    ]
    report.warnings.insert(0, f"indexed as news, not as a report: {why}")
    return report


def apply_overrides(report: ParsedReport, override: Hints, inferred_url: str = "") -> ParsedReport:
    """The report with a sidecar's values in place of what was inferred (ids follow suit)."""
    changes: dict[str, Any] = {}  # Section fields of several types
    force = report.force
    if override.force:
        force = find_force(override.force)
        if force is None:
            raise ReportError(f"sidecar names an unknown force {override.force!r}")
    cycle = override.cycle or report.cycle
    pillar = override.pillar or report.pillar
    title = override.title or report.title
    url = override.url or report.url or inferred_url
    updated = override.updated or report.updated
    report_type = override.report_type or report.report_type
    if (force, cycle, pillar, title, url, updated, report_type) == (
        report.force, report.cycle, report.pillar, report.title, report.url, report.updated,
        report.report_type,
    ):  # fmt: skip
        return report
    report_id = report.report_id
    if force is not None and (force, cycle, pillar) != (report.force, report.cycle, report.pillar):
        tail = f"-{pillar.lower()}" if pillar and report.layout == "pillar page" else ""
        report_id = f"{force.slug}-{cycle_slug(cycle)}{tail}"
    year = cycle_year(cycle) if cycle[:4].isdigit() else 0
    changes = {
        "report_id": report_id,
        "report_title": title,
        "report_type": report_type,
        "force": force.name if force else "",
        "force_short": force.short if force else "",
        "force_slug": force.slug if force else "",
        "region": force.region if force else "",
        "cycle": cycle,
        "year": year,
        "url": url,
        "updated": updated,
    }
    sections = [
        dataclasses.replace(
            s,
            **changes,
            section_id=f"{report_id}:{s.anchor}",
            pillar=pillar if s.pillar == report.pillar else s.pillar,
        )
        for s in report.sections
    ]
    return dataclasses.replace(
        report,
        report_id=report_id,
        title=title,
        report_type=report_type,
        force=force,
        cycle=cycle,
        pillar=pillar,
        updated=updated,
        url=url,
        sections=sections,
    )


def with_themes(report: ParsedReport) -> ParsedReport:
    """Each section tagged with its question's theme; a wording with none is warned about."""
    sections = []
    for s in report.sections:
        theme = theme_for(s.question, report.cycle) if s.question else ""
        if s.question and not theme and s.kind == "question":
            report.warnings.append(unmapped_warning(s.anchor, s.question, report.cycle))
        sections.append(dataclasses.replace(s, theme=theme) if theme != s.theme else s)
    return dataclasses.replace(report, sections=sections)


def check_grades(report: ParsedReport) -> None:
    """Warn about a grade outside the cycle's scale ("Adequate" before 2021/22)."""
    for s in report.sections:
        if s.kind in ("summary", "question") and (
            warning := scale_warning(s.anchor, s.grade, report.cycle)
        ):
            report.warnings.append(warning)
