"""Rebuilds while serving: whole indexes only, one build at a time, a killed build harmless.

The server (`peel-web serve`, a real subprocess) reopens the index on the next request after a
build is swapped in. Two corpora with different section totals alternate, so every response
can be checked to come from one complete index: its `total` is one of the two, and equals the
sum of its own facet counts. A build is slowed only by its size: a generated corpus of
`GENERATED_SECTIONS` sections gives a window of seconds to start a second build or SIGKILL it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from indexer.build import build
from indexer.store import BuildLocked, current_build
from tests.conftest import FIXTURE_CORPUS, ROOT, SEED, Server
from tests.loadgen import LoadResult, run_load

CORPUS_A = [SEED, FIXTURE_CORPUS]
CORPUS_B = [FIXTURE_CORPUS]
SWAPS = 8
GENERATED_SECTIONS = 2500
HANG_GUARD = 120  # seconds: only so that a hung server or build cannot hang the suite


def section_total(paths: list[Path], tmp: Path) -> int:
    return build(paths, tmp / "count").section_count


def search_fingerprint(response: httpx.Response) -> tuple[int, int, int]:
    """(total, sum of kind counts, sum of force counts): equal when all from one index."""
    body: dict[str, Any] = response.json()
    kinds = sum(v["count"] for v in body["facets"]["kind"])
    forces = sum(v["count"] for v in body["facets"]["force"])
    return body["total"], kinds, forces


def health_sections(response: httpx.Response) -> tuple[int, int, int]:
    sections = int(response.json()["sections"])
    return sections, sections, sections


def inspect(response: httpx.Response) -> tuple[int, int, int] | None:
    path = response.request.url.path
    if path == "/api/search" and not response.request.url.query:
        return search_fingerprint(response)
    if path == "/healthz":
        return health_sections(response)
    return None


LOAD_URLS = [
    "/api/search",
    "/api/search?q=force&per_page=100",
    "/healthz",
    "/?q=THRIVE",
    "/api/search?q=demand&sort=newest",
    "/reports/kent-2017-effectiveness?q=crime",
    "/api/reports/durham-2015-legitimacy",
]


def wait_for_build(client: httpx.Client, build_id: str, seconds: float = HANG_GUARD) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if client.get("/healthz").json()["build_id"] == build_id:
            return
        time.sleep(0.02)
    raise AssertionError(f"the server did not pick up build {build_id} in {seconds} s")


def background_load(base: str, stop: threading.Event, out: list[LoadResult]) -> threading.Thread:
    def go() -> None:
        out.append(run_load(base, LOAD_URLS, 8, 50_000, 90, stop=stop, inspect=inspect))

    thread = threading.Thread(target=go, daemon=True)
    thread.start()
    return thread


@pytest.mark.load
def test_rebuilds_under_load_serve_only_whole_indexes(tmp_path: Path) -> None:
    total_a = section_total(CORPUS_A, tmp_path / "a")
    total_b = section_total(CORPUS_B, tmp_path / "b")
    assert total_a != total_b
    ix = tmp_path / "ix"
    build(CORPUS_A, ix)
    server = Server(ix)
    stop = threading.Event()
    results: list[LoadResult] = []
    direct: list[tuple[int, int, int]] = []
    try:
        thread = background_load(server.base, stop, results)
        with httpx.Client(base_url=server.base, timeout=HANG_GUARD) as client:
            for n in range(SWAPS):
                corpus = CORPUS_B if n % 2 == 0 else CORPUS_A
                done = build(corpus, ix, incremental=n % 3 != 0)
                assert done.index_path is not None
                wait_for_build(client, done.index_path.name)
                # Sampled by this client itself, not left to the load's timing.
                direct.append(search_fingerprint(client.get("/api/search")))
        stop.set()
        thread.join(timeout=HANG_GUARD)
    finally:
        stop.set()
        server.stop()
    (load,) = results
    assert load.failures == [], load.failures[:5]
    assert load.samples, "the background load sent nothing"
    seen = {s.value for s in load.samples if s.value is not None}
    assert seen <= {(total_a,) * 3, (total_b,) * 3}, seen  # old or new, never a mix
    # Each swapped-in build answered whole, right after its swap.
    assert direct == [(total_b if n % 2 == 0 else total_a,) * 3 for n in range(SWAPS)]
    print(f"\nrebuild under load: {SWAPS} swaps, {load.summary()}")


# -- slow builds: a second at once, and one killed half-way ----------------------------------


@pytest.fixture(scope="module")
def generated_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "corpus"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "gen_corpus.py"),
            "--sections",
            str(GENERATED_SECTIONS),
            "--out",
            str(out),
            "--seed",
            "5",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out


def peel_index(*args: str) -> list[str]:
    return [sys.executable, "-m", "indexer", *args]


def start_build(corpus: Path, ix: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        peel_index("build", str(corpus), "--index-dir", str(ix), "--full"),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_until_writing(proc: subprocess.Popen[bytes], ix: Path, seconds: float = 90) -> Path:
    """The build's temporary directory, once the build has started writing into it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the build finished before it could be interrupted"
        for tmp in (ix / "builds").glob(".tmp-*"):
            if any(tmp.iterdir()):
                return tmp
        time.sleep(0.02)
    raise AssertionError(f"the build did not start writing within {seconds} s")


