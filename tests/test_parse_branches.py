"""Parser branches that the fixture corpus reaches once or never, on captures of our own.

Each capture below is invented prose laid out in a real report structure (reference
`peel-reports.md` §6a, §6b, §6e, §6i, §7). Every expected value (section text, heading, tags,
warnings) was worked out by hand from the capture's lines, never by running the parser. The
mutation runs of `scripts/mutate` (TESTING.md) showed which branches needed them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from indexer.draft import ParsedReport
from indexer.errors import ReportError
from indexer.metadata import Hints
from indexer.model import Section
from indexer.normalise import CELL_SEP, Block, to_blocks
from indexer.parse import parse_pillar_page
from indexer.parse_areas import looks_like_areas_report, parse_areas_report
from indexer.parse_integrated import parse_integrated_report, parse_overview
from indexer.parse_other import parse_other_report

RI = "Requires improvement"
EFF_HEADLINE = "How efficient is the force at keeping people safe and reducing crime?"
Q1_2016 = "How well does the force understand the current and likely future demand?"
Q2_2016 = "How well does the force use its resources to manage current demand?"
Q3_2016 = "How well is the force planning for demand in the future?"
LEG_Q1 = (
    "To what extent does the force treat all of the people it serves with fairness and respect?"
)
PANELS = "How well does the force listen to its neighbourhood panels?"
LEG_Q2 = "How well does the force ensure that its workforce behaves ethically and lawfully?"
LEG_Q3 = "To what extent does the force treat its workforce with fairness and respect?"


def rows(sections: list[Section], pillar: bool = False) -> list[tuple[object, ...]]:
    """Each section's tags and text (its pillar first, when asked)."""
    return [
        ((s.pillar,) if pillar else ())
        + (s.anchor, s.kind, s.question_number, s.question, s.grade, s.grade_source, s.grade_note,
           s.heading, s.text)
        for s in sections
    ]  # fmt: skip


def pillar_page(lines: list[str], source: str = "x.txt") -> tuple[list[Section], list[str]]:
    report = parse_pillar_page(to_blocks("\n".join(lines)), source)
    return report.sections, report.warnings


# A "full" capture (§6i): pillar line, headline, date, a grade line with a full stop, a bullet
# before any list heading, "Questions for …", numbers in three spellings, a list of areas for
# improvement, a stray number in prose, and a question the page gives no grade.
FULL_2016 = [
    "Kent PEEL 2016",
    "Efficiency",
    EFF_HEADLINE,
    "Last updated 03/11/2016",
    "Good.",
    "Kent Police has been assessed as good in respect of the efficiency with which it keeps "
    "people safe.",
    "• A loose bullet before any list heading.",
    "Questions for Efficiency",
    "1",
    Q1_2016,
    "Requires improvement",
    "The force maps demand from calls for service using a new model.",
    "Areas for improvement",
    "• The force should widen its demand model to hidden harm.",
    "• The force should share its demand model with partners.",
    "Question 2",
    Q2_2016,
    "Good",
    "Shift patterns follow the busiest hours of the week.",
    "7",
    "officers moved to the evening shift in the spring.",
    "Rotas are agreed with staff.",
    "3.",
    Q3_2016,
    "Plans reach to 2020 with savings set out year by year.",
]


def test_a_full_capture_yields_every_section_with_its_text_and_tags() -> None:
    report = parse_pillar_page(to_blocks("\n".join(FULL_2016)), "kent.txt")
    assert (report.report_id, report.title, report.pillar, report.cycle, report.updated) == (
        "kent-2016-efficiency", "Kent PEEL 2016 — Efficiency", "Efficiency", "2016",
        dt.date(2016, 11, 3),
    )  # fmt: skip
    afi = "Area for improvement {} (" + Q1_2016 + ")"
    assert rows(report.sections) == [
        ("summary", "summary", None, "", "Good", "line", "", f"Efficiency: {EFF_HEADLINE}",
         "Kent Police has been assessed as good in respect of the efficiency with which it keeps "
         "people safe.\n\n• A loose bullet before any list heading."),
        ("q1", "question", 1, Q1_2016, RI, "line", "", f"Question 1: {Q1_2016}",
         "The force maps demand from calls for service using a new model."),
        ("q1-afi-1", "area_for_improvement", 1, Q1_2016, RI, "line", "", afi.format(1),
         "The force should widen its demand model to hidden harm."),
        ("q1-afi-2", "area_for_improvement", 1, Q1_2016, RI, "line", "", afi.format(2),
         "The force should share its demand model with partners."),
        ("q2", "question", 2, Q2_2016, "Good", "line", "", f"Question 2: {Q2_2016}",
         "Shift patterns follow the busiest hours of the week.\n\n7\n\n"
         "officers moved to the evening shift in the spring.\n\nRotas are agreed with staff."),
        ("q3", "question", 3, Q3_2016, "", "", "", f"Question 3: {Q3_2016}",
         "Plans reach to 2020 with savings set out year by year."),
    ]  # fmt: skip
    assert report.warnings == [f"q3: no grade stated for {Q3_2016!r}"]
    assert [s.position for s in report.sections] == list(range(6))


# A "compact" capture (§6i) of a 2018/19 page whose title says "2018", with no pillar line and
# no date: the headline names the pillar, the judgment sentences give the grades, a number
# disagrees with the known wording, and a question-like line under the questions is kept with a
# warning.
COMPACT_2018 = [
    "Kent PEEL 2018",
    "How legitimate is the force at keeping people safe and reducing crime?",
    "Kent Police has been assessed as outstanding in respect of its legitimacy.",
    "Questions for Legitimacy",
    "4",
    LEG_Q1,
    "Kent Police is good at treating the people it serves with fairness and respect.",
    LEG_Q2,
    "Vetting is complete for every officer in post.",
    PANELS,
    "Panels meet every month in each district.",
]


def test_a_compact_capture_takes_pillar_date_and_grades_from_what_it_says() -> None:
    report = parse_pillar_page(to_blocks("\n".join(COMPACT_2018)), "kent.txt")
    legitimacy = "How legitimate is the force at keeping people safe and reducing crime?"
    unknown = PANELS
    assert (report.report_id, report.title, report.pillar, report.cycle, report.updated) == (
        "kent-2018-19-legitimacy", "Kent PEEL 2018/19 — Legitimacy", "Legitimacy", "2018/19",
        None,
    )  # fmt: skip
    assert rows(report.sections) == [
        ("summary", "summary", None, "", "Outstanding", "sentence", "",
         f"Legitimacy: {legitimacy}",
         "Kent Police has been assessed as outstanding in respect of its legitimacy."),
        ("q4", "question", 4, LEG_Q1, "Good", "sentence", "", f"Question 4: {LEG_Q1}",
         "Kent Police is good at treating the people it serves with fairness and respect."),
        ("q2", "question", 2, LEG_Q2, "", "", "", f"Question 2: {LEG_Q2}",
         "Vetting is complete for every officer in post."),
        ("q3", "question", 3, unknown, "", "", "", f"Question 3: {unknown}",
         "Panels meet every month in each district."),
    ]  # fmt: skip
    assert report.warnings == [
        "no 'Last updated' date",
        "line 6: question numbered 4 is known as 1",
        f"line 10: question not in the known 2018/19 Legitimacy list: {unknown!r}",
        f"q2: no grade stated for {LEG_Q2!r}",
        f"q3: no grade stated for {unknown!r}",
    ]


