"""The parameters of a search request, parsed and written back (indexer/search/request.py).

What `tests/test_query_sentences.py` leaves: the literal switch, the facet values' folding and
cap, numbers at the edge of their range, and the sentences' excerpts of over-long input. Every
expectation is worked out by hand from the input beside it. In-process, so that
`scripts/mutate` sees these tests.
"""

from __future__ import annotations

import re

import pytest

from indexer.search.request import (
    MAX_FILTER_VALUES,
    QueryProblem,
    SearchRequest,
    check_syntax,
    parse_request,
)


def refused(sentence: str) -> pytest.RaisesContext[QueryProblem]:
    return pytest.raises(QueryProblem, match=f"^{re.escape(sentence)}$")


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "yes", " Yes ", "on", "ON"])
def test_literal_is_switched_on_by_its_usual_spellings(raw: str) -> None:
    req = parse_request([("q", "demand"), ("literal", raw)])
    assert req.literal is True
    assert req.params() == [("q", "demand"), ("literal", "1")]


@pytest.mark.parametrize("raw", ["", "0", "false", "no", "off", "2", "y"])
def test_literal_stays_off_otherwise(raw: str) -> None:
    req = parse_request([("q", "demand"), ("literal", raw)])
    assert req.literal is False
    assert req.params() == [("q", "demand")]


def test_the_last_literal_wins_and_other_names_are_not_it() -> None:
    assert parse_request([("literal", "1"), ("literal", "0")]).literal is False
    assert parse_request([("literal", "0"), ("literal", "on")]).literal is True
    assert parse_request([("LITERAL", "1"), ("q", "x")]).literal is False


def test_params_of_a_whole_request_in_their_stable_order() -> None:
    # Facets in the schema's order (grade before force), whatever order they were given in.
    req = SearchRequest(q="risk", filters={"force": ("Kent Police",), "grade": ("Good",)},
                        page=3, per_page=50, sort="oldest", literal=True)
    assert req.params() == [
        ("q", "risk"), ("grade", "Good"), ("force", "Kent Police"), ("sort", "oldest"),
        ("per_page", "50"), ("page", "3"), ("literal", "1")]


def test_filter_values_fold_repeats_whatever_their_case_keeping_the_first_spelling() -> None:
    req = SearchRequest(filters={"grade": ["Good", " GOOD ", "good", "", "Outstanding"]})
    assert req.filters == {"grade": ("Good", "Outstanding")}
    req = SearchRequest(filters={"force": ("kent police", "Kent Police")})
    assert req.filters == {"force": ("kent police",)}
    # Folded by lower case, as the engine looks facet values up: "Straße" and "STRASSE" differ
    # in lower case (though not in upper case), so both stay.
    req = SearchRequest(filters={"question": ("Straße", "STRASSE")})
    assert req.filters == {"question": ("Straße", "STRASSE")}


@pytest.mark.parametrize("values", ["Good", None, 3, {"Good"}])
def test_filter_values_must_be_a_list(values: object) -> None:
    with refused("The values of the grade filter must be a list of words."):
        SearchRequest(filters={"grade": values})  # type: ignore[dict-item]


def test_a_facet_takes_at_most_64_values_at_once() -> None:
    assert MAX_FILTER_VALUES == 64
    ok = tuple(f"Force {i}" for i in range(64))
    assert SearchRequest(filters={"force": ok}).filters == {"force": ok}
    # 65 spellings, but only 64 once case is folded: still allowed.
    assert len(SearchRequest(filters={"force": (*ok, "FORCE 0")}).filters["force"]) == 64
    with refused("65 values of force are selected at once; the limit is 64. Leave the force "
                 "filter out to include every value."):
        SearchRequest(filters={"force": (*ok, "Force 64")})


def test_numbers_at_the_edge_of_nine_digits() -> None:
    # Nine significant digits are read and then found out of range ...
    with refused("page must be between 1 and 10000; 999999999 is out of range."):
        parse_request([("page", "999999999")])
    with refused("page must be between 1 and 10000; 999999999 is out of range."):
        parse_request([("page", "+000999999999")])
    # ... ten are refused unread, the sentence quoting at most 40 characters of them.
    with refused("page must be between 1 and 10000; 1000000000 is too large."):
        parse_request([("page", "1000000000")])
    long = "1" * 45
    with refused(f"per_page must be between 1 and 100; {'1' * 40} is too large."):
        parse_request([("per_page", long)])
    assert parse_request([("page", " 0042 ")]).page == 42


def test_whitespace_alone_has_no_words_to_search_for() -> None:
    # A query is cleaned before it is checked; called directly on blanks, the check says so.
    with refused("The query has no words to search for."):
        check_syntax("   ")


def test_wildcard_prefixes_count_letters_after_plus_and_minus_only() -> None:
    check_syntax("XXL*")  # three letters: allowed
    check_syntax("+-abc*")
    token = "ab*" + "c" * 42
    with refused(f"The wildcard in {token[:40]!r} needs at least 3 letters before it (e.g. "
                 "solv*), so that it does not match most of the archive."):
        check_syntax(token)


def test_a_request_built_in_python_quotes_at_most_40_characters_of_a_bad_value() -> None:
    with refused("page must be a whole number, not 'abc'."):
        SearchRequest(page="abc")  # type: ignore[arg-type]
    with refused(f"per_page must be a whole number, not {'x' * 40!r}."):
        SearchRequest(per_page="x" * 45)  # type: ignore[arg-type]
    with refused("sort must be one of relevance, newest, oldest; not "
                 f"{'s' * 40!r}."):
        SearchRequest(sort="s" * 45)
    with refused(f"Unknown filter {'f' * 40!r}; filters are grade, force, region, pillar, "
                 "theme, question, cycle, kind, report_type."):
        SearchRequest(filters={"f" * 45: ("x",)})
    with refused("The query is 501 characters long; the limit is 500."):
        SearchRequest(q="x" * 501)
    assert SearchRequest(q="x" * 500).q == "x" * 500


@pytest.mark.parametrize("q,op", [("NOT AND demand", "AND"), ("(OR demand)", "OR")])
def test_an_operator_right_after_not_or_a_bracket_is_refused(q: str, op: str) -> None:
    with refused(f"{op} needs a search word on each side (e.g. THRIVE {op} demand)."):
        check_syntax(q)
