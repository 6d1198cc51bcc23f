"""How the app answers what went wrong: an HTTP error, an unreadable build, a search past its
budget or a full pool, and an unexpected exception.

A path under `/api/` is answered in JSON (`{"error": sentence, "status": code}`), any other
with the error page. A 503 says when to come back (`retry-after`); a 500 says only that the
error was logged, never what it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from indexer.search.engine import IndexReadError, SearchTooBroad
from webapp.headers import SECURITY_HEADERS
from webapp.workpool import RETRY_AFTER_SECONDS, Busy

Html = Callable[[Request, str, dict[str, Any], int], Response]
SERVER_ERROR = "Something went wrong on our side; the error has been logged."


def unavailable(status: int) -> dict[str, str]:
    """The headers of an answer with `status`: a 503 says when to try again."""
    return {"retry-after": str(RETRY_AFTER_SECONDS)} if status == 503 else {}


def json_error(error: str, status: int) -> Response:
    """The API's answer to a request it cannot serve: the sentence and the status, in JSON."""
    return JSONResponse({"error": error, "status": status}, status_code=status,
                        headers=unavailable(status))


def exception_handlers(html: Html) -> dict[Any, Callable[..., Any]]:
    """Starlette's `exception_handlers` for the app; `html` renders a template."""

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"error": exc.detail, "status": exc.status_code}, status_code=exc.status_code,
                headers=exc.headers,
            )
        response = html(request, "error.html",
                        {"status": exc.status_code, "message": exc.detail}, exc.status_code)
        response.headers.update(exc.headers or {})
        return response

    async def unreadable(request: Request, exc: Exception) -> Response:
        return await http_error(request, HTTPException(503, str(exc)))  # logged by the engine

    async def over_budget(request: Request, exc: Exception) -> Response:
        # A search past its time budget, or no free search slot: a 503 saying what to do.
        return await http_error(request, HTTPException(503, str(exc), headers=unavailable(503)))

    async def server_error(request: Request, exc: Exception) -> Response:
        response: Response
        if request.url.path.startswith("/api/"):
            response = JSONResponse({"error": SERVER_ERROR, "status": 500}, status_code=500)
        else:
            response = html(request, "error.html", {"status": 500, "message": SERVER_ERROR}, 500)
        # Starlette sends this from its outermost middleware, outside `SecurityHeaders`.
        response.headers.update(SECURITY_HEADERS)
        return response

    return {
        HTTPException: http_error, IndexReadError: unreadable, SearchTooBroad: over_budget,
        Busy: over_budget, Exception: server_error,
    }
