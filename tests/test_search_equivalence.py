"""The optimised search returns exactly what plain Whoosh returns: same hits, same order,
same totals; and its facet counts are what Whoosh's own `groupedby` counts (an independent
oracle: both archives share the facet counting code, so comparing them would prove nothing)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from whoosh import query as wq
from whoosh import sorting

from indexer.schema import FACET_NAMES
from indexer.search.engine import Archive
from indexer.search.request import SearchRequest

QUERIES = [
    "THRIVE", "solvability", "solvable", "demand", "force", "the force demand", "risk harm",
    "THRIVE OR kaleidoscope", "demand NOT ICT", "(THRIVE OR solvability) AND force",
    "victims OR workforce OR leadership", "planning demand future", "legitimacy", "xylophone",
    '"risk of harm assessment"', "solv*", "NOT demand", "plans AND NOT ICT", "Taser",
    '"current demand"', '"the force"', '"risk of harm"', '"force is good"', '"demand" OR THRIVE',
    '"planning for demand in the future" AND force', '"no such phrase anywhere"',
    "",  # browsing: every section, newest or oldest first
]
FILTERS: list[dict[str, tuple[str, ...]]] = [
    {}, {"grade": ("Good",)}, {"grade": ("Good", "Requires improvement")},
    {"kind": ("area_for_improvement",)}, {"cycle": ("2016",), "grade": ("Good",)},
]


def facet_counts(result: Any) -> dict[str, dict[str, int]]:
    """The engine's facet counts, values with a count only."""
    return {name: {v.value: v.count for v in values if v.count}
            for name, values in result.facets.items()}


def stock_facet_counts(archive: Archive, q: str, filters: dict[str, tuple[str, ...]]
                       ) -> dict[str, dict[str, int]]:
    """Each facet's counts by Whoosh's own `groupedby` over the query, filtered by every other
    facet's selection (the disjunctive semantics), with Whoosh's own matchers."""
    searcher = archive._generation().searcher
    base = archive.parse_query(q) if q else wq.Every()
    counts: dict[str, dict[str, int]] = {}
    for name in FACET_NAMES:
        others = [wq.Or([wq.Term(f, v) for v in values])
                  for f, values in filters.items() if f != name]
        stock = searcher.search(base, limit=None, filter=wq.And(others) if others else None,
                                groupedby=sorting.FieldFacet(name), maptype=sorting.Count)
        counts[name] = {k: v for k, v in stock.groups().items() if k}
    return counts


# Browsing (no words) is answered from per-build orders and count tables
# (indexer.search.browse): one value, two values of one facet, two and three facets, a valid
# value no section has, and a selection nothing satisfies.
BROWSE_FILTERS: list[dict[str, tuple[str, ...]]] = [
    {}, {"grade": ("Good",)}, {"force": ("Kent Police",)},
    {"grade": ("Good", "Requires improvement")}, {"cycle": ("2016",), "grade": ("Good",)},
    {"cycle": ("2016", "2017"), "kind": ("question",),
     "force": ("Kent Police", "Durham Constabulary")},
    {"grade": ("Inadequate",)}, {"grade": ("Good", "Inadequate"), "pillar": ("Efficiency",)},
    {"grade": ("Outstanding",), "cycle": ("2014",)},
]


def stock_browse(archive: Archive, filters: dict[str, tuple[str, ...]], newest: bool
                 ) -> list[str]:
    """Section ids of every live section the filters keep, by Whoosh's own sorted search:
    report date then report id (newest or oldest first), then reading order."""
    searcher = archive._generation().searcher
    parts = [wq.Or([wq.Term(f, v) for v in values]) for f, values in filters.items()]
    order = sorting.MultiFacet([sorting.FieldFacet("updated", reverse=newest),
                                sorting.FieldFacet("report_id", reverse=newest),
                                sorting.FieldFacet("position")])
    results = searcher.search(wq.And(parts) if parts else wq.Every(), limit=None,
                              sortedby=order)
    return [hit["section_id"] for hit in results]


