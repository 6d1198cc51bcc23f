"""Links that carry the page's state: every view is a bookmarkable URL.

One helper builds each toggle, sort and page link from the request's multi-valued parameters
(Starlette's own helpers replace or drop every value of a key, which facets cannot use).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from indexer.search.request import SearchRequest


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


def _with(path: str, params: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}" if params else path
