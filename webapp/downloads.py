"""Routes that hand a whole search to another program: CSV, JSON Lines and an Atom feed.

`/api/search.csv` and `/api/search.jsonl` stream every match (no cap) in the search's order;
`?bom=1` starts the CSV with a UTF-8 byte-order mark for Excel. `/api/search.atom` is the
search's newest matches as a feed. A request that cannot run is a 400 with a sentence, decided
before the first byte is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from indexer.search import export as engine_export
from indexer.search.engine import Archive
from indexer.search.request import QueryProblem, SearchRequest
from webapp.export import csv_stream, jsonl_stream
from webapp.feed import FEED_ENTRIES, atom
from webapp.settings import Settings
from webapp.urls import back_url, export_url, public_base, section_url

RunSearch = Callable[[Request], tuple[SearchRequest, Any, str]]
TRUE = {"1", "true", "yes", "on"}


def routes(archive: Archive, settings: Settings, run_search: RunSearch) -> list[Route]:
    """The export and feed routes over `archive`."""

    def bad(error: str) -> Response:
        return JSONResponse({"error": error, "status": 400}, status_code=400)

    def checked(request: Request) -> tuple[SearchRequest, int, str]:
        req, _, error = run_search(request)
        if error:
            return req, 0, error
        try:
            return req, engine_export.count(archive, req), ""
        except QueryProblem as exc:
            return req, 0, str(exc)

    def stream(request: Request, suffix: str, media_type: str) -> Response:
        req, total, error = checked(request)
        if error:
            return bad(error)
        base = public_base(settings.public_url, request.scope)
        sections = engine_export.stream(archive, req)
        if suffix == "csv":
            bom = request.query_params.get("bom", "").lower() in TRUE
            body = csv_stream(sections, base, req.q, bom=bom)
        else:
            body = jsonl_stream(sections, base, req.q)
        return StreamingResponse(body, media_type=media_type, headers={
            "content-disposition": f'attachment; filename="peel-archive-search.{suffix}"',
            "x-total-count": str(total),
            "x-truncated": "false",
        })

    async def search_csv(request: Request) -> Response:
        return stream(request, "csv", "text/csv; charset=utf-8")

    async def search_jsonl(request: Request) -> Response:
        return stream(request, "jsonl", "application/jsonl; charset=utf-8")

    async def search_atom(request: Request) -> Response:
        req, result, error = run_search(request)
        if error:
            return bad(error)
        newest = SearchRequest(q=req.q, filters=req.filters, per_page=FEED_ENTRIES,
                               sort="newest")
        try:
            result = archive.search(newest, snippets=False)
        except QueryProblem as exc:
            return bad(str(exc))
        base = public_base(settings.public_url, request.scope)
        described = ", ".join(f"{k}: {' or '.join(v)}" for k, v in req.filters.items())
        title = " · ".join(p for p in (
            f"“{req.q}”" if req.q else "All sections", described,
        ) if p) + f" — {settings.site_name}"
        body = atom(
            ((h.section, base + section_url(h.section.report_id, h.section.anchor, req.q))
             for h in result.hits),
            title=title,
            feed_url=base + export_url(req, "/api/search.atom"),
            page_url=base + back_url(SearchRequest(q=req.q, filters=req.filters)),
            built_at=str(archive.manifest.get("built_at") or ""),
            author=settings.site_name,
            terms=result.terms,
        )
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    return [
        Route("/api/search.csv", search_csv),
        Route("/api/search.jsonl", search_jsonl),
        Route("/api/search.atom", search_atom),
    ]
