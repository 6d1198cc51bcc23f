"""A damaged index never makes a 500: refused once when it becomes current, 503 when it breaks
under a running server, each logged in one line.

* A build swapped in as `current` whose postings are damaged is refused on the first request
  after the swap, logged once with its build id and reason, and the last good build goes on
  serving every request; it is not re-opened on each request. A good build after it serves.
* Random bytes written over part of the postings file of the build in service: every one-word
  search is a 200 or a 503 with a sentence (never a 500), and each failure is logged.
* `open_index` verifies a build: postings overwritten in place are found at opening.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx
import pytest
from whoosh import index as whoosh_index
from whoosh.analysis import STOP_WORDS

from indexer.build import build
from indexer.store import CURRENT, INDEX_NAME, IndexUnavailable, current_build, open_index
from tests.conftest import FIXTURE_CORPUS, SEED, Server


def _postings_file(build_dir: Path) -> Path:
    (pst,) = [p for p in build_dir.iterdir() if p.suffix == ".pst"]
    return pst


def _scribble(path: Path, start: float, end: float) -> None:
    """Random bytes over [start, end) of the file, as fractions of its size, in place."""
    size = path.stat().st_size
    lo, hi = int(size * start), int(size * end)
    with open(path, "r+b") as fh:
        fh.seek(lo)
        fh.write(os.urandom(hi - lo))


def _swap_in(index_dir: Path, build_dir: Path) -> None:
    """Point `current` at `build_dir` atomically, as `peel-index build` does."""
    link = index_dir / ".current-test"
    os.symlink(os.path.relpath(build_dir, index_dir), link)
    os.replace(link, index_dir / CURRENT)


def _words(build_dir: Path, count: int) -> list[str]:
    """The `count` most frequent indexed words of the text field (from Whoosh itself), stop
    words left out (a search for one alone is a 400)."""
    ix = whoosh_index.open_dir(str(build_dir), indexname=INDEX_NAME)
    with ix.reader() as reader:
        ranked = sorted(reader.iter_field("text"), key=lambda t: -t[1].doc_frequency())
        words = [
            word for word in (term.decode() for term, _ in ranked)
            if word.isalpha() and len(word) > 2 and word not in STOP_WORDS
        ][:count]
    ix.close()
    return words


def test_a_damaged_build_made_current_is_refused_once_and_the_good_one_serves(
    tmp_path: Path,
) -> None:
    index_dir = tmp_path / "ix"
    build([SEED], index_dir)
    good = current_build(index_dir)
    assert good is not None
    # A second build, made elsewhere, its postings overwritten, then moved in and swapped.
    build([SEED, FIXTURE_CORPUS], tmp_path / "other")
    made = current_build(tmp_path / "other")
    assert made is not None
    _scribble(_postings_file(made), 0.0, 1.0)
    damaged = index_dir / "builds" / made.name
    shutil.move(made, damaged)

    srv = Server(index_dir)
    try:
        with httpx.Client(base_url=srv.base, timeout=30) as client:
            before = client.get("/healthz").json()["build_id"]
            assert before == good.name
            _swap_in(index_dir, damaged)
            answers = [client.get("/api/search", params={"q": "demand"}) for _ in range(50)]
            answers += [client.get("/healthz") for _ in range(20)]
            assert {r.status_code for r in answers} == {200}
            assert {r.json()["build_id"] for r in answers[50:]} == {good.name}
            total = answers[0].json()["total"]
            assert all(r.json()["total"] == total for r in answers[:50])
            # A good build after the damaged one is picked up.
            fresh = build([SEED, FIXTURE_CORPUS], index_dir).index_path  # not from the damaged
            assert fresh is not None
            assert client.get("/healthz").json()["build_id"] == fresh.name
    finally:
        log = srv.stop()
    refusals = [line for line in log.splitlines() if "refused build" in line]
    assert len(refusals) == 1, log  # refused once, not re-tried on each of 70 requests
    assert damaged.name in refusals[0]
    assert "postings" in refusals[0] and good.name in refusals[0]


def test_postings_damaged_under_a_running_server_are_503_never_500(tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    build([SEED, FIXTURE_CORPUS], index_dir)
    live = current_build(index_dir)
    assert live is not None
    words = _words(live, 60)
    srv = Server(index_dir)
    try:
        _scribble(_postings_file(live), 0.1, 0.9)
        with httpx.Client(base_url=srv.base, timeout=30) as client:
            answers = {w: client.get("/api/search", params={"q": w}) for w in words}
            page = client.get("/", params={"q": words[0]})
            report = client.get("/reports/metropolitan-2016-efficiency",
                                params={"q": words[0]})
    finally:
        log = srv.stop()
    statuses = {w: r.status_code for w, r in answers.items()}
    assert set(statuses.values()) <= {200, 503}, statuses
    failed = [r for r in answers.values() if r.status_code == 503]
    assert failed, "the damage reached no search: the test would prove nothing"
    for r in failed:
        assert r.json()["error"].startswith("The archive's index could not be read just now")
        assert r.headers["content-security-policy"]
    assert page.status_code in (200, 503) and report.status_code in (200, 503)
    logged = [line for line in log.splitlines() if "failed during a request" in line]
    assert len(logged) >= len(failed)
    assert all(live.name in line for line in logged)


@pytest.mark.parametrize("part", [(0.0, 1.0), (0.0, 0.5), (0.5, 1.0)])
def test_opening_verifies_the_postings(tmp_path: Path, part: tuple[float, float]) -> None:
    index_dir = tmp_path / "ix"
    build([SEED, FIXTURE_CORPUS], index_dir)
    live = current_build(index_dir)
    assert live is not None
    open_index(index_dir, "hint").whoosh.close()  # whole, it opens
    _scribble(_postings_file(live), *part)
    with pytest.raises(IndexUnavailable, match=f"is damaged \\(build {live.name}: "):
        open_index(index_dir, "hint")
