"""HTML reports: a 2021/22 report page saved with full site chrome, indexed end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from whoosh.qparser import QueryParser

from indexer.build import build, parse_file
from indexer.cli import main
from indexer.formats import html
from indexer.store import open_index

FORMATS = Path(__file__).resolve().parent / "fixtures" / "formats"
GWENT = FORMATS / "gwent-2021-22.html"
RI = "Requires improvement"
VICTIMS = "Providing a service to the victims of crime"
INV, RESP, VULN = "Investigating crime", "Responding to the public", "Protecting vulnerable people"
OFF, RES = "Managing offenders", "Good use of resources"

# (anchor, kind, question_number, question, grade) for every section, in order.
GWENT_SECTIONS = [
    ("summary", "summary", None, "", ""),
    ("judgments", "summary", None, "", ""),
    ("observations", "summary", None, "", ""),
    ("q1", "question", 1, VICTIMS, "Ungraded"),
    ("q2", "question", 2, INV, "Adequate"),
    ("q2-afi-1", "area_for_improvement", 2, INV, "Adequate"),
    ("q2-afi-2", "area_for_improvement", 2, INV, "Adequate"),
    ("q3", "question", 3, RESP, RI),
    ("q3-coc-1", "cause_of_concern", 3, RESP, RI),
    ("q3-rec-1", "recommendation", 3, RESP, RI),
    ("q3-rec-2", "recommendation", 3, RESP, RI),
    ("q3-afi-1", "area_for_improvement", 3, RESP, RI),
    ("q4", "question", 4, VULN, "Good"),
    ("q4-practice-1", "practice", 4, VULN, "Good"),
    ("q4-practice-2", "practice", 4, VULN, "Good"),
    ("q5", "question", 5, OFF, "Outstanding"),
    ("q6", "question", 6, RES, "Inadequate"),
    ("q6-coc-1", "cause_of_concern", 6, RES, "Inadequate"),
    ("q6-rec-1", "recommendation", 6, RES, "Inadequate"),
    ("about-the-data", "other", None, "", ""),
]
CHROME_WORDS = [
    "cookies", "biscuit", "zeppelins", "waypoint", "quokkas", "accessibility", "trackingpixel",
    "quarantined", "tagline", "consultation", "Cymraeg", "Promoting",
]  # fmt: skip


def test_gwent_report_sections_are_tagged() -> None:
    result = parse_file(GWENT)
    assert result.report is not None, result.error
    report = result.report
    assert result.warnings == []
    assert (report.report_id, report.cycle, report.pillar) == ("gwent-2021-22", "2021/22", "")
    assert report.url == "https://hmicfrs.justiceinspectorates.gov.uk/peel-reports/gwent-2021-22/"
    got = [(s.anchor, s.kind, s.question_number, s.question, s.grade) for s in report.sections]
    assert got == GWENT_SECTIONS
    for s in report.sections:
        assert (s.force, s.force_slug, s.region) == ("Gwent Police", "gwent", "Wales")
        assert (s.cycle, s.year, s.pillar) == ("2021/22", 2021, "")
        assert s.report_type == "PEEL assessment"
        assert s.updated is not None and s.updated.isoformat() == "2022-06-14"
    by_anchor = {s.anchor: s for s in report.sections}
    assert "This is a cause of concern" in by_anchor["q3-coc-1"].text
    assert "queue often stretches" in by_anchor["q3-coc-1"].text
    assert by_anchor["q3-rec-2"].text.startswith("Within six months")
    assert (
        by_anchor["q4-practice-1"].heading
        == "Innovative practice: A joint hub for older people at risk"
    )
    assert by_anchor["q4-practice-2"].heading == "Promising practice (Protecting vulnerable people)"
    assert "Investigating crime | Adequate" in by_anchor["judgments"].text


def test_chrome_is_not_in_any_section() -> None:
    result = parse_file(GWENT)
    assert result.report is not None
    for section in result.report.sections:
        blob = f"{section.heading}\n{section.text}".lower()
        for word in CHROME_WORDS:
            assert word.lower() not in blob, (word, section.anchor)


def test_chrome_is_not_searchable_in_a_built_index(tmp_path: Path) -> None:
    result = build([GWENT], tmp_path / "index")
    assert result.index_path is not None and not result.failures
    opened = open_index(tmp_path / "index", "peel-index build")
    with opened.whoosh.searcher() as searcher:
        parser = QueryParser("text", opened.whoosh.schema)
        assert searcher.search(parser.parse("adequate"), limit=None).scored_length() > 0
        assert len(searcher.search(parser.parse("lighthouse"))) == 1
        for word in CHROME_WORDS:
            for field in ("text", "heading"):
                q = QueryParser(field, opened.whoosh.schema).parse(word)
                assert len(searcher.search(q)) == 0, (word, field)
        facet = searcher.search(QueryParser("grade", opened.whoosh.schema).parse("Adequate"))
        assert {hit["anchor"] for hit in facet} == {"q2", "q2-afi-1", "q2-afi-2"}
    opened.whoosh.close()


def test_check_shows_type_areas_kinds_and_grades() -> None:
    out = CliRunner().invoke(main, ["check", str(GWENT)])
    assert out.exit_code == 0, out.output
    assert "gwent-2021-22: Gwent Police · 2021/22 · areas of policing · updated 2022-06-14" in (
        out.output
    )
    assert "type:     PEEL assessment (areas of policing (2021+))" in out.output
    assert (
        "sections: summary 3, question 6, area_for_improvement 3, cause_of_concern 2, "
        "recommendation 3, practice 2, other 1" in out.output
    )
    assert "Adequate 1" in out.output
    assert "area 2 Adequate: Investigating crime" in out.output


def test_saved_page_without_main_element_drops_header_and_footer() -> None:
    page = b"""<html><body><header><p>Site masthead words</p></header>
    <h1>PEEL 2021/22: An inspection of Kent Police</h1>
    <h2>Overall summary</h2><p>Kent Police is doing well overall.</p>
    <h2>Investigating crime</h2><p>Kent Police is good at investigating crime.</p>
    <footer><p>Footer words</p></footer></body></html>"""
    blocks = html.read(page).blocks
    texts = [b.text for b in blocks]
    assert "Site masthead words" not in texts and "Footer words" not in texts
    assert texts[0] == "PEEL 2021/22: An inspection of Kent Police"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"\x00\x01\x02junk\x00", "binary data"),
        (b"just some words, no markup", "no elements"),
        (b"<html><body><nav>Home</nav><footer>Contact</footer></body></html>", "no report text"),
    ],
)
def test_html_that_holds_no_report_is_refused(data: bytes, reason: str) -> None:
    from indexer.errors import ReportError

    with pytest.raises(ReportError, match=reason):
        html.read(data)
