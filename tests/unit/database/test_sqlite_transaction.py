"""A write transaction commits its statements together or leaves nothing behind."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from broker.database.sqlite_transaction import immediate_transaction


@pytest.fixture
def db() -> Iterator[sqlite3.Connection]:
    """A private in-memory database with one table, in autocommit mode."""
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.execute("CREATE TABLE t (n INTEGER PRIMARY KEY)")
    yield connection
    connection.close()


def test_statements_of_a_finished_block_are_committed(db: sqlite3.Connection) -> None:
    """Both inserts are there once the block ends, and no transaction is left open."""
    with immediate_transaction(db) as cursor:
        cursor.execute("INSERT INTO t VALUES (1)")
        cursor.execute("INSERT INTO t VALUES (2)")
    assert db.execute("SELECT n FROM t ORDER BY n").fetchall() == [(1,), (2,)]
    assert not db.in_transaction


def test_an_error_rolls_the_whole_block_back_and_propagates(db: sqlite3.Connection) -> None:
    """A failing second statement undoes the first; the caller sees the original error."""
    with pytest.raises(sqlite3.IntegrityError), immediate_transaction(db) as cursor:
        cursor.execute("INSERT INTO t VALUES (1)")
        cursor.execute("INSERT INTO t VALUES (1)")
    assert db.execute("SELECT count(*) FROM t").fetchone() == (0,)
    assert not db.in_transaction
