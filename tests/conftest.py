"""Shared fixtures: real indexes built by the real indexer, and a real server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from indexer.build import build

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
FIXTURE_CORPUS = FIXTURES / "corpus"
BROKEN = FIXTURES / "broken"
SEED = ROOT / "corpus" / "metropolitan-peel-2016-efficiency.txt"


@pytest.fixture(scope="session")
def expected() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((FIXTURES / "expected.json").read_text("utf-8"))
    return data


def built_index(factory: pytest.TempPathFactory, name: str, paths: list[Path]) -> Path:
    """An index of `paths` built by the real indexer in a fresh temporary folder."""
    index_dir = factory.mktemp(name) / "ix"
    result = build(paths, index_dir)
    assert not result.failures, [(f.source, f.error) for f in result.failures]
    return index_dir


@pytest.fixture(scope="session")
def archive_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed report and the crafted fixtures, built by the real indexer."""
    index_dir = tmp_path_factory.mktemp("index") / "ix"
    result = build([SEED, FIXTURE_CORPUS], index_dir)
    assert not result.failures, [(f.source, f.error) for f in result.failures]
    return index_dir


RESEARCH = FIXTURES / "research"
RESEARCH_SAMPLES = (
    "gwent-2021-22.html", "cleveland-2023-25.txt", "kent-2018-19.txt", "sussex-2017-overview.txt",
    "peel-legitimacy-2017-national-overview.txt", "state-of-policing-2022.html",
)


@pytest.fixture(scope="session")
def research_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed, the crafted fixtures, the format samples (2021/22, 2023–25, national and
    State of Policing reports) and four forces' 2016 and 2021/22 reports for the research views
    (areas for improvement about domestic abuse in 2016, their 2021/22 grades)."""
    samples = [FIXTURES / "formats" / name for name in RESEARCH_SAMPLES]
    return built_index(tmp_path_factory, "research", [SEED, FIXTURE_CORPUS, *samples, RESEARCH])


@pytest.fixture(scope="session")
def research_server(research_index: Path) -> Iterator[Server]:
    srv = Server(research_index)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real corpus/ alone, as ./scripts/serve builds it."""
    index_dir = tmp_path_factory.mktemp("seed") / "ix"
    result = build([ROOT / "corpus"], index_dir)
    assert not result.failures
    return index_dir


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """`peel-web serve` in a subprocess on 127.0.0.1: one worker process unless `options`
    say otherwise (`--workers` defaults to the cores; tests that need that pass `--workers`
    themselves or `default_workers=True`)."""

    def __init__(self, index_dir: Path, *options: str, default_workers: bool = False) -> None:
        if not default_workers and "--workers" not in options:
            options = ("--workers", "1", *options)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "webapp",
                "serve",
                "--index-dir",
                str(index_dir),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                *options,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONWARNINGS": "error"},
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                out = self.proc.stdout.read().decode() if self.proc.stdout else ""
                raise RuntimeError(f"server exited: {out}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not start within 20 s")

    def stop(self) -> str:
        """Stop the server; what it printed (its log)."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        output = ""
        if self.proc.stdout:
            output = self.proc.stdout.read().decode("utf-8", "replace")
            self.proc.stdout.close()
        return output


@pytest.fixture(scope="session")
def server(archive_index: Path) -> Iterator[Server]:
    srv = Server(archive_index)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def seed_server(seed_index: Path) -> Iterator[Server]:
    srv = Server(seed_index)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def profile_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixtures plus Kent in five cycles (tests/fixtures/profile/ and the 2018/19 report),
    for the force profile: 2016, 2017, 2018/19, then 2021/22 and 2023–25 after the break."""
    paths = [SEED, FIXTURE_CORPUS, FIXTURES / "formats" / "kent-2018-19.txt", FIXTURES / "profile"]
    return built_index(tmp_path_factory, "profile", paths)


@pytest.fixture(scope="session")
def profile_server(profile_index: Path) -> Iterator[Server]:
    srv = Server(profile_index)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def hostile_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report whose text, metadata and file name carry HTML and script (tests/hostile.py)."""
    from tests.hostile import build_hostile_index

    return build_hostile_index(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="session")
def hostile_server(hostile_index: Path) -> Iterator[Server]:
    srv = Server(hostile_index)
    yield srv
    srv.stop()
