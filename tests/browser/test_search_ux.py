"""The search as people use it in real Chromium: keyboard only, phone width, JavaScript off.

Keyboard tests press Tab and Enter only (no clicks) and count the presses; the phone test
checks the first result is above the fold. Contrast and focus are read from computed styles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import Server

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == []


def focused(page: Page) -> str:
    """The focused element's id, or its tag, class and text (for a link)."""
    return str(page.evaluate(
        "() => { const e = document.activeElement; return e.id ? '#' + e.id :"
        " e.tagName.toLowerCase() + '.' + e.className + ':' + e.textContent.trim() }"))


def tab_until(page: Page, pattern: str, limit: int = 40, back: bool = False) -> int:
    """Press Tab (or Shift+Tab) until the focused element matches `pattern`; the presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if re.search(pattern, focused(page)):
            return presses
    raise AssertionError(f"{pattern!r} not reached in {limit} presses; at {focused(page)}")


def test_keyboard_only_search_facet_result_next_hit_and_back(
    desktop: Page, server: Server
) -> None:
    page = desktop
    page.goto(server.base + "/")
    assert focused(page) == "#q"  # the search box is ready on the home page
    page.keyboard.type("demand")
    page.keyboard.press("Enter")
    expect(page).to_have_url(server.base + "/?q=demand")
    # Focus lands on the results heading, which holds the count.
    assert focused(page) == "#results-heading"
    expect(page.locator("#results-heading")).to_contain_text("sections matching demand")

    # The filters come before the results: back up to the grade "Good".
    tab_until(page, r"^a\..*Good\s*\d+$", back=True)
    page.keyboard.press("Enter")
    expect(page).to_have_url(server.base + "/?q=demand&grade=Good")
    assert focused(page) == "#results-heading"
    results = page.locator(".result h3 a").all_inner_texts()

    # A few presses reach the first result (sort, its button, the result).
    presses = tab_until(page, r"^a\..*Metropolitan Police Service, 2016")
    assert presses <= 3, presses
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/reports/metropolitan-2016-efficiency\?q=demand"
                                        r"&grade=Good#q1$"))
    assert page.evaluate("() => location.hash") == "#q1"

    # From the section reached, the next hit is two presses away.
    presses = tab_until(page, r"Next hit")
    assert presses <= 3, presses
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#q2$"))
    expect(page.locator("section#q2")).to_be_in_viewport()
    expect(page.locator("section#q2 mark").first).to_have_text(re.compile("demand", re.I))

    tab_until(page, r"Back to results")
    page.keyboard.press("Enter")
    expect(page).to_have_url(server.base + "/?q=demand&grade=Good")
    expect(page.locator(".active-filters .chip")).to_contain_text("Grade: Good")
    assert page.locator(".result h3 a").all_inner_texts() == results


def test_skip_link_is_first_and_leads_to_the_results(browser: Browser, server: Server) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(server.base + "/?q=force&grade=Good")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # shown when focused
    page.keyboard.press("Enter")
    assert focused(page) == "#results-heading"
    assert tab_until(page, r"^a\..*, 20\d\d") <= 3  # the first result
    context.close()


def test_sort_changes_only_on_the_button(desktop: Page, server: Server) -> None:
    page = desktop
    page.goto(server.base + "/?q=THRIVE")
    page.focus("#sort")
    page.keyboard.press("ArrowDown")  # moving through the options reloads nothing
    page.select_option("#sort", "oldest")
    page.wait_for_load_state()
    assert page.url == server.base + "/?q=THRIVE"
    page.keyboard.press("Tab")
    expect(page.locator(".sortform button")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(server.base + "/?q=THRIVE&sort=oldest")


def test_phone_shows_results_first_with_filters_behind_a_disclosure(
    browser: Browser, server: Server
) -> None:
    for js in (True, False):
        context = browser.new_context(viewport=PHONE, java_script_enabled=js)
        page = context.new_page()
        page.goto(server.base + "/?q=force&grade=Good&grade=Requires+improvement")
        summary = page.locator("details.filters > summary")
        expect(summary).to_have_text("Filters (2)")
        expect(page.locator('[data-facet="grade"]')).to_be_hidden()
        first = page.locator(".result").first.locator("h3")
        box = first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], box
        snippet = page.locator(".result .snippet").first.bounding_box()
        assert snippet is not None and snippet["y"] < PHONE["height"]  # the passage too
        summary.click()
        facet = page.locator('[data-facet="kind"] a').first
        expect(facet).to_be_visible()
        facet.click()
        expect(page).to_have_url(re.compile(r"kind="))
        context.close()


def test_without_javascript_the_filters_sidebar_shows_on_desktop(
    browser: Browser, server: Server
) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(server.base + "/?q=force")
    expect(page.locator("details.filters > summary")).to_be_hidden()
    expect(page.locator('[data-facet="grade"]')).to_be_visible()
    page.locator('[data-facet="grade"] a', has_text="Good").click()
    page.locator(".result h3 a").first.click()
    expect(page.locator(".crumbs a")).to_have_attribute("href", "/?q=force&grade=Good")
    context.close()


def _luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_controls_have_contrast_and_a_visible_focus_ring(desktop: Page, server: Server) -> None:
    page = desktop
    page.goto(server.base + "/?q=THRIVE")
    page_bg = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    border = page.evaluate("() => getComputedStyle(document.querySelector('#q')).borderTopColor")
    assert contrast(border, page_bg) >= 3, border
    select = page.evaluate("() => getComputedStyle(document.querySelector('#sort'))"
                           ".borderTopColor")
    assert contrast(select, page_bg) >= 3, select
    for selector in ("#q", ".searchform button", "#sort", ".sortform button",
                     ".result h3 a", '[data-facet="grade"] a', ".pagination a, .downloads a"):
        page.locator(selector).first.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
        style = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, s.outlineWidth, s.outlineColor] }")
        assert style[0] == "solid" and float(style[1].rstrip("px")) >= 2, (selector, style)
        assert contrast(style[2], page_bg) >= 3, (selector, style)
