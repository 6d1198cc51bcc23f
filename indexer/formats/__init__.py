"""Stage 1 of the pipeline: reading a file of some format into normalised text blocks.

Each format turns its file into the same `Block`s, so one structure parser serves them all:
plain text (`text`), HTML pages (`html`) and PDFs with a text layer (`pdf`). Files are read
only when they are regular files within the size limit (`indexer.safeio`), and the text a
file yields is held to the extracted-text limit (`indexer.limits`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from indexer.errors import ReportError
from indexer.formats import html, pdf, text
from indexer.limits import DEFAULT_LIMITS, MB, Limits, over
from indexer.normalise import Normalised
from indexer.safeio import read_regular

READERS: dict[str, Callable[[bytes, Limits], Normalised]] = {
    ".txt": text.read,
    ".text": text.read,
    ".html": html.read,
    ".htm": html.read,
    ".pdf": pdf.read,
}
SUFFIXES = frozenset(READERS)


def read_bytes(path: Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The file's bytes: a regular file within `limits.file_mb`, or `ReportError`."""
    return read_regular(path, limits.file_bytes)


def read(path: Path, data: bytes | None = None, limits: Limits = DEFAULT_LIMITS) -> Normalised:
    """Read and normalise one file by its suffix (from `data` when the bytes are at hand)."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ReportError(f"unsupported file type {path.suffix or '(none)'!r}")
    normalised = reader(read_bytes(path, limits) if data is None else data, limits)
    chars = sum(len(block.text) for block in normalised.blocks)
    if chars > limits.text_chars:
        raise over("the text extracted", chars / MB, limits.text_mb, "MB", "--max-text-mb")
    return normalised
