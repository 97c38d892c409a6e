"""The log store's statements, written once for SQLite and PostgreSQL over a :class:`SqlDialect`."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any

from broker.database.sql_transaction import SqlTransaction
from broker.transparency.hashing import EMPTY_ROOT
from broker.transparency.store.common import audit_row, plan_append
from broker.transparency.store.protocol import (
    AppendResult,
    AuditEvent,
    NewLeaf,
    Restriction,
    StoredCheckpoint,
    StoredEntry,
    SubjectPage,
)
from broker.transparency.store.sql_dialect import IN_CHUNK, SqlDialect
from broker.transparency.tree import CompactRange, NodeId

__all__ = ["SqlStore", "audit_query"]

_ENTRY_COLUMNS = (
    "idx, disclosure_id, subject, permitted, decided_at_ms, expires_at_ms, content, erased_at_ms"
)
_SUBJECT_VISIBLE = (
    f"SELECT {_ENTRY_COLUMNS} FROM entries e WHERE subject = ? AND permitted"
    " AND content IS NOT NULL AND NOT EXISTS (SELECT 1 FROM restrictions r"
    "   WHERE r.idx = e.idx AND r.lifted_at_ms IS NULL)"
)
"""A subject's visible entries: permitted, not erased, not restricted (a paging clause follows)."""
_RESTRICTION_COLUMNS = "id, idx, reason, set_by, set_at_ms, review_date, lifted_by, lifted_at_ms"
_INSERT_AUDIT = "INSERT INTO audit (at_ms, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)"


def _blob(value: Any) -> bytes | None:
    """A BLOB column as bytes (a value rewritten as TEXT in SQLite is read as its UTF-8 bytes)."""
    if value is None:
        return None
    return value.encode() if isinstance(value, str) else bytes(value)


def _entry(row: Sequence[Any]) -> StoredEntry:
    idx, disclosure, subject, permitted, decided, expires, content, erased = row
    return StoredEntry(
        int(idx),
        str(disclosure),
        subject if subject is None else str(subject),
        bool(permitted),
        int(decided),
        int(expires),
        _blob(content),
        erased if erased is None else int(erased),
    )


def _checkpoint(row: Sequence[Any]) -> StoredCheckpoint:
    size, root, note, published_at_ms = row
    return StoredCheckpoint(int(size), _blob(root) or b"", str(note), int(published_at_ms))


def _chunks(values: Sequence[Any]) -> Iterator[tuple[Sequence[Any], str]]:
    """``values`` in slices short enough for one ``IN`` list, each with its placeholders."""
    for start in range(0, len(values), IN_CHUNK):
        chunk = values[start : start + IN_CHUNK]
        yield chunk, ",".join("?" * len(chunk))


def audit_query(
    after: int | None, limit: int, action: str | None, newest_first: bool
) -> tuple[str, tuple[object, ...]]:
    """The audit page's statement and parameters; ``(action, seq)`` is indexed for the filter."""
    where = ["seq < ?" if newest_first else "seq > ?"]
    params: list[object] = [after if after is not None else (2**62 if newest_first else 0)]
    if action is not None:
        where.append("action = ?")
        params.append(action)
    order = " DESC" if newest_first else ""
    sql = (
        "SELECT at_ms, actor, action, target, detail, seq FROM audit"
        f" WHERE {' AND '.join(where)} ORDER BY seq{order} LIMIT ?"
    )
    return sql, (*params, limit)


