"""Known PEEL question wordings, by cycle and pillar (reference §2).

Captures often drop question numbers and the "Questions for …" heading, so the parser finds
questions by their known wording. Wordings compare after folding case, quotes and punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class KnownQuestion:
    number: int
    text: str
    graded: bool = True


def _q(*texts: str, ungraded: tuple[int, ...] = ()) -> tuple[KnownQuestion, ...]:
    return tuple(
        KnownQuestion(i, t, graded=i not in ungraded) for i, t in enumerate(texts, start=1)
    )


_EFFECTIVENESS_2016 = _q(
    "How effective is the force at preventing crime, tackling anti-social behaviour and keeping "
    "people safe?",
    "How effective is the force at investigating crime and reducing re-offending?",
    "How effective is the force at protecting those who are vulnerable from harm, and supporting "
    "victims?",
    "How effective is the force at tackling serious and organised crime?",
    "How effective are the force's specialist capabilities?",
    ungraded=(5,),
)
_LEGITIMACY_2016 = _q(
    "To what extent does the force treat all of the people it serves with fairness and respect?",
    "How well does the force ensure that its workforce behaves ethically and lawfully?",
    "To what extent does the force treat its workforce with fairness and respect?",
)

# (cycle, pillar) -> questions in their published order.
QUESTIONS: dict[tuple[str, str], tuple[KnownQuestion, ...]] = {
    ("2014", "Effectiveness"): _q(
        "How effective is the force at reducing crime and preventing offending?",
        "How effective is the force at investigating offending?",
        "How effective is the force at tackling anti-social behaviour?",
        "How effective is the force at protecting those at greatest risk of harm?",
        "How effective is the force at tackling serious, organised and complex crime?",
        "How effective is the force at meeting its commitments under the Strategic Policing "
        "Requirement?",
        ungraded=(4, 5, 6),
    ),
    ("2014", "Efficiency"): _q(
        "To what extent is the force efficient?",
        "To what extent is the force taking steps to ensure a secure financial position for the "
        "short and long term?",
        "To what extent has the force got an affordable way of providing policing?",
    ),
    ("2014", "Legitimacy"): _q(
        "To what extent does the force ensure that the workforce acts with integrity?",
        "What are the public perceptions of the force?",
        ungraded=(1, 2),
    ),
    ("2015", "Effectiveness"): _q(
        "How effective is the force at preventing crime and anti-social behaviour, and keeping "
        "people safe?",
        "How effective is the force at investigating crime and managing offenders?",
        "How effective is the force at protecting from harm those who are vulnerable, and "
        "supporting victims?",
        "How effective is the force at tackling serious and organised crime, including its "
        "arrangement for fulfilling its national policing responsibilities?",
    ),
    ("2015", "Efficiency"): _q(
        "How well does the force use its resources to meet its demand?",
        "How sustainable and affordable is the workforce model?",
        "How sustainable is the force's financial position for the short and long term?",
    ),
    ("2015", "Legitimacy"): _q(
        "To what extent does practice and behaviour reinforce the wellbeing of staff and an "
        "ethical culture?",
        "To what extent are forces recording crimes in accordance with the Home Office Counting "
        "Rules?",
        "How well does the force understand, engage with and treat fairly the people it serves to "
        "maintain and improve its legitimacy?",
        "To what extent are decisions taken on the use of stop and search and Taser fair and "
        "appropriate?",
        ungraded=(2,),
    ),
    ("2015", "Leadership"): _q(
        "How well does the force have a clear understanding of the current state of its "
        "leadership at every level?",
        "How well has the force provided a clear and compelling sense of the future direction of "
        "the organisation?",
        "How is the force developing leadership, motivating the workforce and encouraging staff "
        "engagement?",
        "To what extent is leadership improving the effectiveness of the force?",
        ungraded=(1, 2, 3, 4),
    ),
    ("2016", "Effectiveness"): _EFFECTIVENESS_2016,
    ("2016", "Efficiency"): _q(
        "How well does the force understand the current and likely future demand?",
        "How well does the force use its resources to manage current demand?",
        "How well is the force planning for demand in the future?",
    ),
    ("2016", "Legitimacy"): _LEGITIMACY_2016,
    ("2016", "Leadership"): _q(
        "How well does the force understand leadership?",
        "How well does the force develop leadership?",
        "How well does the force display leadership?",
        ungraded=(1, 2, 3),
    ),
    ("2017", "Effectiveness"): _EFFECTIVENESS_2016,
    ("2017", "Efficiency"): _q(
        "How well does the force understand demand?",
        "How well does the force use its resources to manage demand?",
        "How well is the force planning for demand in the future?",
    ),
    ("2017", "Legitimacy"): _LEGITIMACY_2016,
    ("2018/19", "Effectiveness"): _EFFECTIVENESS_2016,
    ("2018/19", "Efficiency"): _q(
        "How well does the force use its resources to meet the demand it faces?",
        "How well does the force plan for the future?",
    ),
    ("2018/19", "Legitimacy"): _LEGITIMACY_2016,
}

# Pillar headline questions, which identify the pillar when its name line is missing.
HEADLINES: dict[str, str] = {
    "How effective is the force at keeping people safe and reducing crime?": "Effectiveness",
    "How efficient is the force at keeping people safe and reducing crime?": "Efficiency",
    "How legitimate is the force at keeping people safe and reducing crime?": "Legitimacy",
    "How effectively does the force reduce crime and keep people safe?": "Effectiveness",
    "How efficiently does the force operate and how sustainable are its services to the public?": (
        "Efficiency"
    ),
    "How legitimately does the force treat the public and its workforce?": "Legitimacy",
    "How well the force delivers value for money": "Efficiency",
    "How well the force tackles crime": "Effectiveness",
    "How well does the force provide value for money?": "Efficiency",
    "How well does the force understand, develop and display leadership?": "Leadership",
}


def fold(text: str) -> str:
    """Compare wordings without case, curly quotes, dashes or punctuation."""
    text = text.lower().replace("’", "'").replace("‘", "'").replace("–", "-")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


_HEADLINE_KEYS = {fold(q): p for q, p in HEADLINES.items()}


def headline_pillar(line: str) -> str | None:
    """The pillar whose headline question `line` is, if it is one."""
    return _HEADLINE_KEYS.get(fold(line))


def known_questions(cycle: str, pillar: str) -> tuple[KnownQuestion, ...]:
    return QUESTIONS.get((cycle, pillar), ())


def match_question(line: str, cycle: str, pillar: str) -> KnownQuestion | None:
    """The known question of this cycle and pillar that `line` states, if any."""
    key = fold(line)
    if not key:
        return None
    cut = line.rstrip().endswith(("…", "...")) and len(key) >= 30  # a wording cut off in capture
    for q in known_questions(cycle, pillar):
        if fold(q.text) == key or (cut and fold(q.text).startswith(key)):
            return q
    return None


# Areas of policing graded from 2021/22 (reference §2): (label, graded). Forces differ in
# which areas their report covers, and the labels vary a little, so these are a guide for
# `peel-index check` and for finding area headings, not a closed list.
AREAS: dict[str, tuple[tuple[str, bool], ...]] = {
    "2021/22": (
        ("Providing a service to the victims of crime", False),
        ("Recording data about crime", True),
        ("Treatment of the public", True),
        ("Preventing crime", True),
        ("Preventing crime and anti-social behaviour", True),
        ("Responding to the public", True),
        ("Investigating crime", True),
        ("Protecting vulnerable people", True),
        ("Managing offenders", True),
        ("Managing offenders and suspects", True),
        ("Disrupting serious organised crime", True),
        ("Meeting the strategic policing requirement", False),
        ("Responding to armed threats", False),
        ("Developing a positive workplace", True),
        ("Building, supporting and protecting the workforce", True),
        ("Good use of resources", True),
        ("Strategic planning, organisational management and value for money", True),
    ),
    "2023–25": (
        ("Victim service assessment", False),
        ("Providing a service to the victims of crime", False),
        ("Recording data about crime", True),
        ("Police powers and public treatment", True),
        ("Preventing crime", True),
        ("Responding to the public", True),
        ("Investigating crime", True),
        ("Protecting vulnerable people", True),
        ("Managing offenders and suspects", True),
        ("Building, supporting and protecting the workforce", True),
        ("Leadership and force management", True),
    ),
}


def known_area(name: str, cycle: str) -> tuple[str, bool] | None:
    """The known area of this cycle that `name` names, if any: (label, graded)."""
    key = fold(name)
    for label, graded in AREAS.get(cycle, ()):
        if fold(label) == key:
            return label, graded
    return None
