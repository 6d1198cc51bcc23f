"""The query language, suggestions, glossary and more-like-this, on a real index and server.

The index holds the seed report, the crafted fixtures and one more crafted report
(tests/fixtures/lang: MARAC written both ways, and "communication"/"communal", which share
the stem of "community"). Oracles read the sections' own text and tags, not the engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from indexer.analysis import stem_word
from indexer.build import build
from indexer.model import Section
from indexer.search import budget as budget_module
from indexer.search.engine import Archive
from indexer.search.glossary import entries
from indexer.search.request import QueryProblem, SearchRequest, parse_request
from indexer.search.suggest import edit_distance
from tests.conftest import FIXTURE_CORPUS, FIXTURES, SEED, Server
from webapp.snippets import snippet_html

LANG_FIXTURES = FIXTURES / "lang"


@pytest.fixture(scope="module")
def lang_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp("lang") / "ix"
    result = build([SEED, FIXTURE_CORPUS, LANG_FIXTURES], index_dir)
    assert not result.failures
    return index_dir


@pytest.fixture(scope="module")
def archive(lang_index: Path) -> Iterator[Archive]:
    a = Archive(lang_index)
    yield a
    a.close()


@pytest.fixture(scope="module")
def lang_server(lang_index: Path) -> Iterator[Server]:
    srv = Server(lang_index)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def sections(archive: Archive) -> list[Section]:
    """Every section with its tags (browsing, no query and no filter)."""
    out: list[Section] = []
    page = 1
    while True:
        result = archive.search(SearchRequest(per_page=100, page=page), snippets=False)
        out += [h.section for h in result.hits]
        if page >= result.pages:
            return out
        page += 1


def ids(archive: Archive, q: str, **params: str) -> set[str]:
    req = parse_request([("q", q), ("per_page", "100"), *params.items()])
    result = archive.search(req, snippets=False)
    assert result.total <= 100
    return {h.section.section_id for h in result.hits}


def words_of(s: Section) -> list[str]:
    return [w.lower() for w in re.findall(r"\w+(?:\.\w+)*", f"{s.heading}\n{s.text}")]


def having(sections: list[Section], test: object) -> set[str]:
    return {s.section_id for s in sections if test(s)}  # type: ignore[operator]


# -- wildcards and fuzzy terms match the words as written ------------------------------------

def test_prefix_finds_the_words_as_written_and_not_their_stem(
    archive: Archive, sections: list[Section]
) -> None:
    expected = having(sections, lambda s: any(w.startswith("communit") for w in words_of(s)))
    assert len(expected) >= 5
    assert ids(archive, "communit*") == expected
    # "communication" and "communal" share the Porter stem of "community" ("commun"), so a
    # stem prefix would have found the Cumbria summary; the words as written do not.
    assert "cumbria-2017-effectiveness:summary" not in expected
    result = archive.search(SearchRequest(q="communit*", per_page=100))
    marked = {s.text.lower() for h in result.hits for s in h.snippet.spans if s.hit}
    assert marked and all(m.startswith("communit") for m in marked), marked


@pytest.mark.parametrize("prefix", ["investigat", "vulnerab", "solvabi", "organis"])
def test_other_prefixes_that_stems_missed(
    archive: Archive, sections: list[Section], prefix: str
) -> None:
    expected = having(sections, lambda s: any(w.startswith(prefix) for w in words_of(s)))
    assert expected
    assert ids(archive, prefix + "*") == expected


def test_single_letter_wildcard(archive: Archive, sections: list[Section]) -> None:
    expected = having(sections, lambda s: any(re.fullmatch(r"analy.is", w) for w in words_of(s)))
    assert expected
    assert ids(archive, "analy?is") == expected


def test_too_broad_a_wildcard_or_fuzzy_word_is_explained(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(budget_module, "MAX_EXPANSION", 2)
    with pytest.raises(QueryProblem, match="more than 2 different words; add letters"):
        archive.search(SearchRequest(q="commun*"))
    with pytest.raises(QueryProblem, match="more than 2 different words; make the word"):
        archive.search(SearchRequest(q="forces~2"))
    with pytest.raises(QueryProblem, match="at least 3 letters"):
        parse_request([("q", "co*")])


def test_fuzzy_words_within_one_or_two_letters(archive: Archive, sections: list[Section]) -> None:
    def near(word: str, edits: int) -> set[str]:
        return having(sections, lambda s: any(
            w[0] == word[0] and edit_distance(w, word) <= edits for w in words_of(s)))

    assert ids(archive, "solvabilty") == set()
    assert ids(archive, "solvabilty~") == near("solvabilty", 1) != set()
    assert ids(archive, "efficency~2") == near("efficency", 2) != set()
    assert near("efficency", 1) <= ids(archive, "efficency~2")


@pytest.mark.parametrize("q", ["solvability~3", "ab~", "xy~2"])
def test_fuzzy_limits_are_explained(archive: Archive, q: str) -> None:
    with pytest.raises(QueryProblem):
        archive.search(SearchRequest(q=q))


# -- field terms are the sidebar's filters ---------------------------------------------------

def test_force_and_grade_in_the_query(archive: Archive, sections: list[Section]) -> None:
    expected = having(sections, lambda s: s.force == "Kent Police"
                      and s.grade == "Requires improvement")
    assert len(expected) >= 2
    q = 'force:kent grade:"requires improvement"'
    assert ids(archive, q) == expected
    result = archive.search(parse_request([("q", q)]))
    assert result.query_filters == {"force": ("Kent Police",),
                                    "grade": ("Requires improvement",)}
    # The same filters, chosen in the sidebar (stored values), give the same answer.
    assert ids(archive, "", force="Kent Police", grade="Requires improvement") == expected
    chosen = {f.value for f in result.facets["force"] if f.selected}
    assert chosen == {"Kent Police"}


@pytest.mark.parametrize(("q", "field", "value"), [
    ("force:kent", "force", "Kent Police"),
    ("force:Kent", "force", "Kent Police"),
    ('force:"the met"', "force", "Metropolitan Police Service"),
    ("force:met", "force", "Metropolitan Police Service"),
    ("force:MPS", "force", "Metropolitan Police Service"),
    ("force:avon-and-somerset", "force", "Avon and Somerset Constabulary"),
    ('force:"Avon & Somerset"', "force", "Avon and Somerset Constabulary"),
    ("force:GMP", "force", "Greater Manchester Police"),
    ("grade:ri", "grade", "Requires improvement"),
    ("grade:requires-improvement", "grade", "Requires improvement"),
    ("grade:GOOD", "grade", "Good"),
    ("cycle:2016", "cycle", "2016"),
    ("cycle:2018/19", "cycle", "2018/19"),
    ("cycle:2018-19", "cycle", "2018/19"),
    ("cycle:2018", "cycle", "2018/19"),
    ("pillar:efficiency", "pillar", "Efficiency"),
    ("kind:afi", "kind", "area_for_improvement"),
    ('kind:"area for improvement"', "kind", "area_for_improvement"),
    ("kind:summary", "kind", "summary"),
    ('type:"peel assessment"', "report_type", "PEEL assessment"),
])
def test_field_values_accept_short_names_slugs_and_aliases(
    archive: Archive, sections: list[Section], q: str, field: str, value: str
) -> None:
    expected = having(sections, lambda s: getattr(s, field) == value)
    assert expected
    assert ids(archive, q) == expected
    # URL parameters take the same forms (force=kent is no longer refused).
    typed = q.split(":", 1)[1].strip('"')
    if field != "report_type":
        assert ids(archive, "", **{field: typed}) == expected


def test_field_terms_combine_with_words_and_with_each_other(
    archive: Archive, sections: list[Section]
) -> None:
    demand = having(sections, lambda s: "demand" in {stem_word(w) for w in words_of(s)})
    met_or_kent = having(sections, lambda s: s.force in ("Kent Police",
                                                         "Metropolitan Police Service"))
    assert ids(archive, "force:met demand") == demand & having(
        sections, lambda s: s.force == "Metropolitan Police Service")
    # Two values of one field: either; and with a URL filter on the same facet: either too.
    assert ids(archive, "force:met force:kent") == met_or_kent
    assert ids(archive, "force:met", force="Kent Police") == met_or_kent


def test_region_and_theme_light_up_when_the_facets_exist() -> None:
    from indexer.schema import FACET_NAMES
    from indexer.search.fields import active_fields

    for name in ("region", "theme"):
        assert (name in active_fields()) == (name in FACET_NAMES)


@pytest.mark.parametrize(("q", "listed"), [
    ("force:kentt", "Kent Police"),
    ("grade:excellent", "Requires improvement"),
    ("cycle:1999", "2018/19"),
    ("kind:minutes", "Area for improvement"),
])
def test_unknown_value_is_a_400_listing_the_valid_ones(
    lang_server: Server, q: str, listed: str
) -> None:
    r = httpx.get(lang_server.base + "/api/search", params={"q": q})
    assert r.status_code == 400
    message = r.json()["error"]
    assert "Valid values:" in message and listed in message, message
    page = httpx.get(lang_server.base + "/", params={"q": q})
    assert page.status_code == 400 and listed in page.text


@pytest.mark.parametrize("q", ["-force:kent demand", "demand OR force:kent",
                               "(force:kent demand)", 'force:"" demand'])
def test_misused_field_terms_are_explained(lang_server: Server, q: str) -> None:
    r = httpx.get(lang_server.base + "/api/search", params={"q": q})
    assert r.status_code == 400, r.text
    assert "force" in r.json()["error"]


# -- signs and operators ---------------------------------------------------------------------

def test_minus_excludes_and_plus_requires_the_word_as_typed(
    archive: Archive, sections: list[Section]
) -> None:
    def has(stem: str) -> object:
        return lambda s: stem in {stem_word(w) for w in words_of(s)}

    demand = having(sections, has("demand"))
    ict_anywhere = having(sections, lambda s: "ict" in words_of(s)
                          or "information and communications technology" in s.text.lower())
    assert demand & ict_anywhere and demand - ict_anywhere
    assert ids(archive, "demand -ICT") == demand - ict_anywhere
    assert ids(archive, "demand NOT ICT") == demand - ict_anywhere
    ict_word = having(sections, has("ict"))
    assert ids(archive, "+ICT") == ict_word
    assert ids(archive, "demand +ICT") == demand & ict_word
    # A hyphen inside a word is not a sign.
    assert ids(archive, "anti-social") == ids(archive, '"anti social"') != set()


def test_lower_case_operators_are_words_with_a_notice(archive: Archive) -> None:
    lower = archive.search(SearchRequest(q="ICT or collaboration", per_page=100))
    both = ids(archive, "ICT collaboration")
    assert {h.section.section_id for h in lower.hits} == both
    assert any("“or” in lower case" in n for n in lower.notices)
    assert ids(archive, "ICT OR collaboration") == ids(archive, "ICT") | ids(archive,
                                                                             "collaboration")
    assert ids(archive, "ICT OR collaboration") != both


# -- did you mean ----------------------------------------------------------------------------

def test_did_you_mean_offers_the_index_word_and_keeps_filters(lang_server: Server) -> None:
    r = httpx.get(lang_server.base + "/api/search",
                  params={"q": "solvabilty", "grade": "Requires improvement"}).json()
    assert r["total"] == 0
    assert r["suggestion"]["query"] == "solvability"
    url = r["suggestion"]["url"]
    assert "grade=Requires+improvement" in url and "q=solvability" in url
    followed = httpx.get(lang_server.base + url.replace("/?", "/api/search?", 1)).json()
    assert followed["total"] >= 1
    assert all("solvab" in x["snippet"].lower() for x in followed["results"])
    page = httpx.get(lang_server.base + "/", params={"q": "solvabilty"}).text
    assert 'Did you mean <a href="/?q=solvability"' in page


def test_no_suggestion_when_the_words_are_found(lang_server: Server) -> None:
    r = httpx.get(lang_server.base + "/api/search", params={"q": "solvability"}).json()
    assert r["total"] >= 1 and r["suggestion"] is None


# -- glossary --------------------------------------------------------------------------------

def test_acronym_and_expansion_find_each_other(archive: Archive, sections: list[Section]) -> None:
    acronym = having(sections, lambda s: "marac" in words_of(s))
    spelt = having(sections, lambda s: "multi-agency risk assessment conference"
                   in " ".join(s.text.lower().split()))
    assert acronym and spelt and acronym != spelt
    assert ids(archive, "MARAC") == acronym | spelt
    assert ids(archive, "marac") == acronym | spelt
    assert ids(archive, '"multi-agency risk assessment conference"') == acronym | spelt
    assert ids(archive, "multi-agency risk assessment conference") == acronym | spelt
    assert ids(archive, "MARAC", literal="1") == acronym
    assert ids(archive, "+MARAC") == acronym
    assert ids(archive, '"multi-agency risk assessment conference"', literal="1") == spelt
    # The reference's MASH: Kent writes it out only.
    assert ids(archive, "MASH", literal="1") == set()
    assert ids(archive, "MASH") == having(
        sections, lambda s: "multi-agency safeguarding hub" in s.text.lower()) != set()


def test_results_show_the_meaning_and_a_literal_link_that_keeps_state(
    lang_server: Server,
) -> None:
    params = {"q": "MARAC", "grade": "Requires improvement", "sort": "newest"}
    r = httpx.get(lang_server.base + "/api/search", params=params).json()
    (g,) = r["glossary"]
    assert g["term"] == "MARAC" and g["widened"]
    assert g["expansion"] == "multi-agency risk assessment conference"
    page = httpx.get(lang_server.base + "/", params=params).text
    assert "multi-agency risk assessment conference" in page and "domestic abuse" in page
    link = re.search(r'<a href="([^"]+)">Search the words as typed only</a>', page)
    assert link
    href = link.group(1).replace("&amp;", "&")
    assert "literal=1" in href and "grade=Requires+improvement" in href and "sort=newest" in href
    literal = httpx.get(lang_server.base + href)
    assert "Searching the words as typed" in literal.text
    # Literal is kept by the search form and by the state links.
    assert '<input type="hidden" name="literal" value="1">' in literal.text


def test_glossary_page_lists_every_term_with_live_counts(lang_server: Server) -> None:
    page = httpx.get(lang_server.base + "/glossary")
    assert page.status_code == 200
    data = httpx.get(lang_server.base + "/api/glossary").json()["terms"]
    assert [t["term"] for t in data] == [e.term for e in entries()]
    for name in ("THRIVE", "MASH", "MARAC", "MAPPA", "VAWG", "ASB", "CSE", "IOM", "CDI", "SPR",
                 "PCC", "FMS", "NCA", "ROCU", "DASH"):
        assert f'id="{name.lower()}"' in page.text, name
    by_term = {t["term"]: t for t in data}
    for term in ("MARAC", "MASH", "ICT", "VAWG"):
        api = httpx.get(lang_server.base + "/api/search", params={"q": term}).json()
        assert by_term[term]["sections"] == api["total"]
    assert by_term["MARAC"]["sections"] == 2 and by_term["MARAC"]["sections_literal"] == 1


# -- autocomplete ----------------------------------------------------------------------------

def test_suggest_completes_from_index_words_as_written(
    lang_server: Server, sections: list[Section]
) -> None:
    r = httpx.get(lang_server.base + "/api/suggest", params={"q": "THRIVE solv"}).json()
    words = [s for s in r["suggestions"] if s["kind"] == "word"]
    assert words and all(s["text"].startswith("solv") for s in words)
    assert words[0]["text"] == "solvability"  # in the most sections
    assert words[0]["query"] == "THRIVE solvability"
    expected = sum(1 for s in sections if "solvability" in words_of(s))
    assert words[0]["count"] == expected


def test_suggest_offers_force_names_and_field_values(lang_server: Server) -> None:
    r = httpx.get(lang_server.base + "/api/suggest", params={"q": "demand ken"}).json()
    assert {"text": "Kent Police", "query": "demand force:kent", "kind": "force", "count": 0} in \
        r["suggestions"]
    r = httpx.get(lang_server.base + "/api/suggest", params={"q": "grade:requ"}).json()
    assert [s["query"] for s in r["suggestions"]] == ['grade:"requires improvement"']
    assert httpx.get(lang_server.base + "/api/suggest", params={"q": "x" * 600}).status_code == 400


# -- more like this --------------------------------------------------------------------------

def test_similar_passages_come_from_other_reports_and_share_key_words(
    lang_server: Server,
) -> None:
    sid = "metropolitan-2016-efficiency:q2"
    r = httpx.get(f"{lang_server.base}/api/sections/{sid}/similar").json()
    assert r["similar"]
    keys = set(r["key_terms"])
    assert "demand" in keys
    for n in r["similar"]:
        assert n["report_id"] != "metropolitan-2016-efficiency"
        report = httpx.get(f"{lang_server.base}/api/reports/{n['report_id']}").json()
        (section,) = [s for s in report["sections"] if s["section_id"] == n["section_id"]]
        text_stems = {stem_word(w.lower()) for w in re.findall(r"\w+", section["text"])}
        assert text_stems & keys
    scores = [n["score"] for n in r["similar"]]
    assert scores == sorted(scores, reverse=True)
    # The same section's question in another force ranks first.
    assert r["similar"][0]["section_id"] == "dyfed-powys-2016-efficiency:q2"


def test_similar_page_is_linked_from_every_report_section(lang_server: Server) -> None:
    report = httpx.get(lang_server.base + "/reports/metropolitan-2016-efficiency").text
    links = re.findall(r'href="(/sections/[^"]+/similar)"', report)
    assert len(links) == 7
    page = httpx.get(lang_server.base + links[2])
    assert page.status_code == 200 and "Passages like" in page.text
    assert "/reports/dyfed-powys-2016-efficiency#q2" in page.text


@pytest.mark.parametrize(("path", "status"), [
    ("/api/sections/no-such:q1/similar", 404),
    ("/api/sections/..%2Fetc:q1/similar", 404),
    ("/sections/no-such:q1/similar", 404),
    ("/api/sections/metropolitan-2016-efficiency:q2/similar?limit=0", 400),
    ("/api/sections/metropolitan-2016-efficiency:q2/similar?limit=x", 400),
])
def test_similar_refuses_bad_requests_clearly(lang_server: Server, path: str, status: int) -> None:
    r = httpx.get(lang_server.base + path)
    assert r.status_code == status


@pytest.mark.parametrize("q", ["", " ", "a", "force:", 'force:"the m', "grade:", "type:x", "-", "+",
                               "-solv", "(solv", '"solv', "\x00", "é", "solv*", "x" * 500,
                               "region:nor", "kind:af", "cycle:20", "ab:cd:ef"])
def test_suggest_answers_any_input(lang_server: Server, q: str) -> None:
    r = httpx.get(lang_server.base + "/api/suggest", params={"q": q})
    assert r.status_code == 200
    assert isinstance(r.json()["suggestions"], list)


def test_a_phrase_is_marked_only_where_its_words_stand_together(archive: Archive) -> None:
    # THRIVE also searches its spelt-out phrase; "risk" or "investigation" alone is not a hit.
    result = archive.search(SearchRequest(q="THRIVE", per_page=100))
    marked = {s.text.lower() for h in result.hits for s in h.snippet.spans if s.hit}
    assert marked == {"thrive"}
    text = "The risk was high. A risk of harm assessment followed; harm was done."
    terms = archive.query_terms('"risk of harm"')
    assert snippet_html(archive.highlight_all(text, terms)) == (
        "The risk was high. A <mark>risk</mark> of <mark>harm</mark> assessment followed; "
        "harm was done.")
