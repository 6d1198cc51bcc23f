"""The console commands as a user runs them: exit codes, summaries, one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import BROKEN, FIXTURE_CORPUS, ROOT, SEED


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_build_prints_a_summary_and_succeeds(tmp_path: Path) -> None:
    done = run("indexer", "build", str(SEED), "--index-dir", str(tmp_path / "ix"))
    assert done.returncode == 0, done.stderr
    assert f"Indexed 1 report(s), 7 section(s) into {tmp_path / 'ix'}" in done.stdout
    assert "by force:  Metropolitan Police Service 7" in done.stdout
    assert "by grade:  Good 4, Requires improvement 3" in done.stdout


def test_build_names_each_bad_file_indexes_the_rest_and_exits_1(tmp_path: Path) -> None:
    done = run(
        "indexer", "build", str(FIXTURE_CORPUS), str(BROKEN), "--index-dir", str(tmp_path / "ix")
    )
    assert done.returncode == 1
    assert "Indexed 8 report(s)" in done.stdout
    assert "Failed: 4 file(s) could not be indexed:" in done.stderr
    for name in (
        "empty.txt: empty file",
        "binary-junk.txt: binary data",
        "meeting-minutes.txt: no PEEL title line",
        "unknown-force.txt: line 3: unknown",
    ):
        assert name in done.stderr


def test_index_dir_from_the_environment_and_if_changed(tmp_path: Path) -> None:
    env = {"PEEL_INDEX_DIR": str(tmp_path / "ix")}
    assert run("indexer", "build", str(SEED), env=env).returncode == 0
    again = run("indexer", "build", str(SEED), "--if-changed", env=env)
    assert again.returncode == 0 and "up to date; nothing to do" in again.stdout
    changed = run("indexer", "build", str(SEED), str(FIXTURE_CORPUS), "--if-changed", env=env)
    assert "Indexed 9 report(s)" in changed.stdout


def test_check_writes_nothing_and_describes_each_file(tmp_path: Path) -> None:
    done = run("indexer", "check", str(SEED), str(BROKEN / "empty.txt"))
    assert done.returncode == 1
    assert "metropolitan-2016-efficiency: Metropolitan Police Service · 2016 · Efficiency" in (
        done.stdout
    )
    assert "Q2 Requires improvement: How well does the force use its resources" in done.stdout
    assert "empty.txt: empty file" in done.stdout
    assert "1 ok, 1 failed" in done.stdout


def test_help_ends_with_an_example() -> None:
    for args in (("indexer", "build", "-h"), ("indexer", "check", "-h"), ("webapp", "serve", "-h")):
        done = run(*args)
        assert done.returncode == 0
        assert "Example:" in done.stdout


def test_serve_refuses_a_missing_index_in_one_line(tmp_path: Path) -> None:
    done = run("webapp", "serve", "--index-dir", str(tmp_path / "nothing"))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: no index at {tmp_path / 'nothing'}")
    assert "peel-index build corpus/ --index-dir" in lines[0]


def test_serve_refuses_a_version_mismatch_in_one_line(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    assert run("indexer", "build", str(SEED), "--index-dir", str(ix)).returncode == 0
    manifest = next((ix / "builds").iterdir()) / "peel-archive.json"
    manifest.write_text(manifest.read_text().replace('"schema_version": ', '"schema_version": 9'))
    done = run("webapp", "serve", "--index-dir", str(ix))
    assert done.returncode == 2
    assert "schema version" in done.stderr and "rebuild it with: peel-index build" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
