"""More like this: passages of other reports that say much the same as a given section.

A section's key terms are the words of its text that best tell it apart from the archive
(Whoosh's `key_terms_from_text`, Bo1 model over the stemmed text field); the passages that
score highest on those terms, weighted, are its neighbours. Passages of the section's own
report are left out: they share its force, its cycle and much of its wording, and the reader
has them one click away.
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh import query

from indexer.model import Section
from indexer.search import highlight
from indexer.search.engine import Archive
from indexer.store import from_stored

KEY_TERMS = 12
# Stems of function words the index keeps (its stop list is short) but that say nothing about
# what a passage is about; and the share of sections above which a word is too common to.
FUNCTION_WORDS = frozenset(
    "about after all also am been befor but could did doe had ha how into it's more most "
    "much onli other our over same should some such than their them then there these they "
    "thi those veri wa well were what when where which while who whi would".split()
)
COMMON_SHARE = 0.3
DEFAULT_LIMIT = 8
MAX_LIMIT = 50


@dataclass(frozen=True, slots=True)
class Neighbour:
    section: Section
    score: float
    snippet: highlight.Snippet  # the passages around the key terms


@dataclass(frozen=True, slots=True)
class Similar:
    section: Section  # the section asked about
    key_terms: tuple[str, ...]  # its distinctive words (as the index holds them: stems)
    neighbours: tuple[Neighbour, ...]


def similar(archive: Archive, section_id: str, limit: int = DEFAULT_LIMIT) -> Similar | None:
    """The sections most like `section_id` in other reports, best first; None when there is
    no such section."""
    limit = max(1, min(limit, MAX_LIMIT))
    with archive.reading() as searcher:
        docnum = searcher.document_number(section_id=section_id)
        if docnum is None:
            return None
        section = from_stored(searcher.stored_fields(docnum))
        text = f"{section.heading}\n{section.text}"
        common = COMMON_SHARE * searcher.doc_count()
        key = [
            (term, weight)
            for term, weight in searcher.key_terms_from_text("text", text, numterms=3 * KEY_TERMS)
            if term not in FUNCTION_WORDS and searcher.doc_frequency("text", term) <= common
        ][:KEY_TERMS]
        if not key:
            return Similar(section, (), ())
        top = max(weight for _, weight in key)
        wanted = query.Or([query.Term("text", term, boost=weight / top) for term, weight in key])
        results = searcher.search(wanted, limit=limit,
                                  mask=query.Term("report_id", section.report_id))
        terms = frozenset(term for term, _ in key)
        found = []
        for hit in results:
            other = from_stored(hit.fields())
            found.append(Neighbour(other, float(hit.score), highlight.snippet(other.text, terms)))
    return Similar(section, tuple(t for t, _ in key), tuple(found))
