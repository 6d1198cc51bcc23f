"""What the archive holds: reports and sections by cycle and report type, the forces each PEEL
cycle covers, and when the index was built, so that a reader knows what a zero result means.

Computed from the build in service through `Archive.report_tags` (the engine's cached columns)
and the build manifest; there is no second store.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from indexer.forces import FORCES
from indexer.model import CYCLES, PEEL_ASSESSMENT, REPORT_TYPES, cycle_year
from indexer.search.engine import Archive, ReportTags


def cycle_order(cycle: str) -> tuple[int, str]:
    """PEEL cycles and other years in date order; a report with no cycle last."""
    return (cycle_year(cycle) if cycle[:4].isdigit() else 9999, cycle)


@dataclass(frozen=True, slots=True)
class Cell:
    reports: int
    sections: int


@dataclass(frozen=True, slots=True)
class CycleRow:
    cycle: str
    is_peel_cycle: bool
    cells: dict[str, Cell]  # report type -> counts (types with no report are absent)
    reports: int
    sections: int
    forces: tuple[str, ...]  # forces with a PEEL report in this cycle, alphabetically
    missing_forces: tuple[str, ...]  # the other territorial forces


@dataclass(slots=True)
class Coverage:
    reports: int
    sections: int
    report_types: list[str]  # the types present, in the declared order
    rows: list[CycleRow]
    totals: dict[str, Cell]  # report type -> counts over every cycle
    forces_held: int  # forces with at least one PEEL report
    built_at: str
    build_id: str
    schema_version: Any
    parser_version: Any
    peel_cycles_not_held: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def peel_range(self) -> str:
        cycles = [r.cycle for r in self.rows if r.is_peel_cycle and r.forces]
        if not cycles:
            return ""
        return cycles[0] if len(cycles) == 1 else f"{cycles[0]} to {cycles[-1]}"

    @property
    def summary(self) -> str:
        """One line for the home page."""
        peel = self.totals.get(PEEL_ASSESSMENT, Cell(0, 0))
        other = self.reports - peel.reports
        line = (
            f"{peel.reports} PEEL report{'s' if peel.reports != 1 else ''} on "
            f"{self.forces_held} of the {len(FORCES)} forces"
        )
        if self.peel_range:
            line += f" (cycles {self.peel_range})"
        if other:
            line += f" and {other} other report{'s' if other != 1 else ''}"
        line += f": {self.sections:,} searchable sections"
        return line + "."


NOTES = (
    "No PEEL assessments were published in 2020 (the programme was paused in March 2020).",
    "Before 2021/22 forces were graded by pillar (effectiveness, efficiency, legitimacy) on a "
    "four-point scale; from 2021/22 by area of policing on a five-point scale that adds "
    "Adequate. Grades across the change are not directly comparable.",
    "A search that finds nothing in a cycle or force the archive does not hold says nothing "
    "about what the inspectorate wrote there.",
)


def coverage_from(tags: list[ReportTags], manifest: dict[str, Any]) -> Coverage:
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    forces: dict[str, set[str]] = defaultdict(set)
    for t in tags:
        cycle, rtype = t.tags.get("cycle", ""), t.tags.get("report_type", "")
        cell = counts[(cycle, rtype)]
        cell[0] += 1
        cell[1] += t.sections
        if rtype == PEEL_ASSESSMENT and t.tags.get("force"):
            forces[cycle].add(t.tags["force"])
    present_types = {rtype for _, rtype in counts}
    types = [r for r in REPORT_TYPES if r in present_types]
    types += sorted(present_types - set(REPORT_TYPES))
    all_forces = [f.name for f in FORCES]
    rows: list[CycleRow] = []
    for cycle in sorted({c for c, _ in counts} | set(CYCLES), key=cycle_order):
        cells = {t: Cell(*counts[(cycle, t)]) for t in types if (cycle, t) in counts}
        held = forces.get(cycle, set())
        rows.append(CycleRow(
            cycle=cycle,
            is_peel_cycle=cycle in CYCLES,
            cells=cells,
            reports=sum(c.reports for c in cells.values()),
            sections=sum(c.sections for c in cells.values()),
            forces=tuple(sorted(held)),
            missing_forces=tuple(f for f in all_forces if f not in held),
        ))
    totals: dict[str, Cell] = {}
    for rtype in types:
        pairs = [v for (_, t), v in counts.items() if t == rtype]
        totals[rtype] = Cell(sum(c[0] for c in pairs), sum(c[1] for c in pairs))
    every_force = set().union(*forces.values()) if forces else set()
    return Coverage(
        reports=len(tags),
        sections=sum(t.sections for t in tags),
        report_types=types,
        rows=rows,
        totals=totals,
        forces_held=len(every_force),
        built_at=str(manifest.get("built_at") or ""),
        build_id=str(manifest.get("build_id") or ""),
        schema_version=manifest.get("schema_version"),
        parser_version=manifest.get("parser_version"),
        peel_cycles_not_held=[r.cycle for r in rows if r.is_peel_cycle and not r.reports],
        notes=list(NOTES),
    )


def coverage(archive: Archive) -> Coverage:
    """What the build in service holds."""
    return coverage_from(archive.report_tags(), archive.manifest)


def coverage_json(cov: Coverage) -> dict[str, Any]:
    return {
        "reports": cov.reports,
        "sections": cov.sections,
        "summary": cov.summary,
        "built_at": cov.built_at,
        "build_id": cov.build_id,
        "schema_version": cov.schema_version,
        "parser_version": cov.parser_version,
        "forces_held": cov.forces_held,
        "forces_total": len(FORCES),
        "report_types": cov.report_types,
        "totals": {
            k: {"reports": v.reports, "sections": v.sections} for k, v in cov.totals.items()
        },
        "cycles": [
            {
                "cycle": r.cycle,
                "peel_cycle": r.is_peel_cycle,
                "reports": r.reports,
                "sections": r.sections,
                "by_report_type": {
                    k: {"reports": v.reports, "sections": v.sections} for k, v in r.cells.items()
                },
                "forces": list(r.forces),
                "forces_count": len(r.forces),
            }
            for r in cov.rows
        ],
        "peel_cycles_not_held": cov.peel_cycles_not_held,
        "notes": cov.notes,
    }


def report_counts_by_force(tags: list[ReportTags]) -> Counter[str]:
    """PEEL reports held per force name."""
    return Counter(
        t.tags["force"] for t in tags
        if t.tags.get("report_type") == PEEL_ASSESSMENT and t.tags.get("force")
    )
