"""Witness cosignatures (c2sp.org/tlog-cosignature v1, Ed25519 with a timestamp).

A witness key string is ``name+hex(key id)+base64(0x04 || 32-byte public key)``, its id
``SHA-256(name || 0x0A || 0x04 || key)[:4]``. A cosignature line is a signed-note signature
line ``— name base64(key id || 8-byte big-endian timestamp || Ed25519 signature)``; the
signature covers ``cosignature/v1\\ntime <timestamp>\\n`` followed by the checkpoint body.
A cosigned checkpoint is the log's signed note with the witnesses' lines appended.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from broker.transparency.errors import NoteError
from broker.transparency.note import SIGNATURE_PREFIX, b64decode_strict

COSIGNATURE_V1 = 0x04
_BLOB_BYTES = 4 + 8 + 64


def witness_key_id(name: str, public_key: bytes) -> int:
    """The 32-bit id of a cosignature key: SHA-256(name || 0x0A || 0x04 || key)[:4]."""
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([COSIGNATURE_V1]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


def cosigned_message(timestamp: int, body: str) -> bytes:
    """What a witness signs: the cosignature/v1 header, the time, then the checkpoint body."""
    return f"cosignature/v1\ntime {timestamp}\n{body}".encode()


@dataclass(frozen=True)
class WitnessVerifier:
    """A trusted witness: its name (how cosignature lines name it), key id and key."""

    name: str
    key_id: int
    public_key: Ed25519PublicKey

    @classmethod
    def from_vkey(cls, text: str) -> WitnessVerifier:
        """Parse ``name+keyid+base64(0x04 || key)``; the id must match the key."""
        parts = text.strip().split("+", 2)
        if len(parts) != 3 or not parts[0] or any(c.isspace() for c in parts[0]):
            raise NoteError("witness key is not 'name+keyid+base64key'")
        name, hex_id, material = parts
        try:
            ident = int(hex_id, 16) if len(hex_id) == 8 and hex_id == hex_id.lower() else -1
            raw = b64decode_strict(material)
        except ValueError:
            raise NoteError(f"witness key for {name!r} has a bad key id or base64 key") from None
        if len(raw) != 33 or raw[0] != COSIGNATURE_V1:
            raise NoteError(f"witness key for {name!r} is not a cosignature/v1 (type 0x04) key")
        if witness_key_id(name, raw[1:]) != ident:
            raise NoteError(f"witness key for {name!r}: key id {hex_id!r} does not match the key")
        return cls(name, ident, Ed25519PublicKey.from_public_bytes(raw[1:]))

    @classmethod
    def for_key(cls, name: str, public_key: bytes) -> WitnessVerifier:
        """The verifier of a witness named ``name`` with this raw Ed25519 public key."""
        return cls(
            name, witness_key_id(name, public_key), Ed25519PublicKey.from_public_bytes(public_key)
        )

    @property
    def vkey(self) -> str:
        """This witness's key as a verifier key string."""
        raw = self.public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
        material = base64.b64encode(bytes([COSIGNATURE_V1]) + raw).decode()
        return f"{self.name}+{self.key_id:08x}+{material}"


@dataclass(frozen=True)
class Cosignature:
    """A verified cosignature: which witness, when (Unix seconds), and its note line."""

    witness: str
    timestamp: int
    line: str


def sign_cosignature(body: str, name: str, private_key: Ed25519PrivateKey, timestamp: int) -> str:
    """A cosignature line over checkpoint ``body`` (what a witness returns; tests, tools)."""
    raw = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    signature = private_key.sign(cosigned_message(timestamp, body))
    blob = struct.pack(">IQ", witness_key_id(name, raw), timestamp) + signature
    return f"{SIGNATURE_PREFIX}{name} {base64.b64encode(blob).decode()}"


def split_note(note: str) -> tuple[str, list[str]]:
    """A signed note's text (ending in a newline) and its signature lines."""
    split = note.rfind("\n\n")
    if split < 0 or not note.endswith("\n"):
        raise NoteError("note has no blank line before its signatures")
    return note[: split + 1], note[split + 2 :].split("\n")[:-1]


def with_cosignatures(note: str, lines: Iterable[str]) -> str:
    """``note`` with each of ``lines`` appended unless it already carries it."""
    _, present = split_note(note)
    added = [line for line in lines if line not in present]
    return note + "".join(f"{line}\n" for line in added)


def signature_lines(text: str) -> list[str]:
    """The signature lines of a witness's add-checkpoint answer (one or more)."""
    lines = [line for line in text.split("\n") if line]
    if not lines or any(not line.startswith(SIGNATURE_PREFIX) for line in lines):
        raise NoteError("witness answer is not signature lines")
    return lines


def verify_cosignatures(note: str, witnesses: Sequence[WitnessVerifier]) -> list[Cosignature]:
    """The valid cosignatures of ``note`` by known witnesses (one per witness).

    Lines by unknown keys are ignored; a bad cosignature by a known witness rejects the note.
    """
    body, lines = split_note(note)
    known = {(w.name, w.key_id): w for w in witnesses}
    found: dict[str, Cosignature] = {}
    for line in lines:
        name, _, encoded = line.removeprefix(SIGNATURE_PREFIX).partition(" ")
        try:
            blob = b64decode_strict(encoded)
        except ValueError:
            continue
        if len(blob) < 4 or (witness := known.get((name, int.from_bytes(blob[:4], "big")))) is None:
            continue
        if len(blob) != _BLOB_BYTES:
            raise NoteError(f"cosignature by witness {name!r} is not {_BLOB_BYTES} bytes")
        (timestamp,) = struct.unpack(">Q", blob[4:12])
        try:
            witness.public_key.verify(blob[12:], cosigned_message(timestamp, body))
        except InvalidSignature:
            raise NoteError(f"cosignature by witness {name!r} does not verify") from None
        found.setdefault(name, Cosignature(name, timestamp, line))
    return list(found.values())


def check_quorum(note: str, witnesses: Sequence[WitnessVerifier], quorum: int) -> list[Cosignature]:
    """The cosignatures of ``note``; NoteError unless at least ``quorum`` known witnesses signed."""
    if quorum > len(witnesses):
        raise NoteError(f"quorum {quorum} is more than the {len(witnesses)} witnesses given")
    cosignatures = verify_cosignatures(note, witnesses)
    if len(cosignatures) < quorum:
        signed = {c.witness for c in cosignatures}
        missing = ", ".join(sorted(w.name for w in witnesses if w.name not in signed))
        raise NoteError(
            f"checkpoint is cosigned by {len(cosignatures)} of the {quorum} witnesses required"
            f" (no cosignature from: {missing})"
        )
    return cosignatures
