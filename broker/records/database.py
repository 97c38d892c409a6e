"""One connection to the API's records, SQLite or PostgreSQL, behind the same small interface.

Statements use ``?`` placeholders (:class:`~broker.database.sql_transaction.SqlTransaction`
makes them ``%s`` for PostgreSQL). Each :meth:`transaction`
is serialised within the process and atomic in the database, so a compare-and-set ``UPDATE``
(``WHERE state = ...``) decides between processes sharing the database.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from broker.database.postgres_connection import open_postgres
from broker.database.sql_transaction import SqlTransaction as Transaction
from broker.database.sqlite_connection import open_sqlite
from broker.database.sqlite_transaction import immediate_transaction
from broker.database.store_url import parse_store_url
from broker.records.migrations import add_missing_columns
from broker.records.schema import POSTGRES_SCHEMA, SQLITE_SCHEMA

__all__ = ["MEMORY_URL", "RecordsDatabase", "Transaction"]

MEMORY_URL = "sqlite:///:memory:"
DEFAULT_SCHEMA = "iom_api"


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
        with immediate_transaction(self._sqlite) as cursor:
            yield Transaction(cursor, postgres=False)

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
