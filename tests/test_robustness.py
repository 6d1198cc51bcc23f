"""Bad input of every kind: generated queries and parameters, broken files, broken indexes.

* Thousands of generated queries and parameter sets (unbalanced quotes and brackets, operators
  alone, huge terms, wildcards, ranges, unicode, control characters and NUL, unknown facets and
  values, out-of-range pages, repeated parameters) go to both the search page and the JSON API
  of a real server. Every answer is a 200, or a 4xx that explains itself; never a 5xx. No
  latency is asserted (speed is measured by `scripts/bench`); `HANG_GUARD` is the client's
  time-out, only so that a hung request fails instead of hanging the suite.
* Wildcard and range expansion is refused before it can reach the engine unbounded.
* Good report files mixed with broken ones: every good file is indexed, every bad one named,
  and the sections counted in (each good file parsed alone) equal the sections in the index.
* A corrupted or foreign directory given to `peel-web serve` is one clear line at start-up.
"""

from __future__ import annotations

import http.client
import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.build import build, parse_file
from indexer.schema import FACET_NAMES
from indexer.search.request import MAX_PAGE, MAX_PER_PAGE, MAX_QUERY_CHARS, MIN_WILDCARD_PREFIX
from indexer.store import current_build, open_index
from tests.conftest import BROKEN, FIXTURE_CORPUS, ROOT, SEED, Server

HANG_GUARD = 60.0  # seconds: the client's time-out, a hang guard only, not a speed bound
ENDPOINTS = ("/", "/api/search")

# -- generated requests ----------------------------------------------------------------------

WORDS = [
    "THRIVE", "solvability", "demand", "crime", "victims", "force", "risk", "harm", "Kent",
    "neighbourhood", "investigation", "the", "and", "of", "a", "xylophone", "kaleidoscope",
]
SYNTAX = [
    '"', "(", ")", "*", "?", "**", "*?*", "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "[", "]",
    "{", "}", "TO", "to", "~", "~2", "^", "^9", ":", "*:*", "+", "-", "'", "\\", "/", "%", "&",
    "#", "=", "<script>", "{{7*7}}", "${x}", "..", "%00", "&amp;", "\x00", "\x01", "\x08",
    "\x1b", "\x7f", "\u0085", "\u200b", "\u202e", "\ufeff", "\ufffd", "é", "ß", "İ", "ﬁ", "中文",
    "🚓", "e\u0301", "\u00a0", "\t", "\n", "\r",
]
NUMBERS = [
    "0", "-1", "1", "2", "20", "99", "100", "101", "9999", str(MAX_PAGE), str(MAX_PAGE + 1),
    str(10**6), str(10**9), str(2**63), "9" * 5000, "1e3", "0x10", "1.5", " 3 ", "", " ",
    "NaN", "inf", "-0", "+5", "١٢", "1_0", "\x00", "３",
]
FACET_VALUES = [
    "Good", "good", "GOOD", "Requires improvement", "Outstanding", "Nope", "", " ",
    "Kent Police", "kent", "Metropolitan Police Service", "2016", "2018/19", "1900",
    "Efficiency", "summary", "question", "area_for_improvement", "PEEL assessment",
    "<script>x</script>", "\x00", "🚓", "a" * 300,
]
PARAM_NAMES = [
    "q", "page", "per_page", "sort", *FACET_NAMES, "Q", "PAGE", "foo", "", "q[]", "grade[]",
    "facet", "year", "region", "\x00", "🚓",
]

