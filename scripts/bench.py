"""Benchmark the archive's search against a strong SQLite FTS5 baseline on one generated corpus.

For each size: generate a seeded corpus (scripts/gen_corpus.py), build the archive's index
through the real `peel-index build` (sections/s, size on disk, the child's peak RSS), time
incremental rebuilds, build SQLite FTS5 (scripts/bench_fts5.py, the baseline, built the way a
SQLite expert would) and tantivy (scripts/bench_tantivy.py, a reference row, when the optional
`bench` extra is installed) from the same parsed sections, and replay the same queries
(scripts/bench_queries.py: 7 types, no exact repeats) on every engine — each answer is the top
20 with highlighted snippets and disjunctive counts for every facet, the work the search page
does. Method (scripts/bench_timing.py): a warm-up pass whose answers are checked (totals and
every facet count of FTS5 against the archive's, each mismatch listed), then `--rounds` timed
rounds interleaved query by query with the engine order rotating; percentiles per round, the
median over rounds, ratios the median of per-round ratios; then the same with the archive's
caches emptied before each of its queries. Last, the real server (`peel-web serve`) is loaded
on 127.0.0.1 with a bounded number of requests (scripts/bench_http.py).

Prints a table per size and, last, `p95 ratio whoosh/fts5: X.XX` for the largest size.
Results go to bench-results/ as JSON and as markdown. With `--smoke` (the test suite's run) a
skipped phase is an error.

Example:
    scripts/bench --sizes 10000,100000
    scripts/bench --smoke
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import bench_tantivy  # noqa: E402
import gen_corpus  # noqa: E402
from bench_fts5 import Fts5Engine  # noqa: E402
from bench_http import http_bench  # noqa: E402
from bench_queries import (  # noqa: E402
    PER_PAGE,
    QUERY_TYPES,
    STOP_WORDS,
    BenchQuery,
    Outcome,
    make_queries,
)
from bench_timing import summarise, timed_rounds, warm_up  # noqa: E402
from bench_views import views_bench, views_markdown, words_of  # noqa: E402

from indexer.build import parse_all  # noqa: E402
from indexer.schema import FACET_NAMES  # noqa: E402
from webapp.snippets import snippet_html  # noqa: E402

BIN = Path(sys.executable).parent
SUBJECT, BASELINE = "whoosh", "fts5"


class ArchiveEngine:
    """The project's own search library (`indexer.search.engine.Archive`) over the built index."""

    name = SUBJECT

    def __init__(self, index_dir: Path) -> None:
        from indexer.search.engine import Archive, SearchRequest

        self._request = SearchRequest
        self.archive = Archive(index_dir)

    def search(self, bq: BenchQuery) -> Outcome:
        req = self._request(q=bq.q, filters=bq.filters, page=1, per_page=PER_PAGE, sort=bq.sort)
        result = self.archive.search(req)
        return Outcome(
            result.total,
            len(result.hits),
            {name: {v.value: v.count for v in values if v.count}
             for name, values in result.facets.items()},
            sum(len(snippet_html(h.snippet)) for h in result.hits),  # the page's HTML
        )

    def drop_caches(self) -> None:
        self.archive.drop_caches()


# -- measuring --------------------------------------------------------------------------------


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




# -- checking answers across engines ----------------------------------------------------------


def _has_stop_word(bq: BenchQuery) -> bool:
    return bq.kind == "phrase" and any(w in STOP_WORDS for w in bq.q.strip('"').split())


STOP_WORD_PHRASE = (
    "the archive drops stop words (and one-letter words) from text and query and renumbers "
    "positions, so its phrase also matches the words with stop words between them{}; "
    "recounted that way from FTS5's sections holding every word: {} = the archive's total"
)


