"""The log store on PostgreSQL (psycopg 3), in its own schema; the same contract as SQLite."""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg

from broker.database.postgres_connection import open_postgres
from broker.transparency.errors import StoreUnavailableError
from broker.transparency.hashing import EMPTY_ROOT
from broker.transparency.store.common import audit_row, plan_append
from broker.transparency.store.postgres_schema import SCHEMA
from broker.transparency.store.protocol import (
    AppendResult,
    AuditEvent,
    NewLeaf,
    Restriction,
    StoredCheckpoint,
    StoredEntry,
    SubjectPage,
)
from broker.transparency.tree import CompactRange, NodeId

_ENTRY_COLUMNS = (
    "idx, disclosure_id, subject, permitted, decided_at_ms, expires_at_ms, content, erased_at_ms"
)
_INSERT_AUDIT = (
    "INSERT INTO audit (at_ms, actor, action, target, detail) VALUES (%s, %s, %s, %s, %s)"
)
#: Seconds to wait for a connection before reporting the store unavailable.
CONNECT_TIMEOUT_S = 5
_RESTRICTION_COLUMNS = "id, idx, reason, set_by, set_at_ms, review_date, lifted_by, lifted_at_ms"


def _entry(row: Any) -> StoredEntry:
    idx, disclosure, subject, permitted, decided, expires, content, erased = row
    return StoredEntry(
        idx, disclosure, subject, permitted, decided, expires,
        None if content is None else bytes(content), erased,
    )  # fmt: skip


def _unavailable(error: psycopg.OperationalError) -> StoreUnavailableError:
    """The error naming only the failure's class and SQLSTATE, nothing from the data."""
    state = getattr(error, "sqlstate", None) or "no sqlstate"
    return StoreUnavailableError(f"log store unavailable ({type(error).__name__}, {state})")


