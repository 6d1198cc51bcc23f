"""The index's swap and the build lifecycle, tested directly (not through a reader's fallback).

* `current` is swapped by one atomic rename: a reader polling it while another thread swaps it
  thousands of times never finds it missing, dangling, or pointing at a build without its
  manifest; and a reader polling during real builds never sees a build in service before its
  manifest is written.
* A build held by an in-flight request is neither closed nor replaced under it when a new build
  is swapped in and opened by another request; it is closed once that request ends.
* A failed build (no sections, or interrupted half-way) leaves no `builds/.tmp-*` folder.
* An incremental build parses a report again when its provenance file changes, and parses
  everything again when the parser version changes.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

import indexer.build
from indexer.build import build
from indexer.search.engine import Archive
from indexer.search.request import SearchRequest
from indexer.store import MANIFEST_NAME, current_build, read_manifest, swap_current
from tests.conftest import BROKEN, FIXTURE_CORPUS, SEED

SWAPS = 3000
HANG_GUARD = 120  # seconds: only so that a stuck thread cannot hang the suite


def _poll_current(ix: Path, stop: threading.Event, seen: list[str], problems: list[str]) -> None:
    """Read `current` and its manifest until `stop`; note every state that is not whole."""
    while not stop.is_set():
        build_path = current_build(ix)
        if build_path is None:
            problems.append("current missing")
            continue
        try:
            seen.append(read_manifest(build_path)["build_id"])
        except (OSError, ValueError) as exc:
            problems.append(f"{build_path.name}: {type(exc).__name__}")


def test_a_reader_never_sees_current_missing_across_thousands_of_swaps(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    first = build([SEED], ix).index_path
    second = build([SEED, FIXTURE_CORPUS], ix).index_path
    assert first is not None and second is not None and first.exists()
    stop = threading.Event()
    seen: list[str] = []
    problems: list[str] = []
    reader = threading.Thread(target=_poll_current, args=(ix, stop, seen, problems))
    reader.start()
    try:
        for n in range(SWAPS):
            swap_current(ix, first if n % 2 == 0 else second)
    finally:
        stop.set()
        reader.join(HANG_GUARD)
    assert problems == [], problems[:5]
    assert set(seen) == {first.name, second.name}  # the reader saw both builds, whole


def test_no_build_is_in_service_before_its_manifest(tmp_path: Path) -> None:
    """Real builds, each swapped in while a reader polls: never a build without a manifest."""
    ix = tmp_path / "ix"
    build([SEED], ix)
    stop = threading.Event()
    seen: list[str] = []
    problems: list[str] = []
    reader = threading.Thread(target=_poll_current, args=(ix, stop, seen, problems))
    reader.start()
    built = []
    try:
        for n in range(6):
            done = build([SEED, FIXTURE_CORPUS] if n % 2 else [SEED], ix, incremental=False)
            assert done.index_path is not None
            built.append(done.index_path.name)
    finally:
        stop.set()
        reader.join(HANG_GUARD)
    assert problems == [], problems[:5]
    assert seen and built[-1] in seen
    assert (ix / "current" / MANIFEST_NAME).is_file()


def _facet_sum(result: Any, facet: str) -> int:
    return sum(f.count for f in result.facets[facet])


def test_a_build_held_by_a_request_stays_open_until_the_request_ends(tmp_path: Path) -> None:
    """Mid-search (at query parsing), a new build lands and another request opens it; the
    first request still answers from the whole build it started with, which is closed after."""
    ix = tmp_path / "ix"
    total_a = build([SEED, FIXTURE_CORPUS], ix).section_count
    archive = Archive(ix)
    plain_parse = archive.parse_query
    landed: list[int] = []

    def parse_while_a_build_lands(q: str, *rest: Any) -> Any:
        if not landed:
            landed.append(build([SEED], ix, incremental=False).section_count)
            # Another request meanwhile: it opens the new build and retires the held one.
            assert archive.search(SearchRequest()).total == landed[0]
        return plain_parse(q, *rest)

    archive.parse_query = parse_while_a_build_lands  # type: ignore[method-assign]
    try:
        held = archive.search(SearchRequest(q="police"))
        assert landed and landed[0] != total_a
        new_police = archive.search(SearchRequest(q="police")).total
        assert archive.search(SearchRequest()).total == landed[0]
        # The old build, no longer in use, was closed once its last request ended.
        assert archive._retired == []
    finally:
        archive.close()
    # The held request answered from the whole old build: what a fresh archive of that same
    # corpus answers (an independent archive), not what the new build answers.
    build([SEED, FIXTURE_CORPUS], tmp_path / "old")
    reference = Archive(tmp_path / "old")
    try:
        expected = reference.search(SearchRequest(q="police"))
    finally:
        reference.close()
    assert held.total == expected.total != new_police
    assert [(h.section.report_id, h.section.anchor) for h in held.hits] == [
        (h.section.report_id, h.section.anchor) for h in expected.hits
    ]
    assert _facet_sum(held, "kind") == _facet_sum(held, "force") == held.total


# -- failed builds leave no temporary folder --------------------------------------------------


def _tmp_folders(ix: Path) -> list[str]:
    return sorted(p.name for p in (ix / "builds").glob(".tmp-*"))


def test_a_build_with_no_sections_leaves_no_temporary_folder(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    before = build([SEED], ix).index_path
    result = build([BROKEN], ix, incremental=False)
    assert result.index_path is None
    assert _tmp_folders(ix) == []
    assert current_build(ix) == before


def test_an_interrupted_build_leaves_no_temporary_folder(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    before = build([SEED], ix).index_path

    def interrupted(files: Iterable[Path]) -> Iterator[Path]:
        for n, path in enumerate(files):
            if n == 3:
                raise KeyboardInterrupt  # Ctrl-C half-way through the corpus
            yield path

    with pytest.raises(KeyboardInterrupt):
        build([FIXTURE_CORPUS], ix, progress=interrupted, incremental=False)
    assert _tmp_folders(ix) == []
    assert current_build(ix) == before


# -- incremental builds parse again what changed -----------------------------------------------

KENT = "kent-peel-2017-effectiveness.txt"
INSPECTORATE = "https://hmicfrs.justiceinspectorates.gov.uk/peel-assessments/peel-2017/"


def test_a_changed_provenance_file_parses_its_report_again(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    ix = tmp_path / "ix"
    build([corpus], ix)
    provenance = corpus / f"{KENT}.provenance.json"
    for url in (INSPECTORATE + "kent-first/", INSPECTORATE + "kent-second/"):
        provenance.write_text(json.dumps({"url": url}), "utf-8")
        again = build([corpus], ix)
        assert [Path(p).name for p in again.parsed] == [KENT]
        kent = [s for s in again.sections if s.force_slug == "kent"]
        assert kent and {s.url for s in kent} == {url}


def test_a_new_parser_version_parses_every_report_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ix = tmp_path / "ix"
    first = build([FIXTURE_CORPUS], ix)
    same = build([FIXTURE_CORPUS], ix)
    assert same.parsed == [] and len(same.files) == len(first.files)  # nothing changed
    monkeypatch.setattr(indexer.build, "PARSER_VERSION", indexer.build.PARSER_VERSION + 1)
    again = build([FIXTURE_CORPUS], ix)
    assert len(again.parsed) == len(first.files) == 8
    assert read_manifest(current_build(ix))["parser_version"] == indexer.build.PARSER_VERSION  # type: ignore[arg-type]
