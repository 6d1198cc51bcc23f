"""Browsing without words: the build's sections in date order, and the whole archive's counts,
computed once per build generation.

A browse (no query text) lists sections newest (or oldest) report first, sections in reading
order inside each report — the order `Archive` gives any match set. Sorting the whole archive
for every browse costs more than everything else the page does, and so does recounting every
facet over every section, though neither changes until a new build is swapped in. `BrowseOrder`
holds both orders as arrays of live document numbers; the engine masks them with the filters
(a masked sorted array stays sorted) and keeps the unfiltered facet counts once computed.

Browsing one facet's values (a force, a grade: the common case) needs no pass over the archive
at all: each order is kept grouped by that facet's value (computed on first use, per facet), and
the other facets' counts come from a joint count table of the two facets (value × value, also
computed once), summed over the selected values.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import numpy as np

T = TypeVar("T")


def chronological(chron: np.ndarray, position: np.ndarray, docs: np.ndarray,
                  newest: bool) -> np.ndarray:
    """`docs` ordered by report (newest or oldest first), then reading order, then document
    number (lexsort is stable)."""
    rank = chron[docs]
    order = np.lexsort((position[docs], -rank if newest else rank))
    result: np.ndarray = docs[order]
    return result


class BrowseOrder(Generic[T]):
    """Live documents of one build in both date orders, and a memo of the unfiltered counts."""

    def __init__(self, chron: np.ndarray, position: np.ndarray, live: np.ndarray) -> None:
        self.docs = np.flatnonzero(live)
        self.newest = chronological(chron, position, self.docs, newest=True)
        self.oldest = chronological(chron, position, self.docs, newest=False)
        self._counts: T | None = None
        self._lock = threading.Lock()
        self._grouped: dict[tuple[str, bool], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._joint: dict[tuple[str, str], np.ndarray] = {}

    def _memo(self, table: dict[Any, Any], key: Any, compute: Callable[[], Any]) -> Any:
        value = table.get(key)
        if value is None:
            with self._lock:
                value = table.get(key)
                if value is None:
                    value = table[key] = compute()
        return value

    def with_values(self, name: str, codes: dict[str, np.ndarray], chosen: np.ndarray,
                    newest: bool) -> np.ndarray:
        """Live documents whose facet `name` has one of the `chosen` codes, in date order."""

        def group() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            order = self.ordered(newest)
            keys = codes[name][order]
            by_value = np.argsort(keys, kind="stable")  # stable: date order within a value
            starts = np.searchsorted(keys[by_value], np.arange(len(keys) and keys.max() + 2))
            rank = np.empty(int(order.max()) + 1 if len(order) else 0, dtype=np.int64)
            rank[order] = np.arange(len(order))
            return order[by_value], starts, rank

        grouped, starts, rank = self._memo(self._grouped, (name, newest), group)
        parts = [grouped[starts[c]:starts[c + 1]] for c in chosen.tolist() if c + 1 < len(starts)]
        if not parts:
            return self.docs[:0]
        if len(parts) == 1:
            result: np.ndarray = parts[0]
            return result
        docs = np.concatenate(parts)
        merged: np.ndarray = docs[np.argsort(rank[docs], kind="stable")]
        return merged

    def counts_given(self, name: str, codes: dict[str, np.ndarray], chosen: np.ndarray
                     ) -> dict[str, np.ndarray]:
        """Every facet's counts over the live documents, each facet other than `name` counted
        among those whose `name` is one of `chosen` (the disjunctive counts of a browse
        filtered on one facet); `name` itself over all of them."""
        out: dict[str, np.ndarray] = {}
        for other, column in codes.items():

            def joint(other: str = other, column: np.ndarray = column) -> np.ndarray:
                mine = codes[name][self.docs].astype(np.int64)
                width = int(column.max()) + 1 if len(column) else 1
                height = int(mine.max()) + 1 if len(mine) else 1
                flat = np.bincount(mine * width + column[self.docs], minlength=height * width)
                table: np.ndarray = flat.reshape(height, width)
                return table

            table = self._memo(self._joint, (name, other), joint)
            if other == name:
                out[other] = table.sum(axis=1)
            else:
                rows = chosen[chosen < len(table)]
                out[other] = table[rows].sum(axis=0)
        return out

    def ordered(self, newest: bool) -> np.ndarray:
        return self.newest if newest else self.oldest

    def unfiltered_counts(self, compute: Callable[[], T]) -> T:
        """The whole archive's facet counts, computed on first use (they never change within
        a build; the result must not be mutated by the caller)."""
        counts = self._counts
        if counts is None:
            with self._lock:
                if self._counts is None:
                    self._counts = compute()
                counts = self._counts
        return counts
