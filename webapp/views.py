"""Page contexts: each page is one dataclass built by a pure function from a search result.

HTML renders a context through Jinja; JSON serialises the same context. Snippets and highlighted
report text arrive as plain data and are rendered by `webapp/snippets.py`, the one place that
escapes them and marks the result safe.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from markupsafe import Markup

from indexer.model import KIND_LABELS, Section
from indexer.schema import FACETS, SORTS
from indexer.search.citation import Citation, cite, csl, source_url
from indexer.search.engine import SearchResult
from indexer.search.highlight import Snippet
from indexer.search.request import SearchRequest
from webapp.lang_views import LangNotes, lang_json, lang_notes
from webapp.snippets import snippet_html, snippet_spans
from webapp.urls import (
    back_url,
    clear_filters_url,
    export_url,
    result_url,
    search_url,
    section_url,
    toggle_url,
)


def is_area(section: Section) -> bool:
    """From 2021/22 a report's questions are areas of policing (and there are no pillars)."""
    return not section.pillar and section.year >= 2021


def kind_label(section: Section) -> str:
    if section.kind == "question" and is_area(section):
        return "Area of policing"
    return KIND_LABELS.get(section.kind, section.kind)


def question_label(section: Section) -> str:
    """"Q2" for a question, "Area 2" for an area of policing, "" when there is neither."""
    if not section.question_number:
        return ""
    return f"Area {section.question_number}" if is_area(section) else f"Q{section.question_number}"


GRADE_CLASSES = {
    "Outstanding": "outstanding",
    "Good": "good",
    "Adequate": "adequate",
    "Requires improvement": "ri",
    "Inadequate": "inadequate",
    "Ungraded": "ungraded",
}


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str
    current: bool = False
    value: str = ""


@dataclass(frozen=True, slots=True)
class FacetValueView:
    value: str
    label: str
    count: int
    selected: bool
    toggle_url: str


@dataclass(frozen=True, slots=True)
class FacetGroup:
    name: str
    label: str
    values: list[FacetValueView]
    shown: int = 8  # values listed before "more"
    bars: bool = False  # draw each count as a bar (a trend over cycles)

    @property
    def max_count(self) -> int:
        return max((v.count for v in self.values), default=0)


@dataclass(frozen=True, slots=True)
class ResultItem:
    section: Section
    snippet: Markup
    url: str
    kind_label: str
    grade_class: str
    question_label: str = ""
    passage: Snippet = field(default_factory=lambda: Snippet(()))  # `snippet` as data

    @property
    def under(self) -> str:
        """"question 2" or "area 2": what a list item (area for improvement…) belongs to."""
        label = self.question_label
        return label.replace("Q", "question ", 1) if label.startswith("Q") else label.lower()


@dataclass(slots=True)
class SearchPage:
    request: SearchRequest
    error: str = ""
    total: int = 0
    pages: int = 1
    results: list[ResultItem] = field(default_factory=list)
    facets: list[FacetGroup] = field(default_factory=list)
    active: list[Link] = field(default_factory=list)  # selected filters, each a remove link
    sorts: list[Link] = field(default_factory=list)
    pagination: list[Link] = field(default_factory=list)
    prev_url: str = ""
    next_url: str = ""
    clear_url: str = ""
    api_url: str = ""
    csv_url: str = ""
    csv_excel_url: str = ""
    jsonl_url: str = ""
    atom_url: str = ""
    notices: tuple[str, ...] = ()
    trends_url: str = "/trends"  # the research views of the same search
    grid_url: str = "/grid"
    lang: LangNotes = field(default_factory=LangNotes)  # chips, did-you-mean, glossary

    @property
    def first(self) -> int:
        return (self.request.page - 1) * self.request.per_page + 1

    @property
    def last(self) -> int:
        return min(self.total, self.request.page * self.request.per_page)


