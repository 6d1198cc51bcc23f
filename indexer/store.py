"""The index on disk: the Whoosh schema, transactional builds and opening a built index.

An index directory holds complete builds under `builds/` and a `current` symlink to the one in
service. A build is written into a temporary directory, its manifest (schema version, counts,
source files) is written last, and only then is `current` swapped, atomically, by rename. A
reader therefore sees the old index or the new one, never a half-written one. Only this module
and the web app's search module know that the engine is Whoosh.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import itertools
import json
import multiprocessing.util
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import fields, index

from indexer.analysis import FastFrequency, FastPositions, FastStemmingAnalyzer, FastWordAnalyzer
from indexer.model import SECTION_FIELDS, Section
from indexer.schema import FACET_NAMES, MANIFEST_NAME, SCHEMA_VERSION, TEXT_FIELDS, WORDS_FIELD
from indexer.verify import BuildDamaged, verify

# Memory for each writer process's posting pool before it spills sorted runs to disk (merging
# spilled runs back is slow in Whoosh), and how many sections one round of writers takes.
WRITER_MB = 256
CHUNK_SECTIONS = 12_000
SMALL_SEGMENT = 1_000  # segments this small are merged away by incremental builds
# Segments are left as separate files, not assembled into one compound file: Whoosh opens a
# compound file's parts by copying each into memory (BytesIO over the mapped file), which held
# the whole index in the server's private memory; separate files are read through the
# operating system's page cache instead.
WRITER_OPTIONS: dict[str, Any] = {"limitmb": WRITER_MB, "compound": False}
CURRENT = "current"
BUILDS = "builds"
LOCK = ".build.lock"
INDEX_NAME = "sections"


class IndexUnavailable(Exception):
    """An index directory that cannot be used, with a message for the person running it."""


class BuildLocked(IndexUnavailable):
    """Another build holds the index directory's lock."""


def whoosh_schema() -> fields.Schema:
    """The Whoosh schema, derived from the declarations in `indexer.schema`."""
    analyzer = FastStemmingAnalyzer()
    spec: dict[str, Any] = {
        "section_id": fields.ID(stored=True, unique=True),
        "report_id": fields.ID(stored=True, sortable=True),
        "updated": fields.ID(stored=True, sortable=True),
        "year": fields.NUMERIC(int, stored=True, sortable=True),
        "position": fields.NUMERIC(int, stored=True, sortable=True),
    }
    for name, boost in TEXT_FIELDS.items():
        spec[name] = fields.TEXT(analyzer=analyzer, stored=True, field_boost=boost)
        spec[name].format = FastPositions(field_boost=boost)
    # The words as written (heading and text, lower case, not stemmed): what wildcards,
    # fuzzy terms and suggestions expand over. Counts only, no positions.
    spec[WORDS_FIELD] = fields.TEXT(analyzer=FastWordAnalyzer(), phrase=False)
    spec[WORDS_FIELD].format = FastFrequency()
    for name in FACET_NAMES:
        spec[name] = fields.ID(stored=True, sortable=True)
    for name in SECTION_FIELDS:
        spec.setdefault(name, fields.STORED())
    return fields.Schema(**spec)


def to_document(section: Section) -> dict[str, Any]:
    # Fields are plain values, so no deep copy (dataclasses.asdict) is needed.
    doc = {name: getattr(section, name) for name in SECTION_FIELDS}
    doc["updated"] = section.updated.isoformat() if section.updated else ""
    doc["question_number"] = section.question_number or 0
    doc[WORDS_FIELD] = f"{section.heading}\n{section.text}"
    return doc


def from_stored(stored: dict[str, Any]) -> Section:
    return Section.from_dict(stored)


@dataclass(frozen=True, slots=True)
class OpenedIndex:
    """A complete build, opened for reading."""

    path: Path
    manifest: dict[str, Any]
    whoosh: index.Index


def current_build(index_dir: Path) -> Path | None:
    """The build directory in service, or None when there is none."""
    link = index_dir / CURRENT
    try:
        target = os.readlink(link)
    except OSError:
        return None
    if not index_dir.is_absolute():  # relative to a working folder that may change
        return (index_dir / target).resolve()
    return _resolved(index_dir, target)


@functools.lru_cache(maxsize=64)
def _resolved(index_dir: Path, target: str) -> Path:
    # The link is read on every search (one system call); resolving its target walks every
    # folder of the path, so it is done once per target (a build's name is never reused for
    # another place: a new build gets a new folder).
    return (index_dir / target).resolve()


