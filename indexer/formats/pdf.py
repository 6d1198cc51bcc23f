"""PDF reports with a text layer to blocks.

Text comes from pdfminer.six, which gives each line of text with its position, font and size
(see docs/formats.md for why). From that layout the reader rebuilds the structure the PDF
lost: lines larger than the body text (or bold and short) are headings, levelled by size;
lines starting with a bullet glyph are list items; lines that share a baseline but stand apart
are the cells of a table row; the rest join into paragraphs. Page numbers and running headers
or footers (the same line on most pages) are dropped. A block's `line` is its page number.
"""

from __future__ import annotations

import io
import re
import zlib
from collections import Counter
from dataclasses import dataclass

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTPage, LTTextContainer, LTTextLine
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.utils import decode_text

from indexer.errors import ReportError
from indexer.limits import DEFAULT_LIMITS, MB, LimitExceeded, Limits, over
from indexer.normalise import BULLET_RE, CELL_SEP, Block, Normalised, strip_chrome
from indexer.textclean import clean_line

ROW_TOLERANCE = 3.0  # points between baselines of cells in one table row
HEADING_RATIO = 1.15  # a heading's size against the body text's


# Glyphs pdfminer cannot map come out as "(cid:N)"; 127 is the bullet of the standard fonts.
_CID = re.compile(r"\(cid:(\d+)\)")


def _cid_char(m: re.Match[str]) -> str:
    return "•" if m[1] == "127" else ""


@dataclass(slots=True)
class _Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


def _lines_of(page: LTPage, number: int) -> list[_Line]:
    found: list[_Line] = []

    def visit(obj: object) -> None:
        if isinstance(obj, LTTextLine):
            chars = [c for c in obj if isinstance(c, LTChar)]
            text = clean_line(_CID.sub(_cid_char, obj.get_text()))
            if text and chars:
                size = round(sum(c.size for c in chars) / len(chars), 1)
                bold = sum("bold" in c.fontname.lower() for c in chars) > len(chars) / 2
                found.append(
                    _Line(number, text, obj.x0, obj.x1, page.height - obj.y1,
                          page.height - obj.y0, size, bold)
                )  # fmt: skip
        elif isinstance(obj, LTTextContainer) or hasattr(obj, "__iter__"):
            for child in obj:
                visit(child)

    visit(page)
    return found


def _rows(lines: list[_Line]) -> list[list[_Line]]:
    """Lines of a page grouped by baseline, top to bottom, each group left to right."""
    groups: list[list[_Line]] = []
    for line in sorted(lines, key=lambda ln: (ln.bottom, ln.x0)):
        if groups and abs(groups[-1][0].bottom - line.bottom) <= ROW_TOLERANCE:
            groups[-1].append(line)
        else:
            groups.append([line])
    return [sorted(g, key=lambda ln: ln.x0) for g in groups]


def _declared(data: bytes) -> tuple[str, int | None]:
    """The document's title and the page count its page tree declares (None if unknown)."""
    title, count = "", None
    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)))
        for info in doc.info:
            raw = info.get("Title")
            if isinstance(raw, bytes) and not title:
                title = clean_line(decode_text(raw))
        declared = resolve1(resolve1(doc.catalog.get("Pages")).get("Count"))
        count = declared if isinstance(declared, int) else None
    except Exception:  # metadata is optional; extraction below reports a damaged file
        pass
    return title, count


_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_CHUNK = 1024 * 1024


def check_streams(data: bytes, limit: int) -> None:
    """Refuse a PDF whose compressed streams expand to more than `limit` bytes in all.

    Each stream between `stream` and `endstream` that inflates as zlib data (FlateDecode, the
    filter of nearly every PDF) is inflated a megabyte at a time and the output counted, not
    kept: a decompression bomb is refused after `limit` bytes, in bounded memory, before
    pdfminer would inflate it whole.
    """
    total = 0
    for match in _STREAM.finditer(data):
        end = data.find(b"endstream", match.end())
        raw = memoryview(data)[match.end(): end if end >= 0 else len(data)]
        inflate = zlib.decompressobj()
        try:
            out = inflate.decompress(raw, _CHUNK)
            while out:
                total += len(out)
                if total > limit:
                    raise LimitExceeded(
                        "the PDF's compressed content expands to more than "
                        f"{limit / MB:,.0f} MB (a decompression bomb?); raise the limit "
                        "with --max-pdf-decoded-mb"
                    )
                out = inflate.decompress(inflate.unconsumed_tail, _CHUNK)
        except zlib.error:
            continue  # not zlib data: another filter, or none


