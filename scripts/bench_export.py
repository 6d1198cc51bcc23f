"""Benchmark step: the server's memory while it streams whole-result exports.

Generates a seeded corpus (scripts/gen_corpus.py, default 100,000 sections), builds it with the
real `peel-index build`, starts the real `peel-web serve` on 127.0.0.1 and downloads, one after
another, a filtered CSV export, the whole archive as CSV and as JSON Lines. For each it records
the rows received (parsed with the csv/json modules), the bytes, the seconds, and the server's
resident memory (VmRSS) before and after, and its peak (VmHWM, and VmRSS sampled every 20 ms)
during the download. Streaming is what keeps the peak flat: an export built in memory would
grow the process by about the size of the file.

Example:
    scripts/bench export                       # 100,000 sections
    scripts/bench export --sections 20000
    scripts/bench export --smoke               # 2,000 sections, under a minute
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from bench import BIN, corpus_for, run_child  # noqa: E402
from bench_http import _proc_status, free_port  # noqa: E402

EXPORTS = (
    ("CSV, grade = Good", "/api/search.csv?grade=Good&bom=1", "csv"),
    ("CSV, every section", "/api/search.csv", "csv"),
    ("JSON Lines, every section", "/api/search.jsonl", "jsonl"),
)


def _mib(kib: int) -> float:
    return round(kib / 1024, 1)


def download(base: str, path: str, kind: str, pid: int) -> dict[str, Any]:
    """Stream one export, parsing it as it arrives, while sampling the server's memory."""
    before = _proc_status(pid)
    peak = [before["rss_kib"]]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _proc_status(pid)["rss_kib"])

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t = time.perf_counter()
    with urllib.request.urlopen(base + path, timeout=600) as resp:  # hang guard
        total = int(resp.headers["x-total-count"])
        counted = _CountingReader(resp)
        text = io.TextIOWrapper(counted, encoding="utf-8-sig", newline="")
        if kind == "csv":
            rows = sum(1 for _ in csv.DictReader(text))
        else:
            rows = sum(1 for line in text if json.loads(line))
    seconds = time.perf_counter() - t
    done.set()
    sampler.join()
    after = _proc_status(pid)
    return {
        "path": path, "rows": rows, "total": total, "mib": round(counted.bytes / 2**20, 1),
        "seconds": round(seconds, 2),
        "rss_before_mib": _mib(before["rss_kib"]), "rss_after_mib": _mib(after["rss_kib"]),
        "rss_peak_mib": _mib(peak[0]), "hwm_before_mib": _mib(before["hwm_kib"]),
        "hwm_after_mib": _mib(after["hwm_kib"]),
    }


class _CountingReader(io.RawIOBase):
    """A readable stream over an HTTP response that counts the bytes it passes on."""

    def __init__(self, resp: Any) -> None:
        self.resp = resp
        self.bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.resp.read(len(buffer))
        buffer[: len(data)] = data
        self.bytes += len(data)
        return len(data)


def run(sections: int, seed: int, work: Path) -> dict[str, Any]:
    corpus = corpus_for(sections, seed, work)
    index = work / f"index-{sections}-s{seed}"
    if not (index / "current").exists():
        cmd = [str(BIN / "peel-index"), "build", str(corpus), "--index-dir", str(index)]
        status, seconds, _ = run_child(cmd, work / "build.log")
        if status != 0:
            raise SystemExit(f"build failed ({status}); see {work / 'build.log'}")
        print(f"built {sections} sections in {seconds:.0f} s", flush=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(work / "serve.log", "wb") as log:
        proc = subprocess.Popen(
            [str(BIN / "peel-web"), "serve", "--index-dir", str(index), "--port", str(port),
             "--log-level", "warning"], stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
    try:
        for _ in range(600):  # hang guard: 60 s to start
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1) as r:
                    health = json.load(r)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("server did not start")
        # Warm the code paths once (search, export) before measuring.
        for path in ("/api/search?q=police", "/api/search.csv?q=police&grade=Good"):
            with urllib.request.urlopen(base + path, timeout=120) as r:
                r.read()
        results = [dict(label=label, **download(base, path, kind, proc.pid))
                   for label, path, kind in EXPORTS]
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    return {"sections": health["sections"], "exports": results}


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"Server memory while streaming exports of {result['sections']:,} sections:",
        "",
        "| Export | Rows | MiB sent | Seconds | RSS before | Peak RSS during | RSS after |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for e in result["exports"]:
        lines.append(
            f"| {e['label']} | {e['rows']:,} | {e['mib']} | {e['seconds']} | "
            f"{e['rss_before_mib']} MiB | {max(e['rss_peak_mib'], 0)} MiB | "
            f"{e['rss_after_mib']} MiB |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("Example:")[1])
    parser.add_argument("--sections", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/peel-bench-export"))
    parser.add_argument("--out-dir", type=Path, default=REPO / "bench-results")
    parser.add_argument("--smoke", action="store_true", help="2,000 sections")
    args = parser.parse_args(argv)
    work = args.work_dir.resolve()
    if REPO in work.parents or work == REPO:
        raise SystemExit(f"--work-dir must be outside the repository ({REPO})")
    work.mkdir(parents=True, exist_ok=True)
    result = run(2_000 if args.smoke else args.sections, args.seed, work)
    for e in result["exports"]:
        if e["rows"] != e["total"]:
            raise SystemExit(f"{e['path']}: {e['rows']} rows, expected {e['total']}")
    result["started"] = dt.datetime.now().isoformat(timespec="seconds")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    stem = "export-smoke" if args.smoke else f"export-{result['sections']}"
    (args.out_dir / f"{stem}.json").write_text(json.dumps(result, indent=2))
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
