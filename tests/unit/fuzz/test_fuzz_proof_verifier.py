"""Fuzzing the offline verifier: tampered or random receipts are refused cleanly, never accepted."""

from __future__ import annotations

from functools import cache

from hypothesis import assume, given
from hypothesis import strategies as st

from broker.transparency.checkpoint import Checkpoint, open_checkpoint
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
from broker.transparency.proofs import verify_consistency, verify_inclusion
from broker.transparency.tree import (
    CompactRange,
    NodeId,
    consistency_ranges,
    inclusion_ranges,
    proof_from_nodes,
)
from broker.transparency.verifier import verify_checkpoint_consistency, verify_entry_proof
from tests.unit.fuzz.budget import FUZZ, MARKER, assert_clean_message

SIGNER = NoteSigner.generate("fuzz.example/log")
MAX_SIZE = 70


def entry(index: int) -> bytes:
    """The bytes of entry ``index`` (with the marker, so messages can be checked for it)."""
    return f'{{"entry":{index},"who":"{MARKER}"}}'.encode()


@cache
def tree_of(size: int) -> tuple[bytes, dict[NodeId, bytes]]:
    """Root and perfect nodes of the tree of the first ``size`` entries."""
    tree = CompactRange()
    nodes: dict[NodeId, bytes] = {}
    for index in range(size):
        nodes.update(tree.append(leaf_hash(entry(index))))
    return tree.root(), nodes


@cache
def note_of(size: int) -> str:
    """The signed checkpoint of the tree of ``size``."""
    return Checkpoint(SIGNER.name, size, tree_of(size)[0]).sign(SIGNER)


def proof_text(index: int, size: int) -> str:
    """A genuine tlog-proof for entry ``index`` under the checkpoint of ``size``."""
    hashes = tuple(proof_from_nodes(inclusion_ranges(index, size), tree_of(size)[1]))
    return format_tlog_proof(TlogProof(index, hashes, note_of(size)))


def body_text(old: int, new: int) -> str:
    """A genuine add-checkpoint body from ``old`` to ``new``."""
    hashes = tuple(proof_from_nodes(consistency_ranges(old, new), tree_of(new)[1]))
    return format_consistency_body(ConsistencyBody(old, hashes, note_of(new)))


def edit(text: str, position: int, replacement: str, cut: int) -> str:
    """``text`` with ``cut`` characters at ``position`` replaced by ``replacement``."""
    position %= len(text) + 1
    return text[:position] + replacement + text[position + cut :]


EDITS = st.tuples(
    st.integers(0, 10_000),
    st.text(max_size=6) | st.sampled_from(["0", "1", "\n", "=", "A", "+", "/", " ", "\u2014 "]),
    st.integers(0, 4),
)
INDEX_AND_SIZE = st.integers(1, MAX_SIZE).flatmap(
    lambda n: st.tuples(st.integers(0, n - 1), st.just(n))
)


@FUZZ
@given(st.text(max_size=600) | st.binary(max_size=600).map(lambda b: b.decode("latin-1")))
def test_random_text_is_never_a_valid_receipt(text: str) -> None:
    """Arbitrary text given as a receipt is refused with a one-line TransparencyError."""
    try:
        verify_entry_proof(text, entry(0), SIGNER.verifier)
    except TransparencyError as error:
        assert_clean_message(str(error))
    else:
        raise AssertionError("random text verified as a receipt")


@FUZZ
@given(INDEX_AND_SIZE, EDITS)
def test_an_edited_receipt_is_refused_or_proves_the_same_thing(
    where: tuple[int, int], change: tuple[int, str, int]
) -> None:
    """Any edit to a genuine receipt is refused cleanly, unless it left its meaning unchanged."""
    index, size = where
    original = proof_text(index, size)
    mutated = edit(original, *change)
    try:
        verified = verify_entry_proof(mutated, entry(index), SIGNER.verifier)
    except TransparencyError as error:
        assert_clean_message(str(error))
        return
    parsed, genuine = parse_tlog_proof(mutated), parse_tlog_proof(original)
    assert (parsed.index, parsed.hashes) == (genuine.index, genuine.hashes)
    assert (verified.index, verified.checkpoint.size) == (index, size)
    assert verified.checkpoint.root == tree_of(size)[0]


