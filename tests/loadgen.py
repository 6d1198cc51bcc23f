"""A small HTTP load generator for the tests: asyncio + httpx against a server on 127.0.0.1.

`run_load` keeps `concurrency` requests in flight over one connection pool, cycling through a
list of URLs, and stops at whichever comes first: `max_requests` sent, `max_seconds` elapsed, or
`stop` set (from another thread). Every loop is bounded in count and time. Each response is
kept as a `Sample` (status, latency and what `inspect` extracts from it).
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass(frozen=True, slots=True)
class Sample:
    url: str
    status: int  # 0 when the request itself failed (connection refused, reset, timeout)
    seconds: float
    value: Any = None
    error: str = ""


@dataclass(slots=True)
class LoadResult:
    samples: list[Sample] = field(default_factory=list)
    seconds: float = 0.0
    concurrency: int = 0

    @property
    def failures(self) -> list[Sample]:
        return [s for s in self.samples if s.status != 200]

    @property
    def requests_per_second(self) -> float:
        return len(self.samples) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """The latency (seconds) under which `p` percent of the requests finished."""
        times = sorted(s.seconds for s in self.samples)
        if not times:
            return 0.0
        return times[min(len(times) - 1, int(len(times) * p / 100))]

    def summary(self) -> str:
        return (
            f"{len(self.samples)} requests at concurrency {self.concurrency} in "
            f"{self.seconds:.1f} s: {self.requests_per_second:.0f} req/s, "
            f"p50 {self.percentile(50) * 1000:.0f} ms, p95 {self.percentile(95) * 1000:.0f} ms, "
            f"max {self.percentile(100) * 1000:.0f} ms, {len(self.failures)} failed"
        )


def run_load(
    base: str,
    urls: Sequence[str],
    concurrency: int,
    max_requests: int,
    max_seconds: float,
    stop: threading.Event | None = None,
    inspect: Callable[[httpx.Response], Any] | None = None,
) -> LoadResult:
    """Drive the server at `base` with `urls`, in a fresh event loop (callable from a thread)."""
    return asyncio.run(
        _run(base, urls, concurrency, max_requests, max_seconds, stop, inspect)
    )


async def _run(
    base: str,
    urls: Sequence[str],
    concurrency: int,
    max_requests: int,
    max_seconds: float,
    stop: threading.Event | None,
    inspect: Callable[[httpx.Response], Any] | None,
) -> LoadResult:
    result = LoadResult(concurrency=concurrency)
    counter = itertools.count()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    start = time.monotonic()
    deadline = start + max_seconds

    async def worker(client: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline and not (stop and stop.is_set()):
            n = next(counter)
            if n >= max_requests:
                return
            url = urls[n % len(urls)]
            t0 = time.monotonic()
            try:
                response = await client.get(url)
            except httpx.HTTPError as exc:
                result.samples.append(Sample(url, 0, time.monotonic() - t0, error=repr(exc)))
                continue
            elapsed = time.monotonic() - t0
            value = inspect(response) if inspect and response.status_code == 200 else None
            result.samples.append(Sample(url, response.status_code, elapsed, value))

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    result.seconds = time.monotonic() - start
    return result
