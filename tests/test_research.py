"""The research views over HTTP (/trends, /grid and their JSON and CSV twins), checked against
counts gathered independently from /api/search and against the fixture reports' own grades."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.request
from collections import Counter
from typing import Any
from urllib.parse import urlencode

import pytest

from indexer.model import PEEL_ASSESSMENT
from tests.conftest import Server

Params = list[tuple[str, str]]
DA = '"domestic abuse"'


def fetch(server: Server, path: str, params: Params | None = None) -> tuple[int, str, str]:
    url = f"{server.base}{path}" + (f"?{urlencode(params)}" if params else "")
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:  # hang guard
            return resp.status, resp.headers.get("content-type", ""), resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("content-type", ""), exc.read().decode()


def api(server: Server, path: str, params: Params | None = None) -> Any:
    status, _, body = fetch(server, path, params)
    assert status == 200, body
    return json.loads(body)


def search_all(server: Server, params: Params) -> list[dict[str, Any]]:
    """Every result of a search, page by page."""
    out: list[dict[str, Any]] = []
    page = 1
    while True:
        data = api(server, "/api/search", [*params, ("per_page", "100"), ("page", str(page))])
        out.extend(data["results"])
        if page >= data["pages"]:
            return out
        page += 1


def total(server: Server, params: Params) -> int:
    return int(api(server, "/api/search", [*params, ("per_page", "1")])["total"])


@pytest.mark.parametrize("params", [
    [("q", "domestic abuse")],
    [("q", "victims"), ("kind", "question")],
    [("q", "force"), ("region", "South East"), ("region", "Wales")],
    [],
])  # fmt: skip
def test_trend_numbers_equal_counts_from_the_search_api(
    research_server: Server, params: Params
) -> None:
    trend = api(research_server, "/api/trends", params)
    filters = [(k, v) for k, v in params if k != "q"]
    peel = [("report_type", PEEL_ASSESSMENT)]
    cycles = [row["cycle"] for row in trend["cycles"]]
    # The PEEL cycles in date order; non-PEEL report years are not on the axis.
    assert cycles == sorted(cycles, key=lambda c: int(c[:4]))
    assert "2022" not in cycles  # State of Policing 2022
    assert cycles
    if not filters:
        assert {"2014", "2016", "2021/22", "2023–25"} <= set(cycles)
    for row in trend["cycles"]:
        c = [("cycle", row["cycle"])]
        assert row["sections"] == total(research_server, filters + c + peel)
        assert row["matches"] == total(research_server, params + c + peel)
        assert row["per_100"] == round(100 * row["matches"] / row["sections"], 2)
        for g in row["by_grade"]:
            if g["grade"]:
                assert g["count"] == total(research_server, params + c + peel +
                                           [("grade", g["grade"])]), (row["cycle"], g)
        assert sum(g["count"] for g in row["by_grade"]) == row["matches"]
        hits = search_all(research_server, params + c + peel)
        assert row["forces"] == len({h["force"] for h in hits if h["force"]})
        assert row["reports"] == len({h["report_id"] for h in hits})
    # Matches in other report types are counted beside the axis.
    others = sum(o["matches"] for o in trend["other_report_types"])
    assert others == total(research_server, params) - sum(r["matches"] for r in trend["cycles"])


def test_trend_csv_has_the_same_numbers(research_server: Server) -> None:
    params = [("q", "domestic abuse")]
    trend = api(research_server, "/api/trends", params)
    status, ctype, body = fetch(research_server, "/api/trends.csv", params)
    assert status == 200 and ctype.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["cycle"] for r in rows] == [c["cycle"] for c in trend["cycles"]]
    for r, c in zip(rows, trend["cycles"], strict=True):
        assert int(r["matches"]) == c["matches"] and int(r["sections"]) == c["sections"]
        for g in c["by_grade"]:
            assert int(r[f"{g['label']} (count)"]) == g["count"]


# The fixture reports' grades for "Protecting vulnerable people": 2016 question 3 and the
# 2021/22 area (tests/fixtures/research), written down here as the oracle.
FIXTURE_PVP = {
    "Cumbria Constabulary": {"2016": "Requires improvement", "2021/22": "Adequate"},
    "Norfolk Constabulary": {"2016": "Good", "2021/22": "Good"},
    "Wiltshire Police": {"2016": "Requires improvement", "2021/22": "Inadequate"},
    "Lincolnshire Police": {"2016": "Good", "2021/22": "Requires improvement"},
}
DA_QUESTION = [("q", DA), ("kind", "area_for_improvement"), ("cycle", "2016"),
               ("show", "theme:Protecting vulnerable people"), ("only", "matched")]  # fmt: skip


def test_grid_answers_the_domestic_abuse_question(research_server: Server) -> None:
    grid = api(research_server, "/api/grid", DA_QUESTION)
    search = [(k, v) for k, v in DA_QUESTION if k not in ("show", "only")]
    with_afi = {h["force"] for h in search_all(research_server, search)}
    assert with_afi == {"Cumbria Constabulary", "Norfolk Constabulary", "Wiltshire Police"}
    assert [r["force"] for r in grid["rows"]] == sorted(with_afi, key=lambda f: (
        ["North West", "Eastern", "South West"].index(
            {"Cumbria Constabulary": "North West", "Norfolk Constabulary": "Eastern",
             "Wiltshire Police": "South West"}[f])))  # grouped by region, in region order
    for row in grid["rows"]:
        cells = {c["cycle"]: c for c in row["cells"]}
        for cycle, grade in FIXTURE_PVP[row["force"]].items():
            assert cells[cycle]["grade"] == grade, (row["force"], cycle)
        f = [("force", row["force"])]
        assert cells["2016"]["matches"] == total(research_server, search + f) > 0
        assert cells["2021/22"]["matches"] == 0  # the words are filtered to 2016
        assert cells["2016"]["matches_url"].startswith("/?q=")
    assert grid["breaks"] == [{"after": "2018/19", "before": "2021/22",
                               "note": grid["breaks"][0]["note"]}]  # fmt: skip
    assert "five-point scale" in grid["breaks"][0]["note"]
    # Without the switch every force with a grade in the archive is a row.
    every = api(research_server, "/api/grid", [p for p in DA_QUESTION if p[0] != "only"])
    assert len(every["rows"]) == every["forces_in_archive"] > 3


def test_grid_without_words_is_the_whole_grade_table(research_server: Server) -> None:
    """Every graded question or area in the index appears in its theme's grid, and nothing
    else does (collected independently from the search API)."""
    questions = search_all(research_server, [("kind", "question"),
                                             ("report_type", PEEL_ASSESSMENT)])  # fmt: skip
    expected: dict[str, dict[tuple[str, str], set[str]]] = {}
    for h in questions:
        if h["grade"] and h["theme"] and h["force"]:
            cell = expected.setdefault(h["theme"], {}).setdefault((h["force"], h["cycle"]), set())
            cell.add(h["grade"])
    assert len(expected) >= 8
    for theme, cells in expected.items():
        grid = api(research_server, "/api/grid", [("show", f"theme:{theme}")])
        assert grid["counts_matches"] is False
        got = {
            (row["force"], c["cycle"]): set(c["grades"])
            for row in grid["rows"] for c in row["cells"] if c["grades"]
        }
        for key, grades in cells.items():
            real = grades - {"Ungraded"} or grades
            assert got[key] == real, (theme, key)
        assert set(got) == set(cells), theme


def test_grid_by_pillar_shows_pillar_grades_before_2021(research_server: Server) -> None:
    grid = api(research_server, "/api/grid", [("show", "pillar:Efficiency")])
    assert "2021/22" not in grid["cycles"] and "2021/22" in grid["cycles_without_this_choice"]
    met = next(r for r in grid["rows"] if r["force"] == "Metropolitan Police Service")
    assert next(c for c in met["cells"] if c["cycle"] == "2016")["grade"] == "Good"


def test_grid_csv(research_server: Server) -> None:
    status, ctype, body = fetch(research_server, "/api/grid.csv", DA_QUESTION)
    assert status == 200 and ctype.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body)))
    by_force = {r["force"]: r for r in rows}
    assert set(by_force) == {"Cumbria Constabulary", "Norfolk Constabulary", "Wiltshire Police"}
    grid = api(research_server, "/api/grid", DA_QUESTION)
    for row in grid["rows"]:
        line = by_force[row["force"]]
        assert line["region"] == row["region"]
        for cycle, grade in FIXTURE_PVP[row["force"]].items():
            assert line[f"{cycle} grade"] == grade
        for cell in row["cells"]:
            assert int(line[f"{cell['cycle']} matches"]) == cell["matches"]


@pytest.mark.parametrize("path", ["/trends", "/grid", "/api/trends", "/api/grid",
                                  "/api/trends.csv", "/api/grid.csv"])  # fmt: skip
@pytest.mark.parametrize("params", [
    [("q", '"unbalanced')], [("grade", "Splendid")], [("show", "theme:Juggling")],
    [("show", "nonsense")], [("only", "sometimes")], [("q", "a*")],
])  # fmt: skip
def test_a_bad_request_is_explained_not_a_500(
    research_server: Server, path: str, params: Params
) -> None:
    if params[0][0] in ("show", "only") and "grid" not in path:
        params = [*params, ("q", '"unbalanced')]  # the trend ignores grid options
    status, _, body = fetch(research_server, path, params)
    assert status == 400, (path, params, body[:200])
    if path.startswith("/api/"):
        assert json.loads(body)["error"]
    else:
        assert "could not be drawn" in body


def test_views_link_each_other_and_escape_the_query(research_server: Server) -> None:
    q = '<script>alert(1)</script> domestic'
    for path in ("/trends", "/grid", "/"):
        status, _, body = fetch(research_server, path, [("q", q), ("region", "Eastern")])
        assert status == 200
        assert "<script>alert(1)" not in body
        assert "&lt;script&gt;" in body
        assert "/trends?q=%3Cscript%3E" in body and "/grid?q=%3Cscript%3E" in body


def test_theme_and_region_are_facets_of_the_search(research_server: Server) -> None:
    data = api(research_server, "/api/search", [("q", "domestic abuse"),
                                                ("theme", "Protecting vulnerable people")])
    assert data["total"] > 0
    assert {r["theme"] for r in data["results"]} == {"Protecting vulnerable people"}
    regions = Counter(r["region"] for r in search_all(research_server, [("q", "domestic abuse")]))
    facet = {v["value"]: v["count"] for v in data["facets"]["region"]}
    assert facet  # counted under the theme filter
    assert set(facet) <= set(regions)
    one = api(research_server, "/api/search", [("region", "south west")])
    assert one["total"] and {r["region"] for r in one["results"]} == {"South West"}
