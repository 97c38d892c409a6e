"""Build a KRaft ``server.properties`` for one Kafka node: pure functions, no I/O.

The same builder serves the local launcher (loopback ports, a temp log dir) and
docker-compose.yml (``kafka`` host name, fixed ports), so both run Kafka with one set of
settings. Node id, listeners, quorum voters and replication factor are parameters so a
multi-node cluster or SASL listeners can be described later without a second builder.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath

__all__ = [
    "CONTROLLER_LISTENER",
    "PLAINTEXT_LISTENER",
    "SMALL_HOST_TUNING",
    "Listener",
    "Voter",
    "quorum_voters",
    "render_properties",
    "server_properties",
    "single_node_properties",
]

CONTROLLER_LISTENER = "CONTROLLER"
PLAINTEXT_LISTENER = "PLAINTEXT"

SMALL_HOST_TUNING: Mapping[str, str] = {
    "num.network.threads": "2",
    "num.io.threads": "2",
    "background.threads": "2",
    "num.recovery.threads.per.data.dir": "1",
    "num.replica.fetchers": "1",
    "num.partitions": "1",
    "log.cleaner.threads": "1",
    "log.cleaner.dedupe.buffer.size": str(16 * 1024 * 1024),
    "offsets.topic.num.partitions": "3",
    "transaction.state.log.num.partitions": "3",
    "share.coordinator.state.topic.num.partitions": "3",
    "group.initial.rebalance.delay.ms": "0",
    "auto.create.topics.enable": "false",
}
"""Settings that suit a 2-core machine and do not depend on hosts, ports or cluster size."""

_LISTENER_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_PROTOCOLS = frozenset({"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"})
_ROLES = frozenset({"broker", "controller"})
_KEY = re.compile(r"^[A-Za-z0-9_.\-]+$")


@dataclass(frozen=True)
class Listener:
    """One named listener: where it binds and, for brokers, the address clients are told."""

    name: str
    port: int
    host: str = "127.0.0.1"
    advertised_host: str | None = None
    protocol: str = "PLAINTEXT"

    def __post_init__(self) -> None:
        if not _LISTENER_NAME.match(self.name):
            raise ValueError(f"listener name {self.name!r} must be upper-case like 'PLAINTEXT'")
        _check_port(self.port, f"listener {self.name}")
        if self.protocol not in _PROTOCOLS:
            raise ValueError(
                f"listener {self.name} protocol {self.protocol!r} is not one of "
                f"{sorted(_PROTOCOLS)}"
            )

    def bind(self) -> str:
        """Return the ``listeners`` entry, e.g. ``PLAINTEXT://127.0.0.1:9092``."""
        return f"{self.name}://{self.host}:{self.port}"

    def advertised(self) -> str:
        """Return the ``advertised.listeners`` entry."""
        return f"{self.name}://{self.advertised_host or self.host}:{self.port}"


@dataclass(frozen=True)
class Voter:
    """One KRaft controller in the static quorum: ``<node_id>@<host>:<port>``."""

    node_id: int
    host: str
    port: int

    def __post_init__(self) -> None:
        _check_node_id(self.node_id, "voter")
        _check_port(self.port, f"voter {self.node_id}")

    def __str__(self) -> str:
        return f"{self.node_id}@{self.host}:{self.port}"


