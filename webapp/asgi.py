"""An ASGI entry point for process managers (and `peel-web serve --workers N`): the app with
the settings named by PEEL_* environment variables (`webapp.cli.settings_from_environ`)."""

from __future__ import annotations

import os

from webapp.app import create_app
from webapp.cli import settings_from_environ

app = create_app(settings_from_environ(os.environ))
