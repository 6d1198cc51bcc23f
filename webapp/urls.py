"""Links that carry the page's state: every view is a bookmarkable URL.

One helper builds each toggle, sort and page link from the request's multi-valued parameters
(Starlette's own helpers replace or drop every value of a key, which facets cannot use). A
link that leaves the results (to a hit, back to the results) carries the whole search: query,
filters, sort, page size and page. `public_base` is the archive's absolute address for links
that leave the site (exports, feeds).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, urlencode

from indexer.schema import FACET_NAMES
from indexer.search.request import MAX_QUERY_CHARS, QueryProblem, SearchRequest, parse_request


def kept_request(items: Iterable[tuple[str, str]]) -> SearchRequest:
    """The state a link carried, kept even when part of it cannot run: the query as typed
    (folded, cut to the limit) with the valid rest (filters, sort, page size, page), or the
    filters alone, so a page that explains a bad query keeps every filter on its form."""
    items = list(items)
    qs = [v for k, v in items if k == "q"]
    q = " ".join((qs[-1] if qs else "").split())[:MAX_QUERY_CHARS]
    rest = [(k, v) for k, v in items if k != "q"]
    for kept in (rest, [(k, v) for k, v in rest if k in FACET_NAMES]):
        try:
            return dataclasses.replace(parse_request(kept), q=q)
        except QueryProblem:
            continue
    return SearchRequest(q=q)


def search_url(req: SearchRequest, path: str = "/", **changes: object) -> str:
    """`path` with the request's parameters, after `changes` (sort=, page=, per_page=, q=,
    literal=)."""
    params = dict(q=req.q, sort=req.sort, page=req.page, per_page=req.per_page,
                  literal=req.literal)
    params.update(changes)
    if "page" not in changes:
        params["page"] = 1
    moved = SearchRequest(
        q=str(params["q"]),
        filters=req.filters,
        page=int(str(params["page"])),
        per_page=int(str(params["per_page"])),
        sort=str(params["sort"]),
        literal=bool(params["literal"]),
    )
    return _with(path, moved.params())


def export_url(req: SearchRequest, path: str, **extra: str) -> str:
    """A whole-result export of the search (query, filters, sort; no page) at `path`."""
    whole = SearchRequest(q=req.q, filters=req.filters, sort=req.sort)
    return _with(path, [*whole.params(), *extra.items()])


def toggle_url(req: SearchRequest, facet: str, value: str, path: str = "/") -> str:
    """The same search with `value` of `facet` added or removed, back on page 1."""
    filters = {k: list(v) for k, v in req.filters.items()}
    values = filters.setdefault(facet, [])
    folded = [v.lower() for v in values]
    if value.lower() in folded:
        del values[folded.index(value.lower())]
    else:
        values.append(value)
    moved = SearchRequest(
        q=req.q,
        filters={k: tuple(v) for k, v in filters.items() if v},
        page=1,
        per_page=req.per_page,
        sort=req.sort,
        literal=req.literal,
    )
    return _with(path, moved.params())


def clear_filters_url(req: SearchRequest, path: str = "/") -> str:
    return _with(path, SearchRequest(q=req.q, sort=req.sort, per_page=req.per_page,
                                     literal=req.literal).params())


def narrowed_url(req: SearchRequest, path: str = "/", **values: str) -> str:
    """The request's words and filters with each named facet set to one value (replacing any
    values it had), on page 1: e.g. the search behind one cell of the grade grid."""
    filters = {k: tuple(v) for k, v in req.filters.items()}
    for name, value in values.items():
        filters[name] = (value,)
    return _with(path, SearchRequest(q=req.q, filters=filters).params())


def section_url(report_id: str, anchor: str, q: str = "") -> str:
    """A section inside its report page, with the query's hits highlighted there."""
    base = f"/reports/{quote(report_id, safe='')}"
    return (f"{base}?{urlencode({'q': q})}" if q else base) + f"#{quote(anchor, safe='')}"


def result_url(req: SearchRequest, report_id: str, anchor: str) -> str:
    """A hit inside its report page, carrying the whole search (query, filters, sort, page),
    so that the report page highlights the query and links back to the same results."""
    base = f"/reports/{quote(report_id, safe='')}"
    return _with(base, req.params()) + f"#{quote(anchor, safe='')}"


def back_url(req: SearchRequest) -> str:
    """The results page a report was opened from (same query, filters, sort and page)."""
    return _with("/", req.params())


_HOST_RE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,62}\.?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$",
                      re.IGNORECASE)
_WILDCARD_HOSTS = {"", "0.0.0.0", "::"}


def public_base(configured: str, scope: Mapping[str, Any]) -> str:
    """The archive's absolute address (scheme://host[:port], no trailing slash).

    The configured public URL (`peel-web serve --public-url`) when there is one. Otherwise the
    address the server listens on, which the client cannot forge; only when that is a
    wildcard (0.0.0.0) is the request's Host header used, and only if it is a plain host name
    or address with an optional port.
    """
    if configured:
        return configured.rstrip("/")
    scheme = "https" if scope.get("scheme") == "https" else "http"
    server = scope.get("server") or ("", None)
    host, port = str(server[0] or ""), server[1]
    if host not in _WILDCARD_HOSTS:
        shown = f"[{host}]" if ":" in host else host
        default = (scheme == "http" and port == 80) or (scheme == "https" and port == 443)
        return f"{scheme}://{shown}" + ("" if port is None or default else f":{port}")
    header = ""
    for key, value in scope.get("headers", []):
        if key == b"host":
            header = value.decode("latin-1")
    if header and _HOST_RE.match(header):
        return f"{scheme}://{header.lower()}"
    return f"{scheme}://localhost" + (f":{port}" if port else "")


def _with(path: str, params: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}" if params else path
