"""Reports saved as UTF-16 (with their byte-order mark) are read like their UTF-8 twins."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.build import parse_file
from indexer.errors import ReportError
from indexer.normalise import decode
from tests.conftest import FIXTURES, SEED

TWINS = [SEED, FIXTURES / "formats" / "gwent-2021-22.html"]


@pytest.mark.parametrize("codec,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
@pytest.mark.parametrize("original", TWINS, ids=lambda p: p.suffix)
def test_utf16_reports_give_the_same_sections_as_utf8(
    tmp_path: Path, original: Path, codec: str, bom: bytes
) -> None:
    text = original.read_bytes().decode("utf-8-sig")
    assert "’" in text or "–" in text or "—" in text  # characters outside ASCII survive
    twin = tmp_path / original.name
    twin.write_bytes(bom + text.encode(codec))
    want, got = parse_file(original), parse_file(twin)
    assert want.error == "" and got.error == "", got.error
    assert got.report is not None and want.report is not None
    if original.suffix == ".txt":
        assert got.encoding == codec
    strip = [(s.section_id, s.heading, s.grade, s.text) for s in want.report.sections]
    assert [(s.section_id, s.heading, s.grade, s.text) for s in got.report.sections] == strip


def test_decode_utf16_and_its_refusals() -> None:
    assert decode(b"\xff\xfe" + "Grade: Good — ’".encode("utf-16-le")) == (
        "Grade: Good — ’", "utf-16-le", [])
    with pytest.raises(ReportError, match="not valid UTF-16-LE"):
        decode(b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate
    with pytest.raises(ReportError, match="empty file"):
        decode(b"\xff\xfe" + "  \n".encode("utf-16-le"))
    with pytest.raises(ReportError, match="binary data"):
        decode(b"\xff\xfe" + "a\x00b".encode("utf-16-le"))
    with pytest.raises(ReportError, match="binary data"):
        decode(b"PK\x03\x04\x00\x00")  # other NUL-bearing data is still refused
