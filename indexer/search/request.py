"""A search request, parsed once from the URL, and the checks that explain a bad query.

Every page and API call is described by a `SearchRequest`; `parse_request` builds it from
multi-valued query parameters and raises `QueryProblem` with a sentence a person can act on. A
request built directly in Python checks itself the same way (`__post_init__`), with the same
sentences. The query's shape is also held to the budget of `indexer.search.budget`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from indexer.schema import FACET_NAMES, SORTS
from indexer.search.budget import check_shape
from indexer.search.problems import QueryProblem
from indexer.textclean import clean_line

MAX_QUERY_CHARS = 500
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
MAX_PAGE = 10_000
MIN_WILDCARD_PREFIX = 3
MAX_FILTER_VALUES = 64  # values of one facet selected at once (after case folding)
_ASCII_INT_RE = re.compile(r"^[+-]?[0-9]+$")  # no other script's digits, no "1_000"

__all__ = ["QueryProblem", "SearchRequest", "check_syntax", "clean_query", "parse_request"]


@dataclass(frozen=True, slots=True)
class SearchRequest:
    q: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    sort: str = ""  # "" means the default: relevance with a query, newest when browsing
    literal: bool = False  # search the words as typed, not widened by the glossary

    def __post_init__(self) -> None:
        """Check the request as `parse_request` does, whoever built it (raises QueryProblem)."""
        for name, value, high in (("page", self.page, MAX_PAGE),
                                  ("per_page", self.per_page, MAX_PER_PAGE)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise QueryProblem(f"{name} must be a whole number, not {str(value)[:40]!r}.")
            _check_range(name, value, 1, high)
        if self.sort and self.sort not in SORTS:
            raise QueryProblem(f"sort must be one of {', '.join(SORTS)}; not {self.sort[:40]!r}.")
        unknown = [name for name in self.filters if name not in FACET_NAMES]
        if unknown:
            raise QueryProblem(
                f"Unknown filter {unknown[0][:40]!r}; filters are {', '.join(FACET_NAMES)}."
            )
        filters = {name: _fold_values(name, values) for name, values in self.filters.items()}
        object.__setattr__(self, "filters", {k: v for k, v in filters.items() if v})
        q = clean_query(self.q)
        if len(q) > MAX_QUERY_CHARS:
            raise QueryProblem(
                f"The query is {len(q)} characters long; the limit is {MAX_QUERY_CHARS}."
            )
        object.__setattr__(self, "q", q)

    @property
    def effective_sort(self) -> str:
        if self.sort:
            return self.sort
        return "relevance" if self.q.strip() else "newest"

    def params(self) -> list[tuple[str, str]]:
        """The request as query parameters, in a stable order (for links)."""
        out: list[tuple[str, str]] = []
        if self.q:
            out.append(("q", self.q))
        for name in FACET_NAMES:
            out.extend((name, v) for v in self.filters.get(name, ()))
        if self.sort:
            out.append(("sort", self.sort))
        if self.per_page != DEFAULT_PER_PAGE:
            out.append(("per_page", str(self.per_page)))
        if self.page != 1:
            out.append(("page", str(self.page)))
        if self.literal:
            out.append(("literal", "1"))
        return out


def clean_query(q: str) -> str:
    """The query as the index's text was cleaned (`indexer.textclean`): whitespace of any kind
    folded to single spaces, zero-width and other format or control characters removed."""
    return " ".join(clean_line(" ".join(q.split())).split())


def _fold_values(name: str, values: object) -> tuple[str, ...]:
    """A facet's selected values, stripped, without case-insensitive repeats, capped."""
    if isinstance(values, str) or not isinstance(values, (tuple, list)):
        raise QueryProblem(f"The values of the {name} filter must be a list of words.")
    out: dict[str, str] = {}
    for value in values:
        text = str(value).strip()
        if text:
            out.setdefault(text.lower(), text)
    if len(out) > MAX_FILTER_VALUES:
        raise QueryProblem(
            f"{len(out)} values of {name} are selected at once; the limit is "
            f"{MAX_FILTER_VALUES}. Leave the {name} filter out to include every value."
        )
    return tuple(out.values())


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise QueryProblem(f"{name} must be between {low} and {high}; {value} is out of range.")


def _int_param(name: str, raw: str | None, default: int, low: int, high: int) -> int:
    if raw is None or raw == "":
        return default
    text = raw.strip()
    if not _ASCII_INT_RE.match(text):
        raise QueryProblem(f"{name} must be a whole number, not {raw[:40]!r}.")
    if len(text.lstrip("+-").lstrip("0")) > 9:
        raise QueryProblem(f"{name} must be between {low} and {high}; {text[:40]} is too large.")
    value = int(text)
    _check_range(name, value, low, high)
    return value


