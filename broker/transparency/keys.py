"""The log's secrets on disk: the checkpoint signing key and the subject-index key.

Both are created on first use (development); in production provision them from a secret
store and mount the files read-only. Files are written with mode 0600.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from broker.transparency.errors import NoteError
from broker.transparency.note import NoteSigner
from broker.transparency.subject_index import KEY_BYTES


def _create(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process created it first: use theirs
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text + "\n")


def load_signer(path: Path, origin: str) -> NoteSigner:
    """The signing key in ``path`` (created if missing); it must be named ``origin``."""
    if not path.exists():
        _create(path, NoteSigner.generate(origin).skey)
    try:
        signer = NoteSigner.from_skey(path.read_text(encoding="utf-8").strip())
    except NoteError as error:
        raise NoteError(f"{path}: {error}") from None
    if signer.name != origin:
        raise NoteError(f"{path}: key is named {signer.name!r}, but the log origin is {origin!r}")
    return signer


def load_index_key(path: Path) -> bytes:
    """The subject-index key in ``path`` (hex), created if missing."""
    if not path.exists():
        _create(path, secrets.token_hex(KEY_BYTES))
    try:
        key = bytes.fromhex(path.read_text(encoding="utf-8").strip())
    except ValueError:
        raise ValueError(f"{path}: subject index key is not hex") from None
    if len(key) < KEY_BYTES:
        raise ValueError(f"{path}: subject index key is {len(key)} bytes, expected {KEY_BYTES}")
    return key
