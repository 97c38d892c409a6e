"""A test witness: its key, its names in English and Welsh, and cosignatures it stores."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from broker.http.witness_names import NamedWitness
from broker.transparency.checkpoint import Checkpoint
from broker.transparency.cosignature import WitnessVerifier, sign_cosignature
from broker.transparency.log import TransparencyLog
from broker.transparency.store.protocol import StoredCheckpoint

WITNESS_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64)))
WITNESS = NamedWitness(
    WitnessVerifier.for_key(
        "ico.example/witness",
        WITNESS_KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
    ),
    "The Information Commissioner's Office",
    "Swyddfa'r Comisiynydd Gwybodaeth",
)
SIGNED_AT = 1_737_450_000
"""21 January 2025, 09:00 UTC."""


def cosignature_line(log: TransparencyLog, checkpoint: StoredCheckpoint, at: int) -> str:
    """The test witness's cosignature line of ``checkpoint``, signed at ``at``."""
    body = Checkpoint(log.origin, checkpoint.size, checkpoint.root).body()
    return sign_cosignature(body, WITNESS.verifier.name, WITNESS_KEY, at)


def cosign(log: TransparencyLog, checkpoint: StoredCheckpoint, at: int = SIGNED_AT) -> None:
    """Store the test witness's cosignature of ``checkpoint`` in ``log``."""
    line = cosignature_line(log, checkpoint, at)
    log.store.save_cosignature(checkpoint.size, WITNESS.verifier.name, line, at * 1000)
