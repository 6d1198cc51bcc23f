"""Benchmark the archive's Whoosh search against SQLite FTS5 on one generated corpus.

For each size: generate a seeded corpus (scripts/gen_corpus.py), build the Whoosh index through
the real `peel-index build` (sections/s, size on disk, the child's peak RSS), time incremental
rebuilds (append a paragraph to one report and run `peel-index build` again, 3 times; median
seconds; then restore the file byte for byte and rebuild once more), build an FTS5 index
of the same parsed sections, replay the same queries on both — each returning the top 20 with
highlighted snippets and disjunctive counts for every facet, the work the search page does —
and load the real server (`peel-web serve`) on 127.0.0.1 with a bounded number of requests
(with its RSS, private RssAnon and file-backed RssFile after start-up and after the load).
Prints a table per size and, last, `p95 ratio whoosh/fts5: X.XX` for the largest size.
Results go to bench-results/ as JSON and as a markdown table.

Example:
    scripts/bench --sizes 10000,100000
    scripts/bench --smoke
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import html
import http.client
import json
import math
import os
import platform
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import gen_corpus  # noqa: E402

from indexer.build import parse_all  # noqa: E402
from indexer.model import Section  # noqa: E402
from indexer.schema import FACET_NAMES  # noqa: E402

BIN = Path(sys.executable).parent
QUERY_TYPES: tuple[str, ...] = ("rare", "common", "and2", "phrase", "filter1", "filter2", "browse")
PER_PAGE = 20
# Whoosh drops these words from text and queries; FTS5 does not, so queries avoid them.
STOP_WORDS = frozenset(
    gen_corpus.words(
        "a an and are as at be by can for from have if in is it may not of on or tbd that the this "
        "to us we when will with yet you your"
    )
)
FILTER_FACETS = ("grade", "pillar", "cycle", "kind", "force")


# -- queries ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BenchQuery:
    """One search as a user states it, and the same search in FTS5's MATCH syntax."""

    kind: str
    q: str
    fts: str  # "" for browsing (no text query)
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def params(self) -> list[tuple[str, str]]:
        out = [("q", self.q)] if self.q else []
        for name, values in self.filters.items():
            out.extend((name, v) for v in values)
        return out

    def label(self) -> str:
        f = " ".join(f"{k}={v[0]}" for k, v in self.filters.items())
        return f"{self.kind}: {self.q!r} {f}".strip()


def _fts_terms(*words: str) -> str:
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def make_queries(sections: Sequence[Section], per_type: int, seed: int) -> list[BenchQuery]:
    """`per_type` queries of every type, drawn from the corpus so that filters name real values."""
    rng = random.Random(seed)
    common = [
        w for w in gen_corpus.HEAD_WORDS[40:200] if w not in STOP_WORDS and len(w) > 2
    ]
    rare = [t for t in gen_corpus.RARE_TERMS if " " not in t and "'" not in t]

    # Filter values weighted as users meet them: pick a section, use its value.
    def filter_value(name: str) -> str:
        while True:
            v: str = getattr(rng.choice(sections), name)
            if v:
                return v

    queries: list[BenchQuery] = []
    for i in range(per_type):
        t = rare[i % len(rare)]
        queries.append(BenchQuery("rare", t, _fts_terms(t)))
        w = common[rng.randrange(min(60, len(common)))]
        queries.append(BenchQuery("common", w, _fts_terms(w)))
        a, b = rng.sample(common, 2)
        queries.append(BenchQuery("and2", f"{a} {b}", _fts_terms(a, b)))
        p = gen_corpus.PHRASES[i % len(gen_corpus.PHRASES)]
        queries.append(BenchQuery("phrase", f'"{p}"', '"' + p + '"'))
        w = rng.choice(common)
        f1 = rng.choice(FILTER_FACETS)
        queries.append(BenchQuery("filter1", w, _fts_terms(w), {f1: (filter_value(f1),)}))
        w = rng.choice(common)
        f1, f2 = rng.sample(FILTER_FACETS, 2)
        queries.append(
            BenchQuery(
                "filter2", w, _fts_terms(w), {f1: (filter_value(f1),), f2: (filter_value(f2),)}
            )
        )
        browse_filters: dict[str, tuple[str, ...]] = {}
        if i % 2:
            f1 = rng.choice(FILTER_FACETS)
            browse_filters = {f1: (filter_value(f1),)}
        queries.append(BenchQuery("browse", "", "", browse_filters))
    return queries


