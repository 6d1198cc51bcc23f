"""Faster index writing with Whoosh's own segment writer (whoosh-reloaded 2.7.5, pinned).

When Whoosh flushes a segment it asks the per-document reader for a document's field length
once for every posting — a column read each time, about a fifth of the build. `patch()`
makes the flush read each field's lengths once into a list and answer from it. The values
are those Whoosh would have read, so the index written is the same
(`tests/test_whoosh_pin.py` compares a patched build with an unpatched one, value by value).

The patch replaces a private method, so it is installed only over the pinned Whoosh
(`indexer.whoosh_pin`); over any other version the build writes with Whoosh's own flush.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from whoosh import writing

from indexer.whoosh_pin import pinned

_ORIGINAL = writing.SegmentWriter._flush_segment
_held_off = 0  # inside `unpatched()`


class _Lengths:
    """A per-document reader's `doc_field_length`, read once per field."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._count = reader.doc_count_all()
        self._by_field: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        try:
            return self._by_field[fieldname][docnum]
        except KeyError:
            dfl = self._reader.doc_field_length
            self._by_field[fieldname] = [dfl(d, fieldname, 0) for d in range(self._count)]
            return self._by_field[fieldname][docnum]


def _flush_segment(self: Any) -> None:
    # Whoosh 2.7.5's SegmentWriter._flush_segment, with the lengths read once per field.
    self.perdocwriter.close()
    pdr = self.per_document_reader() if self.codec.length_stats else None
    postings = self.pool.iter_postings()
    self.fieldwriter.add_postings(self.schema, _Lengths(pdr) if pdr else None, postings)
    self.fieldwriter.close()
    if pdr:
        pdr.close()


def patch(installed: str | None = None) -> bool:
    """Install the faster flush (idempotent); True when it is installed.

    Not installed (Whoosh's own flush is kept) inside `unpatched()`, or when the installed
    Whoosh (`installed`, else the real one) is not the pinned version.
    """
    if _held_off or not pinned("The faster segment flush (indexer/fastwrite.py)", installed):
        writing.SegmentWriter._flush_segment = _ORIGINAL
        return False
    writing.SegmentWriter._flush_segment = _flush_segment
    return True


@contextlib.contextmanager
def unpatched() -> Iterator[None]:
    """Builds made inside write with Whoosh's own flush (to compare the two)."""
    global _held_off
    _held_off += 1
    writing.SegmentWriter._flush_segment = _ORIGINAL
    try:
        yield
    finally:
        _held_off -= 1

