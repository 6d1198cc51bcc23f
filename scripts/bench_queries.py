"""The benchmark's query set, and what every engine returns for one query.

Queries are drawn from the generated corpus with a seeded generator, 7 types with `per_type`
each, and no exact repeats (a repeated query would be answered from the archive's posting
cache and flatter it): rare words, common words, two common words, phrases, a word with one or
two facet filters, and browsing (no words, newest or oldest first, with or without a filter).
Each query is written once as a user types it (`q`, for the archive and tantivy) and once in
FTS5's MATCH syntax (`fts`).
"""

from __future__ import annotations

import random
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import gen_corpus

from indexer.analysis import stem_word
from indexer.model import Section

QUERY_TYPES: tuple[str, ...] = ("rare", "common", "and2", "phrase", "filter1", "filter2", "browse")
PER_PAGE = 20
# Whoosh drops these words from text and queries (Whoosh's own stop list, words under 2
# letters too); FTS5 does not. Queries avoid them, except in the stock phrases that hold one,
# where the two engines may then disagree (reported, never hidden).
STOP_WORDS = frozenset(
    gen_corpus.words(
        "a an and are as at be by can for from have if in is it may not of on or tbd that the this "
        "to us we when will with yet you your"
    )
)
FILTER_FACETS = ("grade", "pillar", "cycle", "kind", "force")
_WORD = re.compile(r"\b[a-z]{4,}\b")
_PAIR = re.compile(r"(?<![\w'.-])([a-z]{3,}) ([a-z]{3,})(?![\w'-])")


@dataclass(frozen=True, slots=True)
class BenchQuery:
    """One search as a user states it, and the same search in FTS5's MATCH syntax."""

    kind: str
    q: str
    fts: str  # "" for browsing (no text query)
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = ""  # "" = the default (relevance with words, newest when browsing)

    def params(self) -> list[tuple[str, str]]:
        out = [("q", self.q)] if self.q else []
        for name, values in self.filters.items():
            out.extend((name, v) for v in values)
        if self.sort:
            out.append(("sort", self.sort))
        return out

    def label(self) -> str:
        f = " ".join(f"{k}={v[0]}" for k, v in self.filters.items())
        s = f" sort={self.sort}" if self.sort else ""
        return f"{self.kind}: {self.q!r} {f}{s}".strip()

    @property
    def newest(self) -> bool:
        return self.sort != "oldest"


@dataclass(slots=True)
class Outcome:
    """What one engine returned for one query: enough to check the work was done, and the
    totals and facet counts compared across engines."""

    total: int
    hits: int
    facets: dict[str, dict[str, int]]  # facet -> value -> count (values counted > 0 only)
    snippet_chars: int

    @property
    def facet_values(self) -> int:
        return sum(len(v) for v in self.facets.values())


def fts_terms(*words: str) -> str:
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def fts5_stems(words: Sequence[str]) -> dict[str, str]:
    """Each word as SQLite's `porter unicode61` tokenizer indexes it."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'porter unicode61')")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    db.executemany("INSERT INTO t (rowid, x) VALUES (?, ?)", enumerate(words, start=1))
    out = {words[doc - 1]: term for term, doc in db.execute("SELECT term, doc FROM v")}
    db.close()
    return out


def comparable_words(candidates: Sequence[str], vocabulary: set[str]) -> tuple[set[str], list[str]]:
    """Words both engines match the same way: over the corpus's vocabulary, the words sharing
    the candidate's stem are the same set under Whoosh's Porter stemmer and SQLite's (and the
    stem is not one of the archive's stop words). The two stemmers group some words
    differently ("investigated": Whoosh `investigat`, SQLite `investig`; "being": both `be`,
    which the archive never indexes from "be" itself): such words are left out of the query
    pools (and listed) so that totals are comparable."""
    words = sorted(vocabulary | set(candidates))
    theirs = fts5_stems(words)
    by_ours: dict[str, set[str]] = defaultdict(set)
    by_theirs: dict[str, set[str]] = defaultdict(set)
    for w in words:
        if w in STOP_WORDS or len(w) < 2:
            continue  # the archive drops these tokens before stemming
        by_ours[stem_word(w)].add(w)
        by_theirs[theirs[w]].add(w)
    ok, left_out = set(), []
    for w in dict.fromkeys(candidates):
        ours = stem_word(w)
        if ours not in STOP_WORDS and by_ours[ours] == by_theirs[theirs[w]]:
            ok.add(w)
        else:
            left_out.append(w)
    return ok, left_out


def _vocabulary(sample: Sequence[Section]) -> set[str]:
    vocab = {w.lower() for w in gen_corpus.HEAD_WORDS}
    for s in sample:
        vocab.update(w.lower() for w in re.findall(r"[A-Za-z]+", s.heading + " " + s.text))
    return vocab


def _rare_words(sample: Sequence[Section], rng: random.Random, want: int) -> list[str]:
    """Words of the corpus's long tail: in exactly one section of the sample."""
    df: Counter[str] = Counter()
    for s in sample:
        df.update(set(_WORD.findall(s.text)))
    once = sorted(w for w, n in df.items() if n == 1 and w not in STOP_WORDS)
    return rng.sample(once, min(want * 2, len(once)))


