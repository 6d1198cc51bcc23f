"""The search engine behind the site: one open index, queries, facet counts and snippets.

This module and `indexer.store` are the only ones that know the engine is Whoosh. An `Archive`
keeps one searcher open and reopens it only when a new build is swapped in. Facet counts use
int-coded copies of the facet columns, cached per build, so a query's counts cost a few array
operations over its match set; the page's hits alone have their stored fields loaded and
highlighted.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import qparser, query

from indexer.model import Section
from indexer.schema import FACETS, FACETS_BY_NAME, TEXT_FIELDS
from indexer.search import highlight
from indexer.search.browse import BrowseOrder, chronological
from indexer.search.request import QueryProblem, SearchRequest
from indexer.search.stored import StoredFields
from indexer.search.vectorised import TermIndex
from indexer.store import (
    IndexUnavailable,
    OpenedIndex,
    current_build,
    from_stored,
    open_index,
    whoosh_schema,
)

MAX_EXPANSION = 256  # terms one wildcard may expand to
WARM_QUERY = '"police force" OR force OR police'  # words any inspection report has
DEFAULT_BUILD_HINT = "peel-index build corpus/ --index-dir DIR"

__all__ = [
    "Archive",
    "FacetCount",
    "Hit",
    "IndexUnavailable",
    "QueryProblem",
    "SearchRequest",
    "SearchResult",
]


@dataclass(frozen=True, slots=True)
class FacetCount:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True, slots=True)
class Hit:
    section: Section
    snippet: str  # escaped HTML with the query's hits in <mark>
    score: float | None


@dataclass(frozen=True, slots=True)
class SearchResult:
    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetCount]]
    terms: frozenset[str] = frozenset()
    notices: tuple[str, ...] = ()

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))


class _Parser(qparser.QueryParser):  # type: ignore[misc]
    """Whoosh's multi-field parser (`MultifieldParser`), but a wildcard's letters are not
    stemmed.

    Whoosh runs `ale*` through the stemmer ("ale" -> "al") and then matches every word
    starting with "al". Index terms are stems, so the typed letters, in lower case, are the
    right prefix.
    """

    def __init__(self, fieldboosts: dict[str, float], schema: Any) -> None:
        super().__init__(None, schema)
        self.add_plugin(qparser.MultifieldPlugin(list(fieldboosts), fieldboosts=fieldboosts))

    def term_query(self, fieldname: str, text: str, termclass: Any, boost: float = 1.0,
                   tokenize: bool = True, removestops: bool = True) -> query.Query:
        if termclass in (query.Prefix, query.Wildcard):
            return termclass(fieldname, text.lower(), boost=boost)
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


@dataclass(slots=True)
class _Columns:
    """Facet and sort columns of one build as arrays indexed by document number."""

    codes: dict[str, np.ndarray]
    vocab: dict[str, list[str]]
    lookup: dict[str, dict[str, int]]  # facet -> folded value -> code
    chron: np.ndarray  # report rank by (updated, report_id), ascending
    position: np.ndarray
    live: np.ndarray  # bool: not deleted
    report_docs: dict[str, list[int]] = field(default_factory=dict)

    @property
    def all_live(self) -> bool:
        return bool(self.live.all())


class _Generation:
    """One build in service: the opened index, its searcher and cached columns."""

    def __init__(self, opened: OpenedIndex) -> None:
        self.opened = opened
        self.searcher = opened.whoosh.searcher()
        self.columns = self._load_columns()
        self.terms = TermIndex(self.searcher, tuple(TEXT_FIELDS))
        self.stored = StoredFields(self.searcher.reader())
        cols = self.columns
        self.browse: BrowseOrder[dict[str, list[FacetCount]]] = BrowseOrder(
            cols.chron, cols.position, cols.live)
        self.users = 0  # requests using this build now

    def _load_columns(self) -> _Columns:
        reader = self.searcher.reader()
        n = reader.doc_count_all()
        codes: dict[str, np.ndarray] = {}
        vocab: dict[str, list[str]] = {}
        lookup: dict[str, dict[str, int]] = {}
        for facet in FACETS:
            values = list(reader.column_reader(facet.name)) if n else []
            words = sorted(set(values))
            index = {w: i for i, w in enumerate(words)}
            codes[facet.name] = np.fromiter((index[v] for v in values), dtype=np.int32, count=n)
            vocab[facet.name] = words
            lookup[facet.name] = {w.lower(): i for i, w in enumerate(words) if w}
        updated = list(reader.column_reader("updated")) if n else []
        report = list(reader.column_reader("report_id")) if n else []
        position = np.fromiter(reader.column_reader("position"), dtype=np.int64, count=n)
        keys = sorted(set(zip(updated, report, strict=True)))
        rank = {k: i for i, k in enumerate(keys)}
        chron = np.fromiter((rank[k] for k in zip(updated, report, strict=True)), np.int64, n)
        live = np.ones(n, dtype=bool)
        if reader.has_deletions():
            for doc in range(n):
                live[doc] = not reader.is_deleted(doc)
        report_docs: dict[str, list[int]] = {}
        for doc, rid in enumerate(report):
            if live[doc]:
                report_docs.setdefault(rid, []).append(doc)
        return _Columns(codes, vocab, lookup, chron, position, live, report_docs)

    def close(self) -> None:
        self.searcher.close()


class Archive:
    """The archive's search service over the index directory in service."""

    def __init__(
        self, index_dir: Path, build_hint: str = DEFAULT_BUILD_HINT, vectorised: bool = True
    ) -> None:
        # vectorised=False answers every query with Whoosh's own matchers and collector (the
        # reference the vectorised path is tested against).
        self.vectorised = vectorised
        self.index_dir = index_dir
        self.build_hint = build_hint
        self._lock = threading.RLock()
        self._build: Path | None = None
        self._gen: _Generation | None = None
        self._retired: list[_Generation] = []  # swapped out, closed once no request uses them
        self._generation()  # raises IndexUnavailable when there is nothing to serve

    # -- the build in service ---------------------------------------------------------------

    def _generation(self) -> _Generation:
        """The current build, reopened when a new one has been swapped in."""
        build = current_build(self.index_dir)
        gen = self._gen
        if gen is not None and build == self._build:
            return gen
        with self._lock:
            if self._gen is not None and build == self._build:
                return self._gen
            try:
                new = self._open()
            except IndexUnavailable:
                if self._gen is None:
                    raise
                return self._gen  # keep serving the last good build
            opened = new.opened
            old, self._gen, self._build = self._gen, new, opened.path
            if old is not None:
                self._retired.append(old)
            self._close_idle()
            return new

    def _open(self) -> _Generation:
        opened = open_index(self.index_dir, self.build_hint)
        try:
            gen = _Generation(opened)
            self._warm(gen)
            return gen
        except Exception as exc:  # a damaged segment fails in many ways inside Whoosh
            opened.whoosh.close()
            raise IndexUnavailable(
                f"index at {self.index_dir} cannot be read ({type(exc).__name__}: {exc}) "
                f"— rebuild it with: {self.build_hint}"
            ) from exc

    def close(self) -> None:
        """Close the build in service and any retired ones (the archive cannot search after)."""
        with self._lock:
            for gen in [*self._retired, *([self._gen] if self._gen else [])]:
                gen.close()
            self._retired.clear()
            self._gen = None
            self._build = None

    def __del__(self) -> None:
        # Like a file object, an archive dropped without close() releases its open files.
        with contextlib.suppress(Exception):
            self.close()

    def _warm(self, gen: _Generation) -> None:
        """Run a search and a browse once, before the build serves anyone, so that the first
        person's search does not pay for first-use set-up (parser, highlighter, arrays)."""
        for req in (SearchRequest(q=WARM_QUERY), SearchRequest()):
            self._search(gen, req)

    def _close_idle(self) -> None:
        """Close retired builds that no request is using any more."""
        for gen in [g for g in self._retired if g.users == 0]:
            gen.close()
            self._retired.remove(gen)

    @contextlib.contextmanager
    def _using(self) -> Iterator[_Generation]:
        """The build in service, held open for the length of one request."""
        gen = self._generation()
        with self._lock:
            gen.users += 1
        try:
            yield gen
        finally:
            with self._lock:
                gen.users -= 1
                if gen is not self._gen:
                    self._close_idle()

    @property
    def manifest(self) -> dict[str, Any]:
        return self._generation().opened.manifest

    def drop_caches(self) -> None:
        """Empty the query-time caches of the build in service (decoded postings and
        positions), as after a restart; for measuring cold queries."""
        with self._lock:
            gen = self._generation()
            gen.terms.drop_caches()

    def section_count(self) -> int:
        return int(self._generation().columns.live.sum())

    def report_count(self) -> int:
        return len(self._generation().columns.report_docs)

    # -- queries ----------------------------------------------------------------------------

    def parse_query(self, q: str) -> query.Query:
        """The engine query for the user's text (syntax already checked by `parse_request`).

        Parsing needs only the schema, which every build of this schema version shares, so it
        never touches the build in service.
        """
        parsed = _query_parser().parse(q)
        if parsed is query.NullQuery or isinstance(parsed, type(query.NullQuery)):
            raise QueryProblem(
                "The query has no words to search for (common words such as "
                "'the' and 'and' are not indexed)."
            )
        return parsed

    def _check_expansion(self, q: query.Query, reader: Any) -> None:
        for sub in q.leaves():
            if isinstance(sub, query.PatternQuery):
                for count, _ in enumerate(sub._btexts(reader), start=1):
                    if count > MAX_EXPANSION:
                        raise QueryProblem(
                            f"{sub.text!r} matches more than {MAX_EXPANSION} different words; "
                            "add letters before the wildcard."
                        )

    def _filter_codes(
        self, cols: _Columns, filters: Mapping[str, tuple[str, ...]]
    ) -> tuple[dict[str, np.ndarray], dict[str, list[str]]]:
        """Facet -> codes selected (values match case-insensitively), and selected values
        that are valid but held by no section (they select nothing)."""
        out: dict[str, np.ndarray] = {}
        absent: dict[str, list[str]] = {}
        for name, values in filters.items():
            facet = FACETS_BY_NAME[name]
            known = {v.lower(): v for v in facet.known}
            codes = []
            for value in values:
                code = cols.lookup[name].get(value.lower())
                if code is not None:
                    codes.append(code)
                elif value.lower() in known:
                    absent.setdefault(name, []).append(known[value.lower()])
                else:
                    raise QueryProblem(self._unknown_value(cols, name, value))
            out[name] = np.array(sorted(set(codes)), dtype=np.int32)
        return out, absent

    @staticmethod
    def _unknown_value(cols: _Columns, name: str, value: str) -> str:
        facet = FACETS_BY_NAME[name]
        values = sorted({*(v for v in cols.vocab[name] if v), *facet.known}, key=facet.sort_key)
        shown = [
            f"{facet.value_label(v)} ({v})" if facet.value_label(v) != v else v for v in values[:12]
        ]
        more = f" and {len(values) - 12} more" if len(values) > 12 else ""
        return (
            f"Unknown {facet.label.lower()} {value[:60]!r}. "
            f"Values in the archive: {', '.join(shown) or 'none'}{more}."
        )

    def search(self, req: SearchRequest, snippets: bool = True) -> SearchResult:
        """One page of hits with every facet's counts; `snippets=False` leaves them empty
        (for exports, which carry the whole text)."""
        with self._using() as gen, self._lock:
            return self._search(gen, req, snippets)

    def _search(self, gen: _Generation, req: SearchRequest, snippets: bool = True
                ) -> SearchResult:
        cols = gen.columns
        searcher = gen.searcher
        selected, absent = self._filter_codes(cols, req.filters)
        q: query.Query | None = None
        scores: np.ndarray | None = None
        if req.q:
            q = self.parse_query(req.q)
            self._check_expansion(q, searcher.reader())
            fast = gen.terms.evaluate(q) if self.vectorised else None
            if fast is not None:
                matched, scores = fast
                if not cols.all_live:
                    alive = cols.live[matched]
                    matched, scores = matched[alive], scores[alive]
            elif self.vectorised:
                # One pass of Whoosh's matchers collects every match with its score.
                every = searcher.search(q, limit=None).top_n
                matched = np.fromiter((d for _, d in every), dtype=np.int64, count=len(every))
                scores = np.fromiter((sc for sc, _ in every), dtype=np.float64, count=len(every))
                order = np.argsort(matched, kind="stable")
                matched, scores = matched[order], scores[order]
            else:
                matched = np.fromiter(searcher.docs_for_query(q), dtype=np.int64)
                matched.sort()
        elif self.vectorised:
            # Browsing: the build's live documents already in the page's order.
            newest = req.effective_sort != "oldest"
            matched = gen.browse.ordered(newest)
        else:
            matched = np.flatnonzero(cols.live)
        presorted = q is None and self.vectorised

        if presorted and len(selected) == 1:
            # Browsing one facet's values: precomputed per-value orders and joint counts.
            ((name, codes),) = selected.items()
            docs = gen.browse.with_values(name, cols.codes, codes, newest)
            facets = self._facet_lists(
                cols, gen.browse.counts_given(name, cols.codes, codes), selected, absent)
        else:
            masks = {
                name: np.isin(cols.codes[name][matched], codes)
                for name, codes in selected.items()
            }
            keep = np.ones(len(matched), dtype=bool)
            for mask in masks.values():
                keep &= mask
            docs = matched[keep]
            if presorted and not selected and not absent:
                unfiltered = gen.browse.unfiltered_counts(
                    lambda: self._count_facets(cols, matched, masks, selected, absent))
                facets = {name: list(values) for name, values in unfiltered.items()}
            else:
                facets = self._count_facets(cols, matched, masks, selected, absent)
        start = (req.page - 1) * req.per_page
        end = start + req.per_page
        page_docs: list[tuple[int, float | None]] = []
        sort = req.effective_sort
        notices: list[str] = []
        if start < len(docs):
            if sort == "relevance" and q is not None and scores is not None:
                top = _top(docs, scores[keep], end)[start:end]
                page_docs = [(int(d), float(sc)) for d, sc in top]
            elif sort == "relevance" and q is not None:
                allow = None if len(docs) == len(matched) else set(docs.tolist())
                results = searcher.search(q, limit=end, filter=allow)
                page_docs = [(hit.docnum, hit.score) for hit in results[start:end]]
            else:
                order = docs if presorted else self._chronological(
                    cols, docs, newest=sort != "oldest")
                page_docs = [(int(d), None) for d in order[start:end]]
        elif len(docs):
            notices.append(f"Page {req.page} is past the last page of results.")

        terms = self._terms(q, searcher.reader()) if q is not None else frozenset()
        hits = []
        for docnum, score in page_docs:
            section = from_stored(gen.stored.get(docnum))
            snippet = self.snippet(section.text, terms) if snippets else ""
            hits.append(Hit(section, snippet, score))
        return SearchResult(req, len(docs), hits, facets, terms, tuple(notices))

    @staticmethod
    def _chronological(cols: _Columns, docs: np.ndarray, newest: bool) -> np.ndarray:
        # Reports newest (or oldest) first; sections inside a report in reading order.
        return chronological(cols.chron, cols.position, docs, newest)

    @staticmethod
    def _count_facets(
        cols: _Columns,
        matched: np.ndarray,
        masks: dict[str, np.ndarray],
        selected: dict[str, np.ndarray],
        absent: dict[str, list[str]],
    ) -> dict[str, list[FacetCount]]:
        """Counts per facet over the match set filtered by every *other* facet."""
        counts: dict[str, np.ndarray] = {}
        for facet in FACETS:
            keep = np.ones(len(matched), dtype=bool)
            for name, mask in masks.items():
                if name != facet.name:
                    keep &= mask
            counts[facet.name] = np.bincount(cols.codes[facet.name][matched[keep]],
                                             minlength=len(cols.vocab[facet.name]))
        return Archive._facet_lists(cols, counts, selected, absent)

    @staticmethod
    def _facet_lists(
        cols: _Columns,
        all_counts: dict[str, np.ndarray],
        selected: dict[str, np.ndarray],
        absent: dict[str, list[str]],
    ) -> dict[str, list[FacetCount]]:
        """Each facet's values as listed: those counted or chosen, in the facet's order."""
        out: dict[str, list[FacetCount]] = {}
        for facet in FACETS:
            vocab = cols.vocab[facet.name]
            counts = all_counts[facet.name]
            chosen = set(selected.get(facet.name, np.array([], dtype=np.int32)).tolist())
            # Only the values counted or chosen, in vocabulary order (the sorts below are stable).
            shown = sorted(chosen.union(np.flatnonzero(counts).tolist()))
            values = [
                FacetCount(vocab[i], facet.value_label(vocab[i]), int(counts[i]), i in chosen)
                for i in shown
                if vocab[i]
            ]
            values += [
                FacetCount(v, facet.value_label(v), 0, True) for v in absent.get(facet.name, [])
            ]
            if facet.by_count:
                values.sort(key=lambda v: (-v.count, v.value.lower()))
            else:
                values.sort(key=lambda v: facet.sort_key(v.value))
            out[facet.name] = values
        return out

    def _terms(self, q: query.Query, reader: Any) -> frozenset[str]:
        # Not Query.existing_terms: in Whoosh 2.7 it skips every leaf after the first field.
        terms: set[str] = set()
        for leaf in q.leaves():
            for fieldname, text in leaf.expanded_terms(reader, phrases=True):
                if fieldname not in TEXT_FIELDS:
                    continue
                word = text.decode("utf-8") if isinstance(text, bytes) else text
                if (fieldname, word) in reader:
                    terms.add(word)
        return frozenset(terms)

    # -- text -------------------------------------------------------------------------------

    def snippet(self, text: str, terms: frozenset[str]) -> str:
        """Escaped HTML: the passages around the hits, or the opening of the text."""
        return highlight.snippet(text, terms)

    def highlight_all(self, text: str, terms: frozenset[str]) -> str:
        """Escaped HTML of the whole text with every hit in <mark>."""
        return highlight.mark_all(text, terms)

    def query_terms(self, q: str) -> frozenset[str]:
        """The indexed words a query looks for (for highlighting a report page)."""
        if not q:
            return frozenset()
        with self._using() as gen, self._lock:
            parsed = self.parse_query(q)
            self._check_expansion(parsed, gen.searcher.reader())
            return self._terms(parsed, gen.searcher.reader())

    # -- reports ----------------------------------------------------------------------------

    def report(self, report_id: str) -> list[Section] | None:
        """Every section of one report in reading order, or None if there is no such report."""
        with self._using() as gen, self._lock:
            docs = gen.columns.report_docs.get(report_id)
            if not docs:
                return None
            sections = [from_stored(gen.searcher.stored_fields(d)) for d in docs]
        return sorted(sections, key=lambda s: s.position)


@functools.lru_cache(maxsize=1)
def _query_schema() -> Any:
    return whoosh_schema()


@functools.lru_cache(maxsize=1)
def _query_parser() -> _Parser:
    """The query parser, built once (building one costs more than most searches); parsing
    keeps no state in it."""
    parser = _Parser(TEXT_FIELDS, _query_schema())
    parser.remove_plugin_class(qparser.FieldsPlugin)
    parser.remove_plugin_class(qparser.BoostPlugin)
    # "[a TO z]" would expand to every indexed word in between: brackets are plain text.
    parser.remove_plugin_class(qparser.RangePlugin)
    return parser


def _top(docs: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The `k` best (doc, score) pairs: highest score first, then lowest document number,
    the order Whoosh's collector gives."""
    if len(docs) > 4 * k:
        # Keep every document scoring at least the k-th best score (ties included).
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        pick = np.flatnonzero(scores >= kth)
        docs, scores = docs[pick], scores[pick]
    order = np.lexsort((docs, -scores))[:k]
    return list(zip(docs[order].tolist(), scores[order].tolist(), strict=True))
