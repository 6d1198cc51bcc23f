"""Generate a synthetic PEEL archive for benchmarks: seeded, deterministic, parseable as is.

The corpus is composed the way the real archive is (reference §1, §6, §7), with real cycle
labels only:

- **Pillar pages, 2014–2018/19** (`pillar-pages/`, the layout `indexer.parse` reads, §6a):
  every force (43) × every cycle × every pillar of that cycle with known question wordings —
  title "{Short} PEEL {cycle}", pillar line, headline question, "Last updated dd/mm/yyyy",
  grade line, summary, "Questions for {Pillar}", the known questions with grades on the
  four-point scale and "Areas for improvement" bullets. 688 pages.
- **Area reports, 2021/22 and 2023–25** (`areas-of-policing/`, the text layout
  `indexer.parse_areas` reads, §2, §6e): one per force and cycle (86) — "PEEL 2021/22: An
  inspection of {Force}", "Overall summary", "Our judgments" with "Area: Grade" lines on the
  five-point scale, "HM Inspector's observations" (2021/22) or "HM Inspector's summary"
  (2023–25), then one section per area of policing in its known wording, opening with a grade
  sentence, and inside it areas for improvement, causes of concern with recommendations, and
  promising or innovative practice. Long and rich, as real ones are (tens to 100+ sections).
- **Other reports** (`other-reports/`, the sections-by-heading layout `indexer.parse_other`
  reads, §7): State of Policing editions and PEEL national overviews (typed by their titles),
  spotlight reports and revisits (titles, plus a `.meta.json` sidecar for the spotlight
  cycle), and thematic inspections (typed by a sidecar: `report_type`, `updated`). No force;
  50–400 sections each; their number fills the corpus up to the requested size, and the last
  one is sized to the remainder, so the parsed section count is exactly `--sections`.

Small sizes take a prefix of each kind (pillar pages mixed over forces and cycles first, then
area reports, then other reports), so even a few hundred sections hold every report type.

Section text is 100–300 words drawn from a Zipf-distributed vocabulary (common policing words
at the head, synthetic words in the long tail), with stock policing phrases mixed in, and rare
domain terms (THRIVE, solvability, …) in about 1% of sections.

Example:
    python scripts/gen_corpus.py --sections 10000 --out /tmp/peel-10k --seed 1
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from indexer.draft import slugify  # noqa: E402
from indexer.forces import FORCES, Force  # noqa: E402
from indexer.model import cycle_slug  # noqa: E402
from indexer.questions import KnownQuestion, known_questions  # noqa: E402

GENERATOR_VERSION = 2
MANIFEST = ".gen-manifest.json"  # a dot file: `peel-index build` passes over it silently

# Cycles and the pillars with known question wordings in each (legitimacy 2014's wording was
# never captured, reference §2, so it has no pages here).
CYCLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("2014", ("Effectiveness", "Efficiency")),
    ("2015", ("Effectiveness", "Efficiency", "Legitimacy", "Leadership")),
    ("2016", ("Effectiveness", "Efficiency", "Legitimacy", "Leadership")),
    ("2017", ("Effectiveness", "Efficiency", "Legitimacy")),
    ("2018/19", ("Effectiveness", "Efficiency", "Legitimacy")),
)
SLOTS: tuple[tuple[str, str], ...] = tuple((c, p) for c, pillars in CYCLES for p in pillars)

HEADLINES: dict[tuple[str, str], str] = {
    ("2014", "Effectiveness"): (
        "How effective is the force at keeping people safe and reducing crime?"
    ),
    ("2014", "Efficiency"): "How well the force delivers value for money",
    ("2018/19", "Effectiveness"): (
        "How effectively does the force reduce crime and keep people safe?"
    ),
    ("2018/19", "Efficiency"): (
        "How efficiently does the force operate and how sustainable are its services to the public?"
    ),
    ("2018/19", "Legitimacy"): (
        "How legitimately does the force treat the public and its workforce?"
    ),
}
ADJECTIVE = {"Effectiveness": "effective", "Efficiency": "efficient", "Legitimacy": "legitimate"}
LEADERSHIP_HEADLINE = "How well does the force understand, develop and display leadership?"

# Publication dates (reference §6c), as (day, month, year).
DATES: dict[tuple[str, str], tuple[int, int, int]] = {
    ("2014", "Effectiveness"): (27, 11, 2014),
    ("2014", "Efficiency"): (27, 11, 2014),
    ("2015", "Efficiency"): (29, 10, 2015),
    ("2015", "Effectiveness"): (25, 2, 2016),
    ("2015", "Legitimacy"): (11, 2, 2016),
    ("2015", "Leadership"): (11, 2, 2016),
    ("2016", "Efficiency"): (3, 11, 2016),
    ("2016", "Legitimacy"): (8, 12, 2016),
    ("2016", "Leadership"): (8, 12, 2016),
    ("2016", "Effectiveness"): (2, 3, 2017),
    ("2017", "Efficiency"): (9, 11, 2017),
    ("2017", "Legitimacy"): (12, 12, 2017),
    ("2017", "Effectiveness"): (22, 3, 2018),
}
TRANCHES_2018 = ((2, 5, 2019), (27, 9, 2019), (20, 1, 2020))

GRADES = ("Outstanding", "Good", "Requires improvement", "Inadequate")
GRADE_WEIGHTS = (0.07, 0.64, 0.25, 0.04)
# How many areas for improvement a question of each grade tends to get, relative to the mean.
AFI_BIAS = {"Outstanding": 0.2, "Good": 0.8, "Requires improvement": 1.6, "Inadequate": 2.2,
            "": 0.5}
MAX_AFI = 8

# The head of the vocabulary, roughly in frequency order: function words, then policing words.
def words(text: str) -> tuple[str, ...]:
    """Whitespace-separated words of a literal, in order."""
    return tuple(text.split())


HEAD_WORDS = words("""
the of and to in a that is for it its with as on be by are this has have force not at from
or which was more but an should we their all been can officers these how other public some
work also there than staff will they when police crime does well good understanding demand
people victims services use data plans improve ensure current resources workforce effective
risk vulnerable investigation local communities partners understand future making needs
approach inspection however while further officer support processes across need management
training about between response effectively particularly leaders number areas order found
within whether because being where through supervisors review action improvement teams
neighbourhood policing protect harm crimes safety quality threat offenders system time change
capacity capability information analysis evidence effectiveness efficiency legitimacy
leadership strategy budget savings financial costs value money investment technology digital
systems intelligence calls incidents attendance priorities performance oversight governance
standards behaviour ethics culture fairness respect complaints misconduct wellbeing
engagement consultation survey confidence trust satisfaction contact response times
safeguarding abuse domestic sexual exploitation children adults missing mental health
partnership agencies authorities councils services health hospitals schools prisons probation
courts prosecution charge outcomes detection arrests suspects warrants bail custody detention
interviews witnesses statements files cases caseloads workloads shifts rotas deployment
patrols vehicles equipment estates buildings stations contracts procurement collaboration
regional national strategic tactical operational frontline specialist detectives constables
sergeants inspectors superintendents chief commissioner command units departments hubs centres
control room handling triage grading assessment assessments planning forecasting modelling
profile profiles problem solving prevention early intervention diversion reoffending
offending offences offence antisocial behaviour hate burglary robbery theft violence weapons
knives firearms drugs gangs organised serious cyber fraud online road traffic collisions
""")

# Stock phrases that real reports repeat; phrase queries are drawn from these.
PHRASES: tuple[str, ...] = (
    "risk assessment",
    "neighbourhood policing",
    "anti-social behaviour",
    "organised crime groups",
    "victims of crime",
    "domestic abuse",
    "vulnerable people",
    "serious and organised crime",
    "stop and search",
    "use of force",
    "future demand",
    "value for money",
    "professional standards department",
    "workforce model",
    "crime recording",
    "mental health",
    "missing children",
    "problem solving",
    "body-worn video",
    "medium-term financial plan",
)

# Rare domain terms: together they appear in about 1% of sections.
RARE_TERMS: tuple[str, ...] = (
    "THRIVE",
    "solvability",
    "MASH",
    "county lines",
    "Action Fraud",
    "Taser",
    "MAPPA",
    "MARAC",
    "Clare's Law",
    "Operation Encompass",
    "ANPR",
    "modern slavery",
)
RARE_SHARE = 0.01

VOCAB_SIZE = 20_000
ZIPF_S = 1.07
SYLLABLES = words(
    "ba be bi bo bu ca ce co cu da de di do du fa fe fi fo ga ge go ha he hi ho la le li lo lu "
    "ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti to tu va "
    "ve vi vo wa we wi ya yo za ze zo ar er ir or ur an en in on un al el il ol ul ent ant ist "
    "ment tion ness ful ive ous ard ick ock ump ang ing ong ell ill all oll"
)


@dataclass(slots=True)
class Vocabulary:
    """Words by rank and cumulative Zipf weights for sampling."""

    words: list[str]
    cum: list[float]

    @classmethod
    def build(cls, rng: random.Random, size: int = VOCAB_SIZE, s: float = ZIPF_S) -> Vocabulary:
        words: list[str] = []
        seen: set[str] = set()
        for w in HEAD_WORDS:
            if w not in seen:
                seen.add(w)
                words.append(w)
        while len(words) < size:
            w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
            if w not in seen and len(w) > 3:
                seen.add(w)
                words.append(w)
        cum = list(itertools.accumulate(1.0 / (r**s) for r in range(1, size + 1)))
        return cls(words, cum)

    def sample(self, rng: random.Random, k: int) -> list[str]:
        total = self.cum[-1]
        return [self.words[bisect.bisect(self.cum, rng.random() * total)] for _ in range(k)]


# -- the corpus plan ------------------------------------------------------------------------

AREA_CYCLES: tuple[str, ...] = ("2021/22", "2023–25")
FIVE_GRADES = ("Outstanding", "Good", "Adequate", "Requires improvement", "Inadequate")
FIVE_GRADE_WEIGHTS = (0.05, 0.33, 0.34, 0.23, 0.05)
AREA_AFI_BIAS = {"Outstanding": 0.2, "Good": 0.6, "Adequate": 1.2, "Requires improvement": 1.8,
                 "Inadequate": 2.4, "": 1.0}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

# Shares of the requested size that force reports take (at most their realistic size); other
# reports fill the rest.
PILLAR_SHARE, PILLAR_MEAN_RANGE = 0.55, (5.0, 16.0)
AREA_SHARE, AREA_MEAN_RANGE = 0.35, (25.0, 90.0)
OTHER_SIZE = (50, 400)


@dataclass(slots=True)
class Question:
    known: KnownQuestion
    grade: str  # "" when the question is not graded
    afis: int
    carried_over: bool = False


@dataclass(slots=True)
class ReportPlan:
    """One pillar page: its identity, its grade and its questions; sizes count sections."""

    force: Force
    cycle: str
    pillar: str
    grade: str
    questions: list[Question] = field(default_factory=list)

    @property
    def sections(self) -> int:
        return 1 + sum(1 + q.afis for q in self.questions)

    def truncate(self, keep: int) -> None:
        """Keep the first `keep` sections in reading order (summary, q1, its AFIs, q2, …)."""
        left = keep - 1
        kept: list[Question] = []
        for q in self.questions:
            if left <= 0:
                break
            left -= 1
            q.afis = min(q.afis, left)
            left -= q.afis
            kept.append(q)
        self.questions = kept


@dataclass(slots=True)
class Area:
    """One area of policing in a 2021+ report and the child sections under it."""

    name: str
    grade: str  # "" for an ungraded area
    afis: int = 0
    concern: bool = False
    recommendations: int = 0
    practices: int = 0

    @property
    def sections(self) -> int:
        return 1 + self.afis + (1 + self.recommendations if self.concern else 0) + self.practices


@dataclass(slots=True)
class AreaPlan:
    """One 2021/22 or 2023–25 force report: three summary sections, then its areas."""

    force: Force
    cycle: str
    published: tuple[int, int, int]
    areas: list[Area] = field(default_factory=list)

    @property
    def sections(self) -> int:
        return 3 + sum(a.sections for a in self.areas)


@dataclass(slots=True)
class Chapter:
    heading: str
    list_heading: str = ""  # "Recommendations", "Areas for improvement", … or ""
    items: int = 0


@dataclass(slots=True)
class OtherPlan:
    """A report with no force: a summary, then chapters, some ending in a list."""

    report_type: str
    title: str
    published: tuple[int, int, int]
    sidecar: dict[str, str]
    chapters: list[Chapter] = field(default_factory=list)

    @property
    def sections(self) -> int:
        return 1 + sum(1 + c.items for c in self.chapters)


Plan = ReportPlan | AreaPlan | OtherPlan


def slot_order() -> Iterator[tuple[Force, str, str]]:
    """All (force, cycle, pillar) slots, ordered so that any prefix mixes forces and cycles."""
    for k in range(len(SLOTS)):
        for f, force in enumerate(FORCES):
            cycle, pillar = SLOTS[(k + f) % len(SLOTS)]
            yield force, cycle, pillar


def area_order() -> Iterator[tuple[Force, str]]:
    """All (force, 2021+ cycle) pairs, alternating cycles so that any prefix has both."""
    for k in range(len(AREA_CYCLES)):
        for f, force in enumerate(FORCES):
            yield force, AREA_CYCLES[(k + f) % len(AREA_CYCLES)]


def _mean_and_count(size: int, share: float, slots: int, lo_hi: tuple[float, float]) -> tuple[
    float, int
]:
    lo, hi = lo_hi
    budget = min(size * share, slots * hi)
    mean = min(max(budget / slots, lo), hi)
    return mean, min(slots, round(budget / mean))


def plan_corpus(sections: int, seed: int) -> list[Plan]:
    """Reports totalling exactly `sections` sections: force reports first, others fill up."""
    if sections < 1:
        raise ValueError("--sections must be at least 1")
    rng = random.Random(seed)
    plans: list[Plan] = []
    total = 0
    mean_p, count_p = _mean_and_count(sections, PILLAR_SHARE, len(SLOTS) * len(FORCES),
                                      PILLAR_MEAN_RANGE)
    budget_p = sections * PILLAR_SHARE
    for force, cycle, pillar in itertools.islice(slot_order(), max(1, count_p)):
        if total >= sections or (plans and total >= budget_p):
            break
        target = max(1, round(mean_p * rng.uniform(0.6, 1.4)))
        plan = _plan_pillar_page(force, cycle, pillar, target, rng)
        if total + plan.sections > sections:
            plan.truncate(sections - total)
        plans.append(plan)
        total += plan.sections
    mean_a, count_a = _mean_and_count(sections, AREA_SHARE, len(AREA_CYCLES) * len(FORCES),
                                      AREA_MEAN_RANGE)
    budget_a = total + sections * AREA_SHARE
    for force, cycle in itertools.islice(area_order(), count_a):
        target = min(sections - total, round(mean_a * rng.uniform(0.55, 1.45)))
        if target < 5 or total >= budget_a:
            break
        area_plan = _plan_area_report(force, cycle, target, rng)
        plans.append(area_plan)
        total += area_plan.sections
    identities = other_identities(rng)
    while total < sections:
        left = sections - total
        lo, hi = OTHER_SIZE
        target = left if left <= hi else rng.randint(lo, min(hi, left - lo))
        other = _plan_other_report(next(identities), target, rng)
        plans.append(other)
        total += other.sections
    assert total == sections, (total, sections)
    return plans


def _graded(cycle: str, pillar: str) -> bool:
    """Whether the pillar page carries an overall grade (reference §1)."""
    return not (pillar == "Leadership" or (cycle == "2014" and pillar == "Effectiveness"))


def _nearby(grade: str, scale: tuple[str, ...], rng: random.Random) -> str:
    i = scale.index(grade) + rng.choices((-1, 0, 1), (0.15, 0.7, 0.15))[0]
    return scale[min(max(i, 0), len(scale) - 1)]


def _spread(count: int, weights: list[float], rng: random.Random) -> list[int]:
    """`count` items spread over len(weights) bins in proportion to the weights."""
    out = [0] * len(weights)
    if count > 0 and weights and sum(weights) > 0:
        for i in rng.choices(range(len(weights)), weights, k=count):
            out[i] += 1
    return out


def _plan_pillar_page(
    force: Force, cycle: str, pillar: str, target: int, rng: random.Random
) -> ReportPlan:
    grade = rng.choices(GRADES, GRADE_WEIGHTS)[0]
    plan = ReportPlan(force, cycle, pillar, grade if _graded(cycle, pillar) else "")
    for kq in known_questions(cycle, pillar):
        qgrade = _nearby(grade, GRADES, rng) if kq.graded else ""
        carried = cycle in ("2017", "2018/19") and kq.graded and rng.random() < 0.1
        plan.questions.append(Question(kq, qgrade, 0, carried))
    afis = _spread(target - plan.sections, [AFI_BIAS[q.grade] for q in plan.questions], rng)
    for q, n in zip(plan.questions, afis, strict=True):
        q.afis = n
    return plan


def _areas_for(force: Force, cycle: str, rng: random.Random) -> list[tuple[str, bool]]:
    """The areas a force's report covers, in report order (reference §2)."""
    index = FORCES.index(force)
    cdi = index % 2 == 0  # crime data integrity "in at least every other assessment"
    if cycle == "2021/22":
        original = index < 8  # the first 8 forces used the original PAF (SPR, armed threats)
        names: list[tuple[str, bool]] = [("Providing a service to the victims of crime", False)]
        if cdi:
            names.append(("Recording data about crime", True))
        names += [
            ("Treatment of the public", True),
            ("Preventing crime and anti-social behaviour" if original else "Preventing crime",
             True),
            ("Responding to the public", True),
            ("Investigating crime", True),
            ("Protecting vulnerable people", True),
            ("Managing offenders" if original else "Managing offenders and suspects", True),
            ("Disrupting serious organised crime", True),
        ]
        if original:
            names += [("Meeting the strategic policing requirement", False),
                      ("Responding to armed threats", False)]
        names += [
            ("Developing a positive workplace" if original
             else "Building, supporting and protecting the workforce", True),
            ("Good use of resources" if rng.random() < 0.5
             else "Strategic planning, organisational management and value for money", True),
        ]
        return names
    names = [("Victim service assessment", False)]
    if cdi:
        names.append(("Recording data about crime", True))
    names += [(label, True) for label in (
        "Police powers and public treatment", "Preventing crime", "Responding to the public",
        "Investigating crime", "Protecting vulnerable people", "Managing offenders and suspects",
        "Building, supporting and protecting the workforce", "Leadership and force management",
    )]  # fmt: skip
    return names


