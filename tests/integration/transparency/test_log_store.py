"""The log store contract, run against SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest

from broker.transparency.checkpoint import open_checkpoint
from broker.transparency.hashing import leaf_hash
from broker.transparency.log import TransparencyLog
from broker.transparency.proofs import verify_consistency, verify_inclusion
from broker.transparency.tree import CompactRange
from broker.transparency.verifier import verify_entry_proof
from tests.support.log_records import SIGNER, disclosure


def test_append_is_idempotent_by_disclosure_id(transparency_log: TransparencyLog) -> None:
    """Replaying disclosures (in a later batch or the same one) never logs one twice."""
    first = transparency_log.append_disclosures([disclosure(i) for i in range(5)])
    again = transparency_log.append_disclosures(
        [disclosure(3), disclosure(5), disclosure(5), disclosure(1)]
    )
    assert [index for _, index in first.appended] == [0, 1, 2, 3, 4]
    assert again.appended == (("00000000-0000-5000-8000-000000000005", 5),)
    assert (again.skipped, again.size) == (3, 6)
    assert transparency_log.store.tree_head()[0] == 6


def test_root_and_proofs_match_the_stored_entries(transparency_log: TransparencyLog) -> None:
    """The root is the RFC 6962 root of the entries' leaf hashes; every proof verifies."""
    for batch in range(4):
        transparency_log.append_disclosures([disclosure(batch * 10 + i) for i in range(7)])
    store = transparency_log.store
    size, root = store.tree_head()
    expected = CompactRange()
    contents = []
    for index in range(size):
        entry = store.entry(index)
        assert entry is not None and entry.content is not None
        contents.append(entry.content)
        expected.append(leaf_hash(entry.content))
    assert (size, root) == (28, expected.root())
    for index in range(size):
        proof = transparency_log.inclusion_proof(index, size)
        verify_inclusion(index, size, leaf_hash(contents[index]), proof, root)


def test_checkpoints_are_signed_and_consistent(transparency_log: TransparencyLog) -> None:
    """Each published checkpoint verifies with the log key and extends the previous one."""
    transparency_log.append_disclosures([disclosure(i) for i in range(3)])
    old = transparency_log.publish_checkpoint()
    assert transparency_log.publish_checkpoint() == old  # nothing new: no new checkpoint
    transparency_log.append_disclosures([disclosure(i) for i in range(3, 11)])
    new = transparency_log.publish_checkpoint()
    signed_old = open_checkpoint(old.note, SIGNER.verifier)
    signed_new = open_checkpoint(new.note, SIGNER.verifier)
    assert (signed_old.size, signed_new.size) == (3, 11)
    proof = transparency_log.consistency_proof(3, 11)
    verify_consistency(3, 11, signed_old.root, signed_new.root, proof)
    assert [c.size for c in transparency_log.store.checkpoints()] == [3, 11]


def test_tlog_proof_from_the_store_verifies_offline(transparency_log: TransparencyLog) -> None:
    """A receipt built from the store verifies with only the entry bytes and the key."""
    transparency_log.append_disclosures([disclosure(i) for i in range(9)])
    checkpoint = transparency_log.publish_checkpoint()
    entry = transparency_log.store.entry(6)
    assert entry is not None and entry.content is not None
    text = transparency_log.tlog_proof(6, checkpoint, transparency_log.inclusion_proof(6, 9))
    assert verify_entry_proof(text, entry.content, SIGNER.verifier).index == 6


def test_no_personal_identifier_in_stored_hashes_or_checkpoints(
    transparency_log: TransparencyLog,
) -> None:
    """Subject refs appear in no entry, node or checkpoint; entries name the keyed index only."""
    transparency_log.append_disclosures(
        [disclosure(i, subject_ref="subj-secret") for i in range(4)]
    )
    checkpoint = transparency_log.publish_checkpoint()
    assert "subj-secret" not in checkpoint.note
    for index in range(4):
        entry = transparency_log.store.entry(index)
        assert entry is not None and entry.content is not None
        assert b"subj-secret" not in entry.content
        assert entry.subject == transparency_log.subject_index("subj-secret")


@pytest.mark.parametrize("count", [1, 2, 1000])
def test_batches_of_any_size_keep_the_tree_right(
    transparency_log: TransparencyLog, count: int
) -> None:
    """Appending in one large batch gives the same root as appending one at a time."""
    records = [disclosure(i) for i in range(count)]
    transparency_log.append_disclosures(records)
    size, root = transparency_log.store.tree_head()
    rebuilt = CompactRange()
    for index in range(size):
        entry = transparency_log.store.entry(index)
        assert entry is not None and entry.content is not None
        rebuilt.append(leaf_hash(entry.content))
    assert (size, root) == (count, rebuilt.root())
