"""The query budget: what one search may cost, checked where the cost is.

Three layers, each with a limit a person can read in SECURITY.md:

- **Before parsing** (`check_shape`, called by the request check): the operators and the bracket
  nesting a query may hold. Whoosh's parser builds ANDNOT, ANDMAYBE and REQUIRE as nested
  binary groups and, unpatched, evaluates each side of each group twice, so a chain of 20 took
  seconds and 50 never finished. The engine's parser is linear (`indexer.search.linear`); these
  limits keep every query's shape small anyway, and are explained with a 400 sentence.
- **While expanding** (`Expansion`): all wildcards and prefixes of one query together expand to
  at most `MAX_TOTAL_EXPANSION` indexed words (one alone to at most `MAX_EXPANSION`).
- **While searching** (`Deadline`): a wall-clock budget per search, checked in the engine's
  loops; past it the search stops and raises `SearchTooBroad`, which the site answers with a
  503 and a sentence saying how to narrow the search.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable

from indexer.search.problems import QueryProblem, SearchTooBroad

MAX_OPERATORS = 24  # AND, OR, NOT, ANDNOT, ANDMAYBE and REQUIRE together
MAX_BINARY_OPERATORS = 8  # ANDNOT, ANDMAYBE and REQUIRE (nested binary groups)
MAX_DEPTH = 8  # brackets inside brackets
MAX_EXPANSION = 256  # indexed words one wildcard may expand to
MAX_TOTAL_EXPANSION = 1024  # indexed words all of a query's wildcards may expand to
DEFAULT_SEARCH_SECONDS = 5.0  # wall-clock budget of one search

OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE"})
BINARY_OPERATORS = frozenset({"ANDNOT", "ANDMAYBE", "REQUIRE"})
# `*:*` and `abc*:*` are Whoosh's "every document" syntax: refused, not silently widened.
_FIELD_WILDCARD_RE = re.compile(r"[*?]:|:[*?]")

__all__ = [
    "Deadline",
    "Expansion",
    "QueryProblem",
    "SearchTooBroad",
    "check_shape",
]


def check_shape(tokens: Iterable[str]) -> None:
    """Refuse a query (its tokens outside phrases) whose shape is costly to parse."""
    operators = binary = depth = deepest = 0
    for token in tokens:
        if token == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif token == ")":
            depth -= 1
        elif token in OPERATORS:
            operators += 1
            binary += token in BINARY_OPERATORS
        elif _FIELD_WILDCARD_RE.search(token):
            raise QueryProblem(
                f"{token[:40]!r} is not supported: searching every field with a wildcard "
                "(such as *:*) would match the whole archive; search for words instead."
            )
    if binary > MAX_BINARY_OPERATORS:
        raise QueryProblem(
            f"The query has {binary} ANDNOT, ANDMAYBE or REQUIRE operators; the limit is "
            f"{MAX_BINARY_OPERATORS}. Use NOT before each word to leave out instead "
            "(e.g. custody NOT detention NOT cells)."
        )
    if operators > MAX_OPERATORS:
        raise QueryProblem(
            f"The query has {operators} operators (AND, OR, NOT…); the limit is "
            f"{MAX_OPERATORS}. Words without an operator between them must all match, "
            "so most ANDs can be left out."
        )
    if deepest > MAX_DEPTH:
        raise QueryProblem(
            f"The query nests brackets {deepest} deep; the limit is {MAX_DEPTH}. "
            "Remove brackets that hold a single word or group."
        )


class Deadline:
    """A search's wall-clock budget; `check()` raises `SearchTooBroad` once it has passed."""

    __slots__ = ("checks", "ends", "seconds", "stop")

    def __init__(self, seconds: float | None = DEFAULT_SEARCH_SECONDS,
                 stop: threading.Event | None = None) -> None:
        self.seconds = seconds
        self.ends = None if seconds is None else time.monotonic() + seconds
        self.stop = stop  # set when the server shuts down: every search stops at its next check
        self.checks = 0  # how often the budget was checked (tests count the work with it)

    def remaining(self) -> float | None:
        return None if self.ends is None else max(0.0, self.ends - time.monotonic())

    def check(self) -> None:
        self.checks += 1
        if self.stop is not None and self.stop.is_set():
            raise SearchTooBroad("The server is shutting down; please retry in a moment.")
        if self.ends is not None and time.monotonic() > self.ends:
            raise SearchTooBroad(
                f"This search is too broad: it did not finish within {self.seconds:g} seconds. "
                "Narrow it by adding words, using fewer or longer wildcards (solv* rather "
                "than sol*), or choosing a force, year or other filter."
            )


class Expansion:
    """Counts the indexed words a query's wildcards expand to, against both limits."""

    __slots__ = ("deadline", "total")

    def __init__(self, deadline: Deadline) -> None:
        self.total = 0
        self.deadline = deadline

    def count(self, pattern: str, words: Iterable[object], fuzzy: bool = False) -> None:
        for n, _ in enumerate(words, start=1):
            if n > MAX_EXPANSION:
                how = ("make the word longer or allow fewer changes (word~ rather than word~2)"
                       if fuzzy else "add letters before the wildcard")
                raise QueryProblem(
                    f"{pattern!r} matches more than {MAX_EXPANSION} different words; {how}."
                )
            self.total += 1
            if self.total > MAX_TOTAL_EXPANSION:
                raise QueryProblem(
                    f"The wildcards in this query match more than {MAX_TOTAL_EXPANSION} "
                    "different words together; use fewer wildcards or add letters before them."
                )
            if n % 64 == 0:
                self.deadline.check()
