"""Witness cosignatures (c2sp.org/tlog-cosignature v1): keys, verification, quorum."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from broker.transparency.checkpoint import Checkpoint
from broker.transparency.cosignature import (
    WitnessVerifier,
    check_quorum,
    sign_cosignature,
    verify_cosignatures,
    with_cosignatures,
)
from broker.transparency.errors import NoteError
from broker.transparency.note import NoteSigner

LOG = NoteSigner.generate("example.org/log")
BODY = Checkpoint("example.org/log", 5, bytes(32)).body()
NOTE = Checkpoint("example.org/log", 5, bytes(32)).sign(LOG)


def witness(name: str) -> tuple[WitnessVerifier, Ed25519PrivateKey]:
    """A new witness key pair."""
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return WitnessVerifier.for_key(name, raw), private


ICO, ICO_KEY = witness("ico.example/witness")
GOV, GOV_KEY = witness("gov.wales.example/witness")


def test_a_witness_key_string_round_trips_and_its_id_is_checked() -> None:
    """A vkey parses back to the same key; a vkey with another key id is refused."""
    assert WitnessVerifier.from_vkey(ICO.vkey) == ICO
    name, _, rest = ICO.vkey.partition("+")
    with pytest.raises(NoteError, match="does not match the key"):
        WitnessVerifier.from_vkey(f"{name}+00000000+{rest.partition('+')[2]}")
    with pytest.raises(NoteError, match="type 0x04"):
        WitnessVerifier.from_vkey(LOG.verifier.vkey)


def test_cosignatures_verify_with_their_timestamp_and_are_appended_once() -> None:
    """Each witness's line verifies, carries its time, and appending twice changes nothing."""
    lines = [sign_cosignature(BODY, ICO.name, ICO_KEY, 1_700_000_000)]
    note = with_cosignatures(with_cosignatures(NOTE, lines), lines)
    assert note.count(ICO.name) == 1
    [found] = verify_cosignatures(note, [ICO, GOV])
    assert (found.witness, found.timestamp) == (ICO.name, 1_700_000_000)


def test_a_cosignature_over_another_checkpoint_is_rejected() -> None:
    """A witness's signature moved onto a different tree head does not verify."""
    other = Checkpoint("example.org/log", 6, bytes(32)).body()
    note = with_cosignatures(NOTE, [sign_cosignature(other, ICO.name, ICO_KEY, 1)])
    with pytest.raises(NoteError, match="does not verify"):
        verify_cosignatures(note, [ICO])


def test_the_quorum_names_the_witnesses_that_did_not_cosign() -> None:
    """Two of two required with one cosignature fails naming the missing witness."""
    note = with_cosignatures(NOTE, [sign_cosignature(BODY, ICO.name, ICO_KEY, 2)])
    assert len(check_quorum(note, [ICO, GOV], 1)) == 1
    with pytest.raises(NoteError, match=r"1 of the 2 .* from: gov.wales.example/witness\)"):
        check_quorum(note, [ICO, GOV], 2)
