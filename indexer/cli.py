"""`peel-index`: build the search index from report files, or check files without writing."""

from __future__ import annotations

import functools
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

import click
from tqdm import tqdm

from indexer.build import BuildResult, FileResult, Previous, build, parse_all
from indexer.fetch import Fetcher, FetchError, expand, site_pages
from indexer.limits import DEFAULT_LIMITS, Limits
from indexer.model import GRADE_SOURCES, GRADES, KINDS, PILLARS
from indexer.store import BuildLocked, IndexUnavailable

PATHS = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PATH..."
)
D = DEFAULT_LIMITS
LIMIT_OPTIONS = (
    click.option("--max-file-mb", type=click.FloatRange(min=0, min_open=True),
                 default=D.file_mb, show_default=True,
                 help="Refuse a file larger than this on disk."),
    click.option("--max-pdf-pages", type=click.IntRange(min=1), default=D.pdf_pages,
                 show_default=True, help="Refuse a PDF of more pages."),
    click.option("--max-pdf-decoded-mb", type=click.FloatRange(min=0, min_open=True),
                 default=D.pdf_decoded_mb, show_default=True,
                 help="Refuse a PDF whose compressed content expands to more, in all "
                      "(a decompression bomb)."),
    click.option("--max-text-mb", type=click.FloatRange(min=0, min_open=True),
                 default=D.text_mb, show_default=True,
                 help="Refuse a file that yields more text (millions of characters)."),
    click.option("--max-section-kb", type=click.FloatRange(min=0, min_open=True),
                 default=D.section_kb, show_default=True,
                 help="Refuse a file with a section holding more text "
                      "(thousands of characters)."),
)