unicode_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=10
)
wildcard = st.builds(
    lambda word, cut, mark: word[: max(0, cut)] + mark,
    st.sampled_from(WORDS),
    st.integers(0, 6),
    st.sampled_from(["*", "?", "*?", "?*", "**", "*x", "?s*"]),
)
range_syntax = st.builds(
    lambda o, a, b, c: f"{o}{a} TO {b}{c}",
    st.sampled_from("[{"),
    st.sampled_from(["a", "", "0", "'x]'", "crime"]),
    st.sampled_from(["z", "", "zzzz", "9"]),
    st.sampled_from("]}"),
)
huge_term = st.builds(
    lambda c, n: c * n, st.sampled_from(["a", "é", "x*", "🚓", '"']), st.integers(100, 1500)
)
token = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(SYNTAX),
    wildcard,
    range_syntax,
    unicode_text,
    huge_term,
)
# Kept under 2,000 characters (up to 24 kB percent-encoded): httpx refuses longer URLs, so
# longer ones are sent raw in `test_oversized_requests_are_refused_not_failed`.
queries = st.lists(
    st.tuples(token, st.sampled_from([" ", "", " ", "  "])), min_size=0, max_size=10
).map(lambda parts: "".join(t + sep for t, sep in parts)[:2000])

param_value = st.one_of(
    st.sampled_from(NUMBERS), st.sampled_from(FACET_VALUES), unicode_text, queries
)
param_sets = st.lists(
    st.tuples(st.sampled_from(PARAM_NAMES), param_value), min_size=0, max_size=8
).filter(lambda items: sum(len(v) for _, v in items) <= 4000)


