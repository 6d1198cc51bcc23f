"""The text analysis of the index: Whoosh's StemmingAnalyzer, fused into one loop.

`StemmingAnalyzer()` is a chain of generators (regex tokenizer → lower case → stop words with
renumbered positions → cached Porter stemmer) that costs about a third of a build. This
analyzer does the same steps in one loop and yields exactly the same tokens (a test compares
them over generated text and every option), so queries, stored positions and scores are
unchanged. It is pickled into the index's schema, so the index names this module.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis.acore import Composable, Token
from whoosh.analysis.filters import STOP_WORDS
from whoosh.analysis.tokenizers import default_pattern
from whoosh.formats import Frequency, Positions
from whoosh.lang.porter import stem
from whoosh.system import _INT_SIZE
from whoosh.system import pack_uint as _pack_uint

# Whoosh is untyped; its packer is `struct.Struct(">I").pack`.
pack_uint: Callable[[int], bytes] = _pack_uint


@lru_cache(maxsize=200_000)
def stem_word(word: str) -> str:
    """A lower-case word's Porter stem, cached."""
    return str(stem(word))


class FastStemmingAnalyzer(Composable):  # type: ignore[misc]
    """Tokens identical to `whoosh.analysis.StemmingAnalyzer()` (default arguments)."""

    is_morph = True

    def __init__(self, stoplist: frozenset[str] = STOP_WORDS, minsize: int = 2) -> None:
        self.stoplist = frozenset(stoplist)
        self.minsize = minsize

    def __eq__(self, other: object) -> bool:
        return (type(other) is type(self) and self.stoplist == other.stoplist
                and self.minsize == other.minsize)

    def __hash__(self) -> int:
        return hash((FastStemmingAnalyzer, self.minsize))

    def has_morph(self) -> bool:
        return True

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        no_morph: bool = False,
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        stops = self.stoplist
        minsize = self.minsize
        renumbered: int | None = None
        if tokenize:
            matches = default_pattern.finditer(value)
            pieces: Any = ((m.group(0), m.start(), m.end()) for m in matches)
        else:
            pieces = [(value, 0, len(value))]
        for index, (raw, start, end) in enumerate(pieces):
            t.boost = 1.0
            t.stopped = False
            if keeporiginal or not tokenize:
                t.original = raw
            if positions:
                t.pos = start_pos + index
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            text = raw.lower()
            if len(text) >= minsize and text not in stops:
                if positions:  # StopFilter(renumber=True): stop words take no position
                    if renumbered is None:
                        renumbered = t.pos
                    else:
                        renumbered += 1
                        t.pos = renumbered
                t.text = text if no_morph else stem_word(text)
                yield t
            elif not removestops:
                t.stopped = True
                t.text = text
                yield t


class FastWordAnalyzer(FastStemmingAnalyzer):
    """The same tokens as `FastStemmingAnalyzer`, left as written (lower case, no stem).

    It feeds the index's `words` field: the vocabulary that wildcards, fuzzy terms,
    suggestions and autocomplete work over, so `communit*` means words that start with
    "communit" rather than stems that do.
    """

    is_morph = False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FastWordAnalyzer) and super().__eq__(other)

    def __hash__(self) -> int:
        return hash((FastWordAnalyzer, self.minsize))

    def has_morph(self) -> bool:
        return False

    # Takes the parent's flags as keywords only (how Whoosh calls an analyser).
    def __call__(self, value: str, **kwargs: Any) -> Iterator[Token]:  # type: ignore[override]
        kwargs["no_morph"] = True
        return super().__call__(value, **kwargs)


def _positions_by_term(value: str, stops: frozenset[str], minsize: int) -> dict[str, list[int]]:
    """Each stem's renumbered positions in `value`: `FastStemmingAnalyzer(value,
    positions=True)` without building tokens."""
    found: dict[str, list[int]] = {}
    pos: int | None = None  # the first kept word keeps its place; later ones follow it
    for index, match in enumerate(default_pattern.finditer(value)):
        text = match.group(0).lower()
        if len(text) >= minsize and text not in stops:
            pos = index if pos is None else pos + 1
            stemmed = stem_word(text)
            if stemmed in found:
                found[stemmed].append(pos)
            else:
                found[stemmed] = [pos]
    return found


class FastPositions(Positions):  # type: ignore[misc]
    """Whoosh's Positions format, with positions stored as an array rather than a pickle.

    With `FastStemmingAnalyzer` on text it gathers positions in one pass; its postings (term,
    frequency, weight, positions) are those `Positions.word_values` gives (a test compares
    them). A value is Whoosh's header (the count, big-endian) followed by the position gaps
    as little-endian 32-bit integers, so a phrase search decodes thousands of values at once
    with NumPy instead of unpickling each.
    """

    def encode(self, poslist: list[int]) -> bytes:
        deltas = [b - a for a, b in zip([0, *poslist], poslist, strict=False)]
        return pack_uint(len(deltas)) + struct.pack(f"<{len(deltas)}I", *deltas)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        count = (len(valuestring) - _INT_SIZE) // 4
        position = 0
        positions = []
        for delta in struct.unpack_from(f"<{count}I", valuestring, _INT_SIZE):
            position += delta
            positions.append(position)
        return positions

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        if (not isinstance(value, str) or type(analyzer) is not FastStemmingAnalyzer
                or set(kwargs) - {"mode"}):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        fb = self.field_boost
        encode = self.encode
        for word, poslist in _positions_by_term(value, analyzer.stoplist,
                                                analyzer.minsize).items():
            if len(poslist) == 1:  # most words occur once in a section
                yield (word, 1, fb, _encode_single(poslist[0]))
            else:
                yield (word, len(poslist), float(len(poslist)) * fb, encode(poslist))


@lru_cache(maxsize=65_536)
def _encode_single(pos: int) -> bytes:
    """`FastPositions.encode([pos])`, cached."""
    return pack_uint(1) + struct.pack("<I", pos)


class FastFrequency(Frequency):  # type: ignore[misc]
    """Whoosh's Frequency format, counted in one pass for `FastWordAnalyzer` (the postings
    are those `Frequency.word_values` gives: word, count, count times the field boost)."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        if (not isinstance(value, str) or type(analyzer) is not FastWordAnalyzer
                or set(kwargs) - {"mode"}):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        stops, minsize = analyzer.stoplist, analyzer.minsize
        counts: dict[str, int] = {}
        for match in default_pattern.finditer(value):
            text = match.group(0).lower()
            if len(text) >= minsize and text not in stops:
                counts[text] = counts.get(text, 0) + 1
        fb = self.field_boost
        for word, n in counts.items():
            yield (word, n, float(n) * fb, pack_uint(n))
