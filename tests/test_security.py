"""Injection, response headers and paths, through a real server on 127.0.0.1.

A report whose text, questions, title, source URL and file name carry HTML, script,
`javascript:` links and template syntax (tests/hostile.py) is indexed by the real indexer; every
page that can show any of it, and every error message that echoes a request, is parsed and must
hold no element, attribute or link but the site's own. The JSON twins carry the same text
unaltered, and snippets hold no tag but `<mark>`. Every kind of response carries the security
headers. Paths with `..`, encoded slashes, NUL bytes or absolute paths read nothing outside the
index or the static folder.
"""

from __future__ import annotations

import asyncio
import http.client
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
import pytest

from tests.conftest import Server
from tests.hostile import (
    HOSTILE_QUERIES,
    HOSTILE_QUESTION,
    MARKER,
    REPORT_ID,
    TEMPLATE,
)
from webapp.app import create_app
from webapp.settings import Settings

STATIC = Path(__file__).resolve().parent.parent / "webapp" / "static"
# Elements a page of ours never holds; any of them in a response means markup got through.
FORBIDDEN_TAGS = {"img", "svg", "iframe", "base", "style", "object", "embed", "b", "frame"}


class PageAudit(HTMLParser):
    """Every element, attribute and text node of a page, for checking that it is inert."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.text: list[str] = []
        self._in_script: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, values))
        if tag == "script":
            self._in_script = values
            self.scripts.append((values, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        else:
            self.text.append(data)


def assert_inert(html: str) -> PageAudit:
    """The page runs no script but the site's own files, and links nowhere but http(s)/relative."""
    audit = PageAudit()
    audit.feed(html)
    audit.close()
    assert [(a, body) for a, body in audit.scripts] == [
        ({"src": "/static/site.js"}, ""), ({"src": "/static/suggest.js", "defer": ""}, "")]
    for tag, attrs in audit.tags:
        assert tag not in FORBIDDEN_TAGS, (tag, attrs)
        assert not (tag == "meta" and "http-equiv" in attrs), attrs
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, attrs)
            if name in ("href", "src", "action", "formaction"):
                assert not value.strip().lower().startswith(("javascript:", "data:text")), attrs
    return audit


@pytest.fixture(scope="module")
def client(hostile_server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=hostile_server.base, timeout=10) as c:
        yield c


def _page(path: str, **params: str) -> str:
    return f"{path}?{urlencode(params)}" if params else path


HOSTILE_PAGES = [
    # results, snippets and facets (the question facet's values carry markup)
    _page("/", q=MARKER),
    _page("/", q=MARKER, per_page="1", page="2"),
    # an active filter chip, hidden form inputs and toggle links built from a hostile value
    _page("/", q=MARKER, question=HOSTILE_QUESTION),
    _page("/", question=HOSTILE_QUESTION, sort="oldest"),
    # the report page: title, file name, source URL, headings, paragraphs, highlights
    f"/reports/{REPORT_ID}",
    _page(f"/reports/{REPORT_ID}", q=MARKER),
    _page(f"/reports/{REPORT_ID}", q="window"),
    _page(f"/reports/{REPORT_ID}", q="script"),
    # the force profile: report titles, question wordings, findings, citations' sources
    "/forces/cleveland",
]
ECHO_PAGES = [
    # error messages and notices that repeat what the request said
    *(_page("/", q=q) for q in HOSTILE_QUERIES),
    *(_page(f"/reports/{REPORT_ID}", q=q) for q in HOSTILE_QUERIES),
    _page("/", grade='<script>window.__pwned="grade"</script>'),
    _page("/", force="\"><img src=x onerror=window.__pwned='force'>"),
    _page("/", sort="<svg onload=window.__pwned='sort'>"),
    _page("/", page="<script>window.__pwned='page'</script>"),
    _page("/", per_page="{{7*7}}"),
    "/reports/%3Cscript%3Ewindow.__pwned=1%3C%2Fscript%3E",
    "/no-such-page%3Cscript%3Ewindow.__pwned=1%3C%2Fscript%3E",
]


