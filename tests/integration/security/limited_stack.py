"""A secured local Kafka with a router in the test process, for the limits tests.

``limited_stack`` starts the development issuer and a secured Kafka with the given security
settings (quotas, re-authentication limit), provisions topics, ACLs and quotas, and runs a
router (retrying while the new ACLs reach the authorizer).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import (
    GroupAuthorizationFailedError,
    TopicAuthorizationFailedError,
    TransactionalIdAuthorizationFailed,
)

from broker.agency_registry import load_agencies
from broker.bootstrap import build_router, load_core
from broker.catalogue.codec import AvroCodec
from broker.devtools.identity.dev_issuer import DEFAULT_TOKEN_TTL_S, DevIssuer
from broker.devtools.kafka.secured_local_kafka import SecuredLocalKafka, SecuredLocalStack
from broker.kafka.client_options import kafka_client_options
from broker.kafka.topic_reader import read_topic, topic_partitions
from broker.kafka.topics import deliver_topic, ingress_topic
from broker.router.kafka_router import KafkaRouter
from broker.settings import Settings, load_settings
from tests.support.waiting import wait_until

ACL_NOT_YET = (
    TransactionalIdAuthorizationFailed,
    TopicAuthorizationFailedError,
    GroupAuthorizationFailedError,
)


@dataclass(frozen=True)
class Limited:
    """The running stack, its settings and the router routing through it."""

    stack: SecuredLocalStack
    settings: Settings
    router: KafkaRouter
    codec: AvroCodec
    issuer: DevIssuer

    def options(self, agency: str) -> dict[str, Any]:
        """aiokafka arguments with ``agency``'s own credentials (its own token provider)."""
        principal = load_core(self.settings).agencies.get(agency).principal
        return kafka_client_options(self.stack.settings_for(principal, self.settings))

    def admin_options(self) -> dict[str, Any]:
        """aiokafka arguments of the admin principal."""
        admin = self.settings.security.admin_principal
        return kafka_client_options(self.stack.settings_for(admin, self.settings))


@asynccontextmanager
async def limited_stack(
    state: Path, security: dict[str, Any], token_ttl_s: int = DEFAULT_TOKEN_TTL_S
) -> AsyncIterator[Limited]:
    """A secured Kafka in ``state`` whose security settings are updated with ``security``,
    tokens living ``token_ttl_s``, topics, ACLs and quotas provisioned, and a running router."""
    base = load_settings()
    settings = load_settings(security=base.security.model_copy(update=security))
    runner = SecuredLocalKafka(
        state, settings, load_agencies(settings.agencies_file), token_ttl_s=token_ttl_s
    )
    stop = asyncio.Event()
    task: asyncio.Task[None] | None = None
    router: KafkaRouter | None = None
    try:
        stack = await asyncio.to_thread(runner.start)
        router_settings = stack.settings_for(settings.security.router_principal, settings)
        router_settings = router_settings.model_copy(
            update={"subject_key_file": Path(state) / "subject.key"}
        )
        async with asyncio.timeout(90):
            while task is None or router is None or not router.ready.is_set():
                if task is None or task.done():
                    if task is not None:  # ACLs reach the authorizer asynchronously: retry
                        assert isinstance(task.exception(), ACL_NOT_YET), task.exception()
                        await asyncio.sleep(1)
                    router, _ = build_router(router_settings)
                    task = asyncio.create_task(router.run(stop))
                await asyncio.sleep(0.2)
        assert router is not None
        assert runner.issuer is not None
        yield Limited(stack, settings, router, load_core(settings).codec, runner.issuer)
    finally:
        stop.set()
        if task is not None:
            await task
        await asyncio.to_thread(runner.stop)


async def router_caught_up(limited: Limited, agencies: list[str], timeout: float = 60) -> None:
    """Wait until the router group has committed every record now in those agencies' ingress
    topics: everything sent so far is routed, its deliveries committed (duplicates included)."""
    admin_options = limited.admin_options()
    ends = AIOKafkaConsumer(**admin_options, isolation_level="read_committed")
    admin = AIOKafkaAdminClient(**admin_options)
    await ends.start()
    await admin.start()
    try:
        partitions = [
            tp for agency in agencies for tp in await topic_partitions(ends, ingress_topic(agency))
        ]
        target = await ends.end_offsets(partitions)

        async def committed_to_the_end() -> bool:
            group = limited.settings.router.group_id
            done = await admin.list_consumer_group_offsets(group, partitions=partitions)
            # a partition that never held a record has no committed offset (end offset 0)
            committed = {tp: max(done[tp].offset, 0) if tp in done else 0 for tp in partitions}
            return all(committed[tp] >= end for tp, end in target.items())

        await wait_until(committed_to_the_end, timeout, interval=0.3)
    finally:
        await admin.close()
        await ends.stop()


async def deliveries(
    limited: Limited, agency: str, wanted: set[str], sources: list[str], timeout: float
) -> list[str]:
    """Event ids of ``wanted`` delivered to ``deliver.<agency>`` (once per delivery record),
    read to the end once the router has committed everything ``sources`` sent, so a duplicate
    delivery would be among them."""
    await router_caught_up(limited, sources, timeout)
    records = await read_topic(
        limited.options(agency)["bootstrap_servers"],
        deliver_topic(agency),
        client_options=limited.options(agency),
    )
    seen = [limited.codec.decode_delivery(r.value)["envelope"]["event_id"] for r in records]
    return [event_id for event_id in seen if event_id in wanted]
