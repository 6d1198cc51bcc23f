"""The one Whoosh release whose private internals this project relies on, and its check.

Two modules reach past Whoosh's public API, both written against whoosh-reloaded 2.7.5
exactly: `indexer.fastwrite` replaces the segment writer's flush, and
`indexer.search.vectorised` reads `W3LeafMatcher`'s posting blocks. Each asks `pinned()`
first. With any other version installed, each falls back to Whoosh's own code — the build
writes with Whoosh's flush, searches run on Whoosh's matchers (the reference the vectorised
path is tested against) — so answers stay right and only speed is lost; one warning naming
the pinned version is logged for each.
"""

from __future__ import annotations

import logging
from importlib import metadata

import whoosh

PINNED_DISTRIBUTION = "whoosh-reloaded"
PINNED_VERSION = "2.7.5"
LOG = logging.getLogger("indexer.whoosh")
_warned: set[str] = set()


def installed_version() -> str:
    """The installed Whoosh: the pinned distribution's version, or what else provides it."""
    try:
        return metadata.version(PINNED_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return f"another distribution of Whoosh {whoosh.versionstring()}"


def pinned(purpose: str, installed: str | None = None) -> bool:
    """True when the pinned Whoosh is installed; otherwise warn once for `purpose`."""
    found = installed_version() if installed is None else installed
    if found == PINNED_VERSION:
        return True
    if purpose not in _warned:
        _warned.add(purpose)
        LOG.warning(
            "%s is made for %s %s, but %s is installed: it is switched off and Whoosh's own "
            "code is used instead (slower, same results). Install %s==%s to restore it.",
            purpose, PINNED_DISTRIBUTION, PINNED_VERSION, found, PINNED_DISTRIBUTION,
            PINNED_VERSION,
        )
    return False
