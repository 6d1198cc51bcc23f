"""The force profile, the force list, /about and the Cite block in headless Chromium."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.conftest import Server
from tests.test_profiles import KENT, SITE


def test_profile_lists_every_grade_by_cycle_with_the_2021_break(
    page: Page, profile_server: Server
) -> None:
    page.goto(profile_server.base + "/forces/kent")
    expect(page.locator("h1")).to_have_text("Kent Police")
    headers = page.locator("table.timeline thead th.cycle .cycle-label").all_inner_texts()
    assert headers == ["2014", "2015", "2016", "2017", "2018/19", "2021/22", "2023–25"]
    shown: list[tuple[str, str, str]] = []
    for cycle in headers:
        for link in page.locator(f'table.timeline td[data-cycle="{cycle}"] a.judgment').all():
            grade = link.locator(".jg").inner_text()
            shown.append((cycle, link.get_attribute("data-section-id") or "", grade))
    # Column by column in date order; inside a column the rows decide the order.
    assert [c for c, _, _ in shown] == [c for c, _, _ in KENT]
    assert sorted(shown) == sorted(KENT)

    new_method = page.locator('table.timeline th[data-cycle="2021/22"]')
    expect(new_method).to_have_class("cycle break-before")
    expect(new_method).to_contain_text("No PEEL in 2020 · new method")
    expect(new_method).to_contain_text("5-point scale")
    expect(page.locator('table.timeline th[data-cycle="2018/19"]')).to_contain_text(
        "4-point scale")
    assert page.locator("table.timeline th.break-before").count() == 1
    cell = page.locator('table.timeline td[data-cycle="2021/22"]').first
    assert cell.evaluate("el => getComputedStyle(el).borderLeftStyle") == "double"
    expect(page.locator(".break-note")).to_contain_text(
        "No PEEL assessments were published in 2020")
    expect(page.locator('th[data-cycle="2014"]')).to_contain_text("not held")


def test_a_grade_and_a_finding_land_on_their_passages(page: Page, profile_server: Server) -> None:
    base = profile_server.base
    page.goto(base + "/forces/kent")
    page.locator('a.judgment[data-section-id="kent-2021-22:q2"]').click()
    expect(page).to_have_url(base + "/reports/kent-2021-22#q2")
    target = page.locator("section#q2")
    expect(target).to_be_in_viewport()
    expect(target.locator(".tag.grade")).to_have_text("Requires improvement")
    expect(target).to_contain_text("requires improvement at responding to the public")

    page.go_back()
    finding = page.locator('#findings li[data-section-id="kent-2021-22:q2-coc-1"]')
    expect(finding.locator(".tag.kind")).to_have_text("Cause of concern")
    finding.locator("a").click()
    expect(page).to_have_url(base + "/reports/kent-2021-22#q2-coc-1")
    expect(page.locator("section#q2-coc-1")).to_contain_text("Too many emergency calls")


def test_scoped_search_and_force_links_work_without_javascript(
    browser: Browser, profile_server: Server
) -> None:
    base = profile_server.base
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(base + "/forces/kent")
    pg.fill("#force-q", "callers")
    pg.click("form[role=search] button")
    expect(pg).to_have_url(base + "/?q=callers&force=Kent+Police")
    results = pg.locator(".result")
    assert results.count() >= 2
    for force in pg.locator(".result .tag.force").all_inner_texts():
        assert force == "Kent Police"
    expect(pg.locator('[data-facet="force"] .profile-link a').first).to_have_attribute(
        "href", "/forces/kent")
    pg.locator(".result .tag.force a").first.click()
    expect(pg).to_have_url(base + "/forces/kent")
    pg.goto(base + "/reports/kent-2021-22")
    pg.locator("a.force-link").click()
    expect(pg).to_have_url(base + "/forces/kent")
    pg.goto(base + "/grid")
    pg.locator('tr[data-force="Kent Police"] th a').click()
    expect(pg).to_have_url(base + "/forces/kent")
    pg.goto(base + "/forces")
    expect(pg.locator(".region")).to_have_count(10)
    expect(pg.locator('li[data-slug="kent"] .count')).to_have_text("5 reports")
    expect(pg.locator('li[data-slug="wiltshire"] .count')).to_have_text("none held")
    context.close()


def test_cite_block_has_source_address_and_permalink_and_no_file_path(
    page: Page, profile_server: Server
) -> None:
    base = profile_server.base
    page.goto(base + "/reports/kent-2021-22")
    section = page.locator("section#q2")
    cite = section.locator("details.cite")
    expect(cite.locator("dl")).to_be_hidden()
    cite.locator("summary").click()
    expect(cite.locator(".cite-source")).to_have_attribute(
        "href", f"{SITE}/peel-reports/kent-2021-22/")
    expect(cite.locator(".cite-permalink")).to_have_attribute(
        "href", base + "/reports/kent-2021-22#q2")
    expect(cite).to_contain_text("HM Inspectorate of Constabulary and Fire & Rescue Services")
    expect(cite).to_contain_text("Area of policing: Responding to the public")
    expect(cite).to_contain_text("20 September 2022")
    expect(cite.locator(".cite-text")).to_contain_text(
        f"Archived at {base}/reports/kent-2021-22#q2")
    text = page.locator("body").inner_text()
    assert "tests/fixtures" not in text and ".txt" not in text
    expect(page.locator(".meta .source-url")).to_have_text(f"{SITE}/peel-reports/kent-2021-22/")
    # The permalink itself lands on the section.
    page.goto(base + "/reports/kent-2021-22#q2")
    expect(page.locator("section#q2")).to_be_in_viewport()


def test_about_table_matches_search_totals(page: Page, profile_server: Server) -> None:
    base = profile_server.base
    page.goto(base + "/about")
    cells = page.locator("table.coverage tbody td[data-type]")
    checked = 0
    for i in range(cells.count()):
        cell = cells.nth(i)
        sections = int(cell.get_attribute("data-sections") or "0")
        if not sections:
            continue
        cycle = cell.locator("xpath=..").get_attribute("data-cycle")
        rtype = cell.get_attribute("data-type")
        total = page.request.get(base + "/api/search", params={
            "cycle": cycle or "", "report_type": rtype or ""}).json()["total"]
        assert sections == total, (cycle, rtype)
        expect(cell).to_contain_text(f"({total})")
        checked += 1
    assert checked == 7  # every PEEL cycle holds something in the profile index
    page.goto(base + "/")
    page.locator(".coverage-line a", has_text="What the archive holds").click()
    expect(page).to_have_url(base + "/about")