def assert_browse_like_stock(fast: Archive, plain: Archive, filters: dict[str, tuple[str, ...]],
                             per_page: int = 7) -> None:
    """Every page of a browse, newest and oldest first, equals Whoosh's sorted search and the
    plain archive's page; the totals and facet counts equal Whoosh's own grouping."""
    for sort in ("newest", "oldest"):
        expected = stock_browse(plain, filters, newest=sort == "newest")
        got: list[str] = []
        pages = max(1, -(-len(expected) // per_page))
        for page in range(1, pages + 2):  # one page past the last too
            req = SearchRequest(filters=filters, per_page=per_page, page=page, sort=sort)
            a, b = fast.search(req), plain.search(req)
            assert a.total == b.total == len(expected), (filters, sort)
            ids = [h.section.section_id for h in a.hits]
            assert ids == [h.section.section_id for h in b.hits], (filters, sort, page)
            assert [h.section for h in a.hits] == [h.section for h in b.hits]
            assert facet_counts(a) == stock_facet_counts(plain, "", filters), (filters, sort)
            assert a.facets == b.facets, (filters, sort)
            got += ids
        assert got == expected, (filters, sort)


@pytest.fixture(scope="module")
def pair(archive_index: Path) -> tuple[Archive, Archive]:
    return Archive(archive_index), Archive(archive_index, vectorised=False)


@pytest.mark.parametrize(("q", "filters"), list(itertools.product(QUERIES, FILTERS)))
def test_same_results_as_plain_whoosh(pair: tuple[Archive, Archive], q: str,
                                      filters: dict[str, tuple[str, ...]]) -> None:
    fast, plain = pair
    for sort in ("relevance", "oldest"):
        req = SearchRequest(q=q, filters=filters, per_page=100, sort=sort)
        a, b = fast.search(req), plain.search(req)
        assert a.total == b.total
        assert [h.section.section_id for h in a.hits] == [h.section.section_id for h in b.hits]
        assert facet_counts(a) == stock_facet_counts(plain, q, filters), (q, filters)
        for x, y in zip(a.hits, b.hits, strict=True):
            if x.score is not None and y.score is not None:
                assert x.score == pytest.approx(y.score, rel=1e-9)


@pytest.mark.parametrize("filters", BROWSE_FILTERS)
def test_browsing_pages_equal_whoosh_sorted_search(pair: tuple[Archive, Archive],
                                                   filters: dict[str, tuple[str, ...]]) -> None:
    assert_browse_like_stock(*pair, filters)


def test_browsing_by_field_terms_in_the_query_equals_the_filters(
        pair: tuple[Archive, Archive]) -> None:
    """A query of field terms only is a browse filtered by them."""
    fast, plain = pair
    req = SearchRequest(q="grade:good cycle:2016", per_page=100)
    a, b = fast.search(req), plain.search(req)
    expected = stock_browse(plain, {"grade": ("Good",), "cycle": ("2016",)}, newest=True)
    assert [h.section.section_id for h in a.hits] == expected
    assert [h.section.section_id for h in b.hits] == expected
    assert a.facets == b.facets and a.total == len(expected)


def test_second_page_matches_too(pair: tuple[Archive, Archive]) -> None:
    fast, plain = pair
    req = SearchRequest(q="force", per_page=5, page=2)
    assert [h.section.section_id for h in fast.search(req).hits] == [
        h.section.section_id for h in plain.search(req).hits]


def test_a_parallel_many_segment_build_answers_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, archive_index: Path
) -> None:
    """Two writer processes in rounds of 10 sections: many segments, same answers."""
    from indexer import store
    from indexer.build import build
    from tests.conftest import FIXTURE_CORPUS, SEED

    monkeypatch.setattr(store, "CHUNK_SECTIONS", 10)
    result = build([SEED, FIXTURE_CORPUS], tmp_path / "ix", procs=2)
    assert result.index_path is not None
    parallel, single = Archive(tmp_path / "ix"), Archive(archive_index)
    assert len(parallel._generation().searcher.reader().leaf_readers()) > 4
    for q in QUERIES:
        req = SearchRequest(q=q, per_page=100)
        a, b = parallel.search(req), single.search(req)
        assert a.total == b.total and a.facets == b.facets

        def ranked(result: object) -> list[tuple[float, str]]:
            return sorted((-round(h.score or 0, 9), h.section.section_id)
                          for h in result.hits)  # type: ignore[attr-defined]

        assert ranked(a) == ranked(b)


@pytest.mark.parametrize(("q", "filters"), [
    ("demand", {}), ("force", {"grade": ("Good", "Outstanding")}),
    ("THRIVE OR solvability", {"cycle": ("2016",), "kind": ("question",)}),
    ('"risk of harm"', {}), ("", {"force": ("Kent Police",)}),
])
def test_facet_counts_equal_stock_whoosh_grouping(
    pair: tuple[Archive, Archive], q: str, filters: dict[str, tuple[str, ...]]
) -> None:
    """Values selected in a facet still count the others (the disjunctive semantics)."""
    fast, _ = pair
    result = fast.search(SearchRequest(q=q, filters=filters))
    assert facet_counts(result) == stock_facet_counts(fast, q, filters)


def test_a_build_with_deleted_documents_answers_like_plain_whoosh(tmp_path: Path) -> None:
    """An incremental rebuild leaves the changed report's old sections deleted in their segment;
    the vectorised path reads postings without Whoosh's per-document deletion filter and must
    still answer exactly as plain Whoosh does."""
    import shutil

    from indexer.build import build
    from tests.conftest import FIXTURE_CORPUS, SEED

    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    shutil.copy(SEED, corpus / SEED.name)
    assert not build([corpus], tmp_path / "ix").failures
    changed = corpus / SEED.name
    changed.write_text(changed.read_text("utf-8") + "\n\nThe force reviewed current demand and "
                       "the risk of harm assessment again, with THRIVE.\n", "utf-8")
    assert not build([corpus], tmp_path / "ix").failures
    fast, plain = Archive(tmp_path / "ix"), Archive(tmp_path / "ix", vectorised=False)
    assert fast._generation().searcher.reader().has_deletions()
    for browse_filters in BROWSE_FILTERS:
        assert_browse_like_stock(fast, plain, browse_filters)
    for q, filters in [*((q, {}) for q in QUERIES), ("", {"grade": ("Good",)}),
                       ("", {"grade": ("Good", "Inadequate")}), ("force", {"grade": ("Good",)})]:
        for sort in ("relevance", "newest", "oldest"):
            req = SearchRequest(q=q, filters=filters, per_page=100,
                                sort=sort if q or sort != "relevance" else "")
            a, b = fast.search(req), plain.search(req)
            assert a.total == b.total, q
            assert [h.section.section_id for h in a.hits] == [
                h.section.section_id for h in b.hits], q
            assert facet_counts(a) == stock_facet_counts(plain, q, filters), q
            for x, y in zip(a.hits, b.hits, strict=True):
                assert (x.score is None) == (y.score is None), q
                if x.score is not None:
                    assert x.score == pytest.approx(y.score, rel=1e-9), q


def stock_ids(archive: Archive, q: str, filters: dict[str, tuple[str, ...]]) -> set[str]:
    """Section ids matching the words (Whoosh's own matchers) and every facet's selection."""
    searcher = archive._generation().searcher
    parts = [wq.Or([wq.Term(f, v) for v in values]) for f, values in filters.items()]
    base = archive.parse_query(q) if q else wq.Every()
    results = searcher.search(base, limit=None, filter=wq.And(parts) if parts else None)
    return {hit["section_id"] for hit in results}


@pytest.mark.parametrize(("q", "filters", "words", "given"), [
    ("THRIVE", {}, "THRIVE", {}),
    ("demand", {"grade": ("Good",)}, "demand", {"grade": ("Good",)}),
    ("", {"force": ("Kent Police",)}, "", {"force": ("Kent Police",)}),
    ("", {}, "", {}),
    # a field term of the query is a filter: it selects as the address's filter does
    ("grade:good demand", {}, "demand", {"grade": ("Good",)}),
    ("force:kent", {"kind": ("question",)}, "", {"force": ("Kent Police",), "kind": ("question",)}),
    ("solv* NOT ICT", {"grade": ("Good", "Requires improvement"), "cycle": ("2016", "2017")},
     "solv* NOT ICT", {"grade": ("Good", "Requires improvement"), "cycle": ("2016", "2017")}),
    ("nosuchwordanywhere", {}, "nosuchwordanywhere", {}),
])  # fmt: skip
def test_a_selection_holds_what_plain_whoosh_matches(
    pair: tuple[Archive, Archive], q: str, filters: dict[str, tuple[str, ...]], words: str,
    given: dict[str, tuple[str, ...]],
) -> None:
    """`select` (the research views' aggregation) against Whoosh's own matching: `docs` are the
    words and filters, `base` the filters alone; their sections read back whole."""
    fast, plain = pair
    sel = fast.select(SearchRequest(q=q, filters=filters))
    docs = fast.sections_of(sel, sel.docs.tolist())
    base = fast.sections_of(sel, iter(sel.base.tolist()))
    assert docs is not None and base is not None
    assert {s.section_id for s in docs} == stock_ids(plain, words, given)
    assert len(docs) == len(sel.docs)
    assert {s.section_id for s in base} == stock_ids(plain, "", given)
    # each section whole: as the report's own reading gives it
    for section in docs[:5]:
        whole = fast.report(section.report_id)
        assert whole is not None and section in whole
    # the columns it carries code each document's values
    for s, d in zip(docs[:20], sel.docs[:20], strict=False):
        assert sel.vocab["grade"][sel.codes["grade"][d]] == s.grade
        assert sel.code("grade", s.grade) == sel.codes["grade"][d]
        assert sel.code("force", s.force) == sel.codes["force"][d]
    assert sel.code("grade", "No such grade") == -1
    same_report = {s.report_id: sel.reports[d] for s, d in zip(docs, sel.docs, strict=True)}
    assert len(set(same_report.values())) == len(same_report)  # one number per report


def test_select_explains_an_unknown_value_as_search_does(pair: tuple[Archive, Archive]) -> None:
    fast, _ = pair
    from indexer.search.request import QueryProblem

    for req in (SearchRequest(filters={"grade": ("Excellent",)}), SearchRequest(q="grade:wow x")):
        with pytest.raises(QueryProblem) as by_select:
            fast.select(req)
        with pytest.raises(QueryProblem) as by_search:
            fast.search(req)
        assert str(by_select.value) == str(by_search.value)


def test_report_tags_and_counts_agree_with_the_stored_sections(
    pair: tuple[Archive, Archive],
) -> None:
    fast, plain = pair
    searcher = plain._generation().searcher
    stored = list(searcher.all_stored_fields())
    by_report: dict[str, list[dict[str, Any]]] = {}
    for doc in stored:
        by_report.setdefault(doc["report_id"], []).append(doc)
    tags = fast.report_tags()
    assert [t.report_id for t in tags] == sorted(by_report)
    for t in tags:
        docs = by_report[t.report_id]
        assert t.sections == len(docs)
        first = min(docs, key=lambda d: d["position"])
        for name in FACET_NAMES:  # a report's tags are its first section's values
            assert t.tags[name] == first.get(name, ""), (t.report_id, name)
    assert fast.section_count() == len(stored) == searcher.doc_count()
    assert fast.report_count() == len(by_report)


def test_a_selection_from_a_build_since_replaced_reads_nothing(tmp_path: Path) -> None:
    from indexer.build import build
    from tests.conftest import SEED

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / SEED.name).write_bytes(SEED.read_bytes())
    assert not build([corpus], tmp_path / "ix").failures
    archive = Archive(tmp_path / "ix")
    sel = archive.select(SearchRequest(q="demand"))
    assert archive.sections_of(sel, sel.docs[:2].tolist())
    (corpus / SEED.name).write_bytes(SEED.read_bytes() + b"\n\nA paragraph about demand.\n")
    assert not build([corpus], tmp_path / "ix").failures
    archive.search(SearchRequest(q="demand"))  # the new build is taken up
    assert archive.sections_of(sel, sel.docs[:2].tolist()) is None  # select again
    fresh = archive.select(SearchRequest(q="demand"))
    again = archive.sections_of(fresh, fresh.docs.tolist())
    assert again and any("A paragraph about demand." in s.text for s in again)
    archive.close()


