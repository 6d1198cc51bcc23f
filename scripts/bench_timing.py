"""The benchmark's timing method: engines interleaved query by query, the order rotating.

A warm-up pass runs every query once on every engine (its answers are the ones checked across
engines, its times are dropped); then `rounds` timed rounds. In round r, query i runs on the
engines in an order rotated by i + r, so no engine always goes first (and meets a cache or CPU
state the previous one left). Latency percentiles are computed per round and the median over the
rounds is reported; a ratio is the median of the per-round ratios. A `before` hook per engine
runs untimed before each of its queries (the archive's cache-emptied figure uses it).
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from bench_queries import QUERY_TYPES, BenchQuery, Outcome

PERCENTILES = (50, 95, 99)


class Engine(Protocol):
    name: str

    def search(self, bq: BenchQuery) -> Outcome: ...


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _ms(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    value = fn()
    return (time.perf_counter() - t) * 1000, value


def rotated(names: Sequence[str], k: int) -> list[str]:
    k %= len(names)
    return [*names[k:], *names[:k]]


def warm_up(engines: Sequence[Engine], queries: Sequence[BenchQuery]
            ) -> dict[str, list[Outcome]]:
    """One untimed pass, interleaved; every engine's answers, query by query."""
    out: dict[str, list[Outcome]] = {e.name: [] for e in engines}
    by_name = {e.name: e for e in engines}
    for i, bq in enumerate(queries):
        for name in rotated(list(by_name), i):
            out[name].append(by_name[name].search(bq))
    return out


def timed_rounds(
    engines: Sequence[Engine],
    queries: Sequence[BenchQuery],
    rounds: int,
    before: Mapping[str, Callable[[], None]] | None = None,
) -> dict[str, list[list[float]]]:
    """ms per engine, per round, per query (in query order)."""
    before = before or {}
    by_name = {e.name: e for e in engines}
    names = list(by_name)
    times: dict[str, list[list[float]]] = {n: [] for n in names}
    for r in range(rounds):
        for n in names:
            times[n].append([math.nan] * len(queries))
        for i, bq in enumerate(queries):
            for name in rotated(names, i + r):
                hook = before.get(name)
                if hook is not None:
                    hook()
                ms, _ = _ms(lambda name=name, bq=bq: by_name[name].search(bq))
                times[name][r][i] = ms
    return times


def summarise(
    times: Mapping[str, list[list[float]]],
    queries: Sequence[BenchQuery],
    subject: str,
    baseline: str,
) -> dict[str, Any]:
    """Per query type and overall: each engine's p50/p95/p99 (median over rounds) and the
    subject/baseline ratios (median of per-round ratios)."""
    kinds = {k: [i for i, q in enumerate(queries) if q.kind == k] for k in QUERY_TYPES}
    kinds["all"] = list(range(len(queries)))
    out: dict[str, Any] = {}
    for kind, idx in kinds.items():
        if not idx:
            continue
        row: dict[str, Any] = {"n": len(idx)}
        per_round: dict[str, list[dict[int, float]]] = {}
        for name, rounds in times.items():
            per_round[name] = [{p: percentile([r[i] for i in idx], p) for p in PERCENTILES}
                               for r in rounds]
            row[name] = {f"p{p}": statistics.median(pr[p] for pr in per_round[name])
                         for p in PERCENTILES}
            row[name]["max"] = max(max(r[i] for i in idx) for r in rounds)
        for name in times:
            if name == baseline:
                continue
            for p in PERCENTILES:
                ratios = [a[p] / b[p] for a, b in zip(per_round[name], per_round[baseline],
                                                      strict=True)]
                key = f"ratio_p{p}" if name == subject else f"ratio_{name}_p{p}"
                row[key] = statistics.median(ratios)
        out[kind] = row
    return out
