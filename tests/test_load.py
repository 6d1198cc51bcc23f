"""Load: a real HTTP load generator holds a stated concurrency against uvicorn, with no errors.

Behaviour only: every one of `REQUESTS` requests is sent and answered 200 (0 failures), bad
requests mixed in stay explained 400s. Nothing here asserts a latency or a rate: speed depends on
the machine and is measured by `scripts/bench` (BENCHMARKS.md). `HANG_GUARD` only keeps a hung
server from hanging the suite; the summary printed (`pytest -m load -s`) is for reading, not
asserting.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.conftest import Server
from tests.loadgen import run_load

pytestmark = pytest.mark.load

CONCURRENCY = 16
REQUESTS = 600
HANG_GUARD = 300.0  # seconds: only so that a hung server cannot hang the suite; not a speed bound


def mixed_urls() -> list[str]:
    """What readers do: search pages and API calls, with filters and pages, and reports."""
    queries = [
        {"q": "THRIVE"},
        {"q": "solvability", "grade": "Requires improvement"},
        {"q": '"risk of harm"'},
        {"q": "demand OR crime", "kind": "area_for_improvement"},
        {"q": "neighbour*", "sort": "newest"},
        {"q": "victims NOT domestic", "per_page": "5", "page": "2"},
        {},
        {"force": "Kent Police", "cycle": "2017"},
        {"q": "investigat*", "pillar": "Effectiveness", "per_page": "100"},
    ]
    urls: list[str] = []
    for params in queries:
        encoded = urlencode(params)
        urls.append(f"/api/search?{encoded}")
        urls.append(f"/?{encoded}")
    urls += [
        "/reports/metropolitan-2016-efficiency?q=solvability",
        "/api/reports/kent-2017-effectiveness",
        "/healthz",
        "/static/site.css",
        "/?q=%22unbalanced",  # an explained 400 is part of normal traffic, but not counted
    ]
    return urls


def test_load_holds_concurrency_without_errors(server: Server) -> None:
    urls = [u for u in mixed_urls() if "unbalanced" not in u]
    result = run_load(server.base, urls, CONCURRENCY, REQUESTS, HANG_GUARD)
    print(f"\nload: {result.summary()}")
    assert result.failures == [], result.failures[:5]
    # Every request was sent and answered: the hang guard did not cut the run short.
    assert len(result.samples) == REQUESTS, result.summary()
    assert {s.url for s in result.samples} == set(urls)


def test_load_with_bad_requests_mixed_in_stays_4xx(server: Server) -> None:
    """Bad requests under load are explained (400), and never disturb the good ones."""
    urls = [*mixed_urls(), "/api/search?q=AND", "/?page=0", "/api/search?grade=Nope"]
    result = run_load(server.base, urls, CONCURRENCY, 400, HANG_GUARD)
    bad = {"/?q=%22unbalanced", "/api/search?q=AND", "/?page=0", "/api/search?grade=Nope"}
    assert [s for s in result.samples if s.url not in bad and s.status != 200] == []
    assert {s.status for s in result.samples if s.url in bad} == {400}
    assert len(result.samples) == 400, result.summary()
