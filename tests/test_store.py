"""The index on disk, read directly: the schema field by field, opening a build and each way it
is refused, the manifest, incremental builds' copies, and build writers that outlive their build.

The schema table below is written by hand from the index format's documentation (the fields a
build stores, indexes and sorts by, and their boosts); it is the oracle for `whoosh_schema`, so
a field lost, renamed or no longer sortable, stored or unique fails here even where no search
happens to notice.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from whoosh import fields
from whoosh import index as whoosh_index

from indexer import store
from indexer.build import build
from indexer.model import Section
from indexer.schema import MANIFEST_NAME
from indexer.store import (
    CURRENT,
    INDEX_NAME,
    SMALL_SEGMENT,
    EmptyBuild,
    IndexUnavailable,
    build_lock,
    current_build,
    from_stored,
    is_whole,
    open_index,
    read_manifest,
    to_document,
    whoosh_schema,
    write_build,
)
from indexer.verify import BuildDamaged, verify
from tests.conftest import FIXTURE_CORPUS, ROOT, SEED

# name: (field type, stored, unique, sortable, boost, positions, analyzer)
SCHEMA = {
    "section_id": ("ID", True, True, False, 1.0, False, "IDTokenizer"),
    "report_id": ("ID", True, False, True, 1.0, False, "IDTokenizer"),
    "updated": ("ID", True, False, True, 1.0, False, "IDTokenizer"),
    "year": ("NUMERIC", True, False, True, 1.0, False, "IDTokenizer"),
    "position": ("NUMERIC", True, False, True, 1.0, False, "IDTokenizer"),
    "heading": ("TEXT", True, None, False, 1.5, True, "FastStemmingAnalyzer"),
    "text": ("TEXT", True, None, False, 1.0, True, "FastStemmingAnalyzer"),
    "words": ("TEXT", False, None, False, 1.0, False, "FastWordAnalyzer"),
    "force": ("ID", True, False, True, 1.0, False, "IDTokenizer"),
    "cycle": ("ID", True, False, True, 1.0, False, "IDTokenizer"),
    "pillar": ("ID", True, False, True, 1.0, False, "IDTokenizer"),
    "question": ("ID", True, False, True, 1.0, False, "IDTokenizer"),
    "theme": ("ID", True, False, True, 1.0, False, "IDTokenizer"),
    "grade": ("ID", True, False, True, 1.0, False, "IDTokenizer"),
    "kind": ("ID", True, False, True, 1.0, False, "IDTokenizer"),
    "region": ("ID", True, False, True, 1.0, False, "IDTokenizer"),
    "report_type": ("ID", True, False, True, 1.0, False, "IDTokenizer"),
    **{
        name: ("STORED", True, None, False, None, None, "NoneType")
        for name in ("anchor", "force_short", "force_slug", "grade_note", "grade_source",
                     "question_number", "report_title", "source", "url")
    },
}  # fmt: skip


def _describe(field: fields.FieldType) -> tuple[object, ...]:
    fmt = field.format
    return (
        type(field).__name__,
        field.stored,
        getattr(field, "unique", None),
        field.column_type is not None,
        getattr(fmt, "field_boost", None),
        fmt.supports("positions") if fmt is not None else None,
        type(getattr(field, "analyzer", None)).__name__,
    )


def test_the_schema_is_the_documented_index_format() -> None:
    schema = whoosh_schema()
    assert sorted(schema.names()) == sorted(SCHEMA)
    for name, expected in SCHEMA.items():
        assert _describe(schema[name]) == expected, name
    for name in ("year", "position"):
        assert schema[name].numtype is int, name  # whole numbers, sorted as numbers


def test_a_section_survives_the_round_trip_through_a_stored_document() -> None:
    import datetime as dt

    section = Section(
        report_id="r", section_id="r:q1", anchor="q1", report_title="Title", report_type="peel",
        force="Kent Police", force_short="Kent", force_slug="kent", region="South East",
        cycle="2016", year=2016, pillar="Efficiency", question_number=None, question="Q?",
        grade="Good", grade_note="note", grade_source="line", kind="question", heading="Q1",
        text="Some text.", position=3, source="kent.txt", updated=dt.date(2016, 11, 3),
        url="https://example.org/r",
    )  # fmt: skip
    doc = to_document(section)
    assert doc["updated"] == "2016-11-03"
    assert doc["question_number"] == 0  # no number is stored as 0, read back as None
    assert doc["words"] == "Q1\nSome text."
    stored = {k: v for k, v in doc.items() if whoosh_schema()[k].stored}
    assert from_stored(stored) == section


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ix = tmp_path_factory.mktemp("store") / "ix"
    result = build([SEED], ix)
    assert not result.failures
    return ix


def _copy(index_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the index directory (its current build as a real folder) and that build."""
    copy = tmp_path / "ix"
    shutil.copytree(index_dir, copy, symlinks=True)
    build_dir = current_build(copy)
    assert build_dir is not None and build_dir.is_relative_to(copy)
    return copy, build_dir


