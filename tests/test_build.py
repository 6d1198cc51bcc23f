"""Building real indexes: bad files reported by name, transactional swaps, the build lock."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from indexer.build import build
from indexer.store import BuildLocked, IndexUnavailable, build_lock, current_build, open_index
from tests.conftest import BROKEN, FIXTURE_CORPUS, SEED

HINT = "peel-index build corpus/ --index-dir X"


def test_broken_files_are_named_and_everything_else_is_indexed(tmp_path: Path) -> None:
    result = build([SEED, FIXTURE_CORPUS, BROKEN], tmp_path / "ix")
    reasons = {Path(f.source).name: f.error for f in result.failures}
    assert reasons == {
        "binary-junk.txt": "binary data (NUL bytes), not a text report",
        "empty.txt": "empty file",
        "meeting-minutes.txt": "no PEEL title line found (expected a line like 'Kent PEEL 2016')",
        "unknown-force.txt": "line 3: unknown force 'Atlantis' in title line "
        "(not one of the 43 forces)",
    }
    good = [f for f in result.files if f.ok]
    assert len(good) == 9
    opened = open_index(tmp_path / "ix", HINT)
    assert opened.whoosh.doc_count() == sum(len(f.report.sections) for f in good if f.report)
    assert opened.manifest["sections"] == opened.whoosh.doc_count()
    assert opened.manifest["files"][result.failures[0].source]["error"]


def test_rebuild_swaps_atomically_and_keeps_one_spare(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    build([SEED], ix)
    first = current_build(ix)
    build([SEED, FIXTURE_CORPUS], ix)
    second = current_build(ix)
    assert first != second and first is not None and first.exists()  # spare for open readers
    build([SEED], ix)
    assert not first.exists()
    assert (ix / "current").is_symlink()
    assert not list((ix / "builds").glob(".tmp-*"))


def test_a_build_with_no_sections_leaves_the_index_in_service(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    build([SEED], ix)
    before = current_build(ix)
    result = build([BROKEN], ix)
    assert result.index_path is None and len(result.failures) == 4
    assert current_build(ix) == before


def test_a_leftover_temporary_build_is_cleared_and_never_served(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    build([SEED], ix)
    junk = ix / "builds" / ".tmp-killed"
    junk.mkdir()
    (junk / "half-written.seg").write_bytes(b"\0" * 10)
    build([SEED], ix)
    assert not junk.exists()
    assert open_index(ix, HINT).whoosh.doc_count() == 7


def test_two_builds_at_once_are_refused_with_a_clear_message(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    with build_lock(ix), pytest.raises(BuildLocked, match="another build is writing"):
        build([SEED], ix)


@pytest.mark.parametrize("damage", ["missing", "empty-dir", "bad-version", "no-manifest"])
def test_unusable_index_directories_are_explained(tmp_path: Path, damage: str) -> None:
    ix = tmp_path / "ix"
    if damage != "missing":
        ix.mkdir()
    if damage in ("bad-version", "no-manifest"):
        build([SEED], ix)
        manifest = current_build(ix) / "peel-archive.json"  # type: ignore[operator]
        if damage == "no-manifest":
            os.remove(manifest)
        else:
            manifest.write_text(
                manifest.read_text().replace('"schema_version": ', '"schema_version": 99')
            )
    with pytest.raises(IndexUnavailable, match="build it with: peel-index build") as err:
        open_index(ix, HINT)
    assert str(ix) in str(err.value)


def test_a_foreign_directory_is_not_an_index(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    shutil.copytree(FIXTURE_CORPUS, ix)
    with pytest.raises(IndexUnavailable, match="holds no built index"):
        open_index(ix, HINT)
