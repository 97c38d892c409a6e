"""Open a PostgreSQL connection the way every store does: its own schema, tables made once."""

from __future__ import annotations

import psycopg
from psycopg import sql

__all__ = ["open_postgres"]


def open_postgres(
    dsn: str, schema: str, ddl: str, connect_timeout_s: int | None = None
) -> psycopg.Connection:
    """A connection (not autocommit) whose ``search_path`` is ``schema``, with ``ddl`` applied.

    Concurrent openers of the same schema are serialised by an advisory lock, so the
    ``CREATE ... IF NOT EXISTS`` statements never race.
    """
    db = psycopg.connect(dsn, autocommit=False, connect_timeout=connect_timeout_s)
    search_path = sql.SQL("SET search_path TO {}").format(sql.Identifier(schema))
    with db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (schema,))
        db.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        db.execute(search_path)
        db.execute(ddl.encode())
    db.commit()
    db.execute(search_path)
    db.commit()
    return db
