"""Publishing a finished build to replicas: copy it beside theirs, then switch `current`.

A replica is an index directory served by its own `peel-web serve`. `publish` copies the build
in service at a source index directory into each replica's `builds/` under a temporary name,
checks that the copy opens and holds the same sections, renames it into place and swaps the
replica's `current` link by an atomic rename, exactly as `peel-index build` does. A replica's
server picks up the new build on its next request; until then, and if anything fails, it goes
on serving its previous build. Replicas are published one at a time, so behind a load balancer
there is never a moment with no replica serving a whole build.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from indexer.schema import MANIFEST_NAME
from indexer.store import (
    BUILDS,
    IndexUnavailable,
    build_lock,
    current_build,
    open_index,
    prune_builds,
    read_manifest,
    swap_current,
)


@dataclass(frozen=True, slots=True)
class Published:
    replica: Path
    build_id: str
    copied: bool  # False when the replica already had this build


def publish(source: Path, replicas: Iterable[Path]) -> list[Published]:
    """Put the build in service at `source` in service at every replica, one after another."""
    build = current_build(source)
    if build is None or not (build / MANIFEST_NAME).is_file():
        raise IndexUnavailable(f"{source} has no finished build to publish")
    manifest = read_manifest(build)
    return [_publish_one(build, manifest, Path(replica)) for replica in replicas]


def _publish_one(build: Path, manifest: dict[str, object], replica: Path) -> Published:
    replica.mkdir(parents=True, exist_ok=True)
    with build_lock(replica):
        final = replica / BUILDS / build.name
        copied = not final.is_dir()
        if copied:
            tmp = replica / BUILDS / f".tmp-{build.name}"
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.parent.mkdir(parents=True, exist_ok=True)
            # The manifest last: a build directory without it is never put in service.
            shutil.copytree(build, tmp, ignore=shutil.ignore_patterns(MANIFEST_NAME, "*LOCK"))
            shutil.copy2(build / MANIFEST_NAME, tmp / MANIFEST_NAME)
            _fsync_tree(tmp)
            os.rename(tmp, final)
        _check_copy(final, manifest)
        swap_current(replica, final)
        prune_builds(replica, keep=final)
    return Published(replica, str(manifest.get("build_id", build.name)), copied)


def _check_copy(final: Path, manifest: dict[str, object]) -> None:
    """The copy opens and holds as many sections as its manifest says."""
    probe = final.parent.parent / f".probe-{final.name}"
    with_link = probe / "current"
    shutil.rmtree(probe, ignore_errors=True)
    probe.mkdir()
    try:
        os.symlink(os.path.relpath(final, probe), with_link)
        opened = open_index(probe, "peel-index publish SOURCE REPLICA")
        count = opened.whoosh.doc_count()
        opened.whoosh.close()
        if count != manifest.get("sections"):
            raise IndexUnavailable(
                f"the copy at {final} holds {count} sections, its manifest says "
                f"{manifest.get('sections')}"
            )
    finally:
        shutil.rmtree(probe, ignore_errors=True)


def _fsync_tree(root: Path) -> None:
    for path in root.iterdir():
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
