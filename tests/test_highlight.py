"""Highlighting marks exactly the words the index matched, and escapes everything else."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import StemmingAnalyzer

from indexer.analysis import stem_word
from indexer.search import highlight
from indexer.search.highlight import SNIPPET_CHARS, match_spans, match_spans_reference
from tests.conftest import FIXTURE_CORPUS, FIXTURES
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


# Stop words and one-letter tokens (skipped inside a phrase), a stop word sharing a stem with a
# kept word ("will" / "willing"), and "İ", whose lower case is longer than itself.
PHRASE_WORDS = st.sampled_from(
    ["risk", "risks", "of", "harm", "harmed", "the", "a", "will", "willing", "Data", "crime",
     "crimes", "x", "as", "us", "İstanbul", "e.g", "RISK", "x.risk"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(PHRASE_WORDS, SEPARATORS), min_size=1, max_size=30),
       st.lists(st.lists(PHRASE_WORDS, min_size=1, max_size=4), min_size=1, max_size=2),
       st.lists(PHRASE_WORDS, max_size=2), st.lists(PHRASE_WORDS, max_size=2))
def test_phrases_and_words_as_written_equal_full_tokenising(
        parts: list[tuple[str, str]], phrases: list[list[str]], words: list[str],
        written: list[str]) -> None:
    """Phrases (found from their first word) and as-written terms, as the engine builds them."""
    text = "".join(w + sep for w, sep in parts)
    terms = set(stems(" ".join(words)))
    terms |= {highlight.AS_WRITTEN + w.lower() for w in written}
    for phrase in phrases:
        kept = [t.text for t in ANALYZER(" ".join(phrase))]
        if kept:
            terms.add(highlight.PHRASE + " ".join(kept))
    frozen = frozenset(terms)
    assert match_spans(text, frozen) == match_spans_reference(text, frozen)


def test_a_phrase_is_marked_only_where_its_words_follow_each_other() -> None:
    terms = frozenset({highlight.PHRASE + "risk harm"})
    text = "Risk of harm; harm of risk; the risk, then harm; risk, harm. A risk will harm."
    # "of" and "will" are stop words, skipped as the index skips them ("then" is not one);
    # punctuation is no break.
    assert [text[s:e] for s, e in match_spans(text, terms)] == [
        "Risk", "harm", "risk", "harm", "risk", "harm"]
    assert match_spans(text, terms) == match_spans_reference(text, terms)
    # "will" is a stop word with the stem of "willing": it cannot start "willing harm".
    willing = frozenset({highlight.PHRASE + "will harm"})
    text = "They will harm; willing harm."
    assert [text[s:e] for s, e in match_spans(text, willing)] == ["willing", "harm"]
    assert match_spans(text, willing) == match_spans_reference(text, willing)


def test_a_stem_less_its_tail_starts_the_word_it_came_from() -> None:
    """The candidate scan's premise (`highlight.STEM_TAIL`), on every word of the fixtures and
    on words that take Porter's rewriting rules (y -> i, "biliti" -> "ble", "ational" -> "ate",
    an "e" added after "at", "bl", "iz" or a short stem)."""
    vocabulary = {"sensibility", "capabilities", "relational", "valency", "hopping", "hoping",
                  "happy", "delay", "probably", "activity", "generalization", "rationalizing",
                  "hopefulness", "electricity", "feasibility", "conflated", "troubling",
                  "sized", "filing", "agreed", "formalities", "logical", "analogies"}
    for path in FIXTURES.rglob("*.txt"):
        text = path.read_bytes().decode("utf-8", errors="replace").lower()
        vocabulary.update(re.findall(r"[\w*]+", text))
    assert len(vocabulary) > 1500
    for word in vocabulary:
        stem = stem_word(word)
        assert word.startswith(stem[: max(1, len(stem) - highlight.STEM_TAIL)]), (word, stem)



def test_a_token_starts_after_a_dot_that_follows_no_word() -> None:
    """Found by mutation testing: "x.thrive" is one token, "..thrive" and ". .thrive" hold
    the token "thrive"."""
    terms = stems("thrive")
    for text in ("see ..THRIVE", "(.thrive)", "a . .thrive", ".thrive", "x.thrive", "x..thrive"):
        assert match_spans(text, terms) == match_spans_reference(text, terms), text
    assert match_spans("see ..THRIVE", terms) == [(6, 12)]
    assert match_spans("x.thrive", terms) == []


def test_two_letter_words_are_kept_inside_a_phrase() -> None:
    """Found by mutation testing: the index keeps words of two letters ("uk"), so one breaks a
    phrase and one can start it."""
    text = "Risk UK harm. UK police said risk harm."
    for phrase, expected in (("risk harm", ["risk", "harm"]), ("uk polic", ["UK", "police"])):
        terms = frozenset({highlight.PHRASE + phrase})
        assert [text[s:e] for s, e in match_spans(text, terms)] == expected
        assert [text[s:e] for s, e in match_spans_reference(text, terms)] == expected
