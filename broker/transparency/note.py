"""C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys.

Key strings follow the Go ``sumdb/note`` convention: a verifier key is
``name+hex(key id)+base64(0x01 || 32-byte public key)`` and a signer key is
``PRIVATE+KEY+name+hex(key id)+base64(0x01 || 32-byte seed)``; the key id is
``SHA-256(name || 0x0A || 0x01 || public key)[:4]``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from broker.transparency.errors import NoteError

ED25519 = 0x01
SIGNATURE_PREFIX = "\u2014 "
PRIVATE_PREFIX = "PRIVATE+KEY+"
MAX_SIGNATURES = 100


def b64decode_strict(text: str) -> bytes:
    """Standard base64 with padding; anything else (whitespace, URL alphabet) is refused."""
    try:
        decoded = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not base64") from None
    if base64.b64encode(decoded).decode() != text:
        raise ValueError("not canonical base64")
    return decoded


def key_id(name: str, public_key: bytes) -> int:
    """The 32-bit id of an Ed25519 key: SHA-256(name || 0x0A || 0x01 || key), first 4 bytes."""
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([ED25519]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


def _check_name(name: str) -> None:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise NoteError(f"key name {name!r} is empty or contains a space or '+'")


def _split_key(text: str, what: str) -> tuple[str, int, bytes]:
    parts = text.strip().split("+", 2)
    if len(parts) != 3:
        raise NoteError(f"{what} is not 'name+keyid+base64key'")
    name, hex_id, material = parts
    _check_name(name)
    if len(hex_id) != 8 or hex_id != hex_id.lower():
        raise NoteError(f"{what} key id {hex_id!r} is not 8 lower-case hex digits")
    try:
        ident = int(hex_id, 16)
        raw = b64decode_strict(material)
    except ValueError:
        raise NoteError(f"{what} for {name!r} has a bad key id or base64 key") from None
    if len(raw) != 33 or raw[0] != ED25519:
        raise NoteError(f"{what} for {name!r} is not an Ed25519 (type 0x01) key")
    return name, ident, raw[1:]


@dataclass(frozen=True)
class NoteVerifier:
    """A trusted public key: the name and id that select it, and the Ed25519 key."""

    name: str
    key_id: int
    public_key: Ed25519PublicKey

    @classmethod
    def from_vkey(cls, text: str) -> NoteVerifier:
        """Parse ``name+keyid+base64(0x01 || key)``; the id must match the key."""
        name, ident, raw = _split_key(text, "verifier key")
        if key_id(name, raw) != ident:
            raise NoteError(f"verifier key for {name!r}: key id {ident:08x} does not match the key")
        return cls(name, ident, Ed25519PublicKey.from_public_bytes(raw))

    @property
    def vkey(self) -> str:
        """This key as a verifier key string."""
        raw = self.public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
        material = base64.b64encode(bytes([ED25519]) + raw).decode()
        return f"{self.name}+{self.key_id:08x}+{material}"


@dataclass(frozen=True)
class NoteSigner:
    """A log's private key, named like its origin."""

    name: str
    key_id: int
    private_key: Ed25519PrivateKey

    @classmethod
    def generate(cls, name: str) -> NoteSigner:
        """A new random key for ``name``."""
        _check_name(name)
        private = Ed25519PrivateKey.generate()
        raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return cls(name, key_id(name, raw), private)

    @classmethod
    def from_skey(cls, text: str) -> NoteSigner:
        """Parse ``PRIVATE+KEY+name+keyid+base64(0x01 || seed)``."""
        if not text.startswith(PRIVATE_PREFIX):
            raise NoteError("signer key does not start with 'PRIVATE+KEY+'")
        name, ident, seed = _split_key(text.strip()[len(PRIVATE_PREFIX) :], "signer key")
        private = Ed25519PrivateKey.from_private_bytes(seed)
        raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        if key_id(name, raw) != ident:
            raise NoteError(f"signer key for {name!r}: key id {ident:08x} does not match the key")
        return cls(name, ident, private)

    @property
    def skey(self) -> str:
        """This key as a signer key string (keep it secret)."""
        seed = self.private_key.private_bytes_raw()
        material = base64.b64encode(bytes([ED25519]) + seed).decode()
        return f"{PRIVATE_PREFIX}{self.name}+{self.key_id:08x}+{material}"

    @property
    def verifier(self) -> NoteVerifier:
        """The matching public key."""
        return NoteVerifier(self.name, self.key_id, self.private_key.public_key())


def sign_note(text: str, signer: NoteSigner) -> str:
    """The signed note: ``text`` (ending in a newline), a blank line, one signature line."""
    _check_text(text)
    signature = signer.private_key.sign(text.encode())
    blob = base64.b64encode(struct.pack(">I", signer.key_id) + signature).decode()
    return f"{text}\n{SIGNATURE_PREFIX}{signer.name} {blob}\n"


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("note text does not end with a newline")
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        raise NoteError("note contains a control character other than newline")


def open_note(note: str, verifiers: Sequence[NoteVerifier]) -> str:
    """Return the note's text if a known key signed it validly; raise NoteError otherwise.

    Signatures by unknown keys are ignored; a bad signature by a known key rejects the note.
    """
    _check_text(note)
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteError("note has no blank line before its signatures")
    text, block = note[: split + 1], note[split + 2 :]
    lines = block.split("\n")[:-1]
    if not lines:
        raise NoteError("note has no signature lines")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"note has {len(lines)} signatures, more than {MAX_SIGNATURES}")
    known = {(v.name, v.key_id): v for v in verifiers}
    verified = 0
    for number, line in enumerate(lines, start=1):
        name, blob = _signature_line(line, number)
        if len(blob) < 4:
            raise NoteError(f"signature line {number} is shorter than a key id")
        verifier = known.get((name, int.from_bytes(blob[:4], "big")))
        if verifier is None:
            continue
        try:
            verifier.public_key.verify(blob[4:], text.encode())
        except InvalidSignature:
            raise NoteError(
                f"signature by {name!r} does not verify: the note was altered"
            ) from None
        verified += 1
    if not verified:
        names = ", ".join(sorted({v.name for v in verifiers})) or "none"
        raise NoteError(f"note has no signature by a trusted key (trusted: {names})")
    return text


def _signature_line(line: str, number: int) -> tuple[str, bytes]:
    if not line.startswith(SIGNATURE_PREFIX):
        raise NoteError(f"signature line {number} does not start with an em dash and a space")
    name, space, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
    if not space or not name or " " in encoded:
        raise NoteError(f"signature line {number} is not '\u2014 name signature'")
    try:
        return name, b64decode_strict(encoded)
    except ValueError:
        raise NoteError(f"signature line {number}: signature is not base64") from None
