"""The PostgreSQL test database of the log-store and records suites.

It comes from ``IOM_TEST_POSTGRES_DSN`` (the Makefile exports the local Debian cluster's test
database). Outside CI an unreachable server skips the test; under ``CI=true`` it fails loudly.
"""

from __future__ import annotations

import os

import psycopg
import pytest

DEFAULT_DSN = "postgresql://iom_test:iom_test@127.0.0.1:5432/iom_test"


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
