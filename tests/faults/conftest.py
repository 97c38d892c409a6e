"""Fault-suite fixtures: the session's real Kafka and a private PostgreSQL server."""

from tests.faults.private_postgres import private_postgres
from tests.integration.conftest import kafka_bootstrap

__all__ = ["kafka_bootstrap", "private_postgres"]