@pytest.mark.parametrize("path", HOSTILE_PAGES)
def test_hostile_report_text_renders_as_text(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    audit = assert_inert(response.text)
    text = "".join(audit.text)
    assert "window.__pwned" in text  # the payloads are there, shown as text
    assert TEMPLATE in text or "q=" in path  # template syntax shown literally, not run
    assert "people 49 fairly" not in text
    assert "&lt;script" in response.text or "&lt;img" in response.text


@pytest.mark.parametrize("path", ECHO_PAGES)
def test_echoed_requests_render_as_text(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (200, 400, 404)
    audit = assert_inert(response.text)
    if "%7B%7B7%2A7%7D%7D" in path:
        assert TEMPLATE in "".join(audit.text)  # shown literally, never evaluated to 49


def test_report_page_shows_hostile_metadata_literally(client: httpx.Client) -> None:
    text = "".join(assert_inert(client.get(f"/reports/{REPORT_ID}").text).text)
    assert 'Cleveland <script>window.__pwned="title"</script>' in text  # sidecar title
    assert "javascript:window.__pwned='url'" in text  # sidecar URL, as text, never a link
    # No file name or server path on the page (issue 9): the source address stands instead,
    # derived from the URL patterns since the sidecar's is not a web address.
    assert "onerror=window.__pwned='file'" not in text
    assert "https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2016/cleveland/" \
        "legitimacy/" in text
    assert HOSTILE_QUESTION in text


def test_json_carries_hostile_text_unaltered_and_snippets_escaped(client: httpx.Client) -> None:
    response = client.get("/api/search", params={"q": MARKER, "per_page": 100})
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["total"] == 4
    questions = {r["question"] for r in body["results"]}
    assert HOSTILE_QUESTION in questions
    assert {r["report_title"] for r in body["results"]} == {
        "Cleveland <script>window.__pwned=\"title\"</script> "
        "\"><img src=x onerror=window.__pwned='title-img'> {{7*7}}"
    }
    for r in body["results"]:
        assert set(re.findall(r"</?[a-zA-Z][^>]*>", r["snippet"])) <= {"<mark>", "</mark>"}
        assert "<mark>xylozebra</mark>" in r["snippet"]
    assert any("&lt;script&gt;" in r["snippet"] for r in body["results"])
    # The spans carry the same snippet as plain text: the hostile markup as written.
    spans = [sp for r in body["results"] for sp in r["snippet_spans"]]
    assert any("<script>" in sp["text"] for sp in spans)
    assert {sp["text"] for sp in spans if sp["hit"]} == {MARKER}
    assert any(v["value"] == HOSTILE_QUESTION for v in body["facets"]["question"])

    report = client.get(f"/api/reports/{REPORT_ID}").json()
    assert report["url"] == "javascript:window.__pwned='url'"
    assert any(s["question"] == HOSTILE_QUESTION for s in report["sections"])

    error = client.get("/api/search", params={"grade": "<script>x</script>"})
    assert error.status_code == 400
    assert "<script>x</script>" in error.json()["error"]  # JSON, served as JSON with nosniff
    assert error.headers["content-type"] == "application/json"


# -- headers ---------------------------------------------------------------------------------

HEADER_CASES = [
    ("GET", "/", 200),
    ("GET", f"/?q={MARKER}", 200),
    ("GET", f"/api/search?q={MARKER}", 200),
    ("GET", f"/reports/{REPORT_ID}", 200),
    ("GET", f"/api/reports/{REPORT_ID}", 200),
    ("GET", "/healthz", 200),
    ("GET", "/static/site.css", 200),
    ("GET", "/static/site.js", 200),
    ("HEAD", "/", 200),
    ("GET", "/?page=0", 400),
    ("GET", "/api/search?q=AND", 400),
    ("GET", "/reports/no-such-report", 404),
    ("GET", "/api/reports/no-such-report", 404),
    ("GET", "/no/such/page", 404),
    ("GET", "/static/no-such-file.css", 404),
    ("GET", "/static", 307),
    ("POST", "/", 405),
    ("POST", "/api/search", 405),
]


def assert_security_headers(headers: httpx.Headers) -> None:
    csp = {
        d.split()[0]: d.split()[1:]
        for d in headers["content-security-policy"].split(";")
        if d.strip()
    }
    assert csp["default-src"] == ["'none'"]
    assert csp["script-src"] == ["'self'"]  # no inline script, no eval, no other origin
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    for directive, sources in csp.items():
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"} & set(sources), (
            directive
        )
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] in ("same-origin", "no-referrer", "strict-origin")
    assert headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(("method", "path", "status"), HEADER_CASES)
