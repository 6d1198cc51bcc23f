"""Every way a report states a grade, read in one place (reference §3 and §6i).

- a grade or status line standing alone (`grade_line`): "Good", "Requires improvement.",
  "To be graded";
- a cell of a judgments or grades table (`grade_cell`): the grades and "Ungraded"/"No grade";
- the inspectorate's stock judgment sentence opening a summary, question, pillar or area block
  (`judgment_sentence`), naming the force or "the force": "{Force} has been assessed as good in
  respect of …", "{Force} has been judged to be outstanding …", "{Force} is good at …",
  "{Force} requires improvement in …";
- the overview pages' pillar sentence (`pillar_sentence`): "The extent to which {the force |
  Kent Police} is effective at … is good.";
- the 2014 overview's prose list of judgments (`judgment_list`): "… the efficiency with which
  the force carries out its responsibilities is good; and …".

The sentence patterns are deliberately narrow: the sentence must *open* with the force (or "the
force", "the constabulary") as its subject, in one of the stock forms. A grade word anywhere
else — a quote, a comparison, a list of strengths, a sentence about another force — is never a
grade. Where each grade came from is recorded as the section's `grade_source` (`GRADE_SOURCES`
in `indexer.model`).
"""

from __future__ import annotations

import functools
import re

from indexer.forces import Force
from indexer.model import FOUR_POINT_GRADES, GRADES, cycle_year

# Status lines that stand where a grade would, meaning "no grade (yet)".
STATUS_LINES: dict[str, str] = {
    "to be graded": "To be graded",
    "not being graded": "Not being graded",
    "not yet graded": "Not yet graded",
    "ungraded": "Ungraded",
    "not graded": "Not graded",
}
# Table cells meaning "no grade".
UNGRADED_CELLS = frozenset({"ungraded", "not graded", "no grade"})
# The body of a question says it was not graded (reference §3).
UNGRADED_PROSE = re.compile(
    r"has not been inspected or graded|was not graded|is not graded|not yet graded|ungraded",
    re.IGNORECASE,
)
CARRIED_OVER_PROSE = re.compile(
    r"has been carried over|findings from last year's inspection still stand|"
    r"was not inspected in \d{4}",
    re.IGNORECASE,
)
_GRADE_BY_FOLD = {g.lower(): g for g in GRADES}
_RI = "Requires improvement"


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().rstrip(".")).lower()


def grade_line(text: str) -> tuple[str, str] | None:
    """(grade, note) when `text` is a grade or status line standing alone, else None."""
    key = _key(text)
    if key in _GRADE_BY_FOLD:
        return _GRADE_BY_FOLD[key], ""
    if key in STATUS_LINES:
        return "Ungraded", STATUS_LINES[key]
    return None


def grade_cell(text: str) -> str | None:
    """The grade a table cell states ("Ungraded" for "not graded" cells), else None."""
    key = _key(text)
    if key in UNGRADED_CELLS:
        return "Ungraded"
    return _GRADE_BY_FOLD.get(key)


def _canonical(word: str) -> str:
    word = re.sub(r"\s+", " ", word).lower()
    if word.startswith("requir"):
        return _RI
    return _GRADE_BY_FOLD[word]


def opening_sentence(paragraph: str) -> str:
    """The first sentence of a paragraph (up to the first full stop before a capital)."""
    m = re.search(r"[.!?](?=\s+[A-Z\"“‘'(])", paragraph)
    return paragraph[: m.end()] if m else paragraph


@functools.lru_cache(maxsize=64)
def subject_pattern(force: Force) -> str:
    """A regex for the ways a report names its own force as a sentence's subject."""
    names = sorted({force.name, force.short, *force.aliases}, key=len, reverse=True)
    alternatives = [re.escape(n).replace(r"\ ", r"\s+") for n in names]
    alternatives += ["force", "constabulary"]
    return r"(?:the\s+)?(?:" + "|".join(alternatives) + r")"


_WORD = r"outstanding|good|adequate|inadequate"
_STOCK_FORMS = (
    r"has\s+been\s+assessed\s+as\s+(?P<g>" + _WORD + r"|requires\s+improvement|"
    r"requiring\s+improvement)\b",
    r"(?:has\s+been|is)\s+judged\s+(?:to\s+be|as)\s+(?P<g>" + _WORD + r"|requiring\s+improvement)"
    r"\b",
    r"is\s+(?:also\s+)?(?P<g>" + _WORD + r")\s+(?:at|in)\b",
    r"(?P<g>requires\s+improvement)\s+(?:at|in|to)\b",
)


