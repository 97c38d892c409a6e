"""Where the log lives: one :class:`LogStore` interface, SQLite (embedded) and PostgreSQL."""

from __future__ import annotations

from broker.transparency.store.protocol import LogStore

__all__ = ["LogStore", "open_store"]


def open_store(url: str) -> LogStore:
    """Open the store named by ``url``: ``sqlite:///path/to/log.sqlite3`` or ``postgresql://...``.

    A PostgreSQL URL may end in ``#schema`` to use a schema other than ``iom_transparency``.
    """
    if url.startswith("sqlite:///"):
        from broker.transparency.store.sqlite_store import SqliteStore

        store: LogStore = SqliteStore(url.removeprefix("sqlite:///"))
        return store
    if url.startswith(("postgresql://", "postgres://")):
        from broker.transparency.store.postgres_store import PostgresStore

        dsn, _, schema = url.partition("#")
        pg_store: LogStore = PostgresStore(dsn, schema or "iom_transparency")
        return pg_store
    scheme = url.partition(":")[0]
    raise ValueError(f"log store URL scheme {scheme!r} is not sqlite:/// or postgresql://")
