"""Routes for the archive's information pages: the API's OpenAPI document (`/openapi.json`),
its guide for people (`/api`), the accessibility statement (`/accessibility`) and the health
check (`/healthz`: the build in service and its size)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from indexer.search.engine import Archive
from webapp.openapi import document


def routes(templates: Jinja2Templates) -> list[Route]:
    site_name = str(templates.env.globals.get("site_name", "PEEL archive"))
    spec = document(site_name)

    async def openapi(request: Request) -> Response:
        return JSONResponse(spec)

    async def api_guide(request: Request) -> Response:
        return templates.TemplateResponse(request, "api.html", {"spec": spec})

    async def accessibility(request: Request) -> Response:
        return templates.TemplateResponse(request, "accessibility.html", {})

    return [
        Route("/openapi.json", openapi),
        Route("/api", api_guide),
        Route("/accessibility", accessibility),
    ]


def health_routes(archive: Archive) -> list[Route]:
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

    return [Route("/healthz", healthz)]
