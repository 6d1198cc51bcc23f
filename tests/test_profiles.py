"""Force profiles, the force list, coverage and citations over HTTP (a real server on a real
index). Expectations are written out by hand from the fixture reports' text, or counted
independently through /api/search, never by the code under test."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import Server

# Every graded judgment of Kent in tests/fixtures (profile/, corpus/, formats/kent-2018-19.txt),
# read off the reports' grade lines, in date order and then reading order.
KENT = [
    ("2016", "kent-2016-efficiency:summary", "Good"),
    ("2016", "kent-2016-efficiency:q1", "Good"),
    ("2016", "kent-2016-efficiency:q2", "Requires improvement"),
    ("2016", "kent-2016-efficiency:q3", "Good"),
    ("2017", "kent-2017-effectiveness:summary", "Outstanding"),
    ("2017", "kent-2017-effectiveness:q1", "Good"),
    ("2017", "kent-2017-effectiveness:q2", "Outstanding"),
    ("2017", "kent-2017-effectiveness:q3", "Good"),
    ("2017", "kent-2017-effectiveness:q4", "Requires improvement"),
    ("2017", "kent-2017-effectiveness:q5", "Ungraded"),  # specialist capabilities, 2017
    ("2018/19", "kent-2018-19:effectiveness-summary", "Good"),
    ("2018/19", "kent-2018-19:effectiveness-q2", "Good"),
    ("2018/19", "kent-2018-19:effectiveness-q4", "Outstanding"),
    ("2018/19", "kent-2018-19:efficiency-summary", "Good"),
    ("2018/19", "kent-2018-19:efficiency-q2", "Good"),
    ("2018/19", "kent-2018-19:legitimacy-summary", "Outstanding"),
    ("2018/19", "kent-2018-19:legitimacy-q3", "Outstanding"),
    ("2021/22", "kent-2021-22:q1", "Good"),
    ("2021/22", "kent-2021-22:q2", "Requires improvement"),
    ("2021/22", "kent-2021-22:q3", "Adequate"),
    ("2023–25", "kent-2023-25:q1", "Adequate"),
    ("2023–25", "kent-2023-25:q2", "Outstanding"),
    ("2023–25", "kent-2023-25:q3", "Good"),
]
KENT_FINDINGS = {
    "2016": ["kent-2016-efficiency:q2-afi-1", "kent-2016-efficiency:q2-afi-2"],
    "2017": ["kent-2017-effectiveness:q2-afi-1", "kent-2017-effectiveness:q4-afi-1",
             "kent-2017-effectiveness:q4-afi-2"],
    "2018/19": ["kent-2018-19:effectiveness-q2-afi-1"],
    "2021/22": ["kent-2021-22:q2-coc-1", "kent-2021-22:q2-rec-1", "kent-2021-22:q2-afi-1",
                "kent-2021-22:q3-afi-1"],
    "2023–25": ["kent-2023-25:q1-afi-1"],
}
SITE = "https://hmicfrs.justiceinspectorates.gov.uk"
CSL_TYPES = {"report", "article", "document", "webpage", "book", "chapter"}


@pytest.fixture(scope="module")
def client(profile_server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=profile_server.base, timeout=30) as c:  # hang guard only
        yield c


def test_profile_json_holds_every_judgment_in_date_order(client: httpx.Client) -> None:
    body = client.get("/api/forces/kent").json()
    assert body["force"] == {"name": "Kent Police", "short": "Kent", "slug": "kent",
                             "region": "South East"}
    got = [(j["cycle"], j["section_id"], j["grade"]) for j in body["judgments"]]
    assert got == KENT
    scales = {j["cycle"]: j["scale"] for j in body["judgments"]}
    assert scales == {"2016": "4-point scale", "2017": "4-point scale",
                      "2018/19": "4-point scale", "2021/22": "5-point scale",
                      "2023–25": "5-point scale"}
    cycles = [c["cycle"] for c in body["cycles"]]
    assert cycles == ["2014", "2015", "2016", "2017", "2018/19", "2021/22", "2023–25"]
    breaks = [c["cycle"] for c in body["cycles"] if c["break_before"]]
    assert breaks == ["2021/22"]
    assert [c["cycle"] for c in body["cycles"] if not c["held"]] == ["2014", "2015"]
    findings: dict[str, list[str]] = {}
    for f in body["findings"]:
        findings.setdefault(f["cycle"], []).append(f["section_id"])
    assert findings == KENT_FINDINGS
    assert {r["report_id"] for r in body["reports"]} == {
        "kent-2016-efficiency", "kent-2017-effectiveness", "kent-2018-19", "kent-2021-22",
        "kent-2023-25"}


def test_every_force_lists_every_report_with_its_section_count(client: httpx.Client) -> None:
    """The profile reads only the sections it shows; its reports and their section counts
    must still be every report of the force, counted here from /api/search's pages."""
    facets = client.get("/api/search").json()["facets"]["force"]
    forces = [v["value"] for v in facets if v["count"]]
    assert len(forces) >= 3
    slugs = {f["name"]: f["slug"] for r in client.get("/api/forces").json()["regions"]
             for f in r["forces"]}
    for force in forces:
        expected: dict[str, int] = {}
        page = 1
        while True:
            body = client.get("/api/search", params={"force": force, "sort": "oldest",
                                                     "per_page": 100, "page": page}).json()
            for hit in body["results"]:
                expected[hit["report_id"]] = expected.get(hit["report_id"], 0) + 1
            if page >= body["pages"]:
                break
            page += 1
        profile = client.get(f"/api/forces/{slugs[force]}").json()
        got = {r["report_id"]: r["sections"] for r in profile["reports"]}
        assert list(got.items()) == list(expected.items()), force
        assert profile["sections"] == sum(expected.values())


