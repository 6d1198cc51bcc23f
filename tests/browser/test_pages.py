"""The pages in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright)."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.conftest import Server


def test_search_filter_by_grade_and_open_the_highlighted_section(
    page: Page, seed_server: Server
) -> None:
    server = seed_server
    page.goto(server.base + "/")
    page.fill("#q", "solvability")
    page.press("#q", "Enter")
    expect(page.locator("#result-count")).to_contain_text("of 2 sections matching solvability")
    expect(page.locator(".result mark").first).to_have_text("solvability")

    grade = page.locator('[data-facet="grade"] a', has_text="Requires improvement")
    expect(grade.locator(".count")).to_have_text("1")
    good = page.locator('[data-facet="grade"] a', has_text="Good")
    expect(good.locator(".count")).to_have_text("1")
    grade.click()
    expect(page).to_have_url(server.base + "/?q=solvability&grade=Requires+improvement")
    expect(page.locator(".result")).to_have_count(1)
    expect(page.locator(".result .tag.grade")).to_have_text("Requires improvement")
    expect(page.locator(".active-filters .chip")).to_contain_text("Grade: Requires improvement")

    page.locator(".result h3 a").click()
    expect(page).to_have_url(server.base + "/reports/metropolitan-2016-efficiency"
                             "?q=solvability&grade=Requires+improvement#q2")
    target = page.locator("section#q2")
    expect(target).to_be_in_viewport()
    expect(target.locator("mark")).to_have_text("solvability")
    expect(target.locator(".tag.grade")).to_have_text("Requires improvement")
    outline = target.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"  # the :target style marks the section reached

    # Removing the filter from the results page brings the other grade back.
    page.go_back()
    page.locator(".active-filters .chip").click()
    expect(page.locator(".result")).to_have_count(2)


def test_sort_select_reorders_results(page: Page, server: Server) -> None:
    page.goto(server.base + "/?q=THRIVE")
    page.select_option("#sort", "oldest")  # choosing alone changes nothing (WCAG 3.2.2)
    page.click(".sortform button")
    expect(page).to_have_url(server.base + "/?q=THRIVE&sort=oldest")
    first = page.locator(".result .report-line").first
    expect(first).to_contain_text("Durham PEEL 2015")


def test_the_page_works_without_javascript(browser: Browser, server: Server) -> None:
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(server.base + "/")
    pg.fill("#q", "THRIVE")
    pg.click(".searchform button")
    expect(pg.locator(".result")).to_have_count(3)
    pg.select_option("#sort", "newest")
    pg.click(".sortform button")
    expect(pg).to_have_url(server.base + "/?q=THRIVE&sort=newest")
    pg.locator('[data-facet="force"] a', has_text="Kent Police").click()
    expect(pg.locator(".result")).to_have_count(1)
    context.close()


def test_malformed_query_is_explained_on_the_page(page: Page, server: Server) -> None:
    page.goto(server.base + "/")
    page.fill("#q", '"risk of harm')
    page.press("#q", "Enter")
    expect(page.locator(".error")).to_contain_text("Unbalanced quotation mark")
    expect(page.locator("#q")).to_have_value('"risk of harm')
