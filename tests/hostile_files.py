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


def pdf_of_pages(pages: int, heading: str = "Demand and workforce") -> bytes:
    """A valid PDF of `pages` pages, each with its own short text, written by hand.

    Page 1 opens with a large heading; every page then has two lines of body text that name
    the page, so that no line repeats on most pages (which would read as a running header).
    """
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for number in range(1, pages + 1):
        lines = [f"BT /F1 18 Tf 72 760 Td ({heading}) Tj ET"] if number == 1 else []
        lines += [
            f"BT /F1 11 Tf 72 700 Td (Page {number} describes how the force meets demand.) Tj ET",
            f"BT /F1 11 Tf 72 686 Td (Its workforce plan {number} is reviewed each year.) Tj ET",
        ]
        content = "\n".join(lines).encode()
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        content_id = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content_id
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    return _assemble(objects)


def pdf_bomb(expanded_mb: int = 1024) -> bytes:
    """A one-page PDF whose content stream is about 1 MB compressed and `expanded_mb` MB
    expanded (zeros compress about a thousandfold)."""
    inflater = zlib.compressobj(9)
    chunk = b"\0" * (1024 * 1024)
    packed = b"".join(inflater.compress(chunk) for _ in range(expanded_mb)) + inflater.flush()
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


def non_utf8_name(folder: Path, report: bytes) -> Path:
    """A copy of `report` under a file name holding bytes that are not UTF-8."""
    raw = os.fsencode(folder) + b"/kent-peel-2017-caf\xe9-\xff\xfe.txt"
    with open(raw, "wb") as fh:
        fh.write(report)
    return Path(os.fsdecode(raw))
