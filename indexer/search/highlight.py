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
STEM_TAIL = 2  # how many last letters of a stem may be missing from the word it came from


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a passage: one of the query's words (`hit`) or the text between them."""

    text: str
    hit: bool = False


@dataclass(frozen=True, slots=True)
class Passage:
    """One excerpt of a text as spans: `text[start:start + len(excerpt)]`, where `cut_before`
    and `cut_after` say whether the source text goes on (more than white space) before or
    after it."""

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

    Porter stemming only removes endings or rewrites the last letters of a word, and of what
    it writes at most two letters are not in the word ("sensibility" -> "sensible" before its
    "e" goes, the rule "biliti" -> "ble"), so a word stems to `t` only if it starts with `t`
    less its last `STEM_TAIL` letters (`tests/test_highlight.py` checks this on every word of
    the fixtures).
    The pattern runs over lower-cased text and starts with the letters themselves, so the regex
    engine can jump between their occurrences; whether a match starts where the index's
    tokenizer starts a token is checked later, on the few exact matches (`_starts_token`).
    """
    bare = {t.removeprefix(AS_WRITTEN) for t in terms}
    prefixes = sorted({t[: max(1, len(t) - STEM_TAIL)] for t in bare}, key=len, reverse=True)
    alternatives = "|".join(re.escape(p) for p in prefixes)
    return re.compile(rf"(?:{alternatives})[\w*]*(?:\.?[\w*]+)*")


@lru_cache(maxsize=4096)
def _exact(words: frozenset[str]) -> re.Pattern[str]:
    """`words` (lower case, as written), each ending where the tokenizer ends a token."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?:{alternatives})(?![\w*])(?!\.[\w*])")


_TOKEN_CHAR = re.compile(r"[\w*]")


def _starts_token(text: str, i: int) -> bool:
    """Whether the tokenizer starts a token at `i`: not after a word character, nor after a
    dot that follows one (it keeps "e.g" and "x.y" as one token)."""
    if i == 0:
        return True
    if _TOKEN_CHAR.match(text, i - 1):
        return False
    return not (text[i - 1] == "." and i >= 2 and _TOKEN_CHAR.match(text, i - 2))


def match_spans(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """Character spans of the words in `text` whose indexed form is one of `terms`, and of
    the phrases among `terms` where they occur.

    One scan of the lower-cased text finds the candidate words; each distinct one is stemmed
    once; a second scan for the words that matched gives their places (the per-occurrence
    work stays in the regex engine). A phrase is checked only where its first word stands,
    by reading the tokens that follow."""
    words, phrases = _split(terms)
    firsts = frozenset(p[0] for p in phrases)
    if not words and not firsts:
        return []
    low = text.lower()
    if len(low) != len(text):  # a rare character whose lower case is longer: the plain way
        return match_spans_reference(text, terms)
    found = {w for w in set(_candidates(words | firsts).findall(low))
             if _is_hit(w, words) or stem_word(w) in firsts}
    if not found:
        return []
    tokens = [(m.start(), m.end(), m.group()) for m in _exact(frozenset(found)).finditer(low)
              if _starts_token(low, m.start())]
    spans = {(s, e) for s, e, w in tokens if _is_hit(w, words)}
    for phrase in phrases:
        starts = [(s, e) for s, e, w in tokens if _kept(w) and stem_word(w) == phrase[0]]
        for s, e in starts:
            spans.update(_phrase_at(low, s, e, phrase))
    return sorted(spans)


def _kept(word: str) -> bool:
    """Whether the index keeps a (lower-case) token: not a stop word, at least two letters."""
    return len(word) >= 2 and word not in STOP_WORDS


def _phrase_at(low: str, start: int, end: int, phrase: tuple[str, ...]
               ) -> list[tuple[int, int]]:
    """The spans of `phrase` starting with the token at `start`..`end`, or [] when the kept
    tokens that follow it are not the phrase's other words."""
    run = [(start, end)]
    if len(phrase) > 1:
        for m in default_pattern.finditer(low, end):
            w = m.group()
            if not _kept(w):
                continue
            if stem_word(w) != phrase[len(run)]:
                return []
            run.append(m.span())
            if len(run) == len(phrase):
                break
    return run if len(run) == len(phrase) else []


def _split(terms: frozenset[str]) -> tuple[frozenset[str], list[tuple[str, ...]]]:
    words = frozenset(t for t in terms if not t.startswith(PHRASE))
    phrases = [tuple(t[len(PHRASE):].split()) for t in terms if t.startswith(PHRASE)]
    return words, [p for p in phrases if p]


def _is_hit(lower: str, terms: frozenset[str]) -> bool:
    return stem_word(lower) in terms or AS_WRITTEN + lower in terms


def match_spans_reference(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """The same by tokenising everything (the definition `match_spans` is tested against)."""
    words, phrases = _split(terms)
    kept = []
    found = set()
    for m in default_pattern.finditer(text):
        w = m.group().lower()
        if stem_word(w) in words or AS_WRITTEN + w in words:
            found.add(m.span())
        if len(w) >= 2 and w not in STOP_WORDS:
            kept.append((m.span(), stem_word(w)))
    for phrase in phrases:
        k = len(phrase)
        for i in range(len(kept) - k + 1):
            if all(kept[i + j][1] == phrase[j] for j in range(k)):
                found.update(span for span, _ in kept[i:i + k])
    return sorted(found)


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
                                cut_before=bool(text[:start].strip()),
                                cut_after=bool(text[end:].strip())))
    return Snippet(tuple(passages))
