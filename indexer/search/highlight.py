"""Highlighting: the query's words marked in escaped text, and snippets around them.

A word matches when its analysed form (the index's tokenizer, lower case, Porter stem) is one
of the query's indexed terms, exactly as the index matched the document. Tokenising with one
compiled regex and caching stems makes this several times faster than running Whoosh's
analyzer pipeline over every hit's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from html import escape

from whoosh.analysis.tokenizers import default_pattern

from indexer.analysis import stem_word

SNIPPET_CHARS = 320
SURROUND = 90
MAX_FRAGMENTS = 2


@lru_cache(maxsize=1024)
def _candidates(terms: frozenset[str]) -> re.Pattern[str]:
    """Tokens that could stem to one of `terms`: those starting with a stem's first letters.

    Porter stemming only rewrites the last few letters of a word (the longest rewrite is four
    letters), so a word stems to `t` only if it starts with `t` less its last four letters.
    The pattern runs over lower-cased text and starts with the letters themselves, so the regex
    engine can jump between occurrences; whether a match starts where the index's tokenizer
    starts a token is checked after (`_starts_token`).
    """
    prefixes = sorted({t[: max(1, len(t) - 4)] for t in terms}, key=len, reverse=True)
    alternatives = "|".join(re.escape(p) for p in prefixes)
    return re.compile(rf"(?:{alternatives})[\w*]*(?:\.?[\w*]+)*")


@lru_cache(maxsize=4096)
def _exact(words: frozenset[str]) -> re.Pattern[str]:
    """`words` as whole tokens: ending where a candidate would end."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?:{alternatives})(?![\w*])(?!\.[\w*])")


_TOKEN_CHAR = re.compile(r"[\w*]")


def _starts_token(text: str, i: int) -> bool:
    """Whether the tokenizer starts a token at `i`: not after a word character, nor after a
    dot that follows one (the tokenizer keeps "e.g" and "x.y" as one token)."""
    if i == 0:
        return True
    if _TOKEN_CHAR.match(text, i - 1):
        return False
    return not (text[i - 1] == "." and i >= 2 and _TOKEN_CHAR.match(text, i - 2))


def match_spans(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """Character spans of the words in `text` whose indexed form is one of `terms`.

    Each distinct candidate word is stemmed once; a second scan for the words that matched
    gives their spans (the per-occurrence work stays in the regex engine)."""
    if not terms:
        return []
    low = text.lower()
    if len(low) != len(text):  # a rare character whose lower case is longer: the plain way
        return match_spans_reference(text, terms)
    # Candidates found inside a longer token may enter `found`; the second scan keeps only
    # whole tokens.
    found = {w for w in set(_candidates(terms).findall(low)) if stem_word(w) in terms}
    if not found:
        return []
    return [m.span() for m in _exact(frozenset(found)).finditer(low)
            if _starts_token(low, m.start())]


def match_spans_reference(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """The same by tokenising everything (the definition `match_spans` is tested against)."""
    return [m.span() for m in default_pattern.finditer(text)
            if stem_word(m.group().lower()) in terms]


def _mark(text: str, start: int, end: int, spans: Iterable[tuple[int, int]]) -> str:
    out: list[str] = []
    at = start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(escape(text[at:s], quote=False))
        out.append("<mark>" + escape(text[s:e], quote=False) + "</mark>")
        at = e
    out.append(escape(text[at:end], quote=False))
    return "".join(out)


def mark_all(text: str, terms: frozenset[str]) -> str:
    """Escaped HTML of the whole text with every matching word in <mark>."""
    return _mark(text, 0, len(text), match_spans(text, terms))


def _word_start(text: str, i: int) -> int:
    """Move `i` back to the start of the word it falls in."""
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return i


def _word_end(text: str, i: int) -> int:
    while i < len(text) and not text[i].isspace():
        i += 1
    return i


def opening(text: str, chars: int = SNIPPET_CHARS) -> str:
    """Escaped HTML of the text's first `chars` characters, cut at a word."""
    if len(text) <= chars:
        return escape(text, quote=False)
    cut = text[:chars].rsplit(" ", 1)[0]
    return escape(cut, quote=False) + " …"


def snippet(text: str, terms: frozenset[str], chars: int = SNIPPET_CHARS) -> str:
    """Escaped HTML: up to two passages around the hits (or the text's opening)."""
    spans = match_spans(text, terms)
    if not spans:
        return opening(text, chars)
    fragments: list[tuple[int, int]] = []
    i = 0
    while i < len(spans) and len(fragments) < MAX_FRAGMENTS:
        first_start, last_end = spans[i]
        j = i + 1
        # Take in the following hits while the passage stays within its length.
        while j < len(spans) and spans[j][1] - first_start <= chars - 2 * SURROUND:
            last_end = spans[j][1]
            j += 1
        start = _word_start(text, max(0, first_start - SURROUND))
        end = _word_end(text, min(len(text), last_end + SURROUND))
        if fragments and start <= fragments[-1][1]:
            fragments[-1] = (fragments[-1][0], end)
        else:
            fragments.append((start, end))
        i = j
    parts = []
    for start, end in fragments:
        body = _mark(text, start, end, spans).strip()
        parts.append(("… " if start > 0 else "") + body + (" …" if end < len(text) else ""))
    return " ".join(parts).replace("… …", "…")
