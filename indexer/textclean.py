"""The one rule for the characters of a line of text, shared by what is indexed and what is
searched for.

Report text is cleaned with `clean_line` before it is indexed (`indexer.normalise`), and a
query is cleaned with the same function before it is parsed (`indexer.search.request`), so a
zero-width space, soft hyphen or byte-order mark pasted inside a word matches the word as it
was indexed instead of silently matching nothing.
"""

from __future__ import annotations

import re
import unicodedata

# Spaces that are not ASCII spaces but should read as one.
ODD_SPACES = ("\u00a0", "\u2009", "\u202f")
_SPACES = re.compile(r"[ \t]+")


def clean_line(line: str) -> str:
    """NFC, no control or format characters (zero-width spaces and joiners, word joiner, BOM,
    soft hyphen...), non-breaking and odd spaces folded, runs of spaces cut."""
    line = unicodedata.normalize("NFC", line)
    for space in ODD_SPACES:
        line = line.replace(space, " ")
    if not line.isprintable():  # only then can it hold a control or format character
        line = "".join(ch for ch in line if ch == "\t" or unicodedata.category(ch)[0] != "C")
    return _SPACES.sub(" ", line).strip()
