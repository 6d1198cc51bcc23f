"""The query language's rewriting, in process: each query's tokens (kind, sign, body, raw text
and span) and the text handed to the engine's parser, written out by hand.

`tests/test_query_lang.py` checks the same language through a server; these exist so that a
mutation of `indexer/search/lang.py` (`tokens`, `understand`, `_rewrite`, `_expansion_run`,
`_value`) fails a test that the mutation tool can see.
"""

from __future__ import annotations

import pytest

from indexer.search.lang import FieldTerm, replace_word, tokens, understand
from indexer.search.request import QueryProblem

MARAC_Q = 'MARAC OR "multi-agency risk assessment conference"'


def toks(q: str) -> list[tuple[str, str, str, str, int, int]]:
    return [(t.kind, t.sign, t.body, t.raw, t.start, t.end) for t in tokens(q)]


@pytest.mark.parametrize(("q", "expected"), [
    ("", []),
    ("   ", []),
    ("custody", [("word", "", "custody", "custody", 0, 7)]),
    ("  two  words ", [("word", "", "two", "two", 2, 5), ("word", "", "words", "words", 7, 12)]),
    ("-vetting +custody", [("word", "-", "vetting", "-vetting", 0, 8),
                           ("word", "+", "custody", "+custody", 9, 17)]),
    ("a - b", [("word", "", "a", "a", 0, 1), ("word", "", "-", "-", 2, 3),
               ("word", "", "b", "b", 4, 5)]),
    ("--x", [("word", "", "--x", "--x", 0, 3)]),
    ("-)", [("word", "", "-", "-", 0, 1), (")", "", ")", ")", 1, 2)]),
    ("(a OR b)", [("(", "", "(", "(", 0, 1), ("word", "", "a", "a", 1, 2),
                  ("word", "", "OR", "OR", 3, 5), ("word", "", "b", "b", 6, 7),
                  (")", "", ")", ")", 7, 8)]),
    ("-(a)", [("word", "", "NOT", "-", 0, 1), ("(", "", "(", "(", 1, 2),
              ("word", "", "a", "a", 2, 3), (")", "", ")", ")", 3, 4)]),
    ("+(a)", [("(", "", "(", "(", 1, 2), ("word", "", "a", "a", 2, 3),
              (")", "", ")", ")", 3, 4)]),
    ('"domestic abuse"~2 x', [("phrase", "", "domestic abuse", '"domestic abuse"~2', 0, 18),
                              ("word", "", "x", "x", 19, 20)]),
    ('-"stop and search"', [("phrase", "-", "stop and search", '-"stop and search"', 0, 18)]),
    ('"open', [("phrase", "", "open", '"open', 0, 5)]),
    ('a"b', [("word", "", "a", "a", 0, 1), ("phrase", "", "b", '"b', 1, 3)]),
    ("force:kent x", [("field", "", "kent", "force:kent", 0, 10), ("word", "", "x", "x", 11, 12)]),
    ('grade:"requires improvement"', [("field", "", "requires improvement",
                                       'grade:"requires improvement"', 0, 28)]),
    ("Force:Kent)", [("field", "", "Kent", "Force:Kent", 0, 10), (")", "", ")", ")", 10, 11)]),
    ("colour:red", [("word", "", "colour:red", "colour:red", 0, 10)]),
    ("force: kent", [("word", "", "force:", "force:", 0, 6), ("word", "", "kent", "kent", 7, 11)]),
])  # fmt: skip
def test_tokens(q: str, expected: list[tuple[str, str, str, str, int, int]]) -> None:
    assert toks(q) == expected


def test_a_field_token_records_its_field_in_lower_case() -> None:
    (tok,) = tokens("FORCE:kent")
    assert (tok.kind, tok.field, tok.body) == ("field", "force", "kent")


