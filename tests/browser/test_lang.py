"""The search box's autocomplete in Chromium: an ARIA 1.2 combobox, keyboard operable, and a
pure enhancement (without JavaScript the same searches work)."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.conftest import Server


def test_keyboard_only_autocomplete(page: Page, server: Server) -> None:
    page.goto(server.base + "/")
    box = page.locator("#q")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.focus()
    page.keyboard.type("THRIVE solv", delay=20)
    listbox = page.locator("#q-suggestions")
    expect(listbox).to_be_visible()
    expect(listbox).to_have_attribute("role", "listbox")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-controls", "q-suggestions")
    options = listbox.locator("[role=option]")
    expect(options.first).to_have_text("solvability")
    expect(page.locator("[role=status]")).to_contain_text("suggestion")

    page.keyboard.press("ArrowDown")
    first_id = options.first.get_attribute("id")
    expect(box).to_have_attribute("aria-activedescendant", first_id or "")
    expect(options.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(options.first).to_have_attribute("aria-selected", "true")

    page.keyboard.press("Escape")  # closes the list, keeps the text
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("THRIVE solv")

    page.keyboard.press("ArrowDown")  # opens again, on the first option
    expect(listbox).to_be_visible()
    expect(options.first).to_have_attribute("aria-selected", "true")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(server.base + "/?q=THRIVE+solvability")
    expect(page.locator(".result").first).to_be_visible()


def test_enter_without_choosing_searches_what_was_typed(page: Page, server: Server) -> None:
    page.goto(server.base + "/?grade=Good")
    page.locator("#q").focus()
    page.keyboard.type("solv", delay=20)
    expect(page.locator("#q-suggestions")).to_be_visible()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(server.base + "/?q=solv&grade=Good")


def test_without_javascript_the_language_still_works(browser: Browser, server: Server) -> None:
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    try:
        pg.goto(server.base + "/")
        expect(pg.locator("#q")).not_to_have_attribute("role", "combobox")
        pg.fill("#q", 'force:kent grade:"requires improvement"')
        pg.press("#q", "Enter")
        expect(pg.locator(".result")).to_have_count(3)
        expect(pg.locator(".active-filters .chip")).to_have_count(2)
        pg.fill("#q", "solvabilty")
        pg.press("#q", "Enter")
        pg.locator(".suggestion a").click()
        expect(pg).to_have_url(server.base + "/?q=solvability")
        expect(pg.locator(".result").first).to_be_visible()
    finally:
        context.close()


def test_the_open_list_passes_axe(page: Page, server: Server) -> None:
    from tests.browser.conftest import axe_violations

    page.goto(server.base + "/")
    page.locator("#q").focus()
    page.keyboard.type("solv", delay=20)
    expect(page.locator("#q-suggestions")).to_be_visible()
    page.keyboard.press("ArrowDown")
    assert axe_violations(page) == []
