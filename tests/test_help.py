"""Every worked example on /help runs on a real server and finds at least one section: on the
seed report with the crafted fixtures, and on the shipped corpus alone."""

from __future__ import annotations

import html
import re

import httpx
import pytest

from webapp.help import EXAMPLES


@pytest.mark.parametrize("which", ["server", "seed_server"])
def test_every_help_example_finds_something(request: pytest.FixtureRequest, which: str) -> None:
    srv = request.getfixturevalue(which)
    page = httpx.get(srv.base + "/help")
    assert page.status_code == 200
    links = [html.unescape(h) for h in re.findall(r'<a class="example" href="([^"]+)"', page.text)]
    assert len(links) == sum(len(g.examples) for g in EXAMPLES) >= 20
    for href in links:
        assert href.startswith("/?q=")
        r = httpx.get(srv.base + href.replace("/?", "/api/search?", 1))
        assert r.status_code == 200, (href, r.text)
        assert r.json()["total"] >= 1, href
        assert httpx.get(srv.base + href).status_code == 200


def test_help_documents_every_form_of_the_language(server: object) -> None:
    text = httpx.get(server.base + "/help").text  # type: ignore[attr-defined]
    for form in ("OR", "NOT", "AND", "*", "?", "~", "force:", "grade:", "cycle:", "pillar:",
                 "kind:", "type:", "literal", "/api/suggest", "/api/sections/{id}/similar",
                 "glossary", "lower case"):
        assert form in text, form
