"""Write and read files only their owner may read: keys, client secrets, certificates' keys."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["SecretFileError", "read_private_bytes", "write_private_bytes"]


class SecretFileError(RuntimeError):
    """A secret file is missing, unreadable or readable by others; the message names the path."""


def write_private_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically with mode 0600, creating parent folders (0700)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    tmp.replace(path)


def read_private_bytes(path: Path, what: str) -> bytes:
    """Read a secret file, refusing one that group or others may read."""
    try:
        mode = path.stat().st_mode
        if mode & 0o077:
            raise SecretFileError(
                f"{what} {path} is readable by other users (mode {mode & 0o777:o}); "
                f"run chmod 600 {path}"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise SecretFileError(f"{what} {path} does not exist") from None
    except PermissionError:
        raise SecretFileError(f"{what} {path} cannot be read (permission denied)") from None
