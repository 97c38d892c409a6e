"""Which local Kafka a state folder holds: a single node or a cluster of a recorded size."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from broker.devtools.kafka.kafka_launcher import local_kafka, recorded_local_kafka
from broker.devtools.kafka.local_kafka import LocalKafka
from broker.devtools.kafka.local_kafka_cluster import LocalKafkaCluster
from broker.devtools.kafka.node_launch import KafkaStartError


def _record_cluster(state: Path, size: int) -> None:
    nodes = [
        {
            "version": "4.4.0",
            "cluster_id": "abc",
            "node_id": n,
            "port": 20000 + n,
            "controller_port": 21000 + n,
            "internal_port": 22000 + n,
        }
        for n in range(1, size + 1)
    ]
    (state / "kafka").mkdir(parents=True)
    (state / "kafka" / "cluster.json").write_text(json.dumps({"cluster_id": "abc", "nodes": nodes}))


def test_three_brokers_are_a_cluster_listing_every_node(tmp_path: Path) -> None:
    """A recorded 3-node cluster is found again, and its bootstrap lists all three nodes."""
    _record_cluster(tmp_path, 3)

    kafka = recorded_local_kafka(tmp_path)

    assert isinstance(kafka, LocalKafkaCluster)
    assert kafka.bootstrap_servers == "127.0.0.1:20001,127.0.0.1:20002,127.0.0.1:20003"
    assert isinstance(local_kafka(tmp_path, 3), LocalKafkaCluster)


def test_a_folder_without_a_cluster_is_one_node(tmp_path: Path) -> None:
    """With nothing recorded, one broker means the single-node launcher."""
    assert isinstance(local_kafka(tmp_path), LocalKafka)
    assert isinstance(recorded_local_kafka(tmp_path), LocalKafka)


def test_asking_for_another_size_than_the_recorded_cluster_is_refused(tmp_path: Path) -> None:
    """Starting a recorded 3-node cluster as one node fails with a one-line fix."""
    _record_cluster(tmp_path, 3)

    with pytest.raises(KafkaStartError, match="holds a 3-broker Kafka; start it with --brokers 3"):
        local_kafka(tmp_path, 1)
