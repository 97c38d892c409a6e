"""The log store's SQLite dialect: one file in WAL mode, a writer and a reader connection."""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from broker.database.sql_transaction import SqlTransaction
from broker.database.sqlite_connection import open_sqlite, open_sqlite_reader
from broker.database.sqlite_transaction import immediate_transaction
from broker.transparency.store.sql_dialect import IN_CHUNK
from broker.transparency.store.sqlite_schema import SCHEMA
from broker.transparency.tree import NodeId

__all__ = ["CACHE_KIB", "CHECKPOINT_PAGES", "SqliteDialect"]

CACHE_KIB = 128 * 1024  # random-key index inserts (disclosure id, subject) need pages in memory
CHECKPOINT_PAGES = 65_536
"""Copy the WAL back into the database once it holds this many pages (256 MiB), not SQLite's
default 1,000 (4 MiB). Each batch of appends touches a page of the subject index per entry, at
random; with the default, every batch's pages were written twice (WAL, then the database) and
the database synced, about 80 KB of disk writes per entry at a million entries. Waiting lets the
pages that many batches touch be written back once: four times fewer bytes written. Commits
are as durable as before (each is synced in the WAL); recovery after a crash reads at most this
much WAL."""


class SqliteDialect:
    """The file at ``path``; every commit synced to disk.

    Writes go through one connection, reads through another (WAL lets them overlap), so a
    reader never waits for a writer's fsync; each connection serialises its own callers.
    """

    row_lock = ""  # BEGIN IMMEDIATE already holds the database's write lock

    def __init__(self, path: str | Path) -> None:
        self.writer = open_sqlite(path, SCHEMA, CACHE_KIB)
        self.writer.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")
        self._lock = threading.RLock()
        self._reader = open_sqlite_reader(path, CACHE_KIB)
        self._read_lock = threading.RLock()

    @contextmanager
    def writing(self) -> Iterator[SqlTransaction]:
        """A ``BEGIN IMMEDIATE`` transaction on the writer connection."""
        with self._lock, immediate_transaction(self.writer) as cursor:
            yield SqlTransaction(cursor, postgres=False)

    @contextmanager
    def reading(self, snapshot: bool = False) -> Iterator[SqlTransaction]:
        """Reads on the reader connection (one read transaction if ``snapshot``)."""
        with self._read_lock:
            cursor = self._reader.cursor()
            if not snapshot:
                yield SqlTransaction(cursor, postgres=False)
                return
            cursor.execute("BEGIN")
            try:
                yield SqlTransaction(cursor, postgres=False)
            finally:
                cursor.execute("COMMIT")

    def node_hashes(self, tx: SqlTransaction, ids: Collection[NodeId]) -> dict[NodeId, bytes]:
        """One primary-key query per tree level (a page of proofs needs about 20, not 200)."""
        by_level: dict[int, list[int]] = {}
        for level, idx in ids:
            by_level.setdefault(level, []).append(idx)
        found: dict[NodeId, bytes] = {}
        for level, wanted in by_level.items():
            for start in range(0, len(wanted), IN_CHUNK):
                chunk = wanted[start : start + IN_CHUNK]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT idx, hash FROM nodes WHERE level = ? AND idx IN ({marks})"
                for idx, value in tx.rows(query, (level, *chunk)):
                    found[(level, int(idx))] = bytes(value)
        return found

    def close(self) -> None:
        """Close both connections."""
        with self._read_lock:
            self._reader.close()
        with self._lock:
            self.writer.close()
