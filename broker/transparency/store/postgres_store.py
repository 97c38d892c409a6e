"""The log store on PostgreSQL (psycopg 3), in its own schema; the same statements as SQLite."""

from __future__ import annotations

import psycopg

from broker.transparency.store.postgres_dialect import CONNECT_TIMEOUT_S, PostgresDialect
from broker.transparency.store.sql_store import SqlStore

__all__ = ["CONNECT_TIMEOUT_S", "PostgresStore"]


class PostgresStore(SqlStore):
    """A :class:`~broker.transparency.store.protocol.LogStore` in ``schema`` of the database."""

    def __init__(self, dsn: str, schema: str = "iom_transparency") -> None:
        self.schema = schema
        self._postgres = PostgresDialect(dsn, schema)
        super().__init__(self._postgres)

    @property
    def _db(self) -> psycopg.Connection:
        """The current connection (tests tamper through it, as an attacker with SQL access)."""
        return self._postgres.connection
