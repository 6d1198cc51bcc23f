"""Plain-text captures of report pages (the form of the inspectorate pages we hold)."""

from __future__ import annotations

from indexer.normalise import Normalised, normalise


def read(data: bytes) -> Normalised:
    return normalise(data)