@pytest.mark.parametrize(("q", "text"), [
    ("custody", "custody"),
    ("custody  vetting", "custody vetting"),
    ("-vetting custody", "NOT vetting custody"),
    ("+custody", "custody"),
    ("a OR b", "a OR b"),
    ("(a OR b) -(c)", "( a OR b ) NOT ( c )"),
    ('"domestic abuse"~2', '"domestic abuse"~2'),
    ('-"domestic abuse"', 'NOT "domestic abuse"'),
    ("MARAC", f"({MARAC_Q})"),
    ("marac", f"({MARAC_Q})"),
    ("-MARAC", f"NOT ({MARAC_Q})"),
    ("+MARAC", "MARAC"),
    ("MARAC*", "MARAC*"),
    ('"multi-agency risk assessment conference"',
     '("multi-agency risk assessment conference" OR MARAC)'),
    ('+"multi-agency risk assessment conference"', '"multi-agency risk assessment conference"'),
    ("multi-agency risk assessment conference",
     "((multi-agency risk assessment conference) OR MARAC)"),
    ("the multi agency safeguarding hub works",
     "the ((multi agency safeguarding hub) OR MASH) works"),
    ("multi agency", "multi agency"),
    ("force:kent custody", "custody"),
    ("force:kent", ""),
])  # fmt: skip
def test_the_text_for_the_parser(q: str, text: str) -> None:
    assert understand(q).text == text


@pytest.mark.parametrize(("q", "text"), [
    ("MARAC", "MARAC"),
    ('"multi-agency risk assessment conference"', '"multi-agency risk assessment conference"'),
    ("multi-agency risk assessment conference", "multi-agency risk assessment conference"),
    ("-MARAC", "NOT MARAC"),
])  # fmt: skip
def test_literal_never_widens(q: str, text: str) -> None:
    assert understand(q, literal=True).text == text


def test_glossary_uses_say_whether_they_widened() -> None:
    wide = understand("MARAC custody")
    assert [(u.entry.term, u.widened) for u in wide.glossary] == [("MARAC", True)]
    plus = understand("+MARAC")
    assert [(u.entry.term, u.widened) for u in plus.glossary] == [("MARAC", False)]
    literal = understand("MARAC", literal=True)
    assert [(u.entry.term, u.widened) for u in literal.glossary] == [("MARAC", False)]
    run = understand("multi agency safeguarding hub")
    assert [(u.entry.term, u.widened) for u in run.glossary] == [("MASH", True)]
    twice = understand("MARAC marac")
    assert [u.entry.term for u in twice.glossary] == ["MARAC"]
    assert understand("custody").glossary == ()


def test_lower_case_operators_give_one_notice_each() -> None:
    got = understand("custody or vetting or cells and not")
    assert got.notices == (
        "“or” in lower case is an ordinary word, too common to be searched: write OR in "
        "capitals to find passages with either word.",
        "“and” in lower case is an ordinary word, too common to be searched: words are all "
        "required anyway.",
        "“not” in lower case is an ordinary word, too common to be searched: write NOT in "
        "capitals, or put - before a word, to leave it out.",
    )
    assert understand("-or +and").notices == ()
    assert understand("custody OR vetting").notices == ()


def test_field_terms_in_order_with_spans_and_filters() -> None:
    got = understand('force:kent custody grade:"requires improvement" force:essex force:kent')
    assert got.field_terms == (
        FieldTerm("force", "force", "kent", 0, 10),
        FieldTerm("grade", "grade", "requires improvement", 19, 47),
        FieldTerm("force", "force", "essex", 48, 59),
        FieldTerm("force", "force", "kent", 60, 70),
    )
    assert got.filters() == {"force": ("kent", "essex"), "grade": ("requires improvement",)}
    assert got.text == "custody"


def test_brackets_close_before_a_field_term() -> None:
    assert understand("(a) force:kent").text == "( a )"
    with pytest.raises(QueryProblem):
        understand("(a force:kent)")


def test_replace_word() -> None:
    assert replace_word("custdy and Custdy: custdy_x", "custdy", "custody") == (
        "custody and custody: custdy_x")
    assert replace_word("force:custdy custdy", "custdy", "custody") == "force:custdy custody"


