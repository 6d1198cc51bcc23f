"""Generate a synthetic PEEL corpus for benchmarks: seeded, deterministic, parseable as is.

Writes plain-text pillar pages in the layout `indexer.parse` reads (reference §6a): title
"{Short} PEEL {cycle}", pillar line, headline question, "Last updated dd/mm/yyyy", grade line,
summary paragraphs, "Questions for {Pillar}", numbered questions in their known wording with
grade lines on the cycle's scale, and "Areas for improvement" bullets. Every force (43), every
cycle 2014–2018/19 and every pillar of that cycle with known question wordings gets a report.

Section text is 100–300 words drawn from a Zipf-distributed vocabulary (common policing words
at the head, synthetic words in the long tail), with stock policing phrases mixed in, and rare
domain terms (THRIVE, solvability, …) in about 1% of sections.

Editions. The parser derives a report's id from force + cycle + pillar and refuses a second file
with the same id, so one pass over all forces, cycles and pillars holds at most 688 reports
(~12k sections at a realistic 18 sections a report). Larger corpora repeat the pass as numbered
editions whose cycle label is "{year}/{NN}" (e.g. "2016/03"): the parser accepts the label,
keeps the year, and gives each edition its own report ids. Edition 0 uses the real cycle labels;
an edition's questions are found by their numbers and the "Questions for …" line (the parser
warns that their wording is not in that cycle's known list, which is expected).

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

from indexer.forces import FORCES, Force  # noqa: E402
from indexer.model import cycle_slug, cycle_year  # noqa: E402
from indexer.questions import KnownQuestion, known_questions  # noqa: E402

GENERATOR_VERSION = 1
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
MAX_MEAN_SECTIONS = 18.0  # a report's mean size before another edition is started

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
    cycle: str  # the real cycle, whose questions and dates the page uses
    label: str  # the cycle as the title states it (differs from `cycle` in editions > 0)
    pillar: str
    edition: int
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


def edition_label(cycle: str, edition: int) -> str:
    """The cycle label an edition's title states: the real one for edition 0."""
    if edition == 0:
        return cycle
    year = cycle_year(cycle)
    real_suffix = cycle.split("/")[1] if "/" in cycle else ""
    nn = edition if edition < 19 or real_suffix != "19" else edition + 1
    if nn > 99:
        raise ValueError("more than 99 editions; ask for fewer sections")
    return f"{year}/{nn:02d}"


def slot_order() -> Iterator[tuple[Force, str, str]]:
    """All (force, cycle, pillar) slots, ordered so that any prefix mixes forces and cycles."""
    for k in range(len(SLOTS)):
        for f, force in enumerate(FORCES):
            cycle, pillar = SLOTS[(k + f) % len(SLOTS)]
            yield force, cycle, pillar


