"""Routes of the query language's companions: autocomplete, more like this, glossary, help.

`lang_routes(archive, html)` returns the routes; `create_app` adds them with one line. Like
`webapp.app`, these only translate HTTP: the work is done by `indexer.search` (suggest,
similar, glossary), and a bad request is explained with a 4xx, never a 500.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from indexer.search import glossary, suggest
from indexer.search.engine import Archive
from indexer.search.request import MAX_QUERY_CHARS, SearchRequest
from indexer.search.similar import DEFAULT_LIMIT, MAX_LIMIT, Similar, similar
from webapp.help import EXAMPLES
from webapp.snippets import snippet_html, snippet_spans
from webapp.urls import search_url, section_url

SECTION_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,150}:[a-z0-9][a-z0-9-]{0,80}$")
Html = Callable[[Request, str, dict[str, Any]], Response]


@dataclass(frozen=True, slots=True)
class GlossaryRow:
    entry: glossary.Entry
    count: int  # sections the term's search finds (term or any expansion)
    url: str
    literal_count: int
    literal_url: str


class _GlossaryCounts:
    """Each entry's section counts, computed once per build in service."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self._lock = threading.Lock()
        self._build: object = None
        self._rows: list[GlossaryRow] = []

    def rows(self) -> list[GlossaryRow]:
        build = self.archive.manifest.get("build_id")
        with self._lock:
            if build != self._build or not self._rows:
                self._rows = [self._row(e) for e in glossary.entries()]
                self._build = build
            return self._rows

    def _row(self, entry: glossary.Entry) -> GlossaryRow:
        wide = SearchRequest(q=entry.term, per_page=1)
        literal = SearchRequest(q=entry.term, per_page=1, literal=True)
        return GlossaryRow(
            entry,
            self.archive.search(wide, snippets=False).total,
            search_url(wide, per_page=20),
            self.archive.search(literal, snippets=False).total,
            search_url(literal, per_page=20),
        )


def _section_id(request: Request) -> str:
    section_id = str(request.path_params["section_id"])
    if not SECTION_ID_RE.match(section_id):
        raise HTTPException(404, "No section has that id.")
    return section_id


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit", "")
    if not raw:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise HTTPException(400, f"limit must be a whole number from 1 to {MAX_LIMIT}.")
    return int(raw)


def lang_routes(archive: Archive, html: Html) -> list[Route]:
    counts = _GlossaryCounts(archive)

    async def api_suggest(request: Request) -> Response:
        q = request.query_params.get("q", "")
        if len(q) > MAX_QUERY_CHARS:
            raise HTTPException(400, f"q is {len(q)} characters long; the limit is "
                                     f"{MAX_QUERY_CHARS}.")
        with archive.reading() as searcher:
            found = suggest.complete(searcher.reader(), q)
        return JSONResponse({
            "query": q,
            "suggestions": [
                {"text": c.text, "query": c.query, "kind": c.kind, "count": c.count}
                for c in found
            ],
        })

    def find_similar(request: Request) -> Similar:
        section_id = _section_id(request)
        found = similar(archive, section_id, _limit(request))
        if found is None:
            raise HTTPException(404, f"No section with id {section_id!r} is in the archive.")
        return found

    async def api_similar(request: Request) -> Response:
        found = find_similar(request)
        return JSONResponse({
            "section_id": found.section.section_id,
            "key_terms": list(found.key_terms),
            "similar": [
                {
                    "section_id": n.section.section_id,
                    "report_id": n.section.report_id,
                    "force": n.section.force,
                    "cycle": n.section.cycle,
                    "pillar": n.section.pillar,
                    "grade": n.section.grade,
                    "kind": n.section.kind,
                    "heading": n.section.heading,
                    "score": n.score,
                    "snippet": str(snippet_html(n.snippet)),
                    "snippet_spans": snippet_spans(n.snippet),
                    "url": section_url(n.section.report_id, n.section.anchor),
                }
                for n in found.neighbours
            ],
        })

    async def similar_page(request: Request) -> Response:
        found = find_similar(request)
        return html(request, "similar.html", {
            "found": found,
            "source_url": section_url(found.section.report_id, found.section.anchor),
            "links": [section_url(n.section.report_id, n.section.anchor)
                      for n in found.neighbours],
            "snippets": [snippet_html(n.snippet) for n in found.neighbours],
        })

    async def glossary_page(request: Request) -> Response:
        return html(request, "glossary.html", {"rows": counts.rows()})

    async def api_glossary(request: Request) -> Response:
        return JSONResponse({"terms": [
            {"term": r.entry.term, "expansions": list(r.entry.expansions),
             "meaning": r.entry.meaning, "sections": r.count, "url": r.url,
             "sections_literal": r.literal_count}
            for r in counts.rows()
        ]})

    async def help_page(request: Request) -> Response:
        return html(request, "help.html", {"groups": EXAMPLES})

    return [
        Route("/api/suggest", api_suggest),
        Route("/api/sections/{section_id}/similar", api_similar),
        Route("/sections/{section_id}/similar", similar_page),
        Route("/glossary", glossary_page),
        Route("/api/glossary", api_glossary),
        Route("/help", help_page),
    ]