def test_a_spaced_cycle_and_a_headline_without_a_question_mark() -> None:
    sections, warnings = pillar_page([
        "Kent PEEL 2018 / 19", "How well the force tackles crime", "Last updated 02/05/2019",
        "Good", "Summary prose.",
    ])  # fmt: skip
    assert [(s.report_id, s.cycle, s.pillar, s.heading, s.grade, s.text) for s in sections] == [
        ("kent-2018-19-effectiveness", "2018/19", "Effectiveness",
         "Effectiveness: How well the force tackles crime", "Good", "Summary prose."),
    ]  # fmt: skip
    assert warnings == ["no questions found"]


def test_a_question_under_the_pillar_line_is_its_headline_even_when_unknown() -> None:
    sections, _ = pillar_page([
        "Kent PEEL 2016", "Efficiency", "How well does the force keep its promises?",
        "Last updated 03/11/2016", "Good", "Summary prose.",
    ])  # fmt: skip
    assert [(s.heading, s.grade, s.text) for s in sections] == [
        ("Efficiency: How well does the force keep its promises?", "Good", "Summary prose."),
    ]


@pytest.mark.parametrize(
    ("lines", "want", "want_warnings"),
    [
        (["Kent PEEL 2016"], [("summary", "Efficiency", "", "", "")],
         ["no 'Last updated' date", "pillar line missing; inferred Efficiency",
          "no questions found"]),
        (["Kent PEEL 2016", "Efficiency"], [("summary", "Efficiency", "", "", "")],
         ["no 'Last updated' date", "no questions found"]),
        (["Kent PEEL 2016", "Efficiency", "Last updated 03/11/2016"],
         [("summary", "Efficiency", "", "", "")], ["no questions found"]),
        (["Kent PEEL 2016", "Efficiency", "Last updated 03/11/2016", "Good", "Summary prose.",
          Q3_2016, "Not yet graded"],
         [("summary", "Efficiency", "Good", "", "Summary prose."),
          ("q3", f"Question 3: {Q3_2016}", "Ungraded", "Not yet graded", "")], []),
    ],
)  # fmt: skip
def test_a_page_cut_short_keeps_what_it_has(
    lines: list[str], want: list[tuple[str, ...]], want_warnings: list[str]
) -> None:
    sections, warnings = pillar_page(lines, "captures/kent-peel-2016-efficiency.txt")
    assert [(s.anchor, s.heading, s.grade, s.grade_note, s.text) for s in sections] == want
    assert warnings == want_warnings


def test_a_question_like_line_before_the_questions_is_prose() -> None:
    fleet = "How well does the force manage its fleet?"
    sections, warnings = pillar_page([
        "Kent PEEL 2016", "Efficiency", "Last updated 03/11/2016", "Good", "Summary prose.",
        "How do officers spend their nights?", "Night shifts are quiet.",
        "Questions for Efficiency", fleet, "Good", "Fleet prose.",
    ])  # fmt: skip
    assert [(s.anchor, s.question, s.grade, s.text) for s in sections] == [
        ("summary", "", "Good",
         "Summary prose.\n\nHow do officers spend their nights?\n\nNight shifts are quiet."),
        ("q1", fleet, "Good", "Fleet prose."),
    ]  # fmt: skip
    assert warnings == [f"line 9: question not in the known 2016 Efficiency list: {fleet!r}"]


def test_a_number_before_the_questions_needs_a_question_after_it() -> None:
    cut = "How well is the force planning for demand in…"
    sections, warnings = pillar_page([
        "Kent PEEL 2016", "Efficiency", "Last updated 03/11/2016", "Good", "Summary prose.",
        "2", "officers joined the team this year.", "3", cut, "Good",
        "Kent Police is outstanding at planning for demand.",
    ])  # fmt: skip
    # "2" before prose is text; "3" before a known wording cut off in capture numbers it.
    assert [(s.anchor, s.question_number, s.question, s.grade, s.text) for s in sections] == [
        ("summary", None, "", "Good",
         "Summary prose.\n\n2\n\nofficers joined the team this year."),
        ("q3", 3, cut, "Good", "Kent Police is outstanding at planning for demand."),
    ]  # fmt: skip
    assert warnings == [
        "q3: the grade line says Good but the sentence says Outstanding; kept the grade line's"
    ]


def test_a_number_before_an_unknown_question_outside_the_questions_numbers_it() -> None:
    fleet = "How well does the force manage its fleet?"
    sections, warnings = pillar_page([
        "Kent PEEL 2016", "Efficiency", "Last updated 03/11/2016", "Good", "Summary prose.",
        "4", fleet, "Fleet prose.",
    ])  # fmt: skip
    assert [(s.anchor, s.heading, s.text) for s in sections] == [
        ("summary", "Efficiency", "Summary prose."),
        ("q4", f"Question 4: {fleet}", "Fleet prose."),
    ]
    assert warnings == [
        f"line 7: question not in the known 2016 Efficiency list: {fleet!r}",
        f"q4: no grade stated for {fleet!r}",
    ]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["Kent 2016", "Efficiency", "Prose."],
         "no PEEL title line found (expected a line like 'Kent PEEL 2016')"),
        (["Atlantis PEEL 2016", "Efficiency", "Prose."],
         "unknown force 'Atlantis' in title line (not one of the 43 forces)"),
        (["Kent PEEL 2016", "Last updated 03/11/2016", "Prose with no question in it."],
         "pillar not recognised: no pillar line, headline or known question"),
    ],
)  # fmt: skip
def test_a_page_without_title_force_or_pillar_is_refused_with_its_reason(
    lines: list[str], message: str
) -> None:
    with pytest.raises(ReportError) as caught:
        pillar_page(lines)
    assert caught.value.reason == message


def test_an_unknown_force_is_refused_at_its_title_line() -> None:
    with pytest.raises(ReportError) as caught:
        pillar_page(["Skip to content", "Atlantis PEEL 2016", "Efficiency"])
    assert caught.value.line == 2


