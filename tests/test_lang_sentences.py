"""Field terms and fuzzy words of the query language, in process (indexer/search/lang.py).

Every sentence a misplaced filter or an over-fuzzy word gets is compared whole, and field terms
are checked with their exact spans; expectations are worked out by hand from the query beside
them. In-process, so that `scripts/mutate` sees these tests (the rest of the language is tested
on a real index and server in `tests/test_query_lang.py`).
"""

from __future__ import annotations

import re

import pytest

from indexer.search.lang import FieldTerm, understand, without
from indexer.search.request import QueryProblem

JOINED = ("{} is a filter, not a search word, so it cannot be joined with AND, OR or NOT: "
          "filters always apply to the whole search, and several values of one field match "
          "any of them (force:kent force:essex).")
EXCLUDED = ("{}: a filter cannot be excluded with '-'; name the values you want instead "
            "(several values of one field match any of them, e.g. grade:good "
            "grade:outstanding).")
BRACKETS = ("{} is a filter on the whole search and cannot go inside brackets: move it "
            "outside them.")


def refused(sentence: str) -> pytest.RaisesContext[QueryProblem]:
    return pytest.raises(QueryProblem, match=f"^{re.escape(sentence)}$")


@pytest.mark.parametrize("q,sentence", [
    ('force:""', "force: needs a value after the colon (e.g. force:kent)."),
    ("-force:kent", EXCLUDED.format("-force:kent")),
    ("(force:kent demand)", BRACKETS.format("force:kent")),
    ("(demand +force:kent)", BRACKETS.format("force:kent")),
    ("demand AND force:kent", JOINED.format("force:kent")),
    ("force:kent OR demand", JOINED.format("force:kent")),
    ("+force:kent AND demand", JOINED.format("force:kent")),
    ("force:kent ANDMAYBE demand", JOINED.format("force:kent")),
    (f"-force:{'k' * 70}", EXCLUDED.format(f"-force:{'k' * 53}")),
    (f"demand OR +force:{'k' * 70}", JOINED.format(f"force:{'k' * 54}")),
    ("ab~", "'ab~': a fuzzy word needs at least 3 letters before ~."),
    ("a" * 21 + "~", f"{'a' * 21 + '~'!r}: a fuzzy word can have at most 20 letters."),
    ("demand~3", "'demand~3': fuzzy matching allows at most 2 changed letters (write word~ "
                 "for one, word~2 for two)."),
    ("x" * 45 + "~3", f"{'x' * 40!r}: a fuzzy word can have at most 20 letters."),
])
def test_each_misuse_gets_its_sentence(q: str, sentence: str) -> None:
    with refused(sentence):
        understand(q)


@pytest.mark.parametrize("q", [
    "force:kent NOT demand", "demand force:kent", "abc~", "demand~2", "demand~1/2",
    "a" * 20 + "~", "demand~", "(demand) force:kent",
])
def test_allowed_uses(q: str) -> None:
    understand(q)


def test_field_terms_their_spans_filters_and_removal() -> None:
    q = 'demand force:kent grade:"requires improvement" FORCE:kent'
    u = understand(q)
    assert u.text == "demand"
    assert u.field_terms == (
        FieldTerm("force", "force", "kent", 7, 17),
        FieldTerm("grade", "grade", "requires improvement", 18, 46),
        FieldTerm("force", "force", "kent", 47, 57),
    )
    assert [t.raw for t in u.field_terms] == [
        "force:kent", 'grade:"requires improvement"', "force:kent"]
    assert u.filters() == {"force": ("kent",), "grade": ("requires improvement",)}
    assert without(q, u.field_terms[1]) == "demand force:kent FORCE:kent"
    assert without(q, u.field_terms[0]) == 'demand grade:"requires improvement" FORCE:kent'
