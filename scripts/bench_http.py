"""The benchmark's HTTP phase: the real server (`peel-web serve`) on 127.0.0.1 under a bounded
load of `/api/search` requests, with its memory (RSS, private RssAnon, file-backed RssFile) after
start-up and after the load."""

from __future__ import annotations

import contextlib
import http.client
import math
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench_queries import BenchQuery
from bench_timing import percentile

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def timed(fn: Any) -> tuple[float, Any]:
    t = time.perf_counter()
    value = fn()
    return (time.perf_counter() - t) * 1000, value


def summary(ms: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(ms),
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "max": max(ms) if ms else math.nan,
        "mean": sum(ms) / len(ms) if ms else math.nan,
    }



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