# -- engines ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Outcome:
    """What one engine returned for one query (enough to check the work was done)."""

    total: int
    hits: int
    facet_values: int
    snippet_chars: int


META_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(
        ("section_id", "report_id", "report_title", "heading", *FACET_NAMES, "updated", "position")
    )
)


def _meta_row(s: Section) -> tuple[object, ...]:
    row = []
    for name in META_COLUMNS:
        value = getattr(s, name)
        row.append(value.isoformat() if name == "updated" and value else value or "")
    return tuple(row)


class Fts5Engine:
    """SQLite FTS5 (porter unicode61) over the same sections, facets in a side table."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path)
        self.rows = 0

    def build(self, sections: Sequence[Section]) -> None:
        db = self.db
        db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE VIRTUAL TABLE fts USING fts5(heading, text, tokenize = 'porter unicode61');
            """
        )
        db.execute(f"CREATE TABLE meta (rowid INTEGER PRIMARY KEY, {', '.join(META_COLUMNS)})")
        marks = ", ".join("?" * (len(META_COLUMNS) + 1))
        with db:
            db.executemany(
                "INSERT INTO fts (rowid, heading, text) VALUES (?, ?, ?)",
                ((i, s.heading, s.text) for i, s in enumerate(sections, start=1)),
            )
            db.executemany(
                f"INSERT INTO meta VALUES ({marks})",
                ((i, *_meta_row(s)) for i, s in enumerate(sections, start=1)),
            )
        for name in FACET_NAMES:
            db.execute(f"CREATE INDEX meta_{name} ON meta ({name})")
        db.execute("CREATE INDEX meta_chron ON meta (updated, report_id, position)")
        db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
        db.commit()
        db.execute("ANALYZE")

    def open(self) -> None:
        self.db.close()
        self.db = sqlite3.connect(self.path, check_same_thread=False)
        self.db.execute("CREATE TEMP TABLE m (rowid INTEGER PRIMARY KEY)")
        self.rows = self.db.execute("SELECT count(*) FROM meta").fetchone()[0]

    def search(self, bq: BenchQuery) -> Outcome:
        db = self.db
        clauses = {
            name: (f"meta.{name} IN ({','.join('?' * len(vals))})", list(vals))
            for name, vals in bq.filters.items()
        }

        def where(skip: str = "") -> tuple[str, list[str]]:
            parts = [c for n, (c, _) in clauses.items() if n != skip]
            params = [v for n, (_, vs) in clauses.items() if n != skip for v in vs]
            return (" AND ".join(parts) or "1"), params

        if bq.fts:
            db.execute("DELETE FROM temp.m")
            matched = db.execute(
                "INSERT INTO temp.m SELECT rowid FROM fts WHERE fts MATCH ?", (bq.fts,)
            ).rowcount
            # SQLite has no statistics for the temp table, so pick the plan by hand: look up
            # a small match set by rowid; scan the covering facet index for a large one.
            if matched * 20 < self.rows:
                base = "FROM meta WHERE meta.rowid IN temp.m AND"
            else:
                base = "FROM temp.m JOIN meta ON meta.rowid = m.rowid WHERE"
        else:
            base = "FROM meta WHERE"
        facet_values = 0
        for name in FACET_NAMES:
            cond, params = where(skip=name)
            rows = db.execute(
                f"SELECT meta.{name}, count(*) {base} {cond} AND meta.{name} != '' "
                f"GROUP BY meta.{name}",
                params,
            ).fetchall()
            facet_values += len(rows)
        cond, params = where()
        total = db.execute(f"SELECT count(*) {base} {cond}", params).fetchone()[0]
        if bq.fts:
            rows = db.execute(
                "SELECT meta.*, snippet(fts, -1, char(1), char(2), ' … ', 40) "
                "FROM fts JOIN meta ON meta.rowid = fts.rowid "
                f"WHERE fts MATCH ? AND {cond} ORDER BY bm25(fts, 1.5, 1.0) LIMIT ?",
                [bq.fts, *params, PER_PAGE],
            ).fetchall()
            snippets = [
                html.escape(r[-1], quote=False)
                .replace("\x01", "<mark>")
                .replace("\x02", "</mark>")
                for r in rows
            ]
        else:
            rows = db.execute(
                "SELECT meta.*, substr(fts.text, 1, 320) FROM meta "
                "JOIN fts ON fts.rowid = meta.rowid "
                f"WHERE {cond} ORDER BY meta.updated DESC, meta.report_id DESC, meta.position "
                "LIMIT ?",
                [*params, PER_PAGE],
            ).fetchall()
            snippets = [html.escape(r[-1], quote=False) for r in rows]
        return Outcome(total, len(rows), facet_values, sum(map(len, snippets)))

    def close(self) -> None:
        self.db.close()


