"""The exact shape of snippets and openings (indexer/search/highlight.py), as the pages render
them (webapp/snippets.py), written out by hand.

Texts are built from numbered filler words of four characters ("a00 ", "a01 " …), so where a
passage starts and ends (`SURROUND` = 90 characters either side of the hits, widened to whole
words), where passages merge, how many are shown (`MAX_FRAGMENTS`) and where the ellipses go
can each be worked out on paper; every expectation below was, and the code is checked against
it. Escaping keeps quotes as they are (`quote=False`) and escapes `&`, `<`, `>`.
"""

from __future__ import annotations

from indexer.analysis import stem_word
from indexer.search import highlight
from indexer.search.highlight import SNIPPET_CHARS
from webapp.snippets import snippet_html

TERMS = frozenset({stem_word("thrive")})
HIT = "<mark>THRIVE</mark>"


def mark_all(text: str, terms: frozenset[str]) -> str:
    """The whole text as the pages show it (rendered by webapp/snippets.py)."""
    return str(snippet_html(highlight.mark_all(text, terms)))


def snippet(text: str, terms: frozenset[str], chars: int = SNIPPET_CHARS) -> str:
    return str(snippet_html(highlight.snippet(text, terms, chars)))


def opening(text: str, chars: int = SNIPPET_CHARS) -> str:
    return str(snippet_html(highlight.opening(text, chars)))


def words(prefix: str, first: int, last: int) -> str:
    """Filler words prefix+NN from `first` to `last` inclusive, e.g. "a27 a28 … a49"."""
    return " ".join(f"{prefix}{n:02d}" for n in range(first, last + 1))


def test_one_hit_mid_text_shows_whole_words_around_it_with_ellipses() -> None:
    text = f"{words('a', 0, 49)} THRIVE {words('b', 0, 49)}"
    assert snippet(text, TERMS) == f"… {words('a', 27, 49)} {HIT} {words('b', 0, 22)} …"


def test_a_hit_at_either_end_has_no_ellipsis_on_that_side() -> None:
    assert snippet(f"THRIVE {words('b', 0, 49)}", TERMS) == f"{HIT} {words('b', 0, 22)} …"
    assert snippet(f"{words('a', 0, 49)} THRIVE", TERMS) == f"… {words('a', 27, 49)} {HIT}"
    assert snippet("THRIVE", TERMS) == HIT


def test_hits_close_together_share_one_passage() -> None:
    text = f"{words('a', 0, 49)} THRIVE {words('b', 0, 9)} THRIVE {words('c', 0, 49)}"
    assert snippet(text, TERMS) == (
        f"… {words('a', 27, 49)} {HIT} {words('b', 0, 9)} {HIT} {words('c', 0, 22)} …"
    )


def test_passages_that_would_overlap_are_merged() -> None:
    # The second hit is too far to join the first passage, but its own passage would begin
    # before the first ends: one passage.
    text = f"{words('a', 0, 49)} THRIVE {words('b', 0, 39)} THRIVE {words('c', 0, 49)}"
    assert snippet(text, TERMS) == (
        f"… {words('a', 27, 49)} {HIT} {words('b', 0, 39)} {HIT} {words('c', 0, 22)} …"
    )


def test_hits_far_apart_give_two_passages_and_no_more() -> None:
    two = f"{words('a', 0, 49)} THRIVE {words('b', 0, 79)} THRIVE {words('c', 0, 49)}"
    expected = (
        f"… {words('a', 27, 49)} {HIT} {words('b', 0, 22)} … "
        f"{words('b', 57, 79)} {HIT} {words('c', 0, 22)} …"
    )
    assert snippet(two, TERMS) == expected
    three = f"{words('a', 0, 49)} THRIVE {words('b', 0, 79)} THRIVE {words('c', 0, 79)} " \
        f"THRIVE {words('d', 0, 49)}"
    assert snippet(three, TERMS) == expected


def test_no_hit_shows_the_opening_at_the_length_asked() -> None:
    text = "alpha beta gamma delta"
    assert snippet(text, frozenset({"zebra"}), chars=12) == "alpha beta …"
    assert snippet(text, frozenset(), chars=12) == "alpha beta …"


def test_opening_cuts_at_the_last_space_within_the_length() -> None:
    assert opening("alpha beta gamma delta", 12) == "alpha beta …"
    assert opening("alpha beta gamma", 16) == "alpha beta gamma"  # exactly the length: whole
    assert opening("alpha beta gamma!", 16) == "alpha beta …"
    long = words("a", 0, 99)
    assert opening(long) == words("a", 0, SNIPPET_CHARS // 4 - 1) + " …"


def test_escaping_keeps_quotes_and_escapes_markup() -> None:
    assert opening("say \"it's\" & <b>", 100) == "say \"it's\" &amp; &lt;b&gt;"
    assert opening("\"a\" 'b' & c <d> e f g h", 15) == "\"a\" 'b' &amp; c …"
    assert mark_all("say \"THRIVE\" & it's <b>", TERMS) == (
        f"say \"{HIT}\" &amp; it's &lt;b&gt;"
    )
    assert snippet("it's \"THRIVE\" & <b>", TERMS) == f"it's \"{HIT}\" &amp; &lt;b&gt;"


def test_a_longer_snippet_joins_hits_up_to_its_length_less_the_surround() -> None:
    # chars=1000: hits whose span (first start to last end) is at most 1000 - 2 * 90 = 820
    # characters share one passage; 413 and exactly 820 do, 913 does not (b100 on are five
    # characters with their space).
    near = f"{words('a', 0, 59)} THRIVE {words('b', 0, 99)} THRIVE {words('c', 0, 49)}"
    assert snippet(near, TERMS, chars=1000) == (
        f"… {words('a', 37, 59)} {HIT} {words('b', 0, 99)} {HIT} {words('c', 0, 22)} …"
    )
    edge = f"{words('a', 0, 59)} THRIVE {words('b', 0, 99)} THRIVE {words('c', 0, 99)} " \
        f"THRIVE {words('d', 0, 49)}"
    assert snippet(edge, TERMS, chars=1000) == (
        f"… {words('a', 37, 59)} {HIT} {words('b', 0, 99)} {HIT} {words('c', 0, 99)} {HIT} "
        f"{words('d', 0, 22)} …"
    )
    far = f"{words('a', 0, 59)} THRIVE {words('b', 0, 199)} THRIVE {words('c', 0, 49)}"
    assert snippet(far, TERMS, chars=1000) == (
        f"… {words('a', 37, 59)} {HIT} {words('b', 0, 22)} … "
        f"{words('b', 182, 199)} {HIT} {words('c', 0, 22)} …"
    )


def test_passages_start_and_end_on_whole_words() -> None:
    from indexer.search.highlight import _word_end, _word_start

    assert _word_start("ab cd", 1) == 0
    assert _word_start("abcd", 3) == 0
    assert _word_start("ab cdef", 5) == 3
    assert _word_end("abcd efg", 1) == 4
    assert _word_end("abc", 1) == 3
    assert snippet(" THRIVE", TERMS) == HIT  # a leading space is no cut text
    assert snippet("THRIVE  ", TERMS) == HIT  # nor a trailing one
