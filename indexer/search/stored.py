"""The stored fields of a build's documents, read straight from each segment.

Whoosh's `stored_fields` goes through the multi-segment reader and then re-checks every stored
field against the schema (for fields dropped from a schema after a segment was written, which
never happens within a build). A results page reads 20 documents, so those checks cost about as
much as the reads; here a document number maps to its segment by bisection and the segment's
stored record is returned as written.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any


class StoredFields:
    """Stored-field reader over the segments of one open searcher."""

    def __init__(self, reader: Any) -> None:
        leaves = reader.leaf_readers()
        self._offsets = [offset for _, offset in leaves]
        # A segment's per-document reader, or the segment reader itself for another reader kind.
        self._readers = [getattr(leaf, "_perdoc", leaf) for leaf, _ in leaves]

    def get(self, docnum: int) -> dict[str, Any]:
        i = bisect_right(self._offsets, docnum) - 1
        fields: dict[str, Any] | None = self._readers[i].stored_fields(docnum - self._offsets[i])
        return fields or {}