def check_answers(queries: Sequence[BenchQuery], subject: Sequence[Outcome],
                  baseline: Sequence[Outcome], fts: Fts5Engine) -> dict[str, Any]:
    """The baseline's total and every facet count against the archive's, query by query. A
    phrase that differs is recounted under the archive's analysis (stop words dropped); when
    that recount equals the archive's total, the difference is explained."""
    mismatches: list[dict[str, Any]] = []
    same_totals = same_facets = 0
    for bq, a, b in zip(queries, subject, baseline, strict=True):
        same_totals += a.total == b.total
        differing = [n for n in FACET_NAMES if a.facets.get(n, {}) != b.facets.get(n, {})]
        same_facets += not differing
        if a.total != b.total or differing:
            why = "unexplained"
            if bq.kind == "phrase" and not bq.filters:
                recount = fts.phrase_total_as_archive(bq)
                if recount == a.total:
                    why = STOP_WORD_PHRASE.format(
                        " (and the phrase's own stop word is not required)"
                        if _has_stop_word(bq) else "", recount)
            mismatches.append({
                "query": bq.label(),
                "why": why,
                "whoosh_total": a.total,
                "fts5_total": b.total,
                "facets_differing": differing,
            })
    return {"queries": len(queries), "totals_equal": same_totals,
            "facet_counts_equal": same_facets, "mismatches": mismatches,
            "unexplained": sum(m["why"] == "unexplained" for m in mismatches)}


# -- one size ---------------------------------------------------------------------------------


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




def build_whoosh(size: int, corpus: Path, work: Path, log: Path) -> tuple[Path, list[str],
                                                                          dict[str, Any]]:
    say(f"[{size}] whoosh build (peel-index build)")
    index_dir = work / f"index-{size}"
    shutil.rmtree(index_dir, ignore_errors=True)
    cmd = [str(BIN / "peel-index"), "build", str(corpus), "--index-dir", str(index_dir)]
    status, seconds, maxrss = run_child(cmd, log / f"build-{size}.log")
    if status != 0:
        tail = (log / f"build-{size}.log").read_text(errors="replace").splitlines()[-5:]
        raise SystemExit(f"peel-index build failed ({status}): " + " | ".join(tail))
    build = (index_dir / "current").resolve()
    return index_dir, cmd, {
        "command": " ".join(cmd),
        "seconds": seconds,
        "sections_per_s": size / seconds,
        "index_bytes": dir_bytes(build),
        "peak_rss_kib": maxrss,
    }


def build_others(size: int, corpus: Path, work: Path, args: argparse.Namespace
                 ) -> tuple[list[Any], dict[str, Any], list[BenchQuery]]:
    """Parse the corpus with the real parser; build FTS5 (and tantivy) from it; draw queries."""
    say(f"[{size}] parse for fts5")
    parse_ms, parsed = timed(lambda: parse_all([corpus]))
    sections = parsed.sections
    if len(sections) != size or parsed.failures:
        raise SystemExit(f"parsed {len(sections)} sections, {len(parsed.failures)} failures")
    info: dict[str, Any] = {"parse_seconds": parse_ms / 1000}
    say(f"[{size}] fts5 build")
    db_path = work / f"fts5-{size}.sqlite"
    with contextlib.suppress(FileNotFoundError):
        db_path.unlink()
    fts = Fts5Engine(db_path)
    ms, _ = timed(lambda: fts.build(sections))
    info["fts5"] = {"seconds": ms / 1000, "sections_per_s": size / (ms / 1000),
                    "index_bytes": db_path.stat().st_size}
    engines: list[Any] = [fts]
    why_not = None if args.no_tantivy else bench_tantivy.available()
    if args.no_tantivy:
        why_not = "--no-tantivy"
    if why_not is None:
        say(f"[{size}] tantivy build")
        tv = bench_tantivy.TantivyEngine(work / f"tantivy-{size}")
        ms, _ = timed(lambda: tv.build(sections))
        info["tantivy"] = {"seconds": ms / 1000, "sections_per_s": size / (ms / 1000),
                           "index_bytes": dir_bytes(tv.path)}
        engines.append(tv)
    else:
        info["tantivy"] = {"skipped": why_not}
    queries, left_out = make_queries(sections, args.per_type, args.seed)
    info["words_left_out"] = left_out
    return engines, info, queries


