"""On the three-broker cluster the topics the project creates are replicated thrice and need two
in-sync replicas per write."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from broker.devtools.kafka.local_kafka_cluster import LocalKafkaCluster
from broker.kafka.topic_admin import ensure_topic_plan
from broker.kafka.topics import DISCLOSURES_TOPIC, topic_plan

AGENCY = "replicated-agency"


async def _describe(bootstrap: str, topics: list[str]) -> tuple[list[Any], dict[str, str]]:
    """Each topic's partitions, and each topic's min.insync.replicas."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics(topics)
        resources = [
            ConfigResource(ConfigResourceType.TOPIC, t, {"min.insync.replicas": None})
            for t in topics
        ]
        configs = await admin.describe_configs(resources)
    finally:
        await admin.close()
    min_isr = {
        resource[3]: str(entry[1])
        for response in configs
        for resource in response.resources
        for entry in resource[4]
        if entry[0] == "min.insync.replicas"
    }
    return described, min_isr


@pytest.mark.kafka
async def test_topic_plan_on_three_brokers_gets_three_replicas_and_min_isr_two(
    kafka_cluster: LocalKafkaCluster,
) -> None:
    """Without any setting, topics created on 3 brokers have 3 in-sync replicas, min ISR 2."""
    bootstrap = kafka_cluster.bootstrap_servers
    planned = [spec.name for spec in topic_plan([AGENCY])]
    await ensure_topic_plan(bootstrap, [AGENCY])
    await asyncio.to_thread(kafka_cluster.wait_in_sync, 60.0)

    described, min_isr = await _describe(bootstrap, planned)

    partitions = [p for topic in described for p in topic["partitions"]]
    assert {t["topic"] for t in described} == set(planned)
    assert all(len(p["replicas"]) == 3 and len(p["isr"]) == 3 for p in partitions)
    assert min_isr == dict.fromkeys(planned, "2")
    assert DISCLOSURES_TOPIC in planned
