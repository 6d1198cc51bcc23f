"""Scale-out as an operator runs it (deploy/): nginx in front of two `peel-web serve` replicas on
127.0.0.1. A new build is published to both while a client sends requests, then one replica is
killed: no request fails (nginx retries the other) and every answer comes from a whole build."""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import httpx
import pytest

from indexer.build import build
from indexer.store import current_build, read_manifest
from tests.conftest import FIXTURE_CORPUS, ROOT, SEED, free_port
from tests.loadgen import LoadResult, run_load

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HANG_GUARD = 60  # seconds: only so that a hung start-up cannot hang the suite
URLS = ["/healthz", "/api/search?q=police", "/api/search?q=demand&per_page=5", "/"]
PUBLIC = "https://peel.example.org/archive"  # the address people use, not nginx's or a replica's


def answer(response: httpx.Response) -> tuple[str, object]:
    """What identifies the build behind an answer: its id (healthz) or the search total."""
    if response.request.url.path == "/healthz":
        body = response.json()
        return "build", (body["build_id"], body["sections"])
    if response.request.url.path == "/api/search":
        return str(response.request.url.query, "ascii"), response.json()["total"]
    return "page", len(response.content) > 0


def whole_build_answers(index: Path) -> set[tuple[str, object]]:
    """The answers one build gives, asked of a server of its own (an independent oracle)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "webapp", "serve", "--index-dir", str(index), "--port", str(port),
         "--workers", "1", "--log-level", "warning"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base)
        with httpx.Client(base_url=base, timeout=10) as client:
            return {answer(client.get(u)) for u in URLS}
    finally:
        proc.terminate()
        proc.wait(timeout=HANG_GUARD)


def wait_until_up(base: str) -> None:
    deadline = time.monotonic() + HANG_GUARD
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{base} did not answer within the hang guard")


@pytest.mark.load
def test_publish_and_a_dead_replica_fail_no_request(tmp_path: Path) -> None:
    assert Path(NGINX).exists(), "nginx is missing: ./scripts/test installs Debian's nginx"
    source = tmp_path / "source"
    build([SEED], source)
    old = whole_build_answers(source)
    old_id = read_manifest(current_build(source))["build_id"]  # type: ignore[arg-type]

    state = tmp_path / "state"
    listen_port, first = free_port(), free_port()
    second = first + 1
    bin_dir = Path(sys.executable).parent  # the venv's peel-index and peel-web
    env = {**os.environ, "PEEL_INDEX": str(bin_dir / "peel-index"),
           "PEEL_WEB": str(bin_dir / "peel-web")}  # fmt: skip
    deploy = subprocess.Popen(
        ["deploy/replicas", "start", "--replicas", "2", "--index", str(source),
         "--state", str(state), "--listen", f"127.0.0.1:{listen_port}",
         "--first-port", str(first), "--public-url", PUBLIC],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{listen_port}"
    try:
        wait_until_up(base)
        assert second != listen_port

        stop = threading.Event()
        results: list[LoadResult] = []
        load = threading.Thread(
            target=lambda: results.append(
                run_load(base, URLS, 8, 20_000, 40, stop=stop, inspect=answer)
            ),
            daemon=True,
        )
        load.start()
        with httpx.Client(base_url=base, timeout=HANG_GUARD) as client:
            direct_old = {answer(client.get(u)) for u in URLS}  # this client samples each build
            # Both replicas (nginx alternates) cite with the public address.
            cites = [cite_permalinks(client) for _ in range(2)]

        # A new build (the seed plus the fixtures), published to both replicas under load.
        build([SEED, FIXTURE_CORPUS], source)
        new = whole_build_answers(source)
        assert new != old
        published = subprocess.run(
            ["deploy/replicas", "publish", "--index", str(source), "--state", str(state)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=HANG_GUARD,
        )  # fmt: skip
        assert published.returncode == 0, published.stdout + published.stderr
        assert published.stdout.count("copied and published build") == 2
        with httpx.Client(base_url=base, timeout=HANG_GUARD) as client:
            # Both replicas serve the new build once publish returns (nginx alternates them).
            direct_new = {answer(client.get(u)) for u in URLS for _ in range(2)}

            # One replica dies; the other goes on answering everything.
            os.kill(int((state / "replica-1.pid").read_text()), signal.SIGKILL)
            after_kill = [client.get(u) for u in URLS for _ in range(3)]
        stop.set()
        load.join(HANG_GUARD)
        [result] = results
    finally:
        deploy.send_signal(signal.SIGTERM)
        out, _ = deploy.communicate(timeout=HANG_GUARD)

    assert result.failures == [], result.failures[:5]
    assert result.samples, "the background load sent nothing"
    answers = {s.value for s in result.samples}
    # Every answer is one a whole build gives: the old, or the new, never a mixture.
    assert answers <= old | new, answers - (old | new)
    assert direct_old == old and old_id in {v[0] for k, v in direct_old if k == "build"}
    assert direct_new == new  # the publish reached both replicas
    assert [r.status_code for r in after_kill] == [200] * len(after_kill)
    assert {answer(r) for r in after_kill} == new
    assert list((state / "replica-2" / "builds").glob(".tmp-*")) == []
    assert "Serving 2 replicas behind nginx" in out
    for permalinks, html_links in cites:
        assert permalinks and all(p.startswith(f"{PUBLIC}/reports/") for p in permalinks), (
            permalinks)
        assert html_links == permalinks


def cite_permalinks(client: httpx.Client) -> tuple[list[str], list[str]]:
    """The Cite permalinks of a report's sections through nginx: from its JSON (the citation
    and the CSL-JSON) and from the Cite blocks of its HTML page."""
    report_id = client.get("/api/search?q=police").json()["results"][0]["report_id"]
    body = client.get(f"/api/reports/{report_id}").json()
    permalinks = [s["citation"]["permalink"] for s in body["sections"] if "citation" in s]
    assert [s["csl"]["archive_location"] for s in body["sections"] if "csl" in s] == permalinks
    page = client.get(f"/reports/{report_id}").text
    html_links = re.findall(r'class="cite-permalink" href="([^"]+)"', page)
    return permalinks, [html.unescape(h) for h in html_links]
