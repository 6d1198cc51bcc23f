"""`peel-index fetch --all` against a local server laid out like the inspectorate's site: every
force × cycle page is asked for once, an interrupted run resumes, and what it saved builds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.fetch import normalise_url, site_pages
from indexer.forces import FORCES
from tests.sitestub import Quiet, serving

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SITE = "https://hmicfrs.justiceinspectorates.gov.uk"
HANG_GUARD = 120  # seconds: only to stop a hung run from hanging the suite

# The pages the local site publishes (path -> fixture, content type); every other path is 404.
PUBLISHED = {
    "/peel-assessments/peel-2014/thames-valley/efficiency/": (
        "corpus/thames-valley-peel-2014-efficiency.txt", "text/plain"),
    "/peel-assessments/peel-2015/durham/legitimacy/": (
        "corpus/durham-peel-2015-legitimacy.txt", "text/plain"),
    "/peel-assessments/peel-2016/avon-and-somerset/legitimacy/": (
        "corpus/avon-and-somerset-peel-2016-legitimacy.txt", "text/plain"),
    "/peel-assessments/peel-2016/leicestershire/leadership/": (
        "corpus/leicestershire-peel-2016-leadership.txt", "text/plain"),
    "/peel-assessments/peel-2017/kent/effectiveness/": (
        "corpus/kent-peel-2017-effectiveness.txt", "text/plain"),
    "/peel-assessments/peel-2017/sussex/": ("formats/sussex-2017-overview.txt", "text/plain"),
    "/peel-assessments/peel-2018/devon-and-cornwall/legitimacy/": (
        "corpus/devon-and-cornwall-peel-2018-19-legitimacy.txt", "text/plain"),
    "/peel-reports/gwent-2021-22/": ("formats/gwent-2021-22.html", "text/html; charset=utf-8"),
    "/peel-reports/cleveland-2023-25/": ("formats/cleveland-2023-25.txt", "text/plain"),
}  # fmt: skip


def test_site_pages_cover_every_force_and_cycle_once() -> None:
    pages = site_pages()
    assert len(pages) == len(set(pages))
    # Per force, counted by hand from reference §5: 2014 overview + 3 pillars; 2015 + other
    # reports; 2016 + leadership + other reports; 2017 overview + 3; 2018 overview + 3 pillars
    # + 3 detailed findings; one report page each for 2021/22 and 2023–25.
    assert len(pages) == len(FORCES) * (4 + 5 + 6 + 4 + 7 + 1 + 1)
    for url in [  # pages cited in reference §5, as the site spells them
        "https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2014/metropolitan/efficiency/?",
        "https://www.justiceinspectorates.gov.uk/hmicfrs/peel-assessments/peel-2015/metropolitan/other-reports/?",
        "http://www.justiceinspectorates.gov.uk/hmic/peel-assessments/peel-2016/avon-and-somerset/",
        "https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2016/cleveland/leadership/",
        "https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2018/bedfordshire/efficiency/detailed-findings/",
        "https://www.justiceinspectorates.gov.uk///hmicfrs/peel-assessments/peel-2018/kent/",
        "https://hmicfrs.justiceinspectorates.gov.uk/peel-reports/durham-2023-25/",
    ]:  # fmt: skip
        assert normalise_url(url) in pages, url
    only = site_pages(["Kent"], ["2021/22", "2016"])
    assert only == [
        f"{SITE}/peel-assessments/peel-2016/kent/",
        *(f"{SITE}/peel-assessments/peel-2016/kent/{p}/"
          for p in ("effectiveness", "efficiency", "legitimacy", "leadership", "other-reports")),
        f"{SITE}/peel-reports/kent-2021-22/",
    ]  # fmt: skip


class Site:
    def __init__(self) -> None:
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.reached = threading.Event()
        self.interrupt_after = 400
        # Requests past `interrupt_after` wait here until the interruption has landed, so that
        # a fast fetcher cannot finish the whole site before the test's Ctrl-C reaches it.
        self.released = threading.Event()


@pytest.fixture
def site() -> Iterator[tuple[str, Site]]:
    state = Site()

    class Handler(Quiet):

        def do_GET(self) -> None:
            with state.lock:
                state.requests.append(self.path)
                if len(state.requests) >= state.interrupt_after:
                    state.reached.set()
            if state.reached.is_set() and not state.released.is_set():
                state.released.wait(HANG_GUARD)
            if self.path == "/robots.txt":
                self.send(200, b"User-agent: *\nDisallow: /search/\n", "text/plain")
            elif self.path in PUBLISHED:
                name, kind = PUBLISHED[self.path]
                self.send(200, (FIXTURES / name).read_bytes(), kind)
            else:
                self.send(404, b"<h1>Page not found</h1>", "text/html")

    with serving(Handler) as base:
        try:
            yield base, state
        finally:
            state.released.set()  # a failed test leaves no request held


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "indexer", *args]


def test_fetch_all_fetches_every_page_once_resumes_and_builds(
    site: tuple[str, Site], tmp_path: Path
) -> None:
    base, state = site
    dest = tmp_path / "downloads"
    command = _cli("fetch", "--all", "--dest", str(dest), "--delay", "0",
                   "--host-map", f"hmicfrs.justiceinspectorates.gov.uk={base}")  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}

    # First run: interrupted (Ctrl-C) part of the way through.
    first = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)  # fmt: skip
    assert state.reached.wait(HANG_GUARD), "the first run never got going"
    first.send_signal(signal.SIGINT)
    out, err = first.communicate(timeout=HANG_GUARD)
    state.released.set()
    assert first.returncode == 130, out + err
    assert "run the same command to resume" in err
    asked_first = len(state.requests)
    assert asked_first < len(site_pages())  # it really was stopped part-way

    # Second run: goes on where the first stopped, and finishes.
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=HANG_GUARD)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.endswith("not published"), summary

    pages = [r for r in state.requests if r != "/robots.txt"]
    counts = Counter(pages)
    expected = {normalise_url(u).removeprefix(SITE) for u in site_pages()}
    assert set(counts) == expected  # every page of every force and cycle was asked for
    repeated = [p for p, n in counts.items() if n > 1]
    assert len(repeated) <= 1, repeated  # at most the one in flight at the interruption
    assert state.requests.count("/robots.txt") == 2  # once per run

    saved = sorted(p.name for p in dest.iterdir() if not p.name.startswith("."))
    files = [
        "thames-valley-peel-2014-efficiency.txt", "durham-peel-2015-legitimacy.txt",
        "avon-and-somerset-peel-2016-legitimacy.txt", "leicestershire-peel-2016-leadership.txt",
        "kent-peel-2017-effectiveness.txt", "sussex-peel-2017.txt",
        "devon-and-cornwall-peel-2018-legitimacy.txt", "gwent-2021-22.html",
        "cleveland-2023-25.txt",
    ]  # fmt: skip
    assert saved == sorted(files + [f + ".provenance.json" for f in files])

    # A third run asks the site for nothing but robots.txt: saved and missing pages are known.
    before = len(state.requests)
    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=HANG_GUARD)  # fmt: skip
    assert again.returncode == 0, again.stdout + again.stderr
    assert [r for r in state.requests[before:] if r != "/robots.txt"] == []

    # What it fetched passes `check`, and builds.
    check = subprocess.run(_cli("check", str(dest)), cwd=ROOT, capture_output=True, text=True,
                           timeout=HANG_GUARD)  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    index = str(tmp_path / "index")
    build = subprocess.run(_cli("build", str(dest), "--index-dir", index), cwd=ROOT,
                           capture_output=True, text=True, timeout=HANG_GUARD)  # fmt: skip
    assert build.returncode == 0, build.stdout + build.stderr
