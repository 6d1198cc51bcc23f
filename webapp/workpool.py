"""Searches run off the event loop, in a bounded pool of threads with a bounded queue.

The event loop only reads requests and writes answers, so static files, `/healthz` and cheap
searches are answered while a heavy search runs. At most `threads` searches run at once, at most
`queue` more wait; past that a request is refused at once (`Busy`: the site answers 503 with
Retry-After) instead of piling up. Each search is also held to its own wall-clock budget by the
engine (`indexer.search.budget`), so a slot is never held for longer than that.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import anyio.to_thread

T = TypeVar("T")

DEFAULT_THREADS = 8
DEFAULT_QUEUE = 16
RETRY_AFTER_SECONDS = 2


class Busy(RuntimeError):
    """Every search slot is taken and the queue is full."""

    def __init__(self) -> None:
        super().__init__(
            "The archive is busy with other searches right now; "
            f"please retry in {RETRY_AFTER_SECONDS} seconds."
        )


class WorkPool:
    """Runs blocking functions in at most `threads` threads, with at most `queue` waiting."""

    def __init__(self, threads: int = DEFAULT_THREADS, queue: int = DEFAULT_QUEUE) -> None:
        if threads < 1 or queue < 0:
            raise ValueError("a work pool needs at least one thread and a queue of 0 or more")
        self.threads = threads
        self.queue = queue
        self.pending = 0  # running and waiting; only touched on the event loop
        self._limiter: anyio.CapacityLimiter | None = None  # made inside the event loop

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`fn(*args, **kwargs)` in a worker thread; raises Busy when the pool is full."""
        if self.pending >= self.threads + self.queue:
            raise Busy()
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.threads)
        self.pending += 1
        try:
            return await anyio.to_thread.run_sync(
                # A cancelled request (server shutting down) does not wait for its thread; the
                # thread stops at its search's next budget check (Archive.stop_searches).
                functools.partial(fn, *args, **kwargs), limiter=self._limiter,
                abandon_on_cancel=True,
            )
        finally:
            self.pending -= 1
