"""The benchmark's smoke run, and the corpus generator it stands on.

The benchmark itself is not a test; these check that a tiny run of it completes, runs every
phase (a skipped phase fails the smoke run), measures every query type on every engine, finds the
FTS5 baseline's totals and facet counts equal to the archive's (or explained), and ends with the
line BENCHMARKS.md quotes.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import bench  # noqa: E402
import gen_corpus  # noqa: E402

from indexer.build import parse_all  # noqa: E402

QUERY_TYPES = ("rare", "common", "and2", "phrase", "filter1", "filter2", "browse")


def test_smoke_run_measures_every_query_type(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "bench.py"),
            "--smoke",
            "--work-dir",
            str(tmp_path / "work"),
            "--out-dir",
            str(out_dir),
        ],
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard only
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    last = proc.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"p95 ratio whoosh/fts5: \d+\.\d\d", last), last

    results = json.loads((out_dir / "smoke.json").read_text())
    assert results["skipped"] == []
    (size,) = results["sizes"]
    assert size["size"] == 300
    assert size["whoosh_build"]["sections_per_s"] > 0
    assert size["whoosh_build"]["index_bytes"] > 0
    assert size["whoosh_build"]["peak_rss_kib"] > 0
    for engine in ("fts5", "tantivy"):
        assert size["other_builds"][engine]["index_bytes"] > 0
    for table in ("queries", "queries_cold"):
        engines = ("whoosh", "fts5", "tantivy") if table == "queries" else ("whoosh", "fts5")
        for kind in (*QUERY_TYPES, "all"):
            row = size[table][kind]
            for engine in engines:
                stats = row[engine]
                assert row["n"] >= 2
                assert all(math.isfinite(stats[k]) and stats[k] > 0
                           for k in ("p50", "p95", "p99", "max"))
            assert math.isfinite(row["ratio_p95"]) and math.isfinite(row["ratio_p50"])
    assert f"{size['queries']['all']['ratio_p95']:.2f}" in last
    # The FTS5 baseline answers like the archive: every difference is explained.
    checks = size["checks"]
    assert checks["queries"] == sum(size["queries"][k]["n"] for k in QUERY_TYPES)
    assert checks["unexplained"] == 0, checks["mismatches"]
    assert checks["totals_equal"] + len(checks["mismatches"]) >= checks["queries"]
    assert size["fts5_top_method"] in size["fts5_top_methods_ms"]
    incremental = size["incremental"]
    assert len(incremental["seconds"]) == 3 and incremental["median_seconds"] > 0
    assert incremental["restore_seconds"] > 0
    (http,) = size["http"]
    assert "skipped" not in http, http
    assert http["requests"] > 0 and http["rps"] > 0 and http["statuses"] == {
        "200": http["requests"]}
    for memory in (http, http["startup_memory"]):
        assert memory["rss_anon_kib"] > 0 and memory["rss_file_kib"] > 0
    views = size["views"]
    names = [row["view"] for row in views["rows"]]
    for prefix in ("trends", "grid pillar", "grid theme", "force profile", "about",
                   "report page"):
        assert any(n.startswith(prefix) for n in names), (prefix, names)
    assert any("only=matched" in n for n in names), names
    assert len({n for n in names if n.startswith("force profile")}) >= 2, names
    for row in views["rows"]:
        for key in ("view_ms", "plain_ms", "ratio", "emptied_ratio", "cold_view_ms",
                    "cold_plain_ms", "cold_ratio"):
            assert isinstance(row[key], float) and math.isfinite(row[key]) and row[key] > 0, (
                row["view"], key, row[key])
        assert row["within_limit"] == (row["ratio"] <= views["limit"])
    assert views["rounds"] >= 3
    md = (out_dir / "smoke.md").read_text()
    assert md.startswith("### 300 sections")
    assert "| View | view ms | plain ms | ratio |" in md
    assert all(f"| {n} |" in md for n in names)


def test_a_smoke_run_refuses_to_skip_a_phase(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "bench.py"), "--smoke", "--no-http",
         "--work-dir", str(tmp_path / "work"), "--out-dir", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=60, cwd=REPO,  # timeout: a hang guard only
    )
    assert proc.returncode != 0
    assert "must run every phase" in proc.stderr and "--no-http" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_a_phase_skipped_while_running_is_reported() -> None:
    """A server that exits or never listens turns the HTTP entry into a `skipped` one; the run
    lists it (and a smoke run then fails)."""
    size: dict = {"size": 300, "other_builds": {"tantivy": {"index_bytes": 1}},
                  "http": [{"skipped": "server exited (1): boom"}],
                  "views": {"rows": [{"view": "about (coverage)"}]}}
    assert bench.skipped_phases({"sizes": [size]}) == ["300: http (server exited (1): boom)"]
    size["http"] = [{"requests": 60}]
    assert bench.skipped_phases({"sizes": [size]}) == []
    del size["views"]
    assert bench.skipped_phases({"sizes": [size]}) == ["300: views (not run)"]
    size["views"] = {"rows": [{"view": "about (coverage)"}]}
    size["other_builds"]["tantivy"] = {"skipped": "not installed"}
    assert bench.skipped_phases({"sizes": [size]}) == ["300: tantivy (not installed)"]


@pytest.mark.parametrize("sections", [1, 7, 250])
def test_generated_corpus_parses_to_exactly_the_sections_asked_for(
    tmp_path: Path, sections: int
) -> None:
    gen_corpus.generate(sections, tmp_path / "c", seed=3)
    result = parse_all([tmp_path / "c"])
    assert result.failures == []
    assert len(result.sections) == sections


def test_generator_is_deterministic(tmp_path: Path) -> None:
    gen_corpus.generate(120, tmp_path / "a", seed=5)
    gen_corpus.generate(120, tmp_path / "b", seed=5)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.txt"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.txt"))
    assert files_a == files_b
    assert all(
        (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a
    )


def test_generator_refuses_the_real_corpus_folder() -> None:
    with pytest.raises(SystemExit, match="refusing to write inside"):
        gen_corpus.generate(10, REPO / "corpus" / "generated", seed=1)


def test_every_bench_step_script_imports() -> None:
    """`./scripts/bench` runs bench.py, then bench_export.py, and offers bench_stall.py: a
    helper one of them imports from another module must still be there (a broken import made
    the wrapper fail after the main run)."""
    for name in ("bench_export", "bench_stall", "bench_replicas"):
        proc = subprocess.run([sys.executable, str(REPO / "scripts" / f"{name}.py"), "--help"],
                              capture_output=True, text=True, cwd=REPO, timeout=120)
        assert proc.returncode == 0, f"{name}.py --help: {proc.stderr[-400:]}"