def test_opening_gives_the_build_in_service_with_its_manifest(index_dir: Path) -> None:
    opened = open_index(index_dir, "HINT")
    try:
        assert opened.path == current_build(index_dir)
        assert opened.path is not None and opened.path.name == opened.manifest["build_id"]
        assert opened.manifest == json.loads((opened.path / MANIFEST_NAME).read_text("utf-8"))
        assert opened.whoosh.doc_count() == opened.manifest["sections"] > 0
    finally:
        opened.whoosh.close()


def test_a_manifest_that_is_not_an_object_is_refused_with_a_sentence(
    index_dir: Path, tmp_path: Path
) -> None:
    copy, build_dir = _copy(index_dir, tmp_path)
    (build_dir / MANIFEST_NAME).write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        read_manifest(build_dir)
    assert str(caught.value) == "the manifest is not a JSON object"
    with pytest.raises(IndexUnavailable, match=r"damaged \(no readable manifest\) — build it"):
        open_index(copy, "HINT")


def test_a_manifest_is_read_as_utf8_whatever_the_locale(index_dir: Path, tmp_path: Path) -> None:
    _, build_dir = _copy(index_dir, tmp_path)
    manifest = read_manifest(build_dir)
    manifest["note"] = "Avon and Somerset — “2016” café"
    (build_dir / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    # A process whose locale encoding is ASCII (UTF-8 mode off) still reads it as written.
    code = (
        "import json, sys; from pathlib import Path; from indexer.store import read_manifest;"
        "print(json.dumps(read_manifest(Path(sys.argv[1]))['note']))"
    )
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    out = subprocess.run(
        [sys.executable, "-X", "utf8=0", "-c", code, str(build_dir)], cwd=ROOT, env=env,
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(out.stdout) == "Avon and Somerset — “2016” café"


def test_an_index_with_no_sections_is_refused_as_empty(index_dir: Path, tmp_path: Path) -> None:
    copy, build_dir = _copy(index_dir, tmp_path)
    manifest = read_manifest(build_dir)
    manifest["sections"] = 0  # the manifest says empty, though the segments are not
    (build_dir / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexUnavailable) as caught:
        open_index(copy, "HINT")
    assert str(caught.value) == f"index at {copy} is empty — build it with: HINT"
    del manifest["sections"]  # no count at all is empty too
    (build_dir / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexUnavailable, match="is empty"):
        open_index(copy, "HINT")


def test_a_build_with_no_documents_is_refused_whatever_its_manifest_says(
    index_dir: Path, tmp_path: Path
) -> None:
    copy, build_dir = _copy(index_dir, tmp_path)
    manifest = read_manifest(build_dir)
    assert manifest["sections"] > 0
    for item in build_dir.iterdir():
        if item.name != MANIFEST_NAME:
            item.unlink()
    whoosh_index.create_in(str(build_dir), whoosh_schema(), indexname=INDEX_NAME).close()
    assert is_whole(build_dir)  # a well-formed index, only an empty one
    with pytest.raises(IndexUnavailable) as caught:
        open_index(copy, "HINT")
    assert str(caught.value) == f"index at {copy} is empty — build it with: HINT"


def test_an_unopenable_build_is_refused_with_whoosh_s_reason(
    index_dir: Path, tmp_path: Path
) -> None:
    copy, build_dir = _copy(index_dir, tmp_path)
    for toc in build_dir.glob(f"_{INDEX_NAME}_*.toc"):
        toc.unlink()
    with pytest.raises(IndexUnavailable) as caught:
        open_index(copy, "HINT")
    message = str(caught.value)
    assert message.startswith(f"index at {copy} cannot be opened (")
    assert message.endswith(") — rebuild it with: HINT")
    assert "None" not in message and len(message) > len(f"index at {copy} cannot be opened () —")
    assert not is_whole(build_dir)


def test_a_damaged_build_names_itself_and_its_reason_in_one_short_line(
    index_dir: Path, tmp_path: Path
) -> None:
    copy, build_dir = _copy(index_dir, tmp_path)
    (pst,) = [p for p in build_dir.iterdir() if p.suffix == ".pst"]
    size = pst.stat().st_size
    with open(pst, "r+b") as fh:  # zeros over the middle of the postings
        fh.seek(size // 4)
        fh.write(bytes(size // 2))
    assert not is_whole(build_dir)
    ix = whoosh_index.open_dir(str(build_dir), indexname=INDEX_NAME)
    try:
        with pytest.raises(BuildDamaged) as found:
            verify(build_dir, ix)
    finally:
        ix.close()
    with pytest.raises(IndexUnavailable) as caught:
        open_index(copy, "HINT")
    message = str(caught.value)
    prefix = f"index at {copy} is damaged (build {build_dir.name}: "
    assert message.startswith(prefix) and message.endswith(") — rebuild it with: HINT")
    reason = message[len(prefix) : -len(") — rebuild it with: HINT")]
    # verify's own reason, its words on one line, at most 300 characters
    assert reason.split() == str(found.value).split()[: len(reason.split())]
    assert reason and "\n" not in reason and "  " not in reason and len(reason) <= 300


def test_a_whole_build_reads_back_whole(index_dir: Path) -> None:
    build_dir = current_build(index_dir)
    assert build_dir is not None and is_whole(build_dir)
    assert os.path.islink(index_dir / CURRENT)


def test_an_incremental_build_links_the_old_segments_but_never_its_lock_or_manifest(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    ix = tmp_path / "ix"
    assert not build([corpus], ix).failures
    old = current_build(ix)
    assert old is not None
    old_lock = old / f"{INDEX_NAME}_WRITELOCK"  # Whoosh leaves its lock file after a commit
    assert old_lock.exists()
    first = sorted(corpus.glob("*.txt"))[0]
    first.write_bytes(first.read_bytes() + b"\n\nA paragraph added later.\n")
    result = build([corpus], ix)
    assert not result.failures
    new = current_build(ix)
    assert new is not None and new != old
    new_lock = new / f"{INDEX_NAME}_WRITELOCK"  # the new build's writer made its own
    assert not new_lock.exists() or new_lock.stat().st_ino != old_lock.stat().st_ino
    assert read_manifest(new)["build_id"] == new.name  # its own manifest, not a link to the old
    assert (new / MANIFEST_NAME).stat().st_ino != (old / MANIFEST_NAME).stat().st_ino
    linked = [p for p in new.iterdir()
              if (old / p.name).exists() and p.stat().st_ino == (old / p.name).stat().st_ino]
    assert linked, "the unchanged segments are hard links to the old build's files"


ORPHAN = textwrap.dedent(
    """
    import multiprocessing, os, sys, time
    from pathlib import Path
    from indexer.store import build_lock

    def work(_):
        time.sleep(600)  # a writer still busy when its build is killed

    if __name__ == "__main__":
        with build_lock(Path(sys.argv[1])):
            ctx = multiprocessing.get_context("fork")
            # A writer that finishes its work exits at once, its build still running (the
            # watch on its parent must never keep it alive).
            done = ctx.Process(target=len, args=((),))
            done.start()
            done.join(30)  # hang guard
            print(done.exitcode, flush=True)
            procs = [ctx.Process(target=work, args=(0,)) for _ in range(2)]
            for p in procs:
                p.start()
            print(" ".join(str(p.pid) for p in procs), flush=True)
            time.sleep(600)
    """
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its new parent) is gone for our purpose.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _kill(pid: int, group: bool = False) -> None:
    with contextlib.suppress(ProcessLookupError):
        (os.killpg if group else os.kill)(pid, signal.SIGKILL)


def test_writers_exit_when_the_build_that_forked_them_is_killed(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", ORPHAN, str(tmp_path / "ix")], cwd=ROOT, stdout=subprocess.PIPE,
        text=True, start_new_session=True,
    )  # fmt: skip
    with proc, contextlib.ExitStack() as cleanup:
        cleanup.callback(_kill, proc.pid, group=True)  # never leave a process behind
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "0"  # exited, and cleanly
        pids = [int(p) for p in proc.stdout.readline().split()]
        for pid in pids:
            cleanup.callback(_kill, pid)
        time.sleep(1.5)  # while their build lives, writers keep working
        assert len(pids) == 2 and all(_alive(p) for p in pids)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        hang_guard = time.monotonic() + 30  # they check for their parent twice a second
        while any(_alive(p) for p in pids) and time.monotonic() < hang_guard:
            time.sleep(0.1)
        assert not any(_alive(p) for p in pids), "a writer outlived its build"
        with build_lock(tmp_path / "ix"):  # the lock went with the build: it is free at once
            pass


def _sections(n: int, report: str = "r") -> list[Section]:
    return [
        Section(
            report_id=report, section_id=f"{report}:s{i}", anchor=f"s{i}", report_title="T",
            report_type="peel", force="Kent Police", force_short="Kent", force_slug="kent",
            region="South East", cycle="2016", year=2016, pillar="Efficiency",
            question_number=None, question="", grade="", grade_note="", kind="summary",
            heading=f"Heading {i}", text=f"Paragraph number {i} about demand.", position=i,
            source="made.txt", updated=None,
        )
        for i in range(n)
    ]


def _stored_sections(build_dir: Path) -> list[Section]:
    ix = whoosh_index.open_dir(str(build_dir), indexname=INDEX_NAME)
    try:
        with ix.searcher() as searcher:
            return sorted((from_stored(dict(f)) for f in searcher.all_stored_fields()),
                          key=lambda s: s.position)
    finally:
        ix.close()


def test_a_section_without_date_or_number_round_trips(tmp_path: Path) -> None:
    made = _sections(3)
    doc = to_document(made[0])
    assert doc["updated"] == "" and doc["question_number"] == 0
    write_build(tmp_path / "ix", made, {"note": "by hand"})
    build_dir = current_build(tmp_path / "ix")
    assert build_dir is not None
    assert _stored_sections(build_dir) == made


@pytest.mark.parametrize("count", [8, 13])
def test_a_parallel_build_in_chunks_holds_every_section_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    # Chunks of 7 (the setting, made small) so that 8 and 13 sections take two rounds of
    # writers, the last one short.
    monkeypatch.setattr(store, "CHUNK_SECTIONS", 7)
    made = _sections(count)
    write_build(tmp_path / "ix", iter(made), {}, procs=2)
    build_dir = current_build(tmp_path / "ix")
    assert build_dir is not None
    assert _stored_sections(build_dir) == made
    assert read_manifest(build_dir)["sections"] == count


@pytest.mark.parametrize("procs", [1, 2])
def test_nothing_to_index_is_refused_and_leaves_no_trace(tmp_path: Path, procs: int) -> None:
    ix = tmp_path / "ix"
    with pytest.raises(EmptyBuild) as caught:
        write_build(ix, iter([]), {}, procs=procs)
    assert str(caught.value) == "no sections to index"
    assert current_build(ix) is None and list((ix / "builds").iterdir()) == []


def test_the_manifest_is_stamped_sorted_and_indented(tmp_path: Path) -> None:
    import datetime as dt

    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    write_build(tmp_path / "ix", _sections(2), lambda: {"files": ["made.txt"]})
    after = dt.datetime.now(dt.UTC)
    build_dir = current_build(tmp_path / "ix")
    assert build_dir is not None
    text = (build_dir / MANIFEST_NAME).read_text("utf-8")
    manifest = json.loads(text)
    assert text == json.dumps(manifest, indent=2, sort_keys=True)  # for people to read
    assert set(manifest) == {"files", "schema_version", "build_id", "built_at", "sections"}
    assert manifest["files"] == ["made.txt"] and manifest["sections"] == 2
    assert manifest["build_id"] == build_dir.name
    stamp, _, suffix = manifest["build_id"].partition("-")
    assert len(suffix) == 8 and all(c in "0123456789abcdef" for c in suffix)
    built_at = dt.datetime.fromisoformat(manifest["built_at"])
    assert built_at.utcoffset() == dt.timedelta(0) and before <= built_at <= after
    named = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%S%f").replace(tzinfo=dt.UTC)
    assert before <= named <= after  # build ids sort in the order builds were made


def test_current_is_a_link_relative_to_its_folder_so_the_index_can_move(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = tmp_path.joinpath(*"abcdefghijkl")
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)  # a working folder deeper than the index's
    write_build(tmp_path / "ix", _sections(2), {})
    build_dir = current_build(tmp_path / "ix")
    assert build_dir is not None
    assert os.readlink(tmp_path / "ix" / CURRENT) == f"builds/{build_dir.name}"
    moved = tmp_path / "elsewhere" / "ix"
    moved.parent.mkdir()
    (tmp_path / "ix").rename(moved)
    opened = open_index(moved, "HINT")
    try:
        assert opened.path == moved / "builds" / build_dir.name
    finally:
        opened.whoosh.close()


def test_a_relative_index_folder_follows_the_working_folder(
    index_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for place in (one, two):  # the same index (same build names) in two places
        shutil.copytree(index_dir, place / "ix", symlinks=True)
    monkeypatch.chdir(one)
    assert current_build(Path("ix")) == current_build(one / "ix")
    monkeypatch.chdir(two)
    found = current_build(Path("ix"))
    assert found is not None and found.is_relative_to(two) and found.is_absolute()


def _segment_sizes(ix_dir: Path) -> list[int]:
    ix = whoosh_index.open_dir(str(ix_dir), indexname=INDEX_NAME)
    try:
        return sorted(seg.doc_count_all() for seg in ix._segments())
    finally:
        ix.close()


def test_only_segments_under_the_small_size_are_merged(tmp_path: Path) -> None:
    ix_dir = tmp_path / "segments"
    ix_dir.mkdir()
    ix = whoosh_index.create_in(str(ix_dir), whoosh_schema(), indexname=INDEX_NAME)
    for n, report in ((SMALL_SEGMENT, "big"), (SMALL_SEGMENT - 1, "under"), (2, "tiny")):
        writer = ix.writer()
        for section in _sections(n, report):
            writer.add_document(**to_document(section))
        writer.commit(merge=False)
    ix.close()
    assert _segment_sizes(ix_dir) == [2, SMALL_SEGMENT - 1, SMALL_SEGMENT]
    ix = whoosh_index.open_dir(str(ix_dir), indexname=INDEX_NAME)
    store._add_all(ix.writer(), _sections(1, "new"))  # as an incremental build adds
    ix.close()
    # The two small ones folded into the new segment; the one of SMALL_SEGMENT left as it was.
    assert _segment_sizes(ix_dir) == [SMALL_SEGMENT, SMALL_SEGMENT - 1 + 2 + 1]