def test_a_missing_pillar_line_is_inferred_from_the_questions_heading() -> None:
    sections, warnings = pillar_page([
        "Kent PEEL 2017", "Last updated 12/12/2017", "Summary prose.",
        "Questions for Legitimacy", "1", PANELS, "Good", "Panel prose.",
    ])  # fmt: skip
    # The question is not a known one: only the heading names the pillar.
    assert [(s.anchor, s.pillar, s.heading, s.grade, s.text) for s in sections] == [
        ("summary", "Legitimacy", "Legitimacy", "", "Summary prose."),
        ("q1", "Legitimacy", f"Question 1: {PANELS}", "Good", "Panel prose."),
    ]
    assert warnings == [
        "pillar line missing; inferred Legitimacy",
        f"line 6: question not in the known 2017 Legitimacy list: {PANELS!r}",
    ]


def test_a_missing_pillar_line_is_inferred_from_a_known_question() -> None:
    sections, warnings = pillar_page([
        "Kent PEEL 2016", "Last updated 03/11/2016", "Summary prose.", Q3_2016, "Good",
        "Plans prose.",
    ])  # fmt: skip
    assert [(s.anchor, s.pillar, s.question_number, s.text) for s in sections] == [
        ("summary", "Efficiency", None, "Summary prose."),
        ("q3", "Efficiency", 3, "Plans prose."),
    ]
    assert warnings == ["pillar line missing; inferred Efficiency"]


def test_a_missing_pillar_line_is_inferred_from_the_file_name_last() -> None:
    sections, warnings = pillar_page(
        ["Kent PEEL 2016", "Last updated 03/11/2016", "Leaders are seen in every station."],
        "captures/kent-peel-2016-leadership.txt",
    )
    # No question is found, and every 2016 leadership question is ungraded by the framework.
    assert rows(sections) == [
        ("summary", "summary", None, "", "Ungraded", "framework", "Not graded in this cycle",
         "Leadership", "Leaders are seen in every station."),
    ]  # fmt: skip
    assert warnings == ["pillar line missing; inferred Leadership", "no questions found"]


def test_an_impossible_date_is_named_and_the_page_still_parses() -> None:
    sections, warnings = pillar_page([
        "Kent PEEL 2016", "Efficiency", "Last updated 31/02/2016", "Good", "Summary prose.",
    ])  # fmt: skip
    assert [(s.anchor, s.grade, s.updated, s.text) for s in sections] == [
        ("summary", "Good", None, "Summary prose."),
    ]
    assert warnings == ["line 3: impossible date 'Last updated 31/02/2016'", "no questions found"]


def test_a_date_more_than_three_lines_on_is_not_the_page_date() -> None:
    sections, warnings = pillar_page([
        "Kent PEEL 2016", "Efficiency", EFF_HEADLINE, "Good", "Summary prose.", "More prose.",
        "Last updated 03/11/2016",
    ])  # fmt: skip
    assert warnings[0] == "no 'Last updated' date"
    assert sections[0].updated is None
    # Nor is it text: a "Last updated" line is page chrome wherever it stands.
    assert [s.text for s in sections] == ["Summary prose.\n\nMore prose."]


def test_a_date_above_the_title_is_not_the_page_date() -> None:
    sections, warnings = pillar_page([
        "Last updated 01/01/2015", "Kent PEEL 2016", "Efficiency", "Good", "Summary prose.",
    ])  # fmt: skip
    assert [(s.heading, s.grade, s.updated, s.text) for s in sections] == [
        ("Efficiency", "Good", None, "Summary prose."),
    ]
    assert warnings == ["no 'Last updated' date", "no questions found"]


def test_a_pillar_to_be_graded_gives_its_questions_its_status() -> None:
    sections, warnings = pillar_page([
        "Kent PEEL 2017", "Legitimacy", "Last updated 12/12/2017", "To be graded",
        "Summary prose.", "1", LEG_Q1, "Fairness prose.", "2", LEG_Q2,
        "This question has not been inspected or graded in 2017.",
    ])  # fmt: skip
    assert [(s.anchor, s.grade, s.grade_source, s.grade_note, s.text) for s in sections] == [
        ("summary", "Ungraded", "line", "To be graded", "Summary prose."),
        ("q1", "Ungraded", "implied", "To be graded", "Fairness prose."),
        ("q2", "Ungraded", "implied", "To be graded",
         "This question has not been inspected or graded in 2017."),
    ]  # fmt: skip
    assert warnings == []


def test_a_question_the_framework_does_not_grade_is_ungraded_by_the_framework() -> None:
    specialist = "How effective are the force's specialist capabilities?"
    sections, warnings = pillar_page([
        "Kent PEEL 2016", "Effectiveness", "Last updated 02/03/2017", "Good", "Summary prose.",
        "5", specialist, "Firearms officers train every month.",
    ])  # fmt: skip
    assert [(s.anchor, s.grade, s.grade_source, s.grade_note, s.text) for s in sections] == [
        ("summary", "Good", "line", "", "Summary prose."),
        ("q5", "Ungraded", "framework", "Not graded in this cycle",
         "Firearms officers train every month."),
    ]  # fmt: skip
    assert warnings == []


def test_a_carried_over_question_keeps_its_grade_line_and_says_so() -> None:
    sections, warnings = pillar_page([
        "Kent PEEL 2017", "Legitimacy", "Last updated 12/12/2017", "Good", "Summary prose.",
        "3", LEG_Q3, "Good",
        "This question was not inspected in 2017; the grade has been carried over.",
    ])  # fmt: skip
    q3 = sections[-1]
    assert (q3.anchor, q3.grade, q3.grade_source, q3.grade_note) == (
        "q3", "Good", "line", "Carried over from an earlier inspection"
    )
    assert warnings == []


def test_an_ungraded_line_beside_a_judgment_sentence_keeps_the_line_quietly() -> None:
    sections, warnings = pillar_page([
        "Kent PEEL 2016", "Efficiency", "Last updated 03/11/2016", "Not yet graded",
        "Kent Police has been assessed as good in respect of its efficiency.",
    ])  # fmt: skip
    assert [(s.grade, s.grade_source, s.grade_note) for s in sections] == [
        ("Ungraded", "line", "Not yet graded")
    ]
    assert warnings == ["no questions found"]


def test_a_number_before_a_list_item_is_text_and_a_question_needs_its_mark() -> None:
    # "2" before a bullet introduces no question; a question-like line without "?" is prose.
    sections, warnings = pillar_page([
        "Kent PEEL 2016", "Efficiency", "Last updated 03/11/2016", "Good", "Summary prose.",
        "Questions for Efficiency", "1", Q1_2016, "Good", "Demand prose.",
        "How well the force answers calls at night is set out below",
        "2", "• a bullet after a number.",
    ])  # fmt: skip
    assert [(s.anchor, s.text) for s in sections] == [
        ("summary", "Summary prose."),
        ("q1", "Demand prose.\n\nHow well the force answers calls at night is set out below"
               "\n\n2\n\n• a bullet after a number."),
    ]
    assert warnings == []


