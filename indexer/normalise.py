"""Stage 2 of the pipeline: raw bytes to clean text blocks, with site chrome removed.

Decodes (UTF-8 with or without BOM, UTF-16 with its BOM, else cp1252 with a warning), folds
whitespace and bullet glyphs, and drops the inspectorate site's chrome and banners (reference
§6f) so that none of it becomes searchable. The result is a list of `Block`s that the
structure parser reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from indexer.errors import ReportError
from indexer.textclean import clean_line

CELL_SEP = " | "
BULLET_RE = re.compile(r"^\s*(?:[•●▪◦‣·∙*]|-(?=\s)|–(?=\s))\s*")


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of text, the same whatever the file format.

    Kinds: "line" (a line of plain text, heading or not), "heading" (with its `level`, 1 = top),
    "para" (a paragraph), "item" (a list item) and "row" (a table row: its cells joined by
    `CELL_SEP`, empty cells kept so that columns line up). Parsers that do not care about the
    difference treat "heading", "para" and "row" like "line".
    """

    kind: str
    text: str
    line: int
    level: int = 0

    @property
    def cells(self) -> list[str]:
        """The cells of a table row (the whole text as one cell for other kinds)."""
        return [c.strip() for c in self.text.split(CELL_SEP)] if self.kind == "row" else [self.text]


@dataclass(slots=True)
class Normalised:
    """A file's blocks, how it was decoded, and what the file itself says about it.

    `meta` holds what the format carries besides the text: an HTML page's `title` and canonical
    `url`, a PDF's document `title`. Metadata inference reads it.
    """

    blocks: list[Block]
    encoding: str
    warnings: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    # Telling chrome that was dropped (`MARKER_LINES`): where it stood among `blocks`.
    markers: dict[str, list[int]] = field(default_factory=dict)


UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}


def utf16(data: bytes) -> str | None:
    """The text of UTF-16 data that starts with its byte-order mark (None for other data).

    UTF-16 is full of NUL bytes, so it is recognised by its mark before the binary check.
    """
    encoding = UTF16_BOMS.get(data[:2])
    if encoding is None:
        return None
    try:
        text = data[2:].decode(encoding)
    except UnicodeDecodeError as exc:
        raise ReportError(f"not valid {encoding.upper()} despite its byte-order mark "
                          f"(byte {exc.start + 2})") from exc
    if "\x00" in text:
        raise ReportError("binary data (NUL characters), not a text report")
    return text


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """Text, the encoding used, and any warnings. Refuses empty and binary files."""
    text16 = utf16(data)
    if text16 is not None:
        if not text16.strip():
            raise ReportError("empty file")
        return text16, UTF16_BOMS[data[:2]], []
    if not data.strip():
        raise ReportError("empty file")
    if b"\x00" in data:
        raise ReportError("binary data (NUL bytes), not a text report")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig", []
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as exc:
        text = data.decode("cp1252", errors="replace")
        if text.count("\ufffd") > max(8, len(text) // 100):
            raise ReportError("not text in UTF-8 or cp1252 (undecodable bytes)") from exc
        return text, "cp1252", [f"not valid UTF-8 (byte {exc.start}); decoded as cp1252"]


def _fold(line: str) -> str:
    return re.sub(r"\s+", " ", line.replace("’", "'")).strip().lower()


# Whole lines that are site chrome wherever they occur.
CHROME_LINES = frozenset(
    _fold(s)
    for s in (
        "Skip to content",
        "English",
        "Cymraeg",
        "English Cymraeg",
        "Cymraeg English",
        "Promoting improvements in policing and fire & rescue services to make everyone safer",
        # The same tagline split over three lines (reference §6i).
        "Promoting improvements",
        "in policing and fire & rescue",
        "services to make everyone safer",
        "Os hoffech chi ddarllen hwn trwy'r Gymraeg (PDF document)",
        "Contact HMICFRS",
        "View the five questions for effectiveness",
        "Get the report",
        "Get the free PDF Reader from Adobe (external link)",
        "Print this document",
        "Back to Glossary",
        "See last year's assessment of the force's effectiveness.",
        "Download the full report",
        "Loading graph...",
        # The grades table page's controls (reference §6d).
        "An accessible grades table is also available",
        "Group by region",
        "Off On",
        "Accessible Table",
    )
)
CHROME_PATTERNS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^Contact [A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,4}(?: \(e-mail address\))?$",
        r"^Detailed findings for question \d+$",
        r"^PEEL assessments are updated throughout the year",
        r"^HMICFRS is consulting on our proposed policing and fire & rescue services",
        r"^HMIC(?:FRS)? is consulting on (?:its|our) proposed inspection programme",
        r"^(?:Please )?give us your views (?:on (?:these|this|the) \w+ )?by\b",
        r"^Proposed (?:policing|fire and rescue services|fire & rescue services) inspection "
        r"programme and framework .*For consultation$",
        r"^We would like your views on whether this programme covers",
    )
)
# Banner titles; the paragraph right after one is the banner's message and goes too.
BANNER_TITLES = frozenset(_fold(s) for s in ("Planned website downtime",))
# Boilerplate wrongly repeated at the top of 2016 leadership pages (reference §6f).
REPEATED_BOILERPLATE = (
    "other inspections",
    "how well has the force performed in our other inspections?",
)
BOILERPLATE_SENTENCE = re.compile(r"^In addition to the three core PEEL pillars", re.IGNORECASE)


