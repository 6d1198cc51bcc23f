"""The pillar-page parser on the real seed report and on the crafted fixtures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from indexer.build import parse_file
from indexer.model import Section
from indexer.normalise import to_blocks
from indexer.parse import parse_pillar_page
from tests.conftest import FIXTURE_CORPUS, SEED

MET = "Metropolitan Police Service"
Q1 = "How well does the force understand the current and likely future demand?"
Q2 = "How well does the force use its resources to manage current demand?"
Q3 = "How well is the force planning for demand in the future?"
RI = "Requires improvement"


def seed_sections() -> list[Section]:
    result = parse_file(SEED)
    assert result.report is not None, result.error
    return result.report.sections


def test_seed_yields_exactly_seven_tagged_sections() -> None:
    got = [(s.section_id, s.kind, s.question_number, s.question, s.grade) for s in seed_sections()]
    rid = "metropolitan-2016-efficiency"
    assert got == [
        (f"{rid}:summary", "summary", None, "", "Good"),
        (f"{rid}:q1", "question", 1, Q1, "Good"),
        (f"{rid}:q2", "question", 2, Q2, RI),
        (f"{rid}:q2-afi-1", "area_for_improvement", 2, Q2, RI),
        (f"{rid}:q2-afi-2", "area_for_improvement", 2, Q2, RI),
        (f"{rid}:q3", "question", 3, Q3, "Good"),
        (f"{rid}:q3-afi-1", "area_for_improvement", 3, Q3, "Good"),
    ]


def test_seed_sections_share_the_report_tags() -> None:
    for position, s in enumerate(seed_sections()):
        assert (s.force, s.force_short, s.force_slug, s.region) == (
            MET,
            "Metropolitan",
            "metropolitan",
            "London",
        )
        assert (s.cycle, s.year, s.pillar) == ("2016", 2016, "Efficiency")
        assert s.updated == dt.date(2016, 11, 3)
        assert s.report_id == "metropolitan-2016-efficiency"
        assert s.report_title == "Metropolitan PEEL 2016 — Efficiency"
        assert s.source == "corpus/metropolitan-peel-2016-efficiency.txt"
        assert s.position == position


def test_seed_text_lands_in_the_right_sections() -> None:
    by_anchor = {s.anchor: s for s in seed_sections()}
    assert "called THRIVE" in by_anchor["summary"].text
    assert by_anchor["summary"].text.startswith("The Metropolitan Police Service has been assessed")
    assert "assess the solvability of a crime" in by_anchor["q2"].text
    assert by_anchor["q2-afi-1"].text.startswith("The Metropolitan Police Service should ensure")
    assert by_anchor["q3-afi-1"].text.endswith("One Met Model 2020.")
    # The areas for improvement are sections of their own, not repeated in the question.
    assert "should ensure the benefits" not in by_anchor["q2"].text
    assert by_anchor["q2"].heading == f"Question 2: {Q2}"


def test_seed_chrome_is_not_in_any_section() -> None:
    for s in seed_sections():
        for chrome in (
            "Skip to content",
            "downtime",
            "unavailable for a short time",
            "Questions for Efficiency",
            "Last updated",
            "Metropolitan PEEL 2016",
        ):
            assert chrome not in s.text and chrome not in s.heading


def test_section_ids_are_stable_across_parses() -> None:
    assert [s.section_id for s in seed_sections()] == [s.section_id for s in seed_sections()]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURE_CORPUS.glob("*.txt")))
def test_fixture_reports_parse_as_expected(name: str, expected: list[dict[str, Any]]) -> None:
    want = next(e for e in expected if e["file"] == name)
    result = parse_file(FIXTURE_CORPUS / name)
    assert result.report is not None, result.error
    assert result.encoding == want["encoding"]
    sections = result.report.sections
    assert [(s.anchor, s.kind, s.question_number, s.question, s.grade) for s in sections] == [
        (w["anchor"], w["kind"], w["question_number"], w["question"], w["grade"])
        for w in want["sections"]
    ]
    for s in sections:
        assert (s.report_id, s.force, s.cycle, s.year, s.pillar) == (
            want["report_id"],
            want["force"],
            want["cycle"],
            want["year"],
            want["pillar"],
        )
        assert s.updated is not None and s.updated.isoformat() == want["updated"]
    for term, anchors in want["terms"].items():
        holding = [s.anchor for s in sections if term.lower() in s.text.lower()]
        assert holding == anchors, term


def test_carried_over_and_status_notes() -> None:
    kent = parse_file(FIXTURE_CORPUS / "kent-peel-2017-effectiveness.txt").report
    gmp = parse_file(FIXTURE_CORPUS / "greater-manchester-peel-2017-efficiency.txt").report
    assert kent is not None and gmp is not None
    q3 = next(s for s in kent.sections if s.anchor == "q3")
    assert q3.grade == "Good" and "Carried over" in q3.grade_note
    assert {s.grade_note for s in gmp.sections} == {"Not being graded"}


def test_question_found_by_wording_without_number_or_heading() -> None:
    text = "\n".join(
        [
            "Kent PEEL 2016",
            "Efficiency",
            "How efficient is the force at keeping people safe and reducing crime?",
            "Last updated 03/11/2016",
            "Good",
            "Summary prose.",
            "How well is the force planning for demand in the future?",
            "Good",
            "Plans prose.",
        ]
    )
    report = parse_pillar_page(to_blocks(text), "x.txt")
    assert [(s.anchor, s.question_number, s.grade) for s in report.sections] == [
        ("summary", None, "Good"),
        ("q3", 3, "Good"),
    ]


def test_unknown_question_under_heading_is_kept_with_a_warning() -> None:
    text = "\n".join(
        [
            "Kent PEEL 2016",
            "Efficiency",
            "Last updated 03/11/2016",
            "Good",
            "Summary.",
            "Questions for Efficiency",
            "1",
            "How well does the force juggle?",
            "Good",
            "Prose.",
        ]
    )
    report = parse_pillar_page(to_blocks(text), Path("x.txt").name)
    assert [(s.anchor, s.question) for s in report.sections][1] == (
        "q1",
        "How well does the force juggle?",
    )
    assert any("not in the known 2016 Efficiency list" in w for w in report.warnings)


def test_a_body_saying_not_inspected_or_graded_makes_the_question_ungraded() -> None:
    durham = parse_file(FIXTURE_CORPUS / "durham-peel-2015-legitimacy.txt").report
    assert durham is not None
    q2 = next(s for s in durham.sections if s.anchor == "q2")
    assert (q2.grade, q2.grade_note, q2.grade_source) == (
        "Ungraded", "Not inspected or graded", "implied"
    )
    # The same words under a question the framework grades, with no grade line.
    text = "\n".join([
        "Kent PEEL 2016", "Efficiency", "Last updated 03/11/2016", "Good", "Summary.",
        "How well is the force planning for demand in the future?",
        "This question has not been inspected or graded in 2016.",
    ])  # fmt: skip
    report = parse_pillar_page(to_blocks(text), "x.txt")
    q3 = report.sections[-1]
    assert (q3.anchor, q3.grade, q3.grade_note, q3.grade_source) == (
        "q3", "Ungraded", "Not inspected or graded", "implied"
    )


def test_a_grade_line_with_a_full_stop_is_a_grade_line() -> None:
    text = "\n".join([
        "Kent PEEL 2016", "Efficiency", "Last updated 03/11/2016", "Good.", "Summary.",
        "How well is the force planning for demand in the future?", "Requires improvement.",
        "Plans prose.",
    ])  # fmt: skip
    report = parse_pillar_page(to_blocks(text), "x.txt")
    assert [(s.anchor, s.grade, s.grade_source, s.text) for s in report.sections] == [
        ("summary", "Good", "line", "Summary."),
        ("q3", "Requires improvement", "line", "Plans prose."),
    ]


def test_a_grade_line_and_a_disagreeing_sentence_keep_the_line_and_warn() -> None:
    text = "\n".join([
        "Kent PEEL 2016", "Efficiency", "Last updated 03/11/2016", "Good",
        "Kent Police is outstanding at planning. More prose.",
    ])  # fmt: skip
    report = parse_pillar_page(to_blocks(text), "x.txt")
    assert (report.sections[0].grade, report.sections[0].grade_source) == ("Good", "line")
    assert any("grade line says Good but the sentence says Outstanding" in w
               for w in report.warnings)
