"""Request parsing: the URL becomes one typed request, or a sentence saying what is wrong."""

from __future__ import annotations

import pytest

from indexer.search.request import QueryProblem, SearchRequest, parse_request


def test_parameters_become_a_typed_request() -> None:
    req = parse_request(
        [
            ("q", "  THRIVE   demand "),
            ("grade", "Good"),
            ("grade", "Inadequate"),
            ("force", "Kent Police"),
            ("page", "2"),
            ("per_page", "50"),
            ("sort", "Newest"),
            ("utm_source", "x"),
        ]
    )
    assert req == SearchRequest(
        q="THRIVE demand",
        filters={"grade": ("Good", "Inadequate"), "force": ("Kent Police",)},
        page=2,
        per_page=50,
        sort="newest",
    )
    assert req.params() == [
        ("q", "THRIVE demand"),
        ("grade", "Good"),
        ("grade", "Inadequate"),
        ("force", "Kent Police"),
        ("sort", "newest"),
        ("per_page", "50"),
        ("page", "2"),
    ]


def test_default_sort_is_relevance_with_a_query_and_newest_when_browsing() -> None:
    assert parse_request([("q", "x")]).effective_sort == "relevance"
    assert parse_request([]).effective_sort == "newest"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ([("q", '"risk of harm')], "Unbalanced quotation mark"),
        ([("q", "AND")], "AND needs a search word on each side"),
        ([("q", "THRIVE AND")], "ends with an operator"),
        ([("q", "OR demand")], "OR needs a search word"),
        ([("q", "*")], "needs at least 3 letters"),
        ([("q", "so*")], "needs at least 3 letters"),
        ([("q", "?olv")], "needs at least 3 letters"),
        ([("q", "(demand")], "Unbalanced brackets"),
        ([("q", "demand)")], "Unbalanced brackets"),
        ([("q", "()")], "Empty or incomplete group"),
        ([("q", "x" * 501)], "the limit is 500"),
        ([("page", "0")], "page must be between 1 and 10000"),
        ([("page", "-1")], "page must be between"),
        ([("page", "two")], "page must be a whole number"),
        ([("per_page", "1000000")], "per_page must be between 1 and 100"),
        ([("sort", "random")], "sort must be one of relevance, newest, oldest"),
    ],
)
def test_malformed_requests_are_explained(params: list[tuple[str, str]], message: str) -> None:
    with pytest.raises(QueryProblem, match=message):
        parse_request(params)


@pytest.mark.parametrize(
    "q",
    [
        "THRIVE",
        '"risk of harm"',
        "solv*",
        "THRIVE OR solvability",
        "demand NOT ICT",
        "(THRIVE OR demand) AND force",
        "NOT ICT",
    ],
)
def test_well_formed_queries_pass(q: str) -> None:
    assert parse_request([("q", q)]).q == q
