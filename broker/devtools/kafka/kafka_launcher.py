"""Choose the local Kafka of a state folder: one node, or a cluster of several.

``dev up --brokers N`` asks for ``N`` nodes; ``dev down`` stops whatever the folder holds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

from broker.devtools.kafka.local_kafka import LocalKafka
from broker.devtools.kafka.local_kafka_cluster import LocalKafkaCluster
from broker.devtools.kafka.node_launch import KafkaStartError
from broker.devtools.kafka.server_security import KafkaSecurity

__all__ = ["KafkaLauncher", "local_kafka", "recorded_local_kafka"]


class KafkaLauncher(Protocol):
    """What the development stack needs of a local Kafka, one node or a cluster."""

    @property
    def bootstrap_servers(self) -> str:
        """Every node's client address, comma-separated."""
        ...

    def start(self, timeout: float = ...) -> str:
        """Start (or find running) and return the bootstrap servers."""
        ...

    def stop(self, timeout: float = ...) -> None:
        """Stop every node; idempotent."""
        ...

    def is_running(self) -> bool:
        """Whether any node runs."""
        ...


def local_kafka(
    state_dir: Path, brokers: int = 1, security: KafkaSecurity | None = None
) -> KafkaLauncher:
    """The local Kafka of ``state_dir`` with ``brokers`` nodes (1: a single node).

    Raises ``KafkaStartError`` if the folder already holds a cluster of another size.
    """
    if brokers < 1:
        raise ValueError(f"broker count {brokers} must be at least 1")
    recorded = recorded_cluster_size(state_dir)
    if recorded is not None and recorded != brokers:
        raise KafkaStartError(
            f"{state_dir} holds a {recorded}-broker Kafka; start it with --brokers {recorded} "
            "or stop it and delete the folder"
        )
    if brokers == 1:
        return LocalKafka(state_dir, security=security)
    return LocalKafkaCluster(state_dir, brokers, security=security)


def recorded_local_kafka(state_dir: Path) -> KafkaLauncher:
    """Whatever local Kafka ``state_dir`` holds (to stop it): its cluster, else one node."""
    size = recorded_cluster_size(state_dir)
    if size is None:
        return LocalKafka(state_dir)
    return LocalKafkaCluster(state_dir, size)


def recorded_cluster_size(state_dir: Path) -> int | None:
    """The node count of the cluster recorded in ``state_dir``, or None for none."""
    plan = Path(state_dir) / "kafka" / "cluster.json"
    try:
        return len(json.loads(plan.read_text(encoding="utf-8"))["nodes"])
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as exc:
        raise KafkaStartError(f"{plan} is not a valid cluster record ({exc})") from exc
