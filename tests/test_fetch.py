"""`peel-index fetch` against a local server: robots.txt, a redirect, a 503, duplicate hosts."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.build import build
from indexer.cli import main
from indexer.fetch import Fetcher, expand, file_stem, normalise_url
from tests.sitestub import Quiet, serving

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GWENT = (FIXTURES / "formats" / "gwent-2021-22.html").read_bytes()
KENT = (FIXTURES / "corpus" / "kent-peel-2017-effectiveness.txt").read_bytes()
CLEVELAND = (FIXTURES / "formats" / "cleveland-2023-25.txt").read_bytes()
SITE = "https://hmicfrs.justiceinspectorates.gov.uk"

class Site:
    """What the local server serves, and every path it was asked for."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.failures_left = {"/peel-reports/cleveland-2023-25/": 1}

@pytest.fixture
def server() -> Iterator[tuple[str, Site]]:
    site = Site()

    class Handler(Quiet):

        def do_GET(self) -> None:
            site.requests.append(self.path)
            path = self.path
            if path == "/robots.txt":
                self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
            elif path == "/peel-reports/gwent-2021-22/":
                self.send(200, GWENT, "text/html; charset=utf-8")
            elif path == "/peel-assessments/peel-2017/kent/effectiveness/":
                self.send_response(301)
                # An absolute redirect to the real site: the host map must catch it.
                self.send_header("Location", f"{SITE}/peel-assessments/peel-2017/kent/moved/")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path == "/peel-assessments/peel-2017/kent/moved/":
                self.send(200, KENT, "text/plain; charset=utf-8")
            elif path == "/peel-reports/cleveland-2023-25/":
                if site.failures_left[path]:
                    site.failures_left[path] -= 1
                    self.send(503, b"busy")
                else:
                    self.send(200, CLEVELAND, "text/plain; charset=utf-8")
            else:
                self.send(404, b"not here")

    with serving(Handler) as base:
        yield base, site

URLS = [
    f"{SITE}/peel-reports/gwent-2021-22/",
    "https://www.justiceinspectorates.gov.uk/hmicfrs/peel-reports/gwent-2021-22/?",
    "http://www.justiceinspectorates.gov.uk/hmic/peel-reports/gwent-2021-22",
    f"{SITE}/peel-assessments/peel-2017/kent/effectiveness/",
    f"{SITE}/peel-reports/cleveland-2023-25/",
    f"{SITE}/private/secret-report/",
]

def _host_map(base: str) -> dict[str, str]:
    return {"hmicfrs.justiceinspectorates.gov.uk": base}

def test_normalise_url_folds_hosts_prefixes_and_bare_query() -> None:
    assert {normalise_url(u) for u in URLS[:3]} == {f"{SITE}/peel-reports/gwent-2021-22/"}
    assert file_stem(f"{SITE}/peel-assessments/peel-2016/kent/efficiency/") == (
        "kent-peel-2016-efficiency"
    )

def test_selectors_expand_through_the_url_patterns() -> None:
    assert expand(["Durham"], ["2021/22", "2023-2025"], []) == [
        f"{SITE}/peel-reports/durham-2021-22/",
        f"{SITE}/peel-reports/durham-2023-25/",
    ]
    assert expand(["Kent"], ["2018/19"], ["efficiency"]) == [
        f"{SITE}/peel-assessments/peel-2018/kent/efficiency/"
    ]
    assert len(expand(["Kent"], ["2016"], [])) == 4  # leadership exists only in 2016

def test_fetch_saves_each_report_once_with_provenance(
    server: tuple[str, Site], tmp_path: Path
) -> None:
    base, site = server
    sleeps: list[float] = []
    dest = tmp_path / "corpus"
    fetcher = Fetcher(dest, _host_map(base), delay=0.5, backoff=0.25, sleep=sleeps.append)
    outcomes = fetcher.fetch_all(URLS)
    statuses = [o.status for o in outcomes]
    assert statuses[0] == "saved"
    assert statuses[1].startswith("skipped (same page") and statuses[2].startswith("skipped")
    assert statuses[3:] == ["saved", "saved", "skipped (disallowed by robots.txt)"]
    saved = sorted(p.name for p in dest.iterdir())
    assert saved == [
        "cleveland-2023-25.txt",
        "cleveland-2023-25.txt.provenance.json",
        "gwent-2021-22.html",
        "gwent-2021-22.html.provenance.json",
        "kent-peel-2017-effectiveness.txt",
        "kent-peel-2017-effectiveness.txt.provenance.json",
    ]
    assert site.requests.count("/peel-reports/gwent-2021-22/") == 1
    assert site.requests.count("/peel-reports/cleveland-2023-25/") == 2  # 503, then 200
    assert site.requests.count("/robots.txt") == 1
    assert not any(r.startswith("/private/") for r in site.requests)
    assert 0.25 in sleeps  # the back-off after the 503
    prov = json.loads((dest / "kent-peel-2017-effectiveness.txt.provenance.json").read_text())
    assert prov["url"] == f"{SITE}/peel-assessments/peel-2017/kent/effectiveness/"
    assert prov["final_url"] == f"{base}/peel-assessments/peel-2017/kent/moved/"
    assert prov["sha256"] == hashlib.sha256(KENT).hexdigest()
    assert prov["fetched_at"].endswith("+00:00")
    assert (dest / "kent-peel-2017-effectiveness.txt").read_bytes() == KENT

    # A second run resumes: nothing is fetched again.
    before = len(site.requests)
    again = Fetcher(dest, _host_map(base), delay=0, sleep=sleeps.append).fetch_all(URLS)
    assert again[0].status == "skipped (already saved)"
    assert [r for r in site.requests[before:] if r != "/robots.txt"] == []

    # What was fetched indexes, with its source URL from the provenance.
    result = build([dest], tmp_path / "index")
    assert not result.failures
    gwent = [s for s in result.sections if s.force_slug == "gwent"]
    assert gwent and all(s.url == f"{SITE}/peel-reports/gwent-2021-22/" for s in gwent)

def test_fetch_command(server: tuple[str, Site], tmp_path: Path) -> None:
    base, _ = server
    dest = tmp_path / "corpus"
    args = ["fetch", "--dest", str(dest), "--delay", "0", "--host-map", f"{SITE[8:]}={base}"]
    out = CliRunner().invoke(main, [*args, "--force", "Gwent", "--cycle", "2021/22"])
    assert out.exit_code == 0, out.output
    assert "1 saved, 0 skipped, 0 failed" in out.output
    out = CliRunner().invoke(main, [*args, "--force", "Essex", "--cycle", "2021/22"])
    assert out.exit_code == 1 and "HTTP 404" in out.output
