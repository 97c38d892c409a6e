"""Receipts in the c2sp formats verify offline, and any tampering or malformation is refused."""

from __future__ import annotations

import base64

import pytest

from broker.transparency.checkpoint import Checkpoint
from broker.transparency.errors import FormatError, NoteError, ProofError, TransparencyError
from broker.transparency.hashing import leaf_hash
from broker.transparency.note import NoteSigner
from broker.transparency.proof_files import (
    ConsistencyBody,
    TlogProof,
    format_consistency_body,
    format_tlog_proof,
    parse_consistency_body,
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

SIGNER = NoteSigner.generate("test.example/log")
ENTRIES = [f'{{"entry":{i}}}'.encode() for i in range(13)]


def tree_of(size: int) -> tuple[CompactRange, dict[NodeId, bytes]]:
    """The tree of the first ``size`` entries and its nodes."""
    tree = CompactRange()
    nodes: dict[NodeId, bytes] = {}
    for entry in ENTRIES[:size]:
        nodes.update(tree.append(leaf_hash(entry)))
    return tree, nodes


def proof_file(index: int, size: int = 13, extra: bytes | None = None) -> str:
    """A tlog-proof for entry ``index`` under a signed checkpoint of ``size``."""
    tree, nodes = tree_of(size)
    note = Checkpoint(SIGNER.name, size, tree.root()).sign(SIGNER)
    hashes = tuple(proof_from_nodes(inclusion_ranges(index, size), nodes))
    return format_tlog_proof(TlogProof(index, hashes, note, extra))


def consistency_files(old: int, new: int) -> tuple[str, str]:
    """The old signed checkpoint and an add-checkpoint body up to ``new``."""
    old_tree, _ = tree_of(old)
    new_tree, nodes = tree_of(new)
    old_note = Checkpoint(SIGNER.name, old, old_tree.root()).sign(SIGNER)
    new_note = Checkpoint(SIGNER.name, new, new_tree.root()).sign(SIGNER)
    hashes = tuple(proof_from_nodes(consistency_ranges(old, new), nodes))
    return old_note, format_consistency_body(ConsistencyBody(old, hashes, new_note))


def test_proof_file_format_is_the_c2sp_layout() -> None:
    """Header, optional extra, index, one base64 hash per line, blank line, checkpoint."""
    text = proof_file(5, extra=b"hi")
    lines = text.split("\n")
    assert lines[:3] == ["c2sp.org/tlog-proof@v1", "extra aGk=", "index 5"]
    assert lines[7] == "" and lines[8] == SIGNER.name and lines[9] == "13"
    parsed = parse_tlog_proof(text)
    assert (parsed.index, parsed.extra, len(parsed.hashes)) == (5, b"hi", 4)


@pytest.mark.parametrize("index", range(13))
def test_every_entry_verifies(index: int) -> None:
    """Each entry's receipt verifies with only the entry bytes and the verifier key."""
    verified = verify_entry_proof(proof_file(index), ENTRIES[index], SIGNER.verifier)
    assert (verified.index, verified.checkpoint.size) == (index, 13)


def test_entry_with_one_changed_byte_is_refused() -> None:
    """An entry altered after logging does not verify against its receipt."""
    altered = ENTRIES[3].replace(b"3", b"4")
    with pytest.raises(ProofError, match="does not lead to the root"):
        verify_entry_proof(proof_file(3), altered, SIGNER.verifier)


def test_receipt_for_another_index_is_refused() -> None:
    """A receipt re-labelled with another index does not verify."""
    text = proof_file(3).replace("index 3\n", "index 2\n")
    with pytest.raises(ProofError):
        verify_entry_proof(text, ENTRIES[3], SIGNER.verifier)


def test_checkpoint_with_a_changed_size_is_refused() -> None:
    """Editing the checkpoint's size breaks its signature."""
    text = proof_file(3).replace(f"{SIGNER.name}\n13\n", f"{SIGNER.name}\n14\n")
    with pytest.raises(NoteError, match="proof: checkpoint: signature"):
        verify_entry_proof(text, ENTRIES[3], SIGNER.verifier)


def test_checkpoint_signed_by_another_key_is_refused() -> None:
    """A receipt whose checkpoint another key signed is not trusted."""
    with pytest.raises(NoteError, match="no signature by a trusted key"):
        verify_entry_proof(proof_file(3), ENTRIES[3], NoteSigner.generate(SIGNER.name).verifier)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("c2sp.org/tlog-proof@v1", "c2sp.org/tlog-proof@v2"), "p.txt:1: first"),
        (lambda t: t.replace("index 3", "index 03"), "p.txt:2: index '03'"),
        (lambda t: t.replace("index 3", "idx 3"), "p.txt:2: expected 'index N'"),
        (
            lambda t: t.replace("\n", "\n!!!!\n", 2).replace("!!!!\n", "", 1),
            "p.txt:3: hash is not base64",
        ),
        (lambda t: t.split("\n\n")[0] + "\n", "p.txt:7: missing blank line"),
        (lambda t: t.rstrip("\n"), "p.txt: file does not end with a newline"),
    ],
    ids=["header", "leading-zero", "keyword", "base64", "no-checkpoint", "no-newline"],
)
def test_malformed_proof_files_name_file_and_line(edit: object, message: str) -> None:
    """Format errors are one line: file, line number, what is wrong."""
    text = edit(proof_file(3))  # type: ignore[operator]
    with pytest.raises(FormatError) as caught:
        verify_entry_proof(text, ENTRIES[3], SIGNER.verifier, "p.txt")
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_short_hash_line_is_named() -> None:
    """A hash line that decodes to fewer than 32 bytes is refused with its line."""
    lines = proof_file(3).split("\n")
    lines[2] = base64.b64encode(bytes(31)).decode()
    with pytest.raises(FormatError, match="proof:3: hash is 31 bytes"):
        parse_tlog_proof("\n".join(lines))


@pytest.mark.parametrize(("old", "new"), [(1, 13), (4, 13), (7, 8), (12, 13), (13, 13), (0, 5)])
def test_consistency_bodies_verify(old: int, new: int) -> None:
    """The add-checkpoint body proves the new checkpoint extends the old one."""
    old_note, body = consistency_files(old, new)
    first, second = verify_checkpoint_consistency(old_note, body, SIGNER.verifier)
    assert (first.size, second.size) == (old, new)
    assert parse_consistency_body(body).old_size == old


def test_rewritten_history_is_refused() -> None:
    """A new checkpoint over a tree whose old part changed fails the consistency check."""
    old_note, _ = consistency_files(6, 13)
    forged = [*ENTRIES]
    forged[2] = b"rewritten"
    tree = CompactRange()
    nodes: dict[NodeId, bytes] = {}
    for entry in forged:
        nodes.update(tree.append(leaf_hash(entry)))
    note = Checkpoint(SIGNER.name, 13, tree.root()).sign(SIGNER)
    hashes = tuple(proof_from_nodes(consistency_ranges(6, 13), nodes))
    body = format_consistency_body(ConsistencyBody(6, hashes, note))
    with pytest.raises(ProofError, match="old root"):
        verify_checkpoint_consistency(old_note, body, SIGNER.verifier)


def test_body_old_size_must_match_the_old_checkpoint() -> None:
    """A body claiming another old size is refused on its first line."""
    old_note, body = consistency_files(6, 13)
    with pytest.raises(TransparencyError, match="body:1: old size 5"):
        verify_checkpoint_consistency(old_note, body.replace("old 6", "old 5", 1), SIGNER.verifier)
