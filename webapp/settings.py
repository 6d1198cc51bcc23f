"""Settings for the web app, passed into `create_app`; the environment is read only by the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indexer.search.budget import DEFAULT_SEARCH_SECONDS
from webapp.workpool import DEFAULT_QUEUE, DEFAULT_THREADS


@dataclass(frozen=True, slots=True)
class Settings:
    index_dir: Path
    # The command a person should run when the index is missing or out of date.
    build_hint: str = "peel-index build corpus/ --index-dir DIR"
    site_name: str = "PEEL archive"
    # Wall-clock budget of one search, in seconds (None: unlimited); past it, a 503.
    search_seconds: float | None = DEFAULT_SEARCH_SECONDS
    # Searches run at once in each server process, and how many more may wait (then a 503).
    search_threads: int = DEFAULT_THREADS
    search_queue: int = DEFAULT_QUEUE
    # The site's public address (e.g. "https://peel.example.org"), used in redirects and in the
    # absolute links of exports and feeds; empty: redirects are relative and exports use the
    # address the server listens on (see webapp.urls). Never taken from the request's Host header.
    public_url: str = ""
