"""The plain-words fast path of query parsing gives exactly the query Whoosh's parser gives.

The oracle is the archive's full parser (Whoosh's plugin pipeline) on the same text; the fast
path only reuses its `term_query`. Words come from the fixture corpus's vocabulary, stop words,
numbers, mixed case and operator-like words, in random combinations.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from indexer.analysis import STOP_WORDS
from indexer.search import engine
from indexer.search.plainwords import is_plain, plain_query

FIXTURES = Path(__file__).parent / "fixtures"


def _vocabulary() -> list[str]:
    words: set[str] = set()
    for path in FIXTURES.rglob("*.txt"):
        words.update(re.findall(r"[A-Za-z0-9]+", path.read_text(encoding="utf-8",
                                                                   errors="replace")))
    return sorted(words)


VOCAB = _vocabulary()
EXTRA = [*sorted(STOP_WORDS)[:20], "2016", "21", "x", "I", "DOMESTIC", "Abuse", "and", "Or",
         "NOT", "to", "TO", "andmaybe", "requires", "notable", "order", "toward"]


def _queries(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    pool = VOCAB + EXTRA * 5
    return [" ".join(rng.choice(pool) for _ in range(rng.randint(1, 5))) for _ in range(n)]


@pytest.mark.parametrize("seed", range(4))
def test_fast_path_equals_the_parser(seed: int) -> None:
    parser = engine._query_parser()
    fast_count = 0
    for text in _queries(500, seed):
        fast = plain_query(parser, engine.TEXT_FIELDS, text)
        if fast is None:
            continue
        fast_count += 1
        assert fast == parser.parse(text), text
    assert fast_count > 300  # most random word lists take the fast path


@pytest.mark.parametrize("text", [
    '"domestic abuse"', "domestic AND abuse", "domestic OR abuse", "NOT abuse", "abuse*",
    "abus~", "grade:good", "(abuse)", "-abuse", "+abuse", "domestic  abuse", " abuse",
    "abuse ", "", "café", "domestic\tabuse", "abuse^2", "a-b", "to", "Require x",
])
def test_anything_but_plain_words_goes_through_the_parser(text: str) -> None:
    assert not is_plain(text)
    assert plain_query(engine._query_parser(), engine.TEXT_FIELDS, text) is None


def test_the_engine_answers_plain_words_as_the_parser_would(archive_index: Path) -> None:
    """Through `Archive.search` on a real index: a plain-words search finds what the same
    words with a no-op bracket (which forces the parser) find, in the same order; stop words
    only are still refused with the sentence."""
    archive = engine.Archive(archive_index)
    try:
        for text in ("domestic abuse", "Victims crime 2016", "force", "leaders plan"):
            assert is_plain(text)
            fast = archive.search(engine.SearchRequest(q=text))
            slow = archive.search(engine.SearchRequest(q=f"({text})"))
            assert fast.total == slow.total
            ids = [h.section.section_id for h in fast.hits]
            assert ids == [h.section.section_id for h in slow.hits]
            assert [h.score for h in fast.hits] == [h.score for h in slow.hits]
        assert archive.search(engine.SearchRequest(q="domestic abuse")).total > 0
        with pytest.raises(engine.QueryProblem, match="no words to search for"):
            archive.parse_query("the and of")
    finally:
        archive.close()
