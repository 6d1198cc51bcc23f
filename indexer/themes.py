"""The question crosswalk: every known question and area-of-policing wording → a stable theme.

PEEL asked about the same subjects in different words in every cycle, and from 2021/22 asked
about "areas of policing" instead of pillar questions. A theme names the subject, so that 2016's
"How effective is the force at protecting those who are vulnerable from harm, and supporting
victims?" and 2021/22's area "Protecting vulnerable people" line up in one row.

Curated data, versioned by `THEMES_VERSION` (bump it when a mapping changes: the index then
needs rebuilding, which `SCHEMA_VERSION` enforces when a theme is added or renamed).

Rules (docs/design.md, "Themes"):
- a question or an area gets the theme of its wording in its cycle, else of the same wording
  in any cycle or of a known variant (`VARIANTS`, e.g. 2018/19 sub-area headings and the
  inspectorate's news wording of areas); wording is compared folded (case, quotes, punctuation);
- areas for improvement, causes of concern, recommendations and practice inherit their
  question's theme (they carry its wording);
- pillar summaries and sections outside any question (introductions, national reports) get no
  theme: a pillar spans several themes;
- a question wording that maps to no theme is left without one and reported as a warning by
  `peel-index check` (`unmapped_warning`).
"""

from __future__ import annotations

from indexer.questions import fold

THEMES_VERSION = 1

PREVENTING = "Preventing crime and anti-social behaviour"
INVESTIGATING = "Investigating crime"
VULNERABLE = "Protecting vulnerable people"
ORGANISED = "Serious and organised crime"
RESPONDING = "Responding to the public"
OFFENDERS = "Managing offenders"
VICTIMS = "Service to victims"
SPECIALIST = "Specialist capabilities"
CRIME_DATA = "Crime data integrity"
DEMAND = "Understanding demand"
RESOURCES = "Use of resources"
FUTURE = "Planning for the future"
FAIR_PUBLIC = "Fair treatment of the public"
ETHICAL = "Ethical and lawful workforce"
WORKFORCE = "Treatment of the workforce"
LEADERSHIP = "Leadership"

# Themes in the order they are listed (the effectiveness subjects, then efficiency, then
# legitimacy, then leadership: the order the inspectorate presents them).
THEMES: tuple[str, ...] = (
    PREVENTING, RESPONDING, INVESTIGATING, VULNERABLE, OFFENDERS, ORGANISED, VICTIMS,
    SPECIALIST, CRIME_DATA, DEMAND, RESOURCES, FUTURE, FAIR_PUBLIC, ETHICAL, WORKFORCE,
    LEADERSHIP,
)  # fmt: skip

# cycle -> {wording as published: theme}. Every wording of `indexer.questions.QUESTIONS` and
# `AREAS` is here (a test walks both), plus the 2014 legitimacy questions of reference §2.
_EFFECTIVENESS_2016 = {
    "How effective is the force at preventing crime, tackling anti-social behaviour and keeping "
    "people safe?": PREVENTING,
    "How effective is the force at investigating crime and reducing re-offending?": INVESTIGATING,
    "How effective is the force at protecting those who are vulnerable from harm, and supporting "
    "victims?": VULNERABLE,
    "How effective is the force at tackling serious and organised crime?": ORGANISED,
    "How effective are the force's specialist capabilities?": SPECIALIST,
}
_LEGITIMACY_2016 = {
    "To what extent does the force treat all of the people it serves with fairness and "
    "respect?": FAIR_PUBLIC,
    "How well does the force ensure that its workforce behaves ethically and lawfully?": ETHICAL,
    "To what extent does the force treat its workforce with fairness and respect?": WORKFORCE,
}
_AREAS_2021 = {
    "Providing a service to the victims of crime": VICTIMS,
    "Recording data about crime": CRIME_DATA,
    "Treatment of the public": FAIR_PUBLIC,
    "Preventing crime": PREVENTING,
    "Preventing crime and anti-social behaviour": PREVENTING,
    "Responding to the public": RESPONDING,
    "Investigating crime": INVESTIGATING,
    "Protecting vulnerable people": VULNERABLE,
    "Managing offenders": OFFENDERS,
    "Managing offenders and suspects": OFFENDERS,
    "Disrupting serious organised crime": ORGANISED,
    "Meeting the strategic policing requirement": SPECIALIST,
    "Responding to armed threats": SPECIALIST,
    "Developing a positive workplace": WORKFORCE,
    "Building, supporting and protecting the workforce": WORKFORCE,
    "Good use of resources": RESOURCES,
    "Strategic planning, organisational management and value for money": RESOURCES,
}

