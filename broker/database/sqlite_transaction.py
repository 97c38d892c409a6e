"""One write transaction on an SQLite connection: ``BEGIN IMMEDIATE``, then commit or roll back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["immediate_transaction"]


@contextmanager
def immediate_transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Cursor]:
    """A cursor inside a transaction that holds the write lock from its first statement.

    The block's statements commit together when it ends; an exception (or a failed commit)
    rolls them all back and propagates. ``db`` must be in autocommit mode
    (``isolation_level=None``); callers serialise their own threads.
    """
    cursor = db.cursor()
    cursor.execute("BEGIN IMMEDIATE")
    try:
        yield cursor
        cursor.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            cursor.execute("ROLLBACK")
        raise