def bench_size(size: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    out: dict[str, Any] = {"size": size}
    log = work / "logs"
    log.mkdir(parents=True, exist_ok=True)
    say(f"[{size}] corpus")
    t = time.perf_counter()
    corpus = corpus_for(size, args.seed, work)
    out["corpus"] = {"path": str(corpus), "seconds": time.perf_counter() - t,
                     "bytes": dir_bytes(corpus)}
    index_dir, cmd, out["whoosh_build"] = build_whoosh(size, corpus, work, log)
    out["incremental"] = incremental_rebuilds(corpus, cmd, size, log)
    others, out["other_builds"], queries = build_others(size, corpus, work, args)
    fts = others[0]

    say(f"[{size}] open engines, first search")
    open_w, whoosh = timed(lambda: ArchiveEngine(index_dir))
    open_f, _ = timed(fts.open)
    first = next(q for q in queries if q.kind == "common")
    first_w, _ = timed(lambda: whoosh.search(first))
    first_f, _ = timed(lambda: fts.search(first))
    out["startup"] = {"whoosh_open_ms": open_w, "fts5_open_ms": open_f,
                      "whoosh_first_search_ms": first_w, "fts5_first_search_ms": first_f,
                      "first_query": first.label()}
    for other in others[1:]:
        other.open()
    engines = [whoosh, *others]

    say(f"[{size}] warm-up pass and answer checks, {len(queries)} queries")
    answers = warm_up(engines, queries)
    out["checks"] = check_answers(queries, answers[SUBJECT], answers[BASELINE], fts)
    out["fts5_top_methods_ms"] = fts.choose_top_method(queries)
    out["fts5_top_method"] = fts.top_method

    say(f"[{size}] {args.rounds} timed rounds, {' / '.join(e.name for e in engines)}")
    times = timed_rounds(engines, queries, args.rounds)
    out["queries"] = summarise(times, queries, SUBJECT, BASELINE)
    say(f"[{size}] {args.rounds} rounds with the archive's caches emptied before each query")
    cold = timed_rounds([whoosh, fts], queries, args.rounds,
                        before={SUBJECT: whoosh.drop_caches})
    out["queries_cold"] = summarise(cold, queries, SUBJECT, BASELINE)
    warm_common = out["queries"]["common"][SUBJECT]["p50"]
    out["startup"]["whoosh_first_vs_warm_common_p50"] = first_w / warm_common
    out["query_examples"] = {k: [q.label() for q in queries if q.kind == k][:4]
                             for k in QUERY_TYPES}
    for engine in others:
        engine.close()
    whoosh.archive.close()
    say(f"[{size}] research views against the plain search, {max(3, args.rounds)} rounds")
    out["views"] = views_bench(index_dir, words_of(queries), args.rounds)

    out["http"] = []
    if args.no_http:
        out["http"].append({"skipped": "--no-http"})
    for workers in [] if args.no_http else args.http_workers:
        say(f"[{size}] http: peel-web serve --workers {workers}, concurrency {args.concurrency}")
        out["http"].append(
            http_bench(index_dir, queries, workers, args.concurrency, args.http_requests,
                       args.http_seconds, log / f"serve-{size}-w{workers}.log")
        )
    return out


def skipped_phases(results: Mapping[str, Any]) -> list[str]:
    """Every phase of the run that did not run, by name."""
    out = []
    for r in results["sizes"]:
        tv = r["other_builds"]["tantivy"]
        if "skipped" in tv:
            out.append(f"{r['size']}: tantivy ({tv['skipped']})")
        out += [f"{r['size']}: http ({h['skipped']})" for h in r["http"] if "skipped" in h]
        if not r["http"]:
            out.append(f"{r['size']}: http (no worker count given)")
        views = r.get("views") or {"skipped": "not run"}
        if "skipped" in views or not views.get("rows"):
            out.append(f"{r['size']}: views ({views.get('skipped', 'no view measured')})")
    return out


# -- reporting --------------------------------------------------------------------------------


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _f(x: float | None, digits: int = 1) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.{digits}f}"


