"""What the query language adds to a results page: filter chips, did-you-mean, glossary notes.

Built from a `SearchResult` by pure functions, like `webapp.views`; every link is made with
`webapp.urls.search_url`, so it keeps the search's filters, sort and page size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from indexer.schema import FACETS_BY_NAME
from indexer.search.engine import SearchResult
from indexer.search.fields import resolve
from indexer.search.lang import without
from indexer.search.request import SearchRequest
from webapp.urls import search_url


@dataclass(frozen=True, slots=True)
class Chip:
    """A filter written in the query (force:kent), with the link that takes it out."""

    facet: str
    label: str  # "Force: Kent Police"
    value: str  # as stored
    typed: str  # as written in the query
    remove_url: str


@dataclass(frozen=True, slots=True)
class GlossaryNote:
    term: str
    expansion: str
    meaning: str
    widened: bool  # the search also finds the term's other forms
    others: tuple[str, ...]  # those other forms
    switch_url: str  # literal search when widened; widened search when literal
    switch_label: str


@dataclass(frozen=True, slots=True)
class LangNotes:
    chips: list[Chip] = field(default_factory=list)
    suggestion: str = ""
    suggestion_url: str = ""
    glossary: list[GlossaryNote] = field(default_factory=list)
    words_only: str = ""  # the query without its field terms (what "clear filters" keeps)

    def remove_url(self, facet: str, value: str) -> str:
        """The link that takes a query-written filter out ("" when the query has none)."""
        return next((c.remove_url for c in self.chips if c.facet == facet and c.value == value),
                    "")


def lang_notes(req: SearchRequest, result: SearchResult | None) -> LangNotes:
    if result is None:
        return LangNotes(words_only=req.q)
    chips = []
    for term in result.understood.field_terms:
        spec = FACETS_BY_NAME[term.facet]
        value = resolve(term.facet, term.value, result.query_filters.get(term.facet, ())) or ""
        chips.append(Chip(term.facet, f"{spec.label}: {spec.value_label(value)}", value,
                          term.raw, search_url(req, q=without(req.q, term))))
    notes = []
    for use in result.understood.glossary:
        entry = use.entry
        others = entry.expansions if entry.term.lower() in req.q.lower() else (entry.term,)
        if use.widened:
            url, label = search_url(req, literal=True), "Search the words as typed only"
        elif req.literal:
            url, label = search_url(req, literal=False), f"Also find {', '.join(others)}"
        else:  # +TERM: the reader asked for this word alone
            url, label = "", ""
        notes.append(GlossaryNote(entry.term, entry.expansion, entry.meaning, use.widened,
                                  others, url, label))
    suggestion_url = search_url(req, q=result.suggestion) if result.suggestion else ""
    words_only = req.q
    for term in sorted(result.understood.field_terms, key=lambda t: -t.start):
        words_only = without(words_only, term)
    return LangNotes(chips, result.suggestion, suggestion_url, notes, words_only)


def lang_json(notes: LangNotes, req: SearchRequest) -> dict[str, Any]:
    """The API's fields for the same notes (added to /api/search's answer)."""
    return {
        "query_filters": [
            {"facet": c.facet, "value": c.value, "typed": c.typed, "remove_url": c.remove_url}
            for c in notes.chips
        ],
        "suggestion": (
            {"query": notes.suggestion, "url": notes.suggestion_url} if notes.suggestion else None
        ),
        "glossary": [
            {"term": g.term, "expansion": g.expansion, "meaning": g.meaning,
             "widened": g.widened, "also_searched": list(g.others) if g.widened else []}
            for g in notes.glossary
        ],
        "literal": req.literal,
    }
