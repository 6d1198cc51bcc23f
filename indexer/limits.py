"""Limits on what one input file may cost a build, each with the option that raises it.

A file over a limit is refused with a sentence saying which limit, by how much, and which
`peel-index` option raises it; every other file is still indexed. The defaults are far above
any real inspection report (the largest PDFs run to a few hundred pages and a few MB of text)
and far below what would exhaust a build machine's memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.errors import ReportError

MB = 1024 * 1024
KB = 1024


class LimitExceeded(ReportError):
    """A file over one of the build's limits."""


@dataclass(frozen=True, slots=True)
class Limits:
    """What one file may hold; each field is one `peel-index build`/`check` option."""

    file_mb: float = 50  # --max-file-mb: bytes on disk
    pdf_pages: int = 1000  # --max-pdf-pages
    pdf_decoded_mb: float = 256  # --max-pdf-decoded-mb: compressed streams, expanded, in all
    text_mb: float = 20  # --max-text-mb: characters of text extracted from one file
    section_kb: float = 1000  # --max-section-kb: characters of text in one section

    @property
    def file_bytes(self) -> int:
        return round(self.file_mb * MB)

    @property
    def pdf_decoded_bytes(self) -> int:
        return round(self.pdf_decoded_mb * MB)

    @property
    def text_chars(self) -> int:
        return round(self.text_mb * MB)

    @property
    def section_chars(self) -> int:
        return round(self.section_kb * KB)


DEFAULT_LIMITS = Limits()


def _amount(value: float, unit: str) -> str:
    """200 MB, 2,000 pages, 2.6 KB, 0.001 MB: whole numbers from 100, else 3 digits."""
    return f"{value:,.0f} {unit}" if value >= 100 else f"{value:.3g} {unit}"


def over(what: str, size: float, limit: float, unit: str, option: str) -> LimitExceeded:
    """The refusal for `what` of `size` over `limit` (both in `unit`): names the option."""
    raise_it = f" (raise it with {option})" if option else ""
    return LimitExceeded(
        f"{what} is {_amount(size, unit)}, over the limit of {_amount(limit, unit)}{raise_it}"
    )
