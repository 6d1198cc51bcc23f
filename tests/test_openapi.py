"""`/openapi.json` describes every machine route, and real responses match its schemas.

Responses come from a real server; each is validated with jsonschema (OpenAPI 3.1 schemas are
JSON Schema 2020-12) against the schema the document declares for its route and status.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from tests.conftest import Server
from webapp.app import create_app
from webapp.settings import Settings


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def spec(client: httpx.Client) -> dict[str, Any]:
    r = client.get("/openapi.json")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    doc: dict[str, Any] = r.json()
    return doc


def validator(spec: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    registry = Registry().with_resource("urn:spec", Resource.from_contents(
        {**spec, "$schema": "https://json-schema.org/draft/2020-12/schema"}))
    rooted = json.loads(json.dumps(schema).replace('"#/components', '"urn:spec#/components'))
    return Draft202012Validator(rooted, registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def check(spec: dict[str, Any], path: str, status: int, body: Any) -> None:
    response = spec["paths"][path]["get"]["responses"][str(status)]
    schema = response["content"]["application/json"]["schema"]
    validator(spec, schema).validate(body)


def test_document_is_openapi_31_with_valid_schemas(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1") and spec["info"]["title"]
    for schema in spec["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    for path, item in spec["paths"].items():
        op = item["get"]
        assert op["summary"] and op["responses"], path
        assert set(item) == {"get"}, path  # read-only: GET alone


def test_every_machine_route_is_described(spec: dict[str, Any], archive_index: Any) -> None:
    app = create_app(Settings(index_dir=archive_index))
    served = {r.path for r in app.routes if hasattr(r, "methods") and (
        r.path.startswith("/api/") or r.path in ("/healthz", "/openapi.json"))}
    app.state.archive.close()
    assert served == set(spec["paths"])


@pytest.mark.parametrize("params", [
    {"q": "solvability"},
    {"q": "force", "grade": ["Good", "Requires improvement"], "per_page": 3, "page": 2},
    {"sort": "oldest", "kind": "area_for_improvement"},
    {"q": "zzzzqqqq"},
    {"q": "demand", "page": 999},
])
def test_search_responses_match_the_schema(
    client: httpx.Client, spec: dict[str, Any], params: dict[str, Any]
) -> None:
    r = client.get("/api/search", params=params)
    assert r.status_code == 200
    check(spec, "/api/search", 200, r.json())


@pytest.mark.parametrize("path", ["/api/search", "/api/search.csv", "/api/search.jsonl",
                                  "/api/search.atom"])
def test_errors_match_the_schema(client: httpx.Client, spec: dict[str, Any], path: str) -> None:
    for params in ({"q": '"x'}, {"grade": "Brilliant"}, {"per_page": "1000"}):
        r = client.get(path, params=params)
        assert r.status_code == 400
        check(spec, path, 400, r.json())


def test_report_health_and_export_rows_match_the_schema(
    client: httpx.Client, spec: dict[str, Any]
) -> None:
    report = client.get("/api/reports/metropolitan-2016-efficiency")
    check(spec, "/api/reports/{report_id}", 200, report.json())
    missing = client.get("/api/reports/no-such-report")
    assert missing.status_code == 404
    check(spec, "/api/reports/{report_id}", 404, missing.json())
    check(spec, "/healthz", 200, client.get("/healthz").json())
    row_schema = validator(spec, {"$ref": "#/components/schemas/ExportRow"})
    lines = client.get("/api/search.jsonl", params={"q": "force"}).text.splitlines()
    assert len(lines) > 10
    for line in lines:
        row_schema.validate(json.loads(line))
    header = next(csv.reader(io.StringIO(client.get("/api/search.csv",
                                                    params={"q": "force"}).text)))
    assert header == list(spec["components"]["schemas"]["ExportRow"]["properties"])


def test_api_guide_lists_every_route(client: httpx.Client, spec: dict[str, Any]) -> None:
    page = client.get("/api").text
    for path in spec["paths"]:
        assert f"<code>GET {path}</code>" in page
    assert 'href="/openapi.json"' in page


@pytest.mark.parametrize("path", [
    "/api/trends?q=demand", "/api/grid?q=demand", "/api/forces", "/api/forces/kent",
    "/api/about", "/api/suggest?q=solv", "/api/sections/metropolitan-2016-efficiency:q2/similar",
    "/api/glossary",
])
def test_research_and_language_routes_match_the_schema(
    client: httpx.Client, spec: dict[str, Any], path: str
) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.text
    template = {"/api/forces/kent": "/api/forces/{slug}",
                "/api/sections/metropolitan-2016-efficiency:q2/similar":
                "/api/sections/{section_id}/similar"}.get(path.split("?")[0], path.split("?")[0])
    check(spec, template, 200, r.json())