def server_properties(
    *,
    node_id: int,
    log_dir: str | PurePath,
    listeners: Sequence[Listener],
    voters: Sequence[Voter],
    process_roles: Sequence[str] = ("broker", "controller"),
    controller_listener: str = CONTROLLER_LISTENER,
    inter_broker_listener: str = PLAINTEXT_LISTENER,
    replication_factor: int = 1,
    tuning: Mapping[str, str] = SMALL_HOST_TUNING,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Return the properties of one KRaft node; ``extra`` entries override everything else.

    ``replication_factor`` is the cluster's default for internal topics (offsets,
    transactions, share state); min ISR is 1 for a single node and 2 otherwise.
    """
    _check_node_id(node_id, "node.id")
    roles = list(process_roles)
    if not roles or any(r not in _ROLES for r in roles) or len(set(roles)) != len(roles):
        raise ValueError(f"process_roles {roles!r} must be 'broker' and/or 'controller'")
    if replication_factor < 1:
        raise ValueError(f"replication_factor {replication_factor} must be at least 1")
    if not voters:
        raise ValueError("voters must name at least one KRaft controller")
    names = [lst.name for lst in listeners]
    if len(set(names)) != len(names):
        raise ValueError(f"listener names {names!r} must be unique")
    if "controller" in roles and controller_listener not in names:
        raise ValueError(f"controller listener {controller_listener!r} not in {names!r}")
    if "broker" in roles and inter_broker_listener not in names:
        raise ValueError(f"inter-broker listener {inter_broker_listener!r} not in {names!r}")
    if inter_broker_listener == controller_listener:
        raise ValueError(f"listener {controller_listener!r} cannot serve brokers and controllers")

    client_facing = [lst for lst in listeners if lst.name != controller_listener]
    min_isr = str(1 if replication_factor == 1 else 2)
    rf = str(replication_factor)
    props: dict[str, str] = {
        "process.roles": ",".join(roles),
        "node.id": str(node_id),
        "controller.quorum.voters": ",".join(str(v) for v in voters),
        "listeners": ",".join(lst.bind() for lst in listeners),
        "controller.listener.names": controller_listener,
        "listener.security.protocol.map": ",".join(f"{x.name}:{x.protocol}" for x in listeners),
        "log.dirs": str(log_dir),
        "default.replication.factor": rf,
        "min.insync.replicas": min_isr,
        "offsets.topic.replication.factor": rf,
        "transaction.state.log.replication.factor": rf,
        "transaction.state.log.min.isr": min_isr,
        "share.coordinator.state.topic.replication.factor": rf,
        "share.coordinator.state.topic.min.isr": min_isr,
        # Abort a dead producer's open transaction within a second of its timeout (Kafka
        # checks every 10 s by default): until then read_committed readers see nothing after it.
        "transaction.abort.timed.out.transaction.cleanup.interval.ms": "1000",
    }
    if "broker" in roles:
        props["advertised.listeners"] = ",".join(lst.advertised() for lst in client_facing)
        props["inter.broker.listener.name"] = inter_broker_listener
    props.update(tuning)
    props.update(extra or {})
    return props


def single_node_properties(
    *,
    port: int,
    controller_port: int,
    log_dir: str | PurePath,
    node_id: int = 1,
    host: str = "127.0.0.1",
    advertised_host: str | None = None,
    voters: Sequence[Voter] | None = None,
    replication_factor: int = 1,
) -> dict[str, str]:
    """Return the properties of a combined broker+controller answering on ``host:port``.

    Alone by default (its own static quorum); ``voters`` (every controller of the cluster,
    this node included) and ``replication_factor`` make it one node of a cluster.
    """
    if port == controller_port:
        raise ValueError(f"port {port} is also the controller port; they must differ")
    advertised = advertised_host or host
    quorum = quorum_voters(node_id, voters, Voter(node_id, advertised, controller_port))
    return server_properties(
        node_id=node_id,
        log_dir=log_dir,
        listeners=[
            Listener(PLAINTEXT_LISTENER, port, host=host, advertised_host=advertised),
            Listener(CONTROLLER_LISTENER, controller_port, host=host),
        ],
        voters=quorum,
        replication_factor=replication_factor,
    )


def quorum_voters(node_id: int, voters: Sequence[Voter] | None, alone: Voter) -> list[Voter]:
    """``voters``, checked to include ``node_id``; or the node alone."""
    if voters is None:
        return [alone]
    if node_id not in {v.node_id for v in voters}:
        named = [str(v) for v in voters]
        raise ValueError(f"node {node_id} is not among the quorum voters {named}")
    return list(voters)


def render_properties(props: Mapping[str, str], header: str | None = None) -> str:
    """Return ``props`` as Java properties text, one ``key=value`` per line."""
    lines = [f"# {line}" for line in (header or "").splitlines()]
    for key, value in props.items():
        if not _KEY.match(key):
            raise ValueError(f"property key {key!r} has characters a properties file cannot hold")
        if "\n" in value or "\r" in value:
            raise ValueError(f"property {key} value {value!r} must be on one line")
        lines.append(f"{key}={value.replace(chr(92), chr(92) * 2)}")
    return "\n".join(lines) + "\n"


def _check_port(port: int, where: str) -> None:
    if not 0 < port < 65536:
        raise ValueError(f"{where} port {port} must be between 1 and 65535")


def _check_node_id(node_id: int, where: str) -> None:
    if node_id < 0:
        raise ValueError(f"{where} node id {node_id} must be zero or more")
