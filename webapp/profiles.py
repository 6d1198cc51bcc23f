"""HTTP for the force profiles, the force list and the coverage page, with their JSON and CSV
twins. The answers come from `indexer.search.profiles` and `indexer.search.coverage`; this
module only translates requests and responses. `profile_routes` is registered in `create_app`.
"""

from __future__ import annotations

import csv
import io
import re
from collections import OrderedDict
from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from indexer.forces import Force, find_force
from indexer.search.coverage import Coverage, coverage, coverage_json
from indexer.search.engine import Archive
from indexer.search.profiles import (
    ForceProfile,
    Judgment,
    force_by_slug,
    force_list,
    force_profile,
)
from webapp.export import _cell
from webapp.urls import section_url
from webapp.views import GRADE_CLASSES

PROFILE_CACHE = 8  # force profiles kept per process
SLUG_RE = re.compile(r"^[A-Za-z0-9-]{1,80}$")
JUDGMENT_COLUMNS = (
    "force", "cycle", "scale", "group", "row", "level", "label", "pillar", "question_number",
    "question", "theme", "grade", "section_id", "report_id", "heading", "url",
)


def force_url(name: str) -> str:
    """The profile page of a force named any way the archive knows, or "" for none."""
    force = find_force(name) if name else None
    return f"/forces/{force.slug}" if force else ""


def no_such_force(slug: str) -> str:
    return (f"No police force has the name or slug {slug[:80]!r}; "
            "the list of the 43 forces is at /forces.")


def grade_class(grade: str) -> str:
    return GRADE_CLASSES.get(grade, "none")


def judgment_json(j: Judgment, scale: str) -> dict[str, Any]:
    s = j.section
    return {
        "force": s.force,
        "cycle": s.cycle,
        "scale": scale,
        "group": j.group,
        "row": j.row,
        "level": j.level,
        "label": j.label,
        "pillar": s.pillar,
        "question_number": s.question_number,
        "question": j.title,
        "theme": j.theme,
        "grade": s.grade,
        "section_id": s.section_id,
        "report_id": s.report_id,
        "heading": s.heading,
        "url": section_url(s.report_id, s.anchor),
    }


def profile_json(p: ForceProfile) -> dict[str, Any]:
    scales = {c.cycle: c.scale for c in p.columns}
    f = p.force
    return {
        "force": {"name": f.name, "short": f.short, "slug": f.slug, "region": f.region},
        "sections": p.sections,
        "truncated": p.truncated,
        "uses_themes": p.uses_themes,
        "cycles": [
            {"cycle": c.cycle, "scale": c.scale, "held": c.held, "break_before": c.break_before}
            for c in p.columns
        ],
        "judgments": [judgment_json(j, scales.get(j.cycle, "")) for j in p.judgments],
        "timeline": [
            {
                "group": r.group,
                "row": r.label,
                "cells": {
                    c.cycle: [
                        {"label": j.label, "grade": j.grade, "section_id": j.section.section_id,
                         "url": section_url(j.section.report_id, j.section.anchor)}
                        for j in cell
                    ]
                    for c, cell in zip(p.columns, r.cells, strict=True)
                    if cell
                },
            }
            for r in p.rows
        ],
        "findings": [
            {
                "cycle": cycle,
                "kind": item.section.kind,
                "kind_label": item.kind_label,
                "heading": item.section.heading,
                "under": item.under,
                "excerpt": item.excerpt,
                "section_id": item.section.section_id,
                "url": section_url(item.section.report_id, item.section.anchor),
            }
            for cycle, items in p.findings
            for item in items
        ],
        "reports": [
            {
                "report_id": r.report_id,
                "title": r.title,
                "cycle": r.cycle,
                "report_type": r.report_type,
                "updated": r.updated or None,
                "sections": r.sections,
                "source_url": r.source_url,
                "source_url_derived": r.source_url_derived,
                "url": f"/reports/{r.report_id}",
            }
            for r in p.reports
        ],
        "notes": p.notes,
        "links": {
            "html": f"/forces/{f.slug}",
            "json": f"/api/forces/{f.slug}",
            "csv": f"/api/forces/{f.slug}.csv",
            "search": "/?" + urlencode({"force": f.name}),
        },
    }


def judgments_csv(p: ForceProfile) -> str:
    scales = {c.cycle: c.scale for c in p.columns}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(JUDGMENT_COLUMNS)
    for j in p.judgments:
        row = judgment_json(j, scales.get(j.cycle, ""))
        writer.writerow([_cell(row[c]) for c in JUDGMENT_COLUMNS])
    return out.getvalue()


