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

from whoosh.analysis.filters import STOP_WORDS
from whoosh.analysis.tokenizers import default_pattern

from indexer.analysis import stem_word

# A term starting with this marks a word as written (a wildcard's or fuzzy term's match in the
# unstemmed `words` field): only that word is marked, not every word sharing its stem.
AS_WRITTEN = "="
# A term starting with this is a phrase, its stems separated by spaces: its words are marked
# only where they stand together, as the index matched them (stop words skipped).
PHRASE = '"'
SNIPPET_CHARS = 320
SURROUND = 90
MAX_FRAGMENTS = 2


@lru_cache(maxsize=1024)
def _candidates(terms: frozenset[str]) -> re.Pattern[str]:
    """Tokens that could stem to one of `terms`: those starting with a stem's first letters.

    Porter stemming only rewrites the last few letters of a word (the longest rewrite is four
    letters), so a word stems to `t` only if it starts with `t` less its last four letters.
    The lookbehinds start a candidate where the index's tokenizer would start a token.
    """
    bare = {t.removeprefix(AS_WRITTEN) for t in terms}
    prefixes = sorted({t[: max(1, len(t) - 4)] for t in bare}, key=len, reverse=True)
    alternatives = "|".join(re.escape(p) for p in prefixes)
    return re.compile(
        rf"(?<![\w*])(?<![\w*]\.)(?:{alternatives})[\w*]*(?:\.?[\w*]+)*", re.IGNORECASE
    )


def match_spans(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """Character spans of the words in `text` whose indexed form is one of `terms`, and of
    the phrases among `terms` where they occur."""
    words, phrases = _split(terms)
    spans = ([m.span() for m in _candidates(words).finditer(text) if _is_hit(m.group(), words)]
             if words else [])
    return _with_phrases(spans, text, phrases)


def _split(terms: frozenset[str]) -> tuple[frozenset[str], list[tuple[str, ...]]]:
    words = frozenset(t for t in terms if not t.startswith(PHRASE))
    phrases = [tuple(t[len(PHRASE):].split()) for t in terms if t.startswith(PHRASE)]
    return words, [p for p in phrases if p]


def _has_all(text: str, stems: frozenset[str]) -> bool:
    found = {stem_word(m.group().lower()) for m in _candidates(stems).finditer(text)}
    return stems <= found


def _with_phrases(spans: list[tuple[int, int]], text: str, phrases: list[tuple[str, ...]]
                  ) -> list[tuple[int, int]]:
    # Only texts holding every word of a phrase are tokenised in full (a fast regex check).
    phrases = [p for p in phrases if _has_all(text, frozenset(p))]
    if not phrases:
        return spans
    kept = [(m.span(), stem_word(w)) for m in default_pattern.finditer(text)
            if len(w := m.group().lower()) >= 2 and w not in STOP_WORDS]
    found = set(spans)
    for phrase in phrases:
        k = len(phrase)
        for i in range(len(kept) - k + 1):
            if all(kept[i + j][1] == phrase[j] for j in range(k)):
                found.update(span for span, _ in kept[i:i + k])
    return sorted(found)


def _is_hit(word: str, terms: frozenset[str]) -> bool:
    lower = word.lower()
    return stem_word(lower) in terms or AS_WRITTEN + lower in terms


def match_spans_reference(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """The same by tokenising everything (the definition `match_spans` is tested against)."""
    words, phrases = _split(terms)
    spans = [m.span() for m in default_pattern.finditer(text)
             if stem_word(m.group().lower()) in words or AS_WRITTEN + m.group().lower() in words]
    return _with_phrases(spans, text, phrases)


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
