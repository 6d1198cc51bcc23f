"""Whoosh's private internals are used only over the pinned version, and the write patch
changes nothing in the index it writes.

* The same corpus built with `indexer.fastwrite`'s flush and with Whoosh's own gives indexes
  equal in every stored value, term, term statistic, posting (document, weight, positions),
  field length and column, read back through Whoosh's public reader.
* With another Whoosh version, the patch is not installed, vectorised scoring declines every
  query (Whoosh's matchers answer, same results), and a warning names the pinned version.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh import writing

from indexer import fastwrite
from indexer.build import build
from indexer.search.engine import Archive
from indexer.search.request import parse_request
from indexer.store import INDEX_NAME, current_build
from indexer.whoosh_pin import PINNED_VERSION, installed_version
from tests.conftest import FIXTURE_CORPUS, ROOT, SEED

FORMATS = ROOT / "tests" / "fixtures" / "formats"


def index_contents(index_dir: Path) -> dict[str, Any]:
    """Everything a Whoosh index holds, as plain values, read with Whoosh's public API."""
    live = current_build(index_dir)
    assert live is not None
    ix = whoosh_index.open_dir(str(live), indexname=INDEX_NAME)
    out: dict[str, Any] = {}
    with ix.reader() as reader:
        docs = range(reader.doc_count_all())
        out["doc_count"] = reader.doc_count_all()
        out["stored"] = [reader.stored_fields(d) for d in docs]
        for name in reader.indexed_field_names():
            terms = []
            for term in reader.lexicon(name):
                info = reader.term_info(name, term)
                matcher = reader.postings(name, term)
                postings = []
                while matcher.is_active():
                    postings.append((matcher.id(), matcher.weight(), matcher.value()))
                    matcher.next()
                stats = (info.weight(), info.doc_frequency(), info.min_length(),
                         info.max_length(), info.max_weight(), info.min_id(), info.max_id())
                terms.append((term, stats, postings))
            out[f"terms:{name}"] = terms
            if not ix.schema[name].scorable:
                continue
            out[f"length:{name}"] = (reader.field_length(name), reader.min_field_length(name),
                                     reader.max_field_length(name))
            out[f"doc_lengths:{name}"] = [reader.doc_field_length(d, name) for d in docs]
        for name in ix.schema.names():
            if reader.has_column(name):
                out[f"column:{name}"] = list(reader.column_reader(name))
    ix.close()
    return out


def test_the_write_patch_writes_the_same_index_as_whoosh(tmp_path: Path) -> None:
    corpus = [SEED, FIXTURE_CORPUS, FORMATS]
    assert installed_version() == PINNED_VERSION  # else the patch is off and this is vacuous
    patched = build(corpus, tmp_path / "patched", procs=1)
    assert writing.SegmentWriter._flush_segment is fastwrite._flush_segment
    with fastwrite.unpatched():
        plain = build(corpus, tmp_path / "plain", procs=1)
        assert writing.SegmentWriter._flush_segment is not fastwrite._flush_segment
    assert patched.section_count == plain.section_count > 50
    ours, theirs = index_contents(tmp_path / "patched"), index_contents(tmp_path / "plain")
    assert ours.keys() == theirs.keys()
    for key in ours:
        assert ours[key] == theirs[key], key
    assert any(p for _, _, p in ours["terms:text"])  # postings were compared, not nothing


def test_another_whoosh_version_switches_the_internals_off_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    try:
        with caplog.at_level(logging.WARNING, logger="indexer.whoosh"):
            assert fastwrite.patch(installed="2.8.0") is False
            assert writing.SegmentWriter._flush_segment is not fastwrite._flush_segment
            assert f"whoosh-reloaded {PINNED_VERSION}" in caplog.text
            assert "2.8.0 is installed" in caplog.text
    finally:
        assert fastwrite.patch() is True  # the pinned version is installed: back on

    build([SEED, FIXTURE_CORPUS], tmp_path / "ix")
    archive = Archive(tmp_path / "ix")
    try:
        gen = archive._generation()
        query = archive.parse_query("demand victims")
        with gen.reader() as rd:
            assert rd.terms.evaluate(query) is not None  # the pinned version: vectorised
        from indexer.search.vectorised import TermIndex

        other = TermIndex(gen.searcher, ("text",), installed="2.8.0")
        assert other.evaluate(query) is None  # another version: Whoosh's matchers answer
        assert archive.search(parse_request([("q", "demand victims")])).total > 0
    finally:
        archive.close()
