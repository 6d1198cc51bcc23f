"""Highlighting marks exactly the words the index matched, and escapes everything else."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import StemmingAnalyzer

from indexer.search import highlight
from indexer.search.highlight import SNIPPET_CHARS, match_spans, match_spans_reference
from tests.conftest import FIXTURE_CORPUS
from webapp.snippets import snippet_html

ANALYZER = StemmingAnalyzer()


def stems(text: str) -> frozenset[str]:
    return frozenset(t.text for t in ANALYZER(text))


def mark_all(text: str, terms: frozenset[str]) -> str:
    """The whole text as the pages show it (rendered by webapp/snippets.py)."""
    return str(snippet_html(highlight.mark_all(text, terms)))


def snippet(text: str, terms: frozenset[str], chars: int = SNIPPET_CHARS) -> str:
    return str(snippet_html(highlight.snippet(text, terms, chars)))


def test_stemmed_forms_are_marked() -> None:
    text = "Solvable crimes; solvability (known as ‘solvability’) and SOLVED cases."
    assert mark_all(text, stems("solvability")) == (
        "<mark>Solvable</mark> crimes; <mark>solvability</mark> (known as "
        "‘<mark>solvability</mark>’) and SOLVED cases.")


def test_markup_in_text_is_escaped() -> None:
    assert mark_all("<script>THRIVE</script> & co", stems("thrive")) == (
        "&lt;script&gt;<mark>THRIVE</mark>&lt;/script&gt; &amp; co")
    assert snippet('"><img src=x onerror=alert(1)>', frozenset()) == (
        '"&gt;&lt;img src=x onerror=alert(1)&gt;')


def test_snippet_windows_the_hits() -> None:
    text = ("word " * 200) + "THRIVE here " + ("filler " * 200) + "THRIVE again"
    out = snippet(text, stems("thrive"))
    assert out.startswith("… ") and out.count("<mark>THRIVE</mark>") == 2
    assert len(out) < 700
    assert snippet("short text", stems("absent")) == "short text"


WORDS = st.sampled_from(
    ["solvability", "solvable", "solved", "policy", "policies", "policing", "generalisation",
     "a.b", "x.solvable", "e.g.", "THRIVE", "thriving", "hopeful", "conditional", "rational",
     "relational", "agreed", "feed", "caresses", "ponies", "formalize", "electrical", "x*y"]
)
SEPARATORS = st.sampled_from([" ", ". ", ", ", "-", ".", "*", "\n", " ‘", "’ ", "(", ")"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(WORDS, SEPARATORS), min_size=1, max_size=30), st.lists(WORDS,
       min_size=1, max_size=3))
def test_fast_matching_equals_full_tokenising(parts: list[tuple[str, str]],
                                              query: list[str]) -> None:
    text = "".join(w + sep for w, sep in parts)
    terms = stems(" ".join(query))
    assert match_spans(text, terms) == match_spans_reference(text, terms)


def test_fast_matching_equals_full_tokenising_on_real_text() -> None:
    for path in FIXTURE_CORPUS.glob("*.txt"):
        text = path.read_bytes().decode("utf-8", errors="replace")
        words = sorted(stems(text))
        for i in range(0, len(words), 7):
            terms = frozenset(words[i:i + 3])
            assert match_spans(text, terms) == match_spans_reference(text, terms)