def read(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Normalised:
    """A PDF's text layer as blocks; its document title as metadata.

    Pages are laid out one at a time and only their lines are kept, so memory does not grow
    with the page count; the page, text and expanded-content limits are checked as it goes.
    """
    if not data.strip():
        raise ReportError("empty file")
    if not data.lstrip().startswith(b"%PDF-"):
        raise ReportError("not a PDF (no %PDF- header)")
    check_streams(data, limits.pdf_decoded_bytes)
    title, declared = _declared(data)
    if declared is not None and declared > limits.pdf_pages:
        raise over("the PDF", declared, limits.pdf_pages, "pages", "--max-pdf-pages")
    groups: list[list[_Line]] = []
    chars = 0
    number = 0
    try:
        for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams()), 1):
            if number > limits.pdf_pages:
                raise over("the PDF", number, limits.pdf_pages, "pages", "--max-pdf-pages")
            lines = _lines_of(page, number)
            del page  # the page's layout objects go now, not with the document
            chars += sum(len(line.text) for line in lines)
            if chars > limits.text_chars:
                raise over("the text extracted", chars / MB, limits.text_mb, "MB",
                           "--max-text-mb")
            groups.extend(_rows(lines))
    except ReportError:
        raise
    except Exception as exc:  # pdfminer raises many types for a damaged file
        raise ReportError(f"damaged or truncated PDF ({type(exc).__name__}: {exc})") from exc
    if not groups:
        raise ReportError("PDF has no text layer (a scanned image?), or it is truncated")
    blocks = _to_blocks(groups, number)
    meta = {"title": title} if title else {}
    markers: dict[str, list[int]] = {}
    kept = strip_chrome(blocks, markers)
    return Normalised(kept, "pdf", meta=meta, markers=markers)


def _to_blocks(groups: list[list[_Line]], page_count: int) -> list[Block]:
    # Running headers and footers: one-line groups repeated on most pages.
    seen_on: Counter[str] = Counter()
    for page_line in {(g[0].page, g[0].text) for g in groups if len(g) == 1}:
        seen_on[page_line[1]] += 1
    running = {t for t, n in seen_on.items() if page_count >= 3 and n > page_count / 2}
    sizes: Counter[float] = Counter()
    for g in groups:
        for line in g:
            sizes[line.size] += len(line.text)
    body = sizes.most_common(1)[0][0]
    heading_sizes = sorted({ln.size for g in groups for ln in g if ln.size >= body * HEADING_RATIO})
    level_of = {s: i for i, s in enumerate(reversed(heading_sizes), start=1)}

    blocks: list[Block] = []
    prev: _Line | None = None
    for g in groups:
        first = g[0]
        if len(g) > 1:
            blocks.append(Block("row", CELL_SEP.join(ln.text for ln in g), first.page))
            prev = None
            continue
        text = first.text
        if text in running or re.fullmatch(r"(?:Page )?\d{1,4}(?: of \d{1,4})?", text):
            continue
        if first.size in level_of or (first.bold and len(text) < 120 and text[-1:] not in ".:;"):
            level = level_of.get(first.size, len(level_of) + 1)
            joined = (
                prev is not None
                and blocks
                and blocks[-1].kind == "heading"
                and prev.size == first.size
                and prev.page == first.page
                and first.top - prev.bottom < first.size * 0.5
            )
            if joined:
                blocks[-1] = Block("heading", f"{blocks[-1].text} {text}", first.page, level)
            else:
                blocks.append(Block("heading", text, first.page, level))
        elif bullet := BULLET_RE.match(text):
            blocks.append(Block("item", text[bullet.end() :].strip(), first.page))
        else:
            continues = (
                prev is not None
                and blocks
                and blocks[-1].kind in ("para", "item")
                and prev.page == first.page
                and prev.size == first.size
                and first.top - prev.bottom < first.size * 0.5
                and (blocks[-1].kind == "para" or first.x0 > prev.x0 - 1)
            )
            if continues:
                last = blocks[-1]
                blocks[-1] = Block(last.kind, f"{last.text} {text}", last.line, last.level)
            else:
                blocks.append(Block("para", text, first.page))
        prev = first
    return blocks
