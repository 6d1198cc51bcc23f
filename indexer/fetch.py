"""Downloading reports from the inspectorate's site into a corpus folder, politely.

URLs come as a list or from selectors (force, cycle, pillar) expanded through the site's URL
patterns (reference §5). Every URL is normalised first — the same page lives under
www.justiceinspectorates.gov.uk/hmic/…, …/hmicfrs/… and hmicfrs.justiceinspectorates.gov.uk,
sometimes with a trailing "?" — so each report is saved once. The fetcher honours robots.txt,
makes one request at a time with a delay between them, retries 429/5xx and network errors
with exponential back-off, and resumes: a file already saved with its provenance is skipped.
Beside each file it writes `NAME.provenance.json` (URL, final URL, fetch time, SHA-256).

`host_map` sends a site host to another base URL; tests use it to point every site host at a
local server, so they never reach the network. Only the standard library is used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from indexer.forces import FORCES, Force, find_force
from indexer.metadata import provenance_path
from indexer.model import CYCLES, PILLARS, canonical_cycle, cycle_slug, cycle_year

SITE = "hmicfrs.justiceinspectorates.gov.uk"
SITE_HOSTS = frozenset({SITE, "www.justiceinspectorates.gov.uk", "justiceinspectorates.gov.uk"})
USER_AGENT = "peel-archive-fetch/0.1 (+https://github.com/; polite, one request at a time)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
GONE_STATUSES = frozenset({404, 410})
MISSING_FILE = ".fetch-missing.json"  # pages the site said do not exist, so a resume skips them
EXTENSIONS = {"application/pdf": ".pdf", "text/plain": ".txt"}


class FetchError(Exception):
    """A selector or URL that cannot be fetched, with the reason."""


class NotPublished(FetchError):
    """The site answered that the page does not exist (404 or 410)."""


def normalise_url(url: str) -> str:
    """One spelling per page: https, the current host, no /hmic(frs)/ prefix, no bare "?"."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    path = re.sub(r"/{2,}", "/", parts.path or "/")  # "gov.uk///hmicfrs/…" is seen in links
    if host in SITE_HOSTS:
        host = SITE
        path = re.sub(r"^/(?:hmicfrs|hmic)(?=/)", "", path)
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    return urlunsplit(("https", host, path, parts.query, ""))


def _forces(names: Iterable[str]) -> list[Force]:
    found = []
    for name in names:
        force = find_force(name)
        if force is None:
            raise FetchError(f"unknown force {name!r}")
        found.append(force)
    return found


def _cycles(labels: Iterable[str]) -> list[str]:
    found = []
    for raw in labels:
        cycle = canonical_cycle(raw)
        if cycle not in CYCLES:
            known = ", ".join(CYCLES)
            raise FetchError(f"unrecognised PEEL cycle {raw!r} (one of {known})")
        found.append(cycle)
    return found


def _pillars_of(year: int) -> list[str]:
    """The pillar pages a pre-2021 cycle published: leadership had its own page in 2016 only."""
    return [p for p in PILLARS if p != "Leadership" or year == 2016]


def expand(forces: Iterable[str], cycles: Iterable[str], pillars: Iterable[str]) -> list[str]:
    """Report URLs for every force × cycle (× pillar, for cycles before 2021)."""
    urls: list[str] = []
    wanted = [p.capitalize() for p in pillars]
    for p in wanted:
        if p not in PILLARS:
            raise FetchError(f"unknown pillar {p!r} (one of {', '.join(PILLARS)})")
    for force in _forces(forces):
        for cycle in _cycles(cycles):
            year = cycle_year(cycle)
            if year >= 2021:
                urls.append(f"https://{SITE}/peel-reports/{force.slug}-{cycle_slug(cycle)}/")
                continue
            base = f"https://{SITE}/peel-assessments/peel-{year}/{force.slug}/"
            urls.extend(f"{base}{p.lower()}/" for p in wanted or _pillars_of(year))
    return urls


