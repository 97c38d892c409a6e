"""A local Kafka cluster: N combined broker+controller KRaft nodes on loopback.

Everything lives under ``<state_dir>/kafka/``: ``cluster.json`` (the cluster id and every
node's ports, chosen on first start and reused after) and one folder per node,
``node-1/`` … ``node-N/``, each a :class:`~broker.devtools.kafka.local_kafka.LocalKafka` with
its own data dir, ``server.properties``, ``server.log`` and pid file. All nodes are formatted
with the same cluster id and are the static controller quorum (``controller.quorum.voters``);
internal topics get replication factor ``min(N, 3)`` and, from 3 nodes, ``min.insync.replicas=2``.

For fault tests a node can be crashed (:meth:`LocalKafkaCluster.kill`, ``kill -9``) and
started again (:meth:`LocalKafkaCluster.restart`), which returns once every partition's
in-sync replica set is full again.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

import structlog
from aiokafka.admin import AIOKafkaAdminClient

from broker.devtools.kafka.admin_probe import admin_call, describe_cluster
from broker.devtools.kafka.jars import KAFKA_VERSION
from broker.devtools.kafka.local_kafka import LocalKafka
from broker.devtools.kafka.node_launch import ClusterMember, KafkaStartError, NodeLaunch
from broker.devtools.kafka.node_storage import new_cluster_id
from broker.devtools.kafka.server_properties import Voter
from broker.devtools.kafka.server_security import KafkaSecurity
from broker.devtools.ports import LOOPBACK, free_ports
from broker.devtools.started import StartedOnEnter
from broker.kafka.topic_admin import replication_for

__all__ = ["LocalKafkaCluster"]

_POLL_S = 0.5

log = structlog.get_logger(__name__)


class LocalKafkaCluster(StartedOnEnter):
    """``size`` Kafka nodes whose files live in ``state_dir/kafka/node-<id>``.

    ``security`` (opt-in) secures every node as :class:`LocalKafka` does (each node presents
    the same node certificate on its internal and controller listeners).
    """

    def __init__(
        self,
        state_dir: Path,
        size: int = 3,
        cache_dir: Path | None = None,
        version: str = KAFKA_VERSION,
        security: KafkaSecurity | None = None,
    ) -> None:
        if size < 1:
            raise ValueError(f"cluster size {size} must be at least 1")
        self.state_dir = Path(state_dir).resolve()
        self.size = size
        self.cache_dir = cache_dir
        self.version = version
        self.security = security
        self.home = self.state_dir / "kafka"
        self.plan_path = self.home / "cluster.json"
        self.replication_factor = replication_for(size)
        self._nodes: list[LocalKafka] | None = None

    @property
    def nodes(self) -> list[LocalKafka]:
        """The nodes, in node-id order (index 0 is node 1); planned on first use."""
        if self._nodes is None:
            self._nodes = self._plan_nodes()
        return self._nodes

    @property
    def bootstrap_servers(self) -> str:
        """Every node's client address, comma-separated."""
        return ",".join(node.bootstrap_servers for node in self.nodes)

    def is_running(self) -> bool:
        """Whether any node's JVM is alive."""
        return self.plan_path.exists() and any(node.is_running() for node in self.nodes)

    def start(self, timeout: float = 120.0) -> str:
        """Start every node (formatting on first use), wait until all are registered; return
        the bootstrap servers. On failure every node is stopped."""
        self.home.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        try:
            with ThreadPoolExecutor(max_workers=self.size) as pool:  # formatting takes seconds
                launched = list(pool.map(LocalKafka.launch, self.nodes))
            deadline = time.monotonic() + timeout
            for node, was_launched in zip(self.nodes, launched, strict=True):
                node.wait_ready(max(1.0, deadline - time.monotonic()), launched=was_launched)
            self._wait_for_brokers(self.size, deadline)
        except BaseException:
            self.stop(timeout=15.0)
            raise
        log.info(
            "kafka.cluster_started",
            nodes=self.size,
            bootstrap=self.bootstrap_servers,
            seconds=round(time.monotonic() - started, 1),
        )
        return self.bootstrap_servers

    def stop(self, timeout: float = 30.0) -> None:
        """Stop every node at once (SIGTERM, SIGKILL after ``timeout``); idempotent."""
        if not self.plan_path.exists():
            return
        with ThreadPoolExecutor(max_workers=self.size) as pool:
            for stopped in [pool.submit(node.stop, timeout) for node in self.nodes]:
                stopped.result()

    def kill(self, index: int) -> int | None:
        """``kill -9`` node ``index`` (0-based); return the pid killed, if it ran."""
        pid = self._node(index).kill()
        log.info("kafka.cluster_node_killed", node_id=index + 1, pid=pid)
        return pid

    def restart(self, index: int, timeout: float = 120.0) -> None:
        """Start node ``index`` again and wait until every replica is back in sync."""
        started = time.monotonic()
        self._node(index).start(timeout=timeout)
        self.wait_in_sync(timeout)
        log.info(
            "kafka.cluster_node_rejoined",
            node_id=index + 1,
            seconds=round(time.monotonic() - started, 1),
        )

    def wait_in_sync(self, timeout: float = 120.0) -> None:
        """Wait until every partition of every topic has all its replicas in sync."""
        deadline = time.monotonic() + timeout
        lagging: list[str] = ["not asked yet"]
        while time.monotonic() < deadline:
            try:
                lagging = self._out_of_sync()
            except Exception as exc:  # a node still starting: ask again
                lagging = [f"{type(exc).__name__}: {exc}"]
            if not lagging:
                return
            time.sleep(_POLL_S)
        raise KafkaStartError(
            f"replicas not back in sync after {timeout:.0f}s: {', '.join(lagging[:5])}"
        )

    def index_of_node(self, node_id: int) -> int:
        """The index of the node with Kafka node id ``node_id``."""
        if not 1 <= node_id <= self.size:
            raise ValueError(f"node id {node_id} is not in this {self.size}-node cluster")
        return node_id - 1

    def leader_of(self, topic: str, partition: int = 0) -> int:
        """The index of the node leading ``topic``'s ``partition`` now."""

        async def leader(admin: AIOKafkaAdminClient) -> int:
            [described] = await admin.describe_topics([topic])
            for entry in described["partitions"]:
                if entry["partition"] == partition and entry["leader"] >= 0:
                    return int(entry["leader"])
            raise KafkaStartError(f"{topic}[{partition}] has no leader")

        bootstrap, options = self._admin_access()
        return self.index_of_node(admin_call(bootstrap, leader, options))

    def controller(self) -> int:
        """The index of the node that is the active controller now."""
        bootstrap, options = self._admin_access()
        return self.index_of_node(int(describe_cluster(bootstrap, options)["controller_id"]))

    # -- internals ------------------------------------------------------------------------

    def _node(self, index: int) -> LocalKafka:
        if not 0 <= index < self.size:
            raise ValueError(f"node index {index} is not in this {self.size}-node cluster")
        return self.nodes[index]

    def _admin_access(self) -> tuple[str, dict[str, Any]]:
        """A live node's admin address and options (a killed node is skipped)."""
        for node in self.nodes:
            if node.is_running():
                return node.admin_access()
        raise KafkaStartError(f"no node of the cluster in {self.home} is running")

    def _out_of_sync(self) -> list[str]:
        async def describe(admin: AIOKafkaAdminClient) -> list[dict[str, Any]]:
            described: list[dict[str, Any]] = await admin.describe_topics()
            return described

        bootstrap, options = self._admin_access()
        lagging = []
        for topic in admin_call(bootstrap, describe, options, timeout=10.0):
            for part in topic["partitions"]:
                if part["leader"] < 0 or set(part["isr"]) != set(part["replicas"]):
                    lagging.append(f"{topic['topic']}[{part['partition']}]")
        return lagging

    def _wait_for_brokers(self, count: int, deadline: float) -> None:
        bootstrap, options = self._admin_access()
        while True:
            try:
                brokers = describe_cluster(bootstrap, options)["brokers"]
            except Exception:  # not ready yet: ask again
                brokers = []
            if len(brokers) >= count:
                return
            if time.monotonic() > deadline:
                raise KafkaStartError(
                    f"only {len(brokers)} of {count} Kafka nodes registered in {self.home}"
                )
            time.sleep(_POLL_S)

    def _plan_nodes(self) -> list[LocalKafka]:
        self.home.mkdir(parents=True, exist_ok=True)
        if (self.home / "launch.json").exists() or (self.home / "data").exists():
            raise KafkaStartError(
                f"{self.home} holds a single-node Kafka; stop it and delete {self.home} "
                "(or use another state folder) to start a cluster"
            )
        with self._locked():
            launches = self._read_plan() or self._new_plan()
        voters = tuple(Voter(n.node_id, LOOPBACK, n.controller_port) for n in launches)
        return [
            LocalKafka(
                self.state_dir,
                cache_dir=self.cache_dir,
                version=self.version,
                security=self.security,
                member=ClusterMember(
                    self.home / f"node-{launch.node_id}",
                    launch,
                    voters,
                    self.replication_factor,
                ),
            )
            for launch in launches
        ]

    def _read_plan(self) -> list[NodeLaunch] | None:
        try:
            raw: Any = json.loads(self.plan_path.read_text(encoding="utf-8"))
            launches = [NodeLaunch(**node) for node in raw["nodes"]]
        except FileNotFoundError:
            return None
        except (ValueError, TypeError, KeyError) as exc:
            raise KafkaStartError(
                f"{self.plan_path} is not a valid cluster record ({exc}); delete {self.home}"
            ) from exc
        if len(launches) != self.size:
            raise KafkaStartError(
                f"{self.plan_path} records a {len(launches)}-node cluster, not {self.size}; "
                f"start it with {len(launches)} nodes or delete {self.home}"
            )
        return launches

    def _new_plan(self) -> list[NodeLaunch]:
        cluster_id = new_cluster_id()
        ports = iter(free_ports(3 * self.size))
        launches = [
            NodeLaunch(self.version, cluster_id, node_id, next(ports), next(ports), next(ports))
            for node_id in range(1, self.size + 1)
        ]
        record = {"cluster_id": cluster_id, "nodes": [asdict(n) for n in launches]}
        tmp = self.plan_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(record, indent=1), encoding="utf-8")
        tmp.replace(self.plan_path)
        return launches

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with (self.home / ".cluster.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
