"""What is known about a report besides its text: file name, source URL, sidecar and provenance.

Hints come from several places, weakest first: the file name, the page's own URL (an HTML
page's canonical link, or the provenance record `peel-index fetch` writes beside a file), and
an optional sidecar file `NAME.meta.json` (see docs/sidecar.md), which overrides anything
inferred. The structure parsers take the text's own word over the file name and URL, and the
sidecar's word over everything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from indexer.errors import ReportError
from indexer.forces import Force, find_force
from indexer.limits import MB
from indexer.model import PILLARS, REPORT_TYPES, canonical_cycle
from indexer.safeio import read_regular

SIDECAR_SUFFIX = ".meta.json"
PROVENANCE_SUFFIX = ".provenance.json"
COMPANION_LIMIT = MB  # a sidecar or provenance record is a few hundred bytes
SIDECAR_KEYS = ("force", "cycle", "pillar", "report_type", "title", "url", "updated")


@dataclass(frozen=True, slots=True)
class Hints:
    """Metadata about one report; "" (or None) where nothing is known."""

    force: str = ""
    cycle: str = ""
    pillar: str = ""
    report_type: str = ""
    title: str = ""
    url: str = ""
    updated: dt.date | None = None

    def over(self, weaker: Hints) -> Hints:
        """These hints, with gaps filled from `weaker`."""
        values = {
            f.name: getattr(self, f.name) or getattr(weaker, f.name)
            for f in dataclasses.fields(self)
        }
        return Hints(**values)

    def force_or_none(self) -> Force | None:
        return find_force(self.force) if self.force else None


_PEEL_PATH = re.compile(
    r"/peel-assessments/peel-(?P<year>20\d\d)/(?P<slug>[a-z-]+)/?(?:(?P<pillar>[a-z]+)/?)?"
)
_REPORT_PATH = re.compile(r"/peel-reports/(?P<slug>[a-z-]+?)-(?P<cycle>20\d\d-\d\d)/?")


def from_url(url: str) -> Hints:
    """Force, cycle and pillar from the inspectorate's URL patterns (reference §5)."""
    if not url:
        return Hints()
    path = urlsplit(url).path
    if m := _REPORT_PATH.search(path):
        return Hints(force=m["slug"], cycle=canonical_cycle(m["cycle"]), url=url)
    if m := _PEEL_PATH.search(path):
        pillar = (m["pillar"] or "").capitalize()
        return Hints(
            force=m["slug"],
            cycle=canonical_cycle(m["year"]),
            pillar=pillar if pillar in PILLARS else "",
            url=url,
        )
    return Hints(url=url)


def from_name(path: Path) -> Hints:
    """Hints from a file name like "durham-2021-22.html" or "kent-peel-2017-effectiveness.txt"."""
    stem = path.name.split(".")[0].lower()
    m = re.match(r"(?P<slug>[a-z-]+?)-(?:peel-)?(?P<cycle>20\d\d(?:-(?:20)?\d\d)?)(?:-|$)", stem)
    if not m or find_force(m["slug"]) is None:
        return Hints()
    pillar = next((p for p in PILLARS if p.lower() in stem), "")
    return Hints(force=m["slug"], cycle=canonical_cycle(m["cycle"]), pillar=pillar)


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def provenance_path(path: Path) -> Path:
    return path.with_name(path.name + PROVENANCE_SUFFIX)


def is_companion(path: Path) -> bool:
    """True for the sidecar and provenance files that sit beside reports."""
    return path.name.endswith((SIDECAR_SUFFIX, PROVENANCE_SUFFIX))


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(read_regular(path, COMPANION_LIMIT, option="").decode("utf-8"))
    except ReportError as exc:
        raise ReportError(f"unreadable {path.name}: {exc.reason}") from exc
    except ValueError as exc:
        raise ReportError(f"unreadable {path.name}: {exc}") from exc
    if not isinstance(data, dict):
        raise ReportError(f"{path.name} must hold a JSON object")
    return data


def load_sidecar(path: Path) -> Hints:
    """The sidecar beside `path`, checked; empty hints when there is none."""
    side = sidecar_path(path)
    if not side.exists():
        return Hints()
    data = _read_json(side)
    unknown = sorted(set(data) - set(SIDECAR_KEYS))
    if unknown:
        raise ReportError(f"{side.name}: unknown key(s) {', '.join(unknown)}")
    values: dict[str, Any] = {}
    for key in SIDECAR_KEYS:
        value = data.get(key)
        if value in (None, ""):
            continue
        if not isinstance(value, str):
            raise ReportError(f"{side.name}: {key} must be a string")
        values[key] = value.strip()
    if "force" in values and find_force(values["force"]) is None:
        raise ReportError(f"{side.name}: unknown force {values['force']!r}")
    if "cycle" in values:
        values["cycle"] = canonical_cycle(values["cycle"]) or values["cycle"]
    if "pillar" in values:
        values["pillar"] = values["pillar"].capitalize()
        if values["pillar"] not in PILLARS:
            raise ReportError(f"{side.name}: pillar must be one of {', '.join(PILLARS)}")
    if "report_type" in values and values["report_type"] not in REPORT_TYPES:
        raise ReportError(f"{side.name}: report_type must be one of {', '.join(REPORT_TYPES)}")
    if "updated" in values:
        try:
            values["updated"] = dt.date.fromisoformat(values["updated"])
        except ValueError as exc:
            raise ReportError(f"{side.name}: updated must be a date, YYYY-MM-DD") from exc
    return Hints(**values)


def load_provenance_url(path: Path) -> str:
    """The URL that `peel-index fetch` recorded for `path`, or ""."""
    prov = provenance_path(path)
    if not prov.exists():
        return ""
    try:
        url = _read_json(prov).get("url", "")
    except ReportError:
        return ""
    return url if isinstance(url, str) else ""


def inferred(path: Path, page_url: str = "") -> Hints:
    """Hints from the file's name and its URL (the provenance record's, else the page's own)."""
    url = load_provenance_url(path) or page_url
    return from_url(url).over(from_name(path))


_MONTHS = {
    m: i
    for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"),
        start=1,
    )
}  # fmt: skip
_DATE_LINE = re.compile(
    r"^(?:Last updated|Published|Publication date|Date of publication|Updated):?\s+(.+)$",
    re.IGNORECASE,
)


def parse_date(text: str) -> dt.date | None:
    """A date written "12/10/2021" or "12 October 2021", else None."""
    text = text.strip().rstrip(".")
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif m := re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", text):
        day, month, year = int(m[1]), _MONTHS.get(m[2].lower(), 0), int(m[3])
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def date_line(text: str) -> dt.date | None:
    """The date of a "Last updated …" or "Published …" line, else None."""
    m = _DATE_LINE.match(text.strip())
    return parse_date(m[1]) if m else None
