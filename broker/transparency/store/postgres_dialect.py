"""The log store's PostgreSQL dialect (psycopg 3): its own schema, reconnecting after a loss."""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator
from contextlib import AbstractContextManager, contextmanager

import psycopg

from broker.database.postgres_connection import open_postgres
from broker.database.sql_transaction import SqlTransaction
from broker.transparency.errors import StoreUnavailableError
from broker.transparency.store.postgres_schema import SCHEMA
from broker.transparency.tree import NodeId

__all__ = ["CONNECT_TIMEOUT_S", "PostgresDialect"]

#: Seconds to wait for a connection before reporting the store unavailable.
CONNECT_TIMEOUT_S = 5


def _unavailable(error: psycopg.OperationalError) -> StoreUnavailableError:
    """The error naming only the failure's class and SQLSTATE, nothing from the data."""
    state = getattr(error, "sqlstate", None) or "no sqlstate"
    return StoreUnavailableError(f"log store unavailable ({type(error).__name__}, {state})")


class PostgresDialect:
    """Schema ``schema`` of the database at ``dsn``, through one connection."""

    row_lock = " FOR UPDATE"

    def __init__(self, dsn: str, schema: str) -> None:
        self.dsn = dsn
        self.schema = schema
        self._lock = threading.RLock()
        self.connection = self._connect()

    def _connect(self) -> psycopg.Connection:
        try:
            return open_postgres(self.dsn, self.schema, SCHEMA, CONNECT_TIMEOUT_S)
        except psycopg.OperationalError as error:
            raise _unavailable(error) from None

    @contextmanager
    def _transaction(self) -> Iterator[SqlTransaction]:
        """Reconnect if the last connection was lost; report a lost server as unavailable.

        A statement cut off by the server going away raises :class:`StoreUnavailableError`;
        its transaction was rolled back, or (if the commit itself was cut off) may have
        committed, which appending again by disclosure id makes harmless.
        """
        with self._lock:
            try:
                if self.connection.closed:
                    self.connection = self._connect()
                db = self.connection
                with db.transaction(), db.cursor() as cursor:
                    yield SqlTransaction(cursor, postgres=True)
            except psycopg.OperationalError as error:
                raise _unavailable(error) from None

    def writing(self) -> AbstractContextManager[SqlTransaction]:
        """One transaction, committed when the block ends, else rolled back."""
        return self._transaction()

    def reading(self, snapshot: bool = False) -> AbstractContextManager[SqlTransaction]:
        """Reads in one transaction, on the same connection as the writes."""
        return self._transaction()

    def node_hashes(self, tx: SqlTransaction, ids: Collection[NodeId]) -> dict[NodeId, bytes]:
        """One query for all requested nodes (a join against the wanted (level, idx) pairs)."""
        if not ids:
            return {}
        levels = [level for level, _ in ids]
        indexes = [idx for _, idx in ids]
        rows = tx.rows(
            "SELECT n.level, n.idx, n.hash FROM nodes n"
            " JOIN unnest(?::smallint[], ?::bigint[]) AS q(level, idx)"
            " ON n.level = q.level AND n.idx = q.idx",
            (levels, indexes),
        )
        return {(int(level), int(idx)): bytes(value) for level, idx, value in rows}

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self.connection.close()