# --- 2021+ reports: areas of policing (reference §6e) ---------------------------------------

AREAS_2021 = [
    "PEEL 2021/22: An inspection of Durham Constabulary",
    "Published 12 May 2022",
    "Overall summary",
    "Durham Constabulary has improved in most areas since its last inspection.",
    "Our judgments",
    "Investigating crime: Good",
    "Responding to the public – Adequate",
    "Tackling rural crime | Good",
    "Managing offenders - Outstanding",
    "HMI's observations",
    "I am encouraged by the force's progress, but its control room needs attention.",
    "Terminology in this report",
    "In this report, the force means Durham Constabulary.",
    "Investigating crime",
    "Durham Constabulary is outstanding at investigating crime.",
    "Main findings",
    "Detectives keep clear plans, and supervisors check them every week.",
    "Areas for improvement",
    "The force should review its crime allocation policy.",
    "The force should train more detective supervisors.",
    "Responding to the public",
    "Calls are answered quickly, though callers wait longer at weekends.",
    "• Most emergency calls are answered within ten seconds.",
    "Protecting vulnerable people",
    "Durham Constabulary requires improvement at protecting vulnerable people.",
    "Cause of concern",
    "The force does not check risk assessments for missing children.",
    "Its records of repeat missing episodes are incomplete.",
    "Recommendations",
    "• Within three months, the force should audit its missing children records.",
    "Tackling rural crime",
    "Rural officers patrol farms at night with volunteers.",
    "Innovative practice",
    "The force lends trail cameras to farmers.",
    "Providing a service to the victims of crime",
    "Most victims were told what would happen next.",
]


def areas_report(lines: list[str], hints: Hints | None = None) -> ParsedReport:
    return parse_areas_report(to_blocks("\n".join(lines)), "x.txt", hints or Hints())


def test_an_areas_report_yields_each_area_its_lists_and_their_text() -> None:
    report = areas_report(AREAS_2021)
    assert (report.report_id, report.title, report.cycle, report.pillar, report.updated) == (
        "durham-2021-22", "Durham PEEL 2021/22", "2021/22", "", dt.date(2022, 5, 12)
    )
    ic, rp, pv = "Investigating crime", "Responding to the public", "Protecting vulnerable people"
    rc, vs = "Tackling rural crime", "Providing a service to the victims of crime"
    assert rows(report.sections) == [
        ("summary", "summary", None, "", "", "", "", "Overall summary",
         "Durham Constabulary has improved in most areas since its last inspection."),
        ("judgments", "summary", None, "", "", "", "", "Our judgments",
         "Investigating crime: Good\n\nResponding to the public – Adequate\n\n"
         "Tackling rural crime | Good\n\nManaging offenders - Outstanding"),
        ("observations", "summary", None, "", "", "", "", "HMI's observations",
         "I am encouraged by the force's progress, but its control room needs attention."),
        ("terminology", "other", None, "", "", "", "", "Terminology in this report",
         "In this report, the force means Durham Constabulary."),
        ("q1", "question", 1, ic, "Good", "table", "", ic,
         "Durham Constabulary is outstanding at investigating crime.\n\n"
         "Detectives keep clear plans, and supervisors check them every week."),
        ("q1-afi-1", "area_for_improvement", 1, ic, "Good", "table", "",
         f"Area for improvement 1 ({ic})", "The force should review its crime allocation policy."),
        ("q1-afi-2", "area_for_improvement", 1, ic, "Good", "table", "",
         f"Area for improvement 2 ({ic})", "The force should train more detective supervisors."),
        ("q2", "question", 2, rp, "Adequate", "table", "", rp,
         "Calls are answered quickly, though callers wait longer at weekends.\n\n"
         "• Most emergency calls are answered within ten seconds."),
        ("q3", "question", 3, pv, RI, "sentence", "", pv,
         "Durham Constabulary requires improvement at protecting vulnerable people."),
        ("q3-coc-1", "cause_of_concern", 3, pv, RI, "sentence", "", f"Cause of concern ({pv})",
         "The force does not check risk assessments for missing children.\n\n"
         "Its records of repeat missing episodes are incomplete."),
        ("q3-rec-1", "recommendation", 3, pv, RI, "sentence", "", f"Recommendation 1 ({pv})",
         "Within three months, the force should audit its missing children records."),
        ("q4", "question", 4, rc, "Good", "table", "", rc,
         "Rural officers patrol farms at night with volunteers."),
        ("q4-practice-1", "practice", 4, rc, "Good", "table", "", f"Innovative practice ({rc})",
         "The force lends trail cameras to farmers."),
        ("q5", "question", 5, vs, "Ungraded", "framework", "Not graded in this cycle", vs,
         "Most victims were told what would happen next."),
    ]  # fmt: skip
    assert {s.pillar for s in report.sections} == {""}
    assert report.warnings == [
        "q1: the judgments table says Good but the sentence says Outstanding; "
        "kept the judgments table's",
        "q4: area not in the known 2021/22 list: 'Tackling rural crime'",
        "judgments table names 'Managing offenders' but no section covers it",
    ]


