"""An ASGI entry point for process managers: the app over the index named by PEEL_INDEX_DIR."""

from __future__ import annotations

import os
from pathlib import Path

from webapp.app import create_app
from webapp.settings import Settings

app = create_app(Settings(
    index_dir=Path(os.environ.get("PEEL_INDEX_DIR", ".index")),
    public_url=os.environ.get("PEEL_PUBLIC_URL", "").rstrip("/"),
))
