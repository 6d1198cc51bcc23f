"""What the index holds, declared once: its version, its fields and its facets.

The Whoosh schema (`indexer.store`), the web app's filter parsing, facet counting and sidebar
are all derived from these declarations; adding a facet is one line in `FACETS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from indexer.forces import FORCES, REGIONS
from indexer.model import GRADES, KIND_LABELS, KINDS, PILLARS, REPORT_TYPES
from indexer.themes import THEMES

# Bump when the fields or their analysis change: a server refuses an index of another version.
SCHEMA_VERSION = 7  # 5: grade_source stored; 6: theme and region facets; 7: words as written

# Full-text fields, searched by a plain query (with their boosts).
TEXT_FIELDS: dict[str, float] = {"heading": 1.5, "text": 1.0}
# The words of heading and text as written (not stemmed), for wildcards, fuzzy terms and
# suggestions (version 5).
WORDS_FIELD = "words"


def _rank_in(order: tuple[str, ...]) -> Callable[[str], tuple[int, str]]:
    index = {v: i for i, v in enumerate(order)}
    return lambda value: (index.get(value, len(order)), value)


def _cycle_rank(value: str) -> tuple[int, str]:
    return (int(value[:4]) if value[:4].isdigit() else 9999, value)


def _alpha(value: str) -> tuple[int, str]:
    return (0, value.lower())


@dataclass(frozen=True, slots=True)
class Facet:
    """A facet: the Section field it counts, its label, and the order its values list in."""

    name: str
    label: str
    sort_key: Callable[[str], tuple[int, str]]
    value_label: Callable[[str], str] = str
    by_count: bool = False  # list by count (then alphabetically) instead of by sort_key
    # Values that are valid filters even when no section has them (a filter on one of these
    # finds nothing rather than being refused as unknown).
    known: tuple[str, ...] = ()


FACETS: tuple[Facet, ...] = (
    Facet("grade", "Grade", _rank_in(GRADES), known=GRADES),
    Facet("force", "Force", _alpha, known=tuple(f.name for f in FORCES)),
    Facet("region", "Region", _rank_in(REGIONS), known=REGIONS),
    Facet("pillar", "Pillar", _rank_in(PILLARS), known=PILLARS),
    Facet("theme", "Theme", _rank_in(THEMES), known=THEMES),
    Facet("question", "Question or area", _alpha, by_count=True),
    Facet("cycle", "Cycle", _cycle_rank),
    Facet("kind", "Section kind", _rank_in(KINDS), lambda v: KIND_LABELS.get(v, v), known=KINDS),
    Facet("report_type", "Report type", _rank_in(REPORT_TYPES)),
)
FACET_NAMES: tuple[str, ...] = tuple(f.name for f in FACETS)
FACETS_BY_NAME: dict[str, Facet] = {f.name: f for f in FACETS}

# Columns kept sortable besides the facets (for sorting and browsing).
SORT_FIELDS: tuple[str, ...] = ("report_id", "updated", "position", "year")

SORTS: dict[str, str] = {
    "relevance": "Relevance",
    "newest": "Newest first",
    "oldest": "Oldest first",
}

# The file written beside the index that records its version and what it was built from.
MANIFEST_NAME = "peel-archive.json"
