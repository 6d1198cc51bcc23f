"""The OpenAPI 3.1 description of the archive's machine routes, served at `/openapi.json`.

Written by hand, next to the routes it describes, and checked against real responses by
`tests/test_openapi.py` (every JSON route's answer validates against its schema, and every
route the app serves under /api/ or /healthz is described here). Facet parameters are derived
from `indexer.schema`, so a new facet is described without touching this file.
"""

from __future__ import annotations

from typing import Any

from indexer.schema import FACETS, SORTS
from indexer.search.request import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, MAX_QUERY_CHARS

_STR = {"type": "string"}
_NSTR = {"type": ["string", "null"]}
_INT = {"type": "integer"}
_REF = "#/components/schemas/"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _REF + name}


def _obj(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **(optional or {})},
    }


SECTION = _obj({
    "report_id": _STR, "section_id": _STR, "anchor": _STR, "report_title": _STR,
    "report_type": _STR, "force": _STR, "force_short": _STR, "force_slug": _STR,
    "region": _STR, "cycle": _STR, "year": _INT, "pillar": _STR,
    "question_number": {"type": ["integer", "null"]}, "question": _STR, "grade": _STR,
    "grade_note": _STR, "kind": _STR, "heading": _STR, "text": _STR, "position": _INT,
    "source": _STR, "updated": {**_NSTR, "format": "date"}, "url": _STR,
    "grade_source": _STR, "theme": _STR,
})

SNIPPET_SPANS = {
    "type": "array",
    "description": "The snippet as plain text pieces, in order: joined, the texts are the "
                   "snippet's text (\"…\" pieces where text was left out); a piece with "
                   "`hit` true is one of the query's words. Escape each piece's text to show "
                   "it; `snippet` is exactly that, hits in <mark>.",
    "items": _obj({"text": _STR, "hit": {"type": "boolean"}}),
}

RESULT = _obj({
    "section_id": _STR, "report_id": _STR, "force": _STR, "cycle": _STR, "year": _INT,
    "pillar": _STR, "question_number": {"type": ["integer", "null"]}, "question": _STR,
    "grade": _STR, "kind": _STR, "heading": _STR,
    "snippet": {"type": "string", "description": "Escaped HTML; hits in <mark>."},
    "snippet_spans": SNIPPET_SPANS,
    "url": {"type": "string", "description": "The passage in its report page, relative."},
    "report_title": _STR, "region": _STR, "updated": {**_NSTR, "format": "date"},
})

FACET_VALUE = _obj({
    "value": _STR, "label": _STR, "count": {"type": "integer", "minimum": 0},
    "selected": {"type": "boolean"},
})

SEARCH = _obj({
    "query": _STR, "total": {"type": "integer", "minimum": 0},
    "page": {"type": "integer", "minimum": 1}, "per_page": {"type": "integer", "minimum": 1},
    "pages": {"type": "integer", "minimum": 1}, "sort": {"enum": list(SORTS)},
    "filters": {"type": "object", "additionalProperties": {"type": "array", "items": _STR}},
    "results": {"type": "array", "items": _ref("Result")},
    "facets": {"type": "object", "additionalProperties": {
        "type": "array", "items": _ref("FacetValue")}},
    "notices": {"type": "array", "items": _STR},
})

REPORT = _obj({
    "report_id": _STR, "title": _STR, "report_type": _STR, "force": _STR, "force_short": _STR,
    "force_slug": _STR, "region": _STR, "cycle": _STR, "year": _INT, "pillar": _STR,
    "updated": {**_NSTR, "format": "date"}, "url": _STR,
    "sections": {"type": "array", "items": _ref("Section"), "minItems": 1},
}, {"source": _STR})

HEALTH = _obj({
    "status": {"const": "ok"}, "index_loaded": {"type": "boolean"},
    "sections": {"type": "integer", "minimum": 0}, "reports": {"type": "integer", "minimum": 0},
    "build_id": _NSTR, "built_at": _NSTR, "schema_version": {"type": ["integer", "string", "null"]},
})

ERROR = _obj({"error": _STR, "status": {"type": "integer", "minimum": 400, "maximum": 599}})

EXPORT_ROW = _obj({
    "section_id": _STR, "report_id": _STR, "report_title": _STR, "report_type": _STR,
    "force": _STR, "region": _STR, "cycle": _STR, "year": _INT, "pillar": _STR,
    "question_number": {"type": ["integer", "null"]}, "question": _STR, "theme": _STR,
    "grade": _STR, "grade_note": _STR, "grade_source": _STR, "kind": _STR, "heading": _STR,
    "updated": {**_NSTR, "format": "date"},
    "url": {"type": "string", "format": "uri", "description": "Absolute archive link."},
    "source_url": {"type": "string", "description": "The report's published address."},
    "text": _STR,
})


_ARR = {"type": "array"}
_OBJ = {"type": "object"}
_NUM = {"type": "number"}

