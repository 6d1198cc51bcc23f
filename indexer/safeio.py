"""Reading input files without trusting them: only regular files, only up to a size.

A corpus folder may hold things that are not files: a FIFO named `*.txt` blocks any reader
for ever, a device such as `/dev/zero` never ends, a socket cannot be read at all. Each is
refused by its `stat` before it is opened. The check is repeated on the open descriptor
(opened non-blocking, so even a FIFO swapped in between cannot hang the build), and no more
than the size limit plus one byte is ever read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from indexer.errors import ReportError
from indexer.limits import MB, over

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def not_regular(mode: int) -> str:
    """What a non-regular file is ("a FIFO"...), or "" for a regular file."""
    if stat.S_ISREG(mode):
        return ""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def refuse_kind(kind: str) -> ReportError:
    return ReportError(f"not a regular file ({kind}); skipped without reading it")


def read_regular(path: Path, limit: int, option: str = "--max-file-mb") -> bytes:
    """The bytes of the regular file at `path` (symlinks followed), at most `limit` of them.

    Raises `ReportError` for anything else: a missing or unreadable file, a FIFO, device,
    socket or folder, or a file over `limit` bytes (naming `option`, which raises it).
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        raise ReportError(f"cannot read file: {exc.strerror or exc}") from exc
    if kind := not_regular(info.st_mode):
        raise refuse_kind(kind)
    if info.st_size > limit:
        raise over("the file", info.st_size / MB, limit / MB, "MB", option)
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ReportError(f"cannot read file: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as fh:
        if kind := not_regular(os.fstat(fd).st_mode):  # replaced since the stat above
            raise refuse_kind(kind)
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise ReportError(f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > limit:  # grew since the stat above
        raise over("the file", len(data) / MB, limit / MB, "MB", option)
    return data


def leaves(path: Path, root: Path) -> bool:
    """True when `path` is a symlink (or under one) whose target lies outside `root`."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # dangling, or a loop
        return path.is_symlink()
    return not target.is_relative_to(root.resolve())
