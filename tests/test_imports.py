"""The web app reads the index, never the parser: importing it must not load the indexer's
parsing stages (formats, normalising, parse*, build)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

# Modules of `indexer` that the web app may load: the engine (`indexer.search.*`) and what
# reading an index needs. Anything else (a parser, a format reader, the build) is a failure.
READER_MODULES = (
    "indexer.model",
    "indexer.schema",
    "indexer.store",
    "indexer.forces",
    "indexer.errors",
    "indexer.analysis",
    "indexer.textclean",
    "indexer.verify",
    "indexer.whoosh_pin",
    "indexer.themes",
    "indexer.questions",
)


def test_webapp_does_not_import_the_parser() -> None:
    code = (
        "import sys, webapp.app, webapp.cli, indexer.search.engine, webapp.views; "
        "print(','.join(sorted(m for m in sys.modules if m.startswith('indexer.'))))"
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = done.stdout.strip().split(",")
    bad = [m for m in loaded if not m.startswith("indexer.search") and m not in READER_MODULES]
    assert bad == []
    assert "indexer.search.engine" in loaded  # the check saw the modules it is about
