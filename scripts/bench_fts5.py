"""The benchmark's baseline: SQLite FTS5 built and queried the way a SQLite expert would.

- Storage: a plain `sections` table (rowid = section number) holding the text, the stored
  fields and each facet as an integer code, and an external-content FTS5 table over its
  `heading` and `text` (`content='sections'`, `tokenize='porter unicode61'`), optimised after
  the load, with `rank` configured as `bm25(fts, 1.5, 1.0)` — the archive's field weights.
- Open: PRAGMA `mmap_size` 1 GiB, `cache_size` 256 MiB, `temp_store=memory`, `query_only`;
  the facet code columns are read once into NumPy arrays indexed by rowid, and the browse
  orders (newest and oldest first, the archive's order) and the whole archive's facet counts
  are precomputed.
- A query with words: ONE `MATCH` statement fetches the match set's rowids (as a single
  `group_concat` string parsed by NumPy: no Python object per row); every facet's counts are
  `bincount`s of the code arrays over the rowids, each facet filtered by the *other* facets'
  selections (disjunctive, like the site). The top 20 come from a second statement
  `... MATCH ? [AND filters on the code columns] ORDER BY bm25(fts, 1.5, 1.0) LIMIT 20`, or
  `ORDER BY rank LIMIT 20` — the benchmark times both in its warm-up pass and keeps the faster.
  (Fetching every match's bm25() score to rank in NumPy was several times slower: bm25() cannot
  run inside an aggregate, so each score is a Python object.)
  `snippet()` runs for those 20 rows only (`rowid IN (...)`), with their stored fields.
- Browsing: the precomputed order, masked by the filters when there are any, and the
  precomputed totals when there are none.
"""

from __future__ import annotations

import html
import sqlite3
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from bench_queries import PER_PAGE, STOP_WORDS, BenchQuery, Outcome, fts_terms
from whoosh.analysis.tokenizers import default_pattern

from indexer.analysis import stem_word
from indexer.model import Section
from indexer.schema import FACET_NAMES, TEXT_FIELDS

STORED = ("section_id", "report_id", "report_title", "heading", "text", "updated", "position")
WEIGHTS = ", ".join(str(TEXT_FIELDS[f]) for f in ("heading", "text"))  # "1.5, 1.0"
TOP_METHODS = ("bm25-limit", "rank-limit")
PRAGMAS = (
    "PRAGMA mmap_size = 1073741824",
    "PRAGMA cache_size = -262144",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA query_only = 1",
)


def _open_rows(s: Section) -> dict[str, object]:
    row: dict[str, object] = {name: getattr(s, name) or "" for name in STORED}
    if row["updated"] and not isinstance(row["updated"], str):
        row["updated"] = row["updated"].isoformat()  # type: ignore[attr-defined]
    return row