def plan_corpus(sections: int, seed: int) -> list[ReportPlan]:
    """Reports totalling exactly `sections` sections, spread over forces, cycles and editions."""
    if sections < 1:
        raise ValueError("--sections must be at least 1")
    slots = list(slot_order())
    editions = max(1, -(-sections // int(len(slots) * MAX_MEAN_SECTIONS)))
    mean_sections = sections / (editions * len(slots))
    # Calibrate: the grade mix skews how many areas for improvement a pass really gets, so
    # measure one trial pass and scale, aiming a little high (the last report is cut to fit).
    trial_rng = random.Random(seed)
    trial = sum(_plan_report(f, c, p, 0, mean_sections, trial_rng).sections for f, c, p in slots)
    mean_sections *= 1.03 * mean_sections * len(slots) / trial
    rng = random.Random(seed)
    plans: list[ReportPlan] = []
    total = 0
    for edition in itertools.count():
        if edition >= 99:
            raise ValueError("could not reach the requested size in 99 editions")
        for force, cycle, pillar in slots:
            plan = _plan_report(force, cycle, pillar, edition, mean_sections, rng)
            if total + plan.sections > sections:
                plan.truncate(sections - total)
            plans.append(plan)
            total += plan.sections
            if total >= sections:
                return plans
    raise AssertionError("unreachable")


def _graded(cycle: str, pillar: str) -> bool:
    """Whether the pillar page carries an overall grade (reference §1)."""
    return not (pillar == "Leadership" or (cycle == "2014" and pillar == "Effectiveness"))


def _nearby_grade(grade: str, rng: random.Random) -> str:
    i = GRADES.index(grade) + rng.choices((-1, 0, 1), (0.15, 0.7, 0.15))[0]
    return GRADES[min(max(i, 0), len(GRADES) - 1)]


def _plan_report(
    force: Force, cycle: str, pillar: str, edition: int, mean: float, rng: random.Random
) -> ReportPlan:
    grade = rng.choices(GRADES, GRADE_WEIGHTS)[0]
    plan = ReportPlan(force, cycle, edition_label(cycle, edition), pillar, edition,
                      grade if _graded(cycle, pillar) else "")
    known = known_questions(cycle, pillar)
    afi_mean = max(0.0, (mean - 1 - len(known)) / max(1, len(known)))
    for kq in known:
        qgrade = _nearby_grade(grade, rng) if kq.graded else ""
        p = min(1.0, afi_mean * AFI_BIAS[qgrade] / MAX_AFI)
        afis = sum(rng.random() < p for _ in range(MAX_AFI))
        carried = cycle in ("2017", "2018/19") and kq.graded and rng.random() < 0.1
        plan.questions.append(Question(kq, qgrade, afis, carried))
    return plan


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
        rare = self.rng.random() < RARE_SHARE
        return self.paragraphs(opening, self.rng.randint(100, 300), rare)

    def page(self, plan: ReportPlan) -> str:
        force, cycle, pillar = plan.force, plan.cycle, plan.pillar
        day, month, year = _date(plan)
        lines = ["Skip to content", f"{force.short} PEEL {plan.label}", pillar, _headline(plan)]
        lines.append(f"Last updated {day:02d}/{month:02d}/{year:04d}")
        ungraded_line = pillar == "Leadership" and plan.edition > 0
        if plan.grade:
            lines.append(plan.grade)
        elif ungraded_line:
            lines.append("Not graded")  # editions have no known list that says so
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
            if q.grade:
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
                    text = " ".join(self.body(f"{force.name} should improve how it works."))
                    lines.append(f"  • {text}")
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
        day, month, year = TRANCHES_2018[FORCES.index(plan.force) % 3]
    else:
        day, month, year = DATES[(plan.cycle, plan.pillar)]
    # Editions publish a few days apart so that "newest first" orders them.
    return min(28, day + plan.edition % 20), month, year


def file_name(plan: ReportPlan) -> str:
    return f"{plan.force.slug}-peel-{cycle_slug(plan.label)}-{plan.pillar.lower()}.txt"


def check_destination(out: Path) -> None:
    """Refuse to write inside the real corpus or into a folder that already holds files."""
    corpus = (REPO / "corpus").resolve()
    target = out.resolve()
    if target == corpus or corpus in target.parents:
        raise SystemExit(f"refusing to write inside {corpus}: generated reports must stay out")
    if target.exists() and any(target.iterdir()):
        raise SystemExit(f"{target} is not empty; pass an empty or new folder")


def generate(sections: int, out: Path, seed: int) -> dict[str, object]:
    """Write the corpus and its manifest; return the manifest."""
    check_destination(out)
    plans = plan_corpus(sections, seed)
    writer = Writer(random.Random(seed + 1))
    out.mkdir(parents=True, exist_ok=True)
    for plan in plans:
        folder = out / f"edition-{plan.edition:02d}"
        folder.mkdir(exist_ok=True)
        (folder / file_name(plan)).write_text(writer.page(plan), encoding="utf-8")
    manifest: dict[str, object] = {
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "sections": sum(p.sections for p in plans),
        "reports": len(plans),
        "editions": max(p.edition for p in plans) + 1,
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
    print(
        f"wrote {manifest['reports']} reports, {manifest['sections']} sections "
        f"({manifest['editions']} edition(s)) to {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
