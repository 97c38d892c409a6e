"""Fixtures for the log-store suite: every test runs against SQLite and PostgreSQL.

PostgreSQL comes from ``IOM_TEST_POSTGRES_DSN`` (the Makefile exports the local Debian
cluster's test database). Each test gets its own schema, dropped afterwards. Outside CI an
unreachable server skips the PostgreSQL half; under ``CI=true`` it fails loudly instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from broker.transparency.log import TransparencyLog
from broker.transparency.note import NoteSigner
from broker.transparency.store.postgres_store import PostgresStore
from broker.transparency.store.protocol import LogStore
from broker.transparency.store.sqlite_store import SqliteStore

DEFAULT_DSN = "postgresql://iom_test:iom_test@127.0.0.1:5432/iom_test"
SIGNER = NoteSigner.generate("test.iom-broker/log")
INDEX_KEY = bytes(range(32))
START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def postgres_dsn() -> str:
    """The test database DSN; fails under CI, skips elsewhere, when it cannot be reached."""
    dsn = os.environ.get("IOM_TEST_POSTGRES_DSN", DEFAULT_DSN)
    try:
        psycopg.connect(dsn, connect_timeout=5).close()
    except psycopg.Error as error:
        message = f"PostgreSQL test database unreachable ({type(error).__name__}); see Makefile"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return dsn


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


class Clock:
    """A settable clock for retention and audit timestamps."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    """The test clock, starting on a Monday morning in 2025."""
    return Clock()


@pytest.fixture
def transparency_log(store: LogStore, clock: Clock) -> TransparencyLog:
    """A log over the test store with a test signing key."""
    return TransparencyLog(store, SIGNER, INDEX_KEY, "P6Y", clock)


def disclosure(number: int, subject_ref: str | None = "subj-a", **changes: Any) -> dict[str, Any]:
    """A decoded disclosure record, decided ``number`` minutes after the start."""
    record: dict[str, Any] = {
        "disclosure_id": f"00000000-0000-5000-8000-{number:012d}",
        "event_id": str(uuid.UUID(int=number)),
        "event_type": "arrest",
        "occurred_at": START + timedelta(minutes=number),
        "decided_at": START + timedelta(minutes=number, seconds=1),
        "source_agency": "gwent-police",
        "recipient_agency": "probation-wales",
        "subject_ref": subject_ref,
        "permitted": True,
        "reason": None,
        "rule_id": "arrests",
        "purpose": "iom_case_management",
        "legal_basis": "dpa2018_part3_s35",
        "policy_version": "2025.1",
        "fields_shared": ["payload.offence_category"],
        "retention": "P1Y",
    }
    record.update(changes)
    return record