class WhooshEngine:
    """The project's own search module (`indexer.search.engine.Archive`) over the built index."""

    def __init__(self, index_dir: Path) -> None:
        from indexer.search.engine import Archive, SearchRequest

        self._request = SearchRequest
        self.archive = Archive(index_dir)

    def search(self, bq: BenchQuery) -> Outcome:
        req = self._request(q=bq.q, filters=bq.filters, page=1, per_page=PER_PAGE)
        result = self.archive.search(req)
        return Outcome(
            result.total,
            len(result.hits),
            sum(len(v) for v in result.facets.values()),
            sum(len(h.snippet) for h in result.hits),
        )


# -- measuring --------------------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(ms: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(ms),
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "max": max(ms) if ms else math.nan,
        "mean": sum(ms) / len(ms) if ms else math.nan,
    }


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    value = fn()
    return (time.perf_counter() - t) * 1000, value


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def run_child(cmd: list[str], log: Path) -> tuple[int, float, int]:
    """Run a command; (exit status, seconds, its peak RSS in KiB from wait4)."""
    with open(log, "wb") as fh:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, cwd=REPO)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, seconds, int(usage.ru_maxrss)


def corpus_for(size: int, seed: int, work: Path) -> Path:
    """The generated corpus of `size` sections, reused when an identical one exists."""
    folder = work / f"corpus-{size}-s{seed}"
    manifest = folder / gen_corpus.MANIFEST
    if manifest.exists():
        data = json.loads(manifest.read_text())
        if (
            data.get("sections") == size
            and data.get("seed") == seed
            and data.get("generator_version") == gen_corpus.GENERATOR_VERSION
        ):
            return folder
    shutil.rmtree(folder, ignore_errors=True)
    gen_corpus.generate(size, folder, seed)
    return folder


# -- HTTP -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(conn: http.client.HTTPConnection, path: str) -> int:
    conn.request("GET", path)
    resp = conn.getresponse()
    resp.read()
    return resp.status


STATUS_FIELDS = {"VmRSS": "rss_kib", "VmHWM": "hwm_kib", "RssAnon": "rss_anon_kib",
                 "RssFile": "rss_file_kib"}


def _proc_status(pid: int) -> dict[str, int]:
    """VmRSS, VmHWM, RssAnon (private) and RssFile (file-backed), KiB, of a process and its
    children (uvicorn workers), from /proc/PID/status."""
    out = dict.fromkeys(STATUS_FIELDS.values(), 0)
    pids = [pid]
    with contextlib.suppress(OSError):
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(k) for k in kids]
    for p in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                name, _, value = line.partition(":")
                if name in STATUS_FIELDS:
                    out[STATUS_FIELDS[name]] += int(value.split()[0])
    return out


