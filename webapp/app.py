"""The Starlette application: the routes of every module put together, error handling and headers.

`create_app(settings)` opens the index once (refusing a missing or mismatched one) and serves
the search page, report pages, their JSON twins and a health check. A bad request is explained
with a 4xx; it is never a 500. Searches and report pages run in a bounded pool of threads
(`webapp.workpool`) so the event loop stays free; a full pool or a search past its time budget
is a 503 with a sentence.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from indexer.search.engine import Archive
from webapp import downloads, info
from webapp.errors import exception_handlers
from webapp.headers import SECURITY_HEADERS, SecurityHeaders
from webapp.profiles import profile_routes
from webapp.redirects import RelativeRedirects
from webapp.report_routes import report_routes
from webapp.research import research_routes
from webapp.routes_lang import lang_routes
from webapp.search_routes import SearchRunner, search_routes
from webapp.settings import Settings
from webapp.workpool import WorkPool

HERE = Path(__file__).parent

__all__ = ["SECURITY_HEADERS", "create_app", "offloaded"]


def create_app(settings: Settings) -> Starlette:
    """The web app over the index at `settings.index_dir` (raises `IndexUnavailable`)."""
    archive = Archive(settings.index_dir, settings.build_hint,
                      search_seconds=settings.search_seconds)
    pool = WorkPool(settings.search_threads, settings.search_queue)
    templates = make_templates(settings.site_name)

    def html(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
        return templates.TemplateResponse(request, name, context, status_code=status)

    run_search = SearchRunner(archive, pool)
    routes = [
        *search_routes(run_search, html),
        *report_routes(archive, pool, html, settings.public_url),
        *info.health_routes(archive),
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

    app = Starlette(lifespan=lifespan, routes=routes, exception_handlers=exception_handlers(html))
    app.state.archive = archive
    app.state.pool = pool
    app.add_middleware(RelativeRedirects, public_url=settings.public_url)
    app.add_middleware(SecurityHeaders)
    return app


def make_templates(site_name: str) -> Jinja2Templates:
    """The Jinja2 templates of `webapp/templates`, escaping everything, failing loudly on an
    undefined name."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    templates = Jinja2Templates(env=env)
    templates.env.globals["site_name"] = site_name
    return templates


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