def read_manifest(build: Path) -> dict[str, Any]:
    """A build's manifest; ValueError when it is not a JSON object."""
    with open(build / MANIFEST_NAME, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict):
        raise ValueError("the manifest is not a JSON object")
    return data


def is_whole(build: Path) -> bool:
    """True when the build at `build` opens and reads back whole (`indexer.verify`)."""
    try:
        ix = index.open_dir(str(build), indexname=INDEX_NAME)
    except Exception:  # Whoosh raises several types for a damaged directory
        return False
    try:
        verify(build, ix)
    except BuildDamaged:
        return False
    finally:
        ix.close()
    return True


def open_index(index_dir: Path, build_hint: str) -> OpenedIndex:
    """Open the build in service, verified whole (`indexer.verify`), or raise
    `IndexUnavailable` with what to run to fix it."""
    fix = f"build it with: {build_hint}"
    if not index_dir.is_dir():
        raise IndexUnavailable(f"no index at {index_dir} — {fix}")
    build = current_build(index_dir)
    if build is None or not build.is_dir():
        raise IndexUnavailable(f"{index_dir} holds no built index — {fix}")
    try:
        manifest = read_manifest(build)
    except (OSError, ValueError) as exc:
        raise IndexUnavailable(
            f"index at {index_dir} is damaged (no readable manifest) — {fix}"
        ) from exc
    version = manifest.get("schema_version")
    if version != SCHEMA_VERSION:
        raise IndexUnavailable(
            f"index at {index_dir} has schema version {version}, this program needs "
            f"{SCHEMA_VERSION} — re{fix}"
        )
    try:
        ix = index.open_dir(str(build), indexname=INDEX_NAME)
        count = ix.doc_count()
    except Exception as exc:  # Whoosh raises several types for a damaged directory
        raise IndexUnavailable(f"index at {index_dir} cannot be opened ({exc}) — re{fix}") from exc
    try:
        verify(build, ix)
    except BuildDamaged as exc:
        ix.close()
        raise IndexUnavailable(
            f"index at {index_dir} is damaged (build {build.name}: "
            f"{' '.join(str(exc).split())[:300]}) — re{fix}"
        ) from exc
    if manifest.get("sections", 0) == 0 or count == 0:
        raise IndexUnavailable(f"index at {index_dir} is empty — {fix}")
    return OpenedIndex(build, manifest, ix)


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold the directory's build lock, or raise `BuildLocked` at once."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise BuildLocked(
                f"another build is writing {index_dir}; wait for it to finish and run again"
            ) from exc
        # Writer processes forked during the build drop their copy of the lock's descriptor and
        # exit if the build dies, so a build killed mid-way leaves no lock and no workers.
        multiprocessing.util.register_after_fork(fh, _in_worker)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _in_worker(fh: Any) -> None:
    fh.close()
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)  # the build that started this worker is gone

    threading.Thread(target=watch, name="orphan-watch", daemon=True).start()


def _new_build_dir(index_dir: Path) -> tuple[Path, Path, str]:
    builds = index_dir / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    build_id = f"{stamp}-{uuid.uuid4().hex[:8]}"
    tmp = builds / f".tmp-{build_id}"
    tmp.mkdir()
    return tmp, builds / build_id, build_id


def _add_all(writer: Any, sections: Iterable[Section], merge: bool = True) -> None:
    try:
        for section in sections:
            writer.add_document(**to_document(section))
    except BaseException:
        writer.cancel()
        raise
    if merge:
        writer.commit(mergetype=_merge_small_segments)
    else:
        writer.commit(merge=False)


