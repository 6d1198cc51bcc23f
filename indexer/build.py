"""The build pipeline: find files → read and normalise → parse into sections → write the index.

One bad file never stops a build: it is reported by name with its reason and every other file
is indexed. The result says what was built, by force, pillar and grade.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from indexer import formats
from indexer.errors import ReportError
from indexer.model import Section
from indexer.parse import ParsedReport, parse_pillar_page
from indexer.store import build_lock, write_build


@dataclass(slots=True)
class FileResult:
    """What became of one input file."""

    source: str
    report: ParsedReport | None = None
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    encoding: str = ""
    sha256: str = ""

    @property
    def ok(self) -> bool:
        return self.report is not None


@dataclass(slots=True)
class BuildResult:
    files: list[FileResult]
    skipped: list[str] = field(default_factory=list)
    index_path: Path | None = None

    @property
    def failures(self) -> list[FileResult]:
        return [f for f in self.files if not f.ok]

    @property
    def sections(self) -> list[Section]:
        return [s for f in self.files if f.report for s in f.report.sections]

    def counts(self, attr: str) -> Counter[str]:
        return Counter(getattr(s, attr) or "(none)" for s in self.sections)


def source_name(path: Path) -> str:
    """A file's name as reports show it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """Report files under `paths` (sorted), and names of files passed over in folders.

    A file named explicitly is always tried, so an unsupported one is reported as a failure.
    """
    found: list[Path] = []
    skipped: list[str] = []
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    p = Path(root) / name
                    if name.startswith("."):
                        continue
                    if p.suffix.lower() in formats.SUFFIXES:
                        found.append(p)
                    else:
                        skipped.append(source_name(p))
        else:
            found.append(path)
    return sorted(set(found), key=lambda p: source_name(p)), skipped


def parse_file(path: Path) -> FileResult:
    """Read, normalise and parse one file; never raises for a bad file."""
    result = FileResult(source_name(path))
    try:
        if not path.exists():
            raise ReportError("no such file")
        result.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        normalised = formats.read(path)
        result.encoding = normalised.encoding
        result.warnings.extend(normalised.warnings)
        report = parse_pillar_page(normalised.blocks, result.source)
        result.warnings.extend(report.warnings)
        result.report = report
    except ReportError as exc:
        result.error = f"line {exc.line}: {exc.reason}" if exc.line else exc.reason
    return result


def parse_all(
    paths: Iterable[Path], progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None
) -> BuildResult:
    """Parse every file; a report id seen twice fails the later file."""
    files, skipped = discover(paths)
    results: list[FileResult] = []
    seen: dict[str, str] = {}
    for path in progress(files) if progress else files:
        result = parse_file(path)
        if result.report is not None:
            rid = result.report.report_id
            if rid in seen:
                result.error = f"same report ({rid}) as {seen[rid]}; keep one of the two files"
                result.report = None
            else:
                seen[rid] = result.source
        results.append(result)
    return BuildResult(results, skipped)


def manifest_for(result: BuildResult) -> dict[str, object]:
    return {
        "reports": sum(1 for f in result.files if f.ok),
        "files": {
            f.source: {
                "sha256": f.sha256,
                "report_id": f.report.report_id if f.report else None,
                "sections": len(f.report.sections) if f.report else 0,
                "error": f.error or None,
            }
            for f in result.files
        },
    }


def build(
    paths: Iterable[Path],
    index_dir: Path,
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
) -> BuildResult:
    """Parse everything under `paths` and put a new index in service at `index_dir`.

    Nothing is written when no file yields a section: an empty index never replaces a good one.
    """
    with build_lock(index_dir):
        result = parse_all(paths, progress)
        sections = result.sections
        if sections:
            result.index_path = write_build(index_dir, sections, manifest_for(result))
    return result
