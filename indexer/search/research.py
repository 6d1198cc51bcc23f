"""The data behind the research views: trends over PEEL cycles and the force × cycle grade grid.

Both take the search page's request (words and facet filters) and answer from the index through
the engine (`Archive.select`: the match set and the int-coded facet columns), as plain
dataclasses; the web app renders them as HTML, JSON and CSV.

- `trends`: for each PEEL cycle in date order, the sections that match per 100 sections of the
  cycle under the same filters (the denominator ignores the words), split by grade, with the
  distinct forces and reports that match. Only PEEL assessments are on the cycle axis; matches
  in other report types are counted beside it.
- `grid`: forces (grouped by police region) × PEEL cycles; each cell holds the grade of the
  chosen pillar or theme for that force and cycle, and the number of passages that match.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from indexer.forces import FORCES, REGIONS
from indexer.model import CYCLES, GRADES, PEEL_ASSESSMENT, PILLARS, cycle_year
from indexer.schema import FACETS_BY_NAME
from indexer.search.engine import Archive, Selection
from indexer.search.request import QueryProblem, SearchRequest
from indexer.themes import THEMES

NO_GRADE = ""
GRADE_ORDER: tuple[str, ...] = (*GRADES, NO_GRADE)  # stacking order: best first
# Filters that choose the grid's rows; every other filter only narrows what counts as a match.
ROW_FILTERS = ("force", "region")
SUBJECT_KINDS = ("theme", "pillar")
FIVE_POINT_FROM = 2021  # the first cycle graded on the five-point scale, by areas of policing


def grade_label(grade: str) -> str:
    return grade or "No grade stated"


# -- methodology breaks ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Break:
    """A change of method between two adjacent cycles on an axis, with why."""

    after: str
    before: str
    notes: tuple[str, ...]

    @property
    def note(self) -> str:
        return " ".join(self.notes)


def breaks(cycles: Iterable[str]) -> list[Break]:
    """The methodology breaks between adjacent cycles: the 2020 gap and the 2021/22 change."""
    out: list[Break] = []
    for a, b in itertools.pairwise(cycles):
        ya, yb = cycle_year(a), cycle_year(b)
        notes: list[str] = []
        if ya < 2020 < yb:
            notes.append("No PEEL assessments were published in 2020 (inspection paused).")
        if ya < FIVE_POINT_FROM <= yb:
            notes.append(
                "From 2021/22 forces are graded by area of policing instead of pillar and "
                "question, on a five-point scale (Adequate added): grades are not directly "
                "comparable with earlier cycles."
            )
        if notes:
            out.append(Break(a, b, tuple(notes)))
    return out


def _cycle_order(values: Iterable[str]) -> list[str]:
    known = {c: i for i, c in enumerate(CYCLES)}
    return sorted(values, key=lambda c: (cycle_year(c), known.get(c, len(known)), c))


def _is_cycle(value: str) -> bool:
    return value[:4].isdigit()


# -- trends ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GradeCount:
    grade: str  # "" when the passage states no grade
    count: int
    per_100: float  # per 100 sections of the cycle under the filters

    @property
    def label(self) -> str:
        return grade_label(self.grade)


@dataclass(frozen=True, slots=True)
class TrendRow:
    cycle: str
    sections: int  # sections of the cycle under the filters: the denominator
    matches: int
    per_100: float
    forces: int  # distinct forces with a match
    reports: int  # distinct reports with a match
    forces_in_cycle: int  # distinct forces among the denominator's sections
    reports_in_cycle: int
    grades: tuple[GradeCount, ...]  # every grade of `Trend.grades`, in that order


@dataclass(frozen=True, slots=True)
class OtherCount:
    """Matches in reports that are not PEEL assessments (not on the cycle axis)."""

    report_type: str
    year: str
    matches: int


@dataclass(frozen=True, slots=True)
class Trend:
    request: SearchRequest
    rows: tuple[TrendRow, ...]
    grades: tuple[str, ...]  # the grades that occur, in stacking order
    others: tuple[OtherCount, ...]
    breaks: tuple[Break, ...]

    @property
    def matches(self) -> int:
        return sum(r.matches for r in self.rows)

    @property
    def max_per_100(self) -> float:
        return max((r.per_100 for r in self.rows), default=0.0)


def _per_100(count: int, total: int) -> float:
    return round(100.0 * count / total, 2) if total else 0.0


def _distinct_per(group: np.ndarray, key: np.ndarray, groups: int) -> np.ndarray:
    """How many distinct `key` values each `group` code has."""
    if not len(group):
        return np.zeros(groups, dtype=np.int64)
    width = int(key.max()) + 1
    seen = np.zeros(groups * width, dtype=bool)  # one flag per (group, key) pair
    seen[group.astype(np.int64) * width + key] = True
    counts: np.ndarray = seen.reshape(groups, width).sum(axis=1)
    return counts


def trends(archive: Archive, req: SearchRequest) -> Trend:
    """Matches per PEEL cycle, per 100 of the cycle's sections under the same filters."""
    sel = archive.select(req)
    peel = sel.code("report_type", PEEL_ASSESSMENT)
    rtype = sel.codes["report_type"]
    docs = sel.docs[rtype[sel.docs] == peel]
    base = sel.base[rtype[sel.base] == peel]
    cyc = sel.codes["cycle"]
    vocab = sel.vocab["cycle"]
    n = len(vocab)
    totals = np.bincount(cyc[base], minlength=n)
    found = np.bincount(cyc[docs], minlength=n)
    gvocab = sel.vocab["grade"]
    order = [g for g in GRADE_ORDER if g in gvocab]
    grade_rank = np.array([order.index(g) for g in gvocab], dtype=np.int64)
    by_grade = np.bincount(
        cyc[docs].astype(np.int64) * len(order) + grade_rank[sel.codes["grade"][docs]],
        minlength=n * len(order),
    ).reshape(n, len(order)) if order else np.zeros((n, 0), dtype=np.int64)
    force = sel.codes["force"]
    forces = _distinct_per(cyc[docs], force[docs], n)
    reports = _distinct_per(cyc[docs], sel.reports[docs], n)
    forces_all = _distinct_per(cyc[base], force[base], n)
    reports_all = _distinct_per(cyc[base], sel.reports[base], n)

    used = [g for i, g in enumerate(order) if by_grade[:, i].sum()]
    rows = []
    for cycle in _cycle_order(c for c in vocab if _is_cycle(c)):
        i = vocab.index(cycle)
        if not totals[i]:
            continue
        total = int(totals[i])
        rows.append(TrendRow(
            cycle, total, int(found[i]), _per_100(int(found[i]), total),
            int(forces[i]), int(reports[i]), int(forces_all[i]), int(reports_all[i]),
            tuple(GradeCount(g, int(by_grade[i, order.index(g)]),
                             _per_100(int(by_grade[i, order.index(g)]), total)) for g in used),
        ))  # fmt: skip
    other_docs = sel.docs[rtype[sel.docs] != peel]
    others: dict[tuple[str, str], int] = {}
    rvocab = sel.vocab["report_type"]
    for t, c in zip(rtype[other_docs].tolist(), cyc[other_docs].tolist(), strict=True):
        key = (rvocab[t] or "Other", vocab[c] or "no year")
        others[key] = others.get(key, 0) + 1
    other_rows = tuple(
        OtherCount(t, y, m)
        for (t, y), m in sorted(others.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    )
    return Trend(req, tuple(rows), tuple(used), other_rows,
                 tuple(breaks(r.cycle for r in rows)))  # fmt: skip


# -- the grade grid -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Subject:
    """What a grid cell shows: a pillar's overall grade or a theme's question or area grade."""

    kind: str  # "theme" or "pillar"
    value: str

    @property
    def param(self) -> str:
        return f"{self.kind}:{self.value}"

    @property
    def label(self) -> str:
        return f"{self.kind.capitalize()}: {self.value}"


@dataclass(frozen=True, slots=True)
class GridOptions:
    subject: Subject | None = None  # None: chosen from the request (see `grid`)
    only_matched: bool = False


def parse_grid_options(items: Iterable[tuple[str, str]]) -> GridOptions:
    """`show=theme:Protecting vulnerable people` or `show=pillar:Efficiency`; `only=matched`."""
    show = ""
    only = ""
    for key, value in items:
        if key == "show":
            show = value.strip()
        elif key == "only":
            only = value.strip().lower()
    if only not in ("", "matched", "all"):
        raise QueryProblem(f"only must be 'matched' or 'all', not {only[:40]!r}.")
    subject = None
    if show:
        kind, _, value = show.partition(":")
        kind, value = kind.strip().lower(), value.strip()
        choices = {"theme": THEMES, "pillar": PILLARS}.get(kind)
        match = next((v for v in choices or () if v.lower() == value.lower()), None)
        if choices is None or match is None:
            raise QueryProblem(
                f"show must be theme:<theme> or pillar:<pillar>, not {show[:80]!r}. Themes: "
                f"{', '.join(THEMES)}. Pillars: {', '.join(PILLARS)}."
            )
        subject = Subject(kind, match)
    return GridOptions(subject, only == "matched")


@dataclass(frozen=True, slots=True)
class GridCell:
    cycle: str
    grades: tuple[str, ...]  # distinct grades stated for the subject, best first
    sources: tuple[str, ...]  # the questions or areas (or pillar) the grades come from
    matches: int

    @property
    def grade(self) -> str:
        """One grade, or "" when there is none; see `grades` when several questions differ."""
        return self.grades[0] if len(self.grades) == 1 else ""


@dataclass(frozen=True, slots=True)
class GridRow:
    force: str
    short: str
    slug: str
    region: str
    cells: tuple[GridCell, ...]

    @property
    def matches(self) -> int:
        return sum(c.matches for c in self.cells)


@dataclass(frozen=True, slots=True)
class GridRegion:
    region: str
    rows: tuple[GridRow, ...]


@dataclass(frozen=True, slots=True)
class Grid:
    request: SearchRequest
    subject: Subject
    only_matched: bool
    counting: bool  # words or filters beyond force/region: cells count matching passages
    cycles: tuple[str, ...]
    regions: tuple[GridRegion, ...]
    breaks: tuple[Break, ...]
    subjects: tuple[Subject, ...]  # every choice the archive can show, themes first
    forces_total: int  # forces before "only with a match"
    hidden_cycles: tuple[str, ...] = ()  # cycles left out: they have no pillars

    @property
    def rows(self) -> list[GridRow]:
        return [row for region in self.regions for row in region.rows]

    @property
    def matches(self) -> int:
        return sum(r.matches for r in self.rows)

    def break_before(self, cycle: str) -> Break | None:
        return next((b for b in self.breaks if b.before == cycle), None)


def _row_request(req: SearchRequest) -> SearchRequest:
    return SearchRequest(filters={k: v for k, v in req.filters.items() if k in ROW_FILTERS})


def grid(archive: Archive, req: SearchRequest, options: GridOptions = GridOptions()) -> Grid:
    """The grade of a pillar or theme for each force and cycle, and the matches in each.

    The grades come from the PEEL assessments of the forces that the force and region filters
    leave (the other filters do not hide a grade); the matches apply the words and every filter.
    """
    graded = archive.select(_row_request(req))
    counting = bool(req.q) or any(k not in ROW_FILTERS for k in req.filters)
    matched = archive.select(req) if counting else None
    codes, vocab = graded.codes, graded.vocab
    base = graded.base[codes["report_type"][graded.base] == graded.code("report_type",
                                                                         PEEL_ASSESSMENT)]
    kind = codes["kind"]
    questions = base[kind[base] == graded.code("kind", "question")]
    summaries = base[kind[base] == graded.code("kind", "summary")]

    subjects = tuple(
        [Subject("theme", t) for t in THEMES
         if (c := graded.code("theme", t)) >= 0 and (codes["theme"][questions] == c).any()]
        + [Subject("pillar", p) for p in PILLARS
           if (c := graded.code("pillar", p)) >= 0 and (codes["pillar"][summaries] == c).any()]
    )  # fmt: skip
    subject = options.subject or _default_subject(req, subjects, matched)

    pool = questions if subject.kind == "theme" else summaries
    pool = pool[codes[subject.kind][pool] == graded.code(subject.kind, subject.value)]
    blank = graded.code("grade", "")
    if blank >= 0:
        pool = pool[codes["grade"][pool] != blank]
    source = "question" if subject.kind == "theme" else "pillar"
    cells: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for f, c, g, s in zip(codes["force"][pool].tolist(), codes["cycle"][pool].tolist(),
                          codes["grade"][pool].tolist(), codes[source][pool].tolist(),
                          strict=True):  # fmt: skip
        grades, sources = cells.setdefault((vocab["force"][f], vocab["cycle"][c]), (set(), set()))
        grades.add(vocab["grade"][g])
        sources.add(vocab[source][s])

    counts: dict[tuple[str, str], int] = {}
    if matched is not None:
        fv, cv = matched.vocab["force"], matched.vocab["cycle"]
        pairs = matched.codes["force"][matched.docs].astype(np.int64) * len(cv)
        pairs += matched.codes["cycle"][matched.docs]
        found = np.bincount(pairs, minlength=len(fv) * len(cv))
        for i in np.flatnonzero(found).tolist():
            counts[(fv[i // len(cv)], cv[i % len(cv)])] = int(found[i])

    peel_cycles = {vocab["cycle"][c] for c in set(codes["cycle"][base].tolist())}
    cycles = _cycle_order(c for c in peel_cycles if _is_cycle(c))
    hidden: list[str] = []
    if subject.kind == "pillar":  # no pillars from 2021/22 on: those columns would be empty
        hidden = [c for c in cycles if cycle_year(c) >= FIVE_POINT_FROM]
        cycles = [c for c in cycles if cycle_year(c) < FIVE_POINT_FROM]
    in_archive = {vocab["force"][f] for f in set(codes["force"][base].tolist())} - {""}
    rows_by_region: dict[str, list[GridRow]] = {}
    for force in sorted(FORCES, key=lambda f: f.short.lower()):
        if force.name not in in_archive:
            continue
        row = GridRow(force.name, force.short, force.slug, force.region, tuple(
            _cell(cycle, *cells.get((force.name, cycle), (set(), set())),
                  counts.get((force.name, cycle), 0))
            for cycle in cycles
        ))  # fmt: skip
        if options.only_matched and counting and not row.matches:
            continue
        rows_by_region.setdefault(force.region, []).append(row)
    regions = tuple(
        GridRegion(r, tuple(rows_by_region[r])) for r in REGIONS if r in rows_by_region
    )
    return Grid(req, subject, options.only_matched and counting, counting, tuple(cycles),
                regions, tuple(breaks(cycles)), subjects, len(in_archive),
                tuple(hidden))  # fmt: skip


def _cell(cycle: str, grades: set[str], sources: set[str], matches: int) -> GridCell:
    real = [g for g in GRADES if g in grades and g != "Ungraded"] or [
        g for g in GRADES if g in grades
    ]
    return GridCell(cycle, tuple(real), tuple(sorted(sources)), matches)


def _default_subject(
    req: SearchRequest, subjects: tuple[Subject, ...], matched: Selection | None
) -> Subject:
    """The theme or pillar the filters name; else the theme with the most matches; else the
    first theme the archive grades."""
    for kind in SUBJECT_KINDS:
        chosen = req.filters.get(kind, ())
        if len(chosen) == 1:
            facet = FACETS_BY_NAME[kind]
            value = next((v for v in facet.known if v.lower() == chosen[0].lower()), None)
            if value:
                return Subject(kind, value)
    if matched is not None and len(matched.docs):
        theme = matched.codes["theme"][matched.docs]
        counts = np.bincount(theme, minlength=len(matched.vocab["theme"]))
        for i in np.argsort(-counts, kind="stable"):
            value = matched.vocab["theme"][int(i)]
            if value and counts[i] and any(s.value == value for s in subjects):
                return Subject("theme", value)
    if subjects:
        return subjects[0]
    return Subject("theme", THEMES[0])
