"""Facet lists built from per-build ranks (`indexer.search.facet_lists`) list exactly what sorting
each facet's values with the facet's own declared keys lists (the oracle: Python's stable sort
with `Facet.sort_key`, or count then name for `by_count` facets), with labels from
`Facet.value_label`; values chosen but absent from the build sort in among them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from indexer.schema import FACETS
from indexer.search.engine import Archive, FacetCount
from indexer.search.facet_lists import FacetLists
from indexer.search.request import SearchRequest


def oracle(vocab: list[str], counts: np.ndarray, chosen: set[int], absent: list[str],
           facet: object) -> list[FacetCount]:
    f = facet
    values = [FacetCount(v, f.value_label(v), int(counts[i]), i in chosen)  # type: ignore[attr-defined]
              for i, v in enumerate(vocab) if v and (counts[i] or i in chosen)]
    values += [FacetCount(v, f.value_label(v), 0, True) for v in absent]  # type: ignore[attr-defined]
    if f.by_count:  # type: ignore[attr-defined]
        return sorted(values, key=lambda v: (-v.count, v.value.lower()))
    return sorted(values, key=lambda v: f.sort_key(v.value))  # type: ignore[attr-defined]


@pytest.mark.parametrize("seed", range(6))
def test_lists_equal_sorting_by_the_facets_own_keys(seed: int) -> None:
    rng = np.random.default_rng(seed)
    # Vocabularies with ties in lower case ("kent"/"Kent"), the empty value, unknown values.
    vocab = {f.name: sorted({"", "Kent", "kent", "Good", "good", "2016", "2018/19", "b", "A",
                             *f.known[:5], *(f"v{rng.integers(50)}" for _ in range(8))})
             for f in FACETS}
    lists = FacetLists(vocab)
    counts, selected, absent = {}, {}, {}
    for f in FACETS:
        n = len(vocab[f.name])
        # Few distinct counts, so that ties by count are common.
        counts[f.name] = rng.integers(0, 3, n) * rng.integers(0, 2, n)
        selected[f.name] = np.array(sorted(set(rng.integers(0, n, 2).tolist())), dtype=np.int32)
        absent[f.name] = ["Zeta absent", "alpha absent"] if seed % 2 else []
    got = lists.lists(FacetCount, counts, selected, absent)
    for f in FACETS:
        want = oracle(vocab[f.name], counts[f.name], set(selected[f.name].tolist()),
                      absent[f.name], f)
        assert got[f.name] == want, f.name


def test_a_search_lists_facets_in_the_facets_order(archive_index: Path) -> None:
    archive = Archive(archive_index)
    cols = archive._generation().columns
    for req in (SearchRequest(), SearchRequest(q="force demand"),
                SearchRequest(q="force", filters={"grade": ("Good", "Inadequate")})):
        result = archive.search(req)
        for f in FACETS:
            counts = np.zeros(len(cols.vocab[f.name]), dtype=np.int64)
            chosen = set()
            for v in result.facets[f.name]:
                if v.value in cols.vocab[f.name]:
                    counts[cols.vocab[f.name].index(v.value)] = v.count
                    if v.selected:
                        chosen.add(cols.vocab[f.name].index(v.value))
            absent = [v.value for v in result.facets[f.name] if v.value not in cols.vocab[f.name]]
            assert result.facets[f.name] == oracle(cols.vocab[f.name], counts, chosen, absent, f)
    archive.close()
