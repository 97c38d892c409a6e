"""The embedded log store: one SQLite file in WAL mode, every commit synced to disk."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

from broker.database.sqlite_connection import open_sqlite
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
from broker.transparency.store.sqlite_schema import SCHEMA
from broker.transparency.tree import CompactRange, NodeId

_ENTRY_COLUMNS = (
    "idx, disclosure_id, subject, permitted, decided_at_ms, expires_at_ms, content, erased_at_ms"
)
_CHUNK = 500
CACHE_KIB = 128 * 1024  # random-key index inserts (disclosure id, subject) need pages in memory
_INSERT_AUDIT = "INSERT INTO audit (at_ms, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)"


def _blob(value: Any) -> bytes | None:
    """A BLOB column as bytes (a value rewritten as TEXT is read as its UTF-8 bytes)."""
    if value is None:
        return None
    return value.encode() if isinstance(value, str) else bytes(value)


def _entry(row: Any) -> StoredEntry:
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


def _restriction(row: Any) -> Restriction:
    return Restriction(*row)


class SqliteStore:
    """A :class:`LogStore` in one SQLite file; safe to share between threads (serialised)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = open_sqlite(self.path, SCHEMA, CACHE_KIB)
        self._lock = threading.RLock()

    # -- writing -------------------------------------------------------------------------------

    def append(self, leaves: Sequence[NewLeaf], at_ms: int) -> AppendResult:
        """Append unseen leaves, their nodes and audit rows in one durable transaction."""
        with self._lock:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                (size,) = db.execute("SELECT size FROM log_state").fetchone()
                logged = self._logged([leaf.disclosure_id for leaf in leaves])
                plan = plan_append(size, self.node_hashes, leaves, logged, at_ms)
                if plan.entries:
                    db.executemany(
                        "INSERT INTO entries (idx, disclosure_id, subject, permitted,"
                        " decided_at_ms, expires_at_ms, content) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        plan.entries,
                    )
                    db.executemany("INSERT INTO nodes VALUES (?, ?, ?)", plan.nodes)
                    self._insert_audit(plan.audit)
                    db.execute("UPDATE log_state SET size = ?", (plan.size,))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return AppendResult(tuple(plan.appended), plan.skipped, plan.size)

    def _logged(self, disclosure_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(disclosure_ids), _CHUNK):
            chunk = disclosure_ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT disclosure_id FROM entries WHERE disclosure_id IN ({marks})"
            found.update(row[0] for row in self._db.execute(query, chunk))
        return found

    def _insert_audit(self, rows: Sequence[tuple[int, str, str, str, str]]) -> None:
        self._db.executemany(_INSERT_AUDIT, rows)

    def _write(self, statements: Sequence[tuple[str, Sequence[object]]]) -> list[sqlite3.Cursor]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                cursors = [self._db.execute(sql, params) for sql, params in statements]
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return cursors

    def save_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        """Keep a signed checkpoint; one per tree size."""
        c = checkpoint
        self._write(
            [
                (
                    "INSERT OR IGNORE INTO checkpoints VALUES (?, ?, ?, ?)",
                    (c.size, c.root, c.note, c.published_at_ms),
                )
            ]
        )

    def add_restriction(self, restriction: Restriction, audit: AuditEvent) -> int:
        """Record a restriction and its audit record atomically."""
        r = restriction
        cursor, _ = self._write(
            [
                (
                    "INSERT INTO restrictions (idx, reason, set_by, set_at_ms, review_date)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (r.index, r.reason, r.set_by, r.set_at_ms, r.review_date),
                ),
                (
                    _INSERT_AUDIT,
                    audit_row(audit),
                ),
            ]
        )
        return int(cursor.lastrowid or 0)

    def lift_restriction(self, restriction_id: int, by: str, at_ms: int, audit: AuditEvent) -> bool:
        """Lift an active restriction and record it, atomically."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                cursor = self._db.execute(
                    "UPDATE restrictions SET lifted_by = ?, lifted_at_ms = ?"
                    " WHERE id = ? AND lifted_at_ms IS NULL",
                    (by, at_ms, restriction_id),
                )
                if cursor.rowcount:
                    self._insert_audit([audit_row(audit)])
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return cursor.rowcount > 0

    def erase(self, indexes: Sequence[int], at_ms: int, audit: Sequence[AuditEvent]) -> int:
        """Delete content, salt and subject index of entries; keep their leaf hashes."""
        erased = 0
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for index in indexes:
                    erased += self._db.execute(
                        "UPDATE entries SET content = NULL, subject = NULL, erased_at_ms = ?"
                        " WHERE idx = ? AND content IS NOT NULL",
                        (at_ms, index),
                    ).rowcount
                self._insert_audit([audit_row(event) for event in audit])
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return erased

    def append_audit(self, events: Sequence[AuditEvent]) -> None:
        """Add audit records in one transaction."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._insert_audit([audit_row(event) for event in events])
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    # -- reading -------------------------------------------------------------------------------

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        with self._lock:
            return list(self._db.execute(sql, params))

    def tree_head(self) -> tuple[int, bytes]:
        """Size and root, read in one snapshot."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                (size,) = self._db.execute("SELECT size FROM log_state").fetchone()
                root = CompactRange.load(size, self.node_hashes).root() if size else EMPTY_ROOT
            finally:
                self._db.execute("COMMIT")
        return int(size), root

    def node_hashes(self, ids: Collection[NodeId]) -> dict[NodeId, bytes]:
        """Point lookups on the (level, idx) primary key."""
        found: dict[NodeId, bytes] = {}
        with self._lock:
            query = self._db.execute
            for level, idx in ids:
                row = query("SELECT hash FROM nodes WHERE level = ? AND idx = ?", (level, idx))
                hit = row.fetchone()
                if hit is not None:
                    found[(level, idx)] = bytes(hit[0])
        return found

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
            f"SELECT {_ENTRY_COLUMNS} FROM entries e WHERE subject = ? AND permitted = 1"
            " AND content IS NOT NULL AND (decided_at_ms, idx) < (?, ?)"
            " AND NOT EXISTS (SELECT 1 FROM restrictions r"
            "   WHERE r.idx = e.idx AND r.lifted_at_ms IS NULL)"
            " ORDER BY decided_at_ms DESC, idx DESC LIMIT ?"
        )
        return [_entry(row) for row in self._read(sql, (subject, *cursor, limit))]

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        """The checkpoint of the largest tree."""
        rows = self._read("SELECT * FROM checkpoints ORDER BY size DESC LIMIT 1")
        return StoredCheckpoint(*rows[0]) if rows else None

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Every checkpoint, smallest first."""
        rows = self._read("SELECT * FROM checkpoints ORDER BY size")
        return [StoredCheckpoint(*row) for row in rows]

    def restrictions(self, index: int | None = None) -> list[Restriction]:
        """All restrictions, or those on one entry."""
        columns = "id, idx, reason, set_by, set_at_ms, review_date, lifted_by, lifted_at_ms"
        if index is None:
            rows = self._read(f"SELECT {columns} FROM restrictions ORDER BY id")
            return [_restriction(r) for r in rows]
        sql = f"SELECT {columns} FROM restrictions WHERE idx = ? ORDER BY id"
        return [_restriction(r) for r in self._read(sql, (index,))]

    def expired(self, now_ms: int, limit: int) -> list[int]:
        """Entries past retention that still hold content."""
        sql = (
            "SELECT idx FROM entries WHERE content IS NOT NULL AND expires_at_ms <= ?"
            " ORDER BY expires_at_ms LIMIT ?"
        )
        return [int(row[0]) for row in self._read(sql, (now_ms, limit))]

    def audit_events(self, after_seq: int = 0, limit: int = 1000) -> list[AuditEvent]:
        """Audit records after ``after_seq``."""
        sql = (
            "SELECT at_ms, actor, action, target, detail, seq FROM audit WHERE seq > ?"
            " ORDER BY seq LIMIT ?"
        )
        return [AuditEvent(*row) for row in self._read(sql, (after_seq, limit))]

    def leaves(self, start: int, limit: int) -> Iterator[tuple[int, bytes, bytes | None]]:
        """Leaf hashes with content, in index order."""
        sql = (
            "SELECT n.idx, n.hash, e.content FROM nodes n LEFT JOIN entries e ON e.idx = n.idx"
            " WHERE n.level = 0 AND n.idx >= ? ORDER BY n.idx LIMIT ?"
        )
        for idx, value, content in self._read(sql, (start, limit)):
            yield int(idx), _blob(value) or b"", _blob(content)

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()