def judgment_sentence(paragraph: str, force: Force | None) -> str | None:
    """The grade the stock judgment sentence opening `paragraph` states about `force`.

    Only the paragraph's first sentence is read, and only when it begins with the force (or
    "the force") as its subject followed by a stock form; anything else is None.
    """
    if force is None or not paragraph:
        return None
    sentence = opening_sentence(paragraph.strip())
    for pattern in _stock_patterns(force):
        if m := pattern.match(sentence):
            return _canonical(m["g"])
    return None


@functools.lru_cache(maxsize=64)
def _stock_patterns(force: Force) -> tuple[re.Pattern[str], ...]:
    subject = subject_pattern(force)
    return tuple(
        re.compile(rf"{subject}\s+(?:also\s+)?{form}", re.IGNORECASE) for form in _STOCK_FORMS
    )


# Overview pages: one sentence per pillar (reference §6b, §6i). 2015 names the force.
_PILLAR_VERBS = {
    "effective": "Effectiveness",
    "efficient": "Efficiency",
    "operates": "Efficiency",
    "legitimate": "Legitimacy",
    "treats": "Legitimacy",
}
_OVERVIEW_GRADES = _WORD.replace("|adequate", "") + (
    r"|requires\s+improvement|not\s+yet\s+graded|to\s+be\s+graded"
)


def pillar_sentence(text: str, force: Force | None) -> tuple[str, str, str] | None:
    """(pillar, grade, note) from "The extent to which {force} is effective at … is good."."""
    if force is None:
        return None
    m = re.match(
        rf"^The\s+extent\s+to\s+which\s+{subject_pattern(force)}\s+(?:is\s+)?"
        rf"(?P<what>effective|efficient|legitimate|operates|treats)\b.*?\bis:?\s+"
        rf"(?P<g>{_OVERVIEW_GRADES})\.?$",
        text.strip(),
        re.IGNORECASE,
    )
    if not m:
        return None
    pillar = _PILLAR_VERBS[m["what"].lower()]
    status = grade_line(m["g"])
    assert status is not None
    return pillar, status[0], status[1]


_LIST_CLAUSE = re.compile(
    r"^(?:and\s+|that\s+)*(?:the\s+)?(?P<what>effectiveness|efficiency|legitimacy)\s+"
    r"(?:with\s+which|of)\s+(?P<rest>.*)\bis:?\s+(?P<g>outstanding|good|requires\s+improvement|"
    r"inadequate)$",
    re.IGNORECASE,
)


def judgment_list(text: str, force: Force | None) -> dict[str, str]:
    """Pillar grades a 2014 overview states in its prose list of judgments.

    Each clause (between semicolons) must open with the pillar's noun, concern the force
    ("… with which the force carries out its responsibilities …") and end "is {grade}".
    """
    if force is None:
        return {}
    found: dict[str, str] = {}
    for clause in re.split(r";", text):
        clause = clause.strip().rstrip(".").strip()
        m = _LIST_CLAUSE.match(clause)
        if m and re.search(rf"\b{subject_pattern(force)}\b", m["rest"], re.IGNORECASE):
            found[m["what"].capitalize()] = _canonical(m["g"])
    return found


def scale_warning(anchor: str, grade: str, cycle: str) -> str | None:
    """The warning for a grade outside its cycle's scale ("Adequate" before 2021/22)."""
    if grade != "Adequate" or not cycle[:4].isdigit() or cycle_year(cycle) >= 2021:
        return None
    scale = ", ".join(FOUR_POINT_GRADES)
    return f"{anchor}: grade 'Adequate' is outside the {cycle} scale ({scale})"


def disagreement_warning(anchor: str, first: tuple[str, str], second: tuple[str, str]) -> str:
    """The warning for two statements of one block's grade that differ: ((source, grade), …)."""
    return (
        f"{anchor}: the {first[0]} says {first[1]} but the {second[0]} says {second[1]}; "
        f"kept the {first[0]}'s"
    )


def no_grade_warning(anchor: str, name: str) -> str:
    """The warning for a graded question or area whose report states no grade."""
    return f"{anchor}: no grade stated for {name!r}"
