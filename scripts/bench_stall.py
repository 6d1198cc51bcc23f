"""Does a heavy query stall everyone? Cheap-query latency while clients send heavy ones.

Starts `peel-web serve` on 127.0.0.1 over a generated archive (scripts/gen_corpus.py, built by
the real indexer), starts `--heavy-clients` clients that send the heaviest query the archive
allows over and over, and measures one client sending `--cheap-requests` cheap searches (a
rare word) one after another: their p50, p99 and worst latency, and how the heavy ones were
answered. Loopback only; bounded in requests and in time (`--seconds`).

`--repo DIR` serves the code of another checkout (e.g. a worktree at an older commit) with the
same index, for a before/after comparison.

Example (the figure in BENCHMARKS.md, "Heavy queries and cheap ones"):
    python scripts/bench_stall.py --sections 10000 --work-dir /tmp/peel-stall
    python scripts/bench_stall.py --sections 10000 --work-dir /tmp/peel-stall --repo /tmp/before
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO))

import gen_corpus  # noqa: E402

# Four three-letter prefixes of the generated vocabulary's commonest stems: each expands to
# the 256 words one wildcard may, 1,024 together (the most a query may), over most sections.
HEAVY_QUERY = "ell* OR tio* OR ent* OR ock*"
CHEAP_QUERY = "solvability"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def ensure_index(sections: int, work: Path, seed: int) -> Path:
    corpus, index_dir = work / f"corpus-{sections}", work / f"index-{sections}"
    if not (index_dir / "current").exists():
        if not (corpus / gen_corpus.MANIFEST).exists():
            gen_corpus.generate(sections, corpus, seed)
        from indexer.build import build

        build([corpus], index_dir)
    return index_dir


def serve(repo: Path, index_dir: Path, extra: list[str]) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "webapp", "serve", "--index-dir", str(index_dir),
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", *extra],
        cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(repo)},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not start")


def measure(base: str, heavy_clients: int, cheap_requests: int, seconds: float
            ) -> dict[str, object]:
    stop = threading.Event()
    heavy: Counter[str] = Counter()
    lock = threading.Lock()

    def heavy_loop() -> None:
        with httpx.Client(base_url=base, timeout=seconds) as client:
            while not stop.is_set():
                try:
                    r = client.get("/api/search", params={"q": HEAVY_QUERY})
                    key = str(r.status_code)
                except httpx.HTTPError as exc:
                    key = type(exc).__name__
                with lock:
                    heavy[key] += 1

    threads = [threading.Thread(target=heavy_loop, daemon=True) for _ in range(heavy_clients)]
    for t in threads:
        t.start()
    time.sleep(1.0)  # let the heavy clients get going
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    ends = time.monotonic() + seconds
    with httpx.Client(base_url=base, timeout=seconds) as client:
        while len(latencies) < cheap_requests and time.monotonic() < ends:
            started = time.perf_counter()
            try:
                statuses[str(client.get("/api/search", params={"q": CHEAP_QUERY}).status_code)] += 1
            except httpx.HTTPError as exc:
                statuses[type(exc).__name__] += 1
            latencies.append(time.perf_counter() - started)
    stop.set()
    for t in threads:
        t.join(seconds)
    latencies.sort()
    return {
        "cheap_requests": len(latencies),
        "cheap_statuses": dict(statuses),
        "p50_s": round(statistics.median(latencies), 3) if latencies else None,
        "p99_s": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 3)
        if latencies else None,
        "max_s": round(latencies[-1], 3) if latencies else None,
        "heavy_answers": dict(heavy),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/peel-stall"))
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout whose code to serve")
    parser.add_argument("--heavy-clients", type=int, default=4)
    parser.add_argument("--cheap-requests", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=180.0, help="time cap of the run")
    parser.add_argument("--serve-option", action="append", default=[],
                        help="extra option for peel-web serve (repeatable), e.g. --workers=1")
    args = parser.parse_args()
    args.work_dir.mkdir(parents=True, exist_ok=True)
    index_dir = ensure_index(args.sections, args.work_dir, args.seed)
    proc, base = serve(args.repo.resolve(), index_dir, args.serve_option)
    try:
        alone = measure(base, 0, 10, args.seconds)
        loaded = measure(base, args.heavy_clients, args.cheap_requests, args.seconds)
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    print(json.dumps({
        "repo": str(args.repo), "sections": args.sections, "serve_options": args.serve_option,
        "heavy_query": HEAVY_QUERY, "cheap_query": CHEAP_QUERY,
        "cheap_alone": alone, "cheap_with_heavy_clients": loaded,
        "heavy_clients": args.heavy_clients,
    }, indent=2))


if __name__ == "__main__":
    main()
