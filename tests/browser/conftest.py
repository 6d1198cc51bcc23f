"""Headless Chromium for the page tests: Debian's /usr/bin/chromium driven by Playwright
(never a downloaded browser). Tests here are skipped, with the reason, where it is missing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = str(__file__).rsplit("/", 1)[0]
    missing = shutil.which(CHROMIUM) is None
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)
            if missing:
                item.add_marker(pytest.mark.skip(
                    reason="Debian chromium is not installed (./scripts/test installs it)"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


AXE_JS = Path(__file__).resolve().parents[2] / ".cache/axe/node_modules/axe-core/axe.min.js"


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Runs axe-core (installed by ./scripts/test from the npm registry) in the loaded page and
    returns its violations (WCAG 2.x A and AA rules and best practices), each with its id,
    impact and failing nodes' selectors. Injected through the DevTools protocol, so the page's
    own Content-Security-Policy stays in force."""
    assert AXE_JS.is_file(), f"{AXE_JS} is missing: ./scripts/test installs axe-core"
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    return list(result)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page that fails the test on any script error or CSP violation."""
    context = browser.new_context()
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    # No script errors and no Content-Security-Policy violations (an explained 400 is fine).
    assert [e for e in errors if "status of 400" not in e] == []
