"""Fixtures for the API suite: the real app over a SQLite log, a test issuer, an httpx client."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from broker.catalogue.catalogue import default_catalogue
from broker.http.context import ApiContext
from broker.server.app import create_app
from broker.settings import ApiSettings
from broker.transparency.log import TransparencyLog
from broker.transparency.store.sqlite_store import SqliteStore
from tests.support.api_context import Kafka, workspace
from tests.support.log_records import INDEX_KEY, SIGNER, Clock
from tests.support.postgres import postgres_dsn
from tests.support.statistics_data import store_of  # noqa: F401  (a fixture of the statistics tests)
from tests.unit.identity.dev_sign_in_setup import IssuerUnderTest, issuer_under_test
from tests.unit.identity.keys import agencies, validator


@pytest.fixture(params=["sqlite", "postgres"])
def records_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty API records database URL: once an SQLite file, once a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'records.sqlite3'}"
        return
    dsn = postgres_dsn()
    schema = f"api_{uuid.uuid4().hex[:12]}"
    yield f"{dsn}#{schema}"
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def kafka() -> Kafka:
    """Kafka as the readiness probe sees it (reachable unless a test says otherwise)."""
    return Kafka()


@pytest.fixture
def transparency_log(tmp_path: Path) -> Iterator[TransparencyLog]:
    """An empty log in a SQLite file, on the test clock."""
    store = SqliteStore(tmp_path / "log.sqlite3")
    yield TransparencyLog(store, SIGNER, INDEX_KEY, "P6Y", Clock())
    store.close()


@pytest.fixture
def api_settings() -> ApiSettings:
    """The default API settings."""
    return ApiSettings()


@pytest.fixture
def context(
    transparency_log: TransparencyLog, kafka: Kafka, api_settings: ApiSettings
) -> ApiContext:
    """The API's collaborators over the test log and issuer."""
    return ApiContext(
        settings=api_settings,
        validator=validator(),
        log=transparency_log,
        catalogue=default_catalogue(),
        agencies=agencies(),
        kafka_probe=kafka,
        policies=workspace(),
    )


@pytest.fixture
async def client(context: ApiContext) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client talking to the app in process (ASGI transport)."""
    transport = httpx.ASGITransport(app=create_app(context))
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as http:
        yield http


@pytest.fixture
async def idp(tmp_path: Path) -> AsyncIterator[IssuerUnderTest]:
    """The development issuer with its sign-in page, in process (the sign-in tests)."""
    found = issuer_under_test(tmp_path / "identity")
    yield found
    await found.http.aclose()