def test_an_areas_page_read_by_its_heading_levels_and_a_grade_column_table() -> None:
    # The blocks an HTML page yields: headings with levels, table rows with their cells; no
    # "Our judgments" heading (the table follows the "assessed how good" sentence).
    def row(*cells: str) -> tuple[str, str]:
        return ("row", CELL_SEP.join(cells))

    h2, h3, h4 = (("heading", n) for n in (2, 3, 4))
    pp, ic, pc = "Police powers and public treatment", "Investigating crime", "Preventing crime"
    lf, ds = "Leadership and force management", "Tackling drug supply"
    spec: list[tuple[object, ...]] = [
        ("heading", 1, "PEEL 2023–2025: An inspection of Kent Police"),
        ("para", "Our inspection assessed how good Kent Police is in 4 areas of policing."),
        row("Good", "Adequate", RI),
        row(pp, ic, ""),
        row(pc, "", "", "Stray note"),
        (*h2, pp), ("para", "Kent Police is good at police powers and public treatment."),
        (*h3, "Stop and search"),
        ("para", "Officers record the reason for every search on body-worn video."),
        (*h3, "Areas for improvement:"), (*h4, "Use of force records"),
        ("para", "The force should check that use of force forms are complete."),
        ("para", "Supervisors should review a sample each month."),
        (*h2, ic), ("para", "Kent Police is adequate at investigating crime."),
        (*h3, "Cause of concern"), (*h4, "Case file quality"),
        ("para", "Too many case files are returned by prosecutors for more work."),
        (*h2, pc), ("para", "Neighbourhood teams run a weekly surgery in each town."),
        (*h2, "Force performance data"), ("para", "The force publishes its figures every quarter."),
        (*h2, ds), ("para", "Kent Police is good at tackling drug supply."),
        (*h2, lf), ("para", "Kent Police requires improvement at leadership and force management."),
    ]  # fmt: skip
    blocks = [
        Block(str(s[0]), str(s[-1]), n, level=int(str(s[1])) if len(s) == 3 else 0)
        for n, s in enumerate(spec, start=1)
    ]
    url = "https://example.org/peel-reports/kent-2023-25/"
    report = parse_areas_report(blocks, "captures/kent.html", Hints(url=url))
    assert (report.report_id, report.title, report.cycle, report.updated, report.url) == (
        "kent-2023-25", "Kent PEEL 2023–25", "2023–25", None, url
    )
    assert report.layout == "areas of policing (2021+)"
    assert {(s.source, s.url) for s in report.sections} == {("captures/kent.html", url)}
    assert {s.pillar for s in report.sections} == {""}
    intro = "\n\n".join([
        "Our inspection assessed how good Kent Police is in 4 areas of policing.",
        CELL_SEP.join(["Good", "Adequate", RI]), CELL_SEP.join([pp, ic, ""]),
        CELL_SEP.join([pc, "", "", "Stray note"]),
    ])  # fmt: skip
    assert rows(report.sections) == [
        ("introduction", "summary", None, "", "", "", "", "Introduction", intro),
        ("q1", "question", 1, pp, "Good", "table", "", pp,
         "Kent Police is good at police powers and public treatment.\n\nStop and search\n\n"
         "Officers record the reason for every search on body-worn video."),
        ("q1-afi-1", "area_for_improvement", 1, pp, "Good", "table", "",
         "Areas for improvement: Use of force records",
         "The force should check that use of force forms are complete.\n\n"
         "Supervisors should review a sample each month."),
        ("q2", "question", 2, ic, "Adequate", "table", "", ic,
         "Kent Police is adequate at investigating crime."),
        ("q2-coc-1", "cause_of_concern", 2, ic, "Adequate", "table", "",
         "Cause of concern: Case file quality",
         "Too many case files are returned by prosecutors for more work."),
        ("q3", "question", 3, pc, "Good", "table", "", pc,
         "Neighbourhood teams run a weekly surgery in each town."),
        ("force-performance-data", "other", None, "", "", "", "", "Force performance data",
         "The force publishes its figures every quarter."),
        ("q4", "question", 4, ds, "Good", "sentence", "", ds,
         "Kent Police is good at tackling drug supply."),
        ("q5", "question", 5, lf, RI, "sentence", "", lf,
         "Kent Police requires improvement at leadership and force management."),
    ]  # fmt: skip
    assert report.warnings == ["q4: area not in the known 2023–25 list: 'Tackling drug supply'"]


def test_an_areas_report_title_is_its_top_heading_else_the_line_naming_the_report() -> None:
    # The top heading names neither cycle nor force; the line under it names both, with more
    # words after the force's name.
    named = "PEEL 2021/22 – An inspection of Gwent Police, as published in June 2022"
    blocks = [
        Block("heading", "Gwent Police: police inspection report", 1, level=1),
        Block("para", named, 2),
        Block("heading", "Overall summary", 3, level=2),
        Block("para", "Gwent Police is improving.", 4),
    ]
    report = parse_areas_report(blocks, "x.html", Hints())
    assert (report.report_id, report.cycle) == ("gwent-2021-22", "2021/22")
    assert [(s.anchor, s.heading, s.text) for s in report.sections] == [
        ("introduction", "Introduction", named),
        ("summary", "Overall summary", "Gwent Police is improving."),
    ]
    # In plain text, the first line naming the cycle or the force is the title.
    lines = ["PEEL 2021/22", "An inspection of Durham Constabulary", "Overall summary",
             "Durham Constabulary is improving."]  # fmt: skip
    plain = areas_report(lines)
    assert (plain.report_id, plain.title) == ("durham-2021-22", "Durham PEEL 2021/22")
    assert [(s.anchor, s.heading, s.text) for s in plain.sections] == [
        ("introduction", "Introduction", lines[1]),
        ("summary", "Overall summary", lines[3]),
    ]


def test_judgments_tables_of_two_columns_either_way_round_or_grades_as_columns() -> None:
    ic, rp, mo = "Investigating crime", "Responding to the public", "Managing offenders"
    title = Block("heading", "PEEL 2021/22: An inspection of Gwent Police", 1, level=1)
    judgments = Block("heading", "Our judgments", 2, level=2)
    rows_ = [CELL_SEP.join(["Area of policing", "Grade"]), CELL_SEP.join([ic, "Adequate"]),
             CELL_SEP.join([RI, rp])]  # fmt: skip
    blocks = [
        title, judgments, *(Block("row", r, 3 + n) for n, r in enumerate(rows_)),
        Block("heading", ic, 6, level=2), Block("para", "Gwent Police is adequate at it.", 7),
        Block("heading", rp, 8, level=2), Block("para", "Calls wait too long at night.", 9),
        Block("heading", mo, 10, level=2),
    ]  # fmt: skip
    report = parse_areas_report(blocks, "x.html", Hints())
    assert rows(report.sections) == [
        ("judgments", "summary", None, "", "", "", "", "Our judgments", "\n\n".join(rows_)),
        ("q1", "question", 1, ic, "Adequate", "table", "", ic, "Gwent Police is adequate at it."),
        ("q2", "question", 2, rp, RI, "table", "", rp, "Calls wait too long at night."),
        ("q3", "question", 3, mo, "", "", "", mo, ""),
    ]  # fmt: skip
    assert report.warnings == [f"q3: no grade stated for {mo!r}"]
    # Two grades as column headings, each area under its grade.
    columns = [CELL_SEP.join(["Outstanding", "Good"]), CELL_SEP.join([mo, ic])]
    blocks = [
        title, judgments, *(Block("row", r, 3 + n) for n, r in enumerate(columns)),
        Block("heading", mo, 5, level=2), Block("para", "Offender managers meet weekly.", 6),
        Block("heading", ic, 7, level=2), Block("para", "Detectives plan well.", 8),
    ]  # fmt: skip
    graded = parse_areas_report(blocks, "x.html", Hints())
    assert [(s.anchor, s.question, s.grade, s.grade_source) for s in graded.sections] == [
        ("judgments", "", "", ""), ("q1", mo, "Outstanding", "table"), ("q2", ic, "Good", "table"),
    ]
    assert graded.warnings == []


