"""Every sentence a malformed query or parameter gets, compared whole (indexer/search/request.py).

The site and the API show these sentences to the reader (SECURITY.md, promise 1), so each is
part of the contract: a test that only searched for a fragment let a garbled sentence through.
In-process, so that `scripts/mutate` sees these tests cover the module.
"""

from __future__ import annotations

import pytest

from indexer.search.request import (
    MAX_QUERY_CHARS,
    QueryProblem,
    check_syntax,
    parse_request,
)

WILDCARD = (
    "The wildcard in {!r} needs at least 3 letters before it (e.g. solv*), so that it does "
    "not match most of the archive."
)
REFUSED = [
    ('"risk of harm', 'Unbalanced quotation mark: a phrase needs a closing ".'),
    ("demand [a TO z]",
     "Ranges such as [a TO z] are not supported: remove the [ ] or { } brackets."),
    ("a ) b", "Unbalanced brackets: a ')' has no matching '('."),
    ("(THRIVE", "Unbalanced brackets: a '(' has no closing ')'."),
    ("( ) THRIVE", "Empty or incomplete group: put search words inside ( )."),
    ("(THRIVE AND)", "Empty or incomplete group: put search words inside ( )."),
    ("(NOT) x", "Empty or incomplete group: put search words inside ( )."),
    ("AND demand", "AND needs a search word on each side (e.g. THRIVE AND demand)."),
    ("THRIVE OR OR demand", "OR needs a search word on each side (e.g. THRIVE OR demand)."),
    ("NOT NOT demand", "NOT needs a search word after it."),
    ("THRIVE AND", "The query ends with an operator: add a search word after it."),
    ("THRIVE NOT", "The query ends with an operator: add a search word after it."),
    ("ab*", WILDCARD.format("ab*")),
    ("+ab*", WILDCARD.format("+ab*")),
    ("x*y", WILDCARD.format("x*y")),
    ("ab?d", WILDCARD.format("ab?d")),
]
ALLOWED = [
    '"risk" AND demand', 'THRIVE AND "x"', '"a (" THRIVE', '"a" NOT "b"',
    'NOT "risk of harm"', "(THRIVE OR demand) AND NOT risk", "-abc*", "solv*", "",
]


@pytest.mark.parametrize(("q", "sentence"), REFUSED)
def test_each_malformed_query_gets_its_whole_sentence(q: str, sentence: str) -> None:
    with pytest.raises(QueryProblem) as caught:
        check_syntax(q)
    assert str(caught.value) == sentence
    with pytest.raises(QueryProblem) as again:
        parse_request([("q", q)])
    assert str(again.value) == sentence


@pytest.mark.parametrize("q", ALLOWED)
def test_well_formed_queries_pass(q: str) -> None:
    check_syntax(q)  # brackets and operators inside a phrase are words, not syntax
    assert parse_request([("q", q)]).q == q


def test_parameters_get_whole_sentences_showing_at_most_40_characters() -> None:
    cases = [
        ([("page", "x" * 100)], f"page must be a whole number, not {'x' * 40!r}."),
        ([("per_page", "y" * 100)], f"per_page must be a whole number, not {'y' * 40!r}."),
        ([("sort", "z" * 100)],
         f"sort must be one of relevance, newest, oldest; not {'z' * 40!r}."),
        ([("page", "1" * 12)], "page must be between 1 and 10000; 111111111111 is too large."),
        ([("q", "q" * (MAX_QUERY_CHARS + 1))],
         f"The query is {MAX_QUERY_CHARS + 1} characters long; the limit is {MAX_QUERY_CHARS}."),
    ]
    for params, sentence in cases:
        with pytest.raises(QueryProblem) as caught:
            parse_request(params)
        assert str(caught.value) == sentence, params


def test_parameters_at_their_limits_and_blank_are_allowed() -> None:
    assert len(parse_request([("q", "q" * MAX_QUERY_CHARS)]).q) == MAX_QUERY_CHARS
    blank = parse_request([("page", ""), ("per_page", "")])
    assert (blank.page, blank.per_page) == (1, 20)
    assert parse_request([("per_page", " 7 ")]).per_page == 7