def search_page(
    req: SearchRequest, result: SearchResult | None, error: str = "", path: str = "/"
) -> SearchPage:
    """The search page's context; `path` is the page its filter links stay on (the research
    views reuse the sidebar)."""
    if result is not None:
        req = result.request  # its filter values as stored ("force=kent" -> "Kent Police")
    page = SearchPage(req, error=error, api_url=search_url(req, "/api/search", page=req.page),
                      csv_url=export_url(req, "/api/search.csv"),
                      csv_excel_url=export_url(req, "/api/search.csv", bom="1"),
                      jsonl_url=export_url(req, "/api/search.jsonl"),
                      atom_url=export_url(req, "/api/search.atom"),
                      trends_url=search_url(req, "/trends"), grid_url=search_url(req, "/grid"))
    page.sorts = [
        Link(label, search_url(req, sort=key), req.effective_sort == key, key)
        for key, label in SORTS.items()
        if key != "relevance" or req.q
    ]
    if result is None:
        page.active = [
            Link(f"{f.label}: {f.value_label(v)}", toggle_url(req, f.name, v))
            for f in FACETS for v in req.filters.get(f.name, ())
        ]
        if req.filters:
            page.clear_url = clear_filters_url(req)
        return page
    page.total = result.total
    page.pages = result.pages
    page.notices = result.notices
    page.lang = lang_notes(req, result)
    page.results = [
        ResultItem(
            hit.section,
            snippet_html(hit.snippet),
            result_url(req, hit.section.report_id, hit.section.anchor),
            kind_label(hit.section),
            GRADE_CLASSES.get(hit.section.grade, "none"),
            question_label(hit.section),
            hit.snippet,
        )
        for hit in result.hits
    ]
    for facet in FACETS:
        values = [
            FacetValueView(
                v.value, v.label, v.count, v.selected,
                page.lang.remove_url(facet.name, v.value)
                or toggle_url(req, facet.name, v.value, path),
            )
            for v in result.facets.get(facet.name, [])
        ]
        page.facets.append(FacetGroup(facet.name, facet.label, values, bars=facet.name == "cycle"))
        page.active.extend(
            Link(f"{facet.label}: {v.label}", v.toggle_url) for v in values if v.selected
        )
    if req.filters or page.lang.chips:
        page.clear_url = clear_filters_url(replace(req, q=page.lang.words_only), path)
    if req.page > 1:
        page.prev_url = search_url(req, page=min(req.page - 1, result.pages))
    if req.page < result.pages:
        page.next_url = search_url(req, page=req.page + 1)
    page.pagination = _page_links(req, result.pages)
    return page


def _page_links(req: SearchRequest, pages: int) -> list[Link]:
    if pages <= 1:
        return []
    wanted = {1, pages, *range(max(1, req.page - 2), min(pages, req.page + 2) + 1)}
    links: list[Link] = []
    previous = 0
    for n in sorted(wanted):
        if n - previous > 1:
            links.append(Link("…", ""))
        links.append(Link(str(n), search_url(req, page=n), n == req.page))
        previous = n
    return links


