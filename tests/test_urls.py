"""The links a results page carries (webapp/urls.py), read back by the standard library.

Each URL is split with `urllib.parse` (the oracle) and compared with the parameters written out
by hand: the query, every facet value (repeated keys), sort, page size and page, in order.
In-process, so that `scripts/mutate` sees these tests cover the module.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from indexer.search.request import SearchRequest
from webapp.urls import clear_filters_url, search_url, section_url, toggle_url

REQ = SearchRequest(
    q="risk & harm",
    filters={"grade": ("Good", "Requires improvement"), "force": ("Kent Police",)},
    page=3,
    per_page=50,
    sort="newest",
)


def split(url: str) -> tuple[str, list[tuple[str, str]], str]:
    parts = urlsplit(url)
    return parts.path, parse_qsl(parts.query, keep_blank_values=True), parts.fragment


def test_search_url_keeps_the_state_and_goes_back_to_page_one() -> None:
    assert split(search_url(REQ)) == ("/", [
        ("q", "risk & harm"), ("grade", "Good"), ("grade", "Requires improvement"),
        ("force", "Kent Police"), ("sort", "newest"), ("per_page", "50"),
    ], "")


def test_search_url_applies_changes() -> None:
    assert split(search_url(REQ, page=4)) == ("/", [
        ("q", "risk & harm"), ("grade", "Good"), ("grade", "Requires improvement"),
        ("force", "Kent Police"), ("sort", "newest"), ("per_page", "50"), ("page", "4"),
    ], "")
    assert split(search_url(REQ, "/api/search.csv", sort="oldest", per_page=20, q="")) == (
        "/api/search.csv",
        [("grade", "Good"), ("grade", "Requires improvement"), ("force", "Kent Police"),
         ("sort", "oldest")],
        "",
    )


def test_search_url_of_the_default_request_is_the_bare_path() -> None:
    assert search_url(SearchRequest()) == "/"
    assert search_url(SearchRequest(), "/x", page=2) == "/x?page=2"


def test_toggle_adds_a_value_at_the_end_and_goes_back_to_page_one() -> None:
    assert split(toggle_url(REQ, "grade", "Outstanding")) == ("/", [
        ("q", "risk & harm"), ("grade", "Good"), ("grade", "Requires improvement"),
        ("grade", "Outstanding"), ("force", "Kent Police"), ("sort", "newest"),
        ("per_page", "50"),
    ], "")
    assert split(toggle_url(REQ, "cycle", "2016", path="/p")) == ("/p", [
        ("q", "risk & harm"), ("grade", "Good"), ("grade", "Requires improvement"),
        ("force", "Kent Police"), ("cycle", "2016"), ("sort", "newest"), ("per_page", "50"),
    ], "")


def test_toggle_removes_a_value_whatever_its_case() -> None:
    assert split(toggle_url(REQ, "grade", "good")) == ("/", [
        ("q", "risk & harm"), ("grade", "Requires improvement"), ("force", "Kent Police"),
        ("sort", "newest"), ("per_page", "50"),
    ], "")
    # The facet's last value removed: the facet goes from the link altogether.
    assert split(toggle_url(REQ, "force", "KENT POLICE")) == ("/", [
        ("q", "risk & harm"), ("grade", "Good"), ("grade", "Requires improvement"),
        ("sort", "newest"), ("per_page", "50"),
    ], "")


def test_clear_filters_keeps_query_sort_and_page_size_only() -> None:
    assert split(clear_filters_url(REQ)) == ("/", [
        ("q", "risk & harm"), ("sort", "newest"), ("per_page", "50"),
    ], "")
    assert clear_filters_url(SearchRequest(filters={"grade": ("Good",)}), "/z") == "/z"


def test_section_url_quotes_the_id_and_anchor_and_carries_the_query() -> None:
    assert section_url("kent-2017-effectiveness", "q2") == "/reports/kent-2017-effectiveness#q2"
    assert split(section_url("kent-2017", "q2", "risk & harm")) == (
        "/reports/kent-2017", [("q", "risk & harm")], "q2"
    )
    assert section_url("a/b c", "x/y z#w") == "/reports/a%2Fb%20c#x%2Fy%20z%23w"
