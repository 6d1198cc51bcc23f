"""Page contexts of the trend view (/trends): one dataclass built by pure functions from an
`indexer.search.research.Trend`, rendered as HTML, JSON and CSV; and the helpers the research
views share (grade colours, CSV cells). The grid's contexts are in `webapp.grid_page`.

The trend chart's geometry (an SVG drawn by the server, no JavaScript) is computed here so the
template only places numbers; every link carries the page's words and filters.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from typing import Any

from indexer.model import PEEL_ASSESSMENT
from indexer.search.request import SearchRequest
from indexer.search.research import GRADE_ORDER, Trend, TrendRow, grade_label
from webapp.export import safe_cell
from webapp.urls import narrowed_url, search_url
from webapp.views import GRADE_CLASSES, SearchPage


def grade_class(grade: str) -> str:
    return GRADE_CLASSES.get(grade, "none")


# -- trends ---------------------------------------------------------------------------------

CHART_W, CHART_H = 760, 340
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 24, 64


@dataclass(frozen=True, slots=True)
class Segment:
    cycle: str
    grade: str
    label: str
    count: int
    per_100: float
    css: str
    url: str
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0

    @property
    def title(self) -> str:
        noun = "section" if self.count == 1 else "sections"
        return (f"{self.cycle}, {self.label}: {self.count} matching {noun}, "
                f"{self.per_100:g} per 100 sections of the cycle")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Bar:
    row: TrendRow
    segments: tuple[Segment, ...]
    url: str  # every match of the cycle
    x: float
    w: float
    top: float  # y of the bar's top
    label_x: float


@dataclass(frozen=True, slots=True)
class Tick:
    value: float
    y: float

    @property
    def label(self) -> str:
        return f"{self.value:g}"


@dataclass(frozen=True, slots=True)
class BreakMark:
    x: float
    note: str


@dataclass(frozen=True, slots=True)
class Chart:
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    marks: tuple[BreakMark, ...]
    width: int = CHART_W
    height: int = CHART_H
    left: int = LEFT
    top: int = TOP
    bottom: float = CHART_H - BOTTOM
    right: float = CHART_W - RIGHT


@dataclass(frozen=True, slots=True)
class LegendItem:
    grade: str
    label: str
    css: str


@dataclass(slots=True)
class TrendPage:
    request: SearchRequest
    sidebar: SearchPage
    error: str = ""
    trend: Trend | None = None
    chart: Chart | None = None
    legend: list[LegendItem] = field(default_factory=list)
    description: str = ""
    search_url: str = "/"
    trends_url: str = "/trends"
    grid_url: str = "/grid"
    json_url: str = "/api/trends"
    csv_url: str = "/api/trends.csv"
    cycle_urls: dict[str, str] = field(default_factory=dict)
    other_urls: dict[tuple[str, str], str] = field(default_factory=dict)


def segment_url(req: SearchRequest, cycle: str, grade: str) -> str:
    """The search for one bar segment: the request's words and filters, the cycle and grade
    (a passage with no grade cannot be filtered on: its link is the cycle's)."""
    values = {"cycle": cycle}
    if "report_type" not in req.filters:
        values["report_type"] = PEEL_ASSESSMENT
    if grade:
        values["grade"] = grade
    return narrowed_url(req, "/", **values)


def _nice_max(value: float) -> tuple[float, float]:
    """An axis maximum at or above `value` and its tick step (1, 2, 2.5 or 5 × 10^k)."""
    if value <= 0:
        return 1.0, 0.25
    for power in range(math.floor(math.log10(value)) - 1, 4):
        for base in (1, 2, 2.5, 5):
            step = base * 10.0**power
            if value / step <= 5:
                return step * math.ceil(value / step - 1e-9), step
    return 100.0, 20.0


def chart(trend: Trend) -> Chart:
    rows = trend.rows
    plot_w = CHART_W - LEFT - RIGHT
    plot_h = CHART_H - TOP - BOTTOM
    top_value, step = _nice_max(trend.max_per_100)
    scale = plot_h / top_value
    slot = plot_w / max(1, len(rows))
    width = min(80.0, slot * 0.6)
    bars = []
    for i, row in enumerate(rows):
        x = LEFT + slot * i + (slot - width) / 2
        y = float(CHART_H - BOTTOM)
        segments = []
        for g in row.grades:
            if not g.count:
                continue
            h = g.per_100 * scale
            y -= h
            segments.append(Segment(
                row.cycle, g.grade, g.label, g.count, g.per_100, grade_class(g.grade),
                segment_url(trend.request, row.cycle, g.grade), x, round(y, 2), width, round(h, 2),
            ))  # fmt: skip
        bars.append(Bar(row, tuple(segments), segment_url(trend.request, row.cycle, ""),
                        round(x, 2), width, round(y, 2), round(x + width / 2, 2)))  # fmt: skip
    ticks = []
    n = round(top_value / step)
    for k in range(n + 1):
        value = round(step * k, 4)
        ticks.append(Tick(value, round(CHART_H - BOTTOM - value * scale, 2)))
    index = {r.cycle: i for i, r in enumerate(rows)}
    marks = tuple(
        BreakMark(round(LEFT + slot * index[b.before], 2), b.note)
        for b in trend.breaks
        if b.before in index
    )
    return Chart(tuple(bars), tuple(ticks), marks)


def trend_page(req: SearchRequest, sidebar: SearchPage, trend: Trend | None,
               error: str = "") -> TrendPage:  # fmt: skip
    page = TrendPage(
        req, sidebar, error,
        search_url=search_url(req, "/"), grid_url=search_url(req, "/grid"),
        trends_url=search_url(req, "/trends"),
        json_url=search_url(req, "/api/trends"), csv_url=search_url(req, "/api/trends.csv"),
    )  # fmt: skip
    if trend is None:
        return page
    page.trend = trend
    page.chart = chart(trend)
    page.legend = [LegendItem(g, grade_label(g), grade_class(g)) for g in trend.grades]
    page.cycle_urls = {r.cycle: segment_url(req, r.cycle, "") for r in trend.rows}
    page.other_urls = {
        (o.report_type, o.year): narrowed_url(req, "/", report_type=o.report_type)
        for o in trend.others
    }
    what = f"sections matching “{req.q}”" if req.q else "sections"
    parts = [f"{r.cycle}: {r.per_100:g} per 100 ({r.matches} of {r.sections})" for r in trend.rows]
    page.description = (
        f"Stacked bars by grade: {what} per 100 sections of each PEEL cycle under the same "
        f"filters. " + ("; ".join(parts) + "." if parts else "No PEEL sections.")
    )
    return page


def trend_json(page: TrendPage) -> dict[str, Any]:
    trend = page.trend
    assert trend is not None
    req = trend.request
    return {
        "query": req.q,
        "filters": {k: list(v) for k, v in req.filters.items()},
        "unit": "matching sections per 100 sections of the cycle under the same filters",
        "grades": [{"value": g, "label": grade_label(g)} for g in trend.grades],
        "cycles": [
            {
                "cycle": r.cycle,
                "sections": r.sections,
                "matches": r.matches,
                "per_100": r.per_100,
                "forces": r.forces,
                "reports": r.reports,
                "forces_in_cycle": r.forces_in_cycle,
                "reports_in_cycle": r.reports_in_cycle,
                "by_grade": [
                    {"grade": g.grade, "label": g.label, "count": g.count, "per_100": g.per_100,
                     "url": segment_url(req, r.cycle, g.grade)}
                    for g in r.grades
                ],
                "url": page.cycle_urls[r.cycle],
            }
            for r in trend.rows
        ],
        "other_report_types": [
            {"report_type": o.report_type, "year": o.year, "matches": o.matches}
            for o in trend.others
        ],
        "breaks": [{"after": b.after, "before": b.before, "note": b.note} for b in trend.breaks],
    }


TREND_COLUMNS = (
    "cycle", "sections", "matches", "per_100", "forces", "reports", "forces_in_cycle",
    "reports_in_cycle",
)


def csv_text(rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def trend_csv(trend: Trend) -> str:
    """One row per PEEL cycle; every grade has a count and a per-100 column (stable columns)."""
    header: list[object] = list(TREND_COLUMNS)
    for g in GRADE_ORDER:
        header += [f"{grade_label(g)} (count)", f"{grade_label(g)} (per 100)"]
    rows = [header]
    for r in trend.rows:
        by = {g.grade: g for g in r.grades}
        row: list[object] = [getattr(r, c) for c in TREND_COLUMNS]
        for g in GRADE_ORDER:
            row += [by[g].count, by[g].per_100] if g in by else [0, 0.0]
        rows.append(row)
    return csv_text(rows)
