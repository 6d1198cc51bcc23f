"""Stage 1 of the pipeline: reading a file of some format into normalised text blocks.

Each format turns its file into the same `Block`s, so one structure parser serves them all:
plain text (`text`), HTML pages (`html`) and PDFs with a text layer (`pdf`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from indexer.errors import ReportError
from indexer.formats import html, pdf, text
from indexer.normalise import Normalised

READERS: dict[str, Callable[[bytes], Normalised]] = {
    ".txt": text.read,
    ".text": text.read,
    ".html": html.read,
    ".htm": html.read,
    ".pdf": pdf.read,
}
SUFFIXES = frozenset(READERS)


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ReportError(f"cannot read file: {exc.strerror or exc}") from exc


def read(path: Path, data: bytes | None = None) -> Normalised:
    """Read and normalise one file by its suffix (from `data` when the bytes are at hand)."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ReportError(f"unsupported file type {path.suffix or '(none)'!r}")
    return reader(read_bytes(path) if data is None else data)
