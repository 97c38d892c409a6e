"""Open an SQLite database the way every store does: WAL, synced commits, foreign keys on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

__all__ = ["MEMORY", "open_sqlite"]

MEMORY = ":memory:"


def open_sqlite(path: str | Path, schema: str, cache_kib: int | None = None) -> sqlite3.Connection:
    """A connection shareable between threads (callers serialise), with ``schema`` applied.

    Transactions are explicit (``isolation_level=None``); ``path`` ``:memory:`` is private.
    """
    if str(path) != MEMORY:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30.0)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA foreign_keys=ON")
    if cache_kib is not None:
        db.execute(f"PRAGMA cache_size=-{cache_kib}")
    db.executescript(schema)
    return db
