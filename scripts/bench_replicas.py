"""Requests per second through nginx for 1 and 2 `peel-web serve` replicas (deploy/replicas).

Generates a seeded corpus (scripts/gen_corpus.py), builds it once, then for each replica count
starts `deploy/replicas` on 127.0.0.1, warms it, and drives it with a fixed mix of searches,
report pages and health checks for a fixed time at a fixed concurrency (loopback only, bounded
in count and time). Prints one line per replica count and a final ratio.

    ./scripts/bench_replicas --sections 10000 --seconds 20
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import gen_corpus  # noqa: E402

from indexer.build import build  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.loadgen import run_load  # noqa: E402

URLS = [
    "/api/search?q=police",
    "/api/search?q=demand&grade=Good",
    '/api/search?q=%22risk+of+harm%22',
    "/?q=vulnerable&kind=question",
    "/api/search?q=victims&per_page=50",
    "/healthz",
]


def wait_up(base: str, guard: float = 120) -> None:
    deadline = time.monotonic() + guard
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{base} did not come up")


def measure(index: Path, replicas: int, seconds: float, concurrency: int) -> str:
    state = Path(tempfile.mkdtemp(prefix=f"replicas-{replicas}-"))
    port = free_port()
    proc = subprocess.Popen(
        [str(ROOT / "deploy/replicas"), "start", "--replicas", str(replicas), "--index",
         str(index), "--state", str(state), "--listen", f"127.0.0.1:{port}",
         "--first-port", str(free_port())],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_up(base)
        run_load(base, URLS, concurrency, 10_000, 5)  # warm every replica's caches
        result = run_load(base, URLS, concurrency, 1_000_000, seconds)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    if result.failures:
        raise SystemExit(f"{len(result.failures)} failed requests with {replicas} replica(s)")
    return (
        f"replicas {replicas}: {result.requests_per_second:.0f} req/s, "
        f"p50 {result.percentile(50) * 1000:.1f} ms, p95 {result.percentile(95) * 1000:.1f} ms "
        f"({len(result.samples)} requests, concurrency {concurrency}, 0 failed)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-replicas-") as tmp:
        corpus, index = Path(tmp) / "corpus", Path(tmp) / "index"
        gen_corpus.generate(args.sections, corpus, args.seed)
        build([corpus], index, procs=2)
        rates = []
        for n in (1, 2):
            line = measure(index, n, args.seconds, args.concurrency)
            print(line, flush=True)
            rates.append(float(line.split(": ")[1].split(" ")[0]))
    print(f"2 replicas / 1 replica: {rates[1] / rates[0]:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
