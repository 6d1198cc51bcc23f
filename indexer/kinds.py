"""What kind of page a file is, by its content, before any report parser sees it.

Not everything saved from the web is a report (reference §6i, §7):
- **news** — the inspectorate's press releases, news items and publication landing pages. A
  release ends "Get the report" and a link whose text is the report's title ("PEEL 2021/22 – An
  inspection of Durham Constabulary"); taken for the report it would steal the report's id. News
  is indexed as report type "News" under an id of its own (`news-…`), never a report's.
- **third party** — pages republished by police and crime commissioners, forces or news sites.
  They are refused: "not an inspectorate page: …".
Anything else is left to the report parsers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from indexer.draft import slugify
from indexer.normalise import Block, Normalised

NEWS = "News"
INSPECTORATE_HOSTS = ("justiceinspectorates.gov.uk", "hmic.gov.uk", "hmicfrs.gov.uk")
# Hosts that hold copies of anyone's pages (web archives, this machine): they say nothing.
NEUTRAL_HOSTS = ("archive.org", "localhost")
# A report's title, as the link text at the end of a release or on a landing page.
REPORT_TITLE = re.compile(
    r"^PEEL\b.*\b20\d\d\b|\bAn inspection of\b|^(?:.+\s)?PEEL\s+20\d\d(?:\s*/\s*\d\d)?$",
    re.IGNORECASE,
)
NEWS_LINES = re.compile(
    r"^(?:Notes? (?:to|for) editors|Press release|News release|News item|Media enquiries)"
    r":?$",
    re.IGNORECASE,
)
DOWNLOAD_LINES = re.compile(
    r"^(?:Download|Read|View)\s+(?:the\s+)?(?:full\s+)?(?:report|publication)\b|"
    r"\((?:PDF|HTML|Word|ODT)\s+document\b",
    re.IGNORECASE,
)
# Whole short lines that only a third party's header or footer holds.
THIRD_PARTY_LINES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), what)
    for p, what in (
        # The office's name standing alone ("Office of the Police and Crime Commissioner for
        # Cleveland", "© 2025 Northamptonshire Police, Fire and Crime Commissioner"), not a
        # report's heading about one ("Response from the police and crime commissioner").
        (r"^(?!.*\b(?:response|responses|from|letter|reply|statement|role)\b)"
         r"(?:©\s*(?:\d{4}\s+)?)?(?:the\s+)?(?:office\s+of\s+the\s+)?(?:[\w&-]+\s+){0,4}"
         r"police(?:,\s*fire)?\s+(?:and\s+)?crime\s+commissioner(?:\s+for\s+[\w\s&,-]+)?$",
         "a police and crime commissioner's site"),
        (r"^(?:[\w&-]+\s+){0,4}(?:O?PCC)$", "a police and crime commissioner's site"),
        (r"^Report (?:a crime|it online)$", "a police force's site"),
        (r"^(?:Sign up (?:to|for) our newsletter|Advertisement|Subscribe now)$", "a news site"),
        (r"^(?:Wired-Gov|London Assembly)\b.{0,60}$", "a news or assembly site"),
        (r"^(?:Source|Originally published by):?\s+(?:HMIC|HMICFRS|His Majesty's|Her Majesty's)"
         r"\b.{0,80}$", "a republication (it names the inspectorate as its source)"),
    )
)  # fmt: skip
# Headings only a report has (a release quotes none of them).
REPORT_HEADINGS = re.compile(
    r"^(?:Overall summary|Our judge?ments|Questions for \w+|HMI's observations|"
    r"HM Inspector's (?:observations|summary)|Last updated\b.*)$",
    re.IGNORECASE,
)
DATE_LINE = re.compile(r"^(?:Published|Last updated|Updated|Date)\b", re.IGNORECASE)
EDGE = 12  # how many blocks at each end count as a page's header and footer


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a page is: "report", "news" or "third party", and why."""

    kind: str
    reason: str = ""


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower() if url else ""


def _under(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def _neutral(host: str) -> bool:
    ip = re.fullmatch(r"[\d.]+|\[[\da-f:]+\]|[\da-f:]+", host)
    return _under(host, NEUTRAL_HOSTS) or ip is not None


def classify(normalised: Normalised, url: str = "") -> Verdict:
    """The kind of page `normalised` holds (`url`: its recorded source, if any)."""
    blocks = normalised.blocks
    host = _host(url)
    if host and not _neutral(host) and not _under(host, INSPECTORATE_HOSTS):
        return Verdict("third party", f"not an inspectorate page: it comes from {host}")
    if reason := _third_party(blocks):
        return Verdict("third party", f"not an inspectorate page: {reason}")
    if host and "/news/" in urlsplit(url).path:
        return Verdict("news", "a news page (its address is under /news/)")
    for at in normalised.markers.get("get the report", []):
        linked = " ".join(b.text for b in blocks[at : at + 2])
        if REPORT_TITLE.search(linked):
            return Verdict("news", "a press release: it ends 'Get the report' with a link to it")
    if _ends_with_report_link(blocks):
        return Verdict("news", "a press release: it ends with a link to the report")
    if any(NEWS_LINES.match(b.text) for b in blocks):
        return Verdict("news", "a press release (it has notes to editors or a press label)")
    if _landing_page(blocks):
        return Verdict("news", "a publication landing page (a summary and a link to the report)")
    return Verdict("report")


def _third_party(blocks: list[Block]) -> str:
    edges = blocks[:EDGE] + blocks[-EDGE:]
    for block in edges:
        text = block.text.strip()
        if len(text) > 120:
            continue
        for pattern, what in THIRD_PARTY_LINES:
            if pattern.match(text):
                return f"{what} ({text!r})"
    return ""


def _ends_with_report_link(blocks: list[Block]) -> bool:
    """The report's title only as the last line (the link a release ends with, when the capture
    lost "Get the report"), with none of a report's own headings before it."""
    if len(blocks) < 3 or not REPORT_TITLE.search(blocks[-1].text):
        return False
    if any(REPORT_TITLE.search(b.text) for b in blocks[:-1]):
        return False
    return not any(REPORT_HEADINGS.match(b.text) for b in blocks)


def _landing_page(blocks: list[Block]) -> bool:
    """A short page whose last lines link to the report: a title, a summary, a download link."""
    if len(blocks) > 15:
        return False
    tail = blocks[-4:]
    return any(DOWNLOAD_LINES.search(b.text) for b in tail) and any(
        REPORT_TITLE.search(b.text) for b in blocks
    )


def news_title_like(text: str) -> bool:
    """A line that can be a news page's headline: a few words, not a label, a date or a
    sentence."""
    return len(text.split()) >= 4 and not DATE_LINE.match(text) and not text.endswith(".")


def news_id(title: str) -> str:
    """A news page's own id: never a report's (reports' ids never start "news-")."""
    return "news-" + slugify(title, 80)