# "Read more about {Short name}" link text, sometimes glued to the paragraph after it (no space:
# "Read more about KentThis is HMICFRS's fifth PEEL …"). The link goes, the paragraph stays.
READ_MORE = re.compile(r"^Read more about\b")
_GLUED = re.compile(r"^Read more about .*?[a-z0-9)](?=[A-Z][a-z'’]*\b.{20,})")
# Dropped chrome that tells what kind of page this is (a press release ends "Get the report").
MARKER_LINES = frozenset({"get the report"})


def unglue_link(line: str) -> str | None:
    """The paragraph glued after a "Read more about …" link; "" for the link alone; None for
    a line that is not such a link."""
    if not READ_MORE.match(line):
        return None
    m = _GLUED.match(line)
    return line[m.end() :].strip() if m else ""


def is_chrome(line: str, folded: str = "") -> bool:
    folded = folded or _fold(line)
    return folded in CHROME_LINES or any(p.search(line.strip()) for p in CHROME_PATTERNS)


def to_blocks(text: str, markers: dict[str, list[int]] | None = None) -> list[Block]:
    """Lines of plain text to blocks, chrome dropped, bullets marked as items."""
    raw: list[Block] = []
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(raw_lines, start=1):
        bullet = BULLET_RE.match(line)
        cleaned = clean_line(line[bullet.end() :] if bullet else line)
        if cleaned:
            raw.append(Block("item" if bullet else "line", cleaned, number))
    return strip_chrome(raw, markers)


def strip_chrome(
    blocks: Iterable[Block], markers: dict[str, list[int]] | None = None
) -> list[Block]:
    """Drop site chrome, banners (with their message) and repeated boilerplate from blocks.

    Every format's reader ends here, so the same chrome is stripped from text, HTML and PDF.
    Where a `MARKER_LINES` line stood is recorded in `markers` (its index among the kept blocks).
    """
    kept: list[Block] = []
    drop_next_paragraph = False
    for block in blocks:
        line = block.text
        if drop_next_paragraph:
            drop_next_paragraph = False
            continue
        folded = _fold(line)
        if folded in BANNER_TITLES:
            drop_next_paragraph = True
            continue
        glued = unglue_link(line)
        if glued:
            kept.append(Block(block.kind, glued, block.line, block.level))
            continue
        if glued == "" or is_chrome(line, folded):
            if markers is not None and folded in MARKER_LINES:
                markers.setdefault(folded, []).append(len(kept))
            continue
        if folded in REPEATED_BOILERPLATE or BOILERPLATE_SENTENCE.match(line):
            continue
        kept.append(block)
    return kept


def normalise(data: bytes) -> Normalised:
    text, encoding, warnings = decode(data)
    markers: dict[str, list[int]] = {}
    return Normalised(to_blocks(text, markers), encoding, warnings, markers=markers)
