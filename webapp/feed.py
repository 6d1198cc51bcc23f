"""An Atom 1.0 feed of a search, newest report first, so a search can be followed in a reader.

The feed's id is the search page's absolute URL (stable for the same search); each entry is
one matching section with its archive link, its report's published address (when known), its
tags as categories and a plain-text summary around the hits. Text is escaped for XML and
characters XML cannot carry are dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from indexer.model import Section
from indexer.search.highlight import snippet

FEED_ENTRIES = 50
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return escape(_XML_ILLEGAL.sub("", value))


def _attr(value: str) -> str:
    return quoteattr(_XML_ILLEGAL.sub("", value))


def _stamp(day: dt.date | None, fallback: str) -> str:
    return f"{day.isoformat()}T00:00:00Z" if day else fallback


def entry_title(s: Section) -> str:
    """Force and cycle first (what tells entries apart), then the section's heading."""
    who = s.force_short or s.force or s.report_type
    return " · ".join(p for p in (who, s.cycle, s.heading) if p)


def atom(
    sections: Iterable[tuple[Section, str]],
    *,
    title: str,
    feed_url: str,
    page_url: str,
    built_at: str,
    author: str,
    terms: frozenset[str] = frozenset(),
) -> str:
    """The feed document; `sections` are (section, absolute archive link), newest first."""
    built = built_at if built_at.endswith("Z") else _normalise(built_at)
    entries: list[str] = []
    newest = ""
    for s, link in sections:
        updated = _stamp(s.updated, built)
        newest = max(newest, updated)
        summary = snippet(s.text, terms).text
        cats = [c for c in (s.force, s.cycle, s.pillar, s.grade, s.kind) if c]
        entries.append(
            "<entry>"
            f"<id>{_text(link)}</id>"
            f"<title>{_text(entry_title(s))}</title>"
            f"<updated>{updated}</updated>"
            f"<link rel=\"alternate\" type=\"text/html\" href={_attr(link)}/>"
            + (f"<link rel=\"related\" href={_attr(s.url)}/>"
               if s.url.startswith(("https://", "http://")) else "")
            + "".join(f"<category term={_attr(c)}/>" for c in cats)
            + f"<summary type=\"text\">{_text(summary)}</summary>"
            "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<id>{_text(page_url)}</id>"
        f"<title>{_text(title)}</title>"
        f"<updated>{newest or built}</updated>"
        f"<author><name>{_text(author)}</name></author>"
        f"<link rel=\"self\" type=\"application/atom+xml\" href={_attr(feed_url)}/>"
        f"<link rel=\"alternate\" type=\"text/html\" href={_attr(page_url)}/>"
        + "".join(entries)
        + "</feed>\n"
    )


def _normalise(stamp: str) -> str:
    """An RFC 3339 UTC time from the manifest's build time (any ISO form), or the epoch."""
    try:
        when = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return "1970-01-01T00:00:00Z"
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when.replace(microsecond=0).isoformat() + "Z"
