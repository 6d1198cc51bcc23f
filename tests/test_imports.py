"""The web app reads the index, never the parser: importing it must not load the indexer's
parsing stages."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_webapp_does_not_import_the_parser() -> None:
    code = (
        "import sys, webapp.app, webapp.cli, indexer.search.engine, webapp.views; "
        "bad = sorted(m for m in sys.modules if m.startswith('indexer.') and "
        "not m.startswith('indexer.search') and m not in ('indexer.model', "
        "'indexer.schema', 'indexer.store', 'indexer.forces', 'indexer.errors', "
        "'indexer.analysis', 'indexer.themes', 'indexer.questions')); "
        "print(','.join(bad))"
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == ""
