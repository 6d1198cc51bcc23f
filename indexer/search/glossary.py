"""The glossary of policing acronyms and terms, and how a query is widened by it.

`indexer/data/glossary.toml` lists each acronym (MARAC) with what it stands for
("multi-agency risk assessment conference") and a one-line meaning. A query that uses an
acronym also finds its expansions, and one that uses an expansion also finds the acronym;
the page shows the meaning and offers the literal search (`literal=1`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Entry:
    term: str
    expansions: tuple[str, ...]
    meaning: str

    @property
    def expansion(self) -> str:
        return self.expansions[0]

    def query(self) -> str:
        """The query that finds the term in any of its forms (what a search for it runs)."""
        return " OR ".join([self.term, *(f'"{e}"' for e in self.expansions)])


def words(text: str) -> tuple[str, ...]:
    """Lower-case words, punctuation dropped: "Multi-agency" -> ("multi", "agency")."""
    return tuple(re.findall(r"[a-z0-9]+", text.lower().replace("'", "")))


@lru_cache(maxsize=1)
def entries() -> tuple[Entry, ...]:
    data = tomllib.loads(
        resources.files("indexer").joinpath("data/glossary.toml").read_text("utf-8")
    )
    found = [
        Entry(e["term"], tuple(e["expansions"]), e["meaning"]) for e in data["entry"]
    ]
    return tuple(sorted(found, key=lambda e: e.term.lower()))


@lru_cache(maxsize=1)
def _by_term() -> dict[str, Entry]:
    return {e.term.lower(): e for e in entries()}


@lru_cache(maxsize=1)
def _by_words() -> dict[tuple[str, ...], Entry]:
    return {words(x): e for e in entries() for x in e.expansions}


def lookup(word: str) -> Entry | None:
    """The entry whose acronym is `word` (any case)."""
    return _by_term().get(word.lower())


def by_expansion(text_words: tuple[str, ...]) -> Entry | None:
    """The entry one of whose expansions is exactly these words."""
    return _by_words().get(text_words)


def longest_expansion() -> int:
    return max(len(k) for k in _by_words())
