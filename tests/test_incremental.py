"""Incremental builds: only new or changed files are parsed; removed ones leave the index."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from indexer.build import Previous, build
from indexer.metadata import PROVENANCE_SUFFIX, SIDECAR_SUFFIX
from indexer.store import open_index

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = FIXTURES / "corpus"


def _report_ids(index_dir: Path) -> set[str]:
    opened = open_index(index_dir, "peel-index build")
    with opened.whoosh.searcher() as searcher:
        ids = {doc["report_id"] for doc in searcher.all_stored_fields()}
    opened.whoosh.close()
    return ids


def _stored(index_dir: Path) -> list[str]:
    opened = open_index(index_dir, "peel-index build")
    with opened.whoosh.searcher() as searcher:
        docs = sorted(repr(sorted(doc.items())) for doc in searcher.all_stored_fields())
    opened.whoosh.close()
    return docs


def test_rebuild_parses_only_changed_files(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index_dir = tmp_path / "index"
    first = build([corpus], index_dir)
    assert len(first.parsed) == len(first.files) == 8
    before = _report_ids(index_dir)

    kent = corpus / "kent-peel-2017-effectiveness.txt"
    kent.write_text(kent.read_text("utf-8").replace("Good", "Good", 1) + "\nA new line.\n", "utf-8")
    (corpus / "durham-peel-2015-legitimacy.txt").unlink()
    shutil.copy(FIXTURES / "formats" / "gwent-2021-22.html", corpus / "gwent-2021-22.html")
    second = build([corpus], index_dir)

    assert sorted(Path(p).name for p in second.parsed) == [
        "gwent-2021-22.html",
        "kent-peel-2017-effectiveness.txt",
    ]
    assert not second.failures
    after = _report_ids(index_dir)
    assert after == (before - {"durham-2015-legitimacy"}) | {"gwent-2021-22"}
    reused = {f.source: f for f in second.files if f.reused}
    assert len(reused) == 6
    # The index built incrementally holds the same sections as one built from scratch.
    fresh = build([corpus], tmp_path / "fresh", incremental=False)
    assert _stored(tmp_path / "fresh") == _stored(index_dir)
    assert second.section_count == fresh.section_count == len(_stored(index_dir))
    assert second.totals == fresh.totals
    assert second.index_path is not None and second.index_path != first.index_path


def test_changing_a_sidecar_reparses_its_report(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index_dir = tmp_path / "index"
    build([corpus], index_dir)
    side = corpus / "kent-peel-2017-effectiveness.txt.meta.json"
    side.write_text('{"url": "https://example.org/kent-2017"}', "utf-8")
    again = build([corpus], index_dir)
    assert [Path(p).name for p in again.parsed] == ["kent-peel-2017-effectiveness.txt"]
    kent = [s for s in again.sections if s.force_slug == "kent"]
    assert kent and all(s.url == "https://example.org/kent-2017" for s in kent)


def test_incremental_build_leaves_the_old_build_intact_and_hides_dropped_reports(
    tmp_path: Path,
) -> None:
    import hashlib

    from indexer.search.engine import Archive
    from indexer.search.request import SearchRequest

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index_dir = tmp_path / "index"
    first = build([corpus], index_dir)
    assert first.index_path is not None
    old_files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in first.index_path.iterdir()}
    archive = Archive(index_dir)
    assert archive.search(SearchRequest(q="xylophone")).total == 1  # only in Durham Q2

    (corpus / "durham-peel-2015-legitimacy.txt").unlink()
    second = build([corpus], index_dir)
    assert second.index_path is not None and first.index_path.exists()
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in first.index_path.iterdir()} == old_files

    # The server's archive picks up the new build; Durham is gone from hits and counts.
    assert archive.search(SearchRequest(q="xylophone")).total == 0
    everything = archive.search(SearchRequest(per_page=100))
    assert everything.total == 43 - 6
    forces = {v.value for v in everything.facets["force"]}
    assert "Durham Constabulary" not in forces
    assert archive.report("durham-2015-legitimacy") is None


def test_repeated_incremental_builds_never_rewrite_large_segments(tmp_path: Path) -> None:
    from whoosh import index as whoosh_index

    from indexer import store

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index_dir = tmp_path / "index"
    build([corpus], index_dir)
    kent = corpus / "kent-peel-2017-effectiveness.txt"
    original = kent.read_text("utf-8")
    store.SMALL_SEGMENT, old = 10, store.SMALL_SEGMENT  # one report's segment is "small"
    try:
        for i in range(6):
            kent.write_text(original + f"\\nAn added note {i}.\\n", "utf-8")
            result = build([corpus], index_dir)
            assert [Path(p).name for p in result.parsed] == [kent.name]
    finally:
        store.SMALL_SEGMENT = old
    assert result.index_path is not None
    ix = whoosh_index.open_dir(str(result.index_path), indexname=store.INDEX_NAME)
    sizes = sorted(seg.doc_count_all() for seg in ix._segments())
    ix.close()
    # The first build's segment (43 sections) is still there, untouched by six rebuilds, and
    # the small segments they left behind were folded together rather than piling up.
    assert 43 in sizes
    assert len(sizes) <= 3


def _previous(corpus: Path, index_dir: Path) -> Previous:
    assert not build([corpus], index_dir).failures
    previous = Previous.find(index_dir)
    assert previous is not None
    return previous


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    return corpus, tmp_path / "index"


def test_the_build_in_service_holds_exactly_its_files_until_one_changes(
    built: tuple[Path, Path],
) -> None:
    corpus, index_dir = built
    previous = _previous(corpus, index_dir)
    assert previous.holds_exactly([corpus])
    kent = corpus / "kent-peel-2017-effectiveness.txt"
    # touched, same bytes: still the same files (the hash decides when size or time differ)
    os.utime(kent, ns=(kent.stat().st_atime_ns, kent.stat().st_mtime_ns + 10**9))
    assert previous.holds_exactly([corpus])
    data = kent.read_bytes()
    kent.write_bytes(data.replace(b"Good", b"Fine", 1))  # same size, new time, new bytes
    assert len(kent.read_bytes()) == len(data)
    assert not previous.holds_exactly([corpus])
    kent.write_bytes(data)
    assert previous.holds_exactly([corpus])


@pytest.mark.parametrize("change", ["added", "removed", "sidecar", "provenance", "not a file"])
def test_any_change_to_the_set_of_files_or_their_companions_is_seen(
    built: tuple[Path, Path], change: str
) -> None:
    corpus, index_dir = built
    previous = _previous(corpus, index_dir)
    kent = corpus / "kent-peel-2017-effectiveness.txt"
    if change == "added":
        shutil.copy(kent, corpus / "kent-copy.txt")
    elif change == "removed":
        kent.unlink()
    elif change == "sidecar":
        (corpus / (kent.name + SIDECAR_SUFFIX)).write_text('{"url": "https://example.org/k"}')
    elif change == "provenance":
        (corpus / (kent.name + PROVENANCE_SUFFIX)).write_text('{"url": "https://example.org/k"}')
    else:
        kent.unlink()
        os.mkfifo(kent)  # a pipe where the file was: never read, never taken as unchanged
    assert not previous.holds_exactly([corpus])


def test_a_damaged_manifest_entry_never_counts_as_unchanged(built: tuple[Path, Path]) -> None:
    corpus, index_dir = built
    previous = _previous(corpus, index_dir)
    source = next(iter(previous.files))
    broken = Previous(previous.path, {**previous.files, source: "not an entry"})
    assert not broken.holds_exactly([corpus])
    assert broken.reuse(next(p for p in corpus.iterdir() if source.endswith(p.name))) is None


def test_a_file_carried_over_is_described_as_a_fresh_parse_describes_it(tmp_path: Path) -> None:
    """An unchanged file is not parsed again: what the build says of it (report, force, cycle,
    pillar, date, address, layout, warnings, encoding, counts) is read back from the manifest.
    The oracle is parsing the file again, from scratch."""
    from indexer.build import parse_file

    shapes = FIXTURES / "shapes"
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    for name in ("devon-and-cornwall-peel-2018-legitimacy-compact.txt",  # a duplicate pair
                 "devon-and-cornwall-peel-2018-legitimacy-full.txt",
                 "durham-2021-22.txt", "durham-2021-22-news.txt", "cumbria-2016-overview.txt"):
        shutil.copy(shapes / name, corpus / name)
    for name in ("gwent-2021-22.html", "state-of-policing-2022.html", "cleveland-2023-25.txt"):
        shutil.copy(FIXTURES / "formats" / name, corpus / name)
    kent = corpus / "kent-peel-2017-effectiveness.txt"  # with a sidecar and a provenance file
    (corpus / (kent.name + SIDECAR_SUFFIX)).write_text('{"url": "https://example.org/kent"}')
    (corpus / (kent.name + PROVENANCE_SUFFIX)).write_text('{"fetched": "2026-01-01"}')
    index_dir = tmp_path / "index"
    first = build([corpus], index_dir)
    again = build([corpus], index_dir)
    assert [f.source for f in again.files] == [f.source for f in first.files]
    # Of the three captures of one report (the corpus's and the two added), two are dropped;
    # a dropped capture has nothing to carry over, so it alone is read again, and dropped again.
    dropped = [f.source for f in first.files if f.dropped]
    assert len(dropped) == 2 and again.parsed == dropped
    assert [f.source for f in again.files if f.dropped] == dropped
    assert [f.source for f in again.files if f.ok] == [f.source for f in first.files if f.ok]
    for carried in again.files:
        fresh = parse_file(corpus / Path(carried.source).name)
        if carried.source in dropped:  # never carried over as a report
            assert carried.report is None and not carried.reused and fresh.report is not None
            continue
        assert carried.reused and carried.report is not None and fresh.report is not None
        a, b = carried.report, fresh.report
        assert (a.report_id, a.title, a.report_type, a.force, a.cycle, a.pillar, a.updated,
                a.url, a.layout) == (
                b.report_id, b.title, b.report_type, b.force, b.cycle, b.pillar, b.updated,
                b.url, b.layout), carried.source  # fmt: skip
        # the file's warnings (its encoding's and its report's) as the build lists them
        assert carried.warnings == fresh.warnings and carried.encoding == fresh.encoding
        assert (carried.sha256, carried.meta_sha256, carried.stat) == (
            fresh.sha256, fresh.meta_sha256, fresh.stat)
        assert carried.section_count == fresh.section_count
        assert carried.facet_counts() == {k: v for k, v in fresh.facet_counts().items() if v}
    assert again.facet_totals() == first.facet_totals()
    assert any(f.report and f.report.url == "https://example.org/kent" for f in again.files)
    assert any(f.report and f.report.updated for f in again.files)
    assert any(f.warnings for f in again.files)
    assert len({f.report.layout for f in again.files if f.report}) > 1


def test_a_file_of_the_same_size_and_time_is_taken_as_unchanged(built: tuple[Path, Path]) -> None:
    """As make and rsync do, a file whose size and modification time are those recorded is not
    read again (reading every byte of a large corpus on each build is what the record saves);
    an edit that keeps both (its time put back by hand) is therefore not seen."""
    corpus, index_dir = built
    kent = corpus / "kent-peel-2017-effectiveness.txt"
    (corpus / (kent.name + SIDECAR_SUFFIX)).write_text('{"url": "https://example.org/k"}')
    previous = _previous(corpus, index_dir)
    assert previous.holds_exactly([corpus])  # its sidecar too, unchanged
    # touched, same bytes: its time differs, so its bytes are read, and they decide
    os.utime(kent, ns=(kent.stat().st_atime_ns, kent.stat().st_mtime_ns + 10**9))
    touched = build([corpus], index_dir)
    assert touched.parsed == [] and all(f.reused for f in touched.files)
    previous = Previous.find(index_dir)
    assert previous is not None
    before = kent.stat()
    data = kent.read_bytes()
    kent.write_bytes(data.replace(b"Good", b"Fine", 1))
    os.utime(kent, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert previous.holds_exactly([corpus])
    again = build([corpus], index_dir)
    assert again.parsed == [] and all(f.reused for f in again.files)
    carried = next(f for f in again.files if f.source.endswith(kent.name))
    assert carried.sha256 == previous.files[carried.source]["sha256"]  # the recorded hash
    os.utime(kent, ns=(before.st_atime_ns, before.st_mtime_ns + 1))  # now the time differs
    assert not previous.holds_exactly([corpus])
    assert [Path(p).name for p in build([corpus], index_dir).parsed] == [kent.name]
