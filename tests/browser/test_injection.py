"""No script runs from report text, metadata, file names or requests, in headless Chromium.

The hostile report (tests/hostile.py) is served by a real server, and each page that shows its
text, or echoes a hostile request, is loaded twice: as served (with the Content-Security-Policy)
and with the policy bypassed, so that escaping alone is shown to hold. Every payload would set
`window.__pwned` or open a dialog; neither may happen, no element the payloads carry may exist,
and `{{7*7}}` must read literally.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import Server
from tests.hostile import (
    HOSTILE_QUERIES,
    HOSTILE_QUESTION,
    MARKER,
    REPORT_ID,
    TEMPLATE,
)

FORCE = "Cleveland Police"  # the hostile report's force

BROWSE_PAGES = [
    "/?" + urlencode({"force": FORCE}),
    "/?" + urlencode({"force": FORCE, "grade": "Good", "per_page": "100"}),
    "/?" + urlencode({"force": FORCE, "sort": "newest"}),
]
PAGES = [
    "/?" + urlencode({"q": MARKER}),
    "/?" + urlencode({"q": MARKER, "question": HOSTILE_QUESTION}),
    f"/reports/{REPORT_ID}",
    f"/reports/{REPORT_ID}?" + urlencode({"q": MARKER}),
    *("/?" + urlencode({"q": q}) for q in HOSTILE_QUERIES),
    *(f"/reports/{REPORT_ID}?" + urlencode({"q": q}) for q in HOSTILE_QUERIES[:3]),
    "/?" + urlencode({"grade": '<script>window.__pwned="grade"</script>'}),
    # Browse and filter-only pages: no hit in the text, so each section's opening is shown.
    *BROWSE_PAGES,
    "/reports/%3Cscript%3Ewindow.__pwned=1%3C%2Fscript%3E",
]
# Elements only a payload could have made.
PAYLOAD_ELEMENTS = "img, svg, iframe, base, style, b, meta[http-equiv], script:not([src])"



def visit(page: Page, url: str, dialogs: list[str]) -> str:
    """Load `url`, let any deferred payload fire, and return the page's visible text."""
    page.goto(url, wait_until="load")
    page.wait_for_timeout(50)
    pwned = page.evaluate("typeof window.__pwned === 'undefined' ? null : String(window.__pwned)")
    assert pwned is None, (url, pwned)
    assert dialogs == [], (url, dialogs)
    assert page.locator(PAYLOAD_ELEMENTS).count() == 0, url
    assert page.url == url  # no <meta refresh> or <base> took it elsewhere
    text: str = page.locator("body").inner_text()
    return text


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["as-served", "csp-bypassed"])
def test_hostile_pages_run_no_script(
    browser: Browser, hostile_server: Server, bypass_csp: bool
) -> None:
    context = browser.new_context(bypass_csp=bypass_csp)
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        texts = {url: visit(page, hostile_server.base + url, dialogs) for url in PAGES}
    finally:
        context.close()
    # Nothing tried to run and was blocked: no CSP violation, no script error.
    assert [e for e in errors if "status of 400" not in e and "status of 404" not in e] == []

    report = texts[f"/reports/{REPORT_ID}"]
    assert TEMPLATE in report and "people 49 fairly" not in report
    assert '<script>window.__pwned="question-script"</script>' in report
    assert "javascript:window.__pwned='url'" in report
    assert "onerror=window.__pwned='file'>" not in report  # no file name or path is shown
    results = texts["/?" + urlencode({"q": MARKER})]
    assert "<script>window.__pwned" in results  # headings, snippets and facets, as text
    for url in BROWSE_PAGES:  # the hostile openings, shown without a hit, read as text
        assert '<script>window.__pwned = "summary-script"</script>' in texts[url], url
    echoed = texts["/?" + urlencode({"q": TEMPLATE})]
    assert TEMPLATE in echoed
