"""The search page (`/`) and its JSON twin (`/api/search`), and `SearchRunner`, which turns
an HTTP request into a validated search run off the event loop (shared with the exports).

A request that cannot be understood is a 400 whose page still holds everything that could be
kept (the words as typed, every valid filter, the sort), so fixing a typo never silently widens
the results; a search past its budget or a full pool is a 503.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from indexer.search.engine import Archive, SearchResult, SearchTooBroad
from indexer.search.request import QueryProblem, SearchRequest, parse_request
from webapp.errors import json_error, unavailable
from webapp.urls import kept_request
from webapp.views import search_json, search_page
from webapp.workpool import Busy, WorkPool

Html = Callable[[Request, str, dict[str, Any], int], Response]


class SearchRunner:
    """`await runner(request, **options)` is `(search request, result or None, error sentence,
    status)`; `options` go to `Archive.search` (e.g. `snippets=False`)."""

    def __init__(self, archive: Archive, pool: WorkPool) -> None:
        self.archive = archive
        self.pool = pool

    async def __call__(self, request: Request, **options: Any
                       ) -> tuple[SearchRequest, SearchResult | None, str, int]:
        try:
            req = parse_request(request.query_params.multi_items())
        except QueryProblem as exc:
            return kept_request(request.query_params.multi_items()), None, str(exc), 400
        try:
            return req, await self.pool.run(self.archive.search, req, **options), "", 200
        except QueryProblem as exc:
            return req, None, str(exc), 400
        except (SearchTooBroad, Busy) as exc:
            return req, None, str(exc), 503


def search_routes(run_search: SearchRunner, html: Html) -> list[Route]:
    """`/` and `/api/search`; `html` renders a template."""

    async def home(request: Request) -> Response:
        req, result, error, status = await run_search(request)
        response = html(request, "search.html", {"page": search_page(req, result, error)}, status)
        response.headers.update(unavailable(status))
        return response

    async def api_search(request: Request) -> Response:
        req, result, error, status = await run_search(request)
        if error:
            return json_error(error, status)
        return JSONResponse(search_json(search_page(req, result)))

    return [Route("/", home), Route("/api/search", api_search)]
