"""The sidebar's facet lists of one build, from count arrays, without per-value Python sorting.

A result page lists, for every facet, the values counted (or chosen) with their labels, in the
facet's order: its `sort_key`, or by count then name for `by_count` facets. Labels and each
value's place in those orders depend only on the build's vocabulary, so they are worked out once
per build here; a page then picks the values to show and orders them with one `lexsort` over a
few array entries. The result equals sorting the values with the facet's own keys: ties keep
vocabulary order (the sorts it replaces were stable over values in vocabulary order). A value
chosen but held by no section (`absent`) is not in the vocabulary: a facet with one is listed by
the facet's own keys.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import numpy as np

from indexer.schema import FACETS, Facet

T = TypeVar("T")
# FacetCount(value, label, count, selected), passed in by the engine that defines it.
Make = Callable[[str, str, int, bool], T]


def _dense_rank(keys: list[Any]) -> np.ndarray:
    """Each key's rank among the distinct keys (equal keys share a rank)."""
    distinct = sorted(set(keys))
    index = {k: i for i, k in enumerate(distinct)}
    return np.array([index[k] for k in keys], dtype=np.int64)


class FacetLists:
    """Labels and orders of every facet's values in one build's vocabulary."""

    def __init__(self, vocab: Mapping[str, list[str]]) -> None:
        self.vocab = vocab
        self.labels = {f.name: [f.value_label(v) for v in vocab[f.name]] for f in FACETS}
        # by_count facets: the tie-break by name in lower case; others: the facet's sort key.
        self.rank = {
            f.name: _dense_rank([v.lower() if f.by_count else f.sort_key(v)
                                 for v in vocab[f.name]])
            for f in FACETS
        }
        self.empty = {f.name: vocab[f.name].index("") if "" in vocab[f.name] else -1
                      for f in FACETS}

    def lists(self, make: Make[T], counts: Mapping[str, np.ndarray],
              selected: Mapping[str, np.ndarray], absent: Mapping[str, list[str]]
              ) -> dict[str, list[T]]:
        """Each facet's values as listed: those counted or chosen, in the facet's order."""
        return {f.name: self._one(f, make, counts[f.name], selected.get(f.name),
                                  absent.get(f.name, []))
                for f in FACETS}

    def _one(self, facet: Facet, make: Make[T], counts: np.ndarray, chosen: np.ndarray | None,
             absent: list[str]) -> list[T]:
        name = facet.name
        show = counts > 0
        if chosen is not None and len(chosen):
            show[chosen] = True
        if self.empty[name] >= 0:
            show[self.empty[name]] = False
        codes = np.flatnonzero(show)
        shown = counts[codes]
        rank = self.rank[name][codes]
        order = np.lexsort((codes, rank, -shown) if facet.by_count else (codes, rank))
        picked = set(chosen.tolist()) if chosen is not None else set()
        vocab, labels = self.vocab[name], self.labels[name]
        out = [make(vocab[c], labels[c], n, c in picked)
               for c, n in zip(codes[order].tolist(), shown[order].tolist(), strict=True)]
        if absent:
            out += [make(v, facet.value_label(v), 0, True) for v in absent]
            if facet.by_count:
                out.sort(key=lambda v: (-v.count, v.value.lower()))  # type: ignore[attr-defined]
            else:
                out.sort(key=lambda v: facet.sort_key(v.value))  # type: ignore[attr-defined]
        return out