def limit_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options that set the build's `Limits`, passed on as one `limits` argument."""

    @functools.wraps(command)
    def with_limits(*args: Any, max_file_mb: float, max_pdf_pages: int,
                    max_pdf_decoded_mb: float, max_text_mb: float, max_section_kb: float,
                    **kwargs: Any) -> None:
        limits = Limits(max_file_mb, max_pdf_pages, max_pdf_decoded_mb, max_text_mb,
                        max_section_kb)
        command(*args, limits=limits, **kwargs)

    for option in reversed(LIMIT_OPTIONS):
        with_limits = option(with_limits)
    return with_limits


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Build and check the peel-archive search index.

    \b
    Example:
      peel-index build corpus/ --index-dir .index
    """


def _progress(files: Iterable[Path]) -> Iterable[Path]:
    items = list(files)
    bar: Iterable[Path] = tqdm(  # tqdm is untyped; iterating it yields the items
        items,
        desc="Indexing",
        unit="file",
        file=sys.stderr,
        disable=None,
        dynamic_ncols=True,
        leave=False,
    )
    return bar


def _fmt(counter: Counter[str], order: tuple[str, ...] = ()) -> str:
    rank = {v: i for i, v in enumerate(order)}
    keys = sorted(counter, key=lambda k: (rank.get(k, len(order)), k))
    return ", ".join(f"{k} {counter[k]}" for k in keys)


def _report_problems(files: list[FileResult]) -> None:
    for f in files:
        if not f.reused:
            for warning in f.warnings:
                click.echo(f"  warning: {f.source}: {warning}", err=True)
    earlier = sum(len(f.warnings) for f in files if f.reused)
    if earlier:
        click.echo(f"  {earlier} warning(s) in unchanged files, shown when they were parsed "
                   "(peel-index check shows them again)", err=True)
    dropped = [f for f in files if f.dropped]
    if dropped:
        click.echo(f"Dropped {len(dropped)} duplicate capture(s):", err=True)
        for f in dropped:
            click.echo(f"  {f.source}: {f.dropped}", err=True)
    failures = [f for f in files if not f.ok and not f.dropped]
    if failures:
        click.echo(f"Failed: {len(failures)} file(s) could not be indexed:", err=True)
        for f in failures:
            click.echo(f"  {f.source}: {f.error}", err=True)


def _unchanged(paths: tuple[Path, ...], index_dir: Path) -> bool:
    """True when the build in service was made from exactly these files, by this version."""
    previous = Previous.find(index_dir)
    return previous is not None and previous.holds_exactly(paths)


@main.command("build")
@PATHS
@click.option(
    "--index-dir",
    envvar="PEEL_INDEX_DIR",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory of the index (or set PEEL_INDEX_DIR).",
)
@click.option(
    "--if-changed", is_flag=True, help="Do nothing when the index was built from these same files."
)
@click.option(
    "--full", is_flag=True, help="Parse every file again, even those unchanged since last build."
)
@click.option("--procs", type=click.IntRange(1, 16), default=None,
              help="Writer processes for a full build (default: 2 on a multi-core machine "
                   "for 2,000 sections or more, else 1).")
@limit_options
def build_cmd(paths: tuple[Path, ...], index_dir: Path, if_changed: bool, full: bool,
              procs: int | None, limits: Limits) -> None:
    """Index report files and folders into a new index, swapped in when complete.

    A file that cannot be read or recognised is reported with the reason; every other file is
    still indexed, and the exit status is 1. Files unchanged since the build in service (same
    content hash, same sidecar) are not parsed again: their sections are copied over.

    FIFOs, devices, sockets and symlinks leading out of a folder are named and skipped
    without being read. A file over a --max-… limit is refused with the reason and the
    option that raises the limit.

    \b
    Example:
      peel-index build corpus/ extra/kent-peel-2017-efficiency.txt --index-dir .index
    """
    if if_changed and _unchanged(paths, index_dir):
        click.echo(f"Index at {index_dir} is up to date; nothing to do.")
        return
    try:
        result = build(paths, index_dir, progress=_progress, incremental=not full, procs=procs,
                       limits=limits)
    except BuildLocked as exc:
        raise click.ClickException(str(exc)) from exc
    _summarise(result, index_dir)
    if result.failures or not result.section_count:
        sys.exit(1)


def _summarise(result: BuildResult, index_dir: Path) -> None:
    reports = sum(1 for f in result.files if f.ok)
    totals = result.totals
    if result.index_path is None:
        click.echo(f"No sections found; the index at {index_dir} was left as it was.", err=True)
    else:
        sections = sum(totals["kind"].values())
        click.echo(f"Indexed {reports} report(s), {sections} section(s) into {index_dir}")
        reused = len(result.files) - len(result.parsed)
        click.echo(f"  parsed {len(result.parsed)} file(s), reused {reused} unchanged")
        click.echo(f"  by force:  {_fmt(totals['force'])}")
        click.echo(f"  by cycle:  {_fmt(totals['cycle'])}")
        click.echo(f"  by pillar: {_fmt(totals['pillar'])}")
        click.echo(f"  by grade:  {_fmt(totals['grade'], GRADES)}")
        click.echo(f"  graded by: {_fmt(totals['grade_source'], tuple(GRADE_SOURCES))}")
        click.echo(f"  by kind:   {_fmt(totals['kind'], KINDS)}")
        click.echo(f"  by type:   {_fmt(totals['report_type'])}")
    if result.skipped:
        click.echo(f"  passed over {len(result.skipped)} file(s) of other types in folders")
    _report_problems(result.files)


@main.command("check")
@PATHS
@limit_options
def check_cmd(paths: tuple[Path, ...], limits: Limits) -> None:
    """Parse files without writing anything and show what each one yields.

    For each file: its report type and layout, force, cycle, pillar (or areas of policing),
    sections by kind, grades, and warnings (grade outside the cycle's scale, question or
    area not known for the cycle, no grade, no sections found). A file that cannot be
    indexed is shown as FAIL with the reason, and the exit status is 1.

    \b
    Example:
      peel-index check corpus/ downloads/durham-2021-22.html
    """
    result = parse_all(paths, limits=limits)
    for f in result.files:
        if f.dropped:
            click.echo(f"DROP {f.source}: {f.dropped}")
            continue
        if f.report is None:
            click.echo(f"FAIL {f.source}: {f.error}")
            continue
        for line in describe(f):
            click.echo(line)
    failed, dropped = len(result.failures), len(result.dropped)
    click.echo(
        f"{len(result.files) - failed - dropped} ok, {failed} failed"
        + (f", {dropped} duplicate(s) dropped" if dropped else "")
    )
    if failed:
        sys.exit(1)


def describe(f: FileResult) -> list[str]:
    """The lines `check` prints for one file that parsed."""
    r = f.report
    assert r is not None
    kinds = Counter(s.kind for s in r.sections)
    grades = Counter(s.grade or "(none)" for s in r.sections if s.kind in ("summary", "question"))
    pillars = sorted({s.pillar for s in r.sections if s.pillar}, key=PILLARS.index)
    pillar = ", ".join(pillars) or ("areas of policing" if r.layout.startswith("areas") else "")
    lines = [
        f"ok   {f.source} [{f.encoding}]",
        f"     {r.report_id}: {r.force_name or '(no force)'} · {r.cycle or '(no cycle)'} · "
        f"{pillar or '(no pillar)'} · "
        f"updated {r.updated.isoformat() if r.updated else 'unknown'}",
        f"     type:     {r.report_type} ({r.layout})",
        f"     sections: {_fmt(kinds, KINDS) or '(none)'}",
        f"     grades:   {_fmt(grades, GRADES) or '(none)'}",
    ]
    sources = Counter(s.grade_source for s in r.sections if s.kind in ("summary", "question"))
    sources.pop("", None)
    if sources:
        lines.append(f"     graded by: {_fmt(sources, tuple(GRADE_SOURCES))}")
    label = "area " if r.layout.startswith("areas") else "Q"
    for s in r.sections:
        source = f" [grade from {s.grade_source}]" if s.grade_source else ""
        if s.kind == "summary" and s.grade:
            lines.append(f"       {s.pillar or 'summary'} {s.grade}: {s.heading}{source}")
        elif s.kind == "question":
            where = f"{s.pillar} " if s.pillar and s.pillar != r.pillar else ""
            lines.append(
                f"       {where}{label}{s.question_number} {s.grade or '(no grade)'}: "
                f"{s.question}{source}"
            )
    lines.extend(f"     warning: {w}" for w in f.warnings)
    return lines


@main.command("fetch")
@click.argument("urls", nargs=-1, metavar="[URL]...")
@click.option(
    "--dest", required=True, type=click.Path(file_okay=False, path_type=Path),
    help="Corpus folder to save reports into (with a .provenance.json beside each).",
)  # fmt: skip
@click.option("--urls-file", type=click.File("r"), help="A file of URLs, one a line.")
@click.option(
    "--all", "everything", is_flag=True,
    help="Every force report page of every PEEL cycle (narrow with --cycles and --force).",
)  # fmt: skip
@click.option("--force", "forces", multiple=True, help="Force to fetch (repeatable).")
@click.option(
    "--cycle", "--cycles", "cycles", multiple=True,
    help="Cycle, e.g. 2016 or 2021/22 (repeatable, or comma-separated).",
)  # fmt: skip
@click.option("--pillar", "pillars", multiple=True, help="Pillar (before 2021); default all.")
@click.option("--delay", default=1.0, show_default=True, help="Seconds between requests.")
@click.option("--retries", default=3, show_default=True, help="Retries for 429/5xx errors.")
@click.option(
    "--host-map", multiple=True, metavar="HOST=BASE",
    help="Request HOST's pages from BASE instead (e.g. a mirror or a test server).",
)  # fmt: skip
def fetch_cmd(
    urls: tuple[str, ...],
    dest: Path,
    urls_file: TextIO | None,
    everything: bool,
    forces: tuple[str, ...],
    cycles: tuple[str, ...],
    pillars: tuple[str, ...],
    delay: float,
    retries: int,
    host_map: tuple[str, ...],
) -> None:
    """Download reports into a corpus folder, politely, each saved once with its provenance.

    Give URLs, a file of URLs, selectors (--force and --cycle, optionally --pillar), or --all
    for every force overview, pillar and report page of every PEEL cycle, all expanded through
    the site's URL patterns. Honours robots.txt, waits between requests, retries with back-off
    and skips what is already saved or known not to exist: run it again after an interruption
    and it goes on where it stopped.

    \b
    Examples:
      peel-index fetch --force Durham --cycle 2021/22 --dest corpus/downloads
      peel-index fetch --all --cycles 2016,2021/22 --dest corpus/downloads
    """
    wanted = [*urls, *(line.strip() for line in urls_file or () if line.strip())]
    cycles = tuple(c.strip() for item in cycles for c in item.split(",") if c.strip())
    try:
        if everything:
            if pillars:
                raise FetchError("--all fetches every page of a cycle; --pillar does not apply")
            wanted += site_pages(forces, cycles)
        elif forces or cycles:
            if not (forces and cycles):
                raise FetchError("selectors need both --force and --cycle")
            wanted += expand(forces, cycles, pillars)
        mapping = dict(_host_pair(item) for item in host_map)
    except FetchError as exc:
        raise click.ClickException(str(exc)) from exc
    if not wanted:
        raise click.UsageError("give URLs, --urls-file, or --force with --cycle")
    fetcher = Fetcher(dest, mapping, delay=delay, retries=retries, log=click.echo)
    try:
        outcomes = fetcher.fetch_all(wanted)
    except KeyboardInterrupt:
        click.echo("interrupted: what was saved is kept; run the same command to resume", err=True)
        sys.exit(130)
    saved = sum(o.status == "saved" for o in outcomes)
    absent = [o for o in outcomes if "not published" in o.status]
    # A page the site does not have is expected when enumerating (--all: not every force has
    # every page); asked for by name, it is a failure.
    failed = [o for o in outcomes if o.status.startswith("failed")] + ([] if everything else absent)
    skipped = len(outcomes) - saved - len(failed) - (len(absent) if everything else 0)
    summary = f"{saved} saved, {skipped} skipped, {len(failed)} failed"
    click.echo(summary + (f", {len(absent)} not published" if everything else ""))
    if failed:
        sys.exit(1)


def _host_pair(item: str) -> tuple[str, str]:
    host, sep, base = item.partition("=")
    if not sep or not base.startswith(("http://", "https://")):
        raise FetchError(f"--host-map wants HOST=http(s)://BASE, not {item!r}")
    return host.strip().lower(), base.strip()


@main.command("publish")
@click.argument("source", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument(
    "replicas", nargs=-1, required=True, type=click.Path(file_okay=False, path_type=Path),
    metavar="REPLICA...",
)  # fmt: skip
def publish_cmd(source: Path, replicas: tuple[Path, ...]) -> None:
    """Put the build in service at SOURCE in service at each REPLICA index directory.

    The build is copied beside each replica's own, checked, and swapped in by an atomic rename,
    one replica after another; each replica's server switches on its next request and serves
    its previous build until then. Build once, then publish to every replica behind the load
    balancer (see deploy/README.md).

    \b
    Example:
      peel-index publish .index /srv/peel/replica-1 /srv/peel/replica-2
    """
    from indexer.publish import publish

    try:
        for done in publish(source, replicas):
            verb = "copied and published" if done.copied else "published (already copied)"
            click.echo(f"{done.replica}: {verb} build {done.build_id}")
    except (IndexUnavailable, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
