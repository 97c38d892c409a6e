"""What one local Kafka node needs to launch, kept across restarts: pure data, no I/O.

A single node chooses its own cluster id and ports on first start; a node of a local cluster
is given them by :class:`broker.devtools.kafka.local_kafka_cluster.LocalKafkaCluster` (one
cluster id, every node's controller port in the quorum).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from broker.devtools.kafka.server_properties import Voter

__all__ = ["ClusterMember", "KafkaStartError", "NodeLaunch"]


class KafkaStartError(RuntimeError):
    """The local Kafka could not be formatted, started or reached; the message is one line."""


@dataclass
class NodeLaunch:
    """What must survive restarts of one node: cluster id, node id and ports."""

    version: str
    cluster_id: str
    node_id: int
    port: int
    controller_port: int
    internal_port: int | None = None


@dataclass(frozen=True)
class ClusterMember:
    """One node of a local cluster: its folder, launch record, the quorum and the cluster's
    replication factor for internal topics."""

    home: Path
    launch: NodeLaunch
    voters: tuple[Voter, ...]
    replication_factor: int
