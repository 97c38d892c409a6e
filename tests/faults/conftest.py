"""Fault-suite fixtures: a real three-node Kafka cluster and a private PostgreSQL server (the
session's single-node Kafka comes from the root conftest)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from broker.devtools.kafka.local_kafka_cluster import LocalKafkaCluster
from tests.faults.private_postgres import private_postgres

__all__ = ["kafka_cluster", "private_postgres"]

CLUSTER_SIZE = 3


@pytest.fixture(scope="session")
def kafka_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalKafkaCluster]:
    """Three combined broker+controller KRaft nodes on loopback, started once per session.

    Tests may kill and restart nodes, but must leave all three running (``restart`` waits until
    every replica is back in sync). The cluster is stopped when the session ends.
    """
    cluster = LocalKafkaCluster(tmp_path_factory.mktemp("kafka-cluster"), CLUSTER_SIZE)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["aiokafka", "confluent"])
def router_client(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test once per Kafka client of the router's transactional loop (the router
    processes the test starts inherit ``IOM_ROUTER__KAFKA_CLIENT``)."""
    client = str(request.param)
    monkeypatch.setenv("IOM_ROUTER__KAFKA_CLIENT", client)
    return client