def test_every_judgment_links_to_its_passage_with_that_grade(client: httpx.Client) -> None:
    body = client.get("/api/forces/kent").json()
    for j in body["judgments"]:
        report_id, anchor = j["url"].removeprefix("/reports/").split("#")
        assert f"{report_id}:{anchor}" == j["section_id"]
        sections = {s["section_id"]: s for s in client.get(f"/api/reports/{report_id}").json()
                    ["sections"]}
        assert sections[j["section_id"]]["grade"] == j["grade"]


def test_judgments_csv_matches_the_fixture(client: httpx.Client) -> None:
    response = client.get("/api/forces/kent.csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["cycle"], r["section_id"], r["grade"]) for r in rows] == KENT
    assert rows[0]["force"] == "Kent Police"


def test_unknown_force_is_a_404_with_a_sentence_and_aliases_redirect(
    client: httpx.Client,
) -> None:
    page = client.get("/forces/atlantis")
    assert page.status_code == 404
    assert "No police force has the name or slug" in page.text and "/forces" in page.text
    api = client.get("/api/forces/atlantis")
    assert api.status_code == 404 and "No police force" in api.json()["error"]
    moved = client.get("/forces/hampshire-and-isle-of-wight", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == "/forces/hampshire"
    assert client.get("/forces/%3Cscript%3E").status_code == 404


def test_force_list_has_all_43_forces_by_region_with_report_counts(client: httpx.Client) -> None:
    body = client.get("/api/forces").json()
    forces = [f for region in body["regions"] for f in region["forces"]]
    assert len(forces) == 43 and len(body["regions"]) == 10
    counts = {f["slug"]: f["peel_reports"] for f in forces}
    # Independently: distinct PEEL report ids per force from the CSV export of everything.
    export = csv.DictReader(io.StringIO(client.get("/api/search.csv").text))
    reports: dict[str, set[str]] = {}
    for row in export:
        if row["report_type"] == "PEEL assessment" and row["force"]:
            reports.setdefault(row["force"], set()).add(row["report_id"])
    named = {f["name"]: counts[f["slug"]] for f in forces}
    assert {k: v for k, v in named.items() if v} == {k: len(v) for k, v in reports.items()}
    assert named["Kent Police"] == 5
    html = client.get("/forces").text
    assert html.count('href="/forces/') == 43


def _search_total(client: httpx.Client, **params: str) -> int:
    total: int = client.get("/api/search", params=params).json()["total"]
    return total


def test_about_numbers_equal_counts_from_the_search_api(client: httpx.Client) -> None:
    about = client.get("/api/about").json()
    facets = client.get("/api/search").json()["facets"]
    assert about["sections"] == _search_total(client)
    assert about["sections"] == client.get("/healthz").json()["sections"]
    every = list(csv.DictReader(io.StringIO(client.get("/api/search.csv").text)))
    assert about["reports"] == len({r["report_id"] for r in every})
    cycles = {c["cycle"]: c for c in about["cycles"]}
    assert {v["value"] for v in facets["cycle"]} <= set(cycles)
    for value in facets["cycle"]:
        row = cycles[value["value"]]
        assert row["sections"] == value["count"]
        for rtype, cell in row["by_report_type"].items():
            assert cell["sections"] == _search_total(client, cycle=value["value"],
                                                     report_type=rtype)
            ids = {r["report_id"] for r in every
                   if r["cycle"] == value["value"] and r["report_type"] == rtype}
            assert cell["reports"] == len(ids)
        forces = client.get("/api/search", params={
            "cycle": value["value"], "report_type": "PEEL assessment"}).json()["facets"]["force"]
        assert row["forces_count"] == sum(1 for f in forces if f["count"] > 0)
    assert cycles["2014"]["forces"] == ["Thames Valley Police"]
    assert about["built_at"] and about["build_id"]


def test_about_page_and_home_line_show_the_coverage(client: httpx.Client) -> None:
    about = client.get("/api/about").json()
    page = client.get("/about").text
    assert about["summary"] in page.replace("&amp;", "&")
    assert about["built_at"] in page
    home = client.get("/").text
    assert about["summary"] in home and 'href="/about"' in home
    assert "coverage-line" not in client.get("/?q=demand").text


def _walk(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)


@pytest.mark.parametrize("report_id, source_url, derived", [
    ("kent-2021-22", f"{SITE}/peel-reports/kent-2021-22/", True),
    ("kent-2023-25", f"{SITE}/peel-reports/kent-2023-25/", True),
    ("kent-2018-19", f"{SITE}/peel-assessments/peel-2018/kent/", True),
    ("metropolitan-2016-efficiency",
     f"{SITE}/peel-assessments/peel-2016/metropolitan/efficiency/", True),
])
def test_report_shows_the_source_address_and_no_file_path(
    client: httpx.Client, report_id: str, source_url: str, derived: bool
) -> None:
    page = client.get(f"/reports/{report_id}").text
    body = client.get(f"/api/reports/{report_id}").json()
    assert body["source_url"] == source_url and body["source_url_derived"] is derived
    assert f'href="{source_url}"' in page
    for text in (page, *_walk(body)):
        assert "tests/fixtures" not in text and "/corpus/" not in text
        assert not re.search(r"(^|[\s\"'>])(/|\w+/)[\w./-]+\.(txt|html?|pdf)\b", text), text[:200]
    assert body["source"].endswith((".txt", ".html")) and "/" not in body["source"]


def test_csl_json_is_structurally_valid_for_every_section(client: httpx.Client) -> None:
    base = str(client.base_url).rstrip("/")
    for report_id in ("kent-2021-22", "kent-2017-effectiveness", "metropolitan-2016-efficiency"):
        body = client.get(f"/api/reports/{report_id}").json()
        for s in body["sections"]:
            item = s["csl"]
            assert item["type"] in CSL_TYPES
            assert isinstance(item["title"], str) and item["title"] == s["report_title"]
            assert item["id"] == s["section_id"]
            authors = item["author"]
            assert isinstance(authors, list) and authors
            assert all(isinstance(a, dict) and (a.get("literal") or a.get("family"))
                       for a in authors)
            assert item["publisher"].startswith("HM Inspectorate of Constabulary")
            parts = item["issued"]["date-parts"]
            assert isinstance(parts, list) and len(parts) == 1
            assert all(isinstance(n, int) for n in parts[0]) and 1 <= len(parts[0]) <= 3
            assert "-".join(f"{n:02d}" for n in parts[0]) == s["updated"]
            assert item["URL"].startswith("https://")
            assert item["archive_location"] == f"{base}/reports/{report_id}#{s['anchor']}"
    # Published before HMIC became HMICFRS (19 July 2017): HMIC is the author.
    met = client.get("/api/reports/metropolitan-2016-efficiency").json()["sections"][0]["csl"]
    assert met["author"] == [{"literal": "HM Inspectorate of Constabulary (HMIC)"}]


def _excerpt_as_before(text: str, limit: int = 240) -> str:
    """The finding excerpt as first written (whitespace collapsed over the whole text)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


@pytest.mark.parametrize("text", [
    "The force should check that callers who are told to expect a call-back receive one.",
    " ".join(f"word{i}," for i in range(120)),
    "Start" + " \n\t " * 400 + " ".join(f"late{i}" for i in range(80)),  # mostly whitespace
    "x" * 600,
    ("Areas   for\n\nimprovement  " * 40).strip(),
])
def test_finding_excerpt_reads_only_a_prefix_but_says_the_same(text: str) -> None:
    from indexer.search.profiles import _excerpt

    assert _excerpt(text) == _excerpt_as_before(text)
    assert _excerpt(text, 20) == _excerpt_as_before(text, 20)
