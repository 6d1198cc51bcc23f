"""Whole-result exports (CSV, JSON Lines) and the Atom feed, through a real server.

The oracle for "every match, in order" is the paged JSON API: paging through `/api/search`
must give the same sections in the same order as one export.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from indexer.build import build
from indexer.model import Section
from indexer.search.engine import Archive
from indexer.search.export import stream
from indexer.search.request import SearchRequest
from tests.conftest import FIXTURE_CORPUS, SEED, Server
from webapp.export import COLUMNS, _cell, csv_lines
from webapp.urls import public_base

ATOM = "{http://www.w3.org/2005/Atom}"
PUBLIC = "https://peel.example.org/archive"
SOURCE = "https://inspectorate.example.org/peel-2016/metropolitan-efficiency/"


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base, timeout=30) as c:
        yield c


def paged(client: httpx.Client, params: dict[str, str]) -> list[dict[str, object]]:
    """Every result of a search, by paging through the JSON API (the oracle)."""
    out: list[dict[str, object]] = []
    page = 1
    while True:
        body = client.get("/api/search", params={**params, "page": page, "per_page": 7}).json()
        out.extend(body["results"])
        if page >= body["pages"]:
            return out
        page += 1


SEARCHES = [
    {"q": "demand"},
    {"q": "force", "sort": "oldest"},
    {"q": "police OR force", "grade": "Good"},
    {"grade": "Requires improvement", "kind": "area_for_improvement"},
    {},
]


def _id(params: dict[str, str]) -> str:
    return "&".join(f"{k}={v}" for k, v in params.items()) or "all"


@pytest.mark.parametrize("params", SEARCHES, ids=_id)
def test_csv_and_jsonl_carry_every_match_in_the_search_order(
    client: httpx.Client, params: dict[str, str]
) -> None:
    expected = [r["section_id"] for r in paged(client, params)]
    assert expected, params
    r = client.get("/api/search.csv", params=params)
    assert r.status_code == 200 and r.headers["x-total-count"] == str(len(expected))
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["section_id"] for row in rows] == expected
    j = client.get("/api/search.jsonl", params=params)
    assert j.status_code == 200 and j.headers["content-type"].startswith("application/jsonl")
    lines = [json.loads(line) for line in j.text.splitlines()]
    assert [line["section_id"] for line in lines] == expected
    assert all(list(line) == list(COLUMNS) for line in lines)


def test_export_rows_hold_the_sections_text_and_absolute_links(client: httpx.Client) -> None:
    base = str(client.base_url).rstrip("/")
    rows = list(csv.DictReader(io.StringIO(
        client.get("/api/search.csv", params={"q": "solvability"}).text)))
    report = client.get("/api/reports/metropolitan-2016-efficiency").json()
    by_id = {s["section_id"]: s for s in report["sections"]}
    met = [row for row in rows if row["report_id"] == "metropolitan-2016-efficiency"]
    assert met
    for row in met:
        section = by_id[row["section_id"]]
        assert row["text"] == section["text"]  # the whole text, not a snippet
        assert row["grade"] == section["grade"] and row["heading"] == section["heading"]
        assert row["url"] == (f"{base}/reports/metropolitan-2016-efficiency"
                              f"?q=solvability#{section['anchor']}")
        assert row["source_url"] == report["url"]
        assert client.get(row["url"]).status_code == 200


def test_bom_export_opens_with_the_characters_intact(client: httpx.Client) -> None:
    r = client.get("/api/search.csv", params={"q": "force", "bom": "1"})
    assert r.content.startswith(b"\xef\xbb\xbf")
    plain = client.get("/api/search.csv", params={"q": "force"})
    assert not plain.content.startswith(b"\xef\xbb\xbf")
    assert r.content[3:] == plain.content
    # What a spreadsheet does: read the bytes with the BOM-aware codec, then the CSV.
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == list(COLUMNS)  # the BOM is not glued to the first header
    assert len(rows) == int(r.headers["x-total-count"])
    titles = {row["report_title"] for row in rows}
    assert "Metropolitan PEEL 2016 — Efficiency" in titles
    assert any("’" in row["text"] for row in rows)
    assert not any("â€" in row["text"] or "\ufffd" in row["text"] for row in rows)
    page = client.get("/", params={"q": "force"}).text
    assert 'href="/api/search.csv?q=force&amp;bom=1"' in page and "CSV for Excel" in page


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_starting_a_formula_are_neutralised(start: str) -> None:
    value = f"{start}HYPERLINK(\"http://x\")"
    assert _cell(value) == "'" + value
    section = Section(
        report_id="r", section_id="r:a", anchor="a", report_title=value, report_type="",
        force="", force_short="", force_slug="", region="", cycle="2016", year=2016,
        pillar="", question_number=None, question=value, grade="", grade_note="",
        kind="summary", heading=value, text=value, position=0, source="", updated=None,
        url=value,
    )
    text = "".join(csv_lines([section], "http://h"))
    row = next(csv.DictReader(io.StringIO(text, newline="")))
    for column in ("report_title", "question", "heading", "text", "source_url"):
        assert row[column] == "'" + value, column
    assert _cell("plain") == "plain" and _cell(None) == "" and _cell(2016) == "2016"


@pytest.mark.parametrize("path", ["/api/search.csv", "/api/search.jsonl", "/api/search.atom"])
def test_bad_exports_are_explained_before_any_row(client: httpx.Client, path: str) -> None:
    for params in ({"q": '"oops'}, {"grade": "Brilliant"}, {"q": "a*"}):
        r = client.get(path, params=params)
        assert r.status_code == 400 and r.json()["error"], (path, params)


def test_the_stream_matches_paging_at_every_chunk_size(archive_index: Path) -> None:
    archive = Archive(archive_index)
    try:
        for req in (SearchRequest(q="force"), SearchRequest(), SearchRequest(sort="oldest")):
            pages: list[str] = []
            page = 1
            while True:
                res = archive.search(SearchRequest(q=req.q, sort=req.sort, page=page,
                                                   per_page=9), snippets=False)
                pages += [h.section.section_id for h in res.hits]
                if page >= res.pages:
                    break
                page += 1
            for chunk in (1, 4, 200):
                assert [s.section_id for s in stream(archive, req, chunk)] == pages
    finally:
        archive.close()


def test_atom_feed_is_valid_and_newest_first(client: httpx.Client) -> None:
    base = str(client.base_url).rstrip("/")
    r = client.get("/api/search.atom", params={"q": "force", "grade": "Good"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(r.content)
    assert feed.tag == f"{ATOM}feed"
    # RFC 4287: a feed has exactly one id, title and updated, and an author.
    for name in ("id", "title", "updated", "author"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"] == f"{base}/api/search.atom?q=force&grade=Good"
    assert links["alternate"] == f"{base}/?q=force&grade=Good"
    entries = feed.findall(f"{ATOM}entry")
    total = client.get("/api/search", params={"q": "force", "grade": "Good"}).json()["total"]
    assert len(entries) == min(total, 50) > 1
    stamps = []
    for e in entries:
        for name in ("id", "title", "updated", "summary"):
            assert len(e.findall(f"{ATOM}{name}")) == 1, name
        alternate = e.find(f"{ATOM}link[@rel='alternate']")
        assert alternate is not None and alternate.get("href", "").startswith(base + "/reports/")
        assert client.get(alternate.get("href", "")).status_code == 200
        stamps.append(e.findtext(f"{ATOM}updated"))
        assert (e.findtext(f"{ATOM}summary") or "").strip()
        assert e.findtext(f"{ATOM}title", "").startswith(("Metropolitan", "Durham", "Kent",
                                                           "Thames", "Avon", "Devon", "Dyfed",
                                                           "Greater", "Leicestershire"))
    assert stamps == sorted(stamps, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == stamps[0]
    page = client.get("/", params={"q": "force", "grade": "Good"}).text
    assert ('<link rel="alternate" type="application/atom+xml" title="Feed of this search" '
            'href="/api/search.atom?q=force&amp;grade=Good">') in page
    assert "Follow this search (Atom feed)" in page


def test_public_base_never_trusts_a_forged_host() -> None:
    forged = [(b"host", b"evil.example")]
    assert public_base(PUBLIC + "/", {"server": ("127.0.0.1", 8000)}) == PUBLIC
    assert public_base("", {"server": ("127.0.0.1", 8000), "headers": forged,
                            "scheme": "http"}) == "http://127.0.0.1:8000"
    assert public_base("", {"server": ("::1", 8000), "headers": forged}) == "http://[::1]:8000"
    # Listening on every address: a plain host header is the only clue, a crafted one is not.
    wild = {"server": ("0.0.0.0", 8000), "scheme": "http"}
    assert public_base("", {**wild, "headers": [(b"host", b"peel.example:8000")]}) == (
        "http://peel.example:8000")
    for bad in (b"evil.example/x?", b"a b", b"x@evil", b"evil\"><script>"):
        assert public_base("", {**wild, "headers": [(b"host", bad)]}) == "http://localhost:8000"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with --public-url over a report whose sidecar names its published address."""
    tmp = tmp_path_factory.mktemp("published")
    corpus = tmp / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    (corpus / (SEED.name + ".meta.json")).write_text(json.dumps({"url": SOURCE}), "utf-8")
    shutil.copy(FIXTURE_CORPUS / "kent-peel-2017-effectiveness.txt", corpus)
    assert not build([corpus], tmp / "ix").failures
    srv = Server(tmp / "ix", "--public-url", PUBLIC + "/")
    yield srv.base
    srv.stop()


def test_links_use_the_public_url_and_rows_carry_the_source_address(published: str) -> None:
    rows = list(csv.DictReader(io.StringIO(
        httpx.get(published + "/api/search.csv", params={"q": "force"}, timeout=30).text)))
    met = [r for r in rows if r["report_id"] == "metropolitan-2016-efficiency"]
    kent = [r for r in rows if r["report_id"].startswith("kent")]
    assert met and kent
    assert all(r["source_url"] == SOURCE for r in met)
    assert all(r["source_url"] == "" for r in kent)
    assert all(r["url"].startswith(PUBLIC + "/reports/") for r in rows)
    feed = httpx.get(published + "/api/search.atom", params={"q": "force"}, timeout=30).text
    assert f'href="{PUBLIC}/api/search.atom?q=force"' in feed
    assert f'<link rel="related" href="{SOURCE}"/>' in feed