TRENDS = _obj({
    "query": _STR, "filters": _OBJ, "unit": _STR, "grades": _ARR,
    "cycles": {"type": "array", "items": _obj({
        "cycle": _STR, "sections": _INT, "matches": _INT, "per_100": _NUM, "forces": _INT,
        "reports": _INT, "by_grade": _ARR, "url": _STR})},
    "other_report_types": _ARR, "breaks": _ARR,
})

GRID = _obj({
    "query": _STR, "filters": _OBJ, "show": _obj({"kind": _STR, "value": _STR}),
    "only_matched": {"type": "boolean"}, "cycles": {"type": "array", "items": _STR},
    "breaks": _ARR, "choices": _ARR,
    "rows": {"type": "array", "items": _obj({
        "force": _STR, "force_slug": _STR, "region": _STR, "matches": _INT, "cells": _ARR})},
})

FORCES = _obj({"regions": {"type": "array", "items": _obj({"region": _STR, "forces": _ARR})}})

PROFILE = _obj({
    "force": _obj({"name": _STR, "short": _STR, "slug": _STR, "region": _STR}),
    "sections": _INT, "cycles": _ARR, "judgments": _ARR, "timeline": _ARR, "findings": _ARR,
    "reports": _ARR,
})

ABOUT = _obj({
    "reports": _INT, "sections": _INT, "summary": _STR, "built_at": _NSTR, "cycles": _ARR,
})

SUGGEST = _obj({"query": _STR, "suggestions": {"type": "array", "items": _obj({
    "text": _STR, "query": _STR, "kind": _STR})}})

SIMILAR = _obj({"section_id": _STR, "key_terms": _ARR, "similar": {
    "type": "array", "items": _obj({"section_id": _STR, "report_id": _STR, "heading": _STR,
                                    "score": _NUM, "url": _STR,
                                    "snippet": {"type": "string",
                                                "description": "Escaped HTML; the key terms "
                                                               "in <mark>."},
                                    "snippet_spans": SNIPPET_SPANS})}})

GLOSSARY = _obj({"terms": {"type": "array", "items": _obj({
    "term": _STR, "expansions": _ARR, "meaning": _STR, "sections": _INT})}})


def _param(name: str, description: str, schema: dict[str, Any], many: bool = False
           ) -> dict[str, Any]:
    p: dict[str, Any] = {"name": name, "in": "query", "required": False,
                         "description": description, "schema": schema}
    if many:
        p["schema"] = {"type": "array", "items": schema}
        p["style"], p["explode"] = "form", True
    return p


