"""A small archive on which the heaviest query the budget allows is slow, for serving tests.

`build_heavy_index` takes a fixture pillar page and adds `SECTIONS` areas for improvement, each
holding every word of four synthetic families (`zqa000`…`zqd255`: 256 words each, the most
one wildcard may expand to, 1,024 together, the most a query's wildcards may expand to). So
`HEAVY_QUERY` (`zqa* OR zqb* OR zqc* OR zqd*`) is allowed by every limit, yet walks about a
million postings through Whoosh's own matchers: seconds of work, which the wall-clock budget
cuts short. Built by the real indexer in a few seconds.
"""

from __future__ import annotations

from pathlib import Path

from indexer.build import build
from tests.conftest import FIXTURE_CORPUS

SECTIONS = 200
FAMILIES = ("zqa", "zqb", "zqc", "zqd")
HEAVY_QUERY = " OR ".join(f"{f}*" for f in FAMILIES)
CHEAP_QUERY = "kaleidoscope"  # one rare word of the fixture report: a term look-up
_REPORT = "kent-peel-2017-effectiveness.txt"
_AFTER = "Areas for improvement\n"


def build_heavy_index(folder: Path) -> Path:
    corpus = folder / "corpus"
    corpus.mkdir(parents=True)
    words = " ".join(f"{f}{i:03d}" for f in FAMILIES for i in range(256))
    bullets = "".join(
        f"\n  • Kent Police should review item {n} of its plan: {words}.\n"
        for n in range(SECTIONS)
    )
    text = (FIXTURE_CORPUS / _REPORT).read_text("utf-8")
    assert _AFTER in text
    (corpus / _REPORT).write_text(text.replace(_AFTER, _AFTER + bullets, 1), "utf-8")
    index_dir = folder / "ix"
    result = build([corpus], index_dir)
    assert not result.failures, [(f.source, f.error) for f in result.failures]
    return index_dir
