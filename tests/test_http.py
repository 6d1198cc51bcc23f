"""The site and JSON API through a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import html
import re

import httpx
import pytest

from tests.conftest import Server

RESULT_FIELDS = {
    "section_id",
    "report_id",
    "force",
    "cycle",
    "year",
    "pillar",
    "question_number",
    "question",
    "grade",
    "kind",
    "heading",
    "snippet",
    "snippet_spans",
    "url",
}


@pytest.fixture(scope="module")
def client(server: Server) -> httpx.Client:
    with httpx.Client(base_url=server.base, timeout=10) as c:
        yield c  # type: ignore[misc]


@pytest.fixture(scope="module")
def seed_client(seed_server: Server) -> httpx.Client:
    with httpx.Client(base_url=seed_server.base, timeout=10) as c:
        yield c  # type: ignore[misc]


def test_seed_done_when_through_the_api(seed_client: httpx.Client) -> None:
    thrive = seed_client.get("/api/search", params={"q": "THRIVE"}).json()
    assert thrive["total"] == 1
    (hit,) = thrive["results"]
    assert hit["section_id"] == "metropolitan-2016-efficiency:summary"
    assert "<mark>THRIVE</mark>" in hit["snippet"]

    solv = seed_client.get("/api/search", params={"q": "solvability"}).json()
    assert {r["section_id"].split(":")[1]: r["grade"] for r in solv["results"]} == {
        "summary": "Good",
        "q2": "Requires improvement",
    }
    assert [(f["value"], f["count"]) for f in solv["facets"]["grade"]] == [
        ("Good", 1),
        ("Requires improvement", 1),
    ]

    ri = seed_client.get(
        "/api/search", params=[("q", "solvability"), ("grade", "Requires improvement")]
    ).json()
    assert [r["section_id"] for r in ri["results"]] == ["metropolitan-2016-efficiency:q2"]
    assert seed_client.get("/api/search", params={"q": "downtime"}).json()["total"] == 0
    assert seed_client.get("/api/search", params={"q": "maintenance"}).json()["total"] == 0


def test_api_search_contract(client: httpx.Client) -> None:
    body = client.get("/api/search", params={"q": "THRIVE", "per_page": 2}).json()
    assert {"query", "total", "page", "per_page", "results", "facets"} <= set(body)
    assert (body["query"], body["total"], body["page"], body["per_page"]) == ("THRIVE", 3, 1, 2)
    assert len(body["results"]) == 2
    for r in body["results"]:
        assert RESULT_FIELDS <= set(r)
        assert r["url"].startswith(f"/reports/{r['report_id']}?q=THRIVE#")
    assert set(body["facets"]) >= {"grade", "force", "pillar", "question", "cycle", "kind"}
    for values in body["facets"].values():
        for v in values:
            assert {"value", "count", "selected"} <= set(v)


def test_api_filters_are_repeatable_and_case_insensitive(client: httpx.Client) -> None:
    body = client.get(
        "/api/search", params=[("grade", "good"), ("grade", "OUTSTANDING"), ("kind", "QUESTION")]
    ).json()
    assert {r["grade"] for r in body["results"]} == {"Good", "Outstanding"}
    assert {r["kind"] for r in body["results"]} == {"question"}
    # Every grade here stands on a line of its own in the fixtures (see expected.json).
    assert {r["grade_source"] for r in body["results"]} == {"line"}
    selected = {f["value"] for f in body["facets"]["grade"] if f["selected"]}
    assert selected == {"Good", "Outstanding"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": '"unbalanced'}, "quotation"),
        ({"q": "AND"}, "AND needs"),
        ({"q": "*"}, "wildcard"),
        ({"grade": "Excellent"}, "Unknown grade"),
        ({"per_page": "101"}, "per_page"),
        ({"page": "0"}, "page"),
        ({"sort": "best"}, "sort"),
    ],
)
def test_bad_requests_are_400_with_a_reason(
    client: httpx.Client, params: dict[str, str], message: str
) -> None:
    api = client.get("/api/search", params=params)
    assert api.status_code == 400 and message in api.json()["error"]
    page = client.get("/", params=params)
    assert page.status_code == 400 and "That search could not be run" in page.text
    assert message in page.text.replace("&#34;", '"').replace("&#39;", "'")


def test_report_json(client: httpx.Client) -> None:
    body = client.get("/api/reports/metropolitan-2016-efficiency").json()
    assert body["updated"] == "2016-11-03"
    assert (body["force"], body["cycle"], body["pillar"]) == (
        "Metropolitan Police Service",
        "2016",
        "Efficiency",
    )
    assert [s["anchor"] for s in body["sections"]] == [
        "summary",
        "q1",
        "q2",
        "q2-afi-1",
        "q2-afi-2",
        "q3",
        "q3-afi-1",
    ]
    assert body["sections"][2]["grade"] == "Requires improvement"
    assert [s["grade_source"] for s in body["sections"]] == ["line"] * 7
    assert client.get("/api/reports/nope").status_code == 404
    assert client.get("/api/reports/nope").json()["error"]


def test_report_page_highlights_the_query(client: httpx.Client) -> None:
    page = client.get("/reports/metropolitan-2016-efficiency", params={"q": "solvability"})
    assert page.status_code == 200
    assert page.text.count("<mark>solvability</mark>") == 2
    assert 'id="q2"' in page.text and 'id="q2-afi-1"' in page.text
    assert "2 sections of this report contain" in page.text
    assert client.get("/reports/..%2F..%2Fetc").status_code == 404
    assert client.get("/reports/NOPE").status_code == 404


def test_search_page_shows_results_facets_and_links(client: httpx.Client) -> None:
    page = client.get("/", params={"q": "solvability"})
    assert page.status_code == 200
    assert "<mark>solvability</mark>" in page.text
    assert re.search(r"of <strong>5</strong> sections", page.text)
    assert 'href="/reports/metropolitan-2016-efficiency?q=solvability#q2"' in page.text
    assert "/?q=solvability&amp;grade=Requires+improvement" in page.text
    browse = client.get("/")
    assert "of <strong>50</strong> sections" in browse.text
    assert 'rel="next"' in browse.text


def test_user_input_is_escaped_in_pages(client: httpx.Client) -> None:
    evil = '"><script>alert(1)</script>'
    page = client.get("/", params={"q": evil})
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;" in page.text


def test_healthz_and_headers(client: httpx.Client) -> None:
    health = client.get("/healthz")
    assert health.json()["status"] == "ok" and health.json()["sections"] == 50
    assert health.json()["reports"] == 9
    for path in ("/", "/api/search", "/healthz", "/static/site.css", "/nope"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"]


def test_static_assets_are_served_locally(client: httpx.Client) -> None:
    page = client.get("/").text
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert set(assets) == {"/static/site.css", "/static/site.js", "/static/suggest.js"}
    for asset in assets:
        assert client.get(asset).status_code == 200
    assert "http://" not in page.replace("http://127.0.0.1", "") and "https://" not in page
    assert client.get("/static/../app.py").status_code == 404


def test_csv_export_has_every_match_with_text(client: httpx.Client) -> None:
    import csv
    import io

    r = client.get("/api/search.csv", params={"q": "solvability", "per_page": 1})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert r.headers["x-total-count"] == "5" and r.headers["x-truncated"] == "false"
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 5  # every match, not one page
    q2 = next(row for row in rows if row["section_id"] == "metropolitan-2016-efficiency:q2")
    assert q2["grade"] == "Requires improvement" and "solvability" in q2["text"]
    base = str(client.base_url).rstrip("/")  # links are absolute (tests/test_exports.py)
    assert q2["url"] == base + "/reports/metropolitan-2016-efficiency?q=solvability#q2"
    assert client.get("/api/search.csv", params={"q": '"oops'}).status_code == 400
    page = client.get("/", params={"q": "solvability"}).text
    assert 'href="/api/search.csv?q=solvability"' in page


def test_csv_cells_cannot_run_as_formulas() -> None:
    from webapp.export import _cell

    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("-1+2") == "'-1+2" and _cell("plain") == "plain"


@pytest.mark.parametrize("q", ["THRIVE", "solvability", "assess*", '"crime data"', "victims"])
def test_snippet_spans_are_the_snippet_as_plain_text(client: httpx.Client, q: str) -> None:
    """`snippet_spans` escaped by hand, hits wrapped in <mark>, is exactly `snippet`; hit
    spans are the <mark>ed words; every other piece is the section's own text or "…"."""
    body = client.get("/api/search", params={"q": q, "per_page": 100}).json()
    assert body["results"], q
    for r in body["results"]:
        spans = r["snippet_spans"]
        assert all(set(sp) == {"text", "hit"} and sp["text"] for sp in spans)
        rendered = "".join(
            f"<mark>{html.escape(sp['text'], quote=False)}</mark>" if sp["hit"]
            else html.escape(sp["text"], quote=False) for sp in spans)
        assert rendered == r["snippet"]
        assert [sp["text"] for sp in spans if sp["hit"]] == [
            html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", r["snippet"])]
        report = client.get(f"/api/reports/{r['report_id']}").json()
        (text,) = [s["text"] for s in report["sections"] if s["section_id"] == r["section_id"]]
        shown = "".join(sp["text"] for sp in spans)
        for passage in shown.strip("… ").split(" … "):
            assert passage in text, (q, passage)