@FUZZ
@given(INDEX_AND_SIZE, st.data())
def test_a_receipt_never_proves_another_entry_or_position(
    where: tuple[int, int], data: st.DataObject
) -> None:
    """A genuine receipt checked against a different entry, index or tampered hash is refused."""
    index, size = where
    hashes = list(proof_from_nodes(inclusion_ranges(index, size), tree_of(size)[1]))
    root = tree_of(size)[0]
    how = data.draw(st.sampled_from(["entry", "index", "size", "hash", "drop", "extra"]))
    leaf, at, of = leaf_hash(entry(index)), index, size
    if how == "entry":
        leaf = leaf_hash(entry(index) + data.draw(st.binary(min_size=1, max_size=4)))
    elif how == "index":
        at = data.draw(st.integers(0, MAX_SIZE * 2).filter(lambda i: i != index))
    elif how == "size":  # another tree's genuine root: the checkpoint binds size and root
        of = data.draw(st.integers(1, MAX_SIZE).filter(lambda n: n != size))
        root = tree_of(of)[0]
    elif how == "hash":
        assume(hashes)
        position = data.draw(st.integers(0, len(hashes) - 1))
        flip = data.draw(st.integers(0, 255))
        byte = data.draw(st.integers(1, 255))
        damaged = bytearray(hashes[position])
        damaged[flip % 32] ^= byte
        hashes[position] = bytes(damaged)
    elif how == "drop":
        assume(hashes)
        hashes.pop(data.draw(st.integers(0, len(hashes) - 1)))
    else:
        hashes.insert(
            data.draw(st.integers(0, len(hashes))), data.draw(st.binary(min_size=32, max_size=32))
        )
    try:
        verify_inclusion(at, of, leaf, hashes, root)
    except TransparencyError as error:
        assert_clean_message(str(error))
    else:
        # Only when the proof is also the genuine proof of the entry in that other tree.
        assert how == "size" and index < of
        assert hashes == proof_from_nodes(inclusion_ranges(index, of), tree_of(of)[1])


@FUZZ
@given(st.integers(1, MAX_SIZE).flatmap(lambda n: st.tuples(st.integers(1, n), st.just(n))), EDITS)
def test_an_edited_consistency_body_is_refused_or_means_the_same(
    sizes: tuple[int, int], change: tuple[int, str, int]
) -> None:
    """Edits to an add-checkpoint body are refused cleanly or leave the proven sizes unchanged."""
    old, new = sizes
    mutated = edit(body_text(old, new), *change)
    try:
        proven_old, proven_new = verify_checkpoint_consistency(
            note_of(old), mutated, SIGNER.verifier
        )
    except TransparencyError as error:
        assert_clean_message(str(error))
        return
    assert (proven_old.size, proven_new.size) == (old, new)
    assert proven_new.root == tree_of(new)[0]


@FUZZ
@given(
    st.integers(1, MAX_SIZE).flatmap(lambda n: st.tuples(st.integers(1, n), st.just(n))),
    st.data(),
)
def test_tampered_consistency_proofs_are_refused(
    sizes: tuple[int, int], data: st.DataObject
) -> None:
    """A consistency proof with a changed, dropped or added hash, or wrong roots, is refused."""
    old, new = sizes
    hashes = list(proof_from_nodes(consistency_ranges(old, new), tree_of(new)[1]))
    old_root, new_root = tree_of(old)[0], tree_of(new)[0]
    how = data.draw(st.sampled_from(["hash", "drop", "extra", "old_root", "new_root"]))
    if how == "hash":
        assume(hashes)
        position = data.draw(st.integers(0, len(hashes) - 1))
        damaged = bytearray(hashes[position])
        damaged[data.draw(st.integers(0, 31))] ^= data.draw(st.integers(1, 255))
        hashes[position] = bytes(damaged)
    elif how == "drop":
        assume(hashes)
        hashes.pop(data.draw(st.integers(0, len(hashes) - 1)))
    elif how == "extra":
        hashes.insert(
            data.draw(st.integers(0, len(hashes))), data.draw(st.binary(min_size=32, max_size=32))
        )
    elif how == "old_root":
        old_root = data.draw(st.binary(min_size=32, max_size=32).filter(lambda r: r != old_root))
    else:
        new_root = data.draw(st.binary(min_size=32, max_size=32).filter(lambda r: r != new_root))
    try:
        verify_consistency(old, new, old_root, new_root, hashes)
    except TransparencyError as error:
        assert_clean_message(str(error))
    else:
        raise AssertionError(f"tampered consistency proof ({how}) was accepted")


@FUZZ
@given(st.integers(1, MAX_SIZE), EDITS)
def test_an_edited_checkpoint_is_refused_or_unchanged(
    size: int, change: tuple[int, str, int]
) -> None:
    """An edited signed checkpoint fails its signature check cleanly or says the same thing."""
    mutated = edit(note_of(size), *change)
    try:
        checkpoint = open_checkpoint(mutated, SIGNER.verifier)
    except TransparencyError as error:
        assert_clean_message(str(error))
        return
    assert (checkpoint.size, checkpoint.root) == (size, tree_of(size)[0])