def http_bench(
    index_dir: Path,
    queries: Sequence[BenchQuery],
    workers: int,
    concurrency: int,
    max_requests: int,
    max_seconds: float,
    log: Path,
) -> dict[str, Any]:
    """Requests/s and latency of /api/search on the real server under a bounded load."""
    exe = BIN / "peel-web"
    if not exe.exists():
        return {"skipped": f"{exe} not found"}
    port = free_port()
    cmd = [
        str(exe), "serve", "--index-dir", str(index_dir), "--host", "127.0.0.1",
        "--port", str(port), "--workers", str(workers), "--log-level", "warning",
    ]
    paths = ["/api/search?" + urllib.parse.urlencode(q.params()) for q in queries]
    with open(log, "wb") as fh:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, cwd=REPO)
        try:
            return _load(proc, port, paths, workers, concurrency, max_requests, max_seconds,
                         started, log)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _load(
    proc: subprocess.Popen[bytes],
    port: int,
    paths: Sequence[str],
    workers: int,
    concurrency: int,
    max_requests: int,
    max_seconds: float,
    started: float,
    log: Path,
) -> dict[str, Any]:
    deadline = started + 180
    while True:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace").strip().splitlines()[-3:]
            return {"skipped": f"server exited ({proc.returncode}): {' | '.join(tail)}"}
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if time.perf_counter() > deadline:
                return {"skipped": "server did not listen within 180 s"}
            time.sleep(0.1)
    ready_s = time.perf_counter() - started
    at_startup = _proc_status(proc.pid)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    first_ms, first_status = timed(lambda: _get(conn, paths[0]))
    again_ms, _ = timed(lambda: _get(conn, paths[0]))
    conn.close()

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    counter = iter(range(max_requests))
    stop_at = time.perf_counter() + max_seconds

    def worker() -> None:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            while time.perf_counter() < stop_at:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                ms, status = timed(lambda i=i: _get(c, paths[i % len(paths)]))
                with lock:
                    latencies.append(ms)
                    statuses[status] = statuses.get(status, 0) + 1
        finally:
            c.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    memory = _proc_status(proc.pid)
    return {
        "workers": workers,
        "concurrency": concurrency,
        "requests": len(latencies),
        "seconds": wall,
        "rps": len(latencies) / wall if wall else math.nan,
        "latency_ms": summary(latencies),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "ready_s": ready_s,
        "first_request_ms": first_ms,
        "first_status": first_status,
        "second_request_ms": again_ms,
        **memory,
        "startup_memory": at_startup,
    }


# -- one size ---------------------------------------------------------------------------------


def fts_side(
    corpus: Path, size: int, args: argparse.Namespace, work: Path
) -> tuple[Fts5Engine, dict[str, float], list[BenchQuery]]:
    """Parse the corpus with the real parser, build FTS5 from it, and draw the queries."""
    say(f"[{size}] parse for fts5")
    parse_ms, parsed = timed(lambda: parse_all([corpus]))
    sections = parsed.sections
    if len(sections) != size or parsed.failures:
        raise SystemExit(f"parsed {len(sections)} sections, {len(parsed.failures)} failures")
    say(f"[{size}] fts5 build")
    db_path = work / f"fts5-{size}.sqlite"
    with contextlib.suppress(FileNotFoundError):
        db_path.unlink()
    fts = Fts5Engine(db_path)
    insert_ms, _ = timed(lambda: fts.build(sections))
    info = {
        "parse_seconds": parse_ms / 1000,
        "insert_seconds": insert_ms / 1000,
        "sections_per_s_insert": size / (insert_ms / 1000),
        "sections_per_s_parse_and_insert": size / ((parse_ms + insert_ms) / 1000),
        "index_bytes": db_path.stat().st_size,
    }
    return fts, info, make_queries(sections, args.per_type, args.seed)