@pytest.mark.parametrize(("q", "expected"), [
    ("Xray", [("word", "", "Xray", "Xray", 0, 4)]),
    ("-Xmas", [("word", "-", "Xmas", "-Xmas", 0, 5)]),
    ("aXb", [("word", "", "aXb", "aXb", 0, 3)]),
    ("-a", [("word", "-", "a", "-a", 0, 2)]),
    ("x -", [("word", "", "x", "x", 0, 1), ("word", "", "-", "-", 2, 3)]),
    ('"a" "b"', [("phrase", "", "a", '"a"', 0, 3), ("phrase", "", "b", '"b"', 4, 7)]),
    ('"" x', [("phrase", "", "", '""', 0, 2), ("word", "", "x", "x", 3, 4)]),
    ('"a b"Xy', [("phrase", "", "a b", '"a b"Xy', 0, 7)]),
    ('"a"~ b', [("phrase", "", "a", '"a"~', 0, 4), ("word", "", "b", "b", 5, 6)]),
    ("force:kXent", [("field", "", "kXent", "force:kXent", 0, 11)]),
    ('grade:"a" grade:"b"', [("field", "", "a", 'grade:"a"', 0, 9),
                             ("field", "", "b", 'grade:"b"', 10, 19)]),
    ('grade:"requires improvement', [("field", "", "requires improvement",
                                      'grade:"requires improvement', 0, 27)]),
])  # fmt: skip
def test_tokens_at_their_edges(q: str, expected: list[tuple[str, str, str, str, int, int]]
                               ) -> None:
    assert toks(q) == expected


@pytest.mark.parametrize("q", [
    "((a) force:kent)", "(a) (b force:kent)", "OR force:kent", "force:kent OR",
])
def test_a_field_term_inside_brackets_or_next_to_an_operator_is_refused(q: str) -> None:
    with pytest.raises(QueryProblem):
        understand(q)


@pytest.mark.parametrize("q", ["force:kent custody OR", '"ab~"', "(a) force:kent (b)"])
def test_what_the_language_lets_through(q: str) -> None:
    understand(q)  # no QueryProblem: the request's syntax check judges the rest


def test_every_glossary_use_is_kept_once_with_its_widening() -> None:
    def uses(q: str, literal: bool = False) -> list[tuple[str, bool]]:
        return [(u.entry.term, u.widened) for u in understand(q, literal).glossary]

    assert uses("MARAC MASH") == [("MARAC", True), ("MASH", True)]
    assert uses('"multi-agency safeguarding hub" "multi-agency risk assessment conference"') == [
        ("MASH", True), ("MARAC", True)]
    assert uses('+"multi-agency risk assessment conference"') == [("MARAC", False)]
    assert uses('"multi-agency risk assessment conference"', literal=True) == [("MARAC", False)]
    assert uses("multi agency safeguarding hub multi agency public protection arrangements") == [
        ("MASH", True), ("MAPPA", True)]


def test_long_fuzzy_words_are_quoted_to_forty_characters() -> None:
    digits = "1" * 40
    with pytest.raises(QueryProblem) as short:
        understand(f"ab~1/{digits}")
    assert str(short.value) == (
        f"{f'ab~1/{digits}'[:40]!r}: a fuzzy word needs at least 3 letters before ~.")
    with pytest.raises(QueryProblem) as far:
        understand(f"abc~9/{digits}")
    assert str(far.value).startswith(f"{f'abc~9/{digits}'[:40]!r}: fuzzy matching allows")


def test_a_one_word_expansion_also_finds_its_acronym() -> None:
    """IOPC's expansions include its old name, IPCC: a search for IPCC also finds IOPC, as a
    search for any other expansion finds its acronym (and `literal` keeps the word alone)."""
    got = understand("IPCC complaints")
    assert got.text == "((IPCC) OR IOPC) complaints"
    assert [(u.entry.term, u.widened) for u in got.glossary] == [("IOPC", True)]
    assert understand("IPCC", literal=True).text == "IPCC"
    assert understand("-IPCC").text == "NOT IPCC"
