"""The query budget, in the engine (real index, real parser): what a query may cost.

* Generated adversarial query shapes (operator chains of every kind, deep brackets, NOT runs,
  wildcards, phrases, field wildcards) are parsed and searched within a number of Python
  function calls proportional to the query's length: counted, not timed, and stopped as soon
  as the count is passed (so the exponential ANDNOT chain fails fast instead of hanging).
* Chains the budget allows parse to exactly the query stock Whoosh's parser gives (the oracle).
* Each limit is explained with a sentence; all wildcards of one query count together; a search
  past its wall-clock budget stops with `SearchTooBroad`.
* A `SearchRequest` built in Python checks itself with the sentences the site gives; zero-width
  characters are removed from queries by the indexer's own rule; digits are ASCII only; facet
  values are folded case-insensitively and capped.
"""

from __future__ import annotations

import sys
import threading
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from string import ascii_lowercase
from types import FrameType
from typing import Any

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import qparser

from indexer.build import build
from indexer.schema import TEXT_FIELDS
from indexer.search import budget
from indexer.search.budget import Deadline
from indexer.search.engine import Archive, SearchTooBroad, _Parser, _query_schema
from indexer.search.request import QueryProblem, SearchRequest, clean_query, parse_request
from tests.conftest import FIXTURE_CORPUS

# Parsing a query (the request check and Whoosh's parser) may make at most
# PARSE_BASE + PARSE_PER_CHAR × length Python function calls: a 500-character query 52,000;
# typical ones make 30-60 per character. Whoosh's unpatched parser makes 39,000 for a chain of
# 8 ANDNOTs (112 characters) and millions for 16. The search after it (expansion, matching,
# counting, snippets) may make at most SEARCH_BASE + SEARCH_PER_CHAR × length: its work also
# grows with the matches of each wildcard (about 5,000 calls each on the test archive).
PARSE_BASE = 2_000
PARSE_PER_CHAR = 100
SEARCH_BASE = 20_000
SEARCH_PER_CHAR = 1_000

WORDS = ["police", "force", "crime", "THRIVE", "demand", "victims", "custody", "kaleidoscope"]
OPERATORS = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE"]


class TooManyCalls(Exception):
    pass


@pytest.fixture(scope="module")
def archive(archive_index: Path) -> Iterator[Archive]:
    a = Archive(archive_index)
    # Opened and verified once, before any call is counted: the cost under test is a query's.
    a.search(parse_request([("q", "police")]))
    yield a
    a.close()


def counted(bound: int, what: str, fn: Callable[[], object]) -> int:
    """Python calls made by `fn()` (raises TooManyCalls as soon as they pass `bound`)."""
    calls = 0

    def trace(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal calls
        calls += 1
        if calls > bound:
            raise TooManyCalls(f"{what} needed more than {bound} calls")

    sys.settrace(trace)  # type: ignore[arg-type]
    try:
        fn()
    finally:
        sys.settrace(None)
    return calls


def calls_to_search(archive: Archive, q: str) -> None:
    """Parse and search `q`, each within its bound of Python calls."""
    try:
        counted(PARSE_BASE + PARSE_PER_CHAR * len(q), f"parsing {q[:80]!r}",
                lambda: archive.parse_query(parse_request([("q", q)]).q))
        counted(SEARCH_BASE + SEARCH_PER_CHAR * len(q), f"searching {q[:80]!r}",
                lambda: archive.search(parse_request([("q", q)])))
    except QueryProblem:
        pass


word = st.sampled_from(WORDS) | st.sampled_from(["sol*", "pol*", "cri*", "vic*"])
chain = st.builds(
    lambda first, rest: first + "".join(f" {op} {w}" for op, w in rest),
    word, st.lists(st.tuples(st.sampled_from(OPERATORS), word), max_size=80),
)
nested = st.builds(
    lambda depth, op, inner: "".join(f"({w} {op} " for w in [inner] * depth) + inner
    + ")" * depth,
    st.integers(0, 60), st.sampled_from(OPERATORS[:1] + OPERATORS[3:]), word,
)
phrase = st.builds(lambda ws: '"' + " ".join(ws) + '"', st.lists(word, min_size=1, max_size=6))
piece = chain | nested | phrase | st.sampled_from(["*:*", "abc*:*", "NOT police", "(", ")"])
shapes = st.builds(lambda ps: " ".join(ps)[:500], st.lists(piece, min_size=1, max_size=8))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(q=shapes)
def test_generated_query_shapes_cost_at_most_linear_work(archive: Archive, q: str) -> None:
    calls_to_search(archive, q)


@pytest.mark.parametrize("op", ["ANDNOT", "ANDMAYBE", "REQUIRE"])
def test_the_long_chains_that_hung_are_bounded(archive: Archive, op: str) -> None:
    for n in (8, 9, 16, 20, 50):
        q = f" {op} ".join(WORDS[i % len(WORDS)] for i in range(n))
        calls_to_search(archive, q)
    # Explicit brackets build the same nesting.
    calls_to_search(archive, "".join(f"({w} {op} " for w in WORDS) + "end" + ")" * 8)


def stock_parse(q: str) -> Any:
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), _query_schema(), fieldboosts=TEXT_FIELDS)
    for plugin in (qparser.FieldsPlugin, qparser.BoostPlugin, qparser.RangePlugin):
        parser.remove_plugin_class(plugin)
    return parser.parse(q)


