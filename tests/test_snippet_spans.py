"""Snippets as plain data (indexer/search/highlight.py): each passage's spans join to the exact
excerpt of the section's text, and the hit spans are exactly the query's words.

The oracle is written by hand, not computed by the highlighter: for each query, a regular
expression lists the word forms in the fixture texts that the index stems to the query's terms
("victims?" for victims, "solvab(le|ility)" for solvability, worked out from the Porter
rules and checked against the fixture prose), so a highlighter that marks a neighbour word, a
word inside a longer one, or drops a form fails here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.search.engine import Archive
from indexer.search.highlight import ELLIPSIS, Passage, Snippet, Span, mark_all, snippet
from indexer.search.request import SearchRequest

# query -> the forms it matches, by hand (case-insensitive, whole tokens)
ORACLE = {
    "victims": r"victims?",
    "solvability": r"solvab(?:le|ility)",
    "victims solvability": r"victims?|solvab(?:le|ility)",
    "patrol": r"patrols?",
    "crime": r"crimes?",
    "assessment": r"assess(?:|ed|es|ing|ments?)",
}


def expected_hits(text: str, forms: str) -> list[tuple[int, str]]:
    """(offset, word) of every whole-token occurrence of `forms` in `text`."""
    pattern = re.compile(rf"(?<![\w*])(?<![\w*]\.)(?:{forms})(?![\w*])(?!\.[\w*])", re.I)
    return [(m.start(), m.group()) for m in pattern.finditer(text)]


def hits_of(passage: Passage) -> list[tuple[int, str]]:
    out, at = [], passage.start
    for span in passage.spans:
        if span.hit:
            out.append((at, span.text))
        at += len(span.text)
    return out


@pytest.fixture(scope="module")
def archive(archive_index: Path) -> Iterator[Archive]:
    a = Archive(archive_index)
    yield a
    a.close()


@pytest.mark.parametrize("q", sorted(ORACLE))
def test_spans_are_the_exact_excerpt_and_hits_are_the_query_words(archive: Archive, q: str
                                                                    ) -> None:
    result = archive.search(SearchRequest(q=q, per_page=100))
    assert result.hits, q
    checked = 0
    for hit in result.hits:
        text = hit.section.text
        snip = hit.snippet
        assert isinstance(snip, Snippet) and snip.passages
        covered: list[tuple[int, int]] = []
        for p in snip.passages:
            excerpt = text[p.start:p.start + len(p.text)]
            assert p.text == excerpt and excerpt.strip() == excerpt, (q, hit.section.section_id)
            assert all(s.text for s in p.spans)  # no empty pieces
            assert p.cut_before == bool(text[:p.start].strip())
            assert p.cut_after == bool(text[p.start + len(p.text):].strip())
            end = p.start + len(p.text)
            assert hits_of(p) == [(at, w) for at, w in expected_hits(text, ORACLE[q])
                                  if p.start <= at < end], (q, hit.section.section_id)
            covered.append((p.start, p.start + len(p.text)))
            checked += len(hits_of(p))
        # Passages in text order, not overlapping.
        assert covered == sorted(covered)
        assert all(a[1] < b[0] for a, b in itertools.pairwise(covered))
        # A snippet of one passage that reaches the text's end holds every hit of the text.
        if len(snip.passages) == 1 and not snip.passages[0].cut_after:
            assert len(hits_of(snip.passages[0])) == len(
                [h for h in expected_hits(text, ORACLE[q]) if h[0] >= snip.passages[0].start])
        # The flat spans read as the snippet: the passages, "…" where text was left out.
        shown = f" {ELLIPSIS} ".join(p.text for p in snip.passages)
        first, last = snip.passages[0], snip.passages[-1]
        assert snip.text == (f"{ELLIPSIS} " * first.cut_before + shown
                             + f" {ELLIPSIS}" * last.cut_after)
        assert snip.hits == sum(s.hit for s in snip.spans)
    assert checked > 0, q


def test_hits_in_the_fixture_texts_match_the_oracle_word_for_word(archive: Archive) -> None:
    """The whole text marked (the report page's view): every hit and nothing else."""
    for q, forms in ORACLE.items():
        terms = archive.query_terms(q)
        for hit in archive.search(SearchRequest(q=q, per_page=100), snippets=False).hits:
            text = hit.section.text
            marked = archive.highlight_all(text, terms)
            (p,) = marked.passages
            assert p.text == text and p.start == 0 and not p.cut_before and not p.cut_after
            assert hits_of(p) == expected_hits(text, forms), (q, hit.section.section_id)
            assert marked.hits == len(expected_hits(text, forms))


def test_two_passages_joined_by_one_ellipsis() -> None:
    # Texts of my own: two hits far apart, cut before, between and after.
    text = "Opening words. " + "filler " * 60 + "The victims said so. " + "padding " * 80 + (
        "Victim support followed. " + "closing " * 60)
    snip = snippet(text, frozenset({"victim"}))
    first, second = snip.passages
    assert first.cut_before and first.cut_after and second.cut_before and second.cut_after
    for p in snip.passages:
        assert text[p.start:p.start + len(p.text)] == p.text
    assert [s.text for p in snip.passages for s in p.spans if s.hit] == ["victims", "Victim"]
    assert snip.text == f"{ELLIPSIS} {first.text} {ELLIPSIS} {second.text} {ELLIPSIS}"
    assert snip.spans[0] == Span(f"{ELLIPSIS} ") and snip.spans[-1] == Span(f" {ELLIPSIS}")
    assert Span(f" {ELLIPSIS} ") in snip.spans


def test_no_hit_gives_the_opening_and_markup_stays_text() -> None:
    text = "<b>Bold</b> & the victims' rights " + "word " * 100
    snip = snippet(text, frozenset({"absent"}))
    (p,) = snip.passages
    assert p.spans == (Span(p.text),) and text.startswith(p.text) and p.cut_after
    assert snip.hits == 0 and "<b>" in p.text  # plain text: no escaping in the library
    marked = mark_all("a <b> & victims", frozenset({"victim"}))
    assert marked.passages[0].spans == (Span("a <b> & "), Span("victims", True))
    assert snippet("", frozenset({"victim"})) == Snippet((Passage(()),))


def test_spans_have_no_empty_piece_and_cuts_are_real_text() -> None:
    """Found by mutation testing: an empty span before a hit that opens the text; two hits
    whose passages meet exactly are one passage; a cut is text left out, not white space."""
    assert mark_all("victims here", frozenset({"victim"})).passages[0].spans == (
        Span("victims", True), Span(" here"))
    # Passage one ends at 97 (hit end 7 + 90) where passage two starts (hit at 187 - 90).
    text = "victims " + "a" * 88 + "  " + "b" * 88 + " victims " + "c" * 50
    assert text.index("victims", 1) == 187 and text[96:98] == "  "
    (p,) = snippet(text, frozenset({"victim"})).passages
    assert p.text == text.strip() and not p.cut_before and not p.cut_after
    # White space alone before or after a passage is not a cut.
    lead = " " + "a" * 100 + " victims " + "b" * 100 + "   "
    (p,) = snippet(lead, frozenset({"victim"})).passages
    assert (p.start, p.cut_before, p.cut_after) == (1, False, False)
    assert p.text == lead.strip()
    lead = "x " + "a" * 100 + " victims " + "b" * 200 + " y"
    (p,) = snippet(lead, frozenset({"victim"})).passages
    assert (p.start, p.cut_before, p.cut_after) == (2, True, True)
