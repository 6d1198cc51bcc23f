"""Facet values as people write them: short names, slugs and aliases resolved to the index's.

`force:kent`, `force=Kent`, `force:"the met"`, `grade:ri`, `cycle:2021-22` and
`kind:afi` all name a value the index stores ("Kent Police", "Requires improvement",
"2021/22", "area_for_improvement"). The query language's field terms and the URL's facet
parameters are resolved here, by one function, so both accept exactly the same forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from indexer.forces import find_force
from indexer.model import KIND_LABELS, canonical_cycle
from indexer.schema import FACET_NAMES

# The field names a query may use, and the facet each one filters (when that facet exists).
QUERY_FIELDS: dict[str, str] = {
    "force": "force",
    "grade": "grade",
    "cycle": "cycle",
    "pillar": "pillar",
    "kind": "kind",
    "region": "region",
    "theme": "theme",
    "type": "report_type",
}

# Short forms beyond the values' own names and slugs, by facet (folded keys).
_ALIASES: dict[str, dict[str, str]] = {
    "grade": {
        "ri": "Requires improvement",
        "requires improvements": "Requires improvement",
        "not graded": "Ungraded",
        "no grade": "Ungraded",
    },
    "kind": {
        "afi": "area_for_improvement",
        "areas for improvement": "area_for_improvement",
        "aoi": "area_for_improvement",
        "coc": "cause_of_concern",
        "causes of concern": "cause_of_concern",
        "recommendations": "recommendation",
        "promising practice": "practice",
        "innovative practice": "practice",
        "questions": "question",
        "area of policing": "question",
        "summaries": "summary",
    },
}


def active_fields() -> dict[str, str]:
    """Query field name -> facet, for the facets this archive has."""
    return {name: facet for name, facet in QUERY_FIELDS.items() if facet in FACET_NAMES}


def fold(value: str) -> str:
    """Case, '&', hyphens, slashes and punctuation folded: "Requires-Improvement" ->
    "requires improvement", "Avon & Somerset" -> "avon and somerset"."""
    value = value.lower().replace("&", " and ").replace("–", "-")
    value = re.sub(r"^the\s+", "", value.strip())
    return re.sub(r"[^a-z0-9]+", " ", value).strip()


def resolve(facet: str, value: str, values: Iterable[str]) -> str | None:
    """The stored value of `facet` that `value` names, among `values` (those in the index
    and the facet's known ones), or None when it names none of them."""
    return _resolve(facet, value, tuple(values))


@lru_cache(maxsize=4096)
def _resolve(facet: str, value: str, values: tuple[str, ...]) -> str | None:
    by_fold = {fold(v): v for v in values if v}
    key = fold(value)
    if not key:
        return None
    if key in by_fold:
        return by_fold[key]
    alias = _ALIASES.get(facet, {}).get(key)
    if alias is not None:
        return by_fold.get(fold(alias))
    if facet == "force":
        force = find_force(value)
        return by_fold.get(fold(force.name)) if force else None
    if facet == "kind":
        labels = {fold(label): kind for kind, label in KIND_LABELS.items()}
        kind = labels.get(key) or labels.get(key.rstrip("s"))
        return by_fold.get(fold(kind)) if kind else None
    if facet == "cycle":
        label = canonical_cycle(value)
        if label and fold(label) in by_fold:
            return by_fold[fold(label)]
        # "2021" or "2023" alone: the cycle that starts that year.
        if re.fullmatch(r"20\d\d", value.strip()):
            starts = [v for v in by_fold.values() if v.startswith(value.strip())]
            return starts[0] if len(starts) == 1 else None
        return None
    if key.endswith("s") and key[:-1] in by_fold:  # "recommendations", "summaries" aside
        return by_fold[key[:-1]]
    return None
