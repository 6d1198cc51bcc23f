"""HTTP for the research views: /trends and /grid, with their JSON and CSV twins.

    /trends          /api/trends          /api/trends.csv
    /grid            /api/grid            /api/grid.csv

Every view takes the search page's parameters (q and the facet filters); the grid also takes
`show=theme:<theme>|pillar:<pillar>` and `only=matched`. All plain GET, all state in the URL.
A request that cannot be run is a 400 with the reason (HTML or {"error": …}), never a 500.
`create_app` registers these routes with one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from indexer.search.engine import Archive
from indexer.search.request import QueryProblem, SearchRequest, parse_request
from indexer.search.research import grid, parse_grid_options, trends
from webapp.grid_page import grid_csv, grid_json, grid_page
from webapp.research_pages import trend_csv, trend_json, trend_page
from webapp.views import search_page

Html = Callable[[Request, str, dict[str, Any], int], Response]


def research_routes(archive: Archive, html: Html) -> list[Route]:
    """The research views' routes over `archive`; `html` renders a template."""

    def sidebar(req: SearchRequest, path: str) -> Any:
        # The facet counts of the same search, with links that stay on this view.
        result = archive.search(SearchRequest(q=req.q, filters=req.filters, per_page=1),
                                snippets=False)  # fmt: skip
        return search_page(req, result, path=path)

    def request_of(request: Request) -> tuple[SearchRequest, str]:
        try:
            return parse_request(request.query_params.multi_items()), ""
        except QueryProblem as exc:
            return SearchRequest(q=request.query_params.get("q", "")[:500]), str(exc)

    def trend_of(request: Request) -> Any:
        req, error = request_of(request)
        data = None
        side = search_page(req, None, error, path="/trends")
        if not error:
            try:
                data = trends(archive, req)
                side = sidebar(req, "/trends")
            except QueryProblem as exc:
                error = str(exc)
        return trend_page(req, side, data, error)

    def grid_of(request: Request) -> Any:
        req, error = request_of(request)
        data = None
        side = search_page(req, None, error, path="/grid")
        if not error:
            try:
                options = parse_grid_options(request.query_params.multi_items())
                data = grid(archive, req, options)
                side = sidebar(req, "/grid")
            except QueryProblem as exc:
                error = str(exc)
        return grid_page(req, side, data, error)

    def api_error(error: str) -> Response:
        return JSONResponse({"error": error, "status": 400}, status_code=400)

    def csv_response(body: str, name: str) -> Response:
        return Response(body, media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{name}"'})

    async def trends_html(request: Request) -> Response:
        page = trend_of(request)
        return html(request, "trends.html", {"page": page}, 400 if page.error else 200)

    async def trends_api(request: Request) -> Response:
        page = trend_of(request)
        return api_error(page.error) if page.error else JSONResponse(trend_json(page))

    async def trends_csv(request: Request) -> Response:
        page = trend_of(request)
        if page.error or page.trend is None:
            return api_error(page.error)
        return csv_response(trend_csv(page.trend), "peel-archive-trends.csv")

    async def grid_html(request: Request) -> Response:
        page = grid_of(request)
        return html(request, "grid.html", {"page": page}, 400 if page.error else 200)

    async def grid_api(request: Request) -> Response:
        page = grid_of(request)
        return api_error(page.error) if page.error else JSONResponse(grid_json(page))

    async def grid_csv_route(request: Request) -> Response:
        page = grid_of(request)
        if page.error or page.grid is None:
            return api_error(page.error)
        return csv_response(grid_csv(page.grid), "peel-archive-grid.csv")

    return [
        Route("/trends", trends_html),
        Route("/api/trends", trends_api),
        Route("/api/trends.csv", trends_csv),
        Route("/grid", grid_html),
        Route("/api/grid", grid_api),
        Route("/api/grid.csv", grid_csv_route),
    ]