def test_emptied_caches_answer_the_same(pair: tuple[Archive, Archive]) -> None:
    fast, _ = pair
    req = SearchRequest(q='THRIVE OR "risk of harm"', filters={"grade": ("Good",)})
    before = fast.search(req)
    assert fast._generation().recent  # the match set was kept
    fast.drop_caches()
    assert not fast._generation().recent
    after = fast.search(req)
    assert [h.section for h in after.hits] == [h.section for h in before.hits]
    assert after.facets == before.facets and after.total == before.total


def test_a_freshly_opened_archive_reads_reports_and_browses_as_whoosh_does(
    archive_index: Path,
) -> None:
    """Opening an archive loads the build's columns (report lists, date order, facet codes):
    checked on an archive opened here, against Whoosh's stored fields and sorted search."""
    archive, plain = Archive(archive_index), Archive(archive_index, vectorised=False)
    try:
        assert archive.vectorised and not plain.vectorised  # the fast path is the default
        searcher = plain._generation().searcher
        by_report: dict[str, list[dict[str, Any]]] = {}
        for doc in searcher.all_stored_fields():
            by_report.setdefault(doc["report_id"], []).append(doc)
        for rid, docs in by_report.items():
            sections = archive.report(rid)
            assert sections is not None
            assert [s.section_id for s in sections] == [
                d["section_id"] for d in sorted(docs, key=lambda d: d["position"])]
        assert archive.report("no-such-report") is None
        assert archive.report_count() == len(by_report)
        for filters in BROWSE_FILTERS[:3]:
            assert_browse_like_stock(archive, plain, filters, per_page=50)
        gen = archive._generation()
    finally:
        archive.close()
        plain.close()
    assert gen._all == [] and archive._gen is None  # closing closed the build in service


def test_an_archive_without_a_build_says_how_to_make_one(tmp_path: Path) -> None:
    from indexer.store import IndexUnavailable

    with pytest.raises(IndexUnavailable) as caught:
        Archive(tmp_path / "nothing", "peel-index build corpus/ --index-dir X")
    assert str(caught.value) == (
        f"no index at {tmp_path / 'nothing'} — build it with: peel-index build corpus/ "
        "--index-dir X")