CROSSWALK: dict[str, dict[str, str]] = {
    "2014": {
        "How effective is the force at reducing crime and preventing offending?": PREVENTING,
        "How effective is the force at investigating offending?": INVESTIGATING,
        "How effective is the force at tackling anti-social behaviour?": PREVENTING,
        "How effective is the force at protecting those at greatest risk of harm?": VULNERABLE,
        "How effective is the force at tackling serious, organised and complex crime?": ORGANISED,
        "How effective is the force at meeting its commitments under the Strategic Policing "
        "Requirement?": SPECIALIST,
        "To what extent is the force efficient?": RESOURCES,
        "To what extent is the force taking steps to ensure a secure financial position for the "
        "short and long term?": FUTURE,
        "To what extent has the force got an affordable way of providing policing?": FUTURE,
        "To what extent does the force ensure that the workforce acts with integrity?": ETHICAL,
        "What are the public perceptions of the force?": FAIR_PUBLIC,
    },
    "2015": {
        "How effective is the force at preventing crime and anti-social behaviour, and keeping "
        "people safe?": PREVENTING,
        "How effective is the force at investigating crime and managing offenders?": INVESTIGATING,
        "How effective is the force at protecting from harm those who are vulnerable, and "
        "supporting victims?": VULNERABLE,
        "How effective is the force at tackling serious and organised crime, including its "
        "arrangement for fulfilling its national policing responsibilities?": ORGANISED,
        "How well does the force use its resources to meet its demand?": RESOURCES,
        "How sustainable and affordable is the workforce model?": FUTURE,
        "How sustainable is the force's financial position for the short and long term?": FUTURE,
        "To what extent does practice and behaviour reinforce the wellbeing of staff and an "
        "ethical culture?": ETHICAL,
        "To what extent are forces recording crimes in accordance with the Home Office Counting "
        "Rules?": CRIME_DATA,
        "How well does the force understand, engage with and treat fairly the people it serves "
        "to maintain and improve its legitimacy?": FAIR_PUBLIC,
        "To what extent are decisions taken on the use of stop and search and Taser fair and "
        "appropriate?": FAIR_PUBLIC,
        "How well does the force have a clear understanding of the current state of its "
        "leadership at every level?": LEADERSHIP,
        "How well has the force provided a clear and compelling sense of the future direction "
        "of the organisation?": LEADERSHIP,
        "How is the force developing leadership, motivating the workforce and encouraging staff "
        "engagement?": LEADERSHIP,
        "To what extent is leadership improving the effectiveness of the force?": LEADERSHIP,
    },
    "2016": {
        **_EFFECTIVENESS_2016,
        "How well does the force understand the current and likely future demand?": DEMAND,
        "How well does the force use its resources to manage current demand?": RESOURCES,
        "How well is the force planning for demand in the future?": FUTURE,
        **_LEGITIMACY_2016,
        "How well does the force understand leadership?": LEADERSHIP,
        "How well does the force develop leadership?": LEADERSHIP,
        "How well does the force display leadership?": LEADERSHIP,
    },
    "2017": {
        **_EFFECTIVENESS_2016,
        "How well does the force understand demand?": DEMAND,
        "How well does the force use its resources to manage demand?": RESOURCES,
        "How well is the force planning for demand in the future?": FUTURE,
        **_LEGITIMACY_2016,
    },
    "2018/19": {
        **_EFFECTIVENESS_2016,
        "How well does the force use its resources to meet the demand it faces?": RESOURCES,
        "How well does the force plan for the future?": FUTURE,
        **_LEGITIMACY_2016,
    },
    "2021/22": _AREAS_2021,
    "2023–25": {
        "Victim service assessment": VICTIMS,
        "Providing a service to the victims of crime": VICTIMS,
        "Recording data about crime": CRIME_DATA,
        "Police powers and public treatment": FAIR_PUBLIC,
        "Preventing crime": PREVENTING,
        "Responding to the public": RESPONDING,
        "Investigating crime": INVESTIGATING,
        "Protecting vulnerable people": VULNERABLE,
        "Managing offenders and suspects": OFFENDERS,
        "Building, supporting and protecting the workforce": WORKFORCE,
        "Leadership and force management": LEADERSHIP,
    },
}

# Other wordings of the same subjects, valid in any cycle: the 2018/19 reports' sub-area
# headings, the inspectorate's news wording of areas, and short forms reports use.
VARIANTS: dict[str, str] = {
    "Preventing crime and tackling anti-social behaviour": PREVENTING,
    "Preventing and deterring crime and antisocial behaviour, and reducing vulnerability": (
        PREVENTING
    ),
    "Preventing and deterring crime and anti-social behaviour": PREVENTING,
    "Tackling serious and organised crime": ORGANISED,
    "Disrupting organised crime": ORGANISED,
    "Serious and organised crime": ORGANISED,
    "Armed policing": SPECIALIST,
    "Strategic policing requirement": SPECIALIST,
    "Meeting current demands and using resources": RESOURCES,
    "Use of resources": RESOURCES,
    "Value for money": RESOURCES,
    "Planning for the future": FUTURE,
    "Treating the public fairly": FAIR_PUBLIC,
    "Police powers and treating the public fairly and respectfully": FAIR_PUBLIC,
    "Fair treatment of the public": FAIR_PUBLIC,
    "Ethical and lawful workforce behaviour": ETHICAL,
    "Treating the workforce fairly": WORKFORCE,
    "Crime data integrity": CRIME_DATA,
    "Service for victims of crime": VICTIMS,
    "How good is the force's service for victims of crime?": VICTIMS,
    "How good is the force at leadership and force management?": LEADERSHIP,
}

_BY_CYCLE: dict[str, dict[str, str]] = {
    cycle: {fold(w): t for w, t in wordings.items()} for cycle, wordings in CROSSWALK.items()
}
_ANY_CYCLE: dict[str, str] = {
    **{fold(w): t for wordings in CROSSWALK.values() for w, t in wordings.items()},
    **{fold(w): t for w, t in VARIANTS.items()},
}


def theme_for(question: str, cycle: str = "") -> str:
    """The theme of a question or area wording ("" when it maps to none)."""
    key = fold(question)
    if not key:
        return ""
    return _BY_CYCLE.get(cycle, {}).get(key) or _ANY_CYCLE.get(key, "")


def unmapped_warning(anchor: str, question: str, cycle: str) -> str:
    """The `check` warning for a wording that maps to no theme."""
    where = f" of {cycle}" if cycle else ""
    return f"{anchor}: no theme for the question or area{where} {question!r} (indexer/themes.py)"