def test_security_headers_on_every_kind_of_response(
    client: httpx.Client, method: str, path: str, status: int
) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    assert_security_headers(response.headers)


def test_server_error_is_explained_with_headers_and_no_detail(hostile_index: Path) -> None:
    """A fault inside the app (forced here) is a 500 with a sentence, the headers, no trace."""
    app = create_app(Settings(index_dir=hostile_index))

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    app.state.archive.search = broken

    async def fetch(path: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://archive") as ac:
            return await ac.get(path)

    for path in ("/?q=THRIVE", "/api/search?q=THRIVE"):
        response = asyncio.run(fetch(path))
        assert response.status_code == 500
        assert "secret internal detail" not in response.text
        assert "Traceback" not in response.text
        assert_security_headers(response.headers)
    assert "error" in asyncio.run(fetch("/api/search?q=THRIVE")).json()


# -- paths -----------------------------------------------------------------------------------

# Text that would only appear if a file outside the static folder or the index were served.
LEAKS = ("def create_app", "root:x:0", "SCHEMA_VERSION", '"files"', "import ", "[project]")
RAW_PATHS = [
    "/static/../app.py",
    "/static/..%2Fapp.py",
    "/static/..%252Fapp.py",
    "/static/%2e%2e/app.py",
    "/static/%2e%2e%2fapp.py",
    "/static/..%5Capp.py",
    "/static/%c0%ae%c0%ae/app.py",
    "/static/site.css/../../app.py",
    "/static/site.css%00",
    "/static/site.css%00.png",
    "/static/%00",
    "/static//etc/passwd",
    "/static/%2Fetc%2Fpasswd",
    "/static/%252Fetc%252Fpasswd",
    "/static/../../../../../../etc/passwd",
    "/static/..%2F..%2F..%2F..%2Fpyproject.toml",
    "/static/templates/../../app.py",
    "/%2e%2e/%2e%2e/etc/passwd",
    "//etc/passwd",
    "/reports/..%2F..%2Fetc%2Fpasswd",
    "/reports/%2e%2e%2fcurrent%2fmanifest.json",
    "/reports/..",
    "/reports/%00",
    f"/reports/{REPORT_ID}%00",
    f"/reports/{REPORT_ID}%00.json",
    "/reports/%2Fetc%2Fpasswd",
    "/reports//etc/passwd",
    "/api/reports/..",
    "/api/reports/%2e%2e",
    "/api/reports/..%2F..%2Fbuilds",
    "/api/reports/%252e%252e%252fcurrent",
    f"/api/reports/{REPORT_ID}/../../etc/passwd",
    "/api/reports/%00",
    "/healthz%00",
    "/%00",
]


def raw_get(server: Server, path: str) -> tuple[int, bytes]:
    """A GET of exactly `path`, as sent on the wire (no client-side normalising)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=False, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize("path", RAW_PATHS)
def test_paths_never_read_outside_the_index_or_static_folder(
    hostile_server: Server, path: str
) -> None:
    status, body = raw_get(hostile_server, path)
    assert status in (400, 404), (path, status)
    text = body.decode("utf-8", "replace")
    for leak in LEAKS:
        assert leak not in text, (path, leak)


def test_static_folder_serves_only_its_own_files(hostile_server: Server) -> None:
    for name in sorted(p.name for p in STATIC.iterdir()):
        status, body = raw_get(hostile_server, f"/static/{quote(name)}")
        assert (status, body) == (200, (STATIC / name).read_bytes())
