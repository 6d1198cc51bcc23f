"""The two ways a search can be refused, each carrying a sentence a person can act on.

`QueryProblem` is the request's fault (the site answers 400); `SearchTooBroad` is a request
that is valid but ran past its budget (the site answers 503 and says how to narrow it).
"""

from __future__ import annotations


class QueryProblem(ValueError):
    """A request that cannot be run as given; the message says why and what to do."""


class SearchTooBroad(RuntimeError):
    """A search that ran past its wall-clock budget and was stopped; the message says how to
    narrow it."""
