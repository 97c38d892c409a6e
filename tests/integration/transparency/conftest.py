"""Fixtures for the log-store suite: every test runs against SQLite and PostgreSQL.

PostgreSQL is the test database of :mod:`tests.support.postgres`; each test gets its own
schema, dropped afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from broker.transparency.log import TransparencyLog
from broker.transparency.store.postgres_store import PostgresStore
from broker.transparency.store.protocol import LogStore
from broker.transparency.store.sqlite_store import SqliteStore
from tests.support.log_records import INDEX_KEY, SIGNER, Clock
from tests.support.postgres import postgres_dsn


def open_test_store(kind: str, tmp_path: Path) -> tuple[LogStore, Callable[[], None]]:
    """A fresh store of ``kind`` and a function that removes it."""
    if kind == "sqlite":
        sqlite_store = SqliteStore(tmp_path / "log.sqlite3")
        return sqlite_store, sqlite_store.close
    dsn = postgres_dsn()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    pg_store = PostgresStore(dsn, schema)

    def drop() -> None:
        pg_store.close()
        with psycopg.connect(dsn, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')

    return pg_store, drop


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LogStore]:
    """An empty log store, once SQLite and once PostgreSQL."""
    opened, remove = open_test_store(request.param, tmp_path)
    yield opened
    remove()


@pytest.fixture
def clock() -> Clock:
    """The test clock, starting on a Monday morning in 2025."""
    return Clock()


@pytest.fixture
def transparency_log(store: LogStore, clock: Clock) -> TransparencyLog:
    """A log over the test store with a test signing key."""
    return TransparencyLog(store, SIGNER, INDEX_KEY, "P6Y", clock)
