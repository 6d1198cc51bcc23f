"""The research views in headless Chromium: the grade grid answers the domestic-abuse question
in one page, the trend's table equals counts taken from /api/search, bars and cells lead to
their passages, and both views pass axe-core at desktop and phone width."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import axe_violations
from tests.conftest import Server

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
PEEL = ("report_type", "PEEL assessment")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield pg
    context.close()
    assert errors == []  # no script errors, no Content-Security-Policy violations


def search_total(page: Page, server: Server, params: list[tuple[str, str]]) -> int:
    resp = page.request.get(f"{server.base}/api/search?{urlencode([*params, ('per_page', '1')])}")
    assert resp.ok
    return int(json.loads(resp.text())["total"])


def test_grid_answers_the_domestic_abuse_question_in_one_page(
    page: Page, research_server: Server
) -> None:
    """Which forces were told to improve their handling of domestic abuse in 2016, and what did
    they get for protecting vulnerable people in 2021/22?"""
    base = research_server.base
    page.goto(base + "/")
    page.fill("#q", '"domestic abuse"')
    page.press("#q", "Enter")
    page.locator('[data-facet="kind"] a', has_text="Area for improvement").click()
    page.locator('[data-facet="cycle"] a', has_text="2016").click()
    expect(page.locator(".result")).to_have_count(3)
    page.locator("nav.views a", has_text="Grade grid").click()
    expect(page).to_have_url(base + "/grid?q=%22domestic+abuse%22&cycle=2016"
                             "&kind=area_for_improvement")  # fmt: skip
    page.select_option("#show", label="Protecting vulnerable people")
    page.check("input[name=only]")
    page.locator(".gridform button").click()

    rows = page.locator("table.grade-grid tbody tr[data-force]")
    expect(rows).to_have_count(3)
    expect(page.locator(".region-row th")).to_have_text(["North West", "Eastern", "South West"])
    answer = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        force = row.get_attribute("data-force")
        answer[force] = {
            cycle: row.locator(f'td[data-cycle="{cycle}"] .grade-chip').inner_text()
            for cycle in ("2016", "2021/22")
        }
    # The fixture reports' own grades (tests/fixtures/research), as text in each cell.
    assert answer == {
        "Cumbria Constabulary": {"2016": "Requires improvement", "2021/22": "Adequate"},
        "Norfolk Constabulary": {"2016": "Good", "2021/22": "Good"},
        "Wiltshire Police": {"2016": "Requires improvement", "2021/22": "Inadequate"},
    }
    # Colour and text: the chip's background is the grade colour, its text the grade.
    chip = page.locator('tr[data-force="Wiltshire Police"] td[data-cycle="2021/22"] .grade-chip')
    assert chip.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(179, 38, 30)"
    # The methodology break is drawn before 2021/22 and explained.
    expect(page.locator("thead th.break-before")).to_have_text("‖ 2021/22")
    expect(page.locator(".break-note").first).to_contain_text("five-point scale")

    # A cell's count of matches leads to exactly those passages.
    cell = page.locator('tr[data-force="Cumbria Constabulary"] td[data-cycle="2016"]')
    count = int(cell.get_attribute("data-matches") or 0)
    assert count == 1
    cell.locator("a.matches").click()
    expect(page.locator(".result")).to_have_count(count)
    result = page.locator(".result")
    expect(result.locator(".tag.force")).to_have_text("Cumbria Constabulary")
    expect(result.locator(".tag.cycle")).to_have_text("2016")
    expect(result.locator(".tag.kind")).to_have_text("Area for improvement")
    expect(result.locator("mark").first).to_have_text("domestic")
    expect(result.locator(".snippet")).to_contain_text("reports of domestic abuse")

    # A grade leads to the graded passage.
    page.go_back()
    page.locator('tr[data-force="Norfolk Constabulary"] td[data-cycle="2021/22"] .grade-chip'
                 ).click()  # fmt: skip
    expect(page.locator(".result")).to_have_count(1)
    expect(page.locator(".result h3 .what")).to_have_text("Protecting vulnerable people")
    expect(page.locator(".result .tag.grade")).to_have_text("Good")


def test_trend_table_equals_counts_from_the_search_api(
    page: Page, research_server: Server
) -> None:
    base = research_server.base
    page.goto(base + "/?q=domestic+abuse")
    page.locator("nav.views a", has_text="Trend over cycles").click()
    expect(page).to_have_url(base + "/trends?q=domestic+abuse")
    rows = page.locator("table.trend-table tbody tr")
    assert rows.count() >= 5
    seen = []
    for i in range(rows.count()):
        row = rows.nth(i)
        cycle = row.get_attribute("data-cycle") or ""
        seen.append(cycle)
        c = [("cycle", cycle), PEEL]
        sections = int(row.locator('td[data-col="sections"]').inner_text())
        matches = int(row.locator('td[data-col="matches"]').inner_text())
        assert sections == search_total(page, research_server, c)
        assert matches == search_total(page, research_server, [("q", "domestic abuse"), *c])
        per_100 = float(row.locator('td[data-col="per_100"]').inner_text())
        assert per_100 == round(100 * matches / sections, 2)
        for cell in row.locator("td[data-grade]").all():
            grade = cell.get_attribute("data-grade") or ""
            if grade:
                n = search_total(page, research_server,
                                 [("q", "domestic abuse"), *c, ("grade", grade)])  # fmt: skip
                assert int(cell.get_attribute("data-count") or -1) == n, (cycle, grade)
    assert seen == sorted(seen, key=lambda s: int(s[:4]))
    assert "2022" not in seen  # the State of Policing year is not a PEEL cycle


def test_clicking_a_bar_segment_lands_on_its_passages(
    page: Page, research_server: Server
) -> None:
    page.goto(research_server.base + "/trends?q=domestic+abuse")
    svg = page.locator("svg.trend-chart")
    expect(svg.locator("title").first).to_have_text(
        "Matching sections per 100 sections of each PEEL cycle, by grade")
    expect(svg.locator("desc")).to_contain_text("2016:")
    segment = svg.locator('g.bar[data-cycle="2016"] a.segment[data-grade="Requires improvement"]')
    count = int(segment.get_attribute("data-count") or 0)
    assert count > 1
    segment.click()
    expect(page.locator("#result-count")).to_contain_text(f"of {count} sections")
    expect(page.locator(".result .tag.grade")).to_have_text(["Requires improvement"] * count)
    expect(page.locator(".result .tag.cycle")).to_have_text(["2016"] * count)
    expect(page.locator(".result mark").first).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_views_pass_axe_and_fit_the_screen(
    browser: Browser, research_server: Server, width: str, tmp_path: Path
) -> None:
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h})
    page = context.new_page()
    views = {
        "trends": "/trends?q=domestic+abuse",
        "trends-empty": "/trends?q=zzzzqqqq&region=Wales",
        "grid": "/grid?q=%22domestic+abuse%22&kind=area_for_improvement&cycle=2016"
                "&show=theme%3AProtecting+vulnerable+people&only=matched",
        "grid-all": "/grid?show=pillar%3AEfficiency",
        "grid-error": "/grid?show=theme%3AJuggling",
    }  # fmt: skip
    found = {}
    for name, path in views.items():
        page.goto(research_server.base + path)
        page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
        if violations := axe_violations(page):
            found[name] = violations
        # Nothing pushes the page wider than the screen (wide tables scroll inside a box).
        assert page.evaluate("document.documentElement.scrollWidth") <= w, (name, width)
    context.close()
    assert found == {}
