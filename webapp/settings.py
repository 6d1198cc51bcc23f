"""Settings for the web app, passed into `create_app`; the environment is read only by the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Settings:
    index_dir: Path
    # The command a person should run when the index is missing or out of date.
    build_hint: str = "peel-index build corpus/ --index-dir DIR"
    site_name: str = "PEEL archive"
    # The archive's public address (scheme://host[:port][/prefix]) for absolute links in
    # exports and feeds; "" uses the address the server listens on (see webapp.urls).
    public_url: str = ""