def profile_routes(archive: Archive, templates: Jinja2Templates) -> list[Route]:
    """The routes of /forces, /forces/{slug}, /about and their JSON and CSV twins; also makes
    `force_url`, `grade_class` and `coverage_summary` available to every template."""
    # A build never changes once served, so its coverage and its last few profiles are kept
    # until the next build is swapped in (a profile reads every section of a force).
    cache: dict[str, Coverage] = {}
    profiles: OrderedDict[tuple[str, str], ForceProfile] = OrderedDict()

    def current_coverage() -> Coverage:
        build_id = str(archive.manifest.get("build_id"))
        if build_id not in cache:
            cache.clear()
            cache[build_id] = coverage(archive)
        return cache[build_id]

    def profile_of(force: Force) -> ForceProfile:
        key = (str(archive.manifest.get("build_id")), force.slug)
        if key in profiles:
            profiles.move_to_end(key)
            return profiles[key]
        profile = force_profile(archive, force)
        profiles[key] = profile
        while len(profiles) > PROFILE_CACHE:
            profiles.popitem(last=False)
        return profile

    templates.env.globals["force_url"] = force_url
    templates.env.globals["grade_class"] = grade_class
    templates.env.globals["section_link"] = lambda s: section_url(s.report_id, s.anchor)
    templates.env.globals["coverage_summary"] = lambda: current_coverage().summary

    def html(request: Request, name: str, context: dict[str, Any]) -> Response:
        return templates.TemplateResponse(request, name, context)

    def lookup(request: Request) -> tuple[Force | None, str]:
        slug = request.path_params["slug"]
        force = force_by_slug(slug) if SLUG_RE.match(slug) else None
        if force is None:
            raise HTTPException(404, no_such_force(slug))
        return force, slug

    def canonical(request: Request, force: Force, slug: str, path: str) -> Response | None:
        if slug == force.slug:
            return None
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(path.format(slug=force.slug) + query, status_code=301)

    async def forces_page(request: Request) -> Response:
        return html(request, "forces.html", {"regions": force_list(archive),
                                             "coverage": current_coverage()})

    async def forces_json(request: Request) -> Response:
        return JSONResponse({
            "regions": [
                {
                    "region": region,
                    "forces": [
                        {"name": e.force.name, "short": e.force.short, "slug": e.force.slug,
                         "peel_reports": e.reports, "url": f"/forces/{e.force.slug}",
                         "api_url": f"/api/forces/{e.force.slug}"}
                        for e in entries
                    ],
                }
                for region, entries in force_list(archive)
            ]
        })

    async def profile_page(request: Request) -> Response:
        slug = request.path_params["slug"]
        force = force_by_slug(slug) if SLUG_RE.match(slug) else None
        if force is None:
            return templates.TemplateResponse(request, "error.html", {
                "status": 404, "message": no_such_force(slug),
                "more_url": "/forces", "more_label": "The 43 forces",
            }, status_code=404)
        if moved := canonical(request, force, slug, "/forces/{slug}"):
            return moved
        profile = profile_of(force)
        return html(request, "force.html", {"p": profile, "links": profile_json(profile)["links"]})

    async def profile_api(request: Request) -> Response:
        force, slug = lookup(request)
        assert force is not None
        if moved := canonical(request, force, slug, "/api/forces/{slug}"):
            return moved
        return JSONResponse(profile_json(profile_of(force)))

    async def profile_csv(request: Request) -> Response:
        force, slug = lookup(request)
        assert force is not None
        if moved := canonical(request, force, slug, "/api/forces/{slug}.csv"):
            return moved
        body = judgments_csv(profile_of(force))
        return Response(body, media_type="text/csv; charset=utf-8", headers={
            "content-disposition": f'attachment; filename="{force.slug}-judgments.csv"',
        })

    async def about_page(request: Request) -> Response:
        return html(request, "about.html", {"c": current_coverage()})

    async def about_api(request: Request) -> Response:
        return JSONResponse(coverage_json(current_coverage()))

    return [
        Route("/forces", forces_page),
        Route("/api/forces", forces_json),
        Route("/forces/{slug}", profile_page),
        Route("/api/forces/{slug}.csv", profile_csv),
        Route("/api/forces/{slug}", profile_api),
        Route("/about", about_page),
        Route("/api/about", about_api),
    ]
