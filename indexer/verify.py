"""Verifying a build before it serves: its files read, its terms and postings decoded.

Whoosh reads an index lazily, so damage inside a segment (bytes overwritten in a postings
file, a truncated term dictionary) would pass opening and surface later as failed searches.
`verify` reads every file of the build to its end, walks every field's whole term dictionary,
decodes a sample of each field's posting lists (spread evenly over its terms, each from its
first block and again at its last document) and unpickles a sample of stored documents.
Any failure is raised as `BuildDamaged`, naming what could not be read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

SAMPLE_TERMS = 256  # posting lists decoded per field, spread evenly over its terms
SAMPLE_POSTINGS = 16  # postings decoded from the start of each sampled list (its first block)
SAMPLE_DOCS = 256  # stored documents unpickled, spread evenly over the build
_CHUNK = 1024 * 1024


class BuildDamaged(Exception):
    """A build whose files, terms, postings or stored fields cannot be read."""


def verify(build: Path, whoosh_index: Any) -> None:
    """Raise `BuildDamaged` unless the build at `build` reads back whole."""
    _read_files(build)
    reader = whoosh_index.reader()
    try:
        for segment, _ in reader.leaf_readers():  # every segment on its own
            for fieldname in segment.indexed_field_names():
                _check_field(segment, fieldname)
            _check_stored(segment)
    except BuildDamaged:
        raise
    except Exception as exc:  # Whoosh fails in many ways over damaged bytes
        raise BuildDamaged(f"{type(exc).__name__}: {exc}") from exc
    finally:
        reader.close()


def _read_files(build: Path) -> None:
    for path in sorted(build.iterdir()):
        try:
            with open(path, "rb") as fh:
                while fh.read(_CHUNK):
                    pass
        except OSError as exc:
            raise BuildDamaged(f"{path.name} cannot be read ({exc.strerror or exc})") from exc


def _check_field(reader: Any, fieldname: str) -> None:
    try:
        terms = list(reader.lexicon(fieldname))
    except Exception as exc:
        raise BuildDamaged(f"the terms of field {fieldname!r} cannot be read ({exc})") from exc
    if not terms:
        return
    step = max(1, len(terms) // SAMPLE_TERMS)
    for term in [*terms[::step], terms[-1]]:
        try:
            _decode_postings(reader, fieldname, term)
        except Exception as exc:
            raise BuildDamaged(
                f"the postings of {fieldname}:{term!r} cannot be decoded "
                f"({type(exc).__name__}: {exc})"
            ) from exc


def _decode_postings(reader: Any, fieldname: str, term: bytes) -> None:
    info = reader.term_info(fieldname, term)
    matcher = reader.postings(fieldname, term)
    if not matcher.is_active():
        # A term whose every document was deleted by an incremental build: nothing to read
        # (and Whoosh's multi-segment matcher over no segment cannot answer `supports`).
        return
    positions = matcher.supports("positions")
    for _ in range(SAMPLE_POSTINGS):
        if not matcher.is_active():
            return
        _decode_one(matcher, positions)
        matcher.next()
    if matcher.is_active():
        matcher.skip_to(info.max_id())
        if matcher.is_active():
            _decode_one(matcher, positions)


def _decode_one(matcher: Any, positions: bool) -> None:
    matcher.id()
    matcher.weight()
    if positions:
        matcher.value_as("positions")


def _check_stored(reader: Any) -> None:
    count = reader.doc_count_all()
    if not count:
        return
    step = max(1, count // SAMPLE_DOCS)
    for doc in {*range(0, count, step), count - 1}:
        if not reader.is_deleted(doc):
            reader.stored_fields(doc)