@pytest.mark.parametrize(
    ("lines", "hints", "want"),
    [
        ([], Hints(cycle="2021/22"), True),
        ([], Hints(cycle="2018/19"), False),
        (["Kent PEEL 2016", "Efficiency"], Hints(), False),
        (["Our judgments", "Investigating crime: Good"], Hints(), True),
        (["Our judgements", "Investigating crime: Good"], Hints(), True),
        (["Overall summary", "Prose.", "The PEEL Assessment Framework 2021/22 applies."], Hints(),
         True),
        (["Overall summary", "Prose.", "The PEEL Assessment Framework 2018/19 applies."], Hints(),
         False),
    ],
)  # fmt: skip
def test_what_makes_a_report_an_areas_report(lines: list[str], hints: Hints, want: bool) -> None:
    assert looks_like_areas_report(to_blocks("\n".join(lines)), hints) is want


def test_lists_outside_any_area_are_kept_under_their_own_heading() -> None:
    lines = [
        "PEEL 2021/22: An inspection of Durham Constabulary",
        "Recommendations",
        "• The force should publish its plan for the control room.",
        "Overall summary",
        "Durham Constabulary answers most calls quickly.",
        "Causes of concern",
        "The force is slow to answer calls at weekends.",
    ]
    report = areas_report(lines)
    assert rows(report.sections) == [
        ("recommendations", "other", None, "", "", "", "", "Recommendations", ""),
        ("recommendations-rec-1", "recommendation", None, "", "", "", "", "Recommendation 1",
         "The force should publish its plan for the control room."),
        ("summary", "summary", None, "", "", "", "", "Overall summary", lines[4]),
        ("summary-coc-1", "cause_of_concern", None, "", "", "", "", "Causes of concern",
         lines[6]),
    ]  # fmt: skip
    assert report.warnings == ["no areas of policing found"]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["PEEL 2021/22", "Overall summary", "The force is improving."],
         "force not recognised: no 'An inspection of …' line, file name or URL"),
        (["An inspection of Durham Constabulary", "Overall summary", "The force is improving."],
         "PEEL cycle not recognised: no 'PEEL 2021/22'-style title"),
        (["PEEL 2021/22: An inspection of Atlantis Police", "Overall summary", "Prose."],
         "unknown force 'Atlantis Police' (not one of the 43 forces)"),
    ],
)  # fmt: skip
def test_an_areas_report_without_force_or_cycle_is_refused(lines: list[str], message: str) -> None:
    with pytest.raises(ReportError) as caught:
        areas_report(lines)
    assert caught.value.reason == message


# --- one report per force, 2014–2018/19: integrated reports and overviews (§6b, §6e) --------

INTEGRATED_2018 = [
    "PEEL: Police effectiveness, efficiency and legitimacy 2018/19",
    "Published 14 May 2019",
    "Overall summary",
    "Essex Police has made good progress, and its officers are well supported.",
    "Effectiveness",
    "How effectively does the force reduce crime and keep people safe?",
    "Good",
    "Essex Police is good at reducing crime and keeping people safe.",
    "Detailed findings",
    "How effective is the force at investigating crime and reducing re-offending?",
    "Investigators keep victims informed at every stage.",
    "Legitimacy",
    "How legitimately does the force treat the public and its workforce?",
    "Requires improvement",
    "The force's vetting backlog has grown since last year.",
    LEG_Q1,
    "Good",
    "Officers explain stops clearly to the people they search.",
]


def test_an_integrated_report_yields_its_summary_and_each_pillar_part() -> None:
    url = "https://example.org/peel-reports/essex-2018-19/"
    report = parse_integrated_report(
        to_blocks("\n".join(INTEGRATED_2018)), "essex.txt", Hints(force="Essex Police", url=url)
    )
    assert (report.report_id, report.title, report.cycle, report.pillar, report.updated) == (
        "essex-2018-19", "Essex PEEL 2018/19", "2018/19", "", dt.date(2019, 5, 14)
    )
    assert (report.url, report.layout) == (url, "integrated report (2018/19)")
    assert {(s.source, s.url) for s in report.sections} == {("essex.txt", url)}
    inv = "How effective is the force at investigating crime and reducing re-offending?"
    eff = "Effectiveness: How effectively does the force reduce crime and keep people safe?"
    leg = "Legitimacy: How legitimately does the force treat the public and its workforce?"
    assert rows(report.sections, pillar=True) == [
        ("", "summary", "summary", None, "", "", "", "", "Overall summary",
         "Essex Police has made good progress, and its officers are well supported."),
        ("Effectiveness", "effectiveness-summary", "summary", None, "", "Good", "line", "", eff,
         "Essex Police is good at reducing crime and keeping people safe."),
        ("Effectiveness", "effectiveness-q2", "question", 2, inv, "", "", "",
         f"Question 2: {inv}", "Investigators keep victims informed at every stage."),
        ("Legitimacy", "legitimacy-summary", "summary", None, "", RI, "line", "", leg,
         "The force's vetting backlog has grown since last year."),
        ("Legitimacy", "legitimacy-q1", "question", 1, LEG_Q1, "Good", "line", "",
         f"Question 1: {LEG_Q1}", "Officers explain stops clearly to the people they search."),
    ]  # fmt: skip
    for position, s in enumerate(report.sections):
        assert (s.position, s.section_id, s.report_id, s.report_title, s.updated) == (
            position, f"essex-2018-19:{s.anchor}", "essex-2018-19", "Essex PEEL 2018/19",
            dt.date(2019, 5, 14),
        )  # fmt: skip
    assert report.warnings == [f"effectiveness: q2: no grade stated for {inv!r}"]


def test_an_integrated_report_without_a_date_takes_the_hinted_one() -> None:
    lines = [line for line in INTEGRATED_2018 if not line.startswith("Published")]
    hints = Hints(force="Essex Police", updated=dt.date(2019, 6, 1))
    report = parse_integrated_report(to_blocks("\n".join(lines)), "x.txt", hints)
    assert {s.updated for s in report.sections} == {dt.date(2019, 6, 1)}
    assert report.sections[0].text == lines[2]


@pytest.mark.parametrize(
    ("first", "hints", "message"),
    [
        ("An inspection of Atlantis Police", Hints(force="Essex Police"),
         "unknown force 'Atlantis Police' (not one of the 43 forces)"),
        ("Published 14 May 2019", Hints(),
         "force not recognised: no 'An inspection of …' line, file name or URL"),
    ],
)  # fmt: skip
def test_an_integrated_report_names_a_force_it_cannot_find(
    first: str, hints: Hints, message: str
) -> None:
    lines = [INTEGRATED_2018[0], first, *INTEGRATED_2018[2:]]
    with pytest.raises(ReportError) as caught:
        parse_integrated_report(to_blocks("\n".join(lines)), "x.txt", hints)
    assert caught.value.reason == message


