"""Offline verification of receipts: needs only the files and the log's verifier key.

Each check returns what it verified or raises a :class:`TransparencyError` whose one-line
message says what failed (and where, for format errors).
"""

from __future__ import annotations

from dataclasses import dataclass

from broker.transparency.checkpoint import Checkpoint, open_checkpoint
from broker.transparency.errors import NoteError, ProofError
from broker.transparency.hashing import leaf_hash
from broker.transparency.note import NoteVerifier
from broker.transparency.proof_files import parse_consistency_body, parse_tlog_proof
from broker.transparency.proofs import verify_consistency, verify_inclusion


@dataclass(frozen=True)
class VerifiedInclusion:
    """An entry proven to be at ``index`` in the tree of ``checkpoint``."""

    index: int
    checkpoint: Checkpoint


def _checkpoint(note: str, verifier: NoteVerifier, source: str) -> Checkpoint:
    try:
        return open_checkpoint(note, verifier)
    except NoteError as error:
        raise NoteError(f"{source}: checkpoint: {error}") from None


def verify_entry_proof(
    proof_text: str, entry: bytes, verifier: NoteVerifier, source: str = "proof"
) -> VerifiedInclusion:
    """Check that ``entry`` is included under a checkpoint signed by ``verifier``."""
    proof = parse_tlog_proof(proof_text, source)
    checkpoint = _checkpoint(proof.checkpoint, verifier, source)
    try:
        verify_inclusion(
            proof.index, checkpoint.size, leaf_hash(entry), proof.hashes, checkpoint.root
        )
    except ProofError as error:
        raise ProofError(f"{source}: {error}") from None
    return VerifiedInclusion(proof.index, checkpoint)


def verify_checkpoint_consistency(
    old_note: str,
    body_text: str,
    verifier: NoteVerifier,
    old_source: str = "old checkpoint",
    body_source: str = "body",
) -> tuple[Checkpoint, Checkpoint]:
    """Check that the body's new checkpoint extends ``old_note``; both signed by ``verifier``."""
    old = _checkpoint(old_note, verifier, old_source)
    body = parse_consistency_body(body_text, body_source)
    new = _checkpoint(body.checkpoint, verifier, body_source)
    if body.old_size != old.size:
        raise ProofError(
            f"{body_source}:1: old size {body.old_size} is not the old checkpoint's size {old.size}"
        )
    try:
        verify_consistency(old.size, new.size, old.root, new.root, body.hashes)
    except ProofError as error:
        raise ProofError(f"{body_source}: {error}") from None
    return old, new