def incremental_rebuilds(corpus: Path, cmd: list[str], size: int, log: Path) -> dict[str, Any]:
    """Time `peel-index build` (incremental by default) after one report changes.

    Appends a short paragraph to one report 3 times (different text each time), rebuilding
    after each; then restores the file byte for byte and rebuilds once more.
    """
    reports = sorted(corpus.rglob("*.txt"))
    target = next((p for p in reports if p.parent.name == "areas-of-policing"), reports[0])
    original = target.read_bytes()
    runs: list[float] = []
    try:
        for i in range(3):
            say(f"[{size}] incremental rebuild {i + 1}/3 ({target.name})")
            extra = (f"\n\nIncremental benchmark note {i + 1}: the force reviewed "
                     f"{['custody', 'call handling', 'vetting'][i]} records again this month.\n")
            target.write_bytes(original + extra.encode("utf-8"))
            status, seconds, _ = run_child(cmd, log / f"build-{size}-incr{i + 1}.log")
            if status != 0:
                raise SystemExit(f"incremental peel-index build failed ({status})")
            runs.append(seconds)
    finally:
        target.write_bytes(original)
    say(f"[{size}] rebuild after restoring {target.name}")
    status, restore_s, _ = run_child(cmd, log / f"build-{size}-restore.log")
    if status != 0:
        raise SystemExit(f"peel-index build after the restore failed ({status})")
    return {
        "file": str(target.relative_to(corpus)),
        "seconds": runs,
        "median_seconds": sorted(runs)[len(runs) // 2],
        "restore_seconds": restore_s,
    }


def bench_size(size: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    out: dict[str, Any] = {"size": size}
    log = work / "logs"
    log.mkdir(parents=True, exist_ok=True)
    say(f"[{size}] corpus")
    t = time.perf_counter()
    corpus = corpus_for(size, args.seed, work)
    out["corpus"] = {"path": str(corpus), "seconds": time.perf_counter() - t,
                     "bytes": dir_bytes(corpus)}

    say(f"[{size}] whoosh build (peel-index build)")
    index_dir = work / f"index-{size}"
    shutil.rmtree(index_dir, ignore_errors=True)
    cmd = [str(BIN / "peel-index"), "build", str(corpus), "--index-dir", str(index_dir)]
    status, seconds, maxrss = run_child(cmd, log / f"build-{size}.log")
    if status != 0:
        tail = (log / f"build-{size}.log").read_text(errors="replace").splitlines()[-5:]
        raise SystemExit(f"peel-index build failed ({status}): " + " | ".join(tail))
    build = (index_dir / "current").resolve()
    out["whoosh_build"] = {
        "command": " ".join(cmd),
        "seconds": seconds,
        "sections_per_s": size / seconds,
        "index_bytes": dir_bytes(build),
        "peak_rss_kib": maxrss,
    }

    out["incremental"] = incremental_rebuilds(corpus, cmd, size, log)

    fts, out["fts5_build"], queries = fts_side(corpus, size, args, work)

    say(f"[{size}] open engines, first search")
    open_w, whoosh = timed(lambda: WhooshEngine(index_dir))
    open_f, _ = timed(fts.open)
    first_w, _ = timed(lambda: whoosh.search(queries[1]))
    first_f, _ = timed(lambda: fts.search(queries[1]))
    out["startup"] = {
        "whoosh_open_ms": open_w,
        "fts5_open_ms": open_f,
        "whoosh_first_search_ms": first_w,
        "fts5_first_search_ms": first_f,
        "first_query": queries[1].label(),
    }

    say(f"[{size}] replay {len(queries)} queries on both")
    times: dict[str, dict[str, list[float]]] = {
        e: {k: [] for k in QUERY_TYPES} for e in ("whoosh", "fts5")
    }
    agree = 0
    disagreements: list[str] = []
    for bq in queries:
        mw, ow = timed(lambda bq=bq: whoosh.search(bq))
        mf, of = timed(lambda bq=bq: fts.search(bq))
        times["whoosh"][bq.kind].append(mw)
        times["fts5"][bq.kind].append(mf)
        if ow.total == of.total:
            agree += 1
        elif len(disagreements) < 10:
            disagreements.append(f"{bq.label()}: whoosh {ow.total}, fts5 {of.total}")
    warm_common = summary(times["whoosh"]["common"])["p50"]
    out["startup"]["whoosh_first_vs_warm_common_p50"] = first_w / warm_common
    out["totals_agree"] = {"same": agree, "of": len(queries), "examples": disagreements}
    out["queries"] = {
        kind: {e: summary(times[e][kind]) for e in ("whoosh", "fts5")} for kind in QUERY_TYPES
    }
    all_w = [m for k in QUERY_TYPES for m in times["whoosh"][k]]
    all_f = [m for k in QUERY_TYPES for m in times["fts5"][k]]
    out["queries"]["all"] = {"whoosh": summary(all_w), "fts5": summary(all_f)}
    for row in out["queries"].values():
        row["ratio_p50"] = row["whoosh"]["p50"] / row["fts5"]["p50"]
        row["ratio_p95"] = row["whoosh"]["p95"] / row["fts5"]["p95"]
    out["query_examples"] = {k: [q.label() for q in queries if q.kind == k][:3]
                             for k in QUERY_TYPES}
    fts.close()

    out["http"] = []
    if args.no_http:
        out["http"].append({"skipped": "--no-http"})
    for workers in args.http_workers:
        if args.no_http:
            break
        say(f"[{size}] http: peel-web serve --workers {workers}, concurrency {args.concurrency}")
        out["http"].append(
            http_bench(index_dir, queries, workers, args.concurrency, args.http_requests,
                       args.http_seconds, log / f"serve-{size}-w{workers}.log")
        )
    return out


# -- reporting --------------------------------------------------------------------------------


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _f(x: float, digits: int = 1) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.{digits}f}"


def _mib(d: Mapping[str, Any], key: str) -> str:
    return _f(d.get(key, math.nan) / 1024, 0)


def markdown(results: Mapping[str, Any]) -> str:
    lines: list[str] = []
    for r in results["sizes"]:
        wb, fb, st = r["whoosh_build"], r["fts5_build"], r["startup"]
        lines += [
            f"### {r['size']:,} sections",
            "",
            "| Build | seconds | sections/s | index size | peak RSS |",
            "|---|---:|---:|---:|---:|",
            f"| Whoosh (`peel-index build`, parse + write) | {_f(wb['seconds'])} | "
            f"{_f(wb['sections_per_s'], 0)} | {_f(wb['index_bytes'] / 2**20)} MiB | "
            f"{_f(wb['peak_rss_kib'] / 1024, 0)} MiB |",
            f"| FTS5 (insert only; parse took {_f(fb['parse_seconds'])} s) | "
            f"{_f(fb['insert_seconds'])} | {_f(fb['sections_per_s_insert'], 0)} "
            f"({_f(fb['sections_per_s_parse_and_insert'], 0)} with parse) | "
            f"{_f(fb['index_bytes'] / 2**20)} MiB | – |",
            "",
            f"Incremental rebuild (`peel-index build` again after appending a paragraph to "
            f"`{r['incremental']['file']}`, 3 times): median "
            f"**{_f(r['incremental']['median_seconds'], 2)} s** (runs "
            f"{', '.join(_f(x, 2) for x in r['incremental']['seconds'])} s); after restoring "
            f"the file byte for byte {_f(r['incremental']['restore_seconds'], 2)} s.",
            "",
            "| Query type | n | Whoosh p50 | Whoosh p95 | Whoosh max | FTS5 p50 | FTS5 p95 | "
            "FTS5 max | ratio p50 | ratio p95 |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for kind, row in r["queries"].items():
            w, f = row["whoosh"], row["fts5"]
            name = f"**{kind}**" if kind == "all" else kind
            lines.append(
                f"| {name} | {w['n']} | {_f(w['p50'])} | {_f(w['p95'])} | {_f(w['max'])} | "
                f"{_f(f['p50'])} | {_f(f['p95'])} | {_f(f['max'])} | "
                f"{_f(row['ratio_p50'], 2)} | {_f(row['ratio_p95'], 2)} |"
            )
        lines += [
            "",
            "Times in ms: top 20 with highlighted snippets plus disjunctive counts for all "
            f"{len(FACET_NAMES)} facets. Totals equal on {r['totals_agree']['same']} of "
            f"{r['totals_agree']['of']} queries.",
            "",
            f"Start-up: Whoosh `Archive()` open {_f(st['whoosh_open_ms'])} ms, first search "
            f"{_f(st['whoosh_first_search_ms'])} ms "
            f"({_f(st['whoosh_first_vs_warm_common_p50'], 1)}× the warm common-term p50); "
            f"FTS5 open {_f(st['fts5_open_ms'])} ms, first search "
            f"{_f(st['fts5_first_search_ms'])} ms.",
            "",
        ]
        for h in r["http"]:
            if "skipped" in h:
                lines += [f"HTTP: not measured — {h['skipped']}", ""]
                continue
            lat, su = h["latency_ms"], h["startup_memory"]
            lines += [
                f"HTTP `/api/search` (`peel-web serve --workers {h['workers']}`), "
                f"{h['concurrency']} concurrent clients on 127.0.0.1: {h['requests']} requests in "
                f"{_f(h['seconds'])} s = **{_f(h['rps'])} requests/s**, latency p50 "
                f"{_f(lat['p50'])} ms, p95 {_f(lat['p95'])} ms, max {_f(lat['max'])} ms; "
                f"statuses {h['statuses']}; server RSS {_f(h['rss_kib'] / 1024, 0)} MiB "
                f"(peak {_f(h['hwm_kib'] / 1024, 0)} MiB; private RssAnon "
                f"{_mib(h, 'rss_anon_kib')} MiB, file-backed RssFile "
                f"{_mib(h, 'rss_file_kib')} MiB; after start-up RSS "
                f"{_mib(su, 'rss_kib')}, RssAnon {_mib(su, 'rss_anon_kib')}, RssFile "
                f"{_mib(su, 'rss_file_kib')} MiB); ready after {_f(h['ready_s'])} s, "
                f"first request {_f(h['first_request_ms'])} ms, second "
                f"{_f(h['second_request_ms'])} ms.",
                "",
            ]
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Whoosh (the archive's search) vs SQLite FTS5 on a generated corpus.",
        epilog="Example: scripts/bench --sizes 10000,100000",
    )
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated section counts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-type", type=int, default=40, help="queries per query type")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/peel-bench"),
                        help="corpora, indexes and logs (outside the repository)")
    parser.add_argument("--out-dir", type=Path, default=REPO / "bench-results")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--http-workers", default="1,2", help="server processes to try")
    parser.add_argument("--http-requests", type=int, default=1000, help="request cap per run")
    parser.add_argument("--http-seconds", type=float, default=30.0, help="time cap per run")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP measurement")
    parser.add_argument("--smoke", action="store_true",
                        help="tiny run: 300 sections, 21 queries, 60 HTTP requests")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes, args.per_type = "300", 3
        args.http_workers, args.http_requests, args.http_seconds = "1", 60, 10.0
        args.concurrency = min(args.concurrency, 4)
    args.sizes = sorted(int(s) for s in str(args.sizes).split(",") if s.strip())
    args.http_workers = [int(w) for w in str(args.http_workers).split(",") if w.strip()]
    return args


