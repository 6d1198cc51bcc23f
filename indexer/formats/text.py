"""Plain-text captures of report pages (the form of the inspectorate pages we hold)."""

from __future__ import annotations

from indexer.limits import DEFAULT_LIMITS, Limits
from indexer.normalise import Normalised, normalise


def read(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Normalised:
    """The file's lines as blocks (its size is already within `limits`)."""
    return normalise(data)
