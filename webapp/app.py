"""The Starlette application: routes, error handling and response headers.

`create_app(settings)` opens the index once (refusing a missing or mismatched one) and serves
the search page, report pages, their JSON twins and a health check. A bad request is explained
with a 4xx; it is never a 500.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from indexer.search.engine import Archive
from indexer.search.request import QueryProblem, SearchRequest, parse_request
from webapp import downloads, info
from webapp.settings import Settings
from webapp.urls import kept_request
from webapp.views import report_json, report_page, search_json, search_page

HERE = Path(__file__).parent
REPORT_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,150}$")

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]


class SecurityHeaders:
    """Adds the archive's security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(settings: Settings) -> Starlette:
    """The web app over the index at `settings.index_dir` (raises `IndexUnavailable`)."""
    archive = Archive(settings.index_dir, settings.build_hint)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    templates = Jinja2Templates(env=env)
    templates.env.globals["site_name"] = settings.site_name

    def html(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
        return templates.TemplateResponse(request, name, context, status_code=status)

    def run_search(request: Request) -> tuple[SearchRequest, Any, str]:
        try:
            req = parse_request(request.query_params.multi_items())
        except QueryProblem as exc:
            # Keep what can be kept (the query as typed, every valid filter, the sort) so the
            # page's form still holds them: fixing a typo must not silently widen the results.
            return kept_request(request.query_params.multi_items()), None, str(exc)
        try:
            return req, archive.search(req), ""
        except QueryProblem as exc:
            return req, None, str(exc)

    async def home(request: Request) -> Response:
        req, result, error = run_search(request)
        page = search_page(req, result, error)
        return html(request, "search.html", {"page": page}, 400 if error else 200)

    async def api_search(request: Request) -> Response:
        req, result, error = run_search(request)
        if error:
            return JSONResponse({"error": error, "status": 400}, status_code=400)
        return JSONResponse(search_json(search_page(req, result)))

    def build_report(request: Request) -> tuple[Any, str]:
        report_id = request.path_params["report_id"]
        if not REPORT_ID_RE.match(report_id):
            raise HTTPException(404, "No report has that id.")
        sections = archive.report(report_id)
        if sections is None:
            raise HTTPException(404, f"No report with id {report_id!r} is in the archive.")
        state = kept_request(request.query_params.multi_items())
        q = state.q
        error = ""
        terms: frozenset[str] = frozenset()
        if q:
            try:
                parse_request([("q", q)])
                terms = archive.query_terms(q)
            except QueryProblem as exc:
                error = f"The search words could not be highlighted: {exc}"
        highlighted = [archive.highlight_all(s.text, terms) for s in sections]
        flags = [bool(terms) and "<mark>" in h for h in highlighted]
        return report_page(sections, highlighted, q, flags, error, state), error

    async def report(request: Request) -> Response:
        page, _ = build_report(request)
        return html(request, "report.html", {"page": page})

    async def api_report(request: Request) -> Response:
        page, _ = build_report(request)
        return JSONResponse(report_json(page))

    async def healthz(request: Request) -> Response:
        manifest = archive.manifest
        return JSONResponse(
            {
                "status": "ok",
                "index_loaded": True,
                "sections": archive.section_count(),
                "reports": archive.report_count(),
                "build_id": manifest.get("build_id"),
                "built_at": manifest.get("built_at"),
                "schema_version": manifest.get("schema_version"),
            }
        )

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"error": exc.detail, "status": exc.status_code}, status_code=exc.status_code
            )
        return html(
            request,
            "error.html",
            {"status": exc.status_code, "message": exc.detail},
            exc.status_code,
        )

    async def server_error(request: Request, exc: Exception) -> Response:
        message = "Something went wrong on our side; the error has been logged."
        response: Response
        if request.url.path.startswith("/api/"):
            response = JSONResponse({"error": message, "status": 500}, status_code=500)
        else:
            response = html(request, "error.html", {"status": 500, "message": message}, 500)
        # Starlette sends this from its outermost middleware, outside `SecurityHeaders`.
        response.headers.update(SECURITY_HEADERS)
        return response

    routes = [
        Route("/", home),
        Route("/api/search", api_search),
        Route("/reports/{report_id}", report),
        Route("/api/reports/{report_id}", api_report),
        Route("/healthz", healthz),
        *downloads.routes(archive, settings, run_search),
        *info.routes(templates),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: http_error, Exception: server_error},
    )
    app.state.archive = archive
    app.add_middleware(SecurityHeaders)  # type: ignore[arg-type]
    return app
