"""Routes that hand a whole search to another program: CSV, JSON Lines and an Atom feed.

`/api/search.csv` and `/api/search.jsonl` stream every match (no cap) in the search's order;
`?bom=1` starts the CSV with a UTF-8 byte-order mark for Excel. `/api/search.atom` is the
search's newest matches as a feed. A request that cannot run is a 400 with a sentence, decided
before the first byte is sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from indexer.search import export as engine_export
from indexer.search.engine import Archive, SearchTooBroad
from indexer.search.request import QueryProblem, SearchRequest
from webapp.errors import json_error
from webapp.export import csv_stream, jsonl_stream
from webapp.feed import FEED_ENTRIES, atom
from webapp.settings import Settings
from webapp.urls import back_url, export_url, public_base, section_url
from webapp.workpool import Busy, WorkPool

RunSearch = Callable[..., Awaitable[tuple[SearchRequest, Any, str, int]]]
TRUE = {"1", "true", "yes", "on"}


def routes(archive: Archive, settings: Settings, run_search: RunSearch, pool: WorkPool
           ) -> list[Route]:
    """The export and feed routes over `archive`; searches run in `pool`, off the event loop
    (the streamed rows are read in Starlette's thread pool as they are sent)."""

    def bad(error: str, status: int = 400) -> Response:
        return json_error(error, status)

    async def checked(request: Request) -> tuple[SearchRequest, int, str, int]:
        req, _, error, status = await run_search(request, snippets=False)
        if error:
            return req, 0, error, status
        try:
            return req, await pool.run(engine_export.count, archive, req), "", 200
        except QueryProblem as exc:
            return req, 0, str(exc), 400
        except (SearchTooBroad, Busy) as exc:
            return req, 0, str(exc), 503

    async def stream(request: Request, suffix: str, media_type: str) -> Response:
        req, total, error, status = await checked(request)
        if error:
            return bad(error, status)
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
        return await stream(request, "csv", "text/csv; charset=utf-8")

    async def search_jsonl(request: Request) -> Response:
        return await stream(request, "jsonl", "application/jsonl; charset=utf-8")

    async def search_atom(request: Request) -> Response:
        req, result, error, status = await run_search(request, snippets=False)
        if error:
            return bad(error, status)
        newest = SearchRequest(q=req.q, filters=req.filters, per_page=FEED_ENTRIES,
                               sort="newest", literal=req.literal)
        try:
            result = await pool.run(archive.search, newest, snippets=False)
        except QueryProblem as exc:
            return bad(str(exc))
        except (SearchTooBroad, Busy) as exc:
            return bad(str(exc), 503)
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