def site_pages(forces: Iterable[str] = (), cycles: Iterable[str] = ()) -> list[str]:
    """Every force report page the site's URL patterns give (reference §5), for `fetch --all`.

    Per force and cycle before 2021: the force overview, each pillar page (leadership in 2016
    only), the 2015 and 2016 "other reports" pages and the 2018/19 detailed findings of each
    pillar. From 2021: the one report page. Forces default to all 43, cycles to every PEEL cycle.
    """
    chosen = _forces(forces) if forces else list(FORCES)
    wanted = sorted(set(_cycles(cycles)), key=CYCLES.index) if cycles else list(CYCLES)
    urls: list[str] = []
    for cycle in wanted:
        year = cycle_year(cycle)
        for force in chosen:
            if year >= 2021:
                urls.append(f"https://{SITE}/peel-reports/{force.slug}-{cycle_slug(cycle)}/")
                continue
            base = f"https://{SITE}/peel-assessments/peel-{year}/{force.slug}/"
            urls.append(base)
            pillars = [p.lower() for p in _pillars_of(year)]
            urls.extend(f"{base}{p}/" for p in pillars)
            if year in (2015, 2016):
                urls.append(f"{base}other-reports/")
            if year == 2018:
                urls.extend(f"{base}{p}/detailed-findings/" for p in pillars)
    return urls


