"""Citation data: the inspectorate's name by date and the source address by the URL patterns
of reference §5 (addresses written out by hand, several seen on the inspectorate's site)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from indexer.model import Section
from indexer.search.citation import HMIC, HMICFRS, cite, csl, inspectorate, source_url

SITE = "https://hmicfrs.justiceinspectorates.gov.uk"
BASE = Section(
    report_id="r", section_id="r:q1", anchor="q1", report_title="T",
    report_type="PEEL assessment", force="Kent Police", force_short="Kent", force_slug="kent",
    region="South East", cycle="2016", year=2016, pillar="Efficiency", question_number=1,
    question="Q?", grade="Good", grade_note="", kind="question", heading="H", text="x",
    position=1, source="/srv/corpus/kent.txt", updated=dt.date(2016, 11, 3),
)


@pytest.mark.parametrize("changes, expected", [
    ({}, f"{SITE}/peel-assessments/peel-2016/kent/efficiency/"),
    ({"cycle": "2014", "year": 2014, "pillar": "Efficiency", "force_slug": "dyfed-powys"},
     f"{SITE}/peel-assessments/peel-2014/dyfed-powys/efficiency/"),
    ({"cycle": "2016", "pillar": "Leadership", "force_slug": "cleveland"},
     f"{SITE}/peel-assessments/peel-2016/cleveland/leadership/"),
    ({"cycle": "2018/19", "year": 2018, "pillar": ""},
     f"{SITE}/peel-assessments/peel-2018/kent/"),
    ({"cycle": "2021/22", "year": 2021, "pillar": "", "force_slug": "durham"},
     f"{SITE}/peel-reports/durham-2021-22/"),
    ({"cycle": "2023–25", "year": 2023, "pillar": "", "force_slug": "cleveland"},
     f"{SITE}/peel-reports/cleveland-2023-25/"),
])
def test_derived_source_addresses_follow_the_site_patterns(
    changes: dict[str, object], expected: str
) -> None:
    assert source_url(dataclasses.replace(BASE, **changes)) == (expected, True)


def test_a_recorded_web_address_wins_and_anything_else_is_never_used() -> None:
    url = f"{SITE}/peel-assessments/peel-2016/kent/efficiency/?"
    assert source_url(dataclasses.replace(BASE, url=url)) == (url, False)
    hostile = dataclasses.replace(BASE, url="javascript:alert(1)")
    assert source_url(hostile) == (f"{SITE}/peel-assessments/peel-2016/kent/efficiency/", True)
    national = dataclasses.replace(BASE, report_type="State of Policing", force="",
                                   force_slug="")
    assert source_url(national) == ("", False)


def test_inspectorate_name_changes_on_19_july_2017() -> None:
    assert inspectorate(dataclasses.replace(BASE, updated=dt.date(2017, 7, 18))) == HMIC
    assert inspectorate(dataclasses.replace(BASE, updated=dt.date(2017, 7, 19))) == HMICFRS
    assert inspectorate(dataclasses.replace(BASE, updated=None, year=2015)) == HMIC


def test_citation_never_carries_the_file_path() -> None:
    c = cite(BASE, "https://archive.example/reports/r#q1")
    assert "/srv/corpus" not in repr(c.to_dict()) + repr(csl(c))
    assert c.text.endswith("Archived at https://archive.example/reports/r#q1")
    assert csl(c)["issued"] == {"date-parts": [[2016, 11, 3]]}