@pytest.mark.parametrize("q", [
    "police ANDNOT force ANDNOT crime ANDNOT custody ANDNOT demand ANDNOT victims",
    "police ANDMAYBE force ANDMAYBE crime ANDMAYBE custody",
    "police REQUIRE force REQUIRE crime",
    "police ANDNOT force OR crime ANDMAYBE custody AND demand",
    "(police ANDNOT (force ANDMAYBE (crime REQUIRE custody)))",
    "NOT police OR (force AND crime)",
])
def test_allowed_chains_parse_as_stock_whoosh_parses_them(q: str) -> None:
    ours = _Parser(TEXT_FIELDS, _query_schema())
    for plugin in (qparser.FieldsPlugin, qparser.BoostPlugin, qparser.RangePlugin):
        ours.remove_plugin_class(plugin)
    assert ours.parse(q) == stock_parse(q)


@pytest.mark.parametrize(("q", "sentence"), [
    (" ANDNOT ".join([*WORDS, "end", "more"]),
     "has 9 ANDNOT, ANDMAYBE or REQUIRE operators; the limit is 8"),
    (" REQUIRE ".join([*WORDS, "end", "more"]), "the limit is 8"),
    (" OR ".join(WORDS * 4), "operators (AND, OR, NOT…); the limit is 24"),
    ("(" * 9 + "police" + ")" * 9, "nests brackets 9 deep; the limit is 8"),
    ("*:*", "searching every field with a wildcard"),
    ("abc*:*", "searching every field with a wildcard"),
    ("police ?:x", "searching every field with a wildcard"),
])
def test_each_limit_is_explained(q: str, sentence: str) -> None:
    with pytest.raises(QueryProblem, match=sentence.replace("(", r"\(").replace(")", r"\)")):
        parse_request([("q", q)])


def test_limits_at_the_boundary_are_allowed(archive: Archive) -> None:
    for q in (
        " ANDNOT ".join([*WORDS, "end"]),  # 8 binary operators
        " OR ".join((WORDS * 4)[:25]),  # 24 operators
        "(" * 8 + "police" + ")" * 8,
        '"*:* inside a phrase is text"',
    ):
        archive.search(parse_request([("q", q)]))


