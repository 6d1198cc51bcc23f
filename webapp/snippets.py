"""Snippets as HTML and JSON: the one place the engine's plain-data snippets become markup.

The engine (`indexer/search/highlight.py`) returns a `Snippet`: passages of spans, each span a
hit or the text between, with "…" spans where text was left out. Every page that shows a
snippet or a highlighted text (search results, report pages, similar passages) renders it
here: each span's text escaped, hits in `<mark>`. Nothing else in the web app marks report
text safe.
"""

from __future__ import annotations

from html import escape
from typing import Any

from markupsafe import Markup

from indexer.search.highlight import Snippet


def snippet_html(snippet: Snippet) -> Markup:
    """Escaped HTML of the snippet, its hits in `<mark>` (the API's `snippet` field)."""
    return Markup("".join(
        f"<mark>{escape(span.text, quote=False)}</mark>" if span.hit
        else escape(span.text, quote=False)
        for span in snippet.spans
    ))


def snippet_spans(snippet: Snippet) -> list[dict[str, Any]]:
    """The API's `snippet_spans`: the snippet as `{"text", "hit"}` pieces, in order."""
    return [{"text": span.text, "hit": span.hit} for span in snippet.spans]
