"""Redirects never name a host taken from the request.

Starlette builds the redirect it sends for a trailing slash (`/api/search/` to `/api/search`)
from the request's own `Host` header, so `Host: evil.example` made the site redirect to
`http://evil.example/api/search`. This middleware rewrites every redirect the app sends to a
relative one (path and query only), or to the configured public address when there is one.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

ASGIApp = Any  # the wrapped application (see webapp.app for the full type)


def safe_location(location: str, public_url: str = "") -> str:
    """`location` without its scheme and host; under `public_url` when one is configured."""
    parts = urlsplit(location)
    path = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    if path.startswith("//"):  # "//evil.example/x" is a host too
        path = "/" + path.lstrip("/")
    return public_url.rstrip("/") + path if public_url else path


class RelativeRedirects:
    """Rewrites the `location` header of every response to `safe_location`."""

    def __init__(self, app: ASGIApp, public_url: str = "") -> None:
        self.app = app
        self.public_url = public_url

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_safe(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    (k, safe_location(v.decode("latin-1"), self.public_url).encode("latin-1"))
                    if k.lower() == b"location" else (k, v)
                    for k, v in message.get("headers", [])
                ]
            await send(message)

        await self.app(scope, receive, send_safe)
