"""The hostile fixture report, indexed under a hostile file name, for the injection tests.

`tests/fixtures/hostile/` holds a pillar page whose prose, question lines and area for
improvement carry HTML, script, `javascript:` links and template syntax, and a sidecar whose
title and URL do too. `build_hostile_index` copies it under a file name that is itself markup
(the API gives the file name as `source`) and builds it, with the seed report, by the real
indexer. Every payload, if it ever ran, would set `window.__pwned`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from indexer.build import build
from tests.conftest import FIXTURES, SEED

HOSTILE = FIXTURES / "hostile"
REPORT = "cleveland-peel-2016-legitimacy.txt"
REPORT_ID = "cleveland-2016-legitimacy"
MARKER = "xylozebra"  # a word only the hostile report holds
# A file name that is markup; no "/" (not allowed in a name) and no "." before the suffix.
HOSTILE_NAME = "cleveland-peel-2016-legitimacy-\"><img src=x onerror=window.__pwned='file'>.txt"
TEMPLATE = "{{7*7}}"
HOSTILE_QUESTION = (
    'How well does the force treat <script>window.__pwned="question-script"</script> '
    "people {{7*7}} fairly?"
)
HOSTILE_QUERIES = (
    '<script>window.__pwned="q"</script>',
    "\"><img src=x onerror=window.__pwned='q-img'>",
    "xylozebra <b>bold</b>",
    "javascript:window.__pwned='q-js'",
    "{{7*7}}",
    "xylozebra {{7*7}}",
    "\"><svg onload=window.__pwned='q-svg'> xylozebra",
)


def build_hostile_index(workdir: Path) -> Path:
    """The seed report and the hostile one (under its hostile name), indexed in `workdir`."""
    source = workdir / "reports"
    source.mkdir()
    try:
        shutil.copy(HOSTILE / REPORT, source / HOSTILE_NAME)
        shutil.copy(HOSTILE / f"{REPORT}.meta.json", source / f"{HOSTILE_NAME}.meta.json")
    except OSError:  # a file system that refuses the name: the text still carries the payloads
        shutil.copy(HOSTILE / REPORT, source / REPORT)
        shutil.copy(HOSTILE / f"{REPORT}.meta.json", source / f"{REPORT}.meta.json")
    index_dir = workdir / "ix"
    result = build([SEED, source], index_dir)
    assert not result.failures, [(f.source, f.error) for f in result.failures]
    return index_dir
