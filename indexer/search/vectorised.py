"""Vectorised query evaluation: Whoosh's boolean term queries, scored with NumPy.

Whoosh walks posting lists one document at a time in Python, which dominates the cost of
common-term and multi-term queries. For queries built only of terms, ORs, ANDs and NOTs — what
the parser makes of plain words — this module reads each term's posting blocks as arrays and
computes the same match set and the same BM25F scores (same formula, same statistics) with
array operations. Anything else (phrases, wildcards, ranges) returns None and the caller uses
Whoosh's own matchers. A test checks that both ways give the same results.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence
from math import log
from typing import Any

import numpy as np
from whoosh import query
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.scoring import BM25F

from indexer.analysis import FastPositions
from indexer.whoosh_pin import pinned

Postings = tuple[np.ndarray, np.ndarray]  # (docnums int64 ascending, weights float64)
Scored = tuple[np.ndarray, np.ndarray]  # (docnums int64 ascending, scores float64)

_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_F = np.zeros(0, dtype=np.float64)


class TermIndex:
    """Posting arrays and length statistics of one build, for vectorised scoring."""

    def __init__(self, searcher: Any, fields: tuple[str, ...],
                 cache_bytes: int = 96 * 1024 * 1024, installed: str | None = None) -> None:
        # Posting blocks are read through W3LeafMatcher's private members: only over the
        # pinned Whoosh (`installed`, else the real one); otherwise `evaluate` declines every
        # query and Whoosh's own matchers answer it.
        self.uses_internals = pinned("Vectorised scoring (indexer/search/vectorised.py)",
                                     installed)
        self.searcher = searcher
        self.reader = searcher.reader()
        weighting = searcher.weighting
        if not isinstance(weighting, BM25F):
            raise TypeError("vectorised scoring implements BM25F only")
        self.B = weighting.B
        self.K1 = weighting.K1
        self.field_B = dict(getattr(weighting, "_field_B", {}))
        self.doc_count = self.reader.doc_count_all()
        self.lengths: dict[str, np.ndarray] = {}
        self.avg_length: dict[str, float] = {}
        for name in fields:
            self.lengths[name] = self._field_lengths(name)
            self.avg_length[name] = searcher.avg_field_length(name) or 1
        # Recently used terms' postings and decoded positions, bounded in memory (least
        # recently used go first).
        self._cache: OrderedDict[tuple[str, str], Postings] = OrderedDict()
        self._cache_bytes = cache_bytes
        self._cached_bytes = 0
        self._idf: dict[tuple[str, str], float] = {}  # a build's statistics never change

    def drop_caches(self) -> None:
        """Forget every cached posting list."""
        self._cache.clear()
        self._cached_bytes = 0
        self._idf.clear()

    def _field_lengths(self, name: str) -> np.ndarray:
        """Each document's (byte-quantised) field length, as Whoosh's scorer sees it."""
        out = np.ones(self.doc_count, dtype=np.float64)
        dfl = self.searcher.doc_field_length
        for doc in range(self.doc_count):
            out[doc] = dfl(doc, name, 1)
        return out

    def postings(self, fieldname: str, text: str) -> Postings:
        key = (fieldname, text)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        value = self._read_postings(fieldname, text)
        self._remember(key, value)
        return value

    def _remember(self, key: tuple[str, str], value: tuple[np.ndarray, ...]) -> None:
        """Cache arrays under `key`, dropping the least recently used beyond the budget."""
        size = sum(a.nbytes for a in value)
        if size <= self._cache_bytes // 4:
            self._cache[key] = value  # type: ignore[assignment]
            self._cached_bytes += size
            while self._cached_bytes > self._cache_bytes:
                _, old = self._cache.popitem(last=False)
                self._cached_bytes -= sum(a.nbytes for a in old)

    def _read_postings(self, fieldname: str, text: str) -> Postings:
        id_parts: list[np.ndarray] = []
        w_parts: list[np.ndarray] = []
        for ids, weights in self._blocks(fieldname, text, weights=True):
            id_parts.append(ids)
            w_parts.append(np.asarray(weights, dtype=np.float64))
        if not id_parts:
            return _EMPTY_IDS, _EMPTY_F
        return np.concatenate(id_parts), np.concatenate(w_parts)

    def _blocks(self, fieldname: str, text: str, weights: bool
                ) -> Iterator[tuple[np.ndarray, Sequence[Any]]]:
        """A term's postings across segments, a block at a time: the block's document numbers
        (made global) and its weights (`weights=True`) or raw values. Block-coded postings are
        read through W3LeafMatcher's arrays; inline postings (rare terms, or another codec) one
        by one. The caller copies a block before asking for the next (the arrays are reused)."""
        for leaf, offset in self.reader.leaf_readers():
            if (fieldname, text) not in leaf:
                continue
            m = _raw_matcher(leaf, fieldname, text)
            if isinstance(m, W3LeafMatcher):
                while m.is_active():
                    m._read_ids()
                    if weights:
                        m._read_weights()
                    else:
                        m._read_values()
                    second = m._weights if weights else m._values
                    yield np.asarray(m._ids, dtype=np.int64) + offset, second
                    m._next_block()
            else:
                ids: list[int] = []
                seconds: list[Any] = []
                while m.is_active():
                    ids.append(m.id())
                    seconds.append(m.weight() if weights else m.value())
                    m.next()
                yield np.asarray(ids, dtype=np.int64) + offset, seconds

    def idf(self, fieldname: str, text: str) -> float:
        key = (fieldname, text)
        value = self._idf.get(key)
        if value is None:
            n = self.reader.doc_frequency(fieldname, text)
            value = self._idf[key] = log(self.doc_count / (n + 1)) + 1
        return value

    # -- evaluation --------------------------------------------------------------------------

    def evaluate(self, q: query.Query) -> Scored | None:
        """Match set and scores of `q`, or None when `q` is not a plain boolean term query
        (or the installed Whoosh is not the pinned one)."""
        if not self.uses_internals or not _supported(q):
            return None
        return self._eval(q)

    def _eval(self, q: query.Query) -> Scored:
        if isinstance(q, query.Term):
            return self._term(q)
        if isinstance(q, query.And):
            positives = [s for s in q.subqueries if not isinstance(s, query.Not)]
            negatives = [s.query for s in q.subqueries if isinstance(s, query.Not)]
            ids, scores = _intersect_all([self._eval(s) for s in positives])
            for neg in negatives:
                neg_ids, _ = self._eval(neg)
                keep = ~np.isin(ids, neg_ids, assume_unique=True)
                # Whoosh intersects with an inverse matcher whose score is a constant 1.0.
                ids, scores = ids[keep], scores[keep] + 1.0
            return ids, _boost(scores, q.boost)
        if isinstance(q, query.Or):
            ids, scores = _tree(_union, [self._eval(s) for s in q.subqueries])
            return ids, _boost(scores, q.boost)
        if isinstance(q, query.Phrase):
            return self._phrase(q)
        raise TypeError(type(q).__name__)  # excluded by _supported

    def _term(self, q: query.Term) -> Scored:
        fieldname = q.fieldname
        text = q.text if isinstance(q.text, str) else q.text.decode("utf-8")
        ids, weights = self.postings(fieldname, text)
        if not len(ids):
            return ids, weights
        if fieldname in self.lengths:
            fl = self.lengths[fieldname][ids]
            B = self.field_B.get(fieldname, self.B)
            K1 = self.K1
            idf = self.idf(fieldname, text)
            # Whoosh's bm25(), in the same order of operations.
            scores = idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * fl /
                                                                     self.avg_length[fieldname])))
        else:
            scores = weights.copy()
        return ids, _boost(scores, q.boost)


    def _phrase(self, q: query.Phrase) -> Scored:
        """Documents where the words stand at consecutive positions (Whoosh's SpanNear2 with
        slop 1, as Phrase uses), scored as the sum of the words' term scores."""
        words = [w if isinstance(w, str) else w.decode("utf-8") for w in q.words]
        per_word = [self._term(query.Term(q.fieldname, w)) for w in words]
        if any(not len(ids) for ids, _ in per_word):
            return _EMPTY_IDS, _EMPTY_F
        ids, scores = _tree(_intersect, per_word)
        if len(words) > 1 and len(ids):
            shift = np.int64(1 << 24)
            keys: np.ndarray | None = None
            found = ids
            # Rarest words first: each step keeps only documents still holding the phrase so
            # far, so common words' positions are decoded for few documents.
            order = sorted(range(len(words)), key=lambda k: len(per_word[k][0]))
            for k in order:
                docs, positions = self._positions(q.fieldname, words[k], found)
                # Ascending already: documents in order, positions in order within each.
                word_keys = docs * shift + (positions - k)
                keys = word_keys if keys is None else _sorted_common(keys, word_keys)
                found = keys // shift
                if len(found):
                    found = found[np.concatenate(([True], found[1:] != found[:-1]))]
                if not len(found):
                    break
            keep = np.isin(ids, found, assume_unique=True)
            ids, scores = ids[keep], scores[keep]
        return ids, _boost(scores, q.boost)

    def _positions(self, fieldname: str, text: str, docs: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
        """(doc, position) pairs of a term, for the given sorted documents only."""
        term_docs, starts, positions = self.term_positions(fieldname, text)
        if not len(term_docs) or not len(docs):
            return _EMPTY_IDS, _EMPTY_IDS
        at = np.minimum(np.searchsorted(term_docs, docs), len(term_docs) - 1)
        hit = term_docs[at] == docs
        picked = at[hit]
        counts = starts[picked + 1] - starts[picked]
        firsts = np.cumsum(counts) - counts
        index = np.arange(int(counts.sum()), dtype=np.int64) + np.repeat(starts[picked] - firsts,
                                                                         counts)
        return np.repeat(docs[hit], counts), positions[index]

    def term_positions(self, fieldname: str, text: str
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every position of a term, decoded once and cached with the postings: (documents
        ascending, offsets into the positions (one more than the documents), positions)."""
        key = ("\x00positions", fieldname + "\x00" + text)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit  # type: ignore[return-value]
        value = self._read_positions(fieldname, text)
        self._remember(key, value)
        return value

    def _read_positions(self, fieldname: str, text: str
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if not isinstance(self.searcher.schema[fieldname].format, FastPositions):
            raise TypeError("vectorised phrases need the FastPositions format")
        doc_parts: list[np.ndarray] = []
        values: list[bytes] = []
        for ids, block_values in self._blocks(fieldname, text, weights=False):
            doc_parts.append(ids)
            values.extend(block_values)
        if not values:
            return _EMPTY_IDS, np.zeros(1, dtype=np.int64), _EMPTY_IDS
        counts, positions = _decode_positions(values)
        starts = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        return np.concatenate(doc_parts), starts, positions.astype(np.int32)


def _raw_matcher(leaf: Any, fieldname: str, text: str) -> Any:
    """A segment's matcher for a term without Whoosh's deleted-documents filter (a per-document
    Python wrapper). Deleted documents are dropped by the caller, by the build's live mask."""
    deleted = getattr(leaf, "deleted_docs_set", None)
    if deleted and hasattr(leaf, "_terms"):
        btext = leaf._text_to_bytes(fieldname, text)
        return leaf._terms.matcher(fieldname, btext, leaf.schema[fieldname].format)
    return leaf.postings(fieldname, text)


def _decode_positions(values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """FastPositions values, one per document: (positions per value, all positions)."""
    # Each value: a 4-byte header, then its position gaps as little-endian uint32.
    words = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) // 4
    flat = np.frombuffer(b"".join(values), dtype="<u4").astype(np.int64)
    headers = np.cumsum(words) - words
    body = np.ones(len(flat), dtype=bool)
    body[headers] = False
    deltas = flat[body]
    counts = words - 1
    running = np.cumsum(deltas)
    firsts = np.cumsum(counts) - counts
    before = np.repeat(running[firsts] - deltas[firsts], counts)
    return counts, running - before


def _supported(q: query.Query) -> bool:
    if isinstance(q, query.Term):
        return True
    if isinstance(q, query.Phrase):
        return q.slop == 1 and len(q.words) > 0
    if isinstance(q, query.And):
        subs = q.subqueries
        return (any(not isinstance(s, query.Not) for s in subs)
                and all(_supported(s.query if isinstance(s, query.Not) else s) for s in subs))
    if type(q) is query.Or:  # not DisjunctionMax, Ordered, or a minmatch/scaled Or
        return not q.minmatch and not q.scale and all(_supported(s) for s in q.subqueries)
    return False


def _boost(scores: np.ndarray, boost: float) -> np.ndarray:
    return scores * boost if boost != 1.0 else scores


def _tree(fn: Any, items: list[Scored]) -> Scored:
    """Combine like Whoosh's make_binary_tree, so scores add up in the same order."""
    if len(items) == 1:
        return items[0]
    half = len(items) // 2
    result: Scored = fn(_tree(fn, items[:half]), _tree(fn, items[half:]))
    return result


def _union(a: Scored, b: Scored) -> Scored:
    # Both sides ascending: a stable sort of the two runs is a merge (no hashing, as union1d).
    ids = np.concatenate((a[0], b[0]))
    ids.sort(kind="stable")
    if len(ids) > 1:
        ids = ids[np.concatenate(([True], ids[1:] != ids[:-1]))]
    # A document in one side only gets that side's score: x + 0.0 == x exactly.
    scores = np.zeros(len(ids), dtype=np.float64)
    scores[np.searchsorted(ids, a[0])] = a[1]
    other = np.zeros(len(ids), dtype=np.float64)
    other[np.searchsorted(ids, b[0])] = b[1]
    return ids, scores + other


def _sorted_common(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Values in both of two ascending arrays (binary search, no re-sorting)."""
    if not len(a) or not len(b):
        return a[:0]
    at = np.minimum(np.searchsorted(b, a), len(b) - 1)
    result: np.ndarray = a[b[at] == a]
    return result


def _intersect(a: Scored, b: Scored) -> Scored:
    if not len(a[0]) or not len(b[0]):
        return _EMPTY_IDS, _EMPTY_F
    at = np.minimum(np.searchsorted(b[0], a[0]), len(b[0]) - 1)
    hit = b[0][at] == a[0]
    # IEEE addition is commutative, so a + b scores exactly as b + a.
    return a[0][hit], a[1][hit] + b[1][at[hit]]


def _intersect_all(items: list[Scored]) -> Scored:
    if len(items) == 1:
        return items[0]
    # Smallest first keeps the intermediate sets small.
    ordered = sorted(items, key=lambda s: len(s[0]))
    result = ordered[0]
    for other in ordered[1:]:
        result = _intersect(result, other)
    return result