class SqlStore:
    """A :class:`~broker.transparency.store.protocol.LogStore` in a SQL database; thread-safe."""

    def __init__(self, dialect: SqlDialect) -> None:
        self.dialect = dialect

    # -- writing -------------------------------------------------------------------------------

    def append(self, leaves: Sequence[NewLeaf], at_ms: int) -> AppendResult:
        """Append unseen leaves, their nodes and audit rows in one durable transaction."""
        dialect = self.dialect
        with dialect.writing() as tx:
            ((size,),) = tx.rows(f"SELECT size FROM log_state WHERE id = 1{dialect.row_lock}")
            logged = _logged(tx, [leaf.disclosure_id for leaf in leaves])
            plan = plan_append(
                int(size), lambda ids: dialect.node_hashes(tx, ids), leaves, logged, at_ms
            )
            if plan.entries:
                tx.executemany(
                    "INSERT INTO entries (idx, disclosure_id, subject, permitted, decided_at_ms,"
                    " expires_at_ms, content) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    plan.entries,
                )
                tx.executemany("INSERT INTO nodes VALUES (?, ?, ?)", plan.nodes)
                tx.executemany(_INSERT_AUDIT, plan.audit)
                tx.execute("UPDATE log_state SET size = ? WHERE id = 1", (plan.size,))
        return AppendResult(tuple(plan.appended), plan.skipped, plan.size)

    def save_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        """Keep a signed checkpoint; one per tree size."""
        c = checkpoint
        with self.dialect.writing() as tx:
            tx.execute(
                "INSERT INTO checkpoints VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (c.size, c.root, c.note, c.published_at_ms),
            )

    def save_cosignature(self, size: int, witness: str, line: str, at_ms: int) -> None:
        """Keep a witness's cosignature line of the checkpoint of ``size`` (first one wins)."""
        with self.dialect.writing() as tx:
            tx.execute(
                "INSERT INTO cosignatures VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (size, witness, line, at_ms),
            )

    def add_restriction(self, restriction: Restriction, audit: AuditEvent) -> int:
        """Record a restriction and its audit record atomically."""
        r = restriction
        with self.dialect.writing() as tx:
            ((restriction_id,),) = tx.rows(
                "INSERT INTO restrictions (idx, reason, set_by, set_at_ms, review_date)"
                " VALUES (?, ?, ?, ?, ?) RETURNING id",
                (r.index, r.reason, r.set_by, r.set_at_ms, r.review_date),
            )
            tx.execute(_INSERT_AUDIT, audit_row(audit))
        return int(restriction_id)

    def lift_restriction(self, restriction_id: int, by: str, at_ms: int, audit: AuditEvent) -> bool:
        """Lift an active restriction and record it, atomically."""
        with self.dialect.writing() as tx:
            lifted = tx.execute(
                "UPDATE restrictions SET lifted_by = ?, lifted_at_ms = ?"
                " WHERE id = ? AND lifted_at_ms IS NULL",
                (by, at_ms, restriction_id),
            )
            if lifted:
                tx.execute(_INSERT_AUDIT, audit_row(audit))
        return lifted > 0

    def erase(self, indexes: Sequence[int], at_ms: int, audit: Sequence[AuditEvent]) -> int:
        """Delete content, salt and subject index of entries; keep their leaf hashes."""
        erased = 0
        with self.dialect.writing() as tx:
            for chunk, marks in _chunks(list(dict.fromkeys(indexes))):
                erased += tx.execute(
                    "UPDATE entries SET content = NULL, subject = NULL, erased_at_ms = ?"
                    f" WHERE idx IN ({marks}) AND content IS NOT NULL",
                    (at_ms, *chunk),
                )
            tx.executemany(_INSERT_AUDIT, [audit_row(event) for event in audit])
        return erased

    def append_audit(self, events: Sequence[AuditEvent]) -> None:
        """Add audit records in one transaction."""
        with self.dialect.writing() as tx:
            tx.executemany(_INSERT_AUDIT, [audit_row(event) for event in events])

    # -- reading -------------------------------------------------------------------------------

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        with self.dialect.reading() as tx:
            return tx.rows(sql, params)

    def tree_head(self) -> tuple[int, bytes]:
        """Size and root, read in one snapshot."""
        with self.dialect.reading(snapshot=True) as tx:
            ((size,),) = tx.rows("SELECT size FROM log_state WHERE id = 1")
            size = int(size)

            def nodes(ids: Collection[NodeId]) -> dict[NodeId, bytes]:
                return self.dialect.node_hashes(tx, ids)

            root = CompactRange.load(size, nodes).root() if size else EMPTY_ROOT
        return size, root

    def node_hashes(self, ids: Collection[NodeId]) -> dict[NodeId, bytes]:
        """The requested nodes, in as few queries as the dialect can."""
        if not ids:
            return {}
        with self.dialect.reading() as tx:
            return self.dialect.node_hashes(tx, ids)

    def entry(self, index: int) -> StoredEntry | None:
        """The entry at ``index``."""
        rows = self._read(f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE idx = ?", (index,))
        return _entry(rows[0]) if rows else None

    def entry_by_disclosure(self, disclosure_id: str) -> StoredEntry | None:
        """The entry for a disclosure id."""
        sql = f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE disclosure_id = ?"
        rows = self._read(sql, (disclosure_id,))
        return _entry(rows[0]) if rows else None

    def subject_entries(
        self, subject: str, limit: int, after: SubjectPage | None = None
    ) -> list[StoredEntry]:
        """Visible entries of one subject, newest first, keyset-paged."""
        cursor = (after.decided_at_ms, after.index) if after else (2**62, 2**62)
        sql = (
            f"{_SUBJECT_VISIBLE} AND (decided_at_ms, idx) < (?, ?)"
            " ORDER BY decided_at_ms DESC, idx DESC LIMIT ?"
        )
        return [_entry(row) for row in self._read(sql, (subject, *cursor, limit))]

    def subject_entries_newer(
        self, subject: str, limit: int, than: SubjectPage
    ) -> list[StoredEntry]:
        """Visible entries of one subject strictly newer than ``than``, oldest first."""
        sql = (
            f"{_SUBJECT_VISIBLE} AND (decided_at_ms, idx) > (?, ?)"
            " ORDER BY decided_at_ms, idx LIMIT ?"
        )
        cursor = (than.decided_at_ms, than.index)
        return [_entry(row) for row in self._read(sql, (subject, *cursor, limit))]

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        """The checkpoint of the largest tree."""
        rows = self._read("SELECT * FROM checkpoints ORDER BY size DESC LIMIT 1")
        return _checkpoint(rows[0]) if rows else None

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Every checkpoint, smallest first."""
        return [_checkpoint(row) for row in self._read("SELECT * FROM checkpoints ORDER BY size")]

    def cosignatures(self, size: int) -> list[str]:
        """The witnesses' cosignature lines of the checkpoint of ``size``, by witness name."""
        sql = "SELECT line FROM cosignatures WHERE size = ? ORDER BY witness"
        return [str(row[0]) for row in self._read(sql, (size,))]

    def cosigned_sizes(self) -> dict[str, int]:
        """Each witness's largest cosigned tree size."""
        sql = "SELECT witness, MAX(size) FROM cosignatures GROUP BY witness"
        return {str(witness): int(size) for witness, size in self._read(sql)}

    def restrictions(self, index: int | None = None) -> list[Restriction]:
        """All restrictions, or those on one entry."""
        if index is None:
            rows = self._read(f"SELECT {_RESTRICTION_COLUMNS} FROM restrictions ORDER BY id")
        else:
            sql = f"SELECT {_RESTRICTION_COLUMNS} FROM restrictions WHERE idx = ? ORDER BY id"
            rows = self._read(sql, (index,))
        return [Restriction(*row) for row in rows]

    def expired(self, now_ms: int, limit: int) -> list[int]:
        """Entries past retention that still hold content."""
        sql = (
            "SELECT idx FROM entries WHERE content IS NOT NULL AND expires_at_ms <= ?"
            " ORDER BY expires_at_ms LIMIT ?"
        )
        return [int(row[0]) for row in self._read(sql, (now_ms, limit))]

    def audit_events(
        self,
        after: int | None = None,
        limit: int = 1000,
        *,
        action: str | None = None,
        newest_first: bool = False,
    ) -> list[AuditEvent]:
        """A page of audit records by sequence number, keyset-paged (see the protocol)."""
        sql, params = audit_query(after, limit, action, newest_first)
        return [AuditEvent(*row) for row in self._read(sql, params)]

    def leaves(self, start: int, limit: int) -> Iterator[tuple[int, bytes, bytes | None]]:
        """Leaf hashes with content, in index order."""
        sql = (
            "SELECT n.idx, n.hash, e.content FROM nodes n LEFT JOIN entries e ON e.idx = n.idx"
            " WHERE n.level = 0 AND n.idx >= ? ORDER BY n.idx LIMIT ?"
        )
        for idx, value, content in self._read(sql, (start, limit)):
            yield int(idx), _blob(value) or b"", _blob(content)

    def close(self) -> None:
        """Release the connections."""
        self.dialect.close()


def _logged(tx: SqlTransaction, disclosure_ids: Sequence[str]) -> set[str]:
    """Which of ``disclosure_ids`` the log holds already."""
    found: set[str] = set()
    for chunk, marks in _chunks(disclosure_ids):
        query = f"SELECT disclosure_id FROM entries WHERE disclosure_id IN ({marks})"
        found.update(str(row[0]) for row in tx.rows(query, chunk))
    return found
