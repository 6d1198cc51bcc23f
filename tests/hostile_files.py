"""Generators of hostile input files for builds: each small on disk, quick to make.

Real files, made in a temporary folder: markup nested 100,000 deep, a FIFO and a symlink to
`/dev/zero` named like reports, a file name that is not UTF-8, a sparse 200 MB text file, a
PDF of thousands of pages written by hand (one short content stream per page), and a PDF
whose one compressed stream expands to a gigabyte (a decompression bomb).
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path

# A report of another type: its sidecar says so, and its headings make its sections.
THEMATIC = {"report_type": "Thematic inspection", "cycle": "2022"}


def nested_divs(depth: int, closed: bool) -> bytes:
    """An HTML report whose one paragraph sits inside `depth` nested `<div>`s."""
    words = f"Depth{depth}{'closed' if closed else 'open'}"
    return (
        b"<html><head><title>Thematic inspection of nested markup</title></head><body><main>"
        b"<h1>Thematic inspection of nested markup</h1><h2>Summary</h2>"
        + b"<div>" * depth
        + f"<p>The force keeps {words} records of demand.</p>".encode()
        + (b"</div>" * depth if closed else b"")
        + b"</main></body></html>"
    )


def write_thematic(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    (path.parent / (path.name + ".meta.json")).write_text(json.dumps(THEMATIC))
    return path


def pdf_of_pages(pages: int, heading: str = "Demand and workforce", lines: int = 2) -> bytes:
    """A valid PDF of `pages` pages, each with its own short text, written by hand.

    Page 1 opens with a large heading; every page then has `lines` lines of body text that
    name the page, so that no line repeats on most pages (which would read as a running
    header).
    """
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for number in range(1, pages + 1):
        ops = [f"BT /F1 18 Tf 72 760 Td ({heading}) Tj ET"] if number == 1 else []
        ops += [
            f"BT /F1 11 Tf 72 {700 - 14 * line} Td (Page {number} line {line} says how the "
            f"force meets demand.) Tj ET"
            for line in range(lines)
        ]
        content = "\n".join(ops).encode()
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        content_id = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content_id
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    return _assemble(objects)


def inflating_to(megabytes: int) -> bytes:
    """zlib data that inflates to `megabytes` MB of zeros, made without compressing them all.

    One megabyte of zeros is deflated once, ending with a full flush (which makes the next
    block independent of it), and that block is repeated; an empty final block and the
    checksum of the whole close the stream.
    """
    chunk = b"\0" * (1024 * 1024)
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = raw.compress(chunk) + raw.flush(zlib.Z_FULL_FLUSH)
    tail = raw.flush(zlib.Z_FINISH)
    checksum = 1
    for _ in range(megabytes):
        checksum = zlib.adler32(chunk, checksum)
    return b"\x78\xda" + block * megabytes + tail + checksum.to_bytes(4, "big")


def pdf_bomb(expanded_mb: int = 1024) -> bytes:
    """A one-page PDF whose content stream is about a thousandth of `expanded_mb` MB
    compressed and `expanded_mb` MB expanded."""
    packed = inflating_to(expanded_mb)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>",
    ]
    return _assemble(objects)


def _assemble(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref
    )
    return bytes(out)


def sparse_text(path: Path, size: int) -> Path:
    """A text file of `size` bytes that takes no room on disk (a hole after one line)."""
    with open(path, "wb") as fh:
        fh.write(b"Thematic inspection of a very large file\n")
        fh.truncate(size)
    return path


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def non_utf8_name(folder: Path, report: bytes, stem: bytes = b"kent-peel-2017") -> Path:
    """A copy of `report` under a file name holding bytes that are not UTF-8."""
    raw = os.fsencode(folder) + b"/" + stem + b"-caf\xe9-\xff\xfe.txt"
    with open(raw, "wb") as fh:
        fh.write(report)
    return Path(os.fsdecode(raw))