def _search_params(paged: bool = True) -> list[dict[str, Any]]:
    params = [_param("q", "Search words: phrases in quotes, AND/OR/NOT, brackets, prefix*.",
                     {"type": "string", "maxLength": MAX_QUERY_CHARS})]
    params += [
        _param(f.name, f"{f.label}: repeat for several values (OR); matched case-insensitively.",
               _STR, many=True)
        for f in FACETS
    ]
    params.append(_param("sort", f"{' | '.join(SORTS)}; by default relevance with a query, "
                         "newest report first without one.", {"enum": list(SORTS)}))
    if paged:
        params += [
            _param("page", f"Page of results, 1 to {MAX_PAGE:,}.",
                   {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}),
            _param("per_page", f"Results per page, 1 to {MAX_PER_PAGE} "
                   f"(default {DEFAULT_PER_PAGE}).", {"type": "integer", "minimum": 1,
                   "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE}),
        ]
    return params


def _json(schema: str, description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": _ref(schema)}}}


_BAD = _json("Error", "The request cannot be run; `error` says why and what to do.")


def document(site_name: str = "PEEL archive") -> dict[str, Any]:
    """The OpenAPI 3.1 document for every machine route."""
    text = {"type": "string"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{site_name} API",
            "version": "1",
            "description": "Full-text search of police inspection (PEEL) reports: every search "
            "page as JSON, whole-result exports and feeds, and reports with all their "
            "sections. Read-only; GET only. See /api for a guide.",
        },
        "paths": {
            "/api/search": {"get": {
                "summary": "One page of a search, with facet counts and snippets",
                "parameters": _search_params(),
                "responses": {"200": _json("SearchResponse", "The page of results."),
                              "400": _BAD},
            }},
            "/api/search.csv": {"get": {
                "summary": "Every matching section as CSV (streamed, no cap)",
                "parameters": [*_search_params(paged=False), _param(
                    "bom", "1 to start with a UTF-8 byte-order mark (for Excel).",
                    {"enum": ["0", "1"]})],
                "responses": {
                    "200": {"description": "A header row with the columns of ExportRow, then "
                            "one row per section. Cells starting with = + - @ tab or CR are "
                            "prefixed with an apostrophe.",
                            "headers": {"X-Total-Count": {"schema": _INT}},
                            "content": {"text/csv": {"schema": text}}},
                    "400": _BAD,
                },
            }},
            "/api/search.jsonl": {"get": {
                "summary": "Every matching section as JSON Lines (streamed, no cap)",
                "parameters": _search_params(paged=False),
                "responses": {
                    "200": {"description": "One ExportRow object per line.",
                            "headers": {"X-Total-Count": {"schema": _INT}},
                            "content": {"application/jsonl": {
                                "schema": text, "itemSchema": _ref("ExportRow")}}},
                    "400": _BAD,
                },
            }},
            "/api/search.atom": {"get": {
                "summary": "The search's newest matching sections as an Atom 1.0 feed",
                "parameters": _search_params(paged=False)[:-1],
                "responses": {
                    "200": {"description": "Up to 50 entries, newest report first.",
                            "content": {"application/atom+xml": {"schema": text}}},
                    "400": _BAD,
                },
            }},
            "/api/reports/{report_id}": {"get": {
                "summary": "A report and all its sections, in reading order",
                "parameters": [{"name": "report_id", "in": "path", "required": True,
                                "schema": {"type": "string",
                                           "pattern": "^[a-z0-9][a-z0-9-]{0,150}$"}}],
                "responses": {"200": _json("Report", "The report."),
                              "404": _json("Error", "No report has that id.")},
            }},
            "/api/trends": {"get": {
                "summary": "Matches per 100 sections of each PEEL cycle, by grade (the trend view)",
                "parameters": _search_params(paged=False)[:-1],
                "responses": {"200": _json("Trends", "The trend."), "400": _BAD},
            }},
            "/api/trends.csv": {"get": {
                "summary": "The trend as CSV, one row per PEEL cycle",
                "parameters": _search_params(paged=False)[:-1],
                "responses": {"200": {"description": "CSV", "content": {"text/csv": {
                    "schema": text}}}, "400": _BAD},
            }},
            "/api/grid": {"get": {
                "summary": "Forces x cycles: the grade of a theme or pillar, with matches",
                "parameters": [*_search_params(paged=False)[:-1],
                               _param("show", "theme:NAME or pillar:NAME.", _STR),
                               _param("only", "matched: only forces with a match.", _STR)],
                "responses": {"200": _json("Grid", "The grid."), "400": _BAD},
            }},
            "/api/grid.csv": {"get": {
                "summary": "The grid as CSV, one row per force and cycle",
                "parameters": [*_search_params(paged=False)[:-1],
                               _param("show", "theme:NAME or pillar:NAME.", _STR),
                               _param("only", "matched: only forces with a match.", _STR)],
                "responses": {"200": {"description": "CSV", "content": {"text/csv": {
                    "schema": text}}}, "400": _BAD},
            }},
            "/api/forces": {"get": {
                "summary": "The 43 forces by region, with the reports held for each",
                "responses": {"200": _json("Forces", "The forces.")},
            }},
            "/api/forces/{slug}": {"get": {
                "summary": "A force's profile: every judgment held, by cycle, and its findings",
                "parameters": [{"name": "slug", "in": "path", "required": True,
                                "schema": {"type": "string"}}],
                "responses": {"200": _json("Profile", "The profile."),
                              "404": _json("Error", "No force has that slug.")},
            }},
            "/api/forces/{slug}.csv": {"get": {
                "summary": "A force's judgments as CSV",
                "parameters": [{"name": "slug", "in": "path", "required": True,
                                "schema": {"type": "string"}}],
                "responses": {"200": {"description": "CSV", "content": {"text/csv": {
                    "schema": text}}}, "404": _json("Error", "No force has that slug.")},
            }},
            "/api/about": {"get": {
                "summary": "What the archive holds: reports and sections by cycle and type",
                "responses": {"200": _json("About", "The coverage.")},
            }},
            "/api/suggest": {"get": {
                "summary": "Completions of the query's last word (autocomplete)",
                "parameters": [_param("q", "The query typed so far.", _STR)],
                "responses": {"200": _json("Suggest", "The completions.")},
            }},
            "/api/sections/{section_id}/similar": {"get": {
                "summary": "Passages of other reports most like a section",
                "parameters": [{"name": "section_id", "in": "path", "required": True,
                                "schema": {"type": "string"}},
                               _param("limit", "How many (default 8).", _INT)],
                "responses": {"200": _json("Similar", "The similar passages."),
                              "404": _json("Error", "No section has that id.")},
            }},
            "/api/glossary": {"get": {
                "summary": "The policing terms the search understands, with their counts",
                "responses": {"200": _json("Glossary", "The glossary.")},
            }},
            "/healthz": {"get": {
                "summary": "Whether the index is loaded, and what it holds",
                "responses": {"200": _json("Health", "The archive is serving.")},
            }},
            "/openapi.json": {"get": {
                "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3.1",
                                      "content": {"application/json": {"schema": {
                                          "type": "object"}}}}},
            }},
        },
        "components": {"schemas": {
            "SearchResponse": SEARCH, "Result": RESULT, "FacetValue": FACET_VALUE,
            "Report": REPORT, "Section": SECTION, "Health": HEALTH, "Error": ERROR,
            "ExportRow": EXPORT_ROW, "Trends": TRENDS, "Grid": GRID, "Forces": FORCES,
            "Profile": PROFILE, "About": ABOUT, "Suggest": SUGGEST, "Similar": SIMILAR,
            "Glossary": GLOSSARY,
        }},
    }
