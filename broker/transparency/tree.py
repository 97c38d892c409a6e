"""Which subtrees make up RFC 9162 proofs, and the log's growing right edge (compact range).

The store keeps the hash of every *perfect* subtree: node ``(level, index)`` covers leaves
``[index * 2**level, (index + 1) * 2**level)``. Every hash an RFC 9162 proof needs is the
hash of a leaf range ``[lo, hi)`` that starts on a power-of-two boundary, so it is a right
fold of at most ``log2(size)`` perfect nodes (:func:`perfect_nodes`, :func:`range_hash`).
Proof generation is therefore: list the ranges (:func:`inclusion_ranges`,
:func:`consistency_ranges`), fetch their perfect nodes in one query, fold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from broker.transparency.errors import ProofError
from broker.transparency.hashing import EMPTY_ROOT, node_hash

NodeId = tuple[int, int]
"""A perfect subtree: (level, index); level 0 is a leaf."""

LeafRange = tuple[int, int]
"""Leaves ``[lo, hi)`` whose Merkle tree hash is one element of a proof."""


def _split(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (n > 1), as in RFC 9162 2.1.1."""
    return 1 << ((n - 1).bit_length() - 1)


def perfect_nodes(lo: int, hi: int) -> list[NodeId]:
    """The perfect subtrees, left to right, whose right fold is MTH(D[lo:hi])."""
    if not 0 <= lo < hi:
        raise ProofError(f"leaf range [{lo}, {hi}) is empty or negative")
    width = hi - lo
    if not width & (width - 1) and not lo % width:  # one perfect subtree (most proof steps)
        level = width.bit_length() - 1
        return [(level, lo >> level)]
    nodes: list[NodeId] = []
    while lo < hi:
        width = 1 << ((hi - lo).bit_length() - 1)
        level = width.bit_length() - 1
        if lo % width:
            raise ProofError(f"leaf range [{lo}, {hi}) does not start on a subtree boundary")
        nodes.append((level, lo >> level))
        lo += width
    return nodes


def fold(hashes: Sequence[bytes]) -> bytes:
    """Right fold of perfect-subtree hashes: h(a, h(b, h(c, d))); the empty tree's root if none."""
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def range_hash(leaves: LeafRange, nodes: Mapping[NodeId, bytes]) -> bytes:
    """MTH of a leaf range from the stored perfect-subtree hashes."""
    return fold([nodes[node] for node in perfect_nodes(*leaves)])


def inclusion_ranges(index: int, size: int) -> list[LeafRange]:
    """The leaf ranges of PATH(index, D[0:size]) (RFC 9162 2.1.3.1), from the leaf upwards."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not in a tree of size {size}")
    lo, hi = 0, size
    ranges: list[LeafRange] = []
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
    ranges.reverse()
    return ranges


def consistency_ranges(old_size: int, new_size: int) -> list[LeafRange]:
    """The leaf ranges of PROOF(old_size, D[0:new_size]) (RFC 9162 2.1.4.1)."""
    if not 0 <= old_size <= new_size:
        raise ProofError(f"no consistency proof from tree size {old_size} to {new_size}")
    if old_size in (0, new_size):
        return []
    lo, hi, m, complete = 0, new_size, old_size, True
    ranges: list[LeafRange] = []
    while True:
        n = hi - lo
        if m == n:
            if not complete:
                ranges.append((lo, hi))
            break
        k = _split(n)
        if m <= k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
            m -= k
            complete = False
    ranges.reverse()
    return ranges


def nodes_for(ranges: Iterable[LeafRange]) -> set[NodeId]:
    """Every perfect node the given ranges need."""
    return {node for leaves in ranges for node in perfect_nodes(*leaves)}


def proof_from_nodes(ranges: Sequence[LeafRange], nodes: Mapping[NodeId, bytes]) -> list[bytes]:
    """The proof hashes for ``ranges``, given (at least) the nodes :func:`nodes_for` listed."""
    return [range_hash(leaves, nodes) for leaves in ranges]


class CompactRange:
    """The perfect subtrees along the right edge of a tree: enough to append and to get the root.

    ``append`` returns every perfect node the new leaf completes, for the store to keep.
    """

    def __init__(self, size: int = 0, edge: Sequence[bytes] = ()) -> None:
        expected = len(perfect_nodes(0, size)) if size else 0
        if len(edge) != expected:
            raise ProofError(f"a tree of size {size} has {expected} edge nodes, got {len(edge)}")
        self.size = size
        self._edge = list(edge)

    @staticmethod
    def edge_nodes(size: int) -> list[NodeId]:
        """The node ids a store must supply to rebuild the compact range of a tree of ``size``."""
        return perfect_nodes(0, size) if size else []

    @classmethod
    def load(
        cls, size: int, lookup: Callable[[Sequence[NodeId]], Mapping[NodeId, bytes]]
    ) -> CompactRange:
        """Rebuild from a store: ``lookup`` returns the hashes of the given node ids."""
        ids = cls.edge_nodes(size)
        found = lookup(ids)
        return cls(size, [found[node] for node in ids])

    def append(self, leaf: bytes) -> list[tuple[NodeId, bytes]]:
        """Add a leaf hash; return the new perfect nodes (the leaf itself first)."""
        index, level, current = self.size, 0, leaf
        created = [((0, index), leaf)]
        while index & 1:
            current = node_hash(self._edge.pop(), current)
            index >>= 1
            level += 1
            created.append(((level, index), current))
        self._edge.append(current)
        self.size += 1
        return created

    def root(self) -> bytes:
        """The Merkle tree hash of the whole tree so far."""
        return fold(self._edge)