def _mib(d: Mapping[str, Any], key: str) -> str:
    return _f(d.get(key, math.nan) / 1024, 0)


def _latency_table(rows: Mapping[str, Any], engines: Sequence[str]) -> list[str]:
    head = "| Query type | n |"
    rule = "|---|---:|"
    for e in engines:
        head += f" {e} p50 | {e} p95 | {e} p99 |"
        rule += "---:|---:|---:|"
    head += " ratio p50 | ratio p95 | ratio p99 |"
    rule += "---:|---:|---:|"
    lines = [head, rule]
    for kind, row in rows.items():
        name = f"**{kind}**" if kind == "all" else kind
        cells = f"| {name} | {row['n']} |"
        for e in engines:
            cells += "".join(f" {_f(row[e][p])} |" for p in ("p50", "p95", "p99"))
        cells += "".join(f" {_f(row[f'ratio_{p}'], 2)} |" for p in ("p50", "p95", "p99"))
        lines.append(cells)
    return lines


def markdown(results: Mapping[str, Any]) -> str:
    lines: list[str] = []
    for r in results["sizes"]:
        wb, ob, st, ck = r["whoosh_build"], r["other_builds"], r["startup"], r["checks"]
        engines = [SUBJECT, BASELINE] + (["tantivy"] if "skipped" not in ob["tantivy"] else [])
        lines += [
            f"### {r['size']:,} sections",
            "",
            "| Build | seconds | sections/s | index size | peak RSS |",
            "|---|---:|---:|---:|---:|",
            f"| archive (`peel-index build`, parse + write) | {_f(wb['seconds'])} | "
            f"{_f(wb['sections_per_s'], 0)} | {_f(wb['index_bytes'] / 2**20)} MiB | "
            f"{_f(wb['peak_rss_kib'] / 1024, 0)} MiB |",
        ]
        for e in ("fts5", "tantivy"):
            b = ob[e]
            if "skipped" in b:
                lines.append(f"| {e} | not built: {b['skipped']} | | | |")
            else:
                lines.append(f"| {e} (insert only; parse took {_f(ob['parse_seconds'])} s) | "
                             f"{_f(b['seconds'])} | {_f(b['sections_per_s'], 0)} | "
                             f"{_f(b['index_bytes'] / 2**20)} MiB | – |")
        inc = r["incremental"]
        lines += [
            "",
            f"Incremental rebuild (`peel-index build` again after appending a paragraph to "
            f"`{inc['file']}`, 3 times): median **{_f(inc['median_seconds'], 2)} s** (runs "
            f"{', '.join(_f(x, 2) for x in inc['seconds'])} s); after restoring the file byte "
            f"for byte {_f(inc['restore_seconds'], 2)} s.",
            "",
            f"Warm, {results['settings']['rounds']} interleaved rounds (ms; ratio = "
            f"{SUBJECT}/{BASELINE}, median of per-round ratios):",
            "",
            *_latency_table(r["queries"], engines),
            "",
            "The archive's caches emptied before each of its queries (FTS5 warm):",
            "",
            *_latency_table(r["queries_cold"], [SUBJECT, BASELINE]),
            "",
            f"Answers checked: totals equal on {ck['totals_equal']} of {ck['queries']} queries, "
            f"every facet count equal on {ck['facet_counts_equal']} of {ck['queries']}; "
            f"{len(ck['mismatches'])} mismatches ({ck['unexplained']} unexplained). FTS5 top-20 "
            f"method kept: `{r['fts5_top_method']}` (median ms per word query in the warm-up: "
            + ", ".join(f"{k} {_f(v, 2)}" for k, v in r["fts5_top_methods_ms"].items()) + ").",
            "",
        ]
        lines += [f"- mismatch: {m['query']}: totals {m['whoosh_total']} vs "
                  f"{m['fts5_total']}, facets differing {m['facets_differing'] or 'none'} "
                  f"— {m['why']}" for m in ck["mismatches"]]
        lines += [
            "",
            f"Start-up: archive `Archive()` open {_f(st['whoosh_open_ms'])} ms, first search "
            f"{_f(st['whoosh_first_search_ms'])} ms "
            f"({_f(st['whoosh_first_vs_warm_common_p50'], 1)}× the warm common-word p50); "
            f"FTS5 open {_f(st['fts5_open_ms'])} ms, first search "
            f"{_f(st['fts5_first_search_ms'])} ms.",
            "",
            *views_markdown(r.get("views") or {"skipped": "not run"}, _f),
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
        description="The archive's search vs a strong SQLite FTS5 (and tantivy) on a generated "
                    "corpus.",
        epilog="Example: scripts/bench --sizes 10000,100000",
    )
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated section counts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-type", type=int, default=40, help="queries per query type")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds after the warm-up")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/peel-bench"),
                        help="corpora, indexes and logs (outside the repository)")
    parser.add_argument("--out-dir", type=Path, default=REPO / "bench-results")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--http-workers", default="1,2", help="server processes to try")
    parser.add_argument("--http-requests", type=int, default=1000, help="request cap per run")
    parser.add_argument("--http-seconds", type=float, default=30.0, help="time cap per run")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP measurement")
    parser.add_argument("--no-tantivy", action="store_true", help="skip the tantivy row")
    parser.add_argument("--smoke", action="store_true",
                        help="tiny run: 300 sections, 21 queries, 60 HTTP requests; "
                             "fails if any phase is skipped")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes, args.per_type = "300", 3
        args.http_workers, args.http_requests, args.http_seconds = "1", 60, 10.0
        args.concurrency = min(args.concurrency, 4)
    args.sizes = sorted(int(s) for s in str(args.sizes).split(",") if s.strip())
    args.http_workers = [int(w) for w in str(args.http_workers).split(",") if w.strip()]
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.smoke:
        missing = [why for why in (
            "--no-http" if args.no_http else None,
            "--no-tantivy" if args.no_tantivy else None,
            bench_tantivy.available(),
            None if (BIN / "peel-web").exists() else f"{BIN / 'peel-web'} not found",
        ) if why]
        if missing:
            parser.error("a smoke run must run every phase; it cannot: " + "; ".join(missing))
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
    args.out_dir.mkdir(parents=True, exist_ok=True)
    stem = "smoke" if args.smoke else f"bench-{started:%Y%m%d-%H%M%S}"
    json_path = args.out_dir / f"{stem}.json"
    md_path = args.out_dir / f"{stem}.md"
    for size in args.sizes:
        results["sizes"].append(bench_size(size, args, work))
        # Written after every size, so that a run cut short keeps what it measured.
        results["seconds"] = (dt.datetime.now() - started).total_seconds()
        results["skipped"] = skipped_phases(results)
        json_path.write_text(json.dumps(results, indent=2, default=_json_default))
        table = markdown(results)
        md_path.write_text(table + "\n")
    print(table)
    print(f"results: {json_path} and {md_path}")
    for phase in results["skipped"]:
        print(f"skipped: {phase}")
    if args.smoke and results["skipped"]:
        say("error: a smoke run must run every phase; skipped: " + "; ".join(results["skipped"]))
        return 1
    largest = results["sizes"][-1]
    print(f"p95 ratio whoosh/fts5: {largest['queries']['all']['ratio_p95']:.2f}")
    return 0


def _json_default(value: object) -> object:
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)  # type: ignore[call-overload]
    return str(value)


if __name__ == "__main__":
    sys.exit(main())