def parse_request(items: Iterable[tuple[str, str]]) -> SearchRequest:
    """Build a request from query-string pairs; unknown parameters are ignored."""
    multi: dict[str, list[str]] = {}
    for key, value in items:
        multi.setdefault(key, []).append(value)

    def last(key: str) -> str | None:
        values = multi.get(key)
        return values[-1] if values else None

    q = clean_query(last("q") or "")
    if len(q) > MAX_QUERY_CHARS:
        raise QueryProblem(
            f"The query is {len(q)} characters long; the limit is {MAX_QUERY_CHARS}."
        )
    check_syntax(q)
    sort = (last("sort") or "").strip().lower()
    if sort and sort not in SORTS:
        raise QueryProblem(f"sort must be one of {', '.join(SORTS)}; not {sort[:40]!r}.")
    filters = {name: tuple(multi[name]) for name in FACET_NAMES if name in multi}
    return SearchRequest(
        q=q,
        filters=filters,
        page=_int_param("page", last("page"), 1, 1, MAX_PAGE),
        per_page=_int_param("per_page", last("per_page"), DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
        sort=sort,
        literal=(last("literal") or "").strip().lower() in ("1", "true", "yes", "on"),
    )


_TOKEN_RE = re.compile(r'"|\(|\)|[^\s"()]+')
_BINARY = {"AND", "OR", "ANDNOT", "ANDMAYBE", "REQUIRE"}
# The engine reads "[a TO z]", "{a to}", "['x]' to y]" and even "[tomato]" as a range over
# every indexed word in between: an expansion no cap bounds (tens of seconds on a large
# archive). Refuse an opening bracket followed by "to" and a closing one (a superset).
_RANGE_RE = re.compile(r"[\[{].*?to.*?[\]}]", re.IGNORECASE | re.DOTALL)


def check_syntax(q: str) -> None:
    """Explain queries the engine would silently misread: the user gets a sentence, not a 500."""
    if not q:
        return
    if q.count('"') % 2:
        raise QueryProblem('Unbalanced quotation mark: a phrase needs a closing ".')
    if _RANGE_RE.search(q):
        raise QueryProblem(
            "Ranges such as [a TO z] are not supported: remove the [ ] or { } brackets."
        )
    tokens = _TOKEN_RE.findall(q)
    check_shape(_outside_phrases(tokens))
    depth = 0
    in_phrase = False
    previous: str | None = None  # kind of the previous token: "term", "op", "not", "(" or None
    has_term = False
    for token in tokens:
        if token == '"':
            in_phrase = not in_phrase
            if not in_phrase:
                previous, has_term = "term", True
            continue
        if in_phrase:
            continue
        if token == "(":
            depth += 1
            previous = "("
            continue
        if token == ")":
            depth -= 1
            if depth < 0:
                raise QueryProblem("Unbalanced brackets: a ')' has no matching '('.")
            if previous in ("op", "not", "("):
                raise QueryProblem("Empty or incomplete group: put search words inside ( ).")
            previous = "term"
            continue
        if token in _BINARY:
            if previous in (None, "op", "not", "("):
                raise QueryProblem(
                    f"{token} needs a search word on each side (e.g. THRIVE {token} demand)."
                )
            previous = "op"
            continue
        if token == "NOT":
            if previous == "not":
                raise QueryProblem("NOT needs a search word after it.")
            previous = "not"
            continue
        _check_wildcard(token)
        previous, has_term = "term", True
    if depth > 0:
        raise QueryProblem("Unbalanced brackets: a '(' has no closing ')'.")
    if previous in ("op", "not"):
        raise QueryProblem("The query ends with an operator: add a search word after it.")
    if not has_term:
        raise QueryProblem("The query has no words to search for.")


def _outside_phrases(tokens: list[str]) -> list[str]:
    out: list[str] = []
    in_phrase = False
    for token in tokens:
        if token == '"':
            in_phrase = not in_phrase
        elif not in_phrase:
            out.append(token)
    return out


def _check_wildcard(token: str) -> None:
    word = token.lstrip("+-")
    if "*" not in word and "?" not in word:
        return
    head = re.split(r"[*?]", word, maxsplit=1)[0]
    if len(re.sub(r"\W", "", head)) < MIN_WILDCARD_PREFIX:
        raise QueryProblem(
            f"The wildcard in {token[:40]!r} needs at least {MIN_WILDCARD_PREFIX} letters before "
            "it (e.g. solv*), so that it does not match most of the archive."
        )