def file_stem(url: str) -> str:
    """A corpus file name for a normalised URL: "kent-peel-2016-efficiency", "gwent-2021-22"."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if len(segments) >= 3 and segments[0] == "peel-assessments":
        year = segments[1].removeprefix("peel-")
        return "-".join([segments[2], f"peel-{year}", *segments[3:]])
    if len(segments) >= 2 and segments[0] == "peel-reports":
        return segments[1]
    stem = "-".join(segments) or "index"
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem.rsplit(".", 1)[0])


@dataclass(slots=True)
class Outcome:
    url: str
    status: str  # "saved", "skipped (…)", "failed: …"
    path: Path | None = None


@dataclass(slots=True)
class Fetcher:
    """Fetches normalised URLs into `dest`, one at a time."""

    dest: Path
    host_map: dict[str, str] = field(default_factory=dict)
    delay: float = 1.0
    retries: int = 3
    backoff: float = 1.0
    timeout: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    log: Callable[[str], None] = lambda message: None
    _robots: dict[str, urllib.robotparser.RobotFileParser] = field(default_factory=dict)
    _last: float | None = None

    def actual(self, url: str) -> str:
        """Where a normalised URL is really requested (after the host map)."""
        parts = urlsplit(url)
        base = self.host_map.get(parts.hostname or "")
        if not base:
            return url
        query = f"?{parts.query}" if parts.query else ""
        return base.rstrip("/") + parts.path + query

    def _wait(self) -> None:
        if self._last is not None:
            remaining = self.delay - (time.monotonic() - self._last)
            if remaining > 0:
                self.sleep(remaining)
        self._last = time.monotonic()

    def _opener(self) -> urllib.request.OpenerDirector:
        fetcher = self

        class Redirects(urllib.request.HTTPRedirectHandler):
            """Follow redirects, but send a redirect to a site host through the host map."""

            def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
                if (urlsplit(newurl).hostname or "") in SITE_HOSTS:
                    newurl = fetcher.actual(normalise_url(newurl))
                return super().redirect_request(req, fp, code, msg, headers, newurl)

        return urllib.request.build_opener(Redirects)

    def _get(self, url: str) -> tuple[bytes, str, str]:
        """(body, content type, final URL), retrying with back-off."""
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        opener = self._opener()
        for attempt in range(self.retries + 1):
            self._wait()
            try:
                with opener.open(request, timeout=self.timeout) as response:
                    kind = response.headers.get_content_type()
                    return response.read(), kind, response.geturl()
            except urllib.error.HTTPError as exc:
                exc.close()
                if exc.code in GONE_STATUSES:
                    raise NotPublished(f"HTTP {exc.code} {exc.reason}") from exc
                if exc.code not in RETRY_STATUSES or attempt == self.retries:
                    raise FetchError(f"HTTP {exc.code} {exc.reason}") from exc
                self.log(f"  HTTP {exc.code} for {url}; retrying")
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                if attempt == self.retries:
                    raise FetchError(f"network error: {exc}") from exc
                self.log(f"  {exc} for {url}; retrying")
            self.sleep(self.backoff * 2**attempt)
        raise FetchError("gave up")  # pragma: no cover - the loop returns or raises

    def allowed(self, actual_url: str) -> bool:
        parts = urlsplit(actual_url)
        root = f"{parts.scheme}://{parts.netloc}"
        parser = self._robots.get(root)
        if parser is None:
            parser = urllib.robotparser.RobotFileParser()
            try:
                body, _, _ = self._get(root + "/robots.txt")
                parser.parse(body.decode("utf-8", errors="replace").splitlines())
            except FetchError:
                parser.parse([])  # no robots.txt: everything is allowed
            self._robots[root] = parser
        return parser.can_fetch(USER_AGENT, actual_url)

    def fetch_all(self, urls: Iterable[str]) -> list[Outcome]:
        """Fetch each page once. Pages the site has already said do not exist (recorded in
        `MISSING_FILE` in `dest`) are skipped, so an interrupted run resumes where it was."""
        outcomes: list[Outcome] = []
        seen: set[str] = set()
        self.dest.mkdir(parents=True, exist_ok=True)
        missing = self._missing()
        for raw in urls:
            url = normalise_url(raw)
            if url in seen:
                outcomes.append(Outcome(raw, f"skipped (same page as {url})"))
                continue
            seen.add(url)
            if url in missing:
                outcomes.append(Outcome(url, f"skipped (not published: {missing[url]})"))
                continue
            outcome = self.fetch(url)
            if outcome.status.startswith("not published"):
                missing[url] = outcome.status.removeprefix("not published: ")
                _write_atomic(self.dest / MISSING_FILE, json.dumps(missing, indent=1).encode())
            outcomes.append(outcome)
            self.log(f"{outcome.status}: {url}")
        return outcomes

    def _missing(self) -> dict[str, str]:
        try:
            data = json.loads((self.dest / MISSING_FILE).read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def _saved(self, url: str) -> Path | None:
        for prov in self.dest.glob(f"{file_stem(url)}.*.provenance.json"):
            try:
                if json.loads(prov.read_text("utf-8")).get("url") == url:
                    path = prov.with_name(prov.name.removesuffix(".provenance.json"))
                    return path if path.exists() else None
            except (OSError, ValueError):
                continue
        return None

    def fetch(self, url: str) -> Outcome:
        """Fetch one normalised URL, unless it is saved already or robots.txt forbids it."""
        if (done := self._saved(url)) is not None:
            return Outcome(url, "skipped (already saved)", done)
        actual = self.actual(url)
        if not self.allowed(actual):
            return Outcome(url, "skipped (disallowed by robots.txt)")
        try:
            body, kind, final = self._get(actual)
        except NotPublished as exc:
            return Outcome(url, f"not published: {exc}")
        except FetchError as exc:
            return Outcome(url, f"failed: {exc}")
        path = self.dest / (file_stem(url) + EXTENSIONS.get(kind, ".html"))
        _write_atomic(path, body)
        record = {
            "url": url,
            "requested_url": actual,
            "final_url": final,
            "fetched_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "sha256": hashlib.sha256(body).hexdigest(),
            "content_type": kind,
            "bytes": len(body),
        }
        _write_atomic(provenance_path(path), json.dumps(record, indent=2).encode() + b"\n")
        return Outcome(url, "saved", path)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(data)
    os.replace(tmp, path)
