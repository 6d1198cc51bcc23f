"""Links that leave the results keep the whole search, and the report page's hit navigation.

Pages are parsed (html.parser) and their links followed on a real server; the expected state
is the request the test itself sent.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from tests.conftest import Server

SEARCH = [("q", "force"), ("grade", "Good"), ("grade", "Requires improvement"),
          ("sort", "oldest"), ("per_page", "3"), ("page", "2")]


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base, timeout=30) as c:
        yield c


class Links(HTMLParser):
    """Every element's attributes, and the text of each hit-count span in the contents."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))


def parse(html: str) -> list[tuple[str, dict[str, str]]]:
    p = Links()
    p.feed(html)
    return p.elements


def state(url: str) -> list[tuple[str, str]]:
    return sorted(parse_qsl(urlsplit(url).query))


def test_result_links_and_back_link_keep_query_filters_sort_and_page(
    client: httpx.Client,
) -> None:
    page = client.get("/", params=SEARCH)
    assert page.status_code == 200
    results = [a["href"] for tag, a in parse(page.text)
               if tag == "a" and a.get("href", "").startswith("/reports/")]
    assert len(results) == 3
    for href in results:
        assert state(href) == sorted(SEARCH), href
        report = client.get(href)
        assert report.status_code == 200
        back = [html.unescape(b) for b in
                re.findall(r'href="([^"]*)">(?:← )?Back to results', report.text)]
        assert back and all(b.startswith("/?") for b in back), href
        assert all(state(b) == sorted(SEARCH) for b in back)
        # Following it gives the very page the result came from.
        assert client.get(back[0]).text == page.text


def test_a_query_typo_keeps_every_filter_on_the_form(client: httpx.Client) -> None:
    params = [("q", '"risk of harm'), ("grade", "Good"), ("kind", "question"),
              ("sort", "newest")]
    r = client.get("/", params=params)
    assert r.status_code == 400 and "Unbalanced quotation mark" in r.text
    form = r.text[r.text.index('<form class="searchform"'):]
    form = form[:form.index("</form>")]
    hidden = sorted((a["name"], a["value"]) for tag, a in parse(form)
                    if tag == "input" and a.get("type") == "hidden")
    assert hidden == sorted([("grade", "Good"), ("kind", "question"), ("sort", "newest")])
    assert 'value="&#34;risk of harm"' in form  # the query as typed, to fix
    assert "Grade: Good" in r.text and "Your filters are kept" in r.text
    # Fixing the typo runs the same filtered search.
    fixed = client.get("/api/search", params=[("q", '"risk of harm"'), *params[1:]]).json()
    assert fixed["filters"] == {"grade": ["Good"], "kind": ["question"]}
    # A bad filter value is explained and the rest is kept too.
    bad = client.get("/", params=[("q", "demand"), ("grade", "Brilliant"), ("kind", "question")])
    assert bad.status_code == 400 and "Brilliant" in bad.text
    assert 'name="kind" value="question"' in bad.text


def hit_sections(page: str) -> list[str]:
    return [a["id"] for tag, a in parse(page)
            if tag == "section" and "has-hit" in a.get("class", "")]


def test_report_page_links_each_hit_section_to_the_next_and_counts_hits(
    client: httpx.Client,
) -> None:
    r = client.get("/reports/metropolitan-2016-efficiency", params={"q": "demand"})
    page = r.text
    hits = hit_sections(page)
    assert len(hits) >= 3
    # Independent count: <mark> elements inside each section's own HTML.
    for anchor in hits:
        start = page.index(f'id="{anchor}"')
        body = page[start:page.index("</section>", start)]
        marks = body.count("<mark>")
        assert marks > 0
        toc = re.search(rf'href="#{re.escape(anchor)}">[^<]*</a> <span class="toc-hits">'
                        rf'\((\d+) hits?\)</span>', page)
        assert toc and int(toc[1]) == marks, anchor
        nav = body[body.index('<nav class="hitnav"'):body.index("</nav>")]
        i = hits.index(anchor)
        prev_ = re.search(r'href="#([^"]+)" rel="prev"', nav)
        next_ = re.search(r'href="#([^"]+)" rel="next"', nav)
        assert (prev_[1] if prev_ else None) == (hits[i - 1] if i else None)
        assert (next_[1] if next_ else None) == (hits[i + 1] if i + 1 < len(hits) else None)
    # Sections without hits have neither a count nor a hit navigation.
    assert page.count('class="hitnav"') == len(hits)
    assert page.count('class="toc-hits"') == len(hits)
    assert f'<a class="skip-link" href="#{hits[0]}">Skip to the first hit</a>' in page


def test_report_without_a_search_has_no_hit_navigation(client: httpx.Client) -> None:
    page = client.get("/reports/metropolitan-2016-efficiency").text
    assert "hitnav" not in page and "toc-hits" not in page and "Back to results" not in page