def _published(cycle: str, rng: random.Random) -> tuple[int, int, int]:
    # Oct 2021 – Mar 2023, or Apr 2023 – Sep 2025.
    start, first, months = (2021, 10, 18) if cycle == "2021/22" else (2023, 4, 30)
    month = rng.randrange(first, first + months)
    return rng.randint(1, 28), (month - 1) % 12 + 1, start + (month - 1) // 12


def _plan_area_report(force: Force, cycle: str, target: int, rng: random.Random) -> AreaPlan:
    """A report of exactly `target` sections (at least 5)."""
    plan = AreaPlan(force, cycle, _published(cycle, rng))
    overall = rng.choices(FIVE_GRADES, FIVE_GRADE_WEIGHTS)[0]
    for name, graded in _areas_for(force, cycle, rng)[: target - 3]:
        plan.areas.append(Area(name, _nearby(overall, FIVE_GRADES, rng) if graded else ""))
    # Causes of concern (with recommendations) where grades are poor, then practice where they
    # are good, while the budget allows; areas for improvement take the rest.
    for area in plan.areas:
        poor = area.grade == "Inadequate" or (
            area.grade == "Requires improvement" and rng.random() < 0.5
        )
        if poor and plan.sections + 2 <= target:
            area.concern, area.recommendations = True, 1
            extra = min(rng.randint(0, 3), target - plan.sections)
            area.recommendations += extra
        if area.grade in ("Outstanding", "Good") or rng.random() < 0.15:
            area.practices = min(rng.randint(1, 2), target - plan.sections)
    afis = _spread(target - plan.sections, [AREA_AFI_BIAS[a.grade] for a in plan.areas], rng)
    for area, n in zip(plan.areas, afis, strict=True):
        area.afis = n
    return plan


