"""Where the log lives: one :class:`LogStore` interface, SQLite (embedded) and PostgreSQL."""

from __future__ import annotations

from broker.database.store_url import parse_store_url
from broker.transparency.store.protocol import LogStore

__all__ = ["LogStore", "open_store"]


def open_store(url: str) -> LogStore:
    """Open the store named by ``url``: ``sqlite:///path/to/log.sqlite3`` or ``postgresql://...``.

    A PostgreSQL URL may end in ``#schema`` to use a schema other than ``iom_transparency``.
    """
    where = parse_store_url(url, "iom_transparency", "log store")
    if where.kind == "sqlite":
        from broker.transparency.store.sqlite_store import SqliteStore

        store: LogStore = SqliteStore(where.location)
        return store
    from broker.transparency.store.postgres_store import PostgresStore

    return PostgresStore(where.location, where.schema)
