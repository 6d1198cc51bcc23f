"""The question crosswalk: every known wording of every cycle has a theme, sections carry it,
and `peel-index check` warns about a wording that has none."""

from __future__ import annotations

from click.testing import CliRunner

from indexer.build import parse_all
from indexer.cli import main
from indexer.model import CYCLES
from indexer.questions import AREAS, QUESTIONS, fold
from indexer.themes import CROSSWALK, THEMES, VARIANTS, theme_for
from tests.conftest import FIXTURE_CORPUS, FIXTURES, SEED

UNKNOWN = FIXTURES / "themes" / "norfolk-peel-2016-efficiency-unknown-question.txt"


def test_every_known_question_wording_maps_to_a_theme() -> None:
    walked = 0
    for (cycle, pillar), questions in QUESTIONS.items():
        for q in questions:
            theme = theme_for(q.text, cycle)
            assert theme in THEMES, (cycle, pillar, q.number, q.text)
            walked += 1
    assert walked == sum(len(qs) for qs in QUESTIONS.values()) > 50


def test_every_known_area_wording_maps_to_a_theme() -> None:
    for cycle, areas in AREAS.items():
        for label, _graded in areas:
            assert theme_for(label, cycle) in THEMES, (cycle, label)


def test_crosswalk_covers_exactly_the_cycles_and_uses_only_declared_themes() -> None:
    assert set(CROSSWALK) <= set(CYCLES)
    used = {t for wordings in CROSSWALK.values() for t in wordings.values()} | set(
        VARIANTS.values()
    )
    assert used == set(THEMES)  # no theme is declared and never used


def test_no_wording_means_two_themes() -> None:
    seen: dict[str, str] = {}
    pairs = [(w, t) for ws in CROSSWALK.values() for w, t in ws.items()] + list(VARIANTS.items())
    for wording, theme in pairs:
        assert seen.setdefault(fold(wording), theme) == theme, wording


def test_the_issue_examples_line_up() -> None:
    vulnerable = "Protecting vulnerable people"
    assert theme_for(
        "How effective is the force at protecting those who are vulnerable from harm, and "
        "supporting victims?", "2016") == vulnerable  # fmt: skip
    assert theme_for("Protecting vulnerable people", "2021/22") == vulnerable
    assert theme_for("PROTECTING  vulnerable people.", "2023–25") == vulnerable  # folded
    assert theme_for("How well does the force understand demand?", "2017") == (
        "Understanding demand"
    )
    assert theme_for("A question nobody asked?", "2016") == ""


def test_sections_inherit_their_questions_theme() -> None:
    result = parse_all([SEED, FIXTURE_CORPUS, FIXTURES / "formats"])
    sections = result.sections
    assert sections
    questions = [s for s in sections if s.kind == "question" and s.report_type]
    assert questions
    by_question = {(s.report_id, s.question): s.theme for s in questions}
    for s in sections:
        if s.kind == "summary" and not s.question:
            assert s.theme == "", s.section_id  # pillar summaries have no theme
        if s.kind in ("area_for_improvement", "cause_of_concern", "recommendation"):
            if s.question:  # a child inherits its question's (or area's) theme
                assert s.theme == by_question[(s.report_id, s.question)], s.section_id
                assert s.theme, s.section_id
            else:  # lists outside any question (national reports) have none
                assert s.theme == "", s.section_id
    met_q2 = next(s for s in sections if s.section_id == "metropolitan-2016-efficiency:q2")
    assert met_q2.theme == "Use of resources"
    gwent = [s for s in sections if s.report_id.startswith("gwent-2021")]
    assert {s.theme for s in gwent if s.question == "Protecting vulnerable people"} == {
        "Protecting vulnerable people"
    }
    assert not [w for f in result.files for w in f.warnings if "no theme" in w]


def test_check_warns_about_a_wording_with_no_theme() -> None:
    out = CliRunner().invoke(main, ["check", str(UNKNOWN)])
    assert out.exit_code == 0, out.output
    assert (
        "no theme for the question or area of 2016 'How well does the force juggle "
        "its flaming torches?'" in out.output
    )
    # The known questions of the same file are not warned about.
    assert out.output.count("no theme") == 1
    result = parse_all([UNKNOWN])
    themes = {s.question_number: s.theme for s in result.sections if s.kind == "question"}
    assert themes == {1: "Understanding demand", 2: "", 3: "Planning for the future"}



def test_every_theme_value_is_distinct_and_readable() -> None:
    assert len(set(THEMES)) == len(THEMES)
    assert all(t[0].isupper() and t.strip() == t for t in THEMES)