# Other report types (reference §7). Titles are real where the reference names them.
NATIONAL_OVERVIEWS: tuple[str, ...] = (
    *(f"PEEL: Police {pillar.lower()} {cycle} – A national overview"
      for cycle, pillars in CYCLES[:4] for pillar in pillars),
    "PEEL: Police effectiveness 2015 (vulnerability) – A national overview",
    "PEEL: Police effectiveness, efficiency and legitimacy 2018/19 – A national overview",
)
STATE_OF_POLICING_EDITIONS: tuple[tuple[str, tuple[int, int, int]], ...] = (
    ("2013/14", (27, 11, 2014)), ("2016", (2, 5, 2017)), ("2017", (28, 6, 2018)),
    ("2018", (2, 7, 2019)), ("2021", (10, 3, 2022)), ("2022", (9, 6, 2023)),
)  # fmt: skip
SPOTLIGHTS: tuple[str, ...] = (
    "PEEL spotlight report: A system under pressure",
    "PEEL spotlight report: Shining a light on betrayal",
    "PEEL spotlight report: Diverging under pressure",
)
REVISITS: tuple[str, ...] = tuple(
    f"Police effectiveness 2015 (vulnerability) revisit – {name}"
    for name in ("Staffordshire Police", "Bedfordshire Police", "Humberside Police",
                 "Wiltshire Police")
)
THEMATIC_REAL: tuple[str, ...] = (
    "Stop and search powers: Are the police using them effectively and fairly?",
    "Crime recording: A matter of fact",
    "The Strategic Policing Requirement: An inspection of police arrangements",
    "Everyone's business: Improving the police response to domestic abuse",
    "Increasingly everyone's business: A progress report on domestic abuse",
    "The depths of dishonour: Hidden voices and shameful crimes",
    "Real lives, real crimes: A study of digital crime and policing",
    "Fraud: Time to choose",
    "Disproportionate use of police powers: A spotlight on stop and search",
    "Integrated Offender Management: A joint thematic inspection",
)
THEMATIC_FRAMES: tuple[str, ...] = (
    "An inspection of the police response to {s}",
    "A joint thematic inspection of {s}",
    "How well do forces tackle {s}?",
    "{S}: A progress report",
    "{S}: An inspection of leadership and culture",
    "{S}: Are forces doing enough?",
    "An inspection of how forces manage {s}",
    "{S}: A review of police data and practice",
    "Getting it right: {s}",
    "{S}: An inspection of police and partner work",
)
THEMATIC_SUBJECTS: tuple[str, ...] = (
    "domestic abuse", "child sexual exploitation", "county lines", "modern slavery",
    "stalking and harassment", "rape investigations", "online child abuse", "fraud",
    "cyber crime", "serious youth violence", "knife crime", "missing children",
    "mental health demand", "hate crime", "honour-based abuse", "vetting and misconduct",
    "counter-corruption", "custody", "digital forensics", "the police response to burglary",
    "anti-social behaviour", "neighbourhood policing", "call handling", "firearms licensing",
    "roads policing", "victims' rights", "race and policing", "the use of Taser",
    "police wellbeing", "the recruitment of new officers", "organised immigration crime",
    "economic crime", "terrorism risk", "offender management", "the use of force",
)
CHAPTERS: tuple[str, ...] = (
    "Introduction", "Background", "Methodology", "Context", "Our findings", "Leadership",
    "Understanding the problem", "Working with partners", "Protecting vulnerable people",
    "Investigating crime", "Outcomes for victims", "Use of resources", "Workforce",
    "Data and technology", "Training and guidance", "Governance and oversight",
    "Force performance", "National picture", "Funding and demand", "Public confidence",
    "Prevention", "Early intervention", "Supervision", "Case studies", "Next steps",
    "Conclusion", "Annex A: About the data", "Annex B: Inspection terms of reference",
    "Annex C: Police force areas", "Peelian principles", "Inspections by force",
)
LIST_HEADINGS: tuple[tuple[str, float], ...] = (
    ("Recommendations", 0.5), ("Areas for improvement", 0.3), ("Causes of concern", 0.1),
    ("Promising practice", 0.1),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class OtherIdentity:
    report_type: str
    title: str
    published: tuple[int, int, int]
    sidecar: dict[str, str]


def _date_in(rng: random.Random, first: int, last: int) -> tuple[int, int, int]:
    return rng.randint(1, 28), rng.randint(1, 12), rng.randint(first, last)


def _iso(date: tuple[int, int, int]) -> str:
    return f"{date[2]:04d}-{date[1]:02d}-{date[0]:02d}"


def other_identities(rng: random.Random) -> Iterator[OtherIdentity]:
    """Reports with no force, in a deterministic order that mixes the types early."""
    fixed: list[OtherIdentity] = []
    for cycle, date in STATE_OF_POLICING_EDITIONS:
        title = f"State of Policing: The annual assessment of policing in England and Wales {cycle}"
        fixed.append(OtherIdentity("State of Policing", title, date, {}))
    for title in NATIONAL_OVERVIEWS:
        year = int(next(w for w in title.split() if w[:2] == "20")[:4])
        fixed.append(OtherIdentity("National overview", title, _date_in(rng, year, year + 1),
                                   {}))
    for title in SPOTLIGHTS:
        date = _date_in(rng, 2019, 2020)
        fixed.append(OtherIdentity("Spotlight report", title, date,
                                   {"cycle": "2018/19", "updated": _iso(date)}))
    for title in REVISITS:
        fixed.append(OtherIdentity("Revisit", title, _date_in(rng, 2016, 2016), {}))
    for title in THEMATIC_REAL:
        date = _date_in(rng, 2013, 2024)
        fixed.append(OtherIdentity("Thematic inspection", title, date,
                                   {"report_type": "Thematic inspection", "updated": _iso(date)}))
    # Interleave the types: one of each in turn.
    by_type: dict[str, list[OtherIdentity]] = {}
    for ident in fixed:
        by_type.setdefault(ident.report_type, []).append(ident)
    queues = list(by_type.values())
    while any(queues):
        for q in queues:
            if q:
                yield q.pop(0)
    combos = [(f, s) for s in THEMATIC_SUBJECTS for f in THEMATIC_FRAMES]
    rng.shuffle(combos)
    for round_ in itertools.count(1):
        for frame, subject in combos:
            title = frame.format(s=subject, S=subject[0].upper() + subject[1:])
            if round_ > 1:
                title = f"{title} ({_ordinal(round_)} inspection)"
            date = _date_in(rng, 2013, 2025)
            yield OtherIdentity("Thematic inspection", title, date,
                                {"report_type": "Thematic inspection", "updated": _iso(date)})


def _ordinal(n: int) -> str:
    return {2: "second", 3: "third", 4: "fourth", 5: "fifth"}.get(n, f"{n}th")


def _plan_other_report(ident: OtherIdentity, target: int, rng: random.Random) -> OtherPlan:
    """A report of exactly `target` sections: a summary, then chapters and their lists."""
    plan = OtherPlan(ident.report_type, ident.title, ident.published, ident.sidecar)
    left = target - 1
    while left > 0:
        chapter = Chapter(rng.choice(CHAPTERS))
        left -= 1
        if left > 0 and rng.random() < 0.3:
            heading = rng.choices([h for h, _ in LIST_HEADINGS], [w for _, w in LIST_HEADINGS])[0]
            chapter.list_heading = heading
            chapter.items = min(left, rng.randint(1, 8))
            left -= chapter.items
        plan.chapters.append(chapter)
    return plan


# -- the text --------------------------------------------------------------------------------


class Writer:
    """Turns report plans into page text."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vocab = Vocabulary.build(random.Random(rng.random()))

    def sentence(self) -> str:
        rng = self.rng
        words = self.vocab.sample(rng, rng.randint(8, 22))
        if rng.random() < 0.35:
            words.insert(rng.randrange(len(words) + 1), rng.choice(PHRASES))
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraphs(self, opening: str, words: int, rare: bool) -> list[str]:
        """Paragraphs of about `words` words in all, the first opening with `opening`."""
        rng = self.rng
        sentences = [opening] if opening else []
        count = len(opening.split())
        while count < words:
            s = self.sentence()
            sentences.append(s)
            count += len(s.split())
        if rare:
            for term in rng.sample(RARE_TERMS, rng.randint(1, 2)):
                i = rng.randrange(len(sentences))
                sentences[i] = sentences[i][:-1] + f", using {term}."
        paras: list[str] = []
        while sentences:
            n = rng.randint(3, 6)
            paras.append(" ".join(sentences[:n]))
            sentences = sentences[n:]
        return paras

    def body(self, opening: str) -> list[str]:
        """One section's text: 100–300 words, a rare term in about 1% of sections."""
        rare = self.rng.random() < RARE_SHARE
        return self.paragraphs(opening, self.rng.randint(100, 300), rare)

    def item(self, opening: str) -> str:
        """One section's text as a single bullet."""
        return "  • " + " ".join(self.body(opening))

    def text(self, plan: Plan) -> str:
        if isinstance(plan, ReportPlan):
            return self.page(plan)
        if isinstance(plan, AreaPlan):
            return self.area_report(plan)
        return self.other_report(plan)

    def page(self, plan: ReportPlan) -> str:
        force, cycle, pillar = plan.force, plan.cycle, plan.pillar
        day, month, year = _date(plan)
        lines = ["Skip to content", f"{force.short} PEEL {cycle}", pillar, _headline(plan)]
        lines.append(f"Last updated {day:02d}/{month:02d}/{year:04d}")
        if plan.grade:
            lines.append(plan.grade)
        noun = pillar.lower() if pillar != "Leadership" else "leadership"
        opening = (
            f"{force.name} has been assessed as {plan.grade.lower()} in respect of the {noun} "
            "with which it keeps people safe and reduces crime."
            if plan.grade
            else f"This is our assessment of the {noun} of {force.name}."
        )
        lines.extend(self.body(opening))
        if plan.questions:
            lines.append(f"Questions for {pillar}")
        for q in plan.questions:
            lines.append(str(q.known.number))
            lines.append(q.known.text)
            if q.grade:
                lines.append(q.grade)
                opening = f"{force.name} is {q.grade.lower()} in this area."
            elif pillar == "Legitimacy" and cycle == "2015":
                opening = "This question has not been inspected or graded in 2015."
            else:
                opening = f"This question was not graded in {cycle}."
            if q.carried_over:
                opening += (
                    f" This question was not inspected in {cycle}. The grade and findings from "
                    "last year's inspection still stand."
                    if cycle == "2017"
                    else " This question was not subject to detailed inspection in 2018/19, and "
                    "our judgment from the 2017 inspection has been carried over."
                )
            lines.extend(self.body(opening))
            if q.afis:
                lines.append("Areas for improvement")
                for _ in range(q.afis):
                    lines.append(self.item(f"{force.name} should improve how it works."))
        return "\n\n".join(lines) + "\n"

    def area_report(self, plan: AreaPlan) -> str:
        force, cycle = plan.force, plan.cycle
        day, month, year = plan.published
        label = "2021/22" if cycle == "2021/22" else "2023–2025"
        graded = [a for a in plan.areas if a.grade]
        lines = [f"PEEL {label}: An inspection of {force.name}",
                 f"Published {day} {MONTHS[month - 1]} {year}", "Overall summary"]
        lines += self.body(f"This report sets out our findings for {force.name}.")
        lines.append("Our judgments")
        lines.append(
            f"Our inspection assessed how good {force.name} is in {len(plan.areas)} areas of "
            f"policing. We make graded judgments in {len(graded)} of these "
            f"{len(plan.areas)} areas."
        )
        lines += [f"{a.name}: {a.grade}" for a in graded]
        lines.append("HM Inspector's observations" if cycle == "2021/22"
                     else "HM Inspector's summary")
        lines += self.body(f"I am pleased with some aspects of the performance of {force.short}.")
        for area in plan.areas:
            lines.append(area.name)
            if area.grade:
                verb = (
                    "requires improvement at"
                    if area.grade == "Requires improvement"
                    else f"is {area.grade.lower()} at"
                )
                opening = f"{force.name} {verb} {area.name[0].lower()}{area.name[1:]}."
            else:
                opening = "We do not make a graded judgment for this area of policing."
            lines.append(opening)
            lines.append("Main findings")
            lines += self.body("")
            if area.afis:
                lines.append("Areas for improvement")
                lines += [self.item(f"The force should improve its approach to "
                                    f"{area.name.lower()}.") for _ in range(area.afis)]
            if area.concern:
                lines.append("Cause of concern")
                lines += self.body(f"{force.name} does not do enough in this area.")
                lines.append("Recommendations")
                lines += [self.item("Within six months, the force should act on this.")
                          for _ in range(area.recommendations)]
            for _ in range(area.practices):
                kind = self.rng.choice(("Promising practice", "Innovative practice"))
                lines.append(kind)
                lines += self.body(f"{force.short} has developed a new approach.")
        return "\n\n".join(lines) + "\n"

    def other_report(self, plan: OtherPlan) -> str:
        day, month, year = plan.published
        lines = [plan.title, f"Published {day} {MONTHS[month - 1]} {year}", "Summary"]
        lines += self.body("This report sets out what we found.")
        for chapter in plan.chapters:
            lines.append(chapter.heading)
            lines += self.body("")
            if chapter.list_heading:
                lines.append(chapter.list_heading)
                lines += [self.item("Chief constables should act on this finding.")
                          for _ in range(chapter.items)]
        return "\n\n".join(lines) + "\n"


def _headline(plan: ReportPlan) -> str:
    if plan.pillar == "Leadership":
        return LEADERSHIP_HEADLINE
    default = (
        f"How {ADJECTIVE[plan.pillar]} is the force at keeping people safe and reducing crime?"
    )
    return HEADLINES.get((plan.cycle, plan.pillar), default)


def _date(plan: ReportPlan) -> tuple[int, int, int]:
    if plan.cycle == "2018/19":
        return TRANCHES_2018[FORCES.index(plan.force) % 3]
    return DATES[(plan.cycle, plan.pillar)]


def file_name(plan: Plan) -> str:
    """The report's path under the corpus folder."""
    if isinstance(plan, ReportPlan):
        return (f"pillar-pages/{plan.force.slug}-peel-{cycle_slug(plan.cycle)}-"
                f"{plan.pillar.lower()}.txt")
    if isinstance(plan, AreaPlan):
        return f"areas-of-policing/{plan.force.slug}-{cycle_slug(plan.cycle)}.txt"
    return f"other-reports/{slugify(plan.title, 80)}.txt"


def check_destination(out: Path) -> None:
    """Refuse to write inside the real corpus or into a folder that already holds files."""
    corpus = (REPO / "corpus").resolve()
    target = out.resolve()
    if target == corpus or corpus in target.parents:
        raise SystemExit(f"refusing to write inside {corpus}: generated reports must stay out")
    if target.exists() and any(target.iterdir()):
        raise SystemExit(f"{target} is not empty; pass an empty or new folder")


def _type_of(plan: Plan) -> str:
    if isinstance(plan, ReportPlan):
        return "pillar page"
    if isinstance(plan, AreaPlan):
        return f"areas of policing {plan.cycle}"
    return plan.report_type


def generate(sections: int, out: Path, seed: int) -> dict[str, object]:
    """Write the corpus and its manifest; return the manifest."""
    check_destination(out)
    plans = plan_corpus(sections, seed)
    writer = Writer(random.Random(seed + 1))
    out.mkdir(parents=True, exist_ok=True)
    names: set[str] = set()
    reports: dict[str, int] = {}
    by_type: dict[str, int] = {}
    for plan in plans:
        name = file_name(plan)
        if name in names:
            raise AssertionError(f"two reports would be written to {name}")
        names.add(name)
        path = out / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(writer.text(plan), encoding="utf-8")
        if isinstance(plan, OtherPlan) and plan.sidecar:
            sidecar = path.with_name(path.name + ".meta.json")
            sidecar.write_text(json.dumps(plan.sidecar, indent=2) + "\n", encoding="utf-8")
        kind = _type_of(plan)
        reports[kind] = reports.get(kind, 0) + 1
        by_type[kind] = by_type.get(kind, 0) + plan.sections
    manifest: dict[str, object] = {
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "sections": sum(p.sections for p in plans),
        "reports": len(plans),
        "reports_by_type": reports,
        "sections_by_type": by_type,
        "rare_terms": list(RARE_TERMS),
        "phrases": list(PHRASES),
        "common_words": HEAD_WORDS[40:240],
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate a synthetic PEEL corpus for benchmarks.",
        epilog="Example: python scripts/gen_corpus.py --sections 10000 --out /tmp/peel-10k",
    )
    parser.add_argument("--sections", type=int, required=True, help="sections to generate")
    parser.add_argument("--out", type=Path, required=True, help="new folder outside corpus/")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    try:
        manifest = generate(args.sections, args.out, args.seed)
    except ValueError as exc:
        parser.error(str(exc))
    kinds = ", ".join(f"{n} {k}" for k, n in dict(manifest["reports_by_type"]).items())  # type: ignore[call-overload]
    print(f"wrote {manifest['reports']} reports ({kinds}), {manifest['sections']} sections "
          f"to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
