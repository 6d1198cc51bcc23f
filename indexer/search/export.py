"""Every match of a search, in the search's order, as a stream of sections (for exports).

`stream(archive, req)` returns the number of matches and a generator of their `Section`s. The
match set is the engine's own (the same documents and order as paging through
`Archive.search`); stored fields are loaded `CHUNK` documents at a time, so memory stays flat
however large the result set. The generator holds the build it started with open until it is
exhausted or closed, so a rebuild swapped in mid-download never cuts an export short.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from indexer.model import Section
from indexer.search.budget import Deadline
from indexer.search.engine import Archive, _collect, _Generation
from indexer.search.request import SearchRequest
from indexer.store import from_stored

CHUNK = 200  # stored documents loaded per step


def _order(archive: Archive, gen: _Generation, rd: Any, req: SearchRequest,
           deadline: Deadline) -> np.ndarray:
    """Document numbers of every match, in the order `Archive.search` pages through them."""
    m = archive.matches(gen, rd, req, deadline)
    sort = req.effective_sort
    if sort == "relevance" and m.q is not None:
        if m.scores is not None:
            # Highest score first, then lowest document number: the collector's order.
            order: np.ndarray = m.docs[np.lexsort((m.docs, -m.scores[m.keep]))]
            return order
        allow = None if len(m.docs) == len(m.matched) else set(m.docs.tolist())
        hits = _collect(rd.searcher, m.q, None, deadline, allow)
        return np.fromiter((h.docnum for h in hits), dtype=np.int64, count=len(hits))
    return Archive._chronological(gen.columns, m.docs, newest=sort != "oldest")


def count(archive: Archive, req: SearchRequest) -> int:
    """How many sections the request matches (raises `QueryProblem` or `SearchTooBroad` like
    a search)."""
    deadline = archive.deadline()
    with archive._using() as gen, gen.reader() as rd:
        return len(archive.matches(gen, rd, req, deadline).docs)


def stream(archive: Archive, req: SearchRequest, chunk: int = CHUNK) -> Iterator[Section]:
    """Every section the request matches, in its order (its page and per_page are ignored).

    The query is checked before this returns a generator's first item: call `count` first to
    turn a bad query into a `QueryProblem` before a response has started.
    """
    with archive._using() as gen:
        with gen.reader() as rd:
            docs = _order(archive, gen, rd, req, archive.deadline())
        for start in range(0, len(docs), chunk):
            # A reader is never held across a `yield`: the next step may run on another thread.
            with gen.reader() as rd:
                stored = [rd.searcher.stored_fields(int(d)) for d in docs[start:start + chunk]]
            for fields in stored:
                yield from_stored(fields)