OVERVIEW_2016 = [
    "Kent 2016",
    "HMIC's third PEEL assessment of Kent Police.",
    "The extent to which the force is effective at keeping people safe and reducing crime is good.",
    "HMI's observations",
    "Kent Police keeps improving, though its finances are stretched.",
    "Effectiveness",
    "How effective is the force at keeping people safe and reducing crime?",
    "Last updated 02/03/2017",
    "Kent Police is good at keeping people safe.",
    "How efficient is the force at keeping people safe and reducing crime?",
    "Last updated 03/11/2016",
    "Kent Police requires improvement in how efficiently it keeps people safe.",
    "Leadership",
    "How well do the force's leaders lead?",
    "Leaders are visible and listen to their teams.",
    "Legitimacy",
    "How legitimate is the force at keeping people safe and reducing crime?",
    "To be graded",
]


def test_an_overview_yields_summary_observations_and_a_section_per_pillar() -> None:
    url = "https://example.org/peel-assessments/peel-2016/kent/"
    report = parse_overview(to_blocks("\n".join(OVERVIEW_2016)), "kent.txt", Hints(url=url))
    assert (report.report_id, report.title, report.cycle, report.pillar, report.updated) == (
        "kent-2016-overview", "Kent PEEL 2016 — Overview", "2016", "", dt.date(2017, 3, 2)
    )
    assert (report.url, report.layout) == (url, "force overview page")
    assert {(s.source, s.url) for s in report.sections} == {("kent.txt", url)}
    o = OVERVIEW_2016
    assert rows(report.sections, pillar=True) == [
        ("", "summary", "summary", None, "", "", "", "", "Kent 2016", f"{o[1]}\n\n{o[2]}"),
        ("", "observations", "summary", None, "", "", "", "", "HMI's observations", o[4]),
        ("Effectiveness", "effectiveness", "summary", None, "", "Good", "sentence", "",
         "Effectiveness", f"{o[6]}\n\n{o[8]}"),
        ("Efficiency", "efficiency", "summary", None, "", RI, "sentence", "", "Efficiency",
         f"{o[9]}\n\n{o[11]}"),
        ("Leadership", "leadership", "summary", None, "", "Ungraded", "framework",
         "Not graded in this cycle", "Leadership", f"{o[13]}\n\n{o[14]}"),
        ("Legitimacy", "legitimacy", "summary", None, "", "Ungraded", "line", "To be graded",
         "Legitimacy", o[16]),
    ]  # fmt: skip
    assert report.warnings == []


@pytest.mark.parametrize(
    "judgments",
    [
        # A bulleted list, without semicolons.
        ["The available evidence indicates that:",
         "• the effectiveness of the force at keeping people safe is good",
         "• the efficiency with which the force carries out its responsibilities is inadequate",
         "• the legitimacy of the force in keeping people safe is good"],
        # The same list as lines of prose, held together by their punctuation.
        ["The available evidence indicates that for Kent Police:",
         "the effectiveness of the force at keeping people safe is good;",
         "the efficiency with which the force carries out its responsibilities is inadequate; and",
         "the legitimacy of the force in keeping people safe is good."],
    ],
)  # fmt: skip
def test_a_2014_overview_takes_pillar_grades_from_its_list_of_judgments(
    judgments: list[str],
) -> None:
    effectiveness = "How effective is the force at keeping people safe and reducing crime?"
    efficiency = "How efficient is the force at keeping people safe and reducing crime?"
    legitimacy = "How legitimate is the force at keeping people safe and reducing crime?"
    lines = [
        "Kent 2014", *judgments, "Effectiveness", effectiveness,
        "Crime has fallen in every district.", "Legitimacy", legitimacy, "Efficiency", efficiency,
    ]  # fmt: skip
    report = parse_overview(
        to_blocks("\n".join(lines)), "x.txt", Hints(updated=dt.date(2014, 11, 27))
    )
    assert report.updated == dt.date(2014, 11, 27)
    summary = "\n\n".join(line.removeprefix("• ") for line in judgments)
    assert [(s.anchor, s.pillar, s.grade, s.grade_source, s.grade_note, s.text)
            for s in report.sections] == [
        ("summary", "", "", "", "", summary),
        ("effectiveness", "Effectiveness", "Good", "sentence", "",
         f"{effectiveness}\n\nCrime has fallen in every district."),
        ("legitimacy", "Legitimacy", "Good", "sentence", "", legitimacy),
        # The page ends with the pillar's headline: the pillar still opens there.
        ("efficiency", "Efficiency", "Inadequate", "sentence", "", efficiency),
    ]  # fmt: skip


def test_a_page_without_an_overview_title_is_not_an_overview() -> None:
    with pytest.raises(ReportError) as caught:
        parse_overview(to_blocks("Atlantis 2016\nProse."), "x.txt", Hints())
    assert caught.value.reason == "not a force overview page"


# --- reports not about one force (§7): sections by heading -----------------------------------

SPOTLIGHT = [
    "PEEL spotlight report: police effectiveness under strain 2018/19",
    "Published 2 July 2019",
    "Forces are stretched by rising demand, and some are struggling to keep up.",
    "Foreword",
    "I thank the forces that took part in this inspection.",
    "• Demand rose in every force we visited.",
    "Demand",
    "Calls about mental health have doubled in five years.",
    "Demand",
    "Some forces now send a nurse with officers to these calls.",
    "In the forces we visited, three things stood out:",
    "calls rose most in the evenings;",
    "at weekends,",
    "and in the school holidays.",
    "Annex",
    "Methodology",
    "We visited eight forces and read 400 case files.",
    "Recommendations",
    "• Chief constables should review mental health demand by March 2020.",
    "• The College of Policing should publish guidance on joint triage.",
    "Legitimacy - Question 2 - Ungraded",
    LEG_Q2,
    "Efficiency – Question 1",
    "How well does the force use its resources?",
    "The force has a sound plan for its estate.",
]


