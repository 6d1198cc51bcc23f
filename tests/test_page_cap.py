"""A search with more pages than a request may ask for (`MAX_PAGE`) still renders.

At 100,000 sections the research views' sidebar search (one hit a page) has tens of thousands of
pages; its pagination linked the last one, whose request is refused, and the page failed. The
last page offered is now `MAX_PAGE`, and every page link is a request that validates.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from urllib.parse import parse_qsl

from indexer.search.engine import Archive, SearchRequest
from indexer.search.request import MAX_PAGE, parse_request
from webapp.views import search_page


def test_a_search_of_more_pages_than_a_request_may_ask_for_renders(archive_index: Path) -> None:
    archive = Archive(archive_index)
    try:
        req = SearchRequest(per_page=1)
        real = archive.search(req, snippets=False)
        assert real.pages == real.total  # one hit a page
        huge = dataclasses.replace(real, total=3 * MAX_PAGE + 7)
        assert huge.pages == MAX_PAGE
        page = search_page(req, huge, path="/trends")
        numbers = [link.label for link in page.pagination if link.url]
        assert numbers[0] == "1" and numbers[-1] == str(MAX_PAGE)
        for link in page.pagination:
            if link.url:  # every link asks for a page a request may ask for
                query = link.url.split("?", 1)[1]
                assert 1 <= parse_request(parse_qsl(query)).page <= MAX_PAGE
    finally:
        archive.close()
