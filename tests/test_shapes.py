"""Every page shape seen on the inspectorate's site (issue 10, reference §6i), each in a capture
of our own (tests/fixtures/shapes/: invented prose in the real structure), with its exact
sections, tags, grade source and text.

The expectations are written by hand from the fixture text (see tests/fixtures/README.md): for
each section its anchor, kind, pillar, question number, grade, where the grade came from, and
the first and last words of its text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.build import build, parse_all, parse_file
from indexer.model import Section

SHAPES = Path(__file__).resolve().parent / "fixtures" / "shapes"
RI = "Requires improvement"

# (anchor, kind, pillar, question_number, grade, grade_source, text starts, text ends)
Row = tuple[str, str, str, int | None, str, str, str, str]
# file -> (report_id, force, cycle, rows)
CASES: dict[str, tuple[str, str, str, list[Row]]] = {
    # Shape 1 (2015): pillar sentences name the force; no grade badge lines.
    "kent-2015-overview.txt": ("kent-2015-overview", "Kent Police", "2015", [
        ("summary", "summary", "", None, "", "",
         "This is HMIC's second assessment of Kent Police", "HM Inspector of Constabulary"),
        ("observations", "summary", "", None, "", "",
         "I am encouraged by the way", "the best we have seen."),
        ("effectiveness", "summary", "Effectiveness", None, "Good", "sentence",
         "How effective is the force at keeping people safe", "victims are kept informed."),
        ("efficiency", "summary", "Efficiency", None, "Outstanding", "sentence",
         "How efficient is the force at keeping people safe", "are fully costed."),
        ("legitimacy", "summary", "Legitimacy", None, "Ungraded", "sentence",
         "How legitimate is the force at keeping people safe", "published early next year."),
    ]),
    # Shape 1 (2014): judgments only inside the prose list after "The available evidence".
    "dyfed-powys-2014-overview.txt": ("dyfed-powys-2014-overview", "Dyfed-Powys Police", "2014", [
        ("summary", "summary", "", None, "", "",
         "This is the first PEEL Assessment", "of Dyfed-Powys Police."),
        ("observations", "summary", "", None, "", "",
         "The available evidence indicates that:", "market towns each week."),
        ("effectiveness", "summary", "Effectiveness", None, "", "",
         "How well the force tackles crime", "since last spring."),
        ("efficiency", "summary", "Efficiency", None, "Good", "sentence",
         "How well the force delivers value for money", "two underused stations."),
    ]),
    # Shape 2: a 2021/22 report captured from "Overall summary" on: no title line, no "Our
    # judgments" line, no table text; the cycle only in "PEEL Assessment Framework 2021/22".
    "capture-2021-summary.txt": ("norfolk-2021-22", "Norfolk Constabulary", "2021/22", [
        ("summary", "summary", "", None, "", "",
         "Our inspection assessed how good Norfolk Constabulary", "in the rest of this report."),
        ("observations", "summary", "", None, "", "",
         "I am pleased with the way", "vulnerable people better."),
        ("important-changes-to-peel", "other", "", None, "", "",
         "This report is the first under the PEEL Assessment Framework", "five-point scale."),
        ("q1", "question", "", 1, "Ungraded", "framework",
         "We looked at a sample of crime records.", "for a call back."),
        ("q2", "question", "", 2, "Good", "sentence",
         "Norfolk Constabulary is good at investigating crime.", "review them every week."),
        ("q3", "question", "", 3, "Adequate", "sentence",
         "Norfolk Constabulary is adequate at responding", "responding to the public."),
        ("q3-afi-1", "area_for_improvement", "", 3, "Adequate", "sentence",
         "The force should answer non-emergency calls", "more quickly at weekends."),
        ("q4", "question", "", 4, RI, "sentence",
         "Norfolk Constabulary requires improvement at protecting", "at domestic incidents."),
        ("q5", "question", "", 5, "Outstanding", "sentence",
         "Norfolk Constabulary is outstanding at managing offenders.", "the tandem board."),
    ]),
    # Shape 3: an overview without the pillar word lines (a "View the five questions" link,
    # then the headline question); a pending pillar "To be graded".
    "cumbria-2016-overview.txt": ("cumbria-2016-overview", "Cumbria Constabulary", "2016", [
        ("summary", "summary", "", None, "", "",
         "This is HMIC's third PEEL assessment", "reducing crime is good."),
        ("observations", "summary", "", None, "", "",
         "The constabulary covers a large", "pressure on its budget."),
        ("effectiveness", "summary", "Effectiveness", None, "Ungraded", "line",
         "How effective is the force at keeping people safe", "published next spring."),
        ("efficiency", "summary", "Efficiency", None, "Good", "line",
         "How efficient is the force at keeping people safe", "tourism brings to the lakes."),
        ("legitimacy", "summary", "Legitimacy", None, "Good", "sentence",
         "How legitimate is the force at keeping people safe", "to the people they stop."),
        ("leadership", "summary", "Leadership", None, "Ungraded", "framework",
         "How well does the force understand, develop and display leadership?",
         "what it thinks."),
    ]),
    # Shape 4: the 2014 legitimacy questions and the 2014 effectiveness headline, no numbers.
    "city-of-london-peel-2014-legitimacy.txt": (
        "city-of-london-2014-legitimacy", "City of London Police", "2014", [
            ("summary", "summary", "Legitimacy", None, "Ungraded", "framework",
             "The force polices a small area", "do not live in the City."),
            ("q1", "question", "Legitimacy", 1, "Ungraded", "framework",
             "The force has a clear policy on gifts", "the register every month."),
            ("q2", "question", "Legitimacy", 2, "Ungraded", "framework",
             "Surveys of workers and residents", "officers are few."),
        ]),
    "city-of-london-peel-2014-effectiveness.txt": (
        "city-of-london-2014-effectiveness", "City of London Police", "2014", [
            ("summary", "summary", "Effectiveness", None, "", "",
             "The force has a strong focus on fraud", "in the financial district."),
            ("q1", "question", "Effectiveness", 1, "Good", "sentence",
             "The force is good at reducing crime", "thefts are most common."),
            ("q2", "question", "Effectiveness", 2, "Good", "line",  # the line reads "Good."
             "Investigators keep victims informed", "allocated within a day."),
            ("q3", "question", "Effectiveness", 3, RI, "sentence",
             "City of London Police requires improvement", "about the same street."),
            ("q4", "question", "Effectiveness", 4, "Ungraded", "framework",
             "The force has trained its officers", "among rough sleepers."),
        ]),
    # Shapes 5 and 6: link text glued to the first paragraph; banners and header lines before
    # the title (Welsh toggle on one line, the three-line tagline, old consultation banners).
    "norfolk-2018-19-overview.txt": (
        "norfolk-2018-19-overview", "Norfolk Constabulary", "2018/19", [
            ("summary", "summary", "", None, "", "",
             "This is HMICFRS's fifth PEEL assessment of Norfolk Constabulary.",
             "legitimacy 2018/19 – Norfolk Constabulary"),
            ("observations", "summary", "", None, "", "",
             "The constabulary has shared its back-office", "paid for more investigators."),
            ("effectiveness", "summary", "Effectiveness", None, "Good", "line",
             "How effectively does the force reduce crime", "keeping people safe."),
            ("efficiency", "summary", "Efficiency", None, "Outstanding", "line",
             "How efficiently does the force operate", "efficiently and sustainably."),
            ("legitimacy", "summary", "Legitimacy", None, "Good", "line",
             "How legitimately does the force treat", "its workforce legitimately."),
        ]),
    # Stock sentences opening a compact pillar page's summary and questions.
    "hampshire-peel-2017-legitimacy.txt": (
        "hampshire-2017-legitimacy", "Hampshire Constabulary", "2017", [
            ("summary", "summary", "Legitimacy", None, RI, "sentence",
             "Hampshire Constabulary has been assessed as requiring improvement",
             "it treats the public fairly."),
            ("q1", "question", "Legitimacy", 1, "Good", "sentence",
             "Hampshire Constabulary is good at treating", "record them on a tablet."),
            ("q2", "question", "Legitimacy", 2, RI, "sentence",
             "The force requires improvement in how it ensures", "a thousand files waiting."),
            ("q3", "question", "Legitimacy", 3, "Outstanding", "sentence",
             "The constabulary has been judged to be outstanding", "their ideas are heard."),
        ]),
    # Near misses: a quote, a comparison, another force, "good at" deep in a list of strengths.
    "northumbria-peel-2016-efficiency.txt": (
        "northumbria-2016-efficiency", "Northumbria Police", "2016", [
            ("summary", "summary", "Efficiency", None, "Good", "sentence",
             "Northumbria Police has been assessed as good", "is good at using volunteers."),
            ("q1", "question", "Efficiency", 1, "", "",
             '"The force is outstanding at predicting demand,"', "only calls for service."),
            ("q2", "question", "Efficiency", 2, "", "",
             "Like Durham Constabulary, Northumbria Police is good at", "demand is highest."),
            ("q3", "question", "Efficiency", 3, "", "",
             "Durham Constabulary is outstanding at planning", "good at workforce planning."),
        ]),
}  # fmt: skip


def _rows(sections: list[Section]) -> list[tuple[object, ...]]:
    return [
        (s.anchor, s.kind, s.pillar, s.question_number, s.grade, s.grade_source)
        for s in sections
    ]


@pytest.mark.parametrize("name", sorted(CASES))
def test_shape_parses_to_exact_sections_tags_and_text(name: str) -> None:
    report_id, force, cycle, rows = CASES[name]
    result = parse_file(SHAPES / name)
    assert result.report is not None, result.error
    report = result.report
    assert (report.report_id, report.force_name, report.cycle) == (report_id, force, cycle)
    assert _rows(report.sections) == [row[:6] for row in rows]
    for s, row in zip(report.sections, rows, strict=True):
        assert s.text.startswith(row[6]), (s.anchor, s.text[:80])
        assert s.text.endswith(row[7]), (s.anchor, s.text[-80:])
        assert s.report_id == report_id and s.force == force and s.cycle == cycle


def test_no_chrome_reaches_any_shape_section() -> None:
    chrome = (
        "Skip to content", "Read more about", "English", "Cymraeg", "Promoting improvements",
        "fire & rescue", "give us your views", "consulting on", "For consultation",
        "View the five questions", "Contact Zoë", "Last updated", "Group by region",
        "Loading graph",
    )  # fmt: skip
    for f in parse_all([SHAPES]).files:
        for s in f.report.sections if f.report else []:
            for line in chrome:
                assert line not in s.text and line not in s.heading, (f.source, s.anchor, line)


def test_pending_and_not_yet_graded_pillars_carry_their_status() -> None:
    kent = parse_file(SHAPES / "kent-2015-overview.txt").report
    cumbria = parse_file(SHAPES / "cumbria-2016-overview.txt").report
    assert kent is not None and cumbria is not None
    kent_notes = {s.anchor: (s.grade, s.grade_note) for s in kent.sections}
    cumbria_notes = {s.anchor: (s.grade, s.grade_note) for s in cumbria.sections}
    assert kent_notes["legitimacy"] == ("Ungraded", "Not yet graded")
    assert kent_notes["effectiveness"] == ("Good", "")
    assert cumbria_notes["effectiveness"] == ("Ungraded", "To be graded")
    assert cumbria_notes["leadership"] == ("Ungraded", "Not graded in this cycle")


def test_national_grades_table_has_no_empty_sections() -> None:
    result = parse_file(SHAPES / "peel-2015-grades-overview.txt")
    assert result.report is not None, result.error
    sections = result.report.sections
    assert result.report.report_type == "National overview"
    assert all(s.text.strip() for s in sections), [s.anchor for s in sections if not s.text]
    got = [(s.anchor, s.pillar, s.question_number, s.grade, s.grade_source) for s in sections]
    assert got == [
        ("summary", "", None, "", ""),
        ("effectiveness-q1", "Effectiveness", 1, "", ""),
        ("effectiveness-q2", "Effectiveness", 2, "", ""),
        ("efficiency-q1", "Efficiency", 1, "", ""),
        ("legitimacy-q2", "Legitimacy", 2, "Ungraded", "table"),
        ("legitimacy-q4", "Legitimacy", 4, "", ""),
    ]
    by_anchor = {s.anchor: s for s in sections}
    assert by_anchor["efficiency-q1"].question == (
        "How well does the force use its resources to meet its demand?"
    )
    assert by_anchor["efficiency-q1"].text == by_anchor["efficiency-q1"].question
    assert by_anchor["summary"].text.startswith("This is an overview of the grades forces")


def test_the_richer_of_two_captures_is_kept_and_the_other_reported() -> None:
    result = parse_all([SHAPES / "devon-and-cornwall-peel-2018-legitimacy-compact.txt",
                        SHAPES / "devon-and-cornwall-peel-2018-legitimacy-full.txt"])
    compact, full = result.files
    assert full.report is not None and compact.report is None
    assert not result.failures and result.dropped == [compact]
    assert "kept" in compact.dropped and full.source in compact.dropped
    assert "3 graded" in compact.dropped and "2 graded" in compact.dropped
    assert [(s.anchor, s.grade, s.grade_source) for s in full.report.sections] == [
        ("summary", "Good", "line"), ("q1", "Good", "line"), ("q2", "Good", "line"),
    ]


def test_a_press_release_beside_its_report_never_takes_its_id(tmp_path: Path) -> None:
    result = build([SHAPES / "durham-2021-22-news.txt", SHAPES / "durham-2021-22.txt"],
                   tmp_path / "ix")
    assert not result.failures and not result.dropped
    news, report = (f.report for f in result.files)
    assert report is not None and news is not None
    assert report.report_id == "durham-2021-22" and report.report_type == "PEEL assessment"
    assert [(s.anchor, s.grade, s.grade_source) for s in report.sections] == [
        ("summary", "", ""), ("judgments", "", ""), ("observations", "", ""),
        ("q1", "Good", "table"), ("q2", RI, "table"), ("q2-afi-1", RI, "table"),
    ]
    assert news.report_id.startswith("news-durham-constabulary-praised")
    assert news.report_type == "News" and news.force is None
    assert all(s.grade == "" for s in news.sections)
    assert any("press release" in w for w in news.warnings)
    assert news.sections[0].text.startswith("Durham Constabulary is good at investigating crime")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("cleveland-pcc-republished.txt",
         "not an inspectorate page: a police and crime commissioner's site ('Office of the"),
        ("cleveland-local-news.txt",
         "not an inspectorate page: a news site ('Sign up to our newsletter')"),
    ],
)  # fmt: skip
def test_a_third_party_republication_is_refused_with_the_reason(name: str, reason: str) -> None:
    result = parse_file(SHAPES / name)
    assert result.report is None
    assert result.error.startswith(reason)


def test_a_page_from_another_site_is_refused_by_its_address(tmp_path: Path) -> None:
    import json
    import shutil

    page = tmp_path / "durham-2021-22.txt"
    shutil.copy(SHAPES / "durham-2021-22.txt", page)
    record = {"url": "https://www.durham.pcc.police.uk/peel/durham-2021-22/"}
    (tmp_path / "durham-2021-22.txt.provenance.json").write_text(json.dumps(record), "utf-8")
    result = parse_file(page)
    assert result.error == "not an inspectorate page: it comes from www.durham.pcc.police.uk"
    record["url"] = "https://hmicfrs.justiceinspectorates.gov.uk/peel-reports/durham-2021-22/"
    (tmp_path / "durham-2021-22.txt.provenance.json").write_text(json.dumps(record), "utf-8")
    assert parse_file(page).report is not None


def test_a_publication_landing_page_is_news_with_its_own_id() -> None:
    result = parse_all([SHAPES / "durham-2021-22-publication.txt", SHAPES / "durham-2021-22.txt"])
    landing, report = (f.report for f in result.files)
    assert landing is not None and report is not None
    assert report.report_id == "durham-2021-22"
    assert landing.report_id == "news-peel-2021-22-an-inspection-of-durham-constabulary"
    assert landing.report_type == "News"
    assert any("landing page" in w for w in landing.warnings)
    # The link lines ("Read the report …") head nothing, so they are not sections.
    assert [s.text for s in landing.sections] == [
        "Our inspection of Durham Constabulary found a force that investigates crime well but "
        "answers emergency calls too slowly."
    ]


def test_check_and_build_say_where_grades_came_from_and_what_was_dropped(
    tmp_path: Path,
) -> None:
    from click.testing import CliRunner

    from indexer.cli import main
    from indexer.store import open_index

    check = CliRunner().invoke(main, ["check", str(SHAPES)])
    assert check.exit_code == 1  # the two republications are refused
    out = check.output
    assert "FAIL " in out and "cleveland-pcc-republished.txt: not an inspectorate page" in out
    assert "DROP " in out and "legitimacy-compact.txt: another capture of" in out
    assert ("Q1 Good: How effective is the force at reducing crime and preventing offending? "
            "[grade from sentence]") in out
    assert ("Q2 Good: How effective is the force at investigating offending? "
            "[grade from line]") in out
    assert "graded by: line 1, sentence 2, framework 1" in out
    assert "14 ok, 2 failed, 1 duplicate(s) dropped" in out

    built = CliRunner().invoke(main, ["build", str(SHAPES), "--index-dir", str(tmp_path / "ix")])
    assert "Dropped 1 duplicate capture(s):" in built.output
    assert "graded by:" in built.output
    opened = open_index(tmp_path / "ix", "test")
    with opened.whoosh.searcher() as searcher:
        stored = {d["section_id"]: d for d in searcher.all_stored_fields()}
    opened.whoosh.close()
    assert stored["hampshire-2017-legitimacy:q3"]["grade_source"] == "sentence"
    assert stored["durham-2021-22:q1"]["grade_source"] == "table"
    assert stored["devon-and-cornwall-2018-19-legitimacy:q1"]["grade_source"] == "line"
    assert not any(sid.startswith("cleveland") for sid in stored)


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("Read more about KentThis is HMICFRS's fifth PEEL assessment of Kent Police.",
         "This is HMICFRS's fifth PEEL assessment of Kent Police."),
        ("Read more about Devon and Cornwall 2016This is HMIC's third PEEL assessment.",
         "This is HMIC's third PEEL assessment."),
        ("Read more about Kent", None),
        ("Read more about Devon and Cornwall 2016", None),
        ("English Cymraeg", None),
        ("Promoting improvements", None),
        ("in policing and fire & rescue", None),
        ("services to make everyone safer", None),
        ("HMIC is consulting on its proposed inspection programme for 2017/18", None),
        ("Please give us your views by 5pm on Friday 24 February 2017.", None),
        ("Proposed fire and rescue services inspection programme and framework 2025–27: For "
         "consultation", None),
        ("The force reads more about demand than it did.", "The force reads more about demand "
         "than it did."),
    ],
)  # fmt: skip
def test_chrome_lines_go_and_glued_paragraphs_stay(line: str, kept: str | None) -> None:
    from indexer.normalise import to_blocks

    assert [b.text for b in to_blocks(line)] == ([kept] if kept else [])


def test_a_release_that_lost_its_get_the_report_line_is_still_news(tmp_path: Path) -> None:
    text = (SHAPES / "durham-2021-22-news.txt").read_text("utf-8")
    page = tmp_path / "durham-2021-22-release.txt"
    page.write_text(text.replace("Get the report\n", ""), "utf-8")
    result = parse_file(page)
    assert result.report is not None and result.report.report_type == "News"
    assert result.report.report_id.startswith("news-durham-constabulary-praised")
    assert any("ends with a link to the report" in w for w in result.report.warnings)


@pytest.mark.parametrize(
    ("line", "third_party"),
    [
        ("Office of the Police and Crime Commissioner for Cleveland", True),
        ("© 2025 Northamptonshire Police, Fire and Crime Commissioner", True),
        ("Cleveland PCC", True),
        ("Report a crime", True),
        ("Sign up to our newsletter", True),
        ("Source: HMICFRS, 10 April 2025", True),
        # A report's own headings and lines about commissioners are not a third party's chrome.
        ("Response from the Police and Crime Commissioner", False),
        ("The role of the police and crime commissioner", False),
        ("The police and crime commissioner has set clear priorities for the force.", False),
        ("How to report a crime to the force", False),
    ],
)
def test_third_party_chrome_lines(line: str, third_party: bool) -> None:
    from indexer.kinds import _third_party
    from indexer.normalise import Block

    assert bool(_third_party([Block("line", line, 1)])) is third_party
