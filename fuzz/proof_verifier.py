"""Fuzz the offline verifier: tlog-proof files and add-checkpoint bodies from random bytes.

    .venv/bin/python -m fuzz.proof_verifier -max_total_time=600

Random bytes (and edits of a genuine receipt) must be refused with a TransparencyError and
a clean message; a receipt that verifies must be the genuine one.
"""

from __future__ import annotations

from broker.transparency.checkpoint import Checkpoint
from broker.transparency.errors import TransparencyError
from broker.transparency.hashing import leaf_hash
from broker.transparency.note import NoteSigner
from broker.transparency.proof_files import (
    ConsistencyBody,
    TlogProof,
    format_consistency_body,
    format_tlog_proof,
    parse_tlog_proof,
)
from broker.transparency.tree import (
    CompactRange,
    NodeId,
    consistency_ranges,
    inclusion_ranges,
    proof_from_nodes,
)
from broker.transparency.verifier import verify_checkpoint_consistency, verify_entry_proof
from fuzz.harness import check_message, run

SIGNER = NoteSigner.generate("fuzz.example/log")
ENTRIES = [f'{{"entry":{i}}}'.encode() for i in range(37)]
TREE = CompactRange()
NODES: dict[NodeId, bytes] = {}
for _entry in ENTRIES:
    NODES.update(TREE.append(leaf_hash(_entry)))
OLD_TREE = CompactRange()
for _entry in ENTRIES[:20]:
    OLD_TREE.append(leaf_hash(_entry))
NOTE = Checkpoint(SIGNER.name, 37, TREE.root()).sign(SIGNER)
OLD_NOTE = Checkpoint(SIGNER.name, 20, OLD_TREE.root()).sign(SIGNER)
GENUINE = format_tlog_proof(
    TlogProof(11, tuple(proof_from_nodes(inclusion_ranges(11, 37), NODES)), NOTE)
)
BODY = format_consistency_body(
    ConsistencyBody(20, tuple(proof_from_nodes(consistency_ranges(20, 37), NODES)), NOTE)
)


def _mutated(original: str, data: bytes) -> str:
    """``original`` with the input spliced in at a position the input chooses."""
    if not data:
        return original
    position = data[0] * len(original) // 256
    return original[:position] + data[1:].decode("latin-1") + original[position + 1 :]


def test_one_input(data: bytes) -> None:
    """Verify random and spliced receipts; only the genuine meaning may ever verify."""
    for text in (data.decode("latin-1"), _mutated(GENUINE, data)):
        try:
            verified = verify_entry_proof(text, ENTRIES[11], SIGNER.verifier)
        except TransparencyError as error:
            check_message(str(error), b"")
        else:
            genuine = parse_tlog_proof(GENUINE)
            parsed = parse_tlog_proof(text)
            assert (parsed.index, parsed.hashes) == (genuine.index, genuine.hashes)
            assert verified.checkpoint.root == TREE.root()
    try:
        old, new = verify_checkpoint_consistency(OLD_NOTE, _mutated(BODY, data), SIGNER.verifier)
    except TransparencyError as error:
        check_message(str(error), b"")
    else:
        assert (old.size, new.size, new.root) == (20, 37, TREE.root())


if __name__ == "__main__":
    run(test_one_input)
