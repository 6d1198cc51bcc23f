"""A report's page (`/reports/{id}`) and its JSON twin (`/api/reports/{id}`): every section of
one report in reading order, with the words of `?q=` highlighted where they occur.

An id that cannot be a report's is a 404 before the index is read; words that cannot be
understood still show the report, with a sentence saying why nothing is highlighted. The page
is built in the search pool, off the event loop; a full pool is a 503.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from indexer.search.engine import Archive, SearchTooBroad
from indexer.search.request import QueryProblem, parse_request
from webapp.errors import unavailable
from webapp.urls import kept_request, public_base
from webapp.views import ReportPage, report_json, report_page
from webapp.workpool import Busy, WorkPool

Html = Callable[[Request, str, dict[str, Any], int], Response]
REPORT_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,150}$")


def report_routes(archive: Archive, pool: WorkPool, html: Html, public_url: str
                  ) -> list[Route]:
    """The report routes over `archive`; `public_url` (may be empty) roots the Cite links."""

    def build(request: Request) -> ReportPage:
        report_id = request.path_params["report_id"]
        if not REPORT_ID_RE.match(report_id):
            raise HTTPException(404, "No report has that id.")
        sections = archive.report(report_id)
        if sections is None:
            raise HTTPException(404, f"No report with id {report_id!r} is in the archive.")
        state = kept_request(request.query_params.multi_items())
        error = ""
        terms: frozenset[str] = frozenset()
        if state.q:
            try:
                parse_request([("q", state.q)])
                terms = archive.query_terms(state.q)
            except (QueryProblem, SearchTooBroad) as exc:
                error = f"The search words could not be highlighted: {exc}"
        highlighted = [archive.highlight_all(s.text, terms) for s in sections]
        flags = [bool(terms) and h.hits > 0 for h in highlighted]
        base = public_base(public_url, request.scope)
        return report_page(sections, highlighted, state.q, flags, error, base, state)

    async def off_loop(request: Request) -> ReportPage:
        try:
            return await pool.run(build, request)
        except Busy as exc:
            raise HTTPException(503, str(exc), headers=unavailable(503)) from None

    async def report(request: Request) -> Response:
        return html(request, "report.html", {"page": await off_loop(request)}, 200)

    async def api_report(request: Request) -> Response:
        return JSONResponse(report_json(await off_loop(request)))

    return [Route("/reports/{report_id}", report), Route("/api/reports/{report_id}", api_report)]
