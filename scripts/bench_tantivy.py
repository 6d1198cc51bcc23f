"""tantivy (its Python bindings) as the benchmark's reference row: the practical limit.

Benchmark only (the optional `bench` extra), never a runtime dependency. Same sections and the
same work per query as the other engines: `heading` and `text` with the `en_stem` tokenizer
(heading boosted 1.5 in the query parser, tantivy's BM25), facets as raw fast text fields,
counts per facet by a terms aggregation filtered by the other facets' selections (facets with
no selection share one aggregation), the top 20 with their stored fields and an HTML snippet
of `text`, and browsing ordered by an integer fast field holding the archive's date order.
Tantivy's stemmer and tokenizer are its own, so its totals are not compared.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench_queries import PER_PAGE, BenchQuery, Outcome

from indexer.model import Section
from indexer.schema import FACET_NAMES, TEXT_FIELDS

try:
    import tantivy
except ImportError:  # the optional `bench` extra is not installed
    tantivy = None

STORED = ("section_id", "report_id", "report_title", "heading", "text", "position")


def available() -> str | None:
    """None when tantivy can be used, else why not."""
    if tantivy is None:
        return "the tantivy package is not installed (pip install -e '.[bench]')"
    return None


class TantivyEngine:
    name = "tantivy"

    def __init__(self, path: Path) -> None:
        self.path = path

    def build(self, sections: Sequence[Section]) -> None:
        assert tantivy is not None
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        sb = tantivy.SchemaBuilder()
        for name in ("heading", "text"):
            sb.add_text_field(name, stored=True, tokenizer_name="en_stem")
        for name in ("section_id", "report_id", "report_title"):
            sb.add_text_field(name, stored=True, tokenizer_name="raw")
        sb.add_integer_field("position", stored=True)
        for name in FACET_NAMES:
            sb.add_text_field(f"f_{name}", tokenizer_name="raw", fast=True)
        sb.add_integer_field("newest", fast=True, indexed=False)
        sb.add_integer_field("oldest", fast=True, indexed=False)
        self.schema = sb.build()
        index = tantivy.Index(self.schema, path=str(self.path))
        # The archive's browse order as two sort keys: reports by (updated, report_id), newest
        # or oldest first, and sections in reading order inside each.
        keys = sorted({(str(s.updated or ""), s.report_id) for s in sections})
        rank = {k: i for i, k in enumerate(keys)}
        writer = index.writer(heap_size=256 * 1024 * 1024, num_threads=2)
        for s in sections:
            r = rank[(str(s.updated or ""), s.report_id)]
            doc: dict[str, Any] = {name: getattr(s, name) or "" for name in STORED}
            doc.update({f"f_{n}": getattr(s, n) or "" for n in FACET_NAMES if getattr(s, n)})
            doc["newest"] = r * 1_000_000 + (999_999 - s.position)
            doc["oldest"] = r * 1_000_000 + s.position
            writer.add_document(tantivy.Document(**doc))
        writer.commit()
        writer.wait_merging_threads()

    def open(self) -> None:
        assert tantivy is not None
        self.index = tantivy.Index.open(str(self.path))
        self.index.reload()
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def close(self) -> None:
        self.searcher = None

    def _filter(self, bq: BenchQuery, skip: str = "") -> list[Any]:
        return [
            (tantivy.Occur.Must, tantivy.Query.term_set_query(self.schema, f"f_{n}", list(vs)))
            for n, vs in bq.filters.items() if n != skip
        ]

    def _query(self, base: Any, bq: BenchQuery, skip: str = "") -> Any:
        clauses = self._filter(bq, skip)
        if not clauses:
            return base
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, base), *clauses])

    def search(self, bq: BenchQuery) -> Outcome:
        s = self.searcher
        if bq.q:
            base = self.index.parse_query(bq.q, list(TEXT_FIELDS), field_boosts=dict(TEXT_FIELDS),
                                          conjunction_by_default=True)
        else:
            base = tantivy.Query.all_query()
        full = self._query(base, bq)
        if bq.q:
            result = s.search(full, limit=PER_PAGE)
        else:
            result = s.search(full, limit=PER_PAGE, order_by_field="newest" if bq.newest
                              else "oldest", order=tantivy.Order.Desc if bq.newest
                              else tantivy.Order.Asc)
        facets: dict[str, dict[str, int]] = {}
        shared = [n for n in FACET_NAMES if n not in bq.filters]
        groups: list[tuple[list[str], Any]] = [(shared, full)] if shared else []
        groups += [([n], self._query(base, bq, skip=n)) for n in bq.filters]
        for names, q in groups:
            agg = {n: {"terms": {"field": f"f_{n}", "size": 10_000}} for n in names}
            got = s.aggregate(q, agg)
            for n in names:
                facets[n] = {b["key"]: b["doc_count"] for b in got[n]["buckets"]}
        chars = 0
        if result.hits:
            gen = (tantivy.SnippetGenerator.create(s, base, self.schema, "text")
                   if bq.q else None)
            for _, address in result.hits:
                doc = s.doc(address)
                if gen is not None:
                    chars += len(gen.snippet_from_doc(doc).to_html())
                else:
                    chars += len(doc["text"][0][:320])
        return Outcome(result.count or 0, len(result.hits), facets, chars)