def test_a_second_build_at_once_is_refused_and_the_first_completes(
    tmp_path: Path, generated_corpus: Path
) -> None:
    ix = tmp_path / "ix"
    first = start_build(generated_corpus, ix)
    try:
        wait_until_writing(first, ix)
        second = subprocess.run(
            peel_index("build", str(SEED), "--index-dir", str(ix)),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        with pytest.raises(BuildLocked, match="another build is writing"):
            build([SEED], ix)
        assert first.wait(timeout=120) == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert second.returncode == 1
    assert second.stderr == (
        f"Error: another build is writing {ix}; wait for it to finish and run again\n"
    )
    assert second.stdout == ""
    with httpx.Client(timeout=10) as client:
        server = Server(ix)
        try:
            health = client.get(server.base + "/healthz").json()
        finally:
            server.stop()
    assert health["sections"] == GENERATED_SECTIONS  # the first build, whole
    assert build([SEED], ix).index_path is not None  # and the lock is free again


def test_a_build_killed_half_way_leaves_the_old_index_serving(
    tmp_path: Path, generated_corpus: Path
) -> None:
    ix = tmp_path / "ix"
    old = build(CORPUS_A, ix)
    assert old.index_path is not None
    total_a = old.section_count
    server = Server(ix)
    stop = threading.Event()
    results: list[LoadResult] = []
    try:
        thread = background_load(server.base, stop, results)
        doomed = start_build(generated_corpus, ix)
        try:
            half_written = wait_until_writing(doomed, ix)
            os.kill(doomed.pid, signal.SIGKILL)
            assert doomed.wait(timeout=10) == -signal.SIGKILL
        finally:
            if doomed.poll() is None:
                doomed.kill()
                doomed.wait()
        assert half_written.exists()  # killed mid-write: its temporary build is left behind
        assert current_build(ix) == old.index_path.resolve()
        with httpx.Client(base_url=server.base, timeout=HANG_GUARD) as client:
            assert client.get("/healthz").json()["sections"] == total_a
            assert client.get("/api/search").json()["total"] == total_a
            stop.set()
            thread.join(timeout=30)

            # The next build takes the lock the dead one held, clears its leftovers, swaps in.
            new = build(CORPUS_B, ix)
            assert new.index_path is not None
            assert not half_written.exists()
            wait_for_build(client, new.index_path.name)
            assert client.get("/api/search").json()["total"] == new.section_count
    finally:
        stop.set()
        server.stop()
    (load,) = results
    assert load.failures == []
    assert {s.value for s in load.samples if s.value is not None} == {(total_a,) * 3}


def test_the_cli_names_the_lock_in_one_line(tmp_path: Path) -> None:
    """Held by another process (here: this one), the lock is one clear line and exit 1."""
    from indexer.store import build_lock

    ix = tmp_path / "ix"
    with build_lock(ix):
        done = subprocess.run(
            peel_index("build", str(SEED), "--index-dir", str(ix)),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"Error: another build is writing {ix}; wait for it to finish and run again"
    ]

