"""Keep the broker's state owner-only: umask 077 for whatever writes state, and a walk that
tightens a folder created or loosened earlier (0700 folders, 0600 files).

The state folder holds personal data at rest (Kafka segments, the transparency log, the API's
records, logs) and secrets (keys, client credentials, PKI private keys); no other local user
may read, write or enter any of it.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "OWNER_ONLY_UMASK",
    "make_owner_only",
    "open_owner_only_append",
    "owner_only_umask",
    "use_owner_only_umask",
]

OWNER_ONLY_UMASK = 0o077
"""Files are created 0600 and folders 0700 (nothing for group or others)."""
_OWNER_BITS = 0o700


def use_owner_only_umask() -> None:
    """Set this process's umask to 077 (its children inherit it)."""
    os.umask(OWNER_ONLY_UMASK)


@contextlib.contextmanager
def owner_only_umask() -> Iterator[None]:
    """Umask 077 for the duration of the block, then the previous umask again."""
    previous = os.umask(OWNER_ONLY_UMASK)
    try:
        yield
    finally:
        os.umask(previous)


def make_owner_only(root: Path) -> int:
    """Remove every group and other permission bit from ``root`` and everything under it.

    Symbolic links are neither followed nor changed; entries that vanish during the walk (a
    Kafka segment deleted by retention) are skipped. Returns how many entries were changed.
    """
    changed = 0
    if not root.is_dir() or root.is_symlink():
        return changed
    changed += _tighten(root)
    for folder, subfolders, files in os.walk(root, followlinks=False):
        for name in (*subfolders, *files):
            changed += _tighten(Path(folder) / name)
    return changed


def open_owner_only_append(path: Path) -> BinaryIO:
    """Open ``path`` for appending, creating it 0600 (an existing file is tightened first)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=_OWNER_BITS)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    mode = stat.S_IMODE(os.fstat(descriptor).st_mode)
    if mode & ~_OWNER_BITS:
        os.fchmod(descriptor, mode & _OWNER_BITS)
    return os.fdopen(descriptor, "ab")


def _tighten(path: Path) -> int:
    try:
        status = path.lstat()
    except FileNotFoundError:
        return 0
    if stat.S_ISLNK(status.st_mode):
        return 0
    mode = stat.S_IMODE(status.st_mode)
    if not mode & ~_OWNER_BITS:
        return 0
    with contextlib.suppress(FileNotFoundError):
        os.chmod(path, mode & _OWNER_BITS)
        return 1
    return 0
