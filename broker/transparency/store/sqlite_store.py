"""The embedded log store: one SQLite file in WAL mode, every commit synced to disk."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from broker.transparency.store.sql_store import SqlStore
from broker.transparency.store.sqlite_dialect import CACHE_KIB, SqliteDialect

__all__ = ["CACHE_KIB", "SqliteStore"]


class SqliteStore(SqlStore):
    """A :class:`~broker.transparency.store.protocol.LogStore` in the SQLite file at ``path``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._sqlite = SqliteDialect(self.path)
        super().__init__(self._sqlite)

    @property
    def _db(self) -> sqlite3.Connection:
        """The writer connection (tests tamper through it, as an attacker with the file would)."""
        return self._sqlite.writer
