"""Signed notes interoperate with the Go reference (sumdb/note) and reject any alteration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from broker.transparency.checkpoint import Checkpoint, open_checkpoint, parse_checkpoint
from broker.transparency.errors import NoteError
from broker.transparency.note import NoteSigner, NoteVerifier, open_note, sign_note

GO = json.loads((Path(__file__).parent / "rfc6962_vectors.json").read_text())["signed_note"]


def test_signing_reproduces_the_go_reference_note() -> None:
    """The Go example key signs the Go example text to exactly the published note."""
    signer = NoteSigner.from_skey(GO["signer_key"])
    assert signer.verifier.vkey == GO["verifier_key"]
    assert signer.skey == GO["signer_key"]
    assert sign_note(GO["text"], signer) == GO["note"]


def test_the_go_reference_note_opens_with_its_verifier_key() -> None:
    """The published note verifies and yields its text."""
    assert open_note(GO["note"], [NoteVerifier.from_vkey(GO["verifier_key"])]) == GO["text"]


def test_altered_text_is_rejected() -> None:
    """Changing one character of the text makes the known key's signature fail."""
    verifier = NoteVerifier.from_vkey(GO["verifier_key"])
    with pytest.raises(NoteError, match="does not verify"):
        open_note(GO["note"].replace("cryptography", "cryptographY"), [verifier])


def test_signature_by_another_key_is_not_trusted() -> None:
    """A note signed only by an unknown key is rejected, naming the trusted keys."""
    other = NoteSigner.generate("PeterNeumann")
    note = sign_note(GO["text"], other)
    with pytest.raises(NoteError, match="no signature by a trusted key"):
        open_note(note, [NoteVerifier.from_vkey(GO["verifier_key"])])


@pytest.mark.parametrize(
    "vkey",
    [
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+AhpC2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ],
)
def test_malformed_or_mismatched_verifier_keys_are_refused(vkey: str) -> None:
    """A wrong key id, type byte, missing part, space in the name or upper-case id is refused."""
    with pytest.raises(NoteError):
        NoteVerifier.from_vkey(vkey)


def test_checkpoint_round_trips_and_binds_the_origin() -> None:
    """A signed checkpoint opens to the same size and root; another origin is refused."""
    signer = NoteSigner.generate("example.org/log")
    checkpoint = Checkpoint("example.org/log", 42, bytes(range(32)))
    note = checkpoint.sign(signer)
    assert note.startswith("example.org/log\n42\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n\n")
    assert open_checkpoint(note, signer.verifier) == checkpoint
    impostor = NoteSigner.generate("example.org/other")
    with pytest.raises(NoteError, match="origin"):
        open_checkpoint(
            Checkpoint("example.org/log", 1, bytes(32)).sign(impostor), impostor.verifier
        )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("o\n007\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n", "leading zeros"),
        ("o\n7\nnot-base64\n", "not base64"),
        ("o\n7\nAAEC\n", "3 bytes"),
        ("o\n7\n", "fewer than three lines"),
    ],
)
def test_malformed_checkpoint_text_is_refused(text: str, problem: str) -> None:
    """Leading zeros, bad base64, a short root or missing lines are named in the error."""
    with pytest.raises(NoteError, match=problem):
        parse_checkpoint(text)