class Prober:
    """Sends requests to one server and checks every answer against the promises."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.sent = 0
        self.by_status: dict[int, int] = {}

    def check(self, path: str, params: list[tuple[str, str]]) -> httpx.Response:
        response = self.client.get(path, params=params)
        self.sent += 1
        status = response.status_code
        self.by_status[status] = self.by_status.get(status, 0) + 1
        where = f"{path} {params!r:.300}"
        assert status == 200 or 400 <= status < 500, f"{status} for {where}: {response.text:.300}"
        if path.startswith("/api/"):
            body = response.json()
            if status == 200:
                assert isinstance(body["total"], int) and body["total"] >= 0
                assert len(body["results"]) <= body["per_page"] <= MAX_PER_PAGE
                assert 1 <= body["page"] <= MAX_PAGE
            else:
                assert isinstance(body["error"], str) and len(body["error"]) > 10, where
                assert body["status"] == status
        elif status != 200:
            assert 'role="alert"' in response.text, where
        return response

    def both(self, params: list[tuple[str, str]]) -> None:
        for path in ENDPOINTS:
            self.check(path, params)


@pytest.fixture(scope="module")
def prober(server: Server) -> Iterator[Prober]:
    with httpx.Client(base_url=server.base, timeout=HANG_GUARD) as client:
        yield Prober(client)


FAST = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def test_generated_queries_are_answered_or_explained(prober: Prober) -> None:
    before = prober.sent

    @FAST
    @given(batch=st.lists(queries, min_size=1, max_size=4))
    def each(batch: list[str]) -> None:
        for q in batch:
            prober.both([("q", q)])

    each()
    sent = prober.sent - before
    assert sent >= 1000, sent
    print(f"\nqueries: {sent} requests, {prober.by_status}")


def test_generated_parameter_sets_are_answered_or_explained(prober: Prober) -> None:
    before = prober.sent

    @FAST
    @given(batch=st.lists(param_sets, min_size=1, max_size=3))
    def each(batch: list[list[tuple[str, str]]]) -> None:
        for params in batch:
            prober.both(params)

    each()
    assert prober.sent - before >= 600


# The edges, each sent for certain (a property test may not hit every one).
EDGE_PARAMS: list[list[tuple[str, str]]] = [
    [("page", "0")],
    [("page", "-1")],
    [("page", str(10**9))],
    [("per_page", str(10**6))],
    [("per_page", "0")],
    [("page", str(MAX_PAGE)), ("q", "THRIVE")],
    [("page", "9" * 5000)],
    [("q", "x" * (MAX_QUERY_CHARS + 1))],
    [("q", "THRIVE " * 400)],
    [("q", "\x00")],
    [("q", "THRIVE\x00demand")],
    [("q", "".join(chr(c) for c in range(32)))],
    [("q", '"risk of harm')],
    [("q", "(demand OR crime")],
    [("q", "demand)")],
    [("q", "AND")],
    [("q", "NOT")],
    [("q", "OR OR")],
    [("q", "*")],
    [("q", "?")],
    [("q", "*:*")],
    [("q", "a*")],
    [("q", "ab?")],
    [("q", "[a TO z]")],
    [("q", "{a TO zzzz}")],
    [("q", "[tomato]")],
    [("q", "THRIVE~99")],
    [("q", "THRIVE^99999999999")],
    [("q", "🚓 中文 é")],
    [("grade", "Nope")],
    [("nonsense", "x"), ("grade", "Good"), ("grade", "good"), ("grade", "GOOD")],
    [("q", "THRIVE"), ("q", "demand"), ("page", "1"), ("page", "2")],
    [("sort", "sideways")],
    *([(name, "<script>x</script>")] for name in FACET_NAMES),
]


@pytest.mark.parametrize("params", EDGE_PARAMS, ids=lambda p: repr(p)[:40])
def test_edge_requests_are_answered_or_explained(
    prober: Prober, params: list[tuple[str, str]]
) -> None:
    prober.both(params)


def test_oversized_requests_are_refused_not_failed(server: Server) -> None:
    """Past the query limit: a 400 that says so; past the server's request-line limit, the
    connection is refused before the app (uvicorn), never answered with a 5xx."""
    for n in (MAX_QUERY_CHARS + 1, 20_000, 60_000):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        try:
            conn.putrequest("GET", "/api/search?q=" + "a" * n, skip_accept_encoding=True)
            conn.endheaders()
            response = conn.getresponse()
            assert response.status == 400
            assert f"the limit is {MAX_QUERY_CHARS}" in response.read().decode()
        finally:
            conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.putrequest("GET", "/api/search?q=" + "a" * 1_000_000, skip_accept_encoding=True)
        conn.endheaders()
        status = conn.getresponse().status
    except (ConnectionError, http.client.HTTPException):
        status = 0  # dropped by the server
    finally:
        conn.close()
    assert status == 0 or 400 <= status < 500


def test_every_wildcard_short_prefix_or_range_is_refused(prober: Prober) -> None:
    """Expansion is capped: a short prefix and any range are a 400 before the engine runs."""
    short = [
        "".join(p) for n in range(MIN_WILDCARD_PREFIX) for p in itertools.product("ae", repeat=n)
    ]
    for head in short:
        for mark in ("*", "?", "*s"):
            response = prober.check("/api/search", [("q", f"{head}{mark}")])
            assert response.status_code == 400
            assert "wildcard" in response.json()["error"] or "no words" in response.json()["error"]
    for q in ("[a TO z]", "{a TO z}", "[TO z]", "[a TO]", "[tomato]", "x [b to c] y"):
        response = prober.check("/api/search", [("q", q)])
        assert response.status_code == 400
        assert "Ranges" in response.json()["error"]


def test_a_wildcard_over_the_whole_vocabulary_is_capped(tmp_path: Path) -> None:
    """A prefix matching more than MAX_EXPANSION words is refused, not run (real engine)."""
    from indexer.search.engine import MAX_EXPANSION, Archive, QueryProblem
    from indexer.search.request import parse_request

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    words = [f"zqx{i:04d}" for i in range(MAX_EXPANSION + 10)]
    text = (FIXTURE_CORPUS / "kent-peel-2017-effectiveness.txt").read_text("utf-8")
    (corpus / "kent-peel-2017-effectiveness.txt").write_text(
        text.replace("THRIVE model", "THRIVE model " + " ".join(words)), "utf-8"
    )
    build([corpus], tmp_path / "ix")
    archive = Archive(tmp_path / "ix")
    assert archive.search(parse_request([("q", "zqx000*")])).total == 1  # 10 words: fine
    with pytest.raises(QueryProblem, match=f"more than {MAX_EXPANSION} different words"):
        archive.search(parse_request([("q", "zqx*")]))


# -- good files mixed with broken ones -------------------------------------------------------


def test_mixed_good_and_broken_files_count_every_section_in_and_out(tmp_path: Path) -> None:
    mixed = tmp_path / "mixed"
    shutil.copytree(FIXTURE_CORPUS, mixed)
    for bad in BROKEN.iterdir():
        shutil.copy(bad, mixed / bad.name)
    shutil.copy(SEED, mixed / SEED.name)
    good = sorted(p for p in mixed.iterdir() if p.name not in {b.name for b in BROKEN.iterdir()})

    # In: each good file parsed on its own.
    alone = {p.name: len(parse_file(p).report.sections) for p in good}  # type: ignore[union-attr]
    assert all(n > 0 for n in alone.values()), alone

    result = build([mixed], tmp_path / "ix")
    failed = {Path(f.source).name: f.error for f in result.failures}
    assert set(failed) == {b.name for b in BROKEN.iterdir()}  # every bad file named ...
    assert all(failed.values())  # ... with a reason
    indexed = {Path(f.source).name: len(f.report.sections) for f in result.files if f.report}
    assert indexed == alone  # every good file, every section

    # Out: what the index holds, by the manifest and by the engine.
    opened = open_index(tmp_path / "ix", "hint")
    assert opened.manifest["sections"] == sum(alone.values())
    assert opened.whoosh.doc_count() == sum(alone.values())

    # The CLI names every bad file, indexes the rest, and exits 1.
    done = subprocess.run(
        [sys.executable, "-m", "indexer", "build", str(mixed), "--index-dir", str(tmp_path / "c")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    assert done.returncode == 1
    assert f"{sum(alone.values())} section(s)" in done.stdout
    for bad in BROKEN.iterdir():
        assert bad.name in done.stderr


# -- a damaged or foreign index at start-up --------------------------------------------------


def _damage(ix: Path, how: str) -> None:
    if how == "file-not-dir":
        ix.write_text("not an index\n")
        return
    if how == "foreign-dir":
        shutil.copytree(FIXTURE_CORPUS, ix)
        (ix / "current").mkdir()  # even a folder named like ours is not an index
        return
    build([SEED], ix)
    live = current_build(ix)
    assert live is not None
    if how == "garbage-manifest":
        (live / "peel-archive.json").write_bytes(b"\x00\xff{not json")
    elif how == "manifest-is-a-list":
        (live / "peel-archive.json").write_text("[1, 2, 3]")
    elif how == "truncated-segments":
        for f in live.iterdir():
            if f.suffix in (".seg", ".toc") or f.name.startswith("_sections"):
                f.write_bytes(f.read_bytes()[:7])
    elif how == "garbage-segment-data":  # the table of contents intact, the data not
        data = [f for f in live.iterdir()
                if f.suffix not in (".toc", ".json") and not f.name.endswith("WRITELOCK")]
        assert data
        for f in data:
            f.write_bytes(os.urandom(max(64, f.stat().st_size)))
    elif how == "garbage-segments":
        for f in live.iterdir():
            if f.name != "peel-archive.json":
                f.write_bytes(os.urandom(max(64, f.stat().st_size)))
    elif how == "dangling-current":
        shutil.rmtree(live)
    elif how == "current-points-outside":
        os.replace(ix / "current", ix / "old")
        os.symlink("/", ix / "current")


DAMAGE = [
    "file-not-dir",
    "foreign-dir",
    "garbage-manifest",
    "manifest-is-a-list",
    "truncated-segments",
    "garbage-segments",
    "garbage-segment-data",
    "dangling-current",
    "current-points-outside",
]


@pytest.mark.parametrize("how", DAMAGE)
def test_serve_refuses_a_damaged_or_foreign_index_in_one_line(tmp_path: Path, how: str) -> None:
    ix = tmp_path / "ix"
    _damage(ix, how)
    done = subprocess.run(
        [sys.executable, "-m", "webapp", "serve", "--index-dir", str(ix), "--port", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        # As a person runs it: under -W error, Whoosh's unclosed file on a damaged table of
        # contents adds a ResourceWarning line after the error (reported to the indexer owner).
        env={k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"},
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.lower().startswith("error")]
    assert len(errors) == 1, done.stderr
    assert str(ix) in errors[0]
    if how == "file-not-dir":  # refused by click before the app: its usage note, then the error
        assert "is a file" in errors[0]
    else:
        assert done.stderr.strip() == errors[0]  # one line, and nothing else
        assert "peel-index build" in errors[0]  # says how to fix it
