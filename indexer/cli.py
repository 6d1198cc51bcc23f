"""`peel-index`: build the search index from report files, or check files without writing."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import click
from tqdm import tqdm

from indexer.build import BuildResult, FileResult, build, discover, parse_all, source_name
from indexer.model import GRADES
from indexer.schema import SCHEMA_VERSION
from indexer.store import BuildLocked, current_build, read_manifest

PATHS = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PATH..."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Build and check the peel-archive search index.

    \b
    Example:
      peel-index build corpus/ --index-dir .index
    """


def _progress(files: Iterable[Path]) -> Iterable[Path]:
    items = list(files)
    return tqdm(
        items,
        desc="Indexing",
        unit="file",
        file=sys.stderr,
        disable=None,
        dynamic_ncols=True,
        leave=False,
    )


def _fmt(counter: Counter[str], order: tuple[str, ...] = ()) -> str:
    rank = {v: i for i, v in enumerate(order)}
    keys = sorted(counter, key=lambda k: (rank.get(k, len(order)), k))
    return ", ".join(f"{k} {counter[k]}" for k in keys)


def _report_problems(files: list[FileResult]) -> None:
    for f in files:
        for warning in f.warnings:
            click.echo(f"  warning: {f.source}: {warning}", err=True)
    failures = [f for f in files if not f.ok]
    if failures:
        click.echo(f"Failed: {len(failures)} file(s) could not be indexed:", err=True)
        for f in failures:
            click.echo(f"  {f.source}: {f.error}", err=True)


def _unchanged(paths: tuple[Path, ...], index_dir: Path) -> bool:
    """True when the build in service was made from exactly these files, by this version."""
    build_path = current_build(index_dir)
    if build_path is None:
        return False
    try:
        manifest = read_manifest(build_path)
    except (OSError, ValueError):
        return False
    if manifest.get("schema_version") != SCHEMA_VERSION:
        return False
    import hashlib

    files, _ = discover(paths)
    recorded = manifest.get("files", {})
    if set(recorded) != {source_name(p) for p in files}:
        return False
    return all(
        recorded[source_name(p)]["sha256"] == hashlib.sha256(p.read_bytes()).hexdigest()
        for p in files
    )


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
def build_cmd(paths: tuple[Path, ...], index_dir: Path, if_changed: bool) -> None:
    """Index report files and folders into a new index, swapped in when complete.

    A file that cannot be read or recognised is reported with the reason; every other file is
    still indexed, and the exit status is 1.

    \b
    Example:
      peel-index build corpus/ extra/kent-peel-2017-efficiency.txt --index-dir .index
    """
    if if_changed and _unchanged(paths, index_dir):
        click.echo(f"Index at {index_dir} is up to date; nothing to do.")
        return
    try:
        result = build(paths, index_dir, progress=_progress)
    except BuildLocked as exc:
        raise click.ClickException(str(exc)) from exc
    _summarise(result, index_dir)
    if result.failures or not result.sections:
        sys.exit(1)


def _summarise(result: BuildResult, index_dir: Path) -> None:
    reports = sum(1 for f in result.files if f.ok)
    sections = result.sections
    if result.index_path is None:
        click.echo(f"No sections found; the index at {index_dir} was left as it was.", err=True)
    else:
        click.echo(f"Indexed {reports} report(s), {len(sections)} section(s) into {index_dir}")
        click.echo(f"  by force:  {_fmt(result.counts('force'))}")
        click.echo(f"  by cycle:  {_fmt(result.counts('cycle'))}")
        click.echo(f"  by pillar: {_fmt(result.counts('pillar'))}")
        click.echo(f"  by grade:  {_fmt(result.counts('grade'), GRADES)}")
        click.echo(f"  by kind:   {_fmt(result.counts('kind'))}")
    if result.skipped:
        click.echo(f"  passed over {len(result.skipped)} file(s) of other types in folders")
    _report_problems(result.files)


@main.command("check")
@PATHS
def check_cmd(paths: tuple[Path, ...]) -> None:
    """Parse files without writing anything and show what each one yields.

    \b
    Example:
      peel-index check corpus/
    """
    result = parse_all(paths)
    for f in result.files:
        if f.report is None:
            click.echo(f"FAIL {f.source}: {f.error}")
            continue
        r = f.report
        kinds = Counter(s.kind for s in r.sections)
        grades = Counter(
            s.grade or "(none)" for s in r.sections if s.kind != "area_for_improvement"
        )
        click.echo(f"ok   {f.source} [{f.encoding}]")
        click.echo(
            f"     {r.report_id}: {r.force.name} · {r.cycle} · {r.pillar} · "
            f"updated {r.updated.isoformat() if r.updated else 'unknown'}"
        )
        click.echo(f"     sections: {_fmt(kinds)}")
        click.echo(f"     grades:   {_fmt(grades, GRADES)}")
        for s in r.sections:
            if s.kind == "question":
                click.echo(f"       Q{s.question_number} {s.grade or '(no grade)'}: {s.question}")
        for warning in f.warnings:
            click.echo(f"     warning: {warning}")
    failed = len(result.failures)
    click.echo(f"{len(result.files) - failed} ok, {failed} failed")
    if failed:
        sys.exit(1)
