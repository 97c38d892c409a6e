"""The log store interface and the records it keeps.

A store keeps: entries (content until retention erases it), every perfect Merkle subtree
hash (level 0 = leaf hashes), signed checkpoints and their witnesses' cosignatures, s.45(4)
restrictions, and the s.62 audit (append-only). Appending is atomic and idempotent by
disclosure id. Timestamps are epoch milliseconds (UTC).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from broker.transparency.tree import NodeId


@dataclass(frozen=True)
class NewLeaf:
    """An entry to append; everything but ``content`` is non-personal or keyed."""

    disclosure_id: str
    subject: str | None
    permitted: bool
    decided_at_ms: int
    expires_at_ms: int
    content: bytes
    leaf_hash: bytes
    source_agency: str
    recipient_agency: str
    event_type: str


@dataclass(frozen=True)
class AppendResult:
    """What an append did: the (disclosure id, index) pairs added, duplicates skipped, new size."""

    appended: tuple[tuple[str, int], ...]
    skipped: int
    size: int


@dataclass(frozen=True)
class StoredEntry:
    """One entry as stored; ``content`` is None once retention erased it."""

    index: int
    disclosure_id: str
    subject: str | None
    permitted: bool
    decided_at_ms: int
    expires_at_ms: int
    content: bytes | None
    erased_at_ms: int | None


@dataclass(frozen=True)
class StoredCheckpoint:
    """A signed checkpoint the log published."""

    size: int
    root: bytes
    note: str
    published_at_ms: int


@dataclass(frozen=True)
class Restriction:
    """A DPA 2018 s.45(4) restriction on one entry: hidden from the subject until lifted."""

    restriction_id: int
    index: int
    reason: str
    set_by: str
    set_at_ms: int
    review_date: str
    lifted_by: str | None = None
    lifted_at_ms: int | None = None

    @property
    def active(self) -> bool:
        """True until the restriction is lifted."""
        return self.lifted_at_ms is None


@dataclass(frozen=True)
class AuditEvent:
    """One s.62 audit record: who did what to which record, when; ``seq`` is set by the store."""

    at_ms: int
    actor: str
    action: str
    target: str
    detail: str = "{}"
    seq: int | None = None


@dataclass(frozen=True)
class SubjectPage:
    """Cursor position for the subject query: entries strictly older than this."""

    decided_at_ms: int
    index: int


class LogStore(Protocol):
    """Storage of one transparency log. Implementations: SqliteStore, PostgresStore (SqlStore)."""

    def append(self, leaves: Sequence[NewLeaf], at_ms: int) -> AppendResult:
        """Append leaves not yet logged (by disclosure id), with their audit records, atomically."""
        ...

    def tree_head(self) -> tuple[int, bytes]:
        """The current tree size and root hash, read consistently."""
        ...

    def node_hashes(self, ids: Collection[NodeId]) -> dict[NodeId, bytes]:
        """The stored hashes of the given perfect subtrees (missing ids are left out)."""
        ...

    def entry(self, index: int) -> StoredEntry | None:
        """The entry at ``index``."""
        ...

    def entry_by_disclosure(self, disclosure_id: str) -> StoredEntry | None:
        """The entry logged for ``disclosure_id``."""
        ...

    def subject_entries(
        self, subject: str, limit: int, after: SubjectPage | None = None
    ) -> list[StoredEntry]:
        """A subject's visible entries, newest first: permitted, not erased, not restricted."""
        ...

    def subject_entries_newer(
        self, subject: str, limit: int, than: SubjectPage
    ) -> list[StoredEntry]:
        """The subject's visible entries just newer than ``than``, oldest first (paging back)."""
        ...

    def save_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        """Keep a signed checkpoint (a second one of the same size is ignored)."""
        ...

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        """The checkpoint of the largest tree size."""
        ...

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Every checkpoint, smallest tree first."""
        ...

    def save_cosignature(self, size: int, witness: str, line: str, at_ms: int) -> None:
        """Keep a witness's verified cosignature line of the checkpoint of ``size``."""
        ...

    def cosignatures(self, size: int) -> list[str]:
        """The witnesses' cosignature lines of the checkpoint of ``size``."""
        ...

    def cosigned_sizes(self) -> dict[str, int]:
        """Each witness's largest cosigned tree size (witnesses that never cosigned: absent)."""
        ...

    def add_restriction(self, restriction: Restriction, audit: AuditEvent) -> int:
        """Record a restriction (its id is assigned) and its audit record; return the id."""
        ...

    def lift_restriction(self, restriction_id: int, by: str, at_ms: int, audit: AuditEvent) -> bool:
        """Lift an active restriction; False if there is no such active restriction."""
        ...

    def restrictions(self, index: int | None = None) -> list[Restriction]:
        """Restrictions (all, or those on one entry), oldest first."""
        ...

    def expired(self, now_ms: int, limit: int) -> list[int]:
        """Indexes of entries whose retention ended by ``now_ms`` and still have content."""
        ...

    def erase(self, indexes: Sequence[int], at_ms: int, audit: Sequence[AuditEvent]) -> int:
        """Delete content, salt and subject index of entries (leaf hashes stay); return count."""
        ...

    def append_audit(self, events: Sequence[AuditEvent]) -> None:
        """Add s.62 audit records."""
        ...

    def audit_events(
        self,
        after: int | None = None,
        limit: int = 1000,
        *,
        action: str | None = None,
        newest_first: bool = False,
    ) -> list[AuditEvent]:
        """Up to ``limit`` audit records in sequence order (``newest_first`` reverses it).

        ``after`` is the ``seq`` of the last record of the previous page (None: from the
        start); ``action`` keeps only that action's records (indexed, so a page of one action
        costs the page, not the whole audit).
        """
        ...

    def leaves(self, start: int, limit: int) -> Iterator[tuple[int, bytes, bytes | None]]:
        """``(index, leaf hash, content or None)`` from ``start``, in index order."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...
