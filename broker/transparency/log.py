"""The transparency log service: append disclosures, sign checkpoints, serve proofs."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import structlog

from broker.transparency.checkpoint import Checkpoint
from broker.transparency.cosignature import with_cosignatures
from broker.transparency.entry import LogEntry, entry_from_disclosure, fresh_salts
from broker.transparency.errors import EntryError
from broker.transparency.hashing import leaf_hash
from broker.transparency.note import NoteSigner, NoteVerifier
from broker.transparency.proof_files import (
    ConsistencyBody,
    TlogProof,
    format_consistency_body,
    format_tlog_proof,
)
from broker.transparency.retention import retention_ends
from broker.transparency.store.protocol import AppendResult, LogStore, NewLeaf, StoredCheckpoint
from broker.transparency.subject_index import subject_index
from broker.transparency.tree import (
    LeafRange,
    consistency_ranges,
    inclusion_ranges,
    nodes_for,
    proof_from_nodes,
)

log = structlog.get_logger(__name__)

DEFAULT_RETENTION = "P6Y"
RANGE_CACHE_SIZE = 200_000
"""Proof hashes kept in memory (about 20 MB): the hash of a leaf range never changes, and the
upper levels of every proof are shared by all entries of a tree size."""


def epoch_ms(moment: datetime) -> int:
    """Milliseconds since the epoch of an aware datetime."""
    return int(moment.timestamp() * 1000)


class TransparencyLog:
    """One log: its store, its signing key (named like its origin) and its subject-index key."""

    def __init__(
        self,
        store: LogStore,
        signer: NoteSigner,
        index_key: bytes,
        default_retention: str = DEFAULT_RETENTION,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.signer = signer
        self._index_key = index_key
        self.default_retention = default_retention
        self.clock = clock
        self._range_cache: OrderedDict[LeafRange, bytes] = OrderedDict()
        self._cache_lock = threading.Lock()

    @property
    def origin(self) -> str:
        """The checkpoint origin line (also the key name)."""
        return self.signer.name

    @property
    def verifier(self) -> NoteVerifier:
        """The public key anyone verifies checkpoints with."""
        return self.signer.verifier

    def subject_index(self, subject_ref: str) -> str:
        """The keyed index a subject's entries are stored under."""
        return subject_index(self._index_key, subject_ref)

    def leaf_for(
        self, disclosure: Mapping[str, Any], salt: bytes | None = None
    ) -> tuple[LogEntry, NewLeaf]:
        """The salted entry and the leaf to append for one decoded disclosure record.

        ``salt`` is a fresh one from :func:`~broker.transparency.entry.fresh_salts` when a
        batch draws them together; by default one is drawn for this entry alone.
        """
        ref = disclosure.get("subject_ref")
        entry = entry_from_disclosure(disclosure, self.subject_index(ref) if ref else None, salt)
        content = entry.encode()
        try:
            expires = retention_ends(entry.decided_at, entry.retention, self.default_retention)
        except EntryError:
            log.warning("transparency.bad_retention", disclosure_id=entry.disclosure_id)
            expires = retention_ends(entry.decided_at, None, self.default_retention)
        leaf = NewLeaf(
            disclosure_id=entry.disclosure_id,
            subject=entry.subject,
            permitted=entry.permitted,
            decided_at_ms=epoch_ms(entry.decided_at),
            expires_at_ms=epoch_ms(expires),
            content=content,
            leaf_hash=leaf_hash(content),
            source_agency=entry.source_agency,
            recipient_agency=entry.recipient_agency,
            event_type=entry.event_type,
        )
        return entry, leaf

    def append_disclosures(self, disclosures: Iterable[Mapping[str, Any]]) -> AppendResult:
        """Append each disclosure not logged before (by disclosure id), durably, in one batch."""
        records = list(disclosures)
        salts = fresh_salts(len(records))
        return self.append_leaves(
            [self.leaf_for(record, salt)[1] for record, salt in zip(records, salts, strict=True)]
        )

    def append_leaves(self, leaves: Sequence[NewLeaf]) -> AppendResult:
        """Append prepared leaves (see :meth:`leaf_for`), skipping disclosure ids already logged."""
        result = self.store.append(leaves, epoch_ms(self.clock()))
        log.debug("transparency.appended", appended=len(result.appended), skipped=result.skipped)
        return result

    def publish_checkpoint(self) -> StoredCheckpoint:
        """Sign the current tree head unless the latest checkpoint already covers it."""
        latest = self.store.latest_checkpoint()
        size, root = self.store.tree_head()
        if latest is not None and latest.size >= size:
            return latest
        note = Checkpoint(self.origin, size, root).sign(self.signer)
        checkpoint = StoredCheckpoint(size, root, note, epoch_ms(self.clock()))
        self.store.save_checkpoint(checkpoint)
        log.info("transparency.checkpoint_published", size=size)
        return checkpoint

    def cosigned_note(self, checkpoint: StoredCheckpoint) -> str:
        """The checkpoint's note with the cosignature lines its witnesses returned so far."""
        lines = self.store.cosignatures(checkpoint.size)
        return with_cosignatures(checkpoint.note, lines) if lines else checkpoint.note

    def witness_gaps(self) -> dict[str, int]:
        """Per witness that ever cosigned: entries its latest cosignature does not cover."""
        latest = self.store.latest_checkpoint()
        size = latest.size if latest else 0
        return {name: size - cosigned for name, cosigned in self.store.cosigned_sizes().items()}

    def inclusion_proofs(self, indexes: Sequence[int], size: int) -> dict[int, list[bytes]]:
        """Inclusion proofs of several leaves in the tree of ``size``, with one node lookup."""
        ranges = {index: inclusion_ranges(index, size) for index in indexes}
        distinct = sorted({r for rs in ranges.values() for r in rs})  # upper levels are shared
        hashes = dict(zip(distinct, self._range_hashes(distinct), strict=True))
        return {index: [hashes[r] for r in rs] for index, rs in ranges.items()}

    def _range_hashes(self, ranges: Sequence[LeafRange]) -> list[bytes]:
        """MTH of each leaf range; ranges seen before come from memory (they never change)."""
        with self._cache_lock:
            known = {r: self._range_cache[r] for r in ranges if r in self._range_cache}
        missing = [r for r in ranges if r not in known]
        if missing:
            computed = proof_from_nodes(missing, self.store.node_hashes(nodes_for(missing)))
            known.update(zip(missing, computed, strict=True))
            with self._cache_lock:
                self._range_cache.update(zip(missing, computed, strict=True))
                while len(self._range_cache) > RANGE_CACHE_SIZE:
                    self._range_cache.popitem(last=False)
        return [known[r] for r in ranges]

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """The RFC 9162 inclusion proof of leaf ``index`` in the tree of ``size``."""
        return self.inclusion_proofs([index], size)[index]

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        """The RFC 9162 consistency proof from ``old_size`` to ``new_size``."""
        ranges = consistency_ranges(old_size, new_size)
        return proof_from_nodes(ranges, self.store.node_hashes(nodes_for(ranges)))

    def tlog_proof(self, index: int, checkpoint: StoredCheckpoint, proof: Sequence[bytes]) -> str:
        """A c2sp.org/tlog-proof@v1 file for leaf ``index`` under ``checkpoint`` (cosigned by
        the witnesses that have cosigned it so far)."""
        return format_tlog_proof(TlogProof(index, tuple(proof), self.cosigned_note(checkpoint)))

    def consistency_body(self, old_size: int, checkpoint: StoredCheckpoint) -> str:
        """An add-checkpoint body proving ``checkpoint`` extends the tree of ``old_size``."""
        proof = self.consistency_proof(old_size, checkpoint.size)
        return format_consistency_body(ConsistencyBody(old_size, tuple(proof), checkpoint.note))
