"""The search engine behind the site: one open index, queries, facet counts and snippets.

This module and `indexer.store` are the only ones that know the engine is Whoosh. An `Archive`
keeps its searchers open and reopens them only when a new build is swapped in; each search in
flight has a searcher of its own (a small pool per build), so searches run in parallel threads.
Every search is held to the budget of `indexer.search.budget` (expansion and wall clock).
Facet counts use int-coded copies of the facet columns, cached per build, so a query's counts
cost a few array operations over its match set; the page's hits alone have their stored fields
loaded and highlighted.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import collectors, qparser, query

from indexer.model import Section
from indexer.schema import FACETS, FACETS_BY_NAME, TEXT_FIELDS, WORDS_FIELD
from indexer.search import highlight, lang, linear, suggest
from indexer.search.browse import BrowseOrder, chronological
from indexer.search.budget import MAX_EXPANSION as MAX_EXPANSION
from indexer.search.budget import Deadline, Expansion, SearchTooBroad
from indexer.search.facet_lists import FacetLists
from indexer.search.fields import active_fields, resolve
from indexer.search.plainwords import plain_query
from indexer.search.request import MAX_PAGE, QueryProblem, SearchRequest, check_syntax
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

LOG = logging.getLogger("indexer.search")
READER_CACHE_BYTES = 32 * 1024 * 1024  # postings cached per searcher in the pool
RECENT_MATCHES = 8  # match sets kept per build
WARM_QUERY = '"police force" OR force OR police'  # words any inspection report has
DEFAULT_BUILD_HINT = "peel-index build corpus/ --index-dir DIR"

__all__ = [
    "Archive",
    "FacetCount",
    "Hit",
    "IndexReadError",
    "IndexUnavailable",
    "QueryProblem",
    "ReportTags",
    "SearchRequest",
    "SearchResult",
    "SearchTooBroad",
    "Selection",
]


class IndexReadError(Exception):
    """The build in service failed to read during a request (damaged since it was opened).

    Its message is a sentence for the person searching; the cause is logged, with the build.
    """


@dataclass(frozen=True, slots=True)
class FacetCount:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True, slots=True)
class Hit:
    section: Section
    snippet: highlight.Snippet  # the passages around the query's hits, as spans
    score: float | None


@dataclass(frozen=True, slots=True)
class ReportTags:
    """One report of the build in service: its section count and its first section's facet
    values (cycle, force and report type are the same for every section of a report)."""

    report_id: str
    sections: int
    tags: dict[str, str]


@dataclass(frozen=True, slots=True)
class SearchResult:
    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetCount]]
    terms: frozenset[str] = frozenset()
    notices: tuple[str, ...] = ()
    # What the query language made of `request.q` (indexer.search.lang): its field terms as
    # filters (values as stored), the glossary entries it used, and a corrected query when
    # the words found little ("" when none is better).
    query_filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    understood: lang.Understood = field(default_factory=lambda: lang.Understood(""))
    suggestion: str = ""

    @property
    def pages(self) -> int:
        """The pages a user can ask for: past `MAX_PAGE` a request is refused, so a search
        of more than `MAX_PAGE` pages (per_page=1 over a large archive) offers `MAX_PAGE`."""
        return max(1, min(MAX_PAGE, -(-self.total // self.request.per_page)))


@dataclass(frozen=True, slots=True)
class Selection:
    """What a request selects, as document numbers into the build's facet columns.

    `docs` match the words and the filters, `base` the filters alone (a denominator).
    `codes[facet][doc]` is the index into `vocab[facet]` of the document's value ("" included);
    `reports[doc]` is a number unique to the document's report.
    """

    docs: np.ndarray
    base: np.ndarray
    codes: Mapping[str, np.ndarray]
    vocab: Mapping[str, list[str]]
    reports: np.ndarray

    def code(self, facet: str, value: str) -> int:
        """The code of `value` in `facet` (-1 when no document has it)."""
        try:
            return self.vocab[facet].index(value)
        except ValueError:
            return -1


class _Parser(qparser.QueryParser):  # type: ignore[misc]
    """Whoosh's multi-field parser (`MultifieldParser`), but wildcards and fuzzy terms match
    the words as written.

    Whoosh would run `communit*` through the stemmer and match stems ("commun", which is
    also the stem of "communication"); here prefixes, wildcards and `word~` are matched in
    the unstemmed `words` field (heading and text), in lower case.
    """

    def __init__(self, fieldboosts: dict[str, float], schema: Any) -> None:
        super().__init__(None, schema)
        self.add_plugin(qparser.MultifieldPlugin(list(fieldboosts), fieldboosts=fieldboosts))
        # Linear-cost ANDNOT/ANDMAYBE/REQUIRE (Whoosh's own cost 2^n for a chain of n).
        self.replace_plugin(linear.operators_plugin())
        # "*:*" would match every document: refused by the request check, and never parsed.
        self.remove_plugin_class(qparser.EveryPlugin)

    def term_query(self, fieldname: str, text: str, termclass: Any, boost: float = 1.0,
                   tokenize: bool = True, removestops: bool = True) -> query.Query:
        if termclass in (query.Prefix, query.Wildcard, query.FuzzyTerm):
            # The same query for each text field; normalising the OR keeps one of them.
            # Scored (BM25 over the words matched), not Whoosh's constant score, which it
            # gives only when a segment holds more than one matching word.
            return termclass(WORDS_FIELD, text.lower(), constantscore=False)
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


@dataclass(frozen=True, slots=True)
class _Match:
    """A query's match set (document numbers, ascending) and the filters' selection of it."""

    q: query.Query | None
    matched: np.ndarray
    scores: np.ndarray | None  # aligned with `matched`; None without a query
    masks: dict[str, np.ndarray]  # facet -> which of `matched` it keeps
    keep: np.ndarray  # every facet's mask combined
    docs: np.ndarray  # matched[keep]
    selected: dict[str, np.ndarray]
    absent: dict[str, list[str]]
    stored: dict[str, dict[str, str]]  # each filter value as given -> as stored


@dataclass(slots=True)
class _Columns:
    """Facet and sort columns of one build as arrays indexed by document number."""

    codes: dict[str, np.ndarray]
    vocab: dict[str, list[str]]
    lookup: dict[str, dict[str, int]]  # facet -> folded value -> code
    chron: np.ndarray  # report rank by (updated, report_id), ascending
    position: np.ndarray
    live: np.ndarray  # bool: not deleted
    report_docs: dict[str, list[int]]  # report id -> its live documents
    lists: FacetLists  # the facets' labels and orders

    @property
    def all_live(self) -> bool:
        return bool(self.live.all())


@dataclass(slots=True)
class _Reader:
    """One searcher of a build and its vectorised term index: used by one search at a time
    (Whoosh's file readers and the term cache are not shared between threads)."""

    searcher: Any
    terms: TermIndex
    stored: StoredFields


class _Generation:
    """One build in service: the opened index, its pool of searchers and cached columns."""

    def __init__(self, opened: OpenedIndex) -> None:
        self.opened = opened
        self._pool_lock = threading.Lock()
        self._free: list[_Reader] = []
        self._all: list[_Reader] = []
        with self.reader() as first:
            self.columns = self._load_columns(first.searcher)
        cols = self.columns
        # Browsing without words: date orders, per-value orders and counts of this build.
        self.browse: BrowseOrder[dict[str, list[FacetCount]]] = BrowseOrder(
            cols.chron, cols.position, cols.live)
        self.browse.prepare(cols.codes)
        self.users = 0  # requests using this build now
        # The last few queries' match sets (read-only arrays): a research view asks for the
        # same words' matches twice (its data and its sidebar), and paging asks again.
        self.recent: OrderedDict[str, tuple[Any, np.ndarray, np.ndarray | None]] = OrderedDict()
        self.recent_lock = threading.Lock()  # searches run in several threads

    @property
    def searcher(self) -> Any:
        """The build's first searcher (for reading the build outside a search)."""
        return self._all[0].searcher

    @contextlib.contextmanager
    def reader(self) -> Iterator[_Reader]:
        """A searcher of this build for the caller alone, returned to the pool after."""
        with self._pool_lock:
            rd = self._free.pop() if self._free else None
        if rd is None:
            searcher = self.opened.whoosh.searcher()
            rd = _Reader(searcher, TermIndex(searcher, tuple(TEXT_FIELDS), READER_CACHE_BYTES),
                         StoredFields(searcher.reader()))
            with self._pool_lock:
                self._all.append(rd)
        try:
            yield rd
        finally:
            with self._pool_lock:
                self._free.append(rd)

    def _load_columns(self, searcher: Any) -> _Columns:
        # A build holds at least one section (the store refuses an empty one).
        reader = searcher.reader()
        n = reader.doc_count_all()
        codes: dict[str, np.ndarray] = {}
        vocab: dict[str, list[str]] = {}
        lookup: dict[str, dict[str, int]] = {}
        for facet in FACETS:
            values = list(reader.column_reader(facet.name))
            words = sorted(set(values))
            index = {w: i for i, w in enumerate(words)}
            codes[facet.name] = np.fromiter((index[v] for v in values), dtype=np.int32, count=n)
            vocab[facet.name] = words
            lookup[facet.name] = {w.lower(): i for i, w in enumerate(words) if w}
        report = list(reader.column_reader("report_id"))
        position = np.fromiter(reader.column_reader("position"), dtype=np.int64, count=n)
        dated = list(zip(reader.column_reader("updated"), report, strict=True))
        rank = {k: i for i, k in enumerate(sorted(set(dated)))}
        chron = np.fromiter((rank[k] for k in dated), np.int64, n)
        live = np.ones(n, dtype=bool)
        if reader.has_deletions():
            for doc in range(n):
                live[doc] = not reader.is_deleted(doc)
        report_docs: dict[str, list[int]] = {}
        for doc, rid in enumerate(report):
            if live[doc]:
                report_docs.setdefault(rid, []).append(doc)
        return _Columns(codes, vocab, lookup, chron, position, live, report_docs,
                        FacetLists(vocab))

    def close(self) -> None:
        with self._pool_lock:
            for rd in self._all:
                rd.searcher.close()
            self._all.clear()
            self._free.clear()


class Archive:
    """The archive's search service over the index directory in service."""

    def __init__(
        self,
        index_dir: Path,
        build_hint: str = DEFAULT_BUILD_HINT,
        vectorised: bool = True,
        search_seconds: float | None = None,
    ) -> None:
        # vectorised=False answers every query with Whoosh's own matchers and collector (the
        # reference the vectorised path is tested against).
        self.vectorised = vectorised
        # Wall-clock budget of one search (None: no limit); past it, SearchTooBroad.
        self.search_seconds = search_seconds
        self._stopping = threading.Event()  # set by stop_searches()
        self.index_dir = index_dir
        self.build_hint = build_hint
        self._lock = threading.RLock()
        self._build: Path | None = None
        self._gen: _Generation | None = None
        self._retired: list[_Generation] = []  # swapped out, closed once no request uses them
        # A build that failed to open is refused once: it is not tried again on every request.
        self._refused: Path | None = None
        self._generation()  # raises IndexUnavailable when there is nothing to serve

    # -- the build in service ---------------------------------------------------------------

    def _generation(self) -> _Generation:
        """The current build, reopened when a new one has been swapped in."""
        build = current_build(self.index_dir)
        gen = self._gen
        if gen is not None and build in (self._build, self._refused):
            return gen
        with self._lock:
            if self._gen is not None and build in (self._build, self._refused):
                return self._gen
            try:
                new = self._open()
            except IndexUnavailable as exc:
                if self._gen is None:
                    raise
                self._refused = build
                LOG.error(
                    "refused build %s: %s; still serving build %s",
                    build.name if build else "(none)", " ".join(str(exc).split()),
                    self._build.name if self._build else "(none)",
                )
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
            with gen.reader() as rd:
                self._search(gen, rd, req, Deadline(None))

    def _close_idle(self) -> None:
        """Close retired builds that no request is using any more."""
        for gen in [g for g in self._retired if g.users == 0]:
            gen.close()
            self._retired.remove(gen)

    @contextlib.contextmanager
    def _using(self) -> Iterator[_Generation]:
        """The build in service, held open for the length of one request.

        A failure to read it (a segment damaged since it was verified) is logged with the
        build and raised as `IndexReadError`; a `QueryProblem` or `SearchTooBroad` (the request's
        own limits) passes through.
        """
        gen = self._generation()
        with self._lock:
            gen.users += 1
        try:
            yield gen
        except (QueryProblem, SearchTooBroad, IndexReadError):
            raise
        except Exception as exc:
            LOG.error("reading build %s failed during a request: %s: %s",
                      gen.opened.path.name, type(exc).__name__, " ".join(str(exc).split())[:300])
            raise IndexReadError(
                "The archive's index could not be read just now, so this request could not be "
                "answered; the error has been logged. Please try again later."
            ) from exc
        finally:
            with self._lock:
                gen.users -= 1
                if gen is not self._gen:
                    self._close_idle()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Any]:
        """The Whoosh searcher of the build in service, held open (and the archive's lock
        held) for the block: for the library's own modules (suggest, similar)."""
        with self._using() as gen, gen.reader() as rd:
            yield rd.searcher

    @property
    def manifest(self) -> dict[str, Any]:
        return self._generation().opened.manifest

    def deadline(self) -> Deadline:
        """A new search's wall-clock budget."""
        return Deadline(self.search_seconds, self._stopping)

    def stop_searches(self) -> None:
        """Make every search in flight stop at its next budget check (at server shutdown)."""
        self._stopping.set()

    def drop_caches(self) -> None:
        """Empty the query-time caches of the build in service (decoded postings and
        positions, idf values, recent match sets), as after a restart; for measuring cold
        queries. What is derived from the build alone when it is opened (facet columns, browse
        orders and count tables, facet ranks) stays, as it would after a restart."""
        gen = self._generation()
        with gen._pool_lock:
            readers = list(gen._all)
        for rd in readers:
            rd.terms.drop_caches()
        with gen.recent_lock:
            gen.recent.clear()

    def section_count(self) -> int:
        return int(self._generation().columns.live.sum())

    def report_count(self) -> int:
        return len(self._generation().columns.report_docs)

    # -- queries ----------------------------------------------------------------------------

    def parse_query(self, q: str, literal: bool = False) -> query.Query:
        """The engine query for the user's text (syntax already checked by `parse_request`),
        read in the archive's query language (`indexer.search.lang`): field terms left out
        (they are filters), signs and the glossary applied (not with `literal`).

        Parsing needs only the schema, which every build of this schema version shares, so it
        never touches the build in service.
        """
        check_syntax(q)  # a request built in Python may not have come through parse_request
        text = lang.understand(q, literal).text
        parsed = plain_query(_query_parser(), TEXT_FIELDS, text)  # plain words: known answer
        if parsed is None:
            parsed = _query_parser().parse(text)
        for leaf in parsed.leaves():
            if isinstance(leaf, query.FuzzyTerm):
                # The first letter must match: a fuzzy word is never expanded over the whole
                # vocabulary.
                leaf.prefixlength = max(1, leaf.prefixlength)
        if isinstance(parsed, type(query.NullQuery)):
            raise QueryProblem(
                "The query has no words to search for (common words such as "
                "'the' and 'and' are not indexed)."
            )
        return parsed

    def _check_expansion(self, q: query.Query, reader: Any, deadline: Deadline) -> None:
        """Every wildcard, prefix and fuzzy term of the query, expanded against the index,
        counted together against the budget (raises QueryProblem or SearchTooBroad)."""
        expansion = Expansion(deadline)
        for sub in q.leaves():
            if isinstance(sub, query.MultiTerm):
                # Each field's expansion is work of its own: heading and text both count.
                expansion.count(str(getattr(sub, "text", sub)), sub._btexts(reader),
                                fuzzy=isinstance(sub, query.FuzzyTerm))

    def _filter_codes(
        self, cols: _Columns, filters: Mapping[str, tuple[str, ...]],
        query_filters: Mapping[str, tuple[str, ...]] | None = None,
    ) -> tuple[dict[str, np.ndarray], dict[str, list[str]], dict[str, dict[str, str]]]:
        """Facet -> codes selected, selected values that are valid but held by no section
        (they select nothing), and each value as given -> as stored. Values may be written
        as the stored value in any case, a short name, slug or alias
        (`indexer.search.fields`); the query's field terms add to the URL's filters."""
        out: dict[str, np.ndarray] = {}
        absent: dict[str, list[str]] = {}
        stored: dict[str, dict[str, str]] = {}
        given: dict[str, list[tuple[str, bool]]] = {}
        for name, values in filters.items():
            given.setdefault(name, []).extend((v, False) for v in values)
        for name, values in (query_filters or {}).items():
            given.setdefault(name, []).extend((v, True) for v in values)
        for name, pairs in given.items():
            facet = FACETS_BY_NAME[name]
            candidates = [*cols.vocab[name], *facet.known]
            codes = []
            for value, from_query in pairs:
                canonical = resolve(name, value, candidates)
                if canonical is None:
                    raise QueryProblem(self._unknown_value(cols, name, value, from_query))
                stored.setdefault(name, {})[value] = canonical
                code = cols.lookup[name].get(canonical.lower())
                if code is not None:
                    codes.append(code)
                elif canonical not in absent.get(name, []):
                    absent.setdefault(name, []).append(canonical)
            out[name] = np.array(sorted(set(codes)), dtype=np.int32)
        return out, absent, stored

    @staticmethod
    def _unknown_value(cols: _Columns, name: str, value: str, from_query: bool) -> str:
        facet = FACETS_BY_NAME[name]
        values = sorted({*(v for v in cols.vocab[name] if v), *facet.known}, key=facet.sort_key)
        if from_query:
            # A field term in the query: list every valid value (the reader is typing them).
            shown = [facet.value_label(v) for v in values]
            field_name = next((f for f, n in active_fields().items() if n == name), name)
            return (
                f"Unknown {facet.label.lower()} {value[:60]!r} in {field_name}:{value[:60]}. "
                f"Valid values: {'; '.join(shown) or 'none'}."
            )
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
        (for views that show counts or whole texts, not passages).

        Raises QueryProblem (the request's fault) or SearchTooBroad (past the time budget)."""
        deadline = self.deadline()
        with self._using() as gen, gen.reader() as rd:
            return self._search(gen, rd, req, deadline, snippets)

    def matches(self, gen: _Generation, rd: _Reader, req: SearchRequest, deadline: Deadline,
                understood: lang.Understood | None = None) -> _Match:
        """The query's match set with its scores, and what the filters (the URL's and the
        query's field terms) keep of it: shared by a page of results and a whole export.
        `understood` is `req.q` as the query language reads it, when the caller has it."""
        cols = gen.columns
        if understood is None:
            understood = lang.understand(req.q, req.literal) if req.q else lang.Understood("")
        selected, absent, stored = self._filter_codes(cols, req.filters, understood.filters())
        q, matched, scores = self._match(
            gen, rd, req.q if understood.text else "", deadline, req.literal)
        deadline.check()
        masks = {
            name: np.isin(cols.codes[name][matched], codes) for name, codes in selected.items()
        }
        keep = np.ones(len(matched), dtype=bool)
        for mask in masks.values():
            keep &= mask
        docs = matched[keep]
        return _Match(q, matched, scores, masks, keep, docs, selected, absent, stored)

    def _search(self, gen: _Generation, rd: _Reader, req: SearchRequest, deadline: Deadline,
                snippets: bool = True, suggestions: bool = True) -> SearchResult:
        cols = gen.columns
        searcher = rd.searcher
        understood = lang.understand(req.q, req.literal) if req.q else lang.Understood("")
        presorted = self.vectorised and not understood.text
        m: _Match | None = None
        if presorted:  # browsing: the build's own orders and counts (indexer.search.browse)
            docs, stored, facets = self._browse(gen, req, understood)
        else:
            m = self.matches(gen, rd, req, deadline, understood)
            facets = self._count_facets(cols, m.matched, m.masks, m.selected, m.absent)
            docs, stored = m.docs, m.stored
        q = m.q if m is not None else None

        start, end = (req.page - 1) * req.per_page, req.page * req.per_page
        page_docs: list[tuple[int, float | None]] = []
        sort = req.effective_sort
        notices: list[str] = []
        if start < len(docs):
            if sort == "relevance" and m is not None and q is not None and m.scores is not None:
                top = _top(docs, m.scores[m.keep], end)[start:end]
                page_docs = [(int(d), float(sc)) for d, sc in top]
            elif sort == "relevance" and m is not None and q is not None:
                allow = None if len(docs) == len(m.matched) else set(docs.tolist())
                results = _collect(searcher, q, end, deadline, allow)
                page_docs = [(hit.docnum, hit.score) for hit in results[start:end]]
            else:
                order = docs if presorted else self._chronological(
                    cols, docs, newest=sort != "oldest")
                page_docs = [(int(d), None) for d in order[start:end]]
        elif len(docs):
            notices.append(f"Page {req.page} is past the last page of results.")

        terms = self._terms(q, searcher.reader()) if q is not None else frozenset()
        hits = []
        deadline.check()
        for docnum, score in page_docs:
            section = from_stored(rd.stored.get(docnum))
            snippet = self.snippet(section.text, terms) if snippets else highlight.Snippet(())
            hits.append(Hit(section, snippet, score))
        # The request with its filter values as stored ("force=kent" -> "Kent Police"), so
        # that every link built from it toggles the value the sidebar shows.
        canonical = dataclasses.replace(req, filters={
            name: tuple(dict.fromkeys(stored[name][v] for v in values))
            for name, values in req.filters.items()
        })
        query_filters = {
            name: tuple(dict.fromkeys(stored[name][v] for v in values))
            for name, values in understood.filters().items()
        }
        suggestion = ""
        if suggestions and q is not None and len(docs) <= suggest.FEW_RESULTS:
            suggestion = suggest.did_you_mean(self, gen, rd, deadline, canonical, len(docs))
        return SearchResult(canonical, len(docs), hits, facets, terms,
                            (*understood.notices, *notices), query_filters, understood,
                            suggestion)

    def _match(
        self, gen: _Generation, rd: _Reader, text: str, deadline: Deadline, literal: bool
    ) -> tuple[query.Query | None, np.ndarray, np.ndarray | None]:
        """The parsed query, the live documents it matches (ascending) and their scores
        (None when there are no words, or Whoosh's plain path finds the documents).

        The last few match sets of a build are kept: a research view asks for the same words'
        matches twice (its data and its sidebar), and paging asks again."""
        cols = gen.columns
        if not text:
            return None, np.flatnonzero(cols.live), None
        key = f"{int(literal)}:{text}"
        with gen.recent_lock:
            hit = gen.recent.get(key)
            if hit is not None:
                gen.recent.move_to_end(key)
        if hit is not None:
            return hit
        searcher = rd.searcher
        q = self.parse_query(text, literal)
        deadline.check()
        self._check_expansion(q, searcher.reader(), deadline)
        deadline.check()
        scores: np.ndarray | None = None
        fast = rd.terms.evaluate(q) if self.vectorised else None
        if fast is not None:
            matched, scores = fast
            if not cols.all_live:
                alive = cols.live[matched]
                matched, scores = matched[alive], scores[alive]
        elif self.vectorised:
            # One pass of Whoosh's matchers collects every match with its score.
            every = _collect(searcher, q, None, deadline).top_n
            matched = np.fromiter((d for _, d in every), dtype=np.int64, count=len(every))
            scores = np.fromiter((sc for sc, _ in every), dtype=np.float64, count=len(every))
            order = np.argsort(matched)  # document numbers are unique: any sort will do
            matched, scores = matched[order], scores[order]
        else:
            matched = np.fromiter(_checked(searcher.docs_for_query(q), deadline), dtype=np.int64)
            matched.sort()
        for array in (matched, scores):
            if array is not None:
                array.flags.writeable = False
        with gen.recent_lock:
            gen.recent[key] = (q, matched, scores)
            if len(gen.recent) > RECENT_MATCHES:
                gen.recent.popitem(last=False)
        return q, matched, scores

    def select(self, req: SearchRequest) -> Selection:
        """The documents a request selects, as arrays over the build's int-coded facet
        columns: for views that aggregate matches (`indexer.search.research`) rather than
        list them. Raises `QueryProblem` as `search` does."""
        deadline = self.deadline()
        with self._using() as gen, gen.reader() as rd:
            cols = gen.columns
            understood = lang.understand(req.q, req.literal) if req.q else lang.Understood("")
            selected, _, _ = self._filter_codes(cols, req.filters, understood.filters())

            def filtered(docs: np.ndarray) -> np.ndarray:
                keep = np.ones(len(docs), dtype=bool)
                for name, codes in selected.items():
                    keep &= np.isin(cols.codes[name][docs], codes)
                out: np.ndarray = docs[keep]
                return out

            base = filtered(np.flatnonzero(cols.live))
            words = understood.text and req.q
            docs = (filtered(self._match(gen, rd, req.q, deadline, req.literal)[1]) if words
                    else base)
            return Selection(docs, base, cols.codes, cols.vocab, cols.chron)

    def _browse(self, gen: _Generation, req: SearchRequest, understood: lang.Understood
                ) -> tuple[np.ndarray, dict[str, dict[str, str]], dict[str, list[FacetCount]]]:
        """A request without words: its documents already in date order (newest first unless
        it asks for the oldest), each filter value as given -> as stored, and every facet's
        counts, from the build's precomputed orders and count tables; equal to what `matches`
        and `_count_facets` give, sorted."""
        cols = gen.columns
        selected, absent, stored = self._filter_codes(cols, req.filters, understood.filters())
        newest = req.effective_sort != "oldest"
        docs, counts = gen.browse.select(cols.codes, selected, newest)
        if counts is not None:
            facets = self._facet_lists(cols, counts, selected, absent)
        else:
            # Nothing selected: the whole build's lists, made once (never mutated after).
            whole = gen.browse.unfiltered_counts(lambda: self._facet_lists(
                cols, gen.browse.all_counts(cols.codes), {}, {}))
            facets = {name: list(values) for name, values in whole.items()}
        return docs, stored, facets

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
        return cols.lists.lists(FacetCount, all_counts, selected, absent)

    def _terms(self, q: query.Query, reader: Any) -> frozenset[str]:
        # Not Query.existing_terms: in Whoosh 2.7 it skips every leaf after the first field.
        terms: set[str] = set()
        for leaf in q.leaves():
            if isinstance(leaf, query.Phrase) and leaf.fieldname in TEXT_FIELDS:
                # Its words (text, as the analyzer left them) are marked only where they stand
                # together.
                words = list(leaf.words)
                if words and all((leaf.fieldname, w) in reader for w in words):
                    terms.add(highlight.PHRASE + " ".join(words))
                continue
            # A word (text) or each indexed word a wildcard or fuzzy term expands to (bytes).
            for fieldname, text in leaf.expanded_terms(reader):
                word = text.decode() if isinstance(text, bytes) else text
                if fieldname == WORDS_FIELD and (fieldname, word) in reader:
                    terms.add(highlight.AS_WRITTEN + word)  # marks this word only
                elif fieldname in TEXT_FIELDS and (fieldname, word) in reader:
                    terms.add(word)
        return frozenset(terms)

    # -- text -------------------------------------------------------------------------------

    def snippet(self, text: str, terms: frozenset[str]) -> highlight.Snippet:
        """The passages around the hits, or the opening of the text."""
        return highlight.snippet(text, terms)

    def highlight_all(self, text: str, terms: frozenset[str]) -> highlight.Snippet:
        """The whole text, every hit marked."""
        return highlight.mark_all(text, terms)

    def query_terms(self, q: str) -> frozenset[str]:
        """The indexed words a query looks for (for highlighting a report page)."""
        if not q:
            return frozenset()
        if not lang.understand(q).text:
            return frozenset()
        with self._using() as gen, gen.reader() as rd:
            parsed = self.parse_query(q)
            self._check_expansion(parsed, rd.searcher.reader(), self.deadline())
            return self._terms(parsed, rd.searcher.reader())

    # -- reports ----------------------------------------------------------------------------

    def report_tags(self) -> list[ReportTags]:
        """Every report in the build in service with its section count and facet values, read
        from the cached columns (no stored fields are loaded), by report id."""
        with self._using() as gen:
            cols = gen.columns
            return [
                ReportTags(
                    rid,
                    len(docs),
                    {f.name: cols.vocab[f.name][cols.codes[f.name][docs[0]]] for f in FACETS},
                )
                for rid, docs in sorted(cols.report_docs.items())
            ]

    def report(self, report_id: str) -> list[Section] | None:
        """Every section of one report in reading order, or None if there is no such report."""
        with self._using() as gen, gen.reader() as rd:
            docs = gen.columns.report_docs.get(report_id)
            if not docs:
                return None
            sections = [from_stored(rd.searcher.stored_fields(d)) for d in docs]
        return sorted(sections, key=lambda s: s.position)

    def sections_of(self, selection: Selection, docs: Iterator[int] | list[int]
                    ) -> list[Section] | None:
        """The sections of the documents `docs` (numbers from `selection`, an earlier `select`),
        their stored fields read straight from the segments: for views that choose from the
        facet columns the few documents whose text they show. None when another build has
        been swapped in since `select` (its numbers no longer apply: select again)."""
        with self._using() as gen, gen.reader() as rd:
            if gen.columns.codes is not selection.codes:
                return None
            return [from_stored(rd.stored.get(int(d))) for d in docs]


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
    parser.add_plugin(qparser.FuzzyTermPlugin())
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


def _collect(searcher: Any, q: query.Query, limit: int | None, deadline: Deadline,
             allow: set[int] | None = None) -> Any:
    """Whoosh's own search, stopped when the deadline passes (raises SearchTooBroad)."""
    collector = _DeadlineCollector(searcher.collector(limit=limit), deadline)
    if allow is not None:
        collector = collectors.FilterCollector(collector, allow=allow)
    searcher.search_with_collector(q, collector)
    return collector.results()


class _DeadlineCollector(collectors.WrappingCollector):  # type: ignore[misc]
    """Whoosh's matches with the search's deadline checked as they come in (unlike Whoosh's
    TimeLimitCollector, it also stops when the server shuts down). Filters wrap it, so it
    sees every match they look at."""

    def __init__(self, child: Any, deadline: Deadline, every: int = 8) -> None:
        super().__init__(child)
        self.deadline = deadline
        self.every = every

    def matches(self) -> Iterator[int]:
        check = self.deadline.check
        every = self.every
        for n, sub_docnum in enumerate(self.child.matches(), start=1):
            if n % every == 0:
                check()
            yield sub_docnum


def _checked(docs: Iterator[int], deadline: Deadline, every: int = 4096) -> Iterator[int]:
    """The documents, with the deadline checked every `every` of them."""
    for n, doc in enumerate(docs, start=1):
        if n % every == 0:
            deadline.check()
        yield doc
