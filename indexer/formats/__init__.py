"""Stage 1 of the pipeline: reading a file of some format into normalised text blocks.

Each format turns its file into the same `Block`s, so one structure parser serves them all.
"""

from __future__ import annotations

from pathlib import Path

from indexer.errors import ReportError
from indexer.formats import text
from indexer.normalise import Normalised

READERS = {".txt": text.read, ".text": text.read}
SUFFIXES = frozenset(READERS)


def read(path: Path) -> Normalised:
    """Read and normalise one file by its suffix."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ReportError(f"unsupported file type {path.suffix or '(none)'!r}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReportError(f"cannot read file: {exc.strerror or exc}") from exc
    return reader(data)
