"""The search engine as a library: validated requests in, plain results out.

The web app, the benchmark and any Python user reach the index through this package only:

    from indexer.search import Archive, parse_request
    archive = Archive(Path(".index"))
    result = archive.search(parse_request([("q", "solvability"), ("grade", "Good")]))

It never imports the parser (`indexer.parse*`); the index on disk is its only input.
"""

from indexer.search.engine import Archive, FacetCount, Hit, SearchResult
from indexer.search.request import QueryProblem, SearchRequest, parse_request

__all__ = [
    "Archive",
    "FacetCount",
    "Hit",
    "QueryProblem",
    "SearchRequest",
    "SearchResult",
    "parse_request",
]
