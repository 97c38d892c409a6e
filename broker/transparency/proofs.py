"""Verify Merkle inclusion and consistency proofs exactly as RFC 9162 sections 2.1.3.2 and 2.1.4.2.

Every hash must be 32 bytes; a proof with a missing, extra or altered hash, or checked against
the wrong index or tree size, fails with a :class:`ProofError` saying why.
"""

from __future__ import annotations

from collections.abc import Sequence

from broker.transparency.errors import ProofError
from broker.transparency.hashing import HASH_SIZE, node_hash
from broker.transparency.tree import consistency_ranges, inclusion_ranges


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{what} is {len(value)} bytes, expected {HASH_SIZE}")


def _check_proof(proof: Sequence[bytes]) -> None:
    for position, item in enumerate(proof):
        _check_hash(item, f"proof hash {position}")


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root that ``proof`` implies for leaf hash ``leaf`` at ``index`` in a tree of ``size``."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not in a tree of size {size}")
    _check_hash(leaf, "leaf hash")
    _check_proof(proof)
    expected = len(inclusion_ranges(index, size))
    if len(proof) != expected:
        raise ProofError(
            f"inclusion proof for index {index} in size {size} needs {expected} hashes, "
            f"got {len(proof)}"
        )
    fn, sn, result = index, size - 1, leaf
    for item in proof:
        if sn == 0:
            raise ProofError("inclusion proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            result = node_hash(item, result)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            result = node_hash(result, item)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("inclusion proof is shorter than the path to the root")
    return result


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Raise ProofError unless ``proof`` shows leaf hash ``leaf`` at ``index`` under ``root``."""
    _check_hash(root, "root hash")
    if root_from_inclusion_proof(index, size, leaf, proof) != root:
        raise ProofError(
            f"inclusion proof for index {index} does not lead to the root of size {size}"
        )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Raise ProofError unless ``proof`` shows tree ``old_size`` is a prefix of ``new_size``."""
    _check_hash(old_root, "old root hash")
    _check_hash(new_root, "new root hash")
    _check_proof(proof)
    if not 0 <= old_size <= new_size:
        raise ProofError(f"tree size {new_size} is smaller than the old size {old_size}")
    expected = len(consistency_ranges(old_size, new_size))
    if len(proof) != expected:
        raise ProofError(
            f"consistency proof from size {old_size} to {new_size} needs {expected} hashes, "
            f"got {len(proof)}"
        )
    if old_size == new_size:
        if old_root != new_root:
            raise ProofError(f"two different roots for the same tree size {old_size}")
        return
    if old_size == 0:
        return
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # an exact power of two: the old root is a subtree
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    first = second = path[0]
    for item in path[1:]:
        if sn == 0:
            raise ProofError("consistency proof is longer than the path to the new root")
        if fn & 1 or fn == sn:
            first = node_hash(item, first)
            second = node_hash(item, second)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            second = node_hash(second, item)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("consistency proof is shorter than the path to the new root")
    if first != old_root:
        raise ProofError(f"consistency proof does not lead to the old root of size {old_size}")
    if second != new_root:
        raise ProofError(f"consistency proof does not lead to the new root of size {new_size}")
