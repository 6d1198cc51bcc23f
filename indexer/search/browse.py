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
computed once), summed over the selected values. Browsing several facets starts from one
facet's per-value order and masks it with the others (a few hundred documents, not the archive).

Everything here is derived from the build alone (no query's answer is kept), is computed when
the build is warmed before it serves, and is shared read-only by the pool's threads.
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
        for array in (self.docs, self.newest, self.oldest):
            array.flags.writeable = False  # shared by every search of the build
        self._counts: T | None = None
        self._lock = threading.Lock()
        self._grouped: dict[tuple[str, bool], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._joint: dict[tuple[str, str | None], np.ndarray] = {}

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
            grouped = order[by_value]
            grouped.flags.writeable = False  # slices of it are handed out
            return grouped, starts, rank

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

    def _table(self, name: str, other: str, codes: dict[str, np.ndarray]) -> np.ndarray:
        """Joint counts of the live documents: rows `name`'s codes, columns `other`'s."""

        def joint() -> np.ndarray:
            mine = codes[name][self.docs].astype(np.int64)
            width = self._width(codes[other])
            height = self._width(codes[name])
            flat = np.bincount(mine * width + codes[other][self.docs], minlength=height * width)
            table: np.ndarray = flat.reshape(height, width)
            return table

        table: np.ndarray = self._memo(self._joint, (name, other), joint)
        return table

    def _count(self, name: str, codes: dict[str, np.ndarray]) -> np.ndarray:
        """Counts of facet `name`'s codes over the live documents (one per code)."""

        def count() -> np.ndarray:
            column = codes[name]
            counts = np.bincount(column[self.docs], minlength=self._width(column))
            counts.flags.writeable = False  # handed out as a facet's counts
            return counts

        counts: np.ndarray = self._memo(self._joint, (name, None), count)
        return counts

    @staticmethod
    def _width(column: np.ndarray) -> int:
        # Codes number the values of every document, deleted ones included.
        return int(column.max()) + 1 if len(column) else 1

    def counts_given(self, name: str, codes: dict[str, np.ndarray], chosen: np.ndarray
                     ) -> dict[str, np.ndarray]:
        """Every facet's counts over the live documents, each facet other than `name` counted
        among those whose `name` is one of `chosen` (the disjunctive counts of a browse
        filtered on one facet); `name` itself over all of them."""
        out: dict[str, np.ndarray] = {}
        for other in codes:
            if other == name:
                out[other] = self._count(name, codes)
            else:
                table = self._table(name, other, codes)
                out[other] = table[chosen[chosen < len(table)]].sum(axis=0)
        return out

    def all_counts(self, codes: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Every facet's counts over every live document."""
        return {name: self._count(name, codes) for name in codes}

    def prepare(self, codes: dict[str, np.ndarray]) -> None:
        """Compute every per-value order and joint count table now (when the build is warmed),
        so that no browse pays for first use."""
        for name in codes:
            for newest in (True, False):
                self.with_values(name, codes, np.zeros(0, dtype=np.int32), newest)
            self.counts_given(name, codes, np.zeros(0, dtype=np.int32))

    def select(self, codes: dict[str, np.ndarray], selected: dict[str, np.ndarray],
               newest: bool) -> tuple[np.ndarray, dict[str, np.ndarray] | None]:
        """The live documents a browse filtered by `selected` (facet -> codes) keeps, in date
        order, and each facet's disjunctive counts (every facet counted over the documents the
        *other* facets' selections keep); None for the counts when nothing is selected (the
        caller keeps the whole archive's counts, `unfiltered_counts`)."""
        if not selected:
            return self.ordered(newest), None
        if len(selected) == 1:
            ((name, chosen),) = selected.items()
            return (self.with_values(name, codes, chosen, newest),
                    self.counts_given(name, codes, chosen))

        def within(names: list[str]) -> np.ndarray:
            # Start from the facet selecting fewest documents; mask by the others (the mask
            # keeps the date order).
            first = min(names, key=lambda n: self.selected_count(n, codes, selected[n]))
            docs = self.with_values(first, codes, selected[first], newest)
            for other in names:
                if other != first and len(docs):
                    docs = docs[np.isin(codes[other][docs], selected[other])]
            return docs

        names = list(selected)
        docs = within(names)
        counts: dict[str, np.ndarray] = {}
        for name, column in codes.items():
            over = within([n for n in names if n != name]) if name in selected else docs
            counts[name] = np.bincount(column[over], minlength=len(self._count(name, codes)))
        return docs, counts

    def selected_count(self, name: str, codes: dict[str, np.ndarray], chosen: np.ndarray
                       ) -> int:
        """How many live documents have one of the `chosen` codes of facet `name`."""
        counts = self._count(name, codes)
        return int(counts[chosen[chosen < len(counts)]].sum())

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
