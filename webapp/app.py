"""The Starlette application: routes, error handling and response headers.

`create_app(settings)` opens the index once (refusing a missing or mismatched one) and serves
the search page, report pages, their JSON twins and a health check. A bad request is explained
with a 4xx; it is never a 500. Searches and report pages run in a bounded pool of threads
(`webapp.workpool`) so the event loop stays free; a full pool or a search past its time budget
is a 503 with a sentence.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
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

from indexer.search.engine import Archive, IndexReadError, SearchTooBroad
from indexer.search.request import QueryProblem, SearchRequest, parse_request
from webapp import downloads, info
from webapp.profiles import profile_routes
from webapp.redirects import RelativeRedirects
from webapp.research import research_routes
from webapp.routes_lang import lang_routes
from webapp.settings import Settings
from webapp.urls import kept_request, public_base
from webapp.views import report_json, report_page, search_json, search_page
from webapp.workpool import RETRY_AFTER_SECONDS, Busy, WorkPool

HERE = Path(__file__).parent
REPORT_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,150}$")

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
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
    archive = Archive(settings.index_dir, settings.build_hint,
                      search_seconds=settings.search_seconds)
    pool = WorkPool(settings.search_threads, settings.search_queue)
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

    async def run_search(request: Request, **options: Any) -> tuple[SearchRequest, Any, str, int]:
        """The request, its result (or None), the error sentence and the status to answer."""
        try:
            req = parse_request(request.query_params.multi_items())
        except QueryProblem as exc:
            # Keep what can be kept (the query as typed, every valid filter, the sort) so the
            # page's form still holds them: fixing a typo must not silently widen the results.
            return kept_request(request.query_params.multi_items()), None, str(exc), 400
        try:
            return req, await pool.run(archive.search, req, **options), "", 200
        except QueryProblem as exc:
            return req, None, str(exc), 400
        except (SearchTooBroad, Busy) as exc:
            return req, None, str(exc), 503

    def unavailable(status: int) -> dict[str, str]:
        return {"retry-after": str(RETRY_AFTER_SECONDS)} if status == 503 else {}

    async def home(request: Request) -> Response:
        req, result, error, status = await run_search(request)
        page = search_page(req, result, error)
        response = html(request, "search.html", {"page": page}, status)
        response.headers.update(unavailable(status))
        return response

    def json_error(error: str, status: int) -> Response:
        return JSONResponse({"error": error, "status": status}, status_code=status,
                            headers=unavailable(status))

    async def api_search(request: Request) -> Response:
        req, result, error, status = await run_search(request)
        if error:
            return json_error(error, status)
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
            except (QueryProblem, SearchTooBroad) as exc:
                error = f"The search words could not be highlighted: {exc}"
        highlighted = [archive.highlight_all(s.text, terms) for s in sections]
        flags = [bool(terms) and h.hits > 0 for h in highlighted]
        base = public_base(settings.public_url, request.scope)
        return report_page(sections, highlighted, q, flags, error, base, state), error

    async def report_off_loop(request: Request) -> Any:
        try:
            page, _ = await pool.run(build_report, request)
        except Busy as exc:
            raise HTTPException(503, str(exc), headers=unavailable(503)) from None
        return page

    async def report(request: Request) -> Response:
        page = await report_off_loop(request)
        return html(request, "report.html", {"page": page})

    async def api_report(request: Request) -> Response:
        page = await report_off_loop(request)
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
                {"error": exc.detail, "status": exc.status_code}, status_code=exc.status_code,
                headers=exc.headers,
            )
        response = html(
            request,
            "error.html",
            {"status": exc.status_code, "message": exc.detail},
            exc.status_code,
        )
        response.headers.update(exc.headers or {})
        return response

    async def unreadable(request: Request, exc: Exception) -> Response:
        return await http_error(request, HTTPException(503, str(exc)))  # logged by the engine

    async def over_budget(request: Request, exc: Exception) -> Response:
        # A search past its time budget, or no free search slot: a 503 saying what to do.
        return await http_error(request, HTTPException(503, str(exc), headers=unavailable(503)))

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
        # These views read the index in their handlers: run each in the search pool, so the
        # event loop (static files, health, other searches) never waits for them.
        *offloaded(pool, [*profile_routes(archive, templates), *research_routes(archive, html),
                          *lang_routes(archive, html)]),
        *downloads.routes(archive, settings, run_search, pool),
        *info.routes(templates),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        archive.stop_searches()  # searches still running in threads stop at their next check

    app = Starlette(
        lifespan=lifespan,
        routes=routes,
        exception_handlers={
            HTTPException: http_error, IndexReadError: unreadable, SearchTooBroad: over_budget,
            Busy: over_budget, Exception: server_error,
        },
    )
    app.state.archive = archive
    app.state.pool = pool
    app.add_middleware(RelativeRedirects, public_url=settings.public_url)
    app.add_middleware(SecurityHeaders)
    return app


def offloaded(pool: WorkPool, routes: list[Route]) -> list[Route]:
    """The routes with each endpoint run in a thread of `pool` (its own event loop there):
    for handlers that do blocking work on the index between their awaits-free lines. A full
    pool is a 503 (`Busy`), as for searches."""

    def wrap(endpoint: Callable[[Request], Awaitable[Response]]
             ) -> Callable[[Request], Awaitable[Response]]:
        def in_thread(request: Request) -> Response:
            return asyncio.run(endpoint(request))  # type: ignore[arg-type]

        async def run(request: Request) -> Response:
            return await pool.run(in_thread, request)

        return run

    return [Route(r.path, wrap(r.endpoint), name=r.name) for r in routes]
