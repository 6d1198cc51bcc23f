"""Page contexts of the grade grid (/grid): one dataclass built by pure functions from an
`indexer.search.research.Grid`, rendered as HTML, JSON and CSV. Every cell links to its graded
passage and, when matches are counted, to its matching passages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus, urlencode

from indexer.search.request import SearchRequest
from indexer.search.research import Grid, GridCell
from webapp.research_pages import csv_text, grade_class
from webapp.urls import search_url
from webapp.views import SearchPage


@dataclass(frozen=True, slots=True)
class CellView:
    cell: GridCell
    grade_text: str  # the grade(s) as text, "" when none
    css: str
    grade_url: str  # the graded passage(s) of this force, cycle and subject
    matches_url: str
    break_before: bool
    title: str


@dataclass(frozen=True, slots=True)
class RowView:
    force: str
    short: str
    slug: str
    matches: int
    cells: tuple[CellView, ...]


@dataclass(frozen=True, slots=True)
class RegionView:
    region: str
    rows: tuple[RowView, ...]


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str
    selected: bool


@dataclass(slots=True)
class GridPage:
    request: SearchRequest
    sidebar: SearchPage
    error: str = ""
    grid: Grid | None = None
    regions: list[RegionView] = field(default_factory=list)
    columns: list[tuple[str, bool]] = field(default_factory=list)  # (cycle, break before)
    themes: list[Choice] = field(default_factory=list)
    pillars: list[Choice] = field(default_factory=list)
    only_url: str = ""
    all_url: str = ""
    search_url: str = "/"
    trends_url: str = "/trends"
    grid_url: str = "/grid"
    json_url: str = "/api/grid"
    csv_url: str = "/api/grid.csv"
    params: list[tuple[str, str]] = field(default_factory=list)  # for the form's hidden inputs


def _grid_params(grid: Grid, only: bool) -> list[tuple[str, str]]:
    extra = [("show", grid.subject.param)]
    if only:
        extra.append(("only", "matched"))
    return extra


def _grid_url(req: SearchRequest, path: str, extra: list[tuple[str, str]]) -> str:
    params = SearchRequest(q=req.q, filters=req.filters).params() + extra
    return f"{path}?{urlencode(params)}" if params else path


def grade_text(cell: GridCell) -> str:
    return " / ".join(cell.grades)


class _CellLinks:
    """The two links of every cell, built from query strings encoded once per grid (a grid
    of 43 forces × 7 cycles has hundreds of cells)."""

    def __init__(self, grid: Grid) -> None:
        subject = grid.subject
        kind = "question" if subject.kind == "theme" else "summary"
        self.grade_tail = urlencode([(subject.kind, subject.value), ("kind", kind)])
        req = grid.request
        kept = {k: v for k, v in req.filters.items() if k not in ("force", "cycle")}
        self.matches_head = urlencode(SearchRequest(q=req.q, filters=kept).params())
        self.names: dict[str, str] = {}

    def _q(self, value: str) -> str:
        if value not in self.names:
            self.names[value] = quote_plus(value)
        return self.names[value]

    def grade(self, force: str, cycle: str) -> str:
        return f"/?force={self._q(force)}&cycle={self._q(cycle)}&{self.grade_tail}"

    def matches(self, force: str, cycle: str) -> str:
        head = f"{self.matches_head}&" if self.matches_head else ""
        return f"/?{head}force={self._q(force)}&cycle={self._q(cycle)}"


def _cell_view(grid: Grid, links: _CellLinks, force: str, cell: GridCell,
               break_before: bool) -> CellView:  # fmt: skip
    grade_url = links.grade(force, cell.cycle) if cell.grades else ""
    matches_url = links.matches(force, cell.cycle) if grid.counting and cell.matches else ""
    text = grade_text(cell)
    css = grade_class(cell.grades[0]) if len(cell.grades) == 1 else (
        "mixed" if cell.grades else "none")  # fmt: skip
    title = f"{force}, {cell.cycle}: {text or 'no grade in the archive'}"
    if cell.sources:
        title += f" (from {'; '.join(cell.sources)})"
    if grid.counting:
        title += f"; {cell.matches} matching passage{'s' if cell.matches != 1 else ''}"
    return CellView(cell, text, css, grade_url, matches_url, break_before, title)


def grid_page(req: SearchRequest, sidebar: SearchPage, grid: Grid | None,
              error: str = "") -> GridPage:  # fmt: skip
    page = GridPage(req, sidebar, error, search_url=search_url(req, "/"),
                    trends_url=search_url(req, "/trends"), grid_url=search_url(req, "/grid"))
    if grid is None:
        return page
    page.grid = grid
    extra = _grid_params(grid, grid.only_matched)
    page.params = extra
    page.json_url = _grid_url(req, "/api/grid", extra)
    page.csv_url = _grid_url(req, "/api/grid.csv", extra)
    page.only_url = _grid_url(req, "/grid", _grid_params(grid, True))
    page.all_url = _grid_url(req, "/grid", _grid_params(grid, False))
    before = {b.before for b in grid.breaks}
    links = _CellLinks(grid)
    page.columns = [(c, c in before) for c in grid.cycles]
    page.regions = [
        RegionView(region.region, tuple(
            RowView(row.force, row.short, row.slug, row.matches, tuple(
                _cell_view(grid, links, row.force, cell, cell.cycle in before)
                for cell in row.cells
            ))
            for row in region.rows
        ))
        for region in grid.regions
    ]  # fmt: skip
    page.themes = [Choice(s.param, s.value, s == grid.subject)
                   for s in grid.subjects if s.kind == "theme"]  # fmt: skip
    page.pillars = [Choice(s.param, s.value, s == grid.subject)
                    for s in grid.subjects if s.kind == "pillar"]  # fmt: skip
    return page


def grid_json(page: GridPage) -> dict[str, Any]:
    grid = page.grid
    assert grid is not None
    req = grid.request
    return {
        "query": req.q,
        "filters": {k: list(v) for k, v in req.filters.items()},
        "show": {"kind": grid.subject.kind, "value": grid.subject.value,
                 "param": grid.subject.param},
        "only_matched": grid.only_matched,
        "counts_matches": grid.counting,
        "cycles": list(grid.cycles),
        "cycles_without_this_choice": list(grid.hidden_cycles),
        "breaks": [{"after": b.after, "before": b.before, "note": b.note} for b in grid.breaks],
        "choices": [s.param for s in grid.subjects],
        "forces_in_archive": grid.forces_total,
        "rows": [
            {
                "force": row.force,
                "force_short": row.short,
                "force_slug": row.slug,
                "region": region.region,
                "matches": row.matches if grid.counting else None,
                "cells": [
                    {
                        "cycle": c.cell.cycle,
                        "grade": c.cell.grade,
                        "grades": list(c.cell.grades),
                        "sources": list(c.cell.sources),
                        "matches": c.cell.matches if grid.counting else None,
                        "grade_url": c.grade_url or None,
                        "matches_url": c.matches_url or None,
                    }
                    for c in row.cells
                ],
            }
            for region in page.regions
            for row in region.rows
        ],
    }


def grid_csv(grid: Grid) -> str:
    """One row per force: its region, then each cycle's grade (and matches when counted)."""
    header: list[object] = ["force", "region", "show"]
    for cycle in grid.cycles:
        header.append(f"{cycle} grade")
        if grid.counting:
            header.append(f"{cycle} matches")
    rows = [header]
    for row in grid.rows:
        line: list[object] = [row.force, row.region, grid.subject.param]
        for cell in row.cells:
            line.append(grade_text(cell))
            if grid.counting:
                line.append(cell.matches)
        rows.append(line)
    return csv_text(rows)
