"""The pillar-page parser keeps its behaviour now that every format shares its blocks.

`tests/fixtures/expected.json` is written by hand from the fixture text (see
tests/fixtures/README.md); every key of every section is stated there, none is filled in from
what the parser gives.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from indexer.build import parse_file

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXPECTED: list[dict[str, Any]] = json.loads((FIXTURES / "expected.json").read_text("utf-8"))
KEYS = ("anchor", "kind", "question_number", "grade", "question", "grade_source")


@pytest.mark.parametrize("expected", EXPECTED, ids=[e["file"] for e in EXPECTED])
def test_fixture_corpus_parses_as_expected(expected: dict[str, Any]) -> None:
    result = parse_file(FIXTURES / "corpus" / expected["file"])
    assert result.report is not None, result.error
    report = result.report
    assert report.report_id == expected["report_id"]
    assert report.force_name == expected["force"]
    assert (report.cycle, report.pillar) == (expected["cycle"], expected["pillar"])
    got = [{k: getattr(s, k) for k in KEYS} for s in report.sections]
    want = [{k: s[k] for k in KEYS} for s in expected["sections"]]
    assert got == want
    assert all(s.report_type == "PEEL assessment" for s in report.sections)
    for s, w in zip(report.sections, expected["sections"], strict=True):
        # The section's text: its first six and last five words, read off the fixture.
        words = s.text.split()
        assert " ".join(words[:6]) == w["starts"], s.anchor
        assert " ".join(words[-5:]) == w["ends"], s.anchor


def test_metropolitan_seed_yields_seven_sections() -> None:
    result = parse_file(ROOT / "corpus" / "metropolitan-peel-2016-efficiency.txt")
    assert result.report is not None, result.error
    got = [(s.anchor, s.kind, s.grade) for s in result.report.sections]
    ri = "Requires improvement"
    assert got == [
        ("summary", "summary", "Good"),
        ("q1", "question", "Good"),
        ("q2", "question", ri),
        ("q2-afi-1", "area_for_improvement", ri),
        ("q2-afi-2", "area_for_improvement", ri),
        ("q3", "question", "Good"),
        ("q3-afi-1", "area_for_improvement", "Good"),
    ]


@pytest.mark.parametrize(
    "name", ["binary-junk.txt", "empty.txt", "meeting-minutes.txt", "unknown-force.txt"]
)
def test_broken_fixtures_still_fail_with_a_reason(name: str) -> None:
    result = parse_file(FIXTURES / "broken" / name)
    assert result.report is None
    assert result.error
