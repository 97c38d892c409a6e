"""The Merkle tree matches the public RFC 6962 test vectors, and corrupted proofs never verify."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from broker.transparency.errors import ProofError
from broker.transparency.hashing import EMPTY_ROOT, leaf_hash, node_hash
from broker.transparency.proofs import verify_consistency, verify_inclusion
from broker.transparency.tree import (
    CompactRange,
    NodeId,
    consistency_ranges,
    inclusion_ranges,
    nodes_for,
    proof_from_nodes,
)

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "rfc6962_vectors.json").read_text(encoding="utf-8")
)
LEAVES = [leaf_hash(bytes.fromhex(leaf)) for leaf in VECTORS["leaves"]]
ROOTS = [bytes.fromhex(root) for root in VECTORS["roots"]]
OTHER = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


def build(leaves: list[bytes]) -> tuple[CompactRange, dict[NodeId, bytes]]:
    """A tree over ``leaves`` and every perfect node it stored."""
    tree = CompactRange()
    nodes: dict[NodeId, bytes] = {}
    for leaf in leaves:
        nodes.update(tree.append(leaf))
    return tree, nodes


def test_hasher_matches_published_hashes() -> None:
    """Empty root, empty leaf, leaf 'L123456' and node ('N123','N456') hash as published."""
    hasher = VECTORS["hasher"]
    assert EMPTY_ROOT.hex() == hasher["empty_root"]
    assert leaf_hash(b"").hex() == hasher["empty_leaf"]
    assert leaf_hash(b"L123456").hex() == hasher["leaf_L123456"]
    assert node_hash(b"N123", b"N456").hex() == hasher["node_N123_N456"]


def test_roots_of_the_first_eight_trees() -> None:
    """The root after each of the eight published leaves is the published root."""
    tree = CompactRange()
    for leaf, root in zip(LEAVES, ROOTS, strict=True):
        tree.append(leaf)
        assert tree.root() == root


@pytest.mark.parametrize("case", VECTORS["inclusion"], ids=lambda c: f"{c['index']}-{c['size']}")
def test_inclusion_proofs_match_and_verify(case: dict[str, Any]) -> None:
    """Generated inclusion proofs equal the published ones and verify against the root."""
    _, nodes = build(LEAVES)
    index, size = case["index"], case["size"]
    proof = proof_from_nodes(inclusion_ranges(index, size), nodes)
    assert [p.hex() for p in proof] == case["proof"]
    verify_inclusion(index, size, LEAVES[index], proof, ROOTS[size - 1])


@pytest.mark.parametrize("case", VECTORS["consistency"], ids=lambda c: f"{c['old']}-{c['new']}")
def test_consistency_proofs_match_and_verify(case: dict[str, Any]) -> None:
    """Generated consistency proofs equal the published ones and verify between the roots."""
    _, nodes = build(LEAVES)
    old, new = case["old"], case["new"]
    proof = proof_from_nodes(consistency_ranges(old, new), nodes)
    assert [p.hex() for p in proof] == case["proof"]
    verify_consistency(old, new, ROOTS[old - 1], ROOTS[new - 1], proof)


def inclusion_corruptions(
    index: int, size: int, proof: list[bytes], root: bytes, leaf: bytes
) -> list[tuple[str, int, int, bytes, list[bytes], bytes]]:
    """Every way the public test suite corrupts an inclusion proof."""
    cases = [
        ("index - 1", index - 1, size, leaf, proof, root),
        ("index + 1", index + 1, size, leaf, proof, root),
        ("index ^ 2", index ^ 2, size, leaf, proof, root),
        ("size * 2", index, size * 2, leaf, proof, root),
        ("size // 2", index, size // 2, leaf, proof, root),
        ("wrong leaf", index, size, leaf_hash(b"WrongLeaf"), proof, root),
        ("empty root", index, size, leaf, proof, EMPTY_ROOT),
        ("random root", index, size, leaf, proof, OTHER),
        ("trailing garbage", index, size, leaf, [*proof, b""], root),
        ("trailing root", index, size, leaf, [*proof, root], root),
        ("preceding garbage", index, size, leaf, [b"", *proof], root),
        ("preceding root", index, size, leaf, [root, *proof], root),
    ]
    for position in range(len(proof)):
        flipped = list(proof)
        flipped[position] = bytes([flipped[position][0] ^ 8]) + flipped[position][1:]
        cases.append((f"bit flip {position}", index, size, leaf, flipped, root))
    if proof:
        cases.append(("removed component", index, size, leaf, proof[:-1], root))
    if len(proof) > 1:
        cases.append(("inserted component", index, size, leaf, [proof[0], OTHER, *proof[1:]], root))
    return cases


@pytest.mark.parametrize(
    "case", VECTORS["inclusion"][1:], ids=lambda c: f"{c['index']}-{c['size']}"
)
def test_corrupted_inclusion_proofs_fail(case: dict[str, Any]) -> None:
    """A wrong index or size, a wrong leaf or root, or garbage in the proof never verifies."""
    index, size = case["index"], case["size"]
    proof = [bytes.fromhex(p) for p in case["proof"]]
    verified = []
    for name, i, s, leaf, bad_proof, root in inclusion_corruptions(
        index, size, proof, ROOTS[size - 1], LEAVES[index]
    ):
        try:
            verify_inclusion(i, s, leaf, bad_proof, root)
        except ProofError:
            continue
        verified.append(name)
    assert verified == []


@pytest.mark.parametrize("case", VECTORS["consistency"][1:], ids=lambda c: f"{c['old']}-{c['new']}")
def test_corrupted_consistency_proofs_fail(case: dict[str, Any]) -> None:
    """Wrong sizes, swapped or wrong roots, and added, removed or flipped hashes never verify."""
    old, new = case["old"], case["new"]
    proof = [bytes.fromhex(p) for p in case["proof"]]
    root1, root2 = ROOTS[old - 1], ROOTS[new - 1]
    cases = [
        (old - 1, new, root1, root2, proof),
        (old + 1, new, root1, root2, proof),
        (old ^ 2, new, root1, root2, proof),
        (old, new * 2, root1, root2, proof),
        (old, new // 2, root1, root2, proof),
        (old, new, OTHER, root2, proof),
        (old, new, root1, OTHER, proof),
        (old, new, root2, root1, proof),
        (old, new, root1, root2, []),
        (old, new, root1, root2, [*proof, b""]),
        (old, new, root1, root2, [*proof, root1]),
        (old, new, root1, root2, [*proof, root2]),
        (old, new, root1, root2, [b"", *proof]),
        (old, new, root1, root2, [root1, *proof]),
        (old, new, root1, root2, [proof[0], *proof]),
        (old, new, root1, root2, proof[:-1]),
    ]
    for position in range(len(proof)):
        flipped = list(proof)
        flipped[position] = bytes([flipped[position][0] ^ 16]) + flipped[position][1:]
        cases.append((old, new, root1, root2, flipped))
    for number, (size1, size2, first, second, bad_proof) in enumerate(cases):
        with pytest.raises(ProofError):
            verify_consistency(size1, size2, first, second, bad_proof)
            pytest.fail(f"corruption {number} verified")


def test_trivial_consistency_cases() -> None:
    """Equal sizes need equal roots and no proof; size 0 is consistent with anything."""
    verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    verify_consistency(0, 1, EMPTY_ROOT, ROOTS[0], [])
    verify_consistency(1, 1, ROOTS[0], ROOTS[0], [])
    with pytest.raises(ProofError):
        verify_consistency(1, 1, ROOTS[0], ROOTS[1], [])
    with pytest.raises(ProofError):
        verify_consistency(1, 1, ROOTS[0], ROOTS[0], [EMPTY_ROOT])
    with pytest.raises(ProofError):
        verify_consistency(0, 1, EMPTY_ROOT, ROOTS[0], [EMPTY_ROOT])
    with pytest.raises(ProofError):
        verify_consistency(2, 1, ROOTS[1], ROOTS[0], [])


def reference_root(leaves: list[bytes]) -> bytes:
    """MTH straight from RFC 9162's recursive definition."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node_hash(reference_root(leaves[:k]), reference_root(leaves[k:]))


def test_every_proof_up_to_size_40_verifies_against_the_recursive_definition() -> None:
    """For each tree up to 40 leaves, every inclusion and consistency proof verifies."""
    leaves = [leaf_hash(bytes([i])) for i in range(40)]
    _, nodes = build(leaves)
    roots = [reference_root(leaves[:size]) for size in range(41)]
    for size in range(1, 41):
        for index in range(size):
            proof = proof_from_nodes(inclusion_ranges(index, size), nodes)
            verify_inclusion(index, size, leaves[index], proof, roots[size])
        for old in range(size + 1):
            ranges = consistency_ranges(old, size)
            assert nodes_for(ranges) <= set(nodes)
            verify_consistency(old, size, roots[old], roots[size], proof_from_nodes(ranges, nodes))


def test_inclusion_parameters_out_of_range_are_refused() -> None:
    """Asking for a leaf outside the tree is an error naming the index and size."""
    with pytest.raises(ProofError, match="leaf index 8 is not in a tree of size 8"):
        inclusion_ranges(8, 8)
    with pytest.raises(ProofError):
        verify_inclusion(0, 0, LEAVES[0], [], EMPTY_ROOT)
