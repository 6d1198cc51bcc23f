"""Whole-result exports in process: the rows, cells and chunks of `webapp.export`, and the
match stream of `indexer.search.export` over a real index.

`tests/test_exports.py` checks the same exports through a real server; these tests call the
functions themselves, so that a mutation tool (which cannot see into a server subprocess) sees
them too. Expected CSV and JSON text is written by hand from the section shown; the oracle for
the stream's order is paging through `Archive.search` answered by Whoosh's own matchers and
collector (`Archive(vectorised=False)`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.model import Section
from indexer.search.engine import Archive
from indexer.search.export import count, stream
from indexer.search.request import QueryProblem, SearchRequest
from webapp.export import csv_lines, csv_stream, jsonl_lines, jsonl_stream, row, safe_cell

BASE = "https://peel.example.org/archive"
HEADER = ("section_id,report_id,report_title,report_type,force,region,cycle,year,pillar,"
          "question_number,question,theme,grade,grade_note,grade_source,kind,heading,updated,"
          "url,source_url,text\r\n")

SECTION = Section(
    report_id="kent-2017-effectiveness", section_id="kent-2017-effectiveness:q2",
    anchor="q2", report_title="Kent PEEL 2017 — Effectiveness", report_type="peel",
    force="Kent Police", force_short="Kent", force_slug="kent", region="South East",
    cycle="2017", year=2017, pillar="Effectiveness", question_number=2,
    question="How effective is the force at investigating crime?", grade="Outstanding",
    grade_note="", kind="question", heading="Investigating crime",
    text='The force’s "solvability" review, it said,\nworks.', position=3,
    source="kent-peel-2017-effectiveness.txt", updated=dt.date(2018, 3, 22),
    url="https://inspectorate.example.org/peel-2017/kent/", grade_source="line",
    theme="investigation",
)
LINK = BASE + "/reports/kent-2017-effectiveness?q=crime+review#q2"
ROW = {
    "section_id": "kent-2017-effectiveness:q2", "report_id": "kent-2017-effectiveness",
    "report_title": "Kent PEEL 2017 — Effectiveness", "report_type": "peel",
    "force": "Kent Police", "region": "South East", "cycle": "2017", "year": 2017,
    "pillar": "Effectiveness", "question_number": 2,
    "question": "How effective is the force at investigating crime?", "theme": "investigation",
    "grade": "Outstanding", "grade_note": "", "grade_source": "line", "kind": "question",
    "heading": "Investigating crime", "updated": "2018-03-22", "url": LINK,
    "source_url": "https://inspectorate.example.org/peel-2017/kent/",
    "text": 'The force’s "solvability" review, it said,\nworks.',
}


def test_a_row_holds_every_column_in_order_with_absolute_links() -> None:
    got = row(SECTION, BASE, "crime review")
    assert got == ROW and list(got) == list(ROW)
    assert row(SECTION, BASE)["url"] == BASE + "/reports/kent-2017-effectiveness#q2"


def test_csv_is_a_header_then_one_quoted_line_per_section() -> None:
    undated = dataclasses.replace(SECTION, updated=None, question_number=None, url="")
    lines = list(csv_lines([SECTION, undated], BASE, "crime review"))
    assert lines == [
        HEADER,
        "kent-2017-effectiveness:q2,kent-2017-effectiveness,Kent PEEL 2017 — Effectiveness,"
        "peel,Kent Police,South East,2017,2017,Effectiveness,2,"
        "How effective is the force at investigating crime?,investigation,Outstanding,,line,"
        f"question,Investigating crime,2018-03-22,{LINK},"
        "https://inspectorate.example.org/peel-2017/kent/,"
        '"The force’s ""solvability"" review, it said,\nworks."\r\n',
        "kent-2017-effectiveness:q2,kent-2017-effectiveness,Kent PEEL 2017 — Effectiveness,"
        "peel,Kent Police,South East,2017,2017,Effectiveness,,"
        "How effective is the force at investigating crime?,investigation,Outstanding,,line,"
        f"question,Investigating crime,,{LINK},,"
        '"The force’s ""solvability"" review, it said,\nworks."\r\n',
    ]
    assert list(csv_lines([], BASE)) == [HEADER]


def test_jsonl_is_one_object_a_line_with_the_csv_columns() -> None:
    (line,) = jsonl_lines([SECTION], BASE, "crime review")
    assert line.endswith("}\n") and line.count("\n") == 1
    assert "’" in line and "—" in line  # characters kept as they are, not \u escapes
    assert json.loads(line) == ROW
    assert list(json.loads(line)) == list(ROW)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_defused_in_every_text_column(start: str) -> None:
    value = start + 'HYPERLINK("http://x","y")'
    assert safe_cell(value) == "'" + value
    hostile = dataclasses.replace(
        SECTION, report_title=value, question=value, heading=value, text=value, url=value,
        grade_note=value, force=value, theme=value)
    (_, line) = csv_lines([hostile], BASE)
    quoted = '"' + ("'" + value).replace('"', '""') + '"'
    assert line == (
        f"kent-2017-effectiveness:q2,kent-2017-effectiveness,{quoted},peel,{quoted},"
        f"South East,2017,2017,Effectiveness,2,{quoted},{quoted},Outstanding,{quoted},line,"
        f"question,{quoted},2018-03-22,{BASE}/reports/kent-2017-effectiveness#q2,{quoted},"
        f"{quoted}\r\n")


def test_cells_that_are_not_formulas_stay_as_they_are() -> None:
    assert safe_cell("a = b") == "a = b"
    assert safe_cell("plain") == "plain"
    assert safe_cell(None) == ""
    assert safe_cell(2016) == "2016"
    assert safe_cell("") == ""
    assert safe_cell(" =1") == " =1"


def _many(n: int) -> list[Section]:
    return [dataclasses.replace(SECTION, section_id=f"s{i}", text=f"t{i}") for i in range(n)]


def test_exports_are_sent_in_chunks_of_a_hundred_lines() -> None:
    sections = _many(250)
    chunks = list(jsonl_stream(sections, BASE))
    assert [c.count(b"\n") for c in chunks] == [100, 100, 50]
    assert b"".join(chunks).decode("utf-8") == "".join(jsonl_lines(sections, BASE))
    assert not chunks[0].startswith(b"\xef\xbb\xbf")
    # CSV: the header is the first line of the first chunk.
    plain = list(csv_stream(sections, BASE))
    assert [c.count(b"\r\n") for c in plain] == [100, 100, 51]
    assert plain[0].startswith(HEADER.encode("utf-8"))
    assert b"".join(plain).decode("utf-8") == "".join(csv_lines(sections, BASE))
    # With the byte-order mark, it takes the first place in the first chunk.
    marked = list(csv_stream(sections, BASE, bom=True))
    assert [c.count(b"\r\n") for c in marked] == [99, 100, 52]
    assert marked[0] == b"\xef\xbb\xbf" + plain[0][: len(marked[0]) - 3]
    assert b"".join(marked) == b"\xef\xbb\xbf" + b"".join(plain)
    # Exactly a hundred lines make one chunk, and no empty chunk follows.
    assert [c.count(b"\n") for c in jsonl_stream(_many(100), BASE)] == [100]
    assert list(jsonl_stream([], BASE)) == []
    assert list(csv_stream([], BASE, bom=True)) == [b"\xef\xbb\xbf" + HEADER.encode("utf-8")]


# --- the stream of every match, over a real index ---

@pytest.fixture(scope="module")
def archives(archive_index: Path) -> Iterator[tuple[Archive, Archive]]:
    fast, stock = Archive(archive_index), Archive(archive_index, vectorised=False)
    yield fast, stock
    fast.close()
    stock.close()


def paged(archive: Archive, req: SearchRequest) -> list[Section]:
    """Every hit of `req`, by paging through `Archive.search` (the oracle)."""
    out: list[Section] = []
    page = 1
    while True:
        res = archive.search(dataclasses.replace(req, page=page, per_page=7), snippets=False)
        out += [h.section for h in res.hits]
        if page >= res.pages:
            return out
        page += 1


REQUESTS = [
    SearchRequest(q="force"),
    SearchRequest(q="police OR demand"),
    SearchRequest(q="force", filters={"grade": ("Good",)}),
    SearchRequest(q='"keeping people safe"'),
    SearchRequest(q="investigat*", filters={"pillar": ("Effectiveness",)}),
]


@pytest.mark.parametrize("req", REQUESTS, ids=lambda r: f"{r.q}|{dict(r.filters)}")
def test_the_stream_is_every_match_in_relevance_order(
    archives: tuple[Archive, Archive], req: SearchRequest
) -> None:
    fast, stock = archives
    expected = paged(stock, req)
    assert len(expected) > 1
    assert count(fast, req) == count(stock, req) == len(expected)
    for archive in (fast, stock):
        for chunk in (1, 3, 200):
            assert list(stream(archive, req, chunk)) == expected


def _key(s: Section) -> tuple[str, str]:
    return (s.updated.isoformat() if s.updated else "", s.report_id)


@pytest.mark.parametrize("q", ["", "force"])
def test_the_stream_in_date_order(archives: tuple[Archive, Archive], q: str) -> None:
    fast, _ = archives
    oldest = list(stream(fast, SearchRequest(q=q, sort="oldest")))
    newest = list(stream(fast, SearchRequest(q=q, sort="newest")))
    assert len(oldest) == len(newest) == count(fast, SearchRequest(q=q)) > 1
    # Reports by (updated, report id), sections of a report in reading order.
    assert oldest == sorted(oldest, key=lambda s: (_key(s), s.position))
    assert _is_newest_first(newest)
    assert len({_key(s) for s in oldest}) > 1  # more than one report, so order matters


def _is_newest_first(sections: list[Section]) -> bool:
    keys = [_key(s) for s in sections]
    return keys == sorted(keys, reverse=True) and all(
        a.position < b.position for a, b in itertools.pairwise(sections)
        if _key(a) == _key(b))


def test_a_bad_query_is_a_problem_before_any_row(archives: tuple[Archive, Archive]) -> None:
    fast, _ = archives
    with pytest.raises(QueryProblem):
        count(fast, SearchRequest(q='"unclosed'))
    with pytest.raises(QueryProblem):
        next(stream(fast, SearchRequest(q='"unclosed')))


def test_the_streams_carry_the_query_into_each_link() -> None:
    csv_text = b"".join(csv_stream([SECTION], BASE, "crime review", bom=True)).decode("utf-8")
    assert csv_text == "\ufeff" + "".join(csv_lines([SECTION], BASE, "crime review"))
    assert f",{LINK}," in csv_text
    (line,) = b"".join(jsonl_stream([SECTION], BASE, "crime review")).decode().splitlines()
    assert json.loads(line)["url"] == LINK
