"""Suggestions from the index's own vocabulary: did-you-mean and autocomplete.

Both work over the `words` field (the words as written, not stems), so what is offered is a
word that really occurs in the reports. A correction is offered only when the search found
little and the corrected search finds more; autocomplete ranks words by how many sections
use them and adds force names and field values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from indexer.forces import FORCES
from indexer.schema import FACETS_BY_NAME, WORDS_FIELD
from indexer.search import lang
from indexer.search.fields import active_fields, fold
from indexer.search.request import QueryProblem, SearchRequest

if TYPE_CHECKING:
    from indexer.search.engine import Archive

FEW_RESULTS = 2  # a search finding this many sections or fewer gets a correction, if any
MAX_EDITS = 2
MIN_WORD = 4  # shorter words are not corrected (too many neighbours)
MAX_WORD = 24  # nor longer ones (no real word is that long, and the search grows with length)
RARE = 1  # a word in this many sections or fewer may be a typo of a commoner word
COMMONER = 10  # ...when the correction is in at least this many times as many sections
MAX_SCAN = 20_000  # vocabulary entries one autocomplete request reads at most
MIN_COMPLETE = 2


@dataclass(frozen=True, slots=True)
class Completion:
    text: str  # what the list shows ("solvability", "Kent Police")
    query: str  # the whole query with the last word completed
    kind: str  # "word", "force" or "field"
    count: int  # sections using the word (0 for names and field values)


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): insertions, deletions,
    substitutions and swaps of neighbouring letters each count one."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def corrections(reader: Any, word: str, limit: int = 3) -> list[str]:
    """Words of the index close to `word`, nearest first, then the most used."""
    word = word.lower()
    found = []
    for raw in reader.terms_within(WORDS_FIELD, word, MAX_EDITS, prefix=1):
        cand = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        if cand == word:
            continue
        found.append((edit_distance(word, cand), -reader.doc_frequency(WORDS_FIELD, cand), cand))
    return [c for _, _, c in sorted(found)[:limit]]


def did_you_mean(archive: Archive, gen: Any, rd: Any, deadline: Any, req: SearchRequest,
                 total: int) -> str:
    """A corrected query that finds more than `total` sections, or "" (searched with the
    request's own reader and time budget)."""
    reader = rd.searcher.reader()
    fixed = req.q
    changed = False
    for tok in lang.tokens(req.q):
        if not tok.plain or not MIN_WORD <= len(tok.body) <= MAX_WORD or "." in tok.body:
            continue
        word = tok.body.lower()
        df = reader.doc_frequency(WORDS_FIELD, word)
        if df > RARE:
            continue
        for cand in corrections(reader, word):
            if reader.doc_frequency(WORDS_FIELD, cand) >= max(1, df * COMMONER):
                fixed = lang.replace_word(fixed, tok.body, cand)
                changed = True
                break
    if not changed:
        return ""
    try:
        better = archive._search(gen, rd, SearchRequest(fixed, req.filters, 1, 1, req.sort,
                                                        req.literal), deadline, False,
                                 suggestions=False)
    except QueryProblem:
        return ""
    return fixed if better.total > total else ""


def complete(reader: Any, q: str, limit: int = 8) -> list[Completion]:
    """Completions of the query's last word: index words, force names and field values."""
    if not q or q[-1].isspace():
        return []
    head, _, last = q.rpartition(" ")
    lead = f"{head} " if head else ""
    sign = last[0] if last[:1] in "+-" else ""
    last = last[len(sign):]
    field, colon, partial = last.partition(":")
    fields = active_fields()
    if colon and field.lower() in fields:
        return _field_values(reader, f"{lead}{sign}{field.lower()}:", fields[field.lower()],
                             partial.strip('"'), limit)
    partial = last.lower()
    if len(partial) < MIN_COMPLETE or not partial.isalnum():
        return []
    words: list[tuple[int, str]] = []
    for n, (raw, info) in enumerate(reader.iter_prefix(WORDS_FIELD, partial)):
        if n >= MAX_SCAN:
            break
        words.append((info.doc_frequency(), raw.decode("utf-8")))
    words.sort(key=lambda x: (-x[0], x[1]))
    out = [Completion(w, f"{lead}{sign}{w}", "word", count) for count, w in words[:limit]]
    if "force" in fields and not sign:
        key = fold(partial)
        for force in FORCES:
            names = (force.short, force.name, *force.aliases)
            if any(fold(n).startswith(key) for n in names):
                value = force.slug if " " in force.short else force.short.lower()
                out.append(Completion(force.name, f"{lead}force:{value}", "force", 0))
    return out[: limit + 3]


def _field_values(reader: Any, lead: str, facet: str, partial: str, limit: int
                  ) -> list[Completion]:
    spec = FACETS_BY_NAME[facet]
    values = sorted({*(v for v in reader.field_terms(facet) if v), *spec.known},
                    key=spec.sort_key)
    key = fold(partial)
    out = []
    for value in values:
        label = spec.value_label(value)
        if facet == "force":
            force = next((f for f in FORCES if f.name == value), None)
            typed = force.slug if force else value
        else:
            typed = f'"{label.lower()}"' if " " in label else label.lower()
        if fold(label).startswith(key) or fold(value).startswith(key) or key in fold(label):
            out.append(Completion(label, f"{lead}{typed}", "field", 0))
    return out[:limit]