def _merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: fold segments of fewer than SMALL_SEGMENT documents (left by
    incremental builds) into the new one; never rewrite a large segment.

    Whoosh's own MERGE_SMALL can decide to merge every segment, which turned a one-report
    rebuild of a 100k-section index into a 150-second rewrite.
    """
    from whoosh.reading import SegmentReader

    small = [seg for seg in segments if seg.doc_count_all() < SMALL_SEGMENT]
    if len(small) < 2:
        return segments
    for seg in small:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [seg for seg in segments if seg not in small]


class EmptyBuild(Exception):
    """A build that would hold no section; the build in service is kept."""


Manifest = dict[str, Any] | Callable[[], dict[str, Any]]


def _finish(index_dir: Path, tmp: Path, final: Path, build_id: str, ix: index.Index,
            manifest: Manifest) -> Path:
    """Write the manifest last, rename the build into place and put it in service.

    `manifest` may be a function, called once every section has been written.
    """
    if ix.doc_count() == 0:
        raise EmptyBuild("no sections to index")
    manifest = {
        **(manifest() if callable(manifest) else manifest),
        "schema_version": SCHEMA_VERSION,
        "build_id": build_id,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "sections": ix.doc_count(),
    }
    ix.close()
    with open(tmp / MANIFEST_NAME, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=2, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.rename(tmp, final)
    _swap_current(index_dir, final)
    return final


def _patch_writer() -> None:
    # Imported here: readers of the index (the web app) never load the writer's patch.
    from indexer import fastwrite

    fastwrite.patch()


def _write(index_dir: Path, fill: Callable[[Path], index.Index], manifest: Manifest) -> Path:
    """Make a build in a temporary directory with `fill`, then put it in service.

    The caller holds `build_lock`. On any failure the temporary directory is removed and the
    build in service is untouched.
    """
    tmp, final, build_id = _new_build_dir(index_dir)
    try:
        _patch_writer()
        final = _finish(index_dir, tmp, final, build_id, fill(tmp), manifest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _prune(index_dir, keep=final)
    return final


def write_build(
    index_dir: Path, sections: Iterable[Section], manifest: Manifest, procs: int = 1
) -> Path:
    """Write a complete new build and put it in service; the old one serves until then.

    With `procs` > 1, Whoosh's multiprocessing writer analyses and writes in that many
    processes, each producing its own segment (no merge afterwards: searches read all
    segments).
    """

    def fill(tmp: Path) -> index.Index:
        ix = index.create_in(str(tmp), whoosh_schema(), indexname=INDEX_NAME)
        if procs > 1:
            # Whoosh sorts a segment's postings in one Python sort, so cost grows faster than
            # the corpus: write in chunks, each its own round of segments.
            stream = iter(sections)
            first = next(stream, None)
            while first is not None:
                chunk = itertools.chain([first], itertools.islice(stream, CHUNK_SECTIONS - 1))
                writer = ix.writer(procs=procs, multisegment=True, **WRITER_OPTIONS)
                _add_all(writer, chunk, merge=False)
                first = next(stream, None)
        else:
            _add_all(ix.writer(**WRITER_OPTIONS), sections)
        return ix

    return _write(index_dir, fill, manifest)


def write_incremental(
    index_dir: Path,
    base: Path,
    drop_reports: Iterable[str],
    sections: Iterable[Section],
    manifest: Manifest,
) -> Path:
    """A new build from `base`: its reports in `drop_reports` deleted, `sections` added.

    The new build starts as hard links to `base`'s files. Whoosh writes new segment and
    table-of-contents files and never changes a written one, so `base` stays as it was and
    can go on serving until the swap.
    """

    def fill(tmp: Path) -> index.Index:
        for item in base.iterdir():
            if item.name == MANIFEST_NAME or item.name.endswith("_WRITELOCK"):
                continue
            os.link(item, tmp / item.name)
        ix = index.open_dir(str(tmp), indexname=INDEX_NAME)
        writer = ix.writer(**WRITER_OPTIONS)
        for report_id in sorted(set(drop_reports)):
            writer.delete_by_term("report_id", report_id)
        _add_all(writer, sections)
        return ix

    return _write(index_dir, fill, manifest)


def _swap_current(index_dir: Path, build: Path) -> None:
    link_tmp = index_dir / f".{CURRENT}-{build.name}"
    with contextlib.suppress(FileNotFoundError):
        link_tmp.unlink()
    os.symlink(os.path.relpath(build, index_dir), link_tmp)
    os.replace(link_tmp, index_dir / CURRENT)


def _prune(index_dir: Path, keep: Path, spare: int = 1) -> None:
    """Remove old builds, keeping the current one and `spare` predecessors for open readers."""
    builds = index_dir / BUILDS
    done = sorted(
        (p for p in builds.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.name,
        reverse=True,
    )
    kept = 0
    for build in done:
        if build == keep:
            continue
        if kept < spare:
            kept += 1
            continue
        shutil.rmtree(build, ignore_errors=True)
    for stale in builds.glob(".tmp-*"):
        # Left by a build that was killed; no live build writes without the lock we hold.
        shutil.rmtree(stale, ignore_errors=True)


# For `indexer.publish`, which puts a copied build in service the same way.
swap_current = _swap_current
prune_builds = _prune
