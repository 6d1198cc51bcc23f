"""Every page type passes axe-core's checks (WCAG 2 A/AA and best practices) in real Chromium,
at desktop and phone width. New page types add their URL to PAGES."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import axe_violations
from tests.conftest import Server

PAGES = {
    "home": "/",
    "search": "/?q=solvability",
    "filtered": "/?q=demand&grade=Good&kind=question",
    "no results": "/?q=zzzzqqqq",
    "bad query": '/?q=%22unbalanced',
    "bad query with filters": "/?q=%22unbalanced&grade=Good&kind=question",
    "last page": "/?q=force&per_page=3&page=4",
    "report": "/reports/metropolitan-2016-efficiency?q=demand",
    "report from a filtered search": "/reports/metropolitan-2016-efficiency?q=demand&grade=Good",
    "report without a search": "/reports/metropolitan-2016-efficiency",
    "not found": "/reports/no-such-report",
    "force profile": "/forces/kent",
    "force profile, nothing held": "/forces/wiltshire",
    "unknown force": "/forces/no-such-force",
    "force list": "/forces",
    "coverage": "/about",
    "report with a citation open": "/reports/kent-2017-effectiveness#q2",
    "trends": "/trends?q=demand",
    "grid": "/grid?q=demand&show=theme%3AUse+of+resources",
    "glossary note": "/?q=THRIVE",
    "did you mean": "/?q=solvabilty",
    "query filters": '/?q=force:kent+grade:"requires+improvement"',
    "help": "/help",
    "glossary": "/glossary",
    "similar passages": "/sections/metropolitan-2016-efficiency:q2/similar",
    "API guide": "/api",
    "accessibility statement": "/accessibility",
}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.mark.parametrize("width", WIDTHS)
def test_no_axe_violations_on_any_page_type(browser: Browser, server: Server, width: str) -> None:
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h})
    page = context.new_page()
    found = {}
    for name, path in PAGES.items():
        page.goto(server.base + path)
        violations = axe_violations(page)
        if violations:
            found[name] = violations
    context.close()
    assert found == {}