def _text_phrases(sections: Sequence[Section], rng: random.Random, want: int) -> list[str]:
    """Two-word phrases copied from section text, neither word a stop word."""
    out: list[str] = []
    seen: set[str] = set()
    for _ in range(want * 200):
        if len(out) == want:
            break
        pairs = [
            f"{a} {b}" for a, b in _PAIR.findall(rng.choice(sections).text)
            if a not in STOP_WORDS and b not in STOP_WORDS
        ]
        if pairs:
            p = rng.choice(pairs)
            if p not in seen:
                seen.add(p)
                out.append(p)
    return out


def make_queries(sections: Sequence[Section], per_type: int, seed: int
                 ) -> tuple[list[BenchQuery], list[str]]:
    """`per_type` queries of every type, drawn from the corpus so that filters name real values;
    no query appears twice. Also the words left out of the pools (see `comparable_words`)."""
    rng = random.Random(seed)
    sample = rng.sample(list(sections), min(2000, len(sections)))
    common = [w for w in gen_corpus.HEAD_WORDS[40:200] if w not in STOP_WORDS and len(w) > 2]
    named_rare = [t for t in gen_corpus.RARE_TERMS if " " not in t and "'" not in t]
    tail = _rare_words(sample, rng, per_type)
    stock = list(gen_corpus.PHRASES)
    text_phrases = _text_phrases(sections, rng, per_type * 2)
    phrase_words = [w for p in text_phrases for w in p.split()]
    ok, left_out = comparable_words(
        [*common, *(w.lower() for w in named_rare), *tail, *phrase_words], _vocabulary(sample))
    common = [w for w in common if w in ok]
    rare = ([t for t in named_rare if t.lower() in ok] + [w for w in tail if w in ok])[:per_type]
    text_phrases = [p for p in text_phrases if all(w in ok for w in p.split())]
    phrases = (stock[: per_type // 2]
               + text_phrases[: per_type - min(len(stock), per_type // 2)])

    def filter_value(name: str) -> str:
        # Weighted as users meet them: pick a section, use its value.
        while True:
            v: str = getattr(rng.choice(sections), name)
            if v:
                return v

    seen: set[tuple[object, ...]] = set()
    queries: list[BenchQuery] = []

    def add(make: object) -> None:
        for _ in range(200):  # draw again on a repeat
            bq: BenchQuery = make()  # type: ignore[operator]
            key = (bq.q, tuple(sorted(bq.filters.items())), bq.sort)
            if key not in seen:
                seen.add(key)
                queries.append(bq)
                return

    first_common = rng.sample(common[:80], min(per_type, 80))
    for i in range(per_type):
        if i < len(rare):
            t = rare[i]
            add(lambda t=t: BenchQuery("rare", t, fts_terms(t)))
        if i < len(first_common):
            w = first_common[i]
            add(lambda w=w: BenchQuery("common", w, fts_terms(w)))

        def and2() -> BenchQuery:
            a, b = rng.sample(common, 2)
            return BenchQuery("and2", f"{a} {b}", fts_terms(a, b))

        add(and2)
        if i < len(phrases):
            p = phrases[i]
            add(lambda p=p: BenchQuery("phrase", f'"{p}"', '"' + p.replace('"', '""') + '"'))

        def filter1() -> BenchQuery:
            w, f1 = rng.choice(common), rng.choice(FILTER_FACETS)
            return BenchQuery("filter1", w, fts_terms(w), {f1: (filter_value(f1),)})

        def filter2() -> BenchQuery:
            w = rng.choice(common)
            f1, f2 = rng.sample(FILTER_FACETS, 2)
            return BenchQuery("filter2", w, fts_terms(w),
                              {f1: (filter_value(f1),), f2: (filter_value(f2),)})

        def browse(i: int = i) -> BenchQuery:
            sort = "oldest" if i % 4 == 3 else ""
            if i < 2:  # the whole archive, newest and oldest first
                return BenchQuery("browse", "", "", {}, "" if i == 0 else "oldest")
            f1 = rng.choice(FILTER_FACETS)
            return BenchQuery("browse", "", "", {f1: (filter_value(f1),)}, sort)

        add(filter1)
        add(filter2)
        add(browse)
    return queries, left_out
