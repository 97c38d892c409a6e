"""Create the planned topics on a Kafka cluster (idempotent), using aiokafka's admin client."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from typing import Any

import structlog
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from broker.kafka.topics import TopicSpec, topic_plan

__all__ = [
    "MAX_REPLICATION_FACTOR",
    "TopicAdminError",
    "broker_count",
    "ensure_topic_plan",
    "ensure_topics",
    "replication_for",
]

MAX_REPLICATION_FACTOR = 3

_TOPIC_ALREADY_EXISTS = 36
_READY_TIMEOUT_S = 30.0

log = structlog.get_logger(__name__)


class TopicAdminError(RuntimeError):
    """Kafka refused to create a topic; the message names the topic and Kafka's reason."""


async def ensure_topics(
    bootstrap: str,
    specs: Sequence[TopicSpec],
    client_options: Mapping[str, Any] | None = None,
) -> list[str]:
    """Create the topics of ``specs`` missing on ``bootstrap``; return the names created.

    ``client_options`` are extra aiokafka arguments (security protocol, SASL, TLS) from
    :func:`broker.kafka.client_options.kafka_client_options`; on a secured cluster the
    caller must be a super user (the admin principal).

    Existing topics are left alone (a partition count that differs from the plan is logged
    as ``kafka.topic_mismatch``). Returns once every created topic has a leader for each
    partition, so producers can use them straight away.
    """
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise ValueError(f"topic plan names a topic twice: {sorted(names)}")
    options = {**(client_options or {}), "bootstrap_servers": bootstrap}
    options.setdefault("client_id", "iom-broker-topics")
    admin = AIOKafkaAdminClient(**options)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [s for s in specs if s.name not in existing]
        if missing:
            response = await admin.create_topics([_new_topic(s) for s in missing])
            created = _check_created(response.topic_errors)
            await _wait_for_leaders(admin, created, specs)
        else:
            created = []
        await _warn_on_mismatch(admin, [s for s in specs if s.name in existing])
    finally:
        await admin.close()
    log.info("kafka.topics_ensured", created=created, existing=len(specs) - len(created))
    return created


async def ensure_topic_plan(
    bootstrap: str,
    agencies: Sequence[str],
    client_options: Mapping[str, Any] | None = None,
    *,
    replication_factor: int | None = None,
    min_insync_replicas: int | None = None,
) -> list[str]:
    """Create the broker's topic plan for ``agencies`` (idempotent); return the names created.

    ``replication_factor`` defaults to the number of brokers in the cluster, up to 3, so a
    three-broker cluster gets 3 replicas and ``min.insync.replicas=2`` (see
    :func:`broker.kafka.topics.topic_plan`) and a single development node gets 1.
    """
    if replication_factor is None:
        replication_factor = replication_for(await broker_count(bootstrap, client_options))
    plan = topic_plan(agencies, replication_factor, min_insync_replicas)
    return await ensure_topics(bootstrap, plan, client_options)


def replication_for(brokers: int) -> int:
    """The replication factor for a cluster of ``brokers``: all of them, up to 3."""
    if brokers < 1:
        raise ValueError(f"broker count {brokers} must be at least 1")
    return min(brokers, MAX_REPLICATION_FACTOR)


async def broker_count(bootstrap: str, client_options: Mapping[str, Any] | None = None) -> int:
    """How many brokers the cluster at ``bootstrap`` has registered now."""
    options = {**(client_options or {}), "bootstrap_servers": bootstrap}
    options.setdefault("client_id", "iom-broker-topics")
    admin = AIOKafkaAdminClient(**options)
    await admin.start()
    try:
        cluster = await admin.describe_cluster()
    finally:
        await admin.close()
    return len(cluster["brokers"])


def _new_topic(spec: TopicSpec) -> NewTopic:
    return NewTopic(
        name=spec.name,
        num_partitions=spec.partitions,
        replication_factor=spec.replication_factor,
        topic_configs=dict(spec.config),
    )


def _check_created(topic_errors: Sequence[Sequence[Any]]) -> list[str]:
    created: list[str] = []
    for entry in topic_errors:
        topic, code = str(entry[0]), int(entry[1])
        message = entry[2] if len(entry) > 2 else None
        if code == 0:
            created.append(topic)
        elif code != _TOPIC_ALREADY_EXISTS:  # lost a race with another creator: fine
            raise TopicAdminError(
                f"Kafka refused to create topic {topic!r}: error {code} {message or ''}".rstrip()
            )
    return created


async def _wait_for_leaders(
    admin: AIOKafkaAdminClient, created: Sequence[str], specs: Sequence[TopicSpec]
) -> None:
    if not created:
        return
    wanted = {s.name: s.partitions for s in specs if s.name in created}
    deadline = time.monotonic() + _READY_TIMEOUT_S
    while True:
        described = await admin.describe_topics(list(wanted))
        ready = {
            t["topic"]
            for t in described
            if t["error_code"] == 0
            and len(t["partitions"]) == wanted.get(t["topic"], -1)
            and all(p["leader"] >= 0 for p in t["partitions"])
        }
        if ready >= set(wanted):
            return
        if time.monotonic() > deadline:
            raise TopicAdminError(
                f"topics {sorted(set(wanted) - ready)} have no leader after {_READY_TIMEOUT_S:.0f}s"
            )
        await asyncio.sleep(0.1)


async def _warn_on_mismatch(admin: AIOKafkaAdminClient, specs: Sequence[TopicSpec]) -> None:
    if not specs:
        return
    planned = {s.name: s.partitions for s in specs}
    for topic in await admin.describe_topics(list(planned)):
        actual = len(topic["partitions"])
        if topic["topic"] in planned and actual != planned[topic["topic"]]:
            log.warning(
                "kafka.topic_mismatch",
                topic=topic["topic"],
                planned_partitions=planned[topic["topic"]],
                actual_partitions=actual,
            )