def test_all_wildcards_of_a_query_count_together(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (FIXTURE_CORPUS / "kent-peel-2017-effectiveness.txt").read_text("utf-8")
    words = [f"zq{letter}{i:03d}" for letter in "abcde" for i in range(250)]
    words += [f"zqh{a}{b}" for a in ascii_lowercase for b in ascii_lowercase]  # 676 words
    (corpus / "kent-peel-2017-effectiveness.txt").write_text(
        text.replace("THRIVE model", "THRIVE model " + " ".join(words)), "utf-8"
    )
    build([corpus], tmp_path / "ix")
    archive = Archive(tmp_path / "ix")
    try:
        four = "zqa* OR zqb* OR zqc* OR zqd*"  # 1,000 words: within MAX_TOTAL_EXPANSION
        assert archive.search(parse_request([("q", four)])).total == 1
        with pytest.raises(QueryProblem, match="more than 1024 different words together"):
            archive.search(parse_request([("q", four + " OR zqe*")]))
        # Shorter wildcards each under the per-wildcard cap add up the same way.
        many = "zqa* OR zqb* OR zqc* OR zqd0* OR zqd1* OR zqe0* OR zqe1*"  # 1,150 words
        with pytest.raises(QueryProblem, match="together"):
            archive.search(parse_request([("q", many)]))
        # One wildcard or fuzzy word past its own cap: named, with the advice for its kind.
        for q, sentence in (
            ("demand zqh*", "'zqh' matches more than 256 different words; add letters before the "
                            "wildcard."),
            ("zqhaa~2", "'zqhaa' matches more than 256 different words; make the word longer or "
                        "allow fewer changes (word~ rather than word~2)."),
        ):
            with pytest.raises(QueryProblem) as caught:
                archive.search(parse_request([("q", q)]))
            assert str(caught.value) == sentence
            with pytest.raises(QueryProblem) as caught:
                archive.query_terms(q)  # a report page's highlighting has the same limit
            assert str(caught.value) == sentence
    finally:
        archive.close()
    assert budget.MAX_TOTAL_EXPANSION == 1024 and budget.MAX_EXPANSION == 256


def test_a_search_past_its_deadline_stops_with_a_sentence(archive_index: Path) -> None:
    tight = Archive(archive_index, search_seconds=1e-9)
    try:
        for req in (SearchRequest(q="police"), SearchRequest(q="pol* OR \"police force\""),
                    SearchRequest()):
            with pytest.raises(SearchTooBroad, match=r"This search is too broad.*Narrow it"):
                tight.search(req)
    finally:
        tight.close()


def test_a_stopped_archive_stops_searches_at_the_next_check() -> None:
    stop = threading.Event()
    deadline = Deadline(None, stop)
    deadline.check()
    stop.set()
    with pytest.raises(SearchTooBroad, match="shutting down"):
        deadline.check()


# -- the request object ----------------------------------------------------------------------


@pytest.mark.parametrize(("fields", "params"), [
    ({"per_page": 0}, [("per_page", "0")]),
    ({"per_page": 101}, [("per_page", "101")]),
    ({"page": -1}, [("page", "-1")]),
    ({"page": 0}, [("page", "0")]),
    ({"page": 10_001}, [("page", "10001")]),
    ({"sort": "random"}, [("sort", "random")]),
])
def test_a_request_built_in_python_explains_itself_as_the_site_does(
    fields: dict[str, Any], params: list[tuple[str, str]]
) -> None:
    with pytest.raises(QueryProblem) as from_http:
        parse_request(params)
    with pytest.raises(QueryProblem) as from_python:
        SearchRequest(**fields)
    assert str(from_python.value) == str(from_http.value)


def test_a_request_refuses_unknown_facets_and_non_numbers() -> None:
    with pytest.raises(QueryProblem, match="Unknown filter 'colour'; filters are grade, force"):
        SearchRequest(filters={"colour": ("red",)})
    with pytest.raises(QueryProblem, match="page must be a whole number"):
        SearchRequest(page="2")  # type: ignore[arg-type]
    with pytest.raises(QueryProblem, match="must be a list"):
        SearchRequest(filters={"grade": "Good"})  # type: ignore[dict-item]


@pytest.mark.parametrize("raw", ["٣", "３", "1_0", "²", "१", "0x3", "3.0", "٣٣"])
def test_only_ascii_digits_are_numbers(raw: str) -> None:
    with pytest.raises(QueryProblem, match="page must be a whole number"):
        parse_request([("page", raw)])
    assert parse_request([("page", " 3 ")]).page == 3


def test_facet_values_fold_case_and_are_capped() -> None:
    variants = ["".join(c.upper() if (n >> i) & 1 else c for i, c in enumerate("outstanding"))
                for n in range(2000)]
    req = parse_request([("grade", v) for v in variants])
    assert req.filters == {"grade": ("outstanding",)}
    with pytest.raises(QueryProblem, match="65 values of force are selected at once; the limit"):
        parse_request([("force", f"force {i}") for i in range(65)])


INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]


@pytest.mark.parametrize("mark", INVISIBLE)
def test_zero_width_characters_are_removed_from_queries(archive: Archive, mark: str) -> None:
    assert unicodedata.category(mark) == "Cf"  # the class the indexer drops from report text
    plain = archive.search(SearchRequest(q="THRIVE"))
    marked = archive.search(parse_request([("q", f"TH{mark}RIVE")]))
    assert plain.total > 0
    assert [h.section.section_id for h in marked.hits] == [
        h.section.section_id for h in plain.hits
    ]
    assert SearchRequest(q=f"kaleido{mark}scope").q == "kaleidoscope"


@given(st.text(max_size=60))
def test_clean_query_drops_exactly_format_and_control_characters(text: str) -> None:
    expected = " ".join("".join(
        ch for ch in unicodedata.normalize("NFC", " ".join(text.split()))
        .replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ")
        if unicodedata.category(ch)[0] != "C"
    ).split())
    assert clean_query(text) == expected


# -- the work pool -----------------------------------------------------------------------------


def test_the_work_pool_runs_off_the_loop_and_refuses_when_full() -> None:
    from webapp.workpool import Busy, WorkPool

    release = threading.Event()
    pool = WorkPool(threads=1, queue=1)
    outcomes: list[str] = []

    async def main() -> None:
        async def call(name: str) -> None:
            try:
                outcomes.append(await pool.run(lambda: release.wait(30) and name))
            except Busy as exc:
                outcomes.append(f"busy: {exc}")

        async with anyio.create_task_group() as tg:
            tg.start_soon(call, "first")
            tg.start_soon(call, "second")  # waits for the one thread
            await anyio.sleep(0.2)
            await call("third")  # the thread and the queue are taken
            # The loop still runs while both wait: this line is reached before release.
            outcomes.append("loop free")
            release.set()

    anyio.run(main)
    assert outcomes[:2] == [
        "busy: The archive is busy with other searches right now; please retry in 2 seconds.",
        "loop free",
    ]
    assert sorted(outcomes[2:]) == ["first", "second"]
