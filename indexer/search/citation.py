"""How to cite a section: who published it, where it lives on the inspectorate's site, and
the archive's permalink, as plain data, as a sentence and as CSL-JSON.

The source address is the one the index stores (a sidecar's `url`, a fetched page's
provenance or an HTML page's canonical link) when it is a web address; otherwise, for a PEEL
force report, it is derived from the inspectorate's URL patterns (force slug + cycle + pillar)
and marked as derived. A server file path is never part of a citation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from indexer.model import KIND_LABELS, PEEL_ASSESSMENT, Section, cycle_slug

SITE = "https://hmicfrs.justiceinspectorates.gov.uk"
HMIC = "HM Inspectorate of Constabulary (HMIC)"
HMICFRS = "HM Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS)"
# HMIC took on fire and rescue services and became HMICFRS on 19 July 2017.
HMICFRS_FROM = dt.date(2017, 7, 19)
PILLAR_PAGES = ("effectiveness", "efficiency", "legitimacy", "leadership")


def inspectorate(section: Section) -> str:
    """The inspectorate's name when the report was published (HMIC before 19 July 2017)."""
    if section.updated is not None:
        return HMIC if section.updated < HMICFRS_FROM else HMICFRS
    return HMIC if 0 < section.year < 2017 else HMICFRS


def is_web_address(url: str) -> bool:
    return url.lower().startswith(("https://", "http://"))


def derived_url(section: Section) -> str:
    """The report's address by the inspectorate's URL patterns, or "" when there is none:
    `/peel-assessments/peel-{YYYY}/{slug}/{pillar}/` for 2014–2018/19 (2018/19 is
    `peel-2018`) and `/peel-reports/{slug}-{cycle}/` from 2021/22."""
    if section.report_type != PEEL_ASSESSMENT or not section.force_slug or not section.year:
        return ""
    slug = quote(section.force_slug, safe="-")
    if section.year >= 2021:
        return f"{SITE}/peel-reports/{slug}-{cycle_slug(section.cycle)}/"
    base = f"{SITE}/peel-assessments/peel-{section.year}/{slug}/"
    pillar = section.pillar.lower()
    return base + f"{pillar}/" if pillar in PILLAR_PAGES else base


def source_url(section: Section) -> tuple[str, bool]:
    """(address, derived): the stored web address, else the derived one ("" when neither)."""
    if is_web_address(section.url):
        return section.url, False
    derived = derived_url(section)
    return derived, bool(derived)


def area_label(section: Section) -> str:
    """"Question 2: wording" before 2021/22, "Area of policing: name" after; "" for neither."""
    if not section.question:
        return ""
    if not section.pillar and section.year >= 2021:
        return f"Area of policing: {section.question}"
    number = f" {section.question_number}" if section.question_number else ""
    return f"{section.pillar} question{number}: {section.question}".strip()


@dataclass(frozen=True, slots=True)
class Citation:
    """Everything a reader needs to cite one section."""

    inspectorate: str
    report_title: str
    force: str
    cycle: str
    question: str  # "Effectiveness question 2: …" or "Area of policing: …", or ""
    heading: str
    kind: str
    updated: dt.date | None
    source_url: str
    source_url_derived: bool
    permalink: str
    section_id: str
    year: int
    report_type: str

    @property
    def text(self) -> str:
        """The citation as one sentence, ready to paste."""
        parts = [f"{self.inspectorate}.", f"{self.report_title}."]
        if self.question:
            parts.append(f"{self.question}.")
        parts.append(f"Section: {self.heading}.")
        if self.updated:
            parts.append(f"Last updated {self.updated.strftime('%-d %B %Y')}.")
        if self.source_url:
            parts.append(f"{self.source_url}.")
        parts.append(f"Archived at {self.permalink}")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "inspectorate": self.inspectorate,
            "report_title": self.report_title,
            "force": self.force,
            "cycle": self.cycle,
            "question": self.question,
            "heading": self.heading,
            "kind": self.kind,
            "updated": self.updated.isoformat() if self.updated else None,
            "source_url": self.source_url,
            "source_url_derived": self.source_url_derived,
            "permalink": self.permalink,
            "text": self.text,
        }


def cite(section: Section, permalink: str) -> Citation:
    url, derived = source_url(section)
    return Citation(
        inspectorate=inspectorate(section),
        report_title=section.report_title,
        force=section.force,
        cycle=section.cycle,
        question=area_label(section),
        heading=section.heading,
        kind=KIND_LABELS.get(section.kind, section.kind),
        updated=section.updated,
        source_url=url,
        source_url_derived=derived,
        permalink=permalink,
        section_id=section.section_id,
        year=section.year,
        report_type=section.report_type,
    )


def csl(citation: Citation) -> dict[str, Any]:
    """The citation as one CSL-JSON item (the format Zotero, Pandoc and citeproc read)."""
    if citation.updated:
        d = citation.updated
        issued: dict[str, Any] = {"date-parts": [[d.year, d.month, d.day]]}
    else:
        issued = {"date-parts": [[citation.year]]} if citation.year else {"literal": "n.d."}
    item: dict[str, Any] = {
        "id": citation.section_id,
        "type": "report",
        "title": citation.report_title,
        "author": [{"literal": citation.inspectorate}],
        "publisher": citation.inspectorate,
        "issued": issued,
        "genre": citation.report_type,
        "section": citation.heading,
        "URL": citation.source_url or citation.permalink,
        "archive": "PEEL archive",
        "archive_location": citation.permalink,
    }
    if citation.cycle:
        item["collection-title"] = f"PEEL {citation.cycle}"
    notes = [n for n in (citation.force, citation.question) if n]
    if notes:
        item["note"] = "; ".join(notes)
    return item
