"""The benchmark's views phase: each research view against the plain search it corresponds to.

Issue 9's rule: the answer for any view comes from the index, at 10k sections in at most twice
the time of a plain search. For the bench's generated corpus and its open archive, each view is
called in process through the library functions its web route calls (the data and the page
context the route builds, without rendering a template or HTTP):

- trend view: `research.trends` + the sidebar's facet search + `research_pages.trend_page`;
- grade grid: `research.grid` (by pillar and by theme, with and without words, with
  `only=matched`) + the sidebar's facet search + `grid_page.grid_page`;
- force profile: `profiles.force_profile` + `webapp.profiles.profile_json`, for several forces
  (called directly, so the web app's per-build cache of recent profiles is not used);
- /about: `coverage.coverage` + `coverage_json` (again without the web app's per-build cache);
- report page: `Archive.report` + `query_terms` + `highlight_all` + `views.report_page`.

Each is paired with the plain search of the same words and filters: `Archive.search` +
`views.search_page`, the search page's work (a profile's plain search is the browse filtered to
the force; /about's is the browse of everything; a report page's is its words filtered to the
report's force and cycle). Method: one warm-up round, then rounds in which every pair runs
view and plain search back to back, the pairs' order rotating and which of the two goes first
alternating; per view the median ms of each and the median of per-round ratios. The same again
with the engine's query caches (decoded postings, recent match sets) emptied before every call.
Cold: the first call after opening the build (a fresh `Archive`), for the view and for its plain
search each on their own fresh archive.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LIMIT = 2.0  # a view may take at most this many times its plain search


@dataclass(frozen=True)
class Case:
    name: str  # e.g. "grid theme + words, only=matched"
    view: Callable[[Any], Any]  # archive -> the view's page data
    plain: Callable[[Any], Any]  # archive -> the plain search's page data


def _plain(q: str, filters: dict[str, tuple[str, ...]]) -> Callable[[Any], Any]:
    from indexer.search.request import SearchRequest
    from webapp.views import search_page

    def run(archive: Any) -> Any:
        req = SearchRequest(q=q, filters=filters)
        return search_page(req, archive.search(req))

    return run


def _sidebar(archive: Any, req: Any, path: str) -> Any:
    # As webapp.research's sidebar: the facet counts of the same search.
    from indexer.search.request import SearchRequest
    from webapp.views import search_page

    result = archive.search(SearchRequest(q=req.q, filters=req.filters, per_page=1),
                            snippets=False)
    return search_page(req, result, path=path)


def _trend(q: str, filters: dict[str, tuple[str, ...]]) -> Callable[[Any], Any]:
    from indexer.search.request import SearchRequest
    from indexer.search.research import trends
    from webapp.research_pages import trend_json, trend_page

    def run(archive: Any) -> Any:
        req = SearchRequest(q=q, filters=filters)
        return trend_json(trend_page(req, _sidebar(archive, req, "/trends"), trends(archive, req)))

    return run


def _grid(q: str, show: str, only: bool) -> Callable[[Any], Any]:
    from indexer.search.request import SearchRequest
    from indexer.search.research import grid, parse_grid_options
    from webapp.grid_page import grid_json, grid_page

    items = [("show", show)] + ([("only", "matched")] if only else [])

    def run(archive: Any) -> Any:
        req = SearchRequest(q=q)
        data = grid(archive, req, parse_grid_options(items))
        return grid_json(grid_page(req, _sidebar(archive, req, "/grid"), data))

    return run


def _profile(force: Any) -> Callable[[Any], Any]:
    from indexer.search.profiles import force_profile
    from webapp.profiles import profile_json

    return lambda archive: profile_json(force_profile(archive, force))


def _about(archive: Any) -> Any:
    from indexer.search.coverage import coverage, coverage_json

    return coverage_json(coverage(archive))


def _report(report_id: str, q: str) -> Callable[[Any], Any]:
    from webapp.views import report_page

    def run(archive: Any) -> Any:
        sections = archive.report(report_id)
        terms = archive.query_terms(q)
        highlighted = [archive.highlight_all(s.text, terms) for s in sections]
        flags = [h.hits > 0 for h in highlighted]
        return report_page(sections, highlighted, q, flags, "", "http://127.0.0.1")

    return run


def cases(archive: Any, words: Sequence[str]) -> list[Case]:
    """The views to measure on this archive: `words` are query words drawn by the bench (a
    common word first); forces and a report are chosen from what the archive holds."""
    from indexer.forces import find_force
    from indexer.model import PEEL_ASSESSMENT, PILLARS
    from indexer.themes import THEMES

    q = words[0]
    q2 = words[1] if len(words) > 1 else words[0]
    tags = archive.report_tags()
    peel = [t for t in tags if t.tags.get("report_type") == PEEL_ASSESSMENT]
    by_force = Counter(t.tags["force"] for t in peel for _ in range(t.sections))
    ranked = [name for name, _ in by_force.most_common()]
    # The force with the most sections, one in the middle and the one with the fewest.
    chosen = list(dict.fromkeys([ranked[0], ranked[len(ranked) // 2], ranked[-1]]))
    forces = [f for name in chosen if (f := find_force(name)) is not None]
    region = forces[0].region
    report = max((t for t in peel if t.tags["force"] == forces[0].name),
                 key=lambda t: t.sections)
    theme = next((t for t in THEMES if t.lower() == "protecting vulnerable people"), THEMES[0])
    pillar = PILLARS[0]
    out = [
        Case(f"trends “{q}”", _trend(q, {}), _plain(q, {})),
        Case(f"trends “{q2}”, region={region}", _trend(q2, {"region": (region,)}),
             _plain(q2, {"region": (region,)})),
        Case(f"grid pillar:{pillar}, no words", _grid("", f"pillar:{pillar}", False),
             _plain("", {})),
        Case("grid theme, no words", _grid("", f"theme:{theme}", False), _plain("", {})),
        Case(f"grid pillar:{pillar} “{q}”", _grid(q, f"pillar:{pillar}", False), _plain(q, {})),
        Case(f"grid theme “{q}”", _grid(q, f"theme:{theme}", False), _plain(q, {})),
        Case(f"grid theme “{q2}”, only=matched", _grid(q2, f"theme:{theme}", True),
             _plain(q2, {})),
    ]
    out += [
        Case(f"force profile {f.name} ({by_force[f.name]} sections)", _profile(f),
             _plain("", {"force": (f.name,)}))
        for f in forces
    ]
    out.append(Case("about (coverage)", _about, _plain("", {})))
    out.append(Case(f"report page “{q}” ({report.sections} sections)",
                    _report(report.report_id, q),
                    _plain(q, {"force": (report.tags["force"],),
                               "cycle": (report.tags["cycle"],)})))
    return out


def _ms(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def _rounds(archive: Any, todo: list[Case], rounds: int, drop: bool
            ) -> dict[str, dict[str, list[float]]]:
    """Per case: the view's and the plain search's ms and their ratio, round by round (the
    first round, a warm-up, is not kept)."""
    times = {c.name: {"view": [], "plain": [], "ratio": []} for c in todo}
    for r in range(rounds + 1):
        shift = r % len(todo)
        for i, case in enumerate(todo[shift:] + todo[:shift]):
            pair = [("view", case.view), ("plain", case.plain)]
            if (r + i) % 2:
                pair.reverse()
            got: dict[str, float] = {}
            for role, fn in pair:
                if drop:
                    archive.drop_caches()
                got[role] = _ms(lambda fn=fn: fn(archive))
            if r:
                row = times[case.name]
                row["view"].append(got["view"])
                row["plain"].append(got["plain"])
                row["ratio"].append(got["view"] / got["plain"])
    return times


def _cold(index_dir: Path, todo: list[Case]) -> dict[str, dict[str, float]]:
    """The first call after opening the build, for the view and (on another fresh archive) its
    plain search."""
    from indexer.search.engine import Archive

    out: dict[str, dict[str, float]] = {}
    for case in todo:
        got: dict[str, float] = {}
        for role, fn in (("view", case.view), ("plain", case.plain)):
            archive = Archive(index_dir)
            try:
                got[role] = _ms(lambda fn=fn, archive=archive: fn(archive))
            finally:
                archive.close()
        got["ratio"] = got["view"] / got["plain"]
        out[case.name] = got
    return out


def views_bench(index_dir: Path, words: Sequence[str], rounds: int) -> dict[str, Any]:
    """The views phase for one built index; `rounds` timed rounds (at least 3) after a warm-up."""
    from indexer.search.engine import Archive

    rounds = max(3, rounds)
    archive = Archive(index_dir)
    try:
        todo = cases(archive, words)
        warm = _rounds(archive, todo, rounds, drop=False)
        emptied = _rounds(archive, todo, rounds, drop=True)
    finally:
        archive.close()
    cold = _cold(index_dir, todo)
    rows = []
    for case in todo:
        w, e, c = warm[case.name], emptied[case.name], cold[case.name]
        ratio = statistics.median(w["ratio"])
        rows.append({
            "view": case.name,
            "view_ms": statistics.median(w["view"]),
            "plain_ms": statistics.median(w["plain"]),
            "ratio": ratio,
            "within_limit": ratio <= LIMIT,
            "emptied_view_ms": statistics.median(e["view"]),
            "emptied_plain_ms": statistics.median(e["plain"]),
            "emptied_ratio": statistics.median(e["ratio"]),
            "cold_view_ms": c["view"],
            "cold_plain_ms": c["plain"],
            "cold_ratio": c["ratio"],
        })
    return {"rounds": rounds, "limit": LIMIT, "words": list(words[:2]), "rows": rows,
            "all_within_limit": all(r["within_limit"] for r in rows)}


def views_markdown(views: dict[str, Any], f: Callable[..., str]) -> list[str]:
    """The views phase as a markdown table (`f` formats a number)."""
    if "skipped" in views:
        return [f"Views: not measured — {views['skipped']}", ""]
    lines = [
        f"Research views against the plain search of the same words and filters (ms, median "
        f"of {views['rounds']} interleaved rounds after a warm-up; ratio = view / plain "
        f"search, median of per-round ratios; limit {views['limit']:g}×; \"emptied\": the "
        f"engine's query caches emptied before every call; \"cold\": the first call after "
        f"opening the build):",
        "",
        "| View | view ms | plain ms | ratio | ≤ 2× | emptied ratio | cold view ms | "
        "cold plain ms | cold ratio |",
        "|---|---:|---:|---:|:---:|---:|---:|---:|---:|",
    ]
    for r in views["rows"]:
        lines.append(
            f"| {r['view']} | {f(r['view_ms'])} | {f(r['plain_ms'])} | {f(r['ratio'], 2)} | "
            f"{'yes' if r['within_limit'] else '**no**'} | {f(r['emptied_ratio'], 2)} | "
            f"{f(r['cold_view_ms'])} | {f(r['cold_plain_ms'])} | {f(r['cold_ratio'], 2)} |"
        )
    return [*lines, ""]


def words_of(queries: Sequence[Any]) -> list[str]:
    """The bench's first common-word query and first two-word query (`BenchQuery.q`)."""
    common = next(q.q for q in queries if q.kind == "common")
    two = next((q.q for q in queries if q.kind == "and2"), common)
    return [common, two]
