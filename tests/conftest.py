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


@pytest.fixture(scope="session")
def archive_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed report and the crafted fixtures, built by the real indexer."""
    index_dir = tmp_path_factory.mktemp("index") / "ix"
    result = build([SEED, FIXTURE_CORPUS], index_dir)
    assert not result.failures, [(f.source, f.error) for f in result.failures]
    return index_dir


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
    """`peel-web serve` in a subprocess on 127.0.0.1."""

    def __init__(self, index_dir: Path, *extra_args: str) -> None:
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
                *extra_args,
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

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()


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
def hostile_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report whose text, metadata and file name carry HTML and script (tests/hostile.py)."""
    from tests.hostile import build_hostile_index

    return build_hostile_index(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="session")
def hostile_server(hostile_index: Path) -> Iterator[Server]:
    srv = Server(hostile_index)
    yield srv
    srv.stop()
