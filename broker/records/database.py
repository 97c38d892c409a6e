"""One connection to the API's records, SQLite or PostgreSQL, behind the same small interface.

Statements use ``?`` placeholders; for PostgreSQL they become ``%s``. Each :meth:`transaction`
is serialised within the process and atomic in the database, so a compare-and-set ``UPDATE``
(``WHERE state = ...``) decides between processes sharing the database.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg

from broker.database.postgres_connection import open_postgres
from broker.database.sqlite_connection import open_sqlite
from broker.database.store_url import parse_store_url
from broker.records.migrations import add_missing_columns
from broker.records.schema import POSTGRES_SCHEMA, SQLITE_SCHEMA

__all__ = ["MEMORY_URL", "RecordsDatabase", "Transaction"]

MEMORY_URL = "sqlite:///:memory:"
DEFAULT_SCHEMA = "iom_api"


class Transaction:
    """Statements run inside one open transaction."""

    def __init__(self, cursor: sqlite3.Cursor | psycopg.Cursor[Any], postgres: bool) -> None:
        self._cursor = cursor
        self._postgres = postgres

    def execute(self, statement: str, params: Sequence[object] = ()) -> int:
        """Run ``statement``; the number of rows it changed."""
        if self._postgres:
            statement = statement.replace("?", "%s")
        self._cursor.execute(statement, tuple(params))
        return int(self._cursor.rowcount)

    def rows(self, statement: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Run a query; its rows."""
        self.execute(statement, params)
        return [tuple(row) for row in self._cursor.fetchall()]


class RecordsDatabase:
    """The API's records database named by a store URL (``sqlite:///...`` or ``postgresql://``).

    A PostgreSQL URL may end in ``#schema`` for a schema other than ``iom_api``. Opening a
    database made by an older version adds the columns it lacks (:mod:`.migrations`).
    """

    def __init__(self, url: str = MEMORY_URL) -> None:
        where = parse_store_url(url, DEFAULT_SCHEMA, "API store")
        self.postgres = where.kind == "postgresql"
        self._lock = threading.RLock()
        self._sqlite: sqlite3.Connection | None = None
        self._pg: psycopg.Connection | None = None
        self._open: Transaction | None = None
        if self.postgres:
            self._pg = open_postgres(where.location, where.schema, POSTGRES_SCHEMA)
        else:
            self._sqlite = open_sqlite(where.location, SQLITE_SCHEMA)
        with self.transaction() as tx:
            add_missing_columns(tx, self.postgres)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One atomic transaction (committed when the block ends, rolled back on an error).

        Opened again by the same thread inside the block, it joins the open one: a unit of work
        (:mod:`broker.policy_admin.unit_of_work`) makes several stores' writes one transaction.
        """
        with self._lock:
            if self._open is not None:
                yield self._open
                return
            try:
                with self._begin() as tx:
                    self._open = tx
                    yield tx
            finally:
                self._open = None

    @contextmanager
    def _begin(self) -> Iterator[Transaction]:
        if self._pg is not None:
            with self._pg.transaction(), self._pg.cursor() as cursor:
                yield Transaction(cursor, postgres=True)
            return
        assert self._sqlite is not None
        db = self._sqlite
        db.execute("BEGIN IMMEDIATE")
        try:
            yield Transaction(db.cursor(), postgres=False)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def reachable(self) -> bool:
        """The database answers a trivial query."""
        try:
            with self.transaction() as tx:
                tx.rows("SELECT 1")
        except Exception:
            return False
        return True

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            if self._pg is not None:
                self._pg.close()
            if self._sqlite is not None:
                self._sqlite.close()