class PostgresStore:
    """A :class:`LogStore` in schema ``schema`` of the database at ``dsn``."""

    def __init__(self, dsn: str, schema: str = "iom_transparency") -> None:
        self.schema = schema
        self._dsn = dsn
        self._lock = threading.RLock()
        self._db = self._connect()

    def _connect(self) -> psycopg.Connection:
        try:
            return open_postgres(self._dsn, self.schema, SCHEMA, CONNECT_TIMEOUT_S)
        except psycopg.OperationalError as error:
            raise _unavailable(error) from None

    @contextmanager
    def _available(self) -> Iterator[None]:
        """Reconnect if the last connection was lost; report a lost server as unavailable.

        A statement cut off by the server going away raises :class:`StoreUnavailableError`;
        its transaction was rolled back, or (if the commit itself was cut off) may have
        committed, which appending again by disclosure id makes harmless.
        """
        with self._lock:
            try:
                if self._db.closed:
                    self._db = self._connect()
                yield
            except psycopg.OperationalError as error:
                raise _unavailable(error) from None

    # -- writing -------------------------------------------------------------------------------

    def append(self, leaves: Sequence[NewLeaf], at_ms: int) -> AppendResult:
        """Append unseen leaves, their nodes and audit rows in one transaction."""
        with self._available(), self._db.transaction(), self._db.cursor() as cur:
            cur.execute("SELECT size FROM log_state WHERE id = 1 FOR UPDATE")
            (size,) = cur.fetchone() or (0,)
            ids = [leaf.disclosure_id for leaf in leaves]
            cur.execute("SELECT disclosure_id FROM entries WHERE disclosure_id = ANY(%s)", (ids,))
            logged = {row[0] for row in cur.fetchall()}
            plan = plan_append(size, self.node_hashes, leaves, logged, at_ms)
            if plan.entries:
                cur.executemany(
                    "INSERT INTO entries (idx, disclosure_id, subject, permitted, decided_at_ms,"
                    " expires_at_ms, content) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    plan.entries,
                )
                cur.executemany("INSERT INTO nodes VALUES (%s, %s, %s)", plan.nodes)
                cur.executemany(_INSERT_AUDIT, plan.audit)
                cur.execute("UPDATE log_state SET size = %s WHERE id = 1", (plan.size,))
        return AppendResult(tuple(plan.appended), plan.skipped, plan.size)

    def save_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        """Keep a signed checkpoint; one per tree size."""
        c = checkpoint
        with self._available(), self._db.transaction():
            self._db.execute(
                "INSERT INTO checkpoints VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (c.size, c.root, c.note, c.published_at_ms),
            )

    def add_restriction(self, restriction: Restriction, audit: AuditEvent) -> int:
        """Record a restriction and its audit record atomically."""
        r = restriction
        with self._available(), self._db.transaction(), self._db.cursor() as cur:
            cur.execute(
                "INSERT INTO restrictions (idx, reason, set_by, set_at_ms, review_date)"
                " VALUES (%s, %s, %s, %s, %s) RETURNING id",
                (r.index, r.reason, r.set_by, r.set_at_ms, r.review_date),
            )
            (restriction_id,) = cur.fetchone() or (0,)
            cur.execute(_INSERT_AUDIT, audit_row(audit))
        return int(restriction_id)

    def lift_restriction(self, restriction_id: int, by: str, at_ms: int, audit: AuditEvent) -> bool:
        """Lift an active restriction and record it, atomically."""
        with self._available(), self._db.transaction(), self._db.cursor() as cur:
            cur.execute(
                "UPDATE restrictions SET lifted_by = %s, lifted_at_ms = %s"
                " WHERE id = %s AND lifted_at_ms IS NULL",
                (by, at_ms, restriction_id),
            )
            lifted = cur.rowcount > 0
            if lifted:
                cur.execute(_INSERT_AUDIT, audit_row(audit))
        return lifted

    def erase(self, indexes: Sequence[int], at_ms: int, audit: Sequence[AuditEvent]) -> int:
        """Delete content, salt and subject index of entries; keep their leaf hashes."""
        with self._available(), self._db.transaction(), self._db.cursor() as cur:
            cur.execute(
                "UPDATE entries SET content = NULL, subject = NULL, erased_at_ms = %s"
                " WHERE idx = ANY(%s) AND content IS NOT NULL",
                (at_ms, list(indexes)),
            )
            erased = cur.rowcount
            cur.executemany(_INSERT_AUDIT, [audit_row(event) for event in audit])
        return erased

    def append_audit(self, events: Sequence[AuditEvent]) -> None:
        """Add audit records in one transaction."""
        with self._available(), self._db.transaction(), self._db.cursor() as cur:
            cur.executemany(_INSERT_AUDIT, [audit_row(event) for event in events])

    # -- reading -------------------------------------------------------------------------------

    def _read(self, query: str, params: Sequence[object] = ()) -> list[Any]:
        with self._available(), self._db.transaction(), self._db.cursor() as cur:
            cur.execute(query.encode(), params)
            return cur.fetchall()

    def tree_head(self) -> tuple[int, bytes]:
        """Size and root, read in one transaction."""
        with self._available(), self._db.transaction():
            row = self._db.execute("SELECT size FROM log_state WHERE id = 1").fetchone()
            size = int(row[0]) if row else 0
            root = CompactRange.load(size, self.node_hashes).root() if size else EMPTY_ROOT
        return size, root

    def node_hashes(self, ids: Collection[NodeId]) -> dict[NodeId, bytes]:
        """One query for all requested nodes."""
        if not ids:
            return {}
        levels = [level for level, _ in ids]
        indexes = [idx for _, idx in ids]
        rows = self._read(
            "SELECT n.level, n.idx, n.hash FROM nodes n"
            " JOIN unnest(%s::smallint[], %s::bigint[]) AS q(level, idx)"
            " ON n.level = q.level AND n.idx = q.idx",
            (levels, indexes),
        )
        return {(int(level), int(idx)): bytes(value) for level, idx, value in rows}

    def entry(self, index: int) -> StoredEntry | None:
        """The entry at ``index``."""
        rows = self._read(f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE idx = %s", (index,))
        return _entry(rows[0]) if rows else None

    def entry_by_disclosure(self, disclosure_id: str) -> StoredEntry | None:
        """The entry for a disclosure id."""
        query = f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE disclosure_id = %s"
        rows = self._read(query, (disclosure_id,))
        return _entry(rows[0]) if rows else None

    def subject_entries(
        self, subject: str, limit: int, after: SubjectPage | None = None
    ) -> list[StoredEntry]:
        """Visible entries of one subject, newest first, keyset-paged."""
        cursor = (after.decided_at_ms, after.index) if after else (2**62, 2**62)
        query = (
            f"SELECT {_ENTRY_COLUMNS} FROM entries e WHERE subject = %s AND permitted"
            " AND content IS NOT NULL AND (decided_at_ms, idx) < (%s, %s)"
            " AND NOT EXISTS (SELECT 1 FROM restrictions r"
            "   WHERE r.idx = e.idx AND r.lifted_at_ms IS NULL)"
            " ORDER BY decided_at_ms DESC, idx DESC LIMIT %s"
        )
        return [_entry(row) for row in self._read(query, (subject, *cursor, limit))]

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        """The checkpoint of the largest tree."""
        rows = self._read("SELECT * FROM checkpoints ORDER BY size DESC LIMIT 1")
        return StoredCheckpoint(rows[0][0], bytes(rows[0][1]), *rows[0][2:]) if rows else None

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Every checkpoint, smallest first."""
        rows = self._read("SELECT * FROM checkpoints ORDER BY size")
        return [StoredCheckpoint(row[0], bytes(row[1]), *row[2:]) for row in rows]

    def restrictions(self, index: int | None = None) -> list[Restriction]:
        """All restrictions, or those on one entry."""
        if index is None:
            rows = self._read(f"SELECT {_RESTRICTION_COLUMNS} FROM restrictions ORDER BY id")
        else:
            query = f"SELECT {_RESTRICTION_COLUMNS} FROM restrictions WHERE idx = %s ORDER BY id"
            rows = self._read(query, (index,))
        return [Restriction(*row) for row in rows]

    def expired(self, now_ms: int, limit: int) -> list[int]:
        """Entries past retention that still hold content."""
        query = (
            "SELECT idx FROM entries WHERE content IS NOT NULL AND expires_at_ms <= %s"
            " ORDER BY expires_at_ms LIMIT %s"
        )
        return [int(row[0]) for row in self._read(query, (now_ms, limit))]

    def audit_events(self, after_seq: int = 0, limit: int = 1000) -> list[AuditEvent]:
        """Audit records after ``after_seq``."""
        query = (
            "SELECT at_ms, actor, action, target, detail, seq FROM audit WHERE seq > %s"
            " ORDER BY seq LIMIT %s"
        )
        return [AuditEvent(*row) for row in self._read(query, (after_seq, limit))]

    def leaves(self, start: int, limit: int) -> Iterator[tuple[int, bytes, bytes | None]]:
        """Leaf hashes with content, in index order."""
        query = (
            "SELECT n.idx, n.hash, e.content FROM nodes n LEFT JOIN entries e ON e.idx = n.idx"
            " WHERE n.level = 0 AND n.idx >= %s ORDER BY n.idx LIMIT %s"
        )
        for idx, value, content in self._read(query, (start, limit)):
            yield int(idx), bytes(value), None if content is None else bytes(content)

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()
