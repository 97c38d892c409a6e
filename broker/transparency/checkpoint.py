"""C2SP tlog-checkpoint: the signed statement of the log's origin, size and root hash."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from broker.transparency.errors import NoteError
from broker.transparency.hashing import HASH_SIZE
from broker.transparency.note import (
    NoteSigner,
    NoteVerifier,
    b64decode_strict,
    open_note,
    sign_note,
)


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: origin line, tree size, RFC 6962 root hash."""

    origin: str
    size: int
    root: bytes

    def body(self) -> str:
        """The note text: three lines, each ending in a newline."""
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"

    def sign(self, signer: NoteSigner) -> str:
        """The signed checkpoint note."""
        return sign_note(self.body(), signer)


def parse_checkpoint(text: str) -> Checkpoint:
    """Read checkpoint note text (already verified); extension lines are allowed and ignored."""
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise NoteError("checkpoint text has fewer than three lines")
    origin, size_text, root_text, *extensions = lines[:-1]
    if not origin:
        raise NoteError("checkpoint origin line is empty")
    if (
        not size_text.isdigit()
        or not size_text.isascii()
        or (size_text != "0" and size_text[0] == "0")
    ):
        raise NoteError(
            f"checkpoint tree size {size_text!r} is not a decimal without leading zeros"
        )
    try:
        root = b64decode_strict(root_text)
    except ValueError:
        raise NoteError("checkpoint root hash is not base64") from None
    if len(root) != HASH_SIZE:
        raise NoteError(f"checkpoint root hash is {len(root)} bytes, expected {HASH_SIZE}")
    if any(not line for line in extensions):
        raise NoteError("checkpoint has an empty extension line")
    return Checkpoint(origin, int(size_text), root)


def open_checkpoint(note: str, verifier: NoteVerifier) -> Checkpoint:
    """Verify a signed checkpoint against the log key; its origin must be the key's name."""
    checkpoint = parse_checkpoint(open_note(note, [verifier]))
    if checkpoint.origin != verifier.name:
        raise NoteError(f"checkpoint origin {checkpoint.origin!r} is not the log {verifier.name!r}")
    return checkpoint
