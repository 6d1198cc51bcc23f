"""Highlighting: where the query's words stand in a text, and snippets around them, as data.

A snippet is plain data (`Snippet`: passages of `Span`s, each a hit or the text between, with
where the source text was cut); nothing here is HTML. The web app renders snippets in one
place (`webapp/snippets.py`).

A word matches when its analysed form (the index's tokenizer, lower case, Porter stem) is one
of the query's indexed terms, exactly as the index matched the document. Tokenising with one
compiled regex and caching stems makes this several times faster than running Whoosh's
analyzer pipeline over every hit's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

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
ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a passage: one of the query's words (`hit`) or the text between them."""

    text: str
    hit: bool = False


@dataclass(frozen=True, slots=True)
class Passage:
    """One excerpt of a text as spans: `text[start:start + len(excerpt)]`, where `cut_before`
    and `cut_after` say whether the source text goes on before or after it."""

    spans: tuple[Span, ...]
    start: int = 0
    cut_before: bool = False
    cut_after: bool = False

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True, slots=True)
class Snippet:
    """What a result shows of its text: one or more passages, in text order."""

    passages: tuple[Passage, ...]

    @property
    def spans(self) -> tuple[Span, ...]:
        """The snippet as shown: its passages' spans with "…" spans where text was left out,
        so that the spans' texts joined are the snippet's plain text."""
        out: list[Span] = []
        last = len(self.passages) - 1
        for i, passage in enumerate(self.passages):
            if i:
                out.append(Span(f" {ELLIPSIS} "))
            elif passage.cut_before:
                out.append(Span(f"{ELLIPSIS} "))
            out.extend(passage.spans)
            if i == last and passage.cut_after:
                out.append(Span(f" {ELLIPSIS}"))
        return tuple(out)

    @property
    def text(self) -> str:
        """The plain text shown, "…" marking where text was left out."""
        return "".join(s.text for s in self.spans)

    @property
    def hits(self) -> int:
        """How many of the query's words it shows."""
        return sum(s.hit for p in self.passages for s in p.spans)


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


def _spans(text: str, start: int, end: int, matches: Iterable[tuple[int, int]]
           ) -> tuple[Span, ...]:
    """`text[start:end]` as spans, the `matches` inside it as hits (an overlapping one is
    skipped, so the spans' texts always join to the excerpt)."""
    out: list[Span] = []
    at = start
    for s, e in matches:
        if s < at or e > end:
            continue
        if s > at:
            out.append(Span(text[at:s]))
        out.append(Span(text[s:e], True))
        at = e
    if end > at:
        out.append(Span(text[at:end]))
    return tuple(out)


def mark_all(text: str, terms: frozenset[str]) -> Snippet:
    """The whole text, every matching word a hit."""
    return Snippet((Passage(_spans(text, 0, len(text), match_spans(text, terms))),))


def _word_start(text: str, i: int) -> int:
    """Move `i` back to the start of the word it falls in."""
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return i


def _word_end(text: str, i: int) -> int:
    while i < len(text) and not text[i].isspace():
        i += 1
    return i


def opening(text: str, chars: int = SNIPPET_CHARS) -> Snippet:
    """The text's first `chars` characters, cut at a word."""
    if len(text) <= chars:
        return Snippet((Passage(_spans(text, 0, len(text), ())),))
    cut = text[:chars].rsplit(" ", 1)[0]
    return Snippet((Passage(_spans(cut, 0, len(cut), ()), cut_after=True),))


def snippet(text: str, terms: frozenset[str], chars: int = SNIPPET_CHARS) -> Snippet:
    """Up to two passages around the hits (or the text's opening)."""
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
    passages = []
    for start, end in fragments:
        # The excerpt less the white space at its ends.
        excerpt = text[start:end]
        first = start + len(excerpt) - len(excerpt.lstrip())
        last = end - (len(excerpt) - len(excerpt.rstrip()))
        passages.append(Passage(_spans(text, first, last, spans), first,
                                cut_before=start > 0, cut_after=end < len(text)))
    return Snippet(tuple(passages))
