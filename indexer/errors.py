"""The indexer's own error: a file that cannot be read or recognised, with where and why."""

from __future__ import annotations


class ReportError(Exception):
    """A file the indexer cannot turn into sections. Carries the file and, if known, the line."""

    def __init__(self, reason: str, source: str = "", line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.source = source
        self.line = line

    def __str__(self) -> str:
        where = self.source + (f":{self.line}" if self.line else "")
        return f"{where}: {self.reason}" if where else self.reason