def machine() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError):
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split(":", 1)[1].strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    work: Path = args.work_dir.resolve()
    if REPO in work.parents or work == REPO:
        raise SystemExit(f"--work-dir must be outside the repository ({REPO})")
    work.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now()
    results: dict[str, Any] = {
        "command": " ".join(["scripts/bench", *(argv if argv is not None else sys.argv[1:])]),
        "started": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "sizes": [],
    }
    for size in args.sizes:
        results["sizes"].append(bench_size(size, args, work))
    results["seconds"] = (dt.datetime.now() - started).total_seconds()

    args.out_dir.mkdir(parents=True, exist_ok=True)
    stem = "smoke" if args.smoke else f"bench-{started:%Y%m%d-%H%M%S}"
    json_path = args.out_dir / f"{stem}.json"
    md_path = args.out_dir / f"{stem}.md"
    json_path.write_text(json.dumps(results, indent=2, default=_json_default))
    table = markdown(results)
    md_path.write_text(table + "\n")
    print(table)
    print(f"results: {json_path} and {md_path}")
    largest = results["sizes"][-1]
    print(f"p95 ratio whoosh/fts5: {largest['queries']['all']['ratio_p95']:.2f}")
    return 0


def _json_default(value: object) -> object:
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)  # type: ignore[call-overload]
    return str(value)


if __name__ == "__main__":
    sys.exit(main())
