"""Building real indexes: bad files reported by name, transactional swaps, the build lock."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pytest

from indexer.build import FileResult, build, drop_duplicates
from indexer.store import BuildLocked, IndexUnavailable, build_lock, current_build, open_index
from tests.conftest import BROKEN, FIXTURE_CORPUS, SEED

HINT = "peel-index build corpus/ --index-dir X"


def test_broken_files_are_named_and_everything_else_is_indexed(tmp_path: Path) -> None:
    result = build([SEED, FIXTURE_CORPUS, BROKEN], tmp_path / "ix")
    reasons = {Path(f.source).name: f.error for f in result.failures}
    assert reasons == {
        "binary-junk.txt": "binary data (NUL bytes), not a text report",
        "empty.txt": "empty file",
        "meeting-minutes.txt": "no PEEL title line found (expected a line like 'Kent PEEL 2016')",
        "unknown-force.txt": "line 3: unknown force 'Atlantis' in title line "
        "(not one of the 43 forces)",
    }
    good = [f for f in result.files if f.ok]
    assert len(good) == 9
    opened = open_index(tmp_path / "ix", HINT)
    assert opened.whoosh.doc_count() == sum(len(f.report.sections) for f in good if f.report)
    assert opened.manifest["sections"] == opened.whoosh.doc_count()
    assert opened.manifest["files"][result.failures[0].source]["error"]


def test_rebuild_swaps_atomically_and_keeps_one_spare(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    build([SEED], ix)
    first = current_build(ix)
    build([SEED, FIXTURE_CORPUS], ix)
    second = current_build(ix)
    assert first != second and first is not None and first.exists()  # spare for open readers
    build([SEED], ix)
    assert not first.exists()
    assert (ix / "current").is_symlink()
    assert not list((ix / "builds").glob(".tmp-*"))


def test_a_build_with_no_sections_leaves_the_index_in_service(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    build([SEED], ix)
    before = current_build(ix)
    result = build([BROKEN], ix)
    assert result.index_path is None and len(result.failures) == 4
    assert current_build(ix) == before


def test_a_leftover_temporary_build_is_cleared_and_never_served(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    build([SEED], ix)
    junk = ix / "builds" / ".tmp-killed"
    junk.mkdir()
    (junk / "half-written.seg").write_bytes(b"\0" * 10)
    build([SEED], ix)
    assert not junk.exists()
    assert open_index(ix, HINT).whoosh.doc_count() == 7


def test_two_builds_at_once_are_refused_with_a_clear_message(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    with build_lock(ix), pytest.raises(BuildLocked, match="another build is writing"):
        build([SEED], ix)


@pytest.mark.parametrize("damage", ["missing", "empty-dir", "bad-version", "no-manifest"])
def test_unusable_index_directories_are_explained(tmp_path: Path, damage: str) -> None:
    ix = tmp_path / "ix"
    if damage != "missing":
        ix.mkdir()
    if damage in ("bad-version", "no-manifest"):
        build([SEED], ix)
        manifest = current_build(ix) / "peel-archive.json"  # type: ignore[operator]
        if damage == "no-manifest":
            os.remove(manifest)
        else:
            manifest.write_text(
                manifest.read_text().replace('"schema_version": ', '"schema_version": 99')
            )
    with pytest.raises(IndexUnavailable, match="build it with: peel-index build") as err:
        open_index(ix, HINT)
    assert str(ix) in str(err.value)


def test_a_foreign_directory_is_not_an_index(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    shutil.copytree(FIXTURE_CORPUS, ix)
    with pytest.raises(IndexUnavailable, match="holds no built index"):
        open_index(ix, HINT)


# Two captures of one report: which is kept, and the sentence saying why (`drop_duplicates`).
# The captures are made by hand (their sections' grades and where each grade was read), so the
# rule is checked on its own, whatever the parsers make of real pages.


def _capture(source: str, grades: list[tuple[str, str]], report_id: str = "kent-2016"
             ) -> FileResult:
    """A parsed file of `report_id` with one section per (grade, grade source)."""
    import dataclasses

    from indexer.draft import ParsedReport
    from indexer.model import Section

    base = Section(
        report_id=report_id, section_id="", anchor="", report_title="Kent PEEL 2016",
        report_type="PEEL", force="Kent Police", force_short="Kent", force_slug="kent",
        region="South East", cycle="2016", year=2016, pillar="Efficiency", question_number=None,
        question="", grade="", grade_note="", kind="question", heading="", text="Text.",
        position=0, source=source, updated=None,
    )  # fmt: skip
    sections = [
        dataclasses.replace(base, section_id=f"{report_id}:q{i}", anchor=f"q{i}", grade=g,
                            grade_source=src, position=i)
        for i, (g, src) in enumerate(grades)
    ]
    report = ParsedReport(report_id, "Kent PEEL 2016", "PEEL", None, "2016", "Efficiency", None,
                          sections=sections)
    return FileResult(source, report)


@pytest.mark.parametrize(
    ("first", "second", "kept", "why"),
    [
        # more sections wins, even against more grades
        ([("", ""), ("", ""), ("", "")], [("Good", "line"), ("Good", "line")], "a",
         "more sections"),
        ([("Good", "line")], [("", ""), ("", "")], "b", "more sections"),
        # more of both: the sentence names the first rule that decided
        ([("Good", "line"), ("", ""), ("", "")], [("", ""), ("", "")], "a", "more sections"),
        ([("Good", "line"), ("Good", "line")], [("Good", "table"), ("", "")], "a",
         "more grades"),
        # as many sections: more graded sections wins ("" is no grade)
        ([("Good", "sentence"), ("", "")], [("", ""), ("", "")], "a", "more grades"),
        ([("", ""), ("", "")], [("Good", "table"), ("Inadequate", "table")], "b", "more grades"),
        # as many graded: more grades read from a grade line wins
        ([("Good", "sentence"), ("Good", "line")], [("Good", "line"), ("Good", "line")], "b",
         "more grade lines"),
        ([("Good", "line"), ("", "")], [("Good", "table"), ("", "")], "a", "more grade lines"),
        # as rich: the first (by name) is kept
        ([("Good", "line"), ("", "")], [("", ""), ("Good", "line")], "a",
         "as rich, and first by name"),
    ],
)  # fmt: skip
def test_of_two_captures_the_richer_is_kept_and_the_other_says_why(
    first: list[tuple[str, str]], second: list[tuple[str, str]], kept: str, why: str
) -> None:
    a, b = _capture("a.txt", first), _capture("b.txt", second)
    drop_duplicates([a, b])
    winner, loser = (a, b) if kept == "a" else (b, a)
    assert winner.report is not None and not winner.dropped
    assert loser.report is None and not loser.reused
    graded = {id(x): sum(1 for g, _ in grades if g) for x, grades in ((a, first), (b, second))}
    counts = {id(x): len(grades) for x, grades in ((a, first), (b, second))}
    assert loser.dropped == (
        f"another capture of kent-2016: kept {winner.source} ({counts[id(winner)]} sections, "
        f"{graded[id(winner)]} graded) over this one ({counts[id(loser)]} sections, "
        f"{graded[id(loser)]} graded): {why}"
    )


def test_captures_of_different_reports_and_failed_files_are_all_kept() -> None:
    a = _capture("a.txt", [("Good", "line")], "kent-2016")
    b = _capture("b.txt", [("Good", "line")], "essex-2016")
    c = _capture("c.txt", [("Good", "line"), ("", "")], "kent-2016")
    failed = FileResult("d.txt", error="empty file")
    drop_duplicates([failed, a, b, c])
    assert [x.source for x in (failed, a, b, c) if x.dropped] == ["a.txt"]
    assert b.report is not None and c.report is not None and failed.error == "empty file"


def test_a_capture_carried_over_from_the_last_build_competes_by_its_recorded_counts() -> None:
    # A reused file has no sections in memory: its counts come from the manifest.
    carried = FileResult(
        "a.txt", _capture("a.txt", []).report, reused=True, reused_sections=2,
        reused_counts={"grade": {"Good": 2}, "grade_source": {"line": 2}},
    )  # fmt: skip
    fresh = _capture("b.txt", [("Good", "line"), ("Good", "sentence")])
    drop_duplicates([carried, fresh])
    assert carried.report is not None and fresh.report is None
    assert fresh.dropped.endswith("(2 sections, 2 graded): more grade lines")
    # and a carried-over capture that loses is parsed again no more: it leaves the index
    carried = FileResult(
        "a.txt", _capture("a.txt", []).report, reused=True, reused_sections=1,
        reused_counts={"grade": {"(none)": 1}, "grade_source": {"(none)": 1}},
    )  # fmt: skip
    drop_duplicates([carried, fresh := _capture("b.txt", [("Good", "line")])])
    assert carried.report is None and not carried.reused and fresh.report is not None
    assert carried.dropped.endswith("(1 sections, 0 graded): more grades")


def _folder(tmp_path: Path) -> Path:
    """A folder of the shapes a build meets: reports in a sub-folder, companion files, a
    dot-file and a dot-folder, a file of another kind, and symlinks inside and out."""
    top = tmp_path / "corpus"
    (top / "sub").mkdir(parents=True)
    (top / ".git").mkdir()
    seed = SEED.read_bytes()
    (top / "b-report.txt").write_bytes(seed)
    (top / "sub" / "a-report.txt").write_bytes(seed)
    (top / "b-report.txt.meta.json").write_text('{"url": "https://example.org/b"}')
    (top / "b-report.txt.provenance.json").write_text("{}")
    (top / ".hidden.txt").write_bytes(seed)
    (top / ".git" / "inside.txt").write_bytes(seed)
    (top / "a-notes.docx").write_bytes(b"PK")  # sorts before the reports
    outside = tmp_path / "outside.txt"
    outside.write_bytes(seed)
    (top / "leak.txt").symlink_to(outside)
    (top / "alias.txt").symlink_to(top / "b-report.txt")  # stays inside: read as any file
    return top


def test_a_folder_yields_its_reports_and_says_what_it_passed_over(tmp_path: Path) -> None:
    """What a build reads from a folder, worked out by hand: reports by suffix, in name order,
    dot-files, dot-folders and companion files never read, other files named as skipped, and a
    symlink leading out of the folder refused without being read."""
    from indexer.build import discover, parse_all, source_name

    top = _folder(tmp_path)
    found = discover([top])
    assert [p.relative_to(top).as_posix() for p in found.files] == [
        "alias.txt", "b-report.txt", "leak.txt", "sub/a-report.txt"]
    assert found.skipped == [source_name(top / "a-notes.docx")]
    assert found.refused == {top / "leak.txt": (
        f"a symlink to a place outside the folder {source_name(top)}; skipped without reading "
        "it")}
    seen: list[list[Path]] = []

    def progress(files: Iterable[Path]) -> Iterable[Path]:
        seen.append(list(files))
        return seen[-1]

    result = parse_all([top], progress)
    assert seen == [found.files]
    assert result.skipped == found.skipped
    errors = {Path(f.source).name: f.error for f in result.files if f.error}
    assert errors == {"leak.txt": found.refused[top / "leak.txt"]}
    # three copies of one report: the first by name is kept, the others dropped as duplicates
    assert [Path(f.source).name for f in result.files if f.ok] == ["alias.txt"]
    assert [Path(f.source).name for f in result.dropped] == ["b-report.txt", "a-report.txt"]
    totals = result.facet_totals()
    assert sum(totals["kind"].values()) == result.section_count > 0


def test_a_build_of_a_folder_says_what_it_read_and_passed_over_each_time(tmp_path: Path) -> None:
    """`build` itself, first in full and then incrementally: the files it hands to the progress
    bar, what it skipped and refused, the build it put in service and its totals. Oracles: the
    folder as laid out by hand, and the facet values stored in the index."""
    from indexer.build import discover, source_name

    top, index_dir = _folder(tmp_path), tmp_path / "ix"
    found = discover([top])
    leak = source_name(top / "leak.txt")
    for round_ in ("full", "incremental"):
        seen: list[list[Path]] = []

        def progress(files: Iterable[Path], seen: list[list[Path]] = seen) -> Iterable[Path]:
            seen.append(list(files))
            return seen[-1]

        result = build([top], index_dir, progress)
        assert seen == [found.files], round_
        assert result.skipped == [source_name(top / "a-notes.docx")], round_
        assert {f.source: f.error for f in result.files if f.error} == {
            leak: found.refused[top / "leak.txt"]}, round_
        assert [Path(f.source).name for f in result.files if f.ok] == ["alias.txt"], round_
        assert result.index_path is not None and result.index_path == current_build(index_dir)
        assert [bool(f.reused) for f in result.files if f.ok] == [round_ == "incremental"]
        opened = open_index(index_dir, HINT)
        with opened.whoosh.searcher() as searcher:
            stored = list(searcher.all_stored_fields())
        opened.whoosh.close()
        for name in ("force", "grade", "kind"):
            assert result.totals[name] == Counter(d.get(name) or "(none)" for d in stored), name
        manifest = opened.manifest
        assert manifest["reports"] == 1
        entries = manifest["files"]
        alias = entries[source_name(top / "alias.txt")]
        assert alias["stat"] == [os.stat(top / "alias.txt").st_size,
                                 os.stat(top / "alias.txt").st_mtime_ns]
        assert alias["dropped"] is None and alias["force"] == "Metropolitan Police Service"
        assert entries[source_name(top / "b-report.txt")]["dropped"] == (
            "another capture of metropolitan-2016-efficiency: kept "
            f"{source_name(top / 'alias.txt')} (7 sections, 7 graded) over this one (7 sections, "
            "7 graded): as rich, and first by name")
        assert entries[leak]["report_id"] is None and entries[leak]["force"] is None
        # companions: none -> "", else a hash of each one's name and bytes (worked by hand)
        digest = hashlib.sha256()
        for companion in ("b-report.txt.meta.json", "b-report.txt.provenance.json"):
            digest.update(companion.encode() + b"\0" + (top / companion).read_bytes())
        assert alias["meta_sha256"] == ""
        assert entries[source_name(top / "b-report.txt")]["meta_sha256"] == digest.hexdigest()


def test_each_build_obeys_its_limits_full_and_incremental(tmp_path: Path) -> None:
    from indexer.limits import Limits

    corpus, index_dir = tmp_path / "corpus", tmp_path / "ix"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    tight = Limits(section_kb=1)
    refused = build([corpus], tmp_path / "other", limits=tight)  # full: nothing to write
    assert refused.index_path is None and refused.totals == {}
    (error,) = [f.error for f in refused.files]
    assert "KB, over the limit of 1 KB" in error
    first = build([corpus], index_dir)
    assert first.index_path is not None and not first.failures
    seed = corpus / SEED.name
    seed.write_text(seed.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    again = build([corpus], index_dir, limits=tight)  # incremental: the changed file read again
    assert [f.error for f in again.files] == [error] and again.index_path is None
    assert current_build(index_dir) == first.index_path  # the good build stays in service


def test_a_full_rebuild_reads_every_file_and_a_new_set_of_files_makes_a_new_build(
    tmp_path: Path,
) -> None:
    corpus, index_dir = tmp_path / "corpus", tmp_path / "ix"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    first = build([corpus], index_dir)
    full = build([corpus], index_dir, incremental=False)
    assert full.parsed == [f.source for f in full.files] and not any(f.reused for f in full.files)
    assert full.index_path is not None and full.index_path != first.index_path
    # Every file replaced by another: nothing to carry over, so a whole new build is written.
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(SEED, other / SEED.name)
    national = FIXTURE_CORPUS.parent / "formats" / "state-of-policing-2022.html"
    shutil.copy(national, other / national.name)
    fresh = build([other], index_dir)
    assert not any(f.reused for f in fresh.files) and fresh.index_path == current_build(index_dir)
    assert fresh.index_path not in (first.index_path, full.index_path)
    opened = open_index(index_dir, HINT)
    with opened.whoosh.searcher() as searcher:
        assert {d["report_id"] for d in searcher.all_stored_fields()} == {
            f.report.report_id for f in fresh.files if f.report}
    opened.whoosh.close()
    assert sum(fresh.totals["kind"].values()) == fresh.section_count > 0
    forces = {Path(k).name: v["force"] for k, v in opened.manifest["files"].items()}
    assert forces == {SEED.name: "Metropolitan Police Service", national.name: ""}


def test_a_file_is_named_relative_to_the_working_directory_when_inside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from indexer.build import source_name

    (tmp_path / "work" / "corpus").mkdir(parents=True)
    (tmp_path / "work-other").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    assert source_name(Path("corpus/a.txt")) == "corpus/a.txt"
    assert source_name(tmp_path / "work" / "corpus" / "a.txt") == "corpus/a.txt"
    assert source_name(tmp_path / "work-other" / "a.txt") == f"{tmp_path}/work-other/a.txt"
    assert source_name(Path(os.fsdecode(b"caf\xe9.txt"))) == "caf\\xe9.txt"


def test_one_file_parsed_alone_names_what_stopped_it(tmp_path: Path) -> None:
    from indexer.build import parse_file
    from indexer.limits import Limits

    assert parse_file(tmp_path / "absent.txt").error == "no such file"
    small = parse_file(SEED, Limits(file_mb=0.001)).error
    assert small.startswith("the file is ") and small.endswith(
        " MB, over the limit of 0.001 MB (raise it with --max-file-mb)")
    text = parse_file(SEED, Limits(text_mb=0.001)).error
    assert text.startswith("the text extracted is ") and text.endswith(
        " MB, over the limit of 0.001 MB (raise it with --max-text-mb)")
    whole = parse_file(SEED)
    assert whole.error == "" and whole.report is not None and whole.meta_sha256 == ""
    assert whole.sha256 == hashlib.sha256(SEED.read_bytes()).hexdigest()
    # the section limit's boundary: the longest section at exactly the limit passes
    longest = max(whole.report.sections, key=lambda s: len(s.text))
    size = len(longest.text)
    assert parse_file(SEED, Limits(section_kb=size / 1024)).error == ""
    assert parse_file(SEED, Limits(section_kb=(size - 1) / 1024)).error == (
        f"section {longest.anchor!r} is {size / 1024:.2f} KB, over the limit of "
        f"{(size - 1) / 1024:.2f} KB (raise it with --max-section-kb)")
    # an HTML capture's own address (its canonical link) when no provenance file gives one
    formats = FIXTURE_CORPUS.parent / "formats"
    gwent = parse_file(formats / "gwent-2021-22.html").report
    assert gwent is not None
    assert gwent.url == "https://hmicfrs.justiceinspectorates.gov.uk/peel-reports/gwent-2021-22/"
    national = parse_file(formats / "state-of-policing-2022.html").report
    assert national is not None and national.url == ""  # the page names no address
