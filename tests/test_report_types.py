"""Every cycle's layout and the other report types, with each section's tags checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.build import build, parse_file
from indexer.cli import main
from indexer.model import canonical_cycle, cycle_slug, cycle_year

FORMATS = Path(__file__).resolve().parent / "fixtures" / "formats"
FIXTURES = FORMATS.parent
RI = "Requires improvement"
PP, IC, LF = (
    "Police powers and public treatment",
    "Investigating crime",
    ("Leadership and force management"),
)
Q_INV = "How effective is the force at investigating crime and reducing re-offending?"
Q_SOC = "How effective is the force at tackling serious and organised crime?"
Q_PLAN = "How well does the force plan for the future?"
Q_WORK = "To what extent does the force treat its workforce with fairness and respect?"

# file -> (report_id, report_type, force_slug, cycle, every section's
#          (anchor, kind, pillar, question_number, question, grade))
CASES: dict[str, tuple[str, str, str, str, list[tuple[object, ...]]]] = {
    "cleveland-2023-25.txt": (
        "cleveland-2023-25", "PEEL assessment", "cleveland", "2023–25",
        [
            ("summary", "summary", "", None, "", ""),
            ("judgments", "summary", "", None, "", ""),
            ("observations", "summary", "", None, "", ""),
            ("q1", "question", "", 1, PP, "Good"),
            ("q2", "question", "", 2, IC, "Adequate"),
            ("q2-afi-1", "area_for_improvement", "", 2, IC, "Adequate"),
            ("q3", "question", "", 3, LF, RI),
            ("q3-coc-1", "cause_of_concern", "", 3, LF, RI),
            ("q3-rec-1", "recommendation", "", 3, LF, RI),
        ],
    ),
    "kent-2018-19.txt": (
        "kent-2018-19", "PEEL assessment", "kent", "2018/19",
        [
            ("summary", "summary", "", None, "", ""),
            ("effectiveness-summary", "summary", "Effectiveness", None, "", "Good"),
            ("effectiveness-q2", "question", "Effectiveness", 2, Q_INV, "Good"),
            ("effectiveness-q2-afi-1", "area_for_improvement", "Effectiveness", 2, Q_INV, "Good"),
            ("effectiveness-q4", "question", "Effectiveness", 4, Q_SOC, "Outstanding"),
            ("efficiency-summary", "summary", "Efficiency", None, "", "Good"),
            ("efficiency-q2", "question", "Efficiency", 2, Q_PLAN, "Good"),
            ("legitimacy-summary", "summary", "Legitimacy", None, "", "Outstanding"),
            ("legitimacy-q3", "question", "Legitimacy", 3, Q_WORK, "Outstanding"),
        ],
    ),
    "sussex-2017-overview.txt": (
        "sussex-2017-overview", "PEEL assessment", "sussex", "2017",
        [
            ("summary", "summary", "", None, "", ""),
            ("observations", "summary", "", None, "", ""),
            ("effectiveness", "summary", "Effectiveness", None, "", "Good"),
            ("efficiency", "summary", "Efficiency", None, "", RI),
            ("legitimacy", "summary", "Legitimacy", None, "", "Good"),
        ],
    ),
    "state-of-policing-2022.html": (
        "state-of-policing-the-annual-assessment-of-policing-in-england-and-wales-2022",
        "State of Policing", "", "2022",
        [
            ("foreword", "summary", "", None, "", ""),
            ("recruitment-and-retention", "other", "", None, "", ""),
            ("recruitment-and-retention-rec-1", "recommendation", "", None, "", ""),
            ("recruitment-and-retention-rec-2", "recommendation", "", None, "", ""),
        ],
    ),
    "peel-legitimacy-2017-national-overview.txt": (
        "peel-police-legitimacy-2017-a-national-overview", "National overview", "", "2017",
        [
            ("summary", "summary", "Legitimacy", None, "", ""),
            ("fair-treatment", "other", "Legitimacy", None, "", ""),
            ("fair-treatment-afi-1", "area_for_improvement", "Legitimacy", None, "", ""),
        ],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_layout_tags_every_section(name: str) -> None:
    report_id, report_type, force_slug, cycle, expected = CASES[name]
    result = parse_file(FORMATS / name)
    assert result.report is not None, result.error
    assert result.warnings == []
    assert result.report.report_id == report_id
    got = [
        (s.anchor, s.kind, s.pillar, s.question_number, s.question, s.grade)
        for s in result.report.sections
    ]
    assert got == expected
    for s in result.report.sections:
        assert (s.report_type, s.force_slug, s.cycle) == (report_type, force_slug, cycle)
        assert s.year == int(cycle[:4])
        if not force_slug:
            assert (s.force, s.force_short, s.region) == ("", "", "")


def test_cycle_labels() -> None:
    assert canonical_cycle("PEEL 2023-2025") == "2023–25"
    assert canonical_cycle("durham-2021-22") == "2021/22"
    assert canonical_cycle("peel-2018") == "2018/19"
    assert cycle_year("2023–25") == 2023 and cycle_slug("2023–25") == "2023-25"


def test_adequate_before_2021_is_a_warning(tmp_path: Path) -> None:
    text = (FIXTURES / "corpus" / "kent-peel-2017-effectiveness.txt").read_text("utf-8")
    page = tmp_path / "kent-peel-2017-effectiveness.txt"
    page.write_text(text.replace("\nGood\n", "\nAdequate\n", 1), "utf-8")
    result = parse_file(page)
    assert result.report is not None
    assert any("'Adequate' is outside the 2017 scale" in w for w in result.warnings)


def test_broken_inputs_are_named_and_the_rest_is_indexed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("gwent-2021-22.html", "atlantis-2021-22.html", "chrome-only.html"):
        shutil.copy(FORMATS / name, corpus / name)
    shutil.copy(FIXTURES / "broken" / "empty.txt", corpus / "empty.txt")
    shutil.copy(FIXTURES / "broken" / "binary-junk.txt", corpus / "binary-junk.txt")
    (corpus / "truncated.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    out = CliRunner().invoke(main, ["build", str(corpus), "--index-dir", str(tmp_path / "ix")])
    assert out.exit_code == 1
    assert "Indexed 1 report(s)" in out.output
    errors = out.output.split("could not be indexed:")[1]
    for name, reason in (
        ("atlantis-2021-22.html", "unknown force 'Atlantis Constabulary'"),
        ("chrome-only.html", "no report text in the HTML page"),
        ("empty.txt", "empty file"),
        ("binary-junk.txt", "binary data"),
        ("truncated.pdf", "PDF"),
    ):
        assert any(name in line and reason in line for line in errors.splitlines()), name


def test_sidecar_overrides_what_was_inferred(tmp_path: Path) -> None:
    page = tmp_path / "national.txt"
    shutil.copy(FORMATS / "peel-legitimacy-2017-national-overview.txt", page)
    (tmp_path / "national.txt.meta.json").write_text(
        '{"report_type": "Thematic inspection", "title": "Fairness review", '
        '"url": "https://hmicfrs.justiceinspectorates.gov.uk/publications/fairness/", '
        '"updated": "2018-02-01", "cycle": "2017"}',
        "utf-8",
    )
    result = parse_file(page)
    assert result.report is not None, result.error
    for s in result.report.sections:
        assert (s.report_type, s.report_title, s.cycle) == (
            "Thematic inspection",
            "Fairness review",
            "2017",
        )
        assert s.url.endswith("/publications/fairness/")
        assert s.updated is not None and s.updated.isoformat() == "2018-02-01"
    (tmp_path / "national.txt.meta.json").write_text('{"force": "Atlantis"}', "utf-8")
    assert "unknown force" in parse_file(page).error


def test_report_type_is_a_facet_in_the_index(tmp_path: Path) -> None:
    from indexer.schema import FACET_NAMES
    from indexer.store import open_index

    assert "report_type" in FACET_NAMES
    build([FORMATS / "state-of-policing-2022.html", FORMATS / "kent-2018-19.txt"], tmp_path)
    opened = open_index(tmp_path, "peel-index build")
    with opened.whoosh.searcher() as searcher:
        types = {d["report_type"] for d in searcher.all_stored_fields()}
    opened.whoosh.close()
    assert types == {"State of Policing", "PEEL assessment"}


def test_a_date_line_is_not_a_section_when_a_sidecar_gives_the_date(tmp_path: Path) -> None:
    # The sections-by-heading parser used to take the first date line as the report's date only
    # when no date was known yet; with a sidecar `updated`, "Published …" became a section.
    text = (FORMATS / "peel-legitimacy-2017-national-overview.txt").read_text("utf-8")
    title, rest = text.split("\n", 1)
    page = tmp_path / "national.txt"
    page.write_text(f"{title}\n\nPublished 12 December 2017\n{rest}", "utf-8")
    without = parse_file(page)
    (tmp_path / "national.txt.meta.json").write_text('{"updated": "2018-02-01"}', "utf-8")
    with_sidecar = parse_file(page)
    for result, date in ((without, "2017-12-12"), (with_sidecar, "2018-02-01")):
        assert result.report is not None, result.error
        assert all("Published" not in s.heading for s in result.report.sections)
        assert len(result.report.sections) == 3
        assert all(s.updated is not None and s.updated.isoformat() == date
                   for s in result.report.sections)
