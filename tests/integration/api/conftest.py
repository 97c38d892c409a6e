"""Fixtures for the API suite: the real app over a SQLite log, a test issuer, an httpx client."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from functools import cache
from pathlib import Path

import httpx
import psycopg
import pytest

from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.devtools.identity.dev_issuer import DevIssuer
from broker.http.context import ApiContext
from broker.identity.principal import Principal, Role
from broker.policy.vocabulary import Vocabulary
from broker.policy_admin.activation_runner import PolicyPublisher
from broker.policy_admin.policy_directory import policy_context, read_policy_source
from broker.policy_admin.workspace import PolicyWorkspace
from broker.records.database import RecordsDatabase
from broker.records.subject_requests import SubjectAccessRequests
from broker.server.app import create_app
from broker.settings import PROJECT_ROOT, ApiSettings
from broker.transparency.log import TransparencyLog
from broker.transparency.store.sqlite_store import SqliteStore
from tests.integration.transparency.conftest import INDEX_KEY, SIGNER, Clock, postgres_dsn
from tests.unit.identity.keys import AUDIENCE, ISSUER, agencies, issuer_key, validator


def workspace(records: RecordsDatabase | None = None) -> PolicyWorkspace:
    """The shipped policy and scenarios, with the proposals kept in ``records`` (none: memory)."""
    return PolicyWorkspace(
        read_policy_source(PROJECT_ROOT / "policies"),
        policy_context(default_catalogue(), agencies()),
        AvroCodec(default_catalogue()),
        records,
        scenario_root=PROJECT_ROOT / "policies",
    )


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


def api_over(
    records_url: str,
    log: TransparencyLog,
    kafka_probe: Kafka | None = None,
    publisher: PolicyPublisher | None = None,
) -> ApiContext:
    """A freshly started API's context whose records live at ``records_url``."""
    records = RecordsDatabase(records_url)
    return ApiContext(
        settings=ApiSettings(),
        validator=validator(),
        log=log,
        catalogue=default_catalogue(),
        agencies=agencies(),
        kafka_probe=kafka_probe or Kafka(),
        policies=workspace(records),
        subject_requests=SubjectAccessRequests(records),
        policy_publisher=publisher,
    )


@cache
def vocabulary() -> Vocabulary:
    """The shipped purpose and legal-basis vocabularies."""
    return workspace().policy_set.vocabulary


ISSUER_APP = DevIssuer(issuer_url=ISSUER, audience=AUDIENCE, signing_key=issuer_key(), clients={})


def token(role: Role, subject_ref: str | None = None, agency: str | None = None) -> str:
    """A valid access token for a caller of ``role``."""
    sub = f"{role.value}-{subject_ref or agency or 'user'}"
    return ISSUER_APP.mint(Principal(sub, role, agency=agency, subject_ref=subject_ref))


def bearer(role: Role, subject_ref: str | None = None, agency: str | None = None) -> dict[str, str]:
    """Authorization headers for a caller of ``role``."""
    return {"Authorization": f"Bearer {token(role, subject_ref, agency)}"}


class Kafka:
    """A stand-in readiness probe whose answer the test sets."""

    def __init__(self) -> None:
        self.reachable = True

    async def __call__(self) -> bool:
        return self.reachable


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
