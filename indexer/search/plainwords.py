"""A fast path through query parsing for the commonest query: a few plain words.

Whoosh's parser tokenises, tags, filters and groups its input through a dozen plugin passes, which
costs more than finding a rare word's matches. For text made only of plain words (ASCII letters
and digits separated by spaces: no quotes, brackets, operators, signs, wildcards or field
names) its answer is known in advance: each word becomes an OR over the text fields of the
field's analysed term (with the field's boost; a stop word gives nothing), the words are joined
by AND, and the whole is normalised. `plain_query` builds exactly that with the parser's own
`term_query` (so the analysers, stemming and stop words are the parser's), and returns None for
anything else, which then goes through the parser. `tests/test_plainwords.py` checks the two
give equal queries.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from whoosh import query

# Words the query language or Whoosh's parser reads as operators, in any case.
OPERATOR_WORDS = frozenset({"and", "or", "not", "andnot", "andmaybe", "require", "to"})


def is_plain(text: str) -> bool:
    """True when `text` is only plain words (ASCII letters and digits) between spaces."""
    words = text.split(" ")
    return bool(text) and all(
        w and w.isascii() and w.isalnum() and w.lower() not in OPERATOR_WORDS for w in words
    )


def plain_query(parser: Any, fieldboosts: Mapping[str, float], text: str) -> query.Query | None:
    """The query the parser would give for plain words, or None when `text` is not plain."""
    if not is_plain(text):
        return None
    groups: list[query.Query] = []
    for word in text.split(" "):
        fields = [parser.term_query(name, word, query.Term, boost)
                  for name, boost in fieldboosts.items()]
        groups.append(query.Or([q for q in fields if q is not None]))
    parsed: query.Query = query.And(groups).normalize()
    return parsed