def test_a_report_of_another_type_is_read_by_its_headings() -> None:
    report = parse_other_report(to_blocks("\n".join(SPOTLIGHT)), "x.txt", Hints())
    assert (report.report_id, report.title, report.report_type, report.force, report.cycle,
            report.pillar, report.updated) == (
        "peel-spotlight-report-police-effectiveness-under-strain-2018-19", SPOTLIGHT[0],
        "Spotlight report", None, "2018/19", "Effectiveness", dt.date(2019, 7, 2),
    )  # fmt: skip
    sp = SPOTLIGHT
    eq1 = "How well does the force use its resources?"
    assert rows(report.sections, pillar=True) == [
        ("Effectiveness", "summary", "summary", None, "", "", "", "", "Summary", sp[2]),
        ("Effectiveness", "foreword", "summary", None, "", "", "", "", "Foreword",
         f"{sp[4]}\n\n{sp[5]}"),
        ("Effectiveness", "demand", "other", None, "", "", "", "", "Demand", sp[7]),
        ("Effectiveness", "demand-4", "other", None, "", "", "", "", "Demand",
         "\n\n".join(sp[9:14])),
        ("Effectiveness", "methodology", "other", None, "", "", "", "", "Methodology", sp[16]),
        ("Effectiveness", "methodology-rec-1", "recommendation", None, "", "", "", "",
         "Recommendation 1", sp[18].removeprefix("• ")),
        ("Effectiveness", "methodology-rec-2", "recommendation", None, "", "", "", "",
         "Recommendation 2", sp[19].removeprefix("• ")),
        ("Legitimacy", "legitimacy-q2", "question", 2, LEG_Q2, "Ungraded", "table",
         "Ungraded in the grades table", f"Legitimacy – Question 2: {LEG_Q2}", LEG_Q2),
        ("Efficiency", "efficiency-q1", "question", 1, eq1, "", "", "",
         f"Efficiency – Question 1: {eq1}", f"{eq1}\n\n{sp[24]}"),
    ]  # fmt: skip
    assert {(s.force, s.force_slug, s.region) for s in report.sections} == {("", "", "")}
    assert report.warnings == []


def test_a_report_title_comes_from_the_hints_then_the_page_title() -> None:
    lines = ["A thematic inspection of stop and search.", "Findings", "Searches fell last year."]
    report = parse_other_report(
        to_blocks("\n".join(lines)), "x.html", Hints(), "Disproportionate use of police powers 2021"
    )
    assert (report.title, report.report_type, report.cycle, report.pillar) == (
        "Disproportionate use of police powers 2021", "Thematic inspection", "2021", ""
    )
    assert [(s.anchor, s.kind, s.heading, s.text) for s in report.sections] == [
        ("summary", "summary", "Summary", lines[0]),
        ("findings", "other", "Findings", lines[2]),
    ]
    hinted = parse_other_report(
        to_blocks("\n".join(lines)), "x.html",
        Hints(title="Police powers: a review", report_type="Revisit", cycle="2020/21",
              pillar="Legitimacy"),
        "Disproportionate use of police powers 2021",
    )  # fmt: skip
    assert (hinted.title, hinted.report_type, hinted.cycle, hinted.pillar) == (
        "Police powers: a review", "Revisit", "2020/21", "Legitimacy"
    )
    assert [s.anchor for s in hinted.sections] == ["summary", "findings"]


def test_a_report_with_no_type_is_refused_and_one_with_no_text_is_named() -> None:
    with pytest.raises(ReportError) as caught:
        parse_other_report(to_blocks("Notes on a meeting\nWe met."), "x.txt", Hints())
    assert caught.value.reason == (
        "not a recognised report: no PEEL title line, no 2021+ report structure, and no "
        "report type (State of Policing, national overview, spotlight, revisit, thematic)"
    )
    empty = parse_other_report(
        to_blocks("PEEL: police legitimacy 2017 – a national overview\nContents\nAnnex"),
        "x.txt", Hints(),
    )  # fmt: skip
    assert (empty.report_type, empty.cycle, empty.pillar, empty.sections) == (
        "National overview", "2017", "Legitimacy", []
    )
    assert empty.warnings == ["no sections found"]
    undated = parse_other_report(
        to_blocks("PEEL: police legitimacy – a national overview\nFindings\nMost forces improved."),
        "x.txt", Hints(),
    )  # fmt: skip
    assert (undated.cycle, [s.anchor for s in undated.sections]) == ("", ["findings"])


def test_a_report_title_is_its_top_heading_even_below_another_heading() -> None:
    blocks = [
        Block("heading", "Report", 1, level=2),
        Block("heading", "State of Policing: The annual assessment of policing 2022", 2, level=1),
        Block("para", "Crime rose last year.", 3),
    ]
    report = parse_other_report(blocks, "x.html", Hints())
    assert (report.title, report.report_type, report.cycle) == (
        blocks[1].text, "State of Policing", "2022"
    )
    assert [(s.anchor, s.kind, s.heading, s.text) for s in report.sections] == [
        ("report", "other", "Report", "Crime rose last year."),
    ]


def test_a_report_of_another_type_carries_its_hints_and_a_bounded_id() -> None:
    title = ("Thematic inspection of how the police respond to repeat calls from people in "
             "crisis in 2023")  # fmt: skip
    lines = [title, "Published 2 May 2023", "Findings", "Most calls were answered well."]
    url = "https://example.org/publications/repeat-calls/"
    hints = Hints(url=url, updated=dt.date(2023, 5, 9))
    report = parse_other_report(to_blocks("\n".join(lines)), "calls.txt", hints)
    # The sidecar's date wins over the page's; the id is the title's slug cut at 80 characters.
    assert (report.report_id, report.updated, report.url, report.layout) == (
        "thematic-inspection-of-how-the-police-respond-to-repeat-calls-from-people-in-cri",
        dt.date(2023, 5, 9), url, "sections by heading",
    )  # fmt: skip
    assert [(s.anchor, s.source, s.url, s.updated, s.text) for s in report.sections] == [
        ("findings", "calls.txt", url, dt.date(2023, 5, 9), lines[3]),
    ]


def test_a_number_line_that_repeats_a_later_questions_number_gives_no_duplicate_anchor() -> None:
    """"2" above the wording known as question 1, then the wording known as question 2: the
    second may not take `q2` again (anchors are section ids)."""
    report = parse_pillar_page(to_blocks("\n".join([
        "Kent PEEL 2018",
        "How legitimate is the force at keeping people safe and reducing crime?",
        "Kent Police has been assessed as outstanding in respect of its legitimacy.",
        "Questions for Legitimacy",
        "2",
        LEG_Q1,
        "Kent Police is good at treating the people it serves with fairness and respect.",
        LEG_Q2,
        "Vetting is complete for every officer in post.",
    ])), "kent.txt")
    assert [(s.anchor, s.question_number, s.heading, s.text) for s in report.sections] == [
        ("summary", None, "Legitimacy: How legitimate is the force at keeping people safe and "
         "reducing crime?",
         "Kent Police has been assessed as outstanding in respect of its legitimacy."),
        ("q2", 2, f"Question 2: {LEG_Q1}",
         "Kent Police is good at treating the people it serves with fairness and respect."),
        ("q2-2", 2, f"Question 2: {LEG_Q2}", "Vetting is complete for every officer in post."),
    ]
    assert len({s.section_id for s in report.sections}) == len(report.sections)
    assert "line 8: question number 2 is already used; this question is anchored as q2-2" in (
        report.warnings)