class Fts5Engine:
    """SQLite FTS5 over the same parsed sections (see the module docstring for the design)."""

    name = "fts5"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: sqlite3.Connection | None = None
        self.top_method = "bm25-limit"
        self.n = 0

    # -- build ---------------------------------------------------------------------------

    def build(self, sections: Sequence[Section]) -> None:
        db = sqlite3.connect(self.path)
        vocab = {name: sorted({getattr(s, name) or "" for s in sections}) for name in FACET_NAMES}
        index = {name: {v: i for i, v in enumerate(vs)} for name, vs in vocab.items()}
        code_cols = ", ".join(f"{n}_code INTEGER NOT NULL" for n in FACET_NAMES)
        db.executescript(
            f"""
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA page_size = 8192;
            CREATE TABLE sections (rowid INTEGER PRIMARY KEY, {", ".join(STORED)}, {code_cols});
            CREATE TABLE facet_values (facet TEXT, code INTEGER, value TEXT,
                                       PRIMARY KEY (facet, code)) WITHOUT ROWID;
            CREATE VIRTUAL TABLE fts USING fts5(
                heading, text, content = 'sections', content_rowid = 'rowid',
                tokenize = 'porter unicode61');
            """
        )
        cols = [*STORED, *(f"{n}_code" for n in FACET_NAMES)]
        marks = ", ".join("?" * (len(cols) + 1))
        with db:
            db.executemany(
                f"INSERT INTO sections (rowid, {', '.join(cols)}) VALUES ({marks})",
                (
                    (i, *_open_rows(s).values(),
                     *(index[n][getattr(s, n) or ""] for n in FACET_NAMES))
                    for i, s in enumerate(sections, start=1)
                ),
            )
            db.executemany(
                "INSERT INTO facet_values VALUES (?, ?, ?)",
                ((n, i, v) for n, vs in vocab.items() for i, v in enumerate(vs)),
            )
            db.execute("INSERT INTO fts (rowid, heading, text) "
                       "SELECT rowid, heading, text FROM sections")
            db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
            db.execute(f"INSERT INTO fts (fts, rank) VALUES ('rank', 'bm25({WEIGHTS})')")
        db.execute("CREATE INDEX sections_chron ON sections (updated, report_id, position)")
        for name in FACET_NAMES:
            db.execute(f"CREATE INDEX sections_{name} ON sections ({name}_code)")
        db.execute("ANALYZE")
        db.commit()
        db.close()

    # -- open ----------------------------------------------------------------------------

    def open(self) -> None:
        db = sqlite3.connect(self.path, check_same_thread=False)
        for pragma in PRAGMAS:
            db.execute(pragma)
        self.db = db
        self.n = db.execute("SELECT max(rowid) FROM sections").fetchone()[0] or 0
        size = self.n + 1  # arrays indexed by rowid; row 0 unused
        self.vocab: dict[str, list[str]] = {n: [] for n in FACET_NAMES}
        for facet, _code, value in db.execute(
            "SELECT facet, code, value FROM facet_values ORDER BY facet, code"
        ):
            self.vocab[facet].append(value)
        self.lookup = {n: {v: i for i, v in enumerate(vs)} for n, vs in self.vocab.items()}
        self.codes: dict[str, np.ndarray] = {}
        for name in FACET_NAMES:
            col = np.zeros(size, dtype=np.int32)
            raw = db.execute(f"SELECT group_concat({name}_code) FROM "
                             f"(SELECT {name}_code FROM sections ORDER BY rowid)").fetchone()[0]
            col[1:] = np.array(raw.split(","), dtype=np.int32)
            self.codes[name] = col
        self.order = {
            True: self._order("updated DESC, report_id DESC, position, rowid"),
            False: self._order("updated, report_id, position, rowid"),
        }
        self.live = np.zeros(size, dtype=bool)
        self.live[1:] = True
        self.all_facets = self._facets(self.order[True], {}, {})

    def _order(self, by: str) -> np.ndarray:
        assert self.db is not None
        raw = self.db.execute(
            f"SELECT group_concat(rowid) FROM (SELECT rowid FROM sections ORDER BY {by})"
        ).fetchone()[0]
        return _ints(raw)

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    # -- search --------------------------------------------------------------------------

    def _facets(self, rows: np.ndarray, masks: dict[str, np.ndarray],
                selected: dict[str, np.ndarray]) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for name in FACET_NAMES:
            keep: np.ndarray | None = None
            for other, mask in masks.items():
                if other != name:
                    keep = mask if keep is None else keep & mask
            picked = rows if keep is None else rows[keep]
            vocab = self.vocab[name]
            counts = np.bincount(self.codes[name][picked], minlength=len(vocab))
            out[name] = {vocab[i]: int(c) for i in np.flatnonzero(counts).tolist()
                         if vocab[i] and (c := counts[i])}
        return out

    def _selection(self, bq: BenchQuery) -> dict[str, np.ndarray]:
        return {
            name: np.array(sorted(self.lookup[name][v] for v in values if v in self.lookup[name]),
                           dtype=np.int32)
            for name, values in bq.filters.items()
        }

    def search(self, bq: BenchQuery) -> Outcome:
        db = self.db
        assert db is not None
        selected = self._selection(bq)
        if not bq.fts:
            return self._browse(bq, selected)
        raw = db.execute("SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?",
                         (bq.fts,)).fetchone()[0]
        rowids = _ints(raw)
        masks, keep = self._masks(rowids, selected)
        total = int(keep.sum())
        facets = self._facets(rowids, masks, selected)
        if total == 0:
            top: list[int] = []
        else:
            where, params = self._where(selected)
            order = "rank" if self.top_method == "rank-limit" else f"bm25(fts, {WEIGHTS})"
            join = "JOIN sections s ON s.rowid = fts.rowid" if where else ""
            top = [r for (r,) in db.execute(
                f"SELECT fts.rowid FROM fts {join} WHERE fts MATCH ? {where} "
                f"ORDER BY {order} LIMIT {PER_PAGE}", [bq.fts, *params])]
        snippets = 0
        if top:
            marks = ",".join("?" * len(top))
            got = db.execute(
                f"SELECT s.section_id, s.report_id, s.report_title, s.heading, s.updated, "
                f"s.position, snippet(fts, 1, char(1), char(2), ' … ', 40) "
                f"FROM fts JOIN sections s ON s.rowid = fts.rowid "
                f"WHERE fts MATCH ? AND fts.rowid IN ({marks})", [bq.fts, *top]).fetchall()
            snippets = sum(len(_html(r[-1])) for r in got)
        return Outcome(total, len(top), facets, snippets)

    def _masks(self, rows: np.ndarray, selected: dict[str, np.ndarray]
               ) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Per selected facet, which rows hold a selected value; and the rows holding all."""
        masks = {name: np.isin(self.codes[name][rows], codes) for name, codes in selected.items()}
        keep = np.ones(len(rows), dtype=bool)
        for mask in masks.values():
            keep &= mask
        return masks, keep

    def _where(self, selected: dict[str, np.ndarray]) -> tuple[str, list[int]]:
        parts, params = [], []
        for name, codes in selected.items():
            parts.append(f"AND s.{name}_code IN ({','.join('?' * len(codes)) or 'NULL'})")
            params.extend(codes.tolist())
        return " ".join(parts), params

    def _browse(self, bq: BenchQuery, selected: dict[str, np.ndarray]) -> Outcome:
        assert self.db is not None
        order = self.order[bq.newest]
        if not selected:
            total, facets, page = self.n, self.all_facets, order[:PER_PAGE]
        else:
            masks, keep = self._masks(order, selected)
            total = int(keep.sum())
            facets = self._facets(order, masks, selected)
            page = order[np.flatnonzero(keep)[:PER_PAGE]]
        ids = page.tolist()
        snippets = 0
        if ids:
            marks = ",".join("?" * len(ids))
            got = self.db.execute(
                "SELECT rowid, section_id, report_id, report_title, heading, updated, position, "
                f"substr(text, 1, 320) FROM sections WHERE rowid IN ({marks})", ids).fetchall()
            snippets = sum(len(html.escape(r[-1], quote=False)) for r in got)
        return Outcome(total, len(ids), facets, snippets)

    # -- explaining a phrase's total -------------------------------------------------------

    def phrase_total_as_archive(self, bq: BenchQuery) -> int:
        """Sections holding the phrase under the archive's analysis — stop words and one-letter
        words dropped from text and query, positions renumbered — found among FTS5's sections
        holding every word. Equal to the archive's total when that is the only difference."""
        assert self.db is not None
        words = _analysed(bq.q.strip('"'))
        if not words:
            return 0
        surface = [w for w in bq.q.strip('"').replace("-", " ").split()
                   if w.lower() not in STOP_WORDS]
        found = 0
        for heading, text in self.db.execute(
            "SELECT s.heading, s.text FROM fts JOIN sections s ON s.rowid = fts.rowid "
            "WHERE fts MATCH ?", (fts_terms(*surface),)
        ):
            found += any(_holds(_analysed(field), words) for field in (heading, text))
        return found

    # -- choosing the top-20 method --------------------------------------------------------

    def choose_top_method(self, queries: Sequence[BenchQuery], rounds: int = 2
                          ) -> dict[str, float]:
        """Time each top-20 method over the word queries; keep the fastest (median ms)."""
        word_queries = [q for q in queries if q.fts]
        medians: dict[str, float] = {}
        for method in TOP_METHODS:
            self.top_method = method
            times = []
            for _ in range(rounds):
                for bq in word_queries:
                    times.append(_ms(lambda bq=bq: self.search(bq)))
            medians[method] = statistics.median(times) if times else 0.0
        self.top_method = min(medians, key=lambda m: medians[m])
        return medians


def _ms(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def _ints(raw: str | None) -> np.ndarray:
    if not raw:
        return np.zeros(0, dtype=np.int64)
    return np.array(raw.split(","), dtype=np.int64)


def _analysed(text: str) -> list[str]:
    """The archive's tokens (Whoosh's default tokenizer pattern, lower case, stop words and
    words under 2 letters dropped, Porter stem)."""
    return [stem_word(m.group().lower()) for m in default_pattern.finditer(text)
            if len(m.group()) >= 2 and m.group().lower() not in STOP_WORDS]


def _holds(tokens: list[str], phrase: list[str]) -> bool:
    k = len(phrase)
    return any(tokens[i:i + k] == phrase for i in range(len(tokens) - k + 1))


def _html(snippet: str) -> str:
    return (html.escape(snippet, quote=False)
            .replace("\x01", "<mark>").replace("\x02", "</mark>"))
