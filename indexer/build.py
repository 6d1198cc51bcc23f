"""The build pipeline: find files → read and normalise → parse into sections → write the index.

One bad file never stops a build: it is reported by name with its reason and every other file
is indexed. The result says what was built, by force, pillar and grade.

Builds are incremental: a file whose content hash (and whose sidecar's and provenance record's)
matches the build in service, made by the same schema and parser versions, is not parsed
again. The new build starts as hard links to the old build's segment files (Whoosh never
changes a written file), drops the reports of changed and removed files, adds the newly
parsed ones and is swapped in atomically, like a full build. The old build is untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from indexer import formats
from indexer.draft import ParsedReport
from indexer.errors import ReportError
from indexer.forces import find_force
from indexer.limits import DEFAULT_LIMITS, KB, Limits, over
from indexer.metadata import (
    COMPANION_LIMIT,
    inferred,
    is_companion,
    load_sidecar,
    provenance_path,
    sidecar_path,
)
from indexer.model import Section
from indexer.reports import parse_report
from indexer.safeio import leaves, read_regular
from indexer.schema import SCHEMA_VERSION
from indexer.store import (
    EmptyBuild,
    build_lock,
    current_build,
    is_whole,
    read_manifest,
    write_build,
    write_incremental,
)

# Bump when parsing changes what a file yields: builds then re-parse every file.
PARSER_VERSION = 6
# What a manifest entry must record for its file to be reused without parsing it again.
REUSE_KEYS = (
    "report_id", "title", "report_type", "force", "cycle", "updated", "sections", "counts",
)
# Full builds of at least this many files write with two processes when there are cores.
PARALLEL_FROM_FILES = 150
# The facets a build's summary counts.
SUMMARY_FACETS = ("force", "cycle", "pillar", "grade", "kind", "report_type", "grade_source")


@dataclass(slots=True)
class FileResult:
    """What became of one input file."""

    source: str
    report: ParsedReport | None = None
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    encoding: str = ""
    sha256: str = ""
    meta_sha256: str = ""
    reused: bool = False  # kept from the previous build, not parsed again
    reused_sections: int = 0  # how many sections a reused file holds in the index
    stat: tuple[int, int] = (0, 0)  # (size, mtime_ns) when read: a change check before hashing
    # Sections by value of each summary facet (from the manifest when the file was reused).
    reused_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    dropped: str = ""  # why this capture was dropped for a richer one of the same report

    def facet_counts(self) -> dict[str, Counter[str]]:
        if self.reused:
            return {k: Counter(v) for k, v in self.reused_counts.items()}
        sections = self.report.sections if self.report else []
        return {name: Counter(getattr(s, name) or "(none)" for s in sections)
                for name in SUMMARY_FACETS}

    @property
    def ok(self) -> bool:
        return self.report is not None

    @property
    def section_count(self) -> int:
        if self.reused:
            return self.reused_sections
        return len(self.report.sections) if self.report else 0


@dataclass(slots=True)
class BuildResult:
    files: list[FileResult]
    skipped: list[str] = field(default_factory=list)
    index_path: Path | None = None
    # What the index in service holds after the build, by facet (from the index itself).
    totals: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def parsed(self) -> list[str]:
        """Files that were parsed this time (not copied from the previous build)."""
        return [f.source for f in self.files if not f.reused]

    @property
    def failures(self) -> list[FileResult]:
        return [f for f in self.files if not f.ok and not f.dropped]

    @property
    def dropped(self) -> list[FileResult]:
        """Duplicate captures left out for a richer capture of the same report."""
        return [f for f in self.files if f.dropped]

    @property
    def sections(self) -> list[Section]:
        """Sections parsed this time (a reused file's sections stay in the index)."""
        return [s for f in self.files if f.report for s in f.report.sections]

    @property
    def section_count(self) -> int:
        return sum(f.section_count for f in self.files)

    def facet_totals(self) -> dict[str, Counter[str]]:
        """Sections by value of each summary facet, over every file the index holds."""
        totals: dict[str, Counter[str]] = {name: Counter() for name in SUMMARY_FACETS}
        for f in self.files:
            if f.ok:
                for name, counts in f.facet_counts().items():
                    totals.setdefault(name, Counter()).update(counts)
        return totals


def source_name(path: Path) -> str:
    """A file's name as reports show it: relative to the working directory when inside it.

    File names are bytes; one that is not valid UTF-8 keeps its other characters and shows
    each undecodable byte as `\\xNN`, so the name is always text that can be stored, printed
    and served (never a string holding lone surrogates).
    """
    full = os.path.abspath(path)
    cwd = os.getcwd()
    if full.startswith(cwd + os.sep):
        full = full[len(cwd) + 1:]
    return os.fsencode(Path(full).as_posix()).decode("utf-8", "backslashreplace")


@dataclass(slots=True)
class Found:
    """What `discover` found: report files, files of other types, and files refused unread."""

    files: list[Path]
    skipped: list[str]
    refused: dict[Path, str] = field(default_factory=dict)  # path -> reason


def discover(paths: Iterable[Path]) -> Found:
    """Report files under `paths` (sorted), and names of files passed over in folders.

    A file named explicitly is always tried, so an unsupported one is reported as a failure.
    A symlink in a folder whose target lies outside that folder is refused without being
    read (as is anything that is not a regular file, when it is read).
    """
    found: list[Path] = []
    skipped: list[str] = []
    refused: dict[Path, str] = {}
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    p = Path(root) / name
                    if name.startswith(".") or is_companion(p):
                        continue
                    if p.suffix.lower() not in formats.SUFFIXES:
                        skipped.append(source_name(p))
                        continue
                    found.append(p)
                    if p.is_symlink() and leaves(p, path):
                        refused[p] = ("a symlink to a place outside the folder "
                                      f"{source_name(path)}; skipped without reading it")
        else:
            found.append(path)
    named = {source_name(p): p for p in found}
    return Found([named[name] for name in sorted(named)], skipped, refused)


def _stat(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def companion_hash(path: Path) -> str:
    """A hash of the sidecar and provenance files beside `path` ("" when there are none)."""
    digest = hashlib.sha256()
    found = False
    for companion in (sidecar_path(path), provenance_path(path)):
        if companion.exists():
            found = True
            data = read_regular(companion, COMPANION_LIMIT, option="")
            digest.update(os.fsencode(companion.name) + b"\0" + data)
    return digest.hexdigest() if found else ""


def _content_hash(path: Path, limits: Limits) -> str:
    return hashlib.sha256(formats.read_bytes(path, limits)).hexdigest()


def parse_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> FileResult:
    """Read, normalise and parse one file; never raises for a bad file.

    Whatever goes wrong with one file (an unreadable or non-regular file, a limit exceeded,
    markup too deep, a library error inside a format reader) becomes that file's `error`, a
    short reason; the build goes on with the next file.
    """
    result = FileResult(source_name(path))
    try:
        if not path.exists():
            raise ReportError("no such file")
        data = formats.read_bytes(path, limits)
        result.stat = _stat(path)
        result.sha256 = hashlib.sha256(data).hexdigest()
        result.meta_sha256 = companion_hash(path)
        override = load_sidecar(path)
        normalised = formats.read(path, data, limits)
        del data
        result.encoding = normalised.encoding
        result.warnings.extend(normalised.warnings)
        hints = inferred(path, normalised.meta.get("url", ""))
        report = parse_report(normalised, result.source, hints, override)
        check_sections(report, limits)
        result.warnings.extend(report.warnings)
        result.report = report
    except ReportError as exc:
        result.error = f"line {exc.line}: {exc.reason}" if exc.line else exc.reason
    except RecursionError:
        result.error = "nested too deeply to read (recursion limit reached)"
    except MemoryError:
        result.error = "too large to read in this machine's memory"
    except Exception as exc:  # a library's error inside one file must not stop the build
        detail = " ".join(str(exc).split())[:160]
        result.error = f"could not be read ({type(exc).__name__}{': ' + detail if detail else ''})"
    if result.error:
        result.report = None
    return result


def check_sections(report: ParsedReport, limits: Limits) -> None:
    """Refuse a report with a section over the section-size limit (naming the section)."""
    for section in report.sections:
        if len(section.text) > limits.section_chars:
            raise over(f"section {section.anchor!r}", len(section.text) / KB,
                       limits.section_kb, "KB", "--max-section-kb")


@dataclass(slots=True)
class Previous:
    """The build in service, as far as an incremental build can reuse it."""

    path: Path
    files: dict[str, dict[str, object]]

    @classmethod
    def find(cls, index_dir: Path) -> Previous | None:
        build_path = current_build(index_dir)
        if build_path is None:
            return None
        try:
            manifest = read_manifest(build_path)
        except (OSError, ValueError):
            return None
        if manifest.get("schema_version") != SCHEMA_VERSION:
            return None
        if manifest.get("parser_version") != PARSER_VERSION:
            return None
        if not is_whole(build_path):  # damaged since: its segments must not be carried over
            return None
        files = manifest.get("files")
        return cls(build_path, files) if isinstance(files, dict) else None

    def reuse(self, path: Path, limits: Limits = DEFAULT_LIMITS) -> FileResult | None:
        """The file's entry in this build, if the file and its companions are unchanged."""
        source = source_name(path)
        entry = self.files.get(source)
        if not isinstance(entry, dict) or entry.get("error") or not entry.get("report_id"):
            return None
        if not all(key in entry for key in REUSE_KEYS):
            return None
        try:
            stat = _stat(path)
            if not path.is_file():
                return None  # not a regular file now: parsed again, so that it is named
            if [*stat] == entry.get("stat"):  # same size and time: unchanged, as make and rsync
                sha = str(entry.get("sha256"))
            else:
                sha = _content_hash(path, limits)
            meta = companion_hash(path)
        except (OSError, ReportError):
            return None
        if (sha, meta) != (entry.get("sha256"), entry.get("meta_sha256", "")):
            return None
        force = str(entry["force"])
        updated = entry.get("updated")
        report = ParsedReport(
            str(entry["report_id"]),
            str(entry["title"]),
            str(entry["report_type"]),
            find_force(force) if force else None,
            str(entry["cycle"]),
            str(entry.get("pillar") or ""),
            dt.date.fromisoformat(updated) if isinstance(updated, str) and updated else None,
            sections=[],
            warnings=[str(w) for w in cast("list[object]", entry.get("warnings", []) or [])],
            url=str(entry.get("url") or ""),
            layout=str(entry.get("layout") or ""),
        )
        return FileResult(
            source,
            report,
            warnings=list(report.warnings),
            encoding=str(entry.get("encoding", "")),
            sha256=sha,
            meta_sha256=meta,
            reused=True,
            reused_sections=int(entry.get("sections") or 0),  # type: ignore[call-overload]
            stat=stat,
            reused_counts=dict(entry.get("counts") or {}),  # type: ignore[call-overload]
        )

    def holds_exactly(self, paths: Iterable[Path]) -> bool:
        """True when this build was made from exactly these files, as they are now."""
        files = discover(paths).files
        if set(self.files) != {source_name(p) for p in files}:
            return False
        for path in files:
            entry = self.files[source_name(path)]
            if not isinstance(entry, dict):
                return False
            try:
                if not path.is_file():
                    return False
                same_stat = [*_stat(path)] == entry.get("stat")
                if not same_stat and _content_hash(path, DEFAULT_LIMITS) != entry.get("sha256"):
                    return False
                if companion_hash(path) != entry.get("meta_sha256", ""):
                    return False
            except (OSError, ReportError):
                return False
        return True

    def dropped_reports(self, result: BuildResult) -> set[str]:
        """Report ids of this build that the new one does not keep as they were."""
        kept = {f.source for f in result.files if f.reused}
        return {
            str(entry["report_id"])
            for source, entry in self.files.items()
            if isinstance(entry, dict) and entry.get("report_id") and source not in kept
        }


def iter_results(
    files: Iterable[Path],
    previous: Previous | None = None,
    limits: Limits = DEFAULT_LIMITS,
    refused: Mapping[Path, str] | None = None,
) -> Iterator[FileResult]:
    """Parse each file (or reuse it from `previous`); of two captures of one report, the
    poorer is dropped (`drop_duplicates`). Every file is parsed before any is yielded, so
    that a richer capture later in the list can still replace an earlier one. A file in
    `refused` is not read: its result carries the reason."""
    results: list[FileResult] = []
    for path in files:
        if refused and path in refused:
            results.append(FileResult(source_name(path), error=refused[path]))
            continue
        reused = previous.reuse(path, limits) if previous else None
        results.append(reused or parse_file(path, limits))
    drop_duplicates(results)
    yield from results


def _richness(f: FileResult) -> tuple[int, int, int]:
    """How much a capture holds: sections, graded sections, grades read from grade lines."""
    counts = f.facet_counts()
    grades = counts.get("grade", Counter())
    graded = sum(n for g, n in grades.items() if g != "(none)")
    return f.section_count, graded, counts.get("grade_source", Counter())["line"]


def drop_duplicates(results: list[FileResult]) -> None:
    """Keep the richest capture of each report (the first by name on a tie); say why the
    others were dropped."""
    kept: dict[str, FileResult] = {}
    for result in results:
        if result.report is None:
            continue
        rid = result.report.report_id
        other = kept.get(rid)
        if other is None:
            kept[rid] = result
            continue
        better, worse = (result, other) if _richness(result) > _richness(other) else (other, result)
        kept[rid] = better
        b, w = _richness(better), _richness(worse)
        why = (
            "more sections" if b[0] > w[0] else "more grades" if b[1] > w[1]
            else "more grade lines" if b[2] > w[2] else "as rich, and first by name"
        )
        worse.dropped = (
            f"another capture of {rid}: kept {better.source} ({b[0]} sections, {b[1]} graded) "
            f"over this one ({w[0]} sections, {w[1]} graded): {why}"
        )
        worse.report, worse.reused = None, False


def parse_all(
    paths: Iterable[Path],
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
    previous: Previous | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> BuildResult:
    """Parse every file under `paths` (or reuse it from `previous`)."""
    found = discover(paths)
    chosen = progress(found.files) if progress else found.files
    return BuildResult(
        list(iter_results(chosen, previous, limits, found.refused)), found.skipped
    )


def manifest_for(result: BuildResult) -> dict[str, object]:
    return {
        "reports": sum(1 for f in result.files if f.ok),
        "parser_version": PARSER_VERSION,
        "files": {
            f.source: {
                "sha256": f.sha256,
                "stat": list(f.stat),
                "meta_sha256": f.meta_sha256,
                "counts": {k: dict(v) for k, v in f.facet_counts().items()},
                "report_id": f.report.report_id if f.report else None,
                "sections": f.section_count,
                "title": f.report.title if f.report else None,
                "force": (f.report.force.name if f.report.force else "") if f.report else None,
                "cycle": f.report.cycle if f.report else None,
                "updated": f.report.updated.isoformat()
                if f.report and f.report.updated else None,
                "url": f.report.url if f.report else None,
                "error": f.error or None,
                "dropped": f.dropped or None,
                "warnings": f.warnings,
                "encoding": f.encoding,
                "report_type": f.report.report_type if f.report else None,
                "pillar": f.report.pillar if f.report else None,
                "layout": f.report.layout if f.report else None,
            }
            for f in result.files
        },
    }


def build(
    paths: Iterable[Path],
    index_dir: Path,
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
    incremental: bool = True,
    procs: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> BuildResult:
    """Parse everything under `paths` and put a new index in service at `index_dir`.

    Unchanged files are copied from the build in service unless `incremental` is False.
    Nothing is written when no file yields a section: an empty index never replaces a good one.
    A file over one of `limits` is refused with its reason.
    """
    with build_lock(index_dir):
        previous = Previous.find(index_dir) if incremental else None
        if previous is None:
            result = _full_build(paths, index_dir, progress, procs, limits)
        else:
            result = parse_all(paths, progress, previous, limits)
            if result.section_count:
                manifest = manifest_for(result)
                if any(f.reused for f in result.files):
                    result.index_path = write_incremental(
                        index_dir, previous.path, previous.dropped_reports(result),
                        result.sections, manifest,
                    )
                else:
                    result.index_path = write_build(index_dir, result.sections, manifest)
        if result.index_path is not None:
            result.totals = result.facet_totals()
    return result


def _full_build(
    paths: Iterable[Path],
    index_dir: Path,
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None,
    procs: int | None,
    limits: Limits = DEFAULT_LIMITS,
) -> BuildResult:
    """Parse and write in one stream: the writer's processes index early sections while
    later files are still being parsed."""
    found = discover(paths)
    files = found.files
    result = BuildResult([], found.skipped)
    if procs is None:  # a second process pays off once there is real work
        procs = min(2, os.cpu_count() or 1) if len(files) >= PARALLEL_FROM_FILES else 1

    def sections() -> Iterator[Section]:
        chosen = progress(files) if progress else files
        for file_result in iter_results(chosen, limits=limits, refused=found.refused):
            result.files.append(file_result)
            if file_result.report is not None:
                yield from file_result.report.sections

    try:
        result.index_path = write_build(
            index_dir, sections(), lambda: manifest_for(result), procs=procs
        )
    except EmptyBuild:
        result.index_path = None
    return result
