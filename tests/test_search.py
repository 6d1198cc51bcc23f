"""The search module over a real index: matching, stemming, facets, sorting, highlighting."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq

from indexer.build import build
from indexer.model import Section
from indexer.search.budget import Deadline, SearchTooBroad
from indexer.search.engine import RECENT_MATCHES, Archive, _checked, _collect
from indexer.search.request import QueryProblem, SearchRequest
from indexer.store import whoosh_schema
from tests.conftest import FIXTURE_CORPUS, SEED
from webapp.snippets import snippet_html


@pytest.fixture(scope="module")
def archive(archive_index: Path) -> Archive:
    return Archive(archive_index)


def ids(archive: Archive, **kw: object) -> list[str]:
    result = archive.search(SearchRequest(**kw))  # type: ignore[arg-type]
    return [h.section.section_id for h in result.hits]


def counts(archive: Archive, facet: str, **kw: object) -> dict[str, int]:
    result = archive.search(SearchRequest(**kw))  # type: ignore[arg-type]
    return {v.value: v.count for v in result.facets[facet]}


def test_rare_terms_find_exactly_their_sections(archive: Archive) -> None:
    assert sorted(ids(archive, q="THRIVE")) == [
        "durham-2015-legitimacy:q3",
        "kent-2017-effectiveness:q1",
        "metropolitan-2016-efficiency:summary",
    ]
    assert ids(archive, q="kaleidoscope") == ["kent-2017-effectiveness:q4-afi-2"]
    assert ids(archive, q="downtime") == [] and ids(archive, q="Cymraeg") == []


def test_stemming_matches_other_forms(archive: Archive) -> None:
    solvable = set(ids(archive, q="solvable"))
    assert solvable == set(ids(archive, q="solvability"))
    assert {
        "metropolitan-2016-efficiency:q2",
        "metropolitan-2016-efficiency:summary",
        "kent-2017-effectiveness:q2",
        "thames-valley-2014-efficiency:q3",
        "greater-manchester-2017-efficiency:summary",
    } == solvable


def test_phrase_and_boolean_queries(archive: Archive) -> None:
    assert sorted(ids(archive, q='"risk of harm assessment"')) == [
        "kent-2017-effectiveness:q4",
        "thames-valley-2014-efficiency:q1",
    ]
    assert set(ids(archive, q="THRIVE OR kaleidoscope")) == set(ids(archive, q="THRIVE")) | {
        "kent-2017-effectiveness:q4-afi-2"
    }
    assert "metropolitan-2016-efficiency:summary" not in ids(archive, q="THRIVE NOT ICT")


def test_grade_filter_and_disjunctive_counts(archive: Archive) -> None:
    met = {"force": ("Metropolitan Police Service",)}
    assert counts(archive, "grade", q="solvability", filters=met) == {
        "Good": 1,
        "Requires improvement": 1,
    }
    ri = {**met, "grade": ("requires improvement",)}  # values match case-insensitively
    assert ids(archive, q="solvability", filters=ri) == ["metropolitan-2016-efficiency:q2"]
    # The grade facet still offers the other grade; other facets follow the selection.
    assert counts(archive, "grade", q="solvability", filters=ri) == {
        "Good": 1,
        "Requires improvement": 1,
    }
    assert counts(archive, "kind", q="solvability", filters=ri) == {"question": 1}


def test_values_of_one_facet_or_together_and_facets_and_together(archive: Archive) -> None:
    both = archive.search(SearchRequest(filters={"grade": ("Outstanding", "Inadequate")}))
    assert {h.section.grade for h in both.hits} == {"Outstanding"}
    kent_good = archive.search(
        SearchRequest(filters={"grade": ("Good",), "force": ("Kent Police",)})
    )
    assert {(h.section.force, h.section.grade) for h in kent_good.hits} == {("Kent Police", "Good")}
    assert kent_good.total == 2


def test_facets_list_in_their_declared_order(archive: Archive) -> None:
    result = archive.search(SearchRequest(per_page=100))
    assert [v.value for v in result.facets["grade"]] == [
        "Outstanding",
        "Good",
        "Requires improvement",
        "Ungraded",
    ]
    assert [v.value for v in result.facets["cycle"]] == ["2014", "2015", "2016", "2017", "2018/19"]
    assert [v.value for v in result.facets["kind"]] == [
        "summary",
        "question",
        "area_for_improvement",
    ]
    assert [v.label for v in result.facets["kind"]][2] == "Area for improvement"
    forces = [v.value for v in result.facets["force"]]
    assert forces == sorted(forces, key=str.lower) and len(forces) == 9
    assert result.total == sum(v.count for v in result.facets["grade"]) + 1  # one not stated


def test_browse_mode_lists_everything_newest_report_first(archive: Archive) -> None:
    result = archive.search(SearchRequest(per_page=100))
    sections = [h.section for h in result.hits]
    assert result.total == len(sections) == 50
    dates = [s.updated for s in sections]
    assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]
    first = [s for s in sections if s.report_id == sections[0].report_id]
    assert [s.position for s in first] == sorted(s.position for s in first)
    oldest = archive.search(SearchRequest(sort="oldest", per_page=1)).hits[0].section
    assert oldest.report_id == "thames-valley-2014-efficiency" and oldest.anchor == "summary"


def test_pagination(archive: Archive) -> None:
    everything = ids(archive, per_page=100)
    pages = [ids(archive, per_page=20, page=n) for n in (1, 2, 3)]
    assert sum(pages, []) == everything
    past = archive.search(SearchRequest(page=9))
    assert past.hits == [] and past.total == 50 and past.notices


def test_snippets_mark_hits_and_escape_text(archive: Archive) -> None:
    hit = archive.search(SearchRequest(q="THRIVE", filters={"force": ("Kent Police",)})).hits[0]
    assert "<mark>THRIVE</mark>" in snippet_html(hit.snippet)
    html = snippet_html(archive.highlight_all("a <b> & THRIVE", frozenset({"thrive"})))
    assert html == "a &lt;b&gt; &amp; <mark>THRIVE</mark>"
    assert snippet_html(archive.snippet("<script>x</script>", frozenset())) == (
        "&lt;script&gt;x&lt;/script&gt;")


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"grade": ("Excellent",)}, "Unknown grade 'Excellent'"),
        ({"force": ("Atlantis",)}, "Unknown force 'Atlantis'"),
    ],
)
def test_unknown_facet_values_are_explained(
    archive: Archive, filters: dict[str, tuple[str, ...]], message: str
) -> None:
    with pytest.raises(QueryProblem, match=message):
        archive.search(SearchRequest(filters=filters))


def test_stopword_only_query_is_explained(archive: Archive) -> None:
    with pytest.raises(QueryProblem, match="no words to search for"):
        archive.search(SearchRequest(q="the and of"))


def test_report_reads_back_in_order(archive: Archive) -> None:
    sections = archive.report("metropolitan-2016-efficiency")
    assert sections is not None
    assert [s.anchor for s in sections] == [
        "summary",
        "q1",
        "q2",
        "q2-afi-1",
        "q2-afi-2",
        "q3",
        "q3-afi-1",
    ]
    assert archive.report("no-such-report") is None


def test_relevance_puts_heading_matches_first(archive: Archive) -> None:
    hits = archive.search(SearchRequest(q="specialist capabilities")).hits
    assert hits[0].section.section_id == "kent-2017-effectiveness:q5"


def test_wildcard_letters_are_not_stemmed(archive: Archive) -> None:
    # Stemming "asses" gives "ass", which would also match "assigned" (in the fixtures).
    parsed = archive.parse_query("asses*")
    assert {leaf.text for leaf in parsed.leaves()} == {"asses"}
    hits = archive.search(SearchRequest(q="asses*", per_page=100)).hits
    assert len(hits) >= 5  # the loop below runs over real hits, not zero
    for hit in hits:
        marked = [s.text.lower() for s in hit.snippet.spans if s.hit]
        assert any(m.startswith("asses") for m in marked), hit.snippet
        assert not any(m.startswith("assign") for m in marked), hit.snippet
    # Every section whose text holds a word starting "asses" is found (oracle: a regex).
    expected = {
        s.section_id
        for rid in {h.section.report_id for h in hits}
        for s in archive.report(rid) or []
        if re.search(r"\basses", s.text, re.IGNORECASE)
    }
    assert expected <= {h.section.section_id for h in hits}


GRADES = "Outstanding, Good, Adequate, Requires improvement, Inadequate, Ungraded"
KINDS = ("Summary, Question, Area for improvement, Cause of concern, Recommendation, Practice, "
         "Other")


@pytest.mark.parametrize(
    ("kw", "sentence"),
    [
        # a filter of the address: the values in their order, labelled when the label differs,
        # twelve at most
        ({"filters": {"grade": ("Excellent",)}},
         f"Unknown grade 'Excellent'. Values in the archive: {GRADES}."),
        ({"filters": {"kind": ("nope",)}},
         "Unknown section kind 'nope'. Values in the archive: Summary (summary), Question "
         "(question), Area for improvement (area_for_improvement), Cause of concern "
         "(cause_of_concern), Recommendation (recommendation), Practice (practice), Other "
         "(other)."),
        ({"filters": {"force": ("Atlantis",)}},
         "Unknown force 'Atlantis'. Values in the archive: Avon and Somerset Constabulary, "
         "Bedfordshire Police, Cambridgeshire Constabulary, Cheshire Constabulary, City of "
         "London Police, Cleveland Police, Cumbria Constabulary, Derbyshire Constabulary, Devon "
         "and Cornwall Police, Dorset Police, Durham Constabulary, Dyfed-Powys Police and 31 "
         "more."),
        ({"filters": {"pillar": ("x" * 80,)}},
         f"Unknown pillar '{'x' * 60}'. Values in the archive: Effectiveness, Efficiency, "
         "Legitimacy, Leadership."),
        # a field term of the query: every value, by its label, and the term as typed
        ({"q": "grade:excellent"},
         f"Unknown grade 'excellent' in grade:excellent. Valid values: "
         f"{GRADES.replace(', ', '; ')}."),
        ({"q": "type:nope demand"},
         "Unknown report type 'nope' in type:nope. Valid values: PEEL assessment."),
        ({"q": "kind:nope"},
         f"Unknown section kind 'nope' in kind:nope. Valid values: {KINDS.replace(', ', '; ')}."),
        ({"q": "pillar:" + "y" * 70},
         f"Unknown pillar '{'y' * 60}' in pillar:{'y' * 60}. Valid values: Effectiveness; "
         "Efficiency; Legitimacy; Leadership."),
    ],
)  # fmt: skip
def test_an_unknown_value_is_answered_with_the_values_there_are(
    archive: Archive, kw: dict[str, object], sentence: str
) -> None:
    with pytest.raises(QueryProblem) as caught:
        archive.search(SearchRequest(**kw))  # type: ignore[arg-type]
    assert str(caught.value) == sentence


@pytest.mark.parametrize(("q", "terms"), [
    # a phrase is one term (its indexed words, stop words left out), marked as a phrase
    ('"risk of harm" THRIVE',
     {'"risk harm', "thrive", '"threat harm risk investig vulner engag'}),  # + the glossary's
    ('"no such phrase anywhere"', set()),  # a phrase whose words are not all indexed: none
    # words as written for wildcards and fuzzy terms, stems for plain words
    ("solvab*", {"=solvability", "=solvable"}),
    ("demand~1", {"=demand"}),
    ("forces", {"forc"}),
    ("demand nosuchwordqq", {"demand"}),  # a word the index does not hold: nothing to mark
    ("", set()),
])  # fmt: skip
def test_the_words_a_query_highlights(archive: Archive, q: str, terms: set[str]) -> None:
    """The terms a report page marks for `?q=` (hand-worked: the analyzer's stems, a phrase's
    indexed words, the index's words matching a wildcard or fuzzy term)."""
    assert archive.query_terms(q) == terms


def test_a_query_of_common_words_alone_is_explained(archive: Archive) -> None:
    for read in (archive.query_terms, archive.parse_query):
        with pytest.raises(QueryProblem) as caught:
            read("the and of")
        assert str(caught.value) == ("The query has no words to search for (common words such "
                                     "as 'the' and 'and' are not indexed).")


# -- the words as typed, and the engine's own caches and checks --------------------------------

def _all_sections(archive: Archive) -> list[Section]:
    out: list[Section] = []
    for tags in archive.report_tags():
        out += archive.report(tags.report_id) or []
    return out


@pytest.mark.parametrize(("acronym", "spelt"), [
    ("MASH", "multi-agency safeguarding hub"),
    ("ASB", "anti-social behaviour"),
])  # fmt: skip
def test_literal_searches_the_acronym_alone(archive: Archive, acronym: str, spelt: str) -> None:
    """The glossary widens an acronym to its spelt-out form; `literal` searches the word as
    typed. Oracle: the sections' own text, read back and searched by hand."""
    sections = _all_sections(archive)

    def having(phrase: str) -> set[str]:
        return {s.section_id for s in sections
                if re.search(rf"\b{re.escape(phrase)}\b",
                             " ".join(f"{s.heading} {s.text}".lower().split()))}

    as_typed, widened = having(acronym.lower()), having(acronym.lower()) | having(spelt)
    assert widened != as_typed  # the fixture holds the spelt-out form without the acronym
    for literal, want in ((True, as_typed), (False, widened)):
        req = SearchRequest(q=acronym, literal=literal, per_page=100)
        assert set(ids(archive, q=acronym, literal=literal, per_page=100)) == want
        # what the page says of the acronym: widened to its spelt-out form, or not
        (use,) = archive.search(req).understood.glossary
        assert (use.entry.term, use.widened) == (acronym, not literal)
        selection = archive.select(req)
        got = archive.sections_of(selection, selection.docs.tolist())
        assert got is not None and {s.section_id for s in got} == want


def test_a_build_keeps_its_last_match_sets_read_only(archive_index: Path) -> None:
    """A research view asks for the same words twice and paging asks again: the last
    RECENT_MATCHES match sets of a build are kept, the least recently asked for dropped first,
    and nobody can change one in place."""
    archive = Archive(archive_index)  # its own: the cache starts as this test leaves it
    try:
        archive.drop_caches()
        with archive._using() as gen, gen.reader() as rd:
            def match(text: str, literal: bool = False) -> np.ndarray:
                return archive._match(gen, rd, text, archive.deadline(), literal)[1]

            first = match("demand")
            assert match("demand") is first  # kept, not searched again
            assert match("demand", literal=True) is not first  # the words as typed: another set
            scores = archive._match(gen, rd, "demand", archive.deadline(), False)[2]
            assert scores is not None and not scores.flags.writeable
            assert not first.flags.writeable
            with pytest.raises(ValueError, match="read-only"):
                first[0] = -1
            words = [f"{w} victims" for w in ("police", "crime", "force", "public", "risk",
                                              "officers")]
            kept = {w: match(w) for w in words}  # with the two above, RECENT_MATCHES sets
            assert len(gen.recent) == RECENT_MATCHES
            assert match("demand") is first  # still kept, and now the most recently asked for
            match("neighbourhood")  # one more: the least recently asked for goes
            assert len(gen.recent) == RECENT_MATCHES
            assert list(gen.recent) == [*(f"0:{w}" for w in words), "0:demand", "0:neighbourhood"]
            assert all(match(w) is kept[w] for w in words) and match("demand") is first
    finally:
        archive.close()


@pytest.mark.parametrize("n", [4095, 4096, 8191, 8192])
def test_a_plain_search_checks_its_budget_every_4096_documents(n: int) -> None:
    deadline = Deadline(None)
    assert list(_checked(iter(range(n)), deadline)) == list(range(n))
    assert deadline.checks == n // 4096


@pytest.mark.parametrize("n", [7, 8, 15, 16])
def test_whooshs_collector_checks_the_budget_every_8_matches(tmp_path: Path, n: int) -> None:
    """The collector path stops a search within 8 matches of its budget passing (or of the
    server shutting down); one segment of `n` matching documents, built here."""
    ix = whoosh_index.create_in(tmp_path, whoosh_schema())
    with ix.writer() as w:
        for i in range(n):
            w.add_document(section_id=f"s{i}", text=f"kaleidoscope number {i}")
    q = wq.Term("text", "kaleidoscop")
    with ix.searcher() as searcher:
        deadline = Deadline(None)
        assert _collect(searcher, q, None, deadline).scored_length() == n
        assert deadline.checks == n // 8
        assert _collect(searcher, q, 3, Deadline(None)).scored_length() == 3  # the limit holds
        stopping = threading.Event()
        stopping.set()
        if n >= 8:
            with pytest.raises(SearchTooBroad, match="shutting down"):
                _collect(searcher, q, None, Deadline(None, stopping))
        else:
            assert _collect(searcher, q, None, Deadline(None, stopping)).scored_length() == n


def test_a_stopped_archive_ends_each_search_at_its_next_check(archive_index: Path) -> None:
    archive = Archive(archive_index)  # its own: stopping is for good
    try:
        assert archive.search(SearchRequest(q="demand")).total > 0
        archive.stop_searches()
        for read in (lambda: archive.search(SearchRequest(q="demand")),
                     lambda: archive.select(SearchRequest(q="victims"))):
            with pytest.raises(SearchTooBroad, match="The server is shutting down"):
                read()
    finally:
        archive.close()


def test_closing_releases_every_build_it_holds(tmp_path: Path) -> None:
    """close() closes the build in service and one retired while a request still held it:
    every reader of both (an archive closed or dropped keeps no index file open)."""
    index_dir = tmp_path / "ix"
    build([SEED], index_dir)
    archive = Archive(index_dir)
    with archive._using() as old:
        build([SEED, FIXTURE_CORPUS], index_dir)
        assert archive.report_count() > 1  # the new build is in service; `old` is held
        new = archive._gen
        assert new is not None and new is not old
        readers = [rd.searcher.reader() for gen in (old, new) for rd in gen._all]
        assert readers and not any(r.is_closed for r in readers)
        archive.close()
        assert all(r.is_closed for r in readers)


def _levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, start=1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


@pytest.mark.parametrize("word", ["affects", "roles", "demand", "light"])
def test_a_fuzzy_word_keeps_its_first_letter(archive: Archive, word: str) -> None:
    """`word~1` looks for the indexed words one edit away that begin with the same letter
    ("affects" finds no "effects", "roles" finds "rules"). Oracle: the index's own word list,
    measured here."""
    with archive.reading() as searcher:
        lexicon = [w.decode() for w in searcher.reader().lexicon("words")]
    near = {w for w in lexicon if w[0] == word[0] and _levenshtein(w, word) <= 1}
    assert word in near
    assert archive.query_terms(f"{word}~1") == {f"={w}" for w in near}
    # The cases the oracle must cover: a neighbour with another first letter, left out; one
    # that differs in its second letter, kept.
    assert {"effects", "rules"} <= set(lexicon)
    assert ("effects" in near, "rules" in near) == (False, word == "roles")


def test_a_facet_with_no_values_in_the_archive_says_so(tmp_path: Path) -> None:
    """An archive of one national report: no section answers a question, so an unknown
    question is answered with "none" (and the values the other facets do hold)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURE_CORPUS.parent / "formats" / "state-of-policing-2022.html", corpus)
    build([corpus], tmp_path / "ix")
    archive = Archive(tmp_path / "ix")
    try:
        for facet, sentence in (
            ("question", "Unknown question or area 'nope'. Values in the archive: none."),
            ("cycle", "Unknown cycle 'nope'. Values in the archive: 2022."),
        ):
            with pytest.raises(QueryProblem) as caught:
                archive.search(SearchRequest(filters={facet: ("nope",)}))
            assert str(caught.value) == sentence
    finally:
        archive.close()


@pytest.mark.parametrize("q", ["", "THRIVE"])
def test_a_valid_value_the_archive_lacks_is_listed_chosen_and_selects_nothing(
    archive: Archive, q: str,
) -> None:
    """Wiltshire is a force, but no report of it is in the archive: chosen (in the address or
    as a field term) it is listed, chosen, with no sections, and adds nothing to Kent's."""
    tags = archive.report_tags()
    assert "Wiltshire Police" not in {t.tags["force"] for t in tags}
    kent = sum(t.sections for t in tags if t.tags["force"] == "Kent Police")
    for req in (SearchRequest(q=q, filters={"force": ("kent", "wiltshire")}, per_page=100),
                SearchRequest(q=f"{q} force:kent force:Wiltshire".strip(), per_page=100)):
        result = archive.search(req)
        named = result.request.filters or result.query_filters
        assert named == {"force": ("Kent Police", "Wiltshire Police")}
        chosen = {f.value: f.count for f in result.facets["force"] if f.selected}
        assert chosen["Wiltshire Police"] == 0 and list(chosen) == sorted(chosen)
        assert result.total == chosen["Kent Police"] > 0
        if not q:
            assert result.total == kent  # oracle: the section counts of Kent's reports


def test_a_damaged_build_made_current_is_refused_once_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    from tests.test_index_damage import _postings_file, _scribble, _swap_in

    index_dir = tmp_path / "ix"
    good = build([SEED], index_dir).index_path
    made = build([SEED, FIXTURE_CORPUS], tmp_path / "other").index_path
    assert good is not None and made is not None
    _scribble(_postings_file(made), 0.0, 1.0)
    damaged = index_dir / "builds" / made.name
    shutil.move(made, damaged)
    archive = Archive(index_dir)
    try:
        total = archive.search(SearchRequest(q="demand")).total
        _swap_in(index_dir, damaged)
        with caplog.at_level("ERROR", logger="indexer.search"):
            for _ in range(3):
                assert archive.search(SearchRequest(q="demand")).total == total
        (record,) = [r for r in caplog.records if "refused build" in r.getMessage()]
        message = record.getMessage()
        assert message.startswith(f"refused build {damaged.name}: index at {index_dir} ")
        assert message.endswith(f"; still serving build {good.name}")
        assert "\n" not in message
    finally:
        archive.close()


def test_a_page_of_results_carries_what_the_page_shows(archive: Archive) -> None:
    """Scores (against plain Whoosh's own search of the same query), the terms to mark, the
    snippets left out when asked, a correction for a misspelt word only, and the notice for a
    page past the last."""
    req = SearchRequest(q="demand victims", per_page=5)
    result = archive.search(req)
    with archive.reading() as searcher:
        stock = searcher.search(archive.parse_query(req.q), limit=5)
        want = [(hit["section_id"], hit.score) for hit in stock]
    assert [h.section.section_id for h in result.hits] == [sid for sid, _ in want]
    assert [h.score for h in result.hits] == pytest.approx([score for _, score in want], rel=1e-9)
    assert result.terms == archive.query_terms(req.q) == {"demand", "victim"}
    assert all(h.snippet.passages for h in result.hits)
    bare = archive.search(req, snippets=False)
    assert [h.section for h in bare.hits] == [h.section for h in result.hits]
    assert all(h.snippet.passages == () for h in bare.hits)
    assert result.notices == ()
    assert archive.search(SearchRequest(q="demand")).suggestion == ""  # 14 sections: none
    assert archive.search(SearchRequest(q="kaleidoscpe")).suggestion == "kaleidoscope"
    past = archive.search(SearchRequest(q="demand", page=50))
    assert past.hits == [] and past.total > 0
    assert past.notices == ("Page 50 is past the last page of results.",)
