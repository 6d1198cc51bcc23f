"""The fused analyzer yields exactly the tokens of Whoosh's StemmingAnalyzer."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import StemmingAnalyzer

from indexer.analysis import FastStemmingAnalyzer
from tests.conftest import FIXTURE_CORPUS, SEED

REFERENCE = StemmingAnalyzer()
FAST = FastStemmingAnalyzer()
ATTRS = ("text", "pos", "startchar", "endchar", "stopped", "boost", "original")


def tokens(analyzer: Any, text: str, **kw: Any) -> list[tuple[Any, ...]]:
    return [tuple(getattr(t, a, None) for a in ATTRS) for t in analyzer(text, **kw)]


PIECES = st.one_of(
    st.sampled_from(["the", "of", "a", "I", "Solvability", "solvable", "THRIVE", "policies",
                     "x.y", "3.141", "e.g.", "*", "well-being", "don't", "Caf\u00e9", "ﬁne",
                     "İstanbul", "ß", "2013–16", "and", "be", "__init__", "a*b"]),
    st.text(min_size=1, max_size=8),
)
TEXT = st.lists(st.tuples(PIECES, st.sampled_from([" ", "  ", ".", ", ", "\n", "-", "’", ""])),
                max_size=40).map(lambda parts: "".join(p + s for p, s in parts))
OPTIONS = st.fixed_dictionaries({}, optional={
    "positions": st.booleans(), "chars": st.booleans(), "keeporiginal": st.booleans(),
    "removestops": st.booleans(), "start_pos": st.integers(0, 5),
    "start_char": st.integers(0, 5), "tokenize": st.booleans(),
    "mode": st.sampled_from(["index", "query", ""]), "no_morph": st.booleans(),
    "boosts": st.booleans(),
})


@settings(max_examples=500, deadline=None)
@given(TEXT, OPTIONS)
def test_same_tokens_as_whoosh(text: str, options: dict[str, Any]) -> None:
    assert tokens(FAST, text, **options) == tokens(REFERENCE, text, **options)


def test_same_tokens_on_real_reports() -> None:
    for path in [SEED, *FIXTURE_CORPUS.glob("*.txt")]:
        text = path.read_bytes().decode("utf-8", errors="replace")
        for kw in ({"positions": True, "chars": True}, {"mode": "query"},
                   {"positions": True, "removestops": False}):
            assert tokens(FAST, text, **kw) == tokens(REFERENCE, text, **kw)


def test_it_pickles_and_compares() -> None:
    import pickle

    assert pickle.loads(pickle.dumps(FAST)) == FAST
    # Whoosh's parser asks has_morph() whether to stem query words: the same answer as the
    # reference analyzer it replaces (an oracle, not a constant asserted against itself).
    assert FAST.has_morph() == REFERENCE.has_morph()


@settings(max_examples=300, deadline=None)
@given(TEXT, st.sampled_from([1.0, 1.5]))
def test_fast_positions_give_the_same_postings(text: str, boost: float) -> None:
    from whoosh.formats import Positions

    from indexer.analysis import FastPositions

    fmt, ref = FastPositions(field_boost=boost), Positions(field_boost=boost)
    fast = [(w, f, wt, fmt.decode_positions(v), fmt.decode_frequency(v))
            for w, f, wt, v in fmt.word_values(text, FAST, mode="index")]
    reference = [(w, f, wt, ref.decode_positions(v), ref.decode_frequency(v))
                 for w, f, wt, v in ref.word_values(text, REFERENCE, mode="index")]
    assert fast == reference


@given(st.lists(st.integers(0, 10**6), max_size=40).map(lambda xs: sorted(set(xs))))
def test_positions_round_trip(positions: list[int]) -> None:
    from indexer.analysis import FastPositions

    fmt = FastPositions()
    assert fmt.decode_positions(fmt.encode(positions)) == positions
    assert fmt.decode_frequency(fmt.encode(positions)) == len(positions)
