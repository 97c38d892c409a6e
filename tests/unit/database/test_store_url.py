"""Store URLs pick SQLite or PostgreSQL; anything else is a one-line error naming the store."""

from __future__ import annotations

import pytest

from broker.database.store_url import StoreUrl, parse_store_url
from broker.records.database import RecordsDatabase


def test_sqlite_and_postgresql_urls_are_read_with_a_default_schema() -> None:
    """A SQLite URL names a file; a PostgreSQL URL keeps its DSN and schema (or the default)."""
    assert parse_store_url("sqlite:////var/lib/iom/a.sqlite3", "iom_api") == StoreUrl(
        "sqlite", "/var/lib/iom/a.sqlite3"
    )
    assert parse_store_url("postgresql://u:p@db/iom#staging", "iom_api") == StoreUrl(
        "postgresql", "postgresql://u:p@db/iom", "staging"
    )
    assert parse_store_url("postgres://db/iom", "iom_api").schema == "iom_api"


def test_an_unknown_scheme_is_refused_naming_the_store_not_the_credentials() -> None:
    """A MySQL URL is refused in one line naming the API store and the scheme only."""
    with pytest.raises(ValueError, match="API store URL scheme 'mysql'") as refused:
        RecordsDatabase("mysql://admin:hunter2@db/iom")
    assert "hunter2" not in str(refused.value)
