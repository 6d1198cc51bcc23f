"""PDF reports: a PDF twin of the 2021/22 HTML report, made with reportlab, indexes the same."""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from indexer.build import build, parse_file
from indexer.errors import ReportError
from indexer.formats import html, pdf
from indexer.normalise import Block

FORMATS = Path(__file__).resolve().parent / "fixtures" / "formats"
GWENT = FORMATS / "gwent-2021-22.html"
BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=12, spaceAfter=10)
HEADINGS = {
    level: ParagraphStyle(
        f"h{level}", fontName="Helvetica-Bold", fontSize=size, leading=size * 1.2,
        spaceBefore=12, spaceAfter=8,
    )
    for level, size in ((1, 20), (2, 16), (3, 13), (4, 11.5))
}  # fmt: skip


def render_pdf(blocks: list[Block], title: str = "") -> bytes:
    """Blocks laid out as a PDF: headings larger and bold, bullets, tables for rows."""
    story: list[object] = []
    rows: list[list[str]] = []

    def flush_rows() -> None:
        if rows:
            story.append(Table([list(r) for r in rows], colWidths=[260, 160]))
            story.append(Spacer(1, 12))
            rows.clear()

    for block in blocks:
        if block.kind == "row":
            rows.append(block.cells)
            continue
        flush_rows()
        text = escape(block.text)
        if block.kind == "heading":
            story.append(Paragraph(text, HEADINGS[min(block.level, 4)]))
        elif block.kind == "item":
            story.append(Paragraph(f"• {text}", BODY))
        else:
            story.append(Paragraph(text, BODY))
    flush_rows()
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=title).build(story)
    return out.getvalue()


@pytest.fixture(scope="module")
def gwent_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    normalised = html.read(GWENT.read_bytes())
    path = tmp_path_factory.mktemp("pdf") / "gwent-2021-22.pdf"
    path.write_bytes(render_pdf(normalised.blocks, title=normalised.meta["title"]))
    return path


def _comparable(path: Path) -> list[tuple[object, ...]]:
    result = parse_file(path)
    assert result.report is not None, result.error
    return [
        (s.anchor, s.kind, s.force, s.cycle, s.pillar, s.question_number, s.question, s.grade,
         s.heading, " ".join(s.text.split()))
        for s in result.report.sections
    ]  # fmt: skip


def test_pdf_twin_indexes_to_the_same_sections(gwent_pdf: Path) -> None:
    assert _comparable(gwent_pdf) == _comparable(GWENT)


def test_pdf_reader_recovers_headings_items_and_rows(gwent_pdf: Path) -> None:
    blocks = pdf.read(gwent_pdf.read_bytes()).blocks
    kinds = {b.text: (b.kind, b.level) for b in blocks}
    assert kinds["PEEL 2021/22: An inspection of Gwent Police"] == ("heading", 1)
    assert kinds["Investigating crime"] == ("heading", 2)
    assert kinds["Cause of concern"] == ("heading", 3)
    assert kinds["Investigating crime | Adequate"] == ("row", 0)
    assert kinds["The force should record the reasons for any delay in attending incidents."] == (
        "item",
        0,
    )


def test_pdf_builds_into_an_index(gwent_pdf: Path, tmp_path: Path) -> None:
    result = build([gwent_pdf], tmp_path / "index")
    assert not result.failures and result.index_path is not None
    assert {s.grade for s in result.sections if s.kind == "question"} >= {"Adequate"}


def test_truncated_and_junk_pdfs_are_refused(gwent_pdf: Path, tmp_path: Path) -> None:
    data = gwent_pdf.read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(data[: len(data) // 3])
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(bytes(range(256)) * 8)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    for path, reason in ((truncated, "PDF"), (junk, "not a PDF"), (empty, "empty file")):
        result = parse_file(path)
        assert result.report is None and reason in result.error, (path.name, result.error)
    with pytest.raises(ReportError):
        pdf.read(data[:200])
