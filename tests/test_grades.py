"""The one grade reader: lines, table cells and the stock judgment sentences, with near misses.

Each expectation is written by hand from the sentence beside it; a sentence that is not one of
the inspectorate's stock forms about the report's own force must never give a grade.
"""

from __future__ import annotations

import pytest

from indexer.forces import find_force
from indexer.grades import (
    grade_cell,
    grade_line,
    judgment_list,
    judgment_sentence,
    opening_sentence,
    pillar_sentence,
    scale_warning,
)

KENT = find_force("Kent")
MET = find_force("Metropolitan")
RI = "Requires improvement"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Good", ("Good", "")),
        ("Good.", ("Good", "")),
        (" requires  improvement ", (RI, "")),
        ("Outstanding.", ("Outstanding", "")),
        ("To be graded", ("Ungraded", "To be graded")),
        ("Not being graded", ("Ungraded", "Not being graded")),
        ("The force is good at understanding demand.", None),
        ("Good at understanding demand", None),
        ("Goods", None),
    ],
)
def test_grade_lines(line: str, expected: tuple[str, str] | None) -> None:
    assert grade_line(line) == expected


def test_table_cells() -> None:
    assert grade_cell("Adequate") == "Adequate"
    assert grade_cell("Not graded") == "Ungraded"
    assert grade_cell("No grade") == "Ungraded"
    assert grade_cell("Investigating crime") is None


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Kent Police has been assessed as good in respect of the efficiency with which it "
         "keeps people safe. It plans well.", "Good"),
        ("The force has been assessed as requiring improvement in respect of its legitimacy.", RI),
        ("Kent Police has been judged to be outstanding in its understanding of demand.",
         "Outstanding"),
        ("Kent Police is good at investigating crime and reducing re-offending.", "Good"),
        ("Kent is inadequate at protecting vulnerable people.", "Inadequate"),
        ("The constabulary requires improvement in how it uses its resources.", RI),
        ("Kent Police requires improvement at responding to the public.", RI),
        ("Kent Police is also good at planning for demand in the future.", "Good"),
        ("Kent Police is adequate at managing offenders.", "Adequate"),
    ],
)  # fmt: skip
def test_stock_sentences_give_grades(paragraph: str, expected: str) -> None:
    assert judgment_sentence(paragraph, KENT) == expected


@pytest.mark.parametrize(
    "paragraph",
    [
        # a quote
        '"The force is good at finding missing people," an officer told us.',
        "One victim said that Kent Police is good at keeping her informed.",
        # a comparison
        "Like Essex Police, Kent Police is good at sharing intelligence.",
        "Kent Police is as good at this as any force we have inspected.",
        "Kent Police is better at this than last year.",
        # another force
        "Essex Police is outstanding at planning, and Kent Police is copying its approach.",
        "Other forces are good at this.",
        # the grade word in a later sentence, or deep in a list of strengths
        "The force has reorganised its teams. It is good at planning shifts.",
        "Among its strengths, the force is good at sharing data and outstanding at planning.",
        # past judgments and other tenses
        "Last year, Kent Police was judged to be good at investigating crime.",
        "Kent Police was good at investigating crime.",
        # the word without the stock form
        "Kent Police is a good employer.",
        "Kent Police has good plans for the future.",
        "Kent Police requires improvements to its estate.",
        "",
    ],
)
def test_near_misses_never_give_a_grade(paragraph: str) -> None:
    assert judgment_sentence(paragraph, KENT) is None


def test_no_force_no_sentence_grade() -> None:
    assert judgment_sentence("The force is good at investigating crime.", None) is None


def test_the_force_is_named_in_any_of_its_names() -> None:
    assert MET is not None
    for subject in ("The Metropolitan Police Service", "Metropolitan Police Service",
                    "the force", "The Met"):
        assert judgment_sentence(f"{subject} is good at keeping people safe.", MET) == "Good"


def test_opening_sentence_stops_at_the_first_full_stop() -> None:
    assert opening_sentence("It is fine. Kent Police is good at X.") == "It is fine."
    assert opening_sentence("No full stop here") == "No full stop here"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The extent to which the force is effective at keeping people safe and reducing "
         "crime is good.", ("Effectiveness", "Good", "")),
        ("The extent to which Kent Police is efficient at keeping people safe and reducing "
         "crime is requires improvement.", ("Efficiency", RI, "")),
        ("The extent to which the constabulary is legitimate at keeping people safe and "
         "reducing crime is: outstanding.", ("Legitimacy", "Outstanding", "")),
        ("The extent to which the force operates efficiently and sustainably is good.",
         ("Efficiency", "Good", "")),
        ("The extent to which the force treats the public and its workforce legitimately is "
         "not yet graded.", ("Legitimacy", "Ungraded", "Not yet graded")),
        ("The extent to which Essex Police is effective at keeping people safe is good.", None),
        ("The extent to which the force is effective is something we will judge later.", None),
        ("The extent to which the force is effective at planning is adequate.", None),
    ],
)  # fmt: skip
def test_overview_pillar_sentences(sentence: str, expected: tuple[str, str, str] | None) -> None:
    assert pillar_sentence(sentence, KENT) == expected


def test_2014_judgment_list() -> None:
    text = (
        "the force is cutting crime well; the efficiency with which the force carries out its "
        "responsibilities is good; and the legitimacy of the force in the eyes of the public "
        "is outstanding."
    )
    assert judgment_list(text, KENT) == {"Efficiency": "Good", "Legitimacy": "Outstanding"}
    # Another force's judgment, or a clause that does not open with the pillar, is no grade.
    assert judgment_list("the efficiency with which Essex Police works is good", KENT) == {}
    assert judgment_list("we think the efficiency with which the force works is good", KENT) == {}


def test_scale_warning_only_for_adequate_before_2021() -> None:
    assert scale_warning("q1", "Adequate", "2017") == (
        "q1: grade 'Adequate' is outside the 2017 scale "
        "(Outstanding, Good, Requires improvement, Inadequate)"
    )
    assert scale_warning("q1", "Adequate", "2021/22") is None
    assert scale_warning("q1", "Good", "2017") is None
