"""Follow the compacted ``policies`` topic: every router switches to each newly activated version.

On start the follower reads the topic to its end and hands back the active version (if any);
afterwards the router polls it between batches, so a version activated with
``iom-broker policy activate`` is in force everywhere within a poll interval, without a
restart. Each version is validated again here, against this router's agencies and catalogue:
one that fails is refused (logged with its first problem) and the current version stays.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition

from broker.kafka.topic_reader import topic_partitions
from broker.kafka.topics import POLICIES_TOPIC
from broker.policy.activation import ACTIVE_KEY, decode_activation
from broker.policy.build import build_policy
from broker.policy.engine import CompiledPolicy
from broker.policy.problems import PolicyError
from broker.policy.validate import PolicyContext

log = structlog.get_logger(__name__)

_POLL_MS = 200
_START_TIMEOUT_S = 60


class PolicyFollower:
    """Reads activations from the ``policies`` topic and compiles the newest valid one."""

    def __init__(
        self,
        bootstrap_servers: str,
        context: PolicyContext,
        client_options: Mapping[str, Any] | None = None,
    ) -> None:
        """``client_options``: extra aiokafka arguments (security) from ``kafka_client_options``."""
        self._options = {**(client_options or {}), "bootstrap_servers": bootstrap_servers}
        self._context = context
        self._consumer: AIOKafkaConsumer | None = None
        self._partitions: list[TopicPartition] = []
        self._seen_version: str | None = None

    async def start(self) -> CompiledPolicy | None:
        """Read the topic to its current end; return the active version, if one is valid."""
        consumer = AIOKafkaConsumer(
            **self._options,
            enable_auto_commit=False,
            isolation_level="read_committed",
        )
        await consumer.start()
        self._consumer = consumer
        self._partitions = await topic_partitions(consumer, POLICIES_TOPIC)
        if not self._partitions:
            log.warning("router.policy_topic_missing", topic=POLICIES_TOPIC)
            return None
        consumer.assign(self._partitions)
        await consumer.seek_to_beginning(*self._partitions)
        end = await consumer.end_offsets(self._partitions)
        records: list[Any] = []
        async with asyncio.timeout(_START_TIMEOUT_S):
            while any([await consumer.position(p) < end[p] for p in self._partitions]):
                batch = await consumer.getmany(timeout_ms=_POLL_MS)
                for messages in batch.values():
                    records.extend(messages)
        return self._newest(records)

    async def poll(self) -> CompiledPolicy | None:
        """A version activated since the last call, once compiled; None when there is none."""
        if self._consumer is None or not self._partitions:
            return None
        batch = await self._consumer.getmany(timeout_ms=0)
        return self._newest([m for messages in batch.values() for m in messages])

    async def stop(self) -> None:
        """Close the consumer."""
        if self._consumer is not None:
            await self._consumer.stop()
            self._consumer = None

    def _newest(self, records: list[Any]) -> CompiledPolicy | None:
        active = [r for r in records if r.key == ACTIVE_KEY and r.value]
        if not active:
            return None
        latest = active[-1]
        try:
            activation = decode_activation(latest.value)
        except PolicyError as error:
            log.error("router.policy_rejected", offset=latest.offset, problem=str(error))
            return None
        if activation.version == self._seen_version:
            return None
        self._seen_version = activation.version
        context = replace(self._context, today=datetime.now(UTC).date())
        try:
            policy, warnings = build_policy(activation.source, context)
        except PolicyError as error:
            log.error(
                "router.policy_rejected",
                version=activation.version,
                errors=len(error.problems),
                problem=str(error.problems[0]) if error.problems else str(error),
            )
            return None
        log.info("router.policy_received", version=policy.version, warnings=len(warnings))
        return policy