def search_json(page: SearchPage) -> dict[str, Any]:
    """The API's response: the documented fields, plus a few extra ones."""
    req = page.request
    return {
        "query": req.q,
        "total": page.total,
        "page": req.page,
        "per_page": req.per_page,
        "pages": page.pages,
        "sort": req.effective_sort,
        "filters": {k: list(v) for k, v in req.filters.items()},
        "results": [
            {
                "section_id": r.section.section_id,
                "report_id": r.section.report_id,
                "force": r.section.force,
                "cycle": r.section.cycle,
                "year": r.section.year,
                "pillar": r.section.pillar,
                "question_number": r.section.question_number,
                "question": r.section.question,
                "grade": r.section.grade,
                "grade_source": r.section.grade_source,
                "kind": r.section.kind,
                "heading": r.section.heading,
                "snippet": str(r.snippet),
                "snippet_spans": snippet_spans(r.passage),
                # The documented contract: the passage with the query highlighted (pages carry
                # the whole search state in their links instead).
                "url": section_url(r.section.report_id, r.section.anchor, req.q),
                "report_title": r.section.report_title,
                "region": r.section.region,
                "theme": r.section.theme,
                "updated": r.section.updated.isoformat() if r.section.updated else None,
            }
            for r in page.results
        ],
        "facets": {
            g.name: [
                {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
                for v in g.values
            ]
            for g in page.facets
        },
        "notices": list(page.notices),
        **lang_json(page.lang, req),
    }


@dataclass(frozen=True, slots=True)
class SectionView:
    section: Section
    paragraphs: list[Markup]
    kind_label: str
    grade_class: str
    hit: bool
    question_label: str = ""
    citation: Citation | None = None
    hit_count: int = 0  # highlighted words in this section
    hit_number: int = 0  # this section's place among the sections with hits (1-based)
    prev_hit: str = ""  # anchor of the previous section with hits
    next_hit: str = ""  # anchor of the next section with hits


@dataclass(slots=True)
class ReportPage:
    report_id: str
    title: str
    first: Section
    sections: list[SectionView]
    q: str = ""
    hits: int = 0
    back_url: str = ""
    json_url: str = ""
    error: str = ""
    source_url: str = ""  # the report's address on the inspectorate's site
    source_url_derived: bool = False  # built from the site's URL patterns, not recorded
    first_hit: str = ""  # anchor of the first section with hits

    @property
    def hit_words(self) -> int:
        return sum(v.hit_count for v in self.sections)


def report_page(
    sections: list[Section],
    highlighted: list[Snippet],
    q: str,
    hit_flags: list[bool],
    error: str = "",
    base_url: str = "",
    state: SearchRequest | None = None,
) -> ReportPage:
    """A report's sections with their highlights, each section with hits linked to the
    previous and next one; `base_url` (the site's scheme and host) makes each section's
    permalink absolute; `state` is the search the report was opened from."""
    first = sections[0]
    base = base_url.rstrip("/")
    hit_anchors = [s.anchor for s, hit in zip(sections, hit_flags, strict=True) if hit]
    views = []
    for s, marked, hit in zip(sections, highlighted, hit_flags, strict=True):
        number = hit_anchors.index(s.anchor) + 1 if hit else 0
        html = str(snippet_html(marked))  # hits are words: no paragraph break falls in one
        views.append(SectionView(
            s,
            [Markup(p) for p in html.split("\n\n") if p.strip()],
            kind_label(s),
            GRADE_CLASSES.get(s.grade, "none"),
            hit,
            question_label(s),
            cite(s, base + section_url(s.report_id, s.anchor)),
            marked.hits if hit else 0,
            number,
            hit_anchors[number - 2] if number > 1 else "",
            hit_anchors[number] if hit and number < len(hit_anchors) else "",
        ))
    state = state or SearchRequest(q=q)
    back = back_url(state) if state.q or state.filters else ""
    url, derived = source_url(first)
    return ReportPage(
        first.report_id,
        first.report_title,
        first,
        views,
        q,
        sum(hit_flags),
        back,
        f"/api/reports/{first.report_id}",
        error,
        url,
        derived,
        hit_anchors[0] if hit_anchors else "",
    )


def _public(section: Section) -> dict[str, Any]:
    """A section's fields for the API: `source` is the file's name, never a server path."""
    data = section.to_dict()
    data["source"] = file_name(section.source)
    return data


def file_name(source: str) -> str:
    # Only "/" separates folders: a name's own "\\xNN" escapes (bytes that were not UTF-8)
    # stay part of it.
    return source.rsplit("/", 1)[-1]


def report_json(page: ReportPage) -> dict[str, Any]:
    s = page.first
    return {
        "report_id": page.report_id,
        "title": page.title,
        "report_type": s.report_type,
        "force": s.force,
        "force_short": s.force_short,
        "force_slug": s.force_slug,
        "region": s.region,
        "cycle": s.cycle,
        "year": s.year,
        "pillar": s.pillar,
        "updated": s.updated.isoformat() if s.updated else None,
        "source": file_name(s.source),
        "url": s.url,
        "source_url": page.source_url,
        "source_url_derived": page.source_url_derived,
        "sections": [
            {
                **_public(v.section),
                **({"citation": v.citation.to_dict(), "csl": csl(v.citation)}
                   if v.citation else {}),
            }
            for v in page.sections
        ],
    }
