"""A newly activated policy version reaches every running router without a restart."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator, MutableMapping
from datetime import UTC, datetime
from typing import Any

import jsonschema_rs
import pytest
from structlog.testing import capture_logs

from broker.bootstrap import load_core
from broker.domain.cohort_table import CohortTable
from broker.kafka.topic_admin import ensure_topics
from broker.kafka.topics import ingress_topic, topic_plan
from broker.policy.activation import Activation
from broker.policy.build import build_policy
from broker.policy.engine import PolicyEngine
from broker.policy.policy_source import PolicySource
from broker.policy_admin.activation_publisher import publish_activation, read_active
from broker.policy_admin.policy_directory import read_policy_source
from broker.policy_admin.traffic_replay import events_from_kafka, simulate
from broker.router.kafka_router import KafkaRouter
from broker.router.policy_follower import PolicyFollower
from broker.router.record_processor import RecordProcessor
from broker.settings import load_settings
from iom_adapters.sdk.publisher import AgencyPublisher
from tests.integration.helpers import (
    arrest,
    deliveries_to,
    disclosures_for,
    enrolment,
    unique_subject,
)
from tests.integration.router_fixture import TEST_MAX_RECORD_BYTES, RunningRouter
from tests.support.waiting import wait_until
from tests.unit.cli.test_policy_json_output import ACTIVE

POLICE, PROBATION, HOUSING = "gwent-police", "probation-wales", "newport-housing"
GWENT_ISP = "agreements/gwent-iom-isp.yaml"
QUIET_AGENCY = "reload-quiet"
ARREST_TO_HOUSING = """\
  - id: gwent-arrest-to-housing
    from: gwent-police
    to: newport-housing
    events: [arrest]
    purpose: housing_support
    legal_basis: dpa2018_part3_s35
    fields: [subject.crn, payload.offence_category]
    retention: P1Y
"""


def with_gwent_rules(original: PolicySource, rules: str, label: str) -> PolicySource:
    """The original policy with ``rules`` added to the Gwent local agreement."""
    files = dict(original.files)
    files[GWENT_ISP] = files[GWENT_ISP].replace("rules:\n", "rules:\n" + rules, 1)
    return PolicySource(files, label=label)


async def activate(bootstrap: str, source: PolicySource) -> None:
    """Publish ``source`` as the active version, as ``iom-broker policy activate`` does."""
    await publish_activation(bootstrap, Activation(source, datetime.now(UTC), "integration-test"))


@pytest.fixture
async def second_router(running_router: RunningRouter) -> AsyncIterator[KafkaRouter]:
    """Another router instance, on a quiet ingress topic, following the same policies topic.

    (Two routers sharing the agencies' ingress partitions would also need a shared cohort
    table, which is the scale-out work of another issue; here it only has to follow policy.)
    """
    bootstrap = running_router.bootstrap
    await ensure_topics(bootstrap, topic_plan([QUIET_AGENCY]))
    settings = load_settings(
        kafka={"bootstrap_servers": bootstrap},
        router={"group_id": "reload-second", "transactional_id": "reload-second-0"},
        subject_key_file=running_router.settings.subject_key_file,
    )
    core = load_core(settings)
    processor = RecordProcessor(
        core.codec,
        PolicyEngine(core.policy, b"k" * 32),
        core.agencies,
        CohortTable(b"k" * 32),
        TEST_MAX_RECORD_BYTES,
    )
    router = KafkaRouter(
        settings,
        processor,
        CohortTable(b"k" * 32),
        [ingress_topic(QUIET_AGENCY)],
        PolicyFollower(bootstrap, core.policy_context),
    )
    stop = asyncio.Event()
    task = asyncio.create_task(router.run(stop))
    await asyncio.wait_for(router.ready.wait(), 90)
    yield router
    stop.set()
    await task


@pytest.mark.kafka
async def test_activated_version_is_followed_by_every_router_and_recorded_per_disclosure(
    running_router: RunningRouter, second_router: KafkaRouter
) -> None:
    """After activation both routers decide under the new version; disclosures name it."""
    bootstrap, codec = running_router.bootstrap, running_router.codec
    original = read_policy_source(running_router.settings.policy_file)
    proposed = with_gwent_rules(original, ARREST_TO_HOUSING, "proposed")
    subject = unique_subject()
    async with AgencyPublisher(bootstrap, PROBATION, codec) as probation:
        enrol = enrolment(PROBATION, subject)
        await probation.publish(enrol)
    await disclosures_for(bootstrap, codec, [enrol["envelope"]["event_id"]], 4)

    async def arrest_decisions() -> dict[str, dict[str, Any]]:
        event = arrest(POLICE, subject)
        async with AgencyPublisher(bootstrap, POLICE, codec) as police:
            await police.publish(event)
        found = await disclosures_for(bootstrap, codec, [event["envelope"]["event_id"]], 4)
        return {d["recipient_agency"]: d for d in found}

    before = await arrest_decisions()
    assert before[HOUSING]["reason"] == "no_rule"
    assert before[HOUSING]["policy_version"] == running_router.router.policy_version
    try:
        await activate(bootstrap, proposed)
        await wait_until(
            lambda: (
                running_router.router.policy_version == proposed.version
                and second_router.policy_version == proposed.version
            )
        )
        after = await arrest_decisions()
        assert (
            after[HOUSING]["permitted"] and after[HOUSING]["rule_id"] == "gwent-arrest-to-housing"
        )
        assert {d["policy_version"] for d in after.values()} == {proposed.version}
        delivered = [
            r
            for r in await deliveries_to(bootstrap, HOUSING)
            if dict(r.headers).get("iom.rule_id") == b"gwent-arrest-to-housing"
        ]
        assert delivered and dict(delivered[-1].headers)["iom.policy_version"] == (
            proposed.version.encode()
        )
        active = await read_active(bootstrap)
        assert active is not None and active.version == proposed.version
    finally:
        await activate(bootstrap, original)
        await wait_until(lambda: running_router.router.policy_version == original.version)


@pytest.mark.kafka
async def test_a_version_that_fails_validation_is_refused_and_the_current_one_kept(
    running_router: RunningRouter,
) -> None:
    """A published version naming an unknown agency is not applied; routing carries on."""
    bootstrap = running_router.bootstrap
    current = running_router.router.policy_version
    original = read_policy_source(running_router.settings.policy_file)
    broken = with_gwent_rules(
        original, ARREST_TO_HOUSING.replace("to: newport-housing", "to: newport-housng"), "broken"
    )

    def refused(logged: list[MutableMapping[str, Any]]) -> bool:
        return any(
            entry["event"] == "router.policy_rejected" and entry.get("version") == broken.version
            for entry in logged
        )

    with capture_logs() as logged:
        await activate(bootstrap, broken)
        await wait_until(lambda: refused(logged))
    assert running_router.router.policy_version == current
    assert not any(entry["event"] == "router.policy_received" for entry in logged)


@pytest.mark.kafka
async def test_simulate_replays_the_recorded_ingress_traffic(running_router: RunningRouter) -> None:
    """A proposal giving Gwent housing arrests shows that flow starting, counted from Kafka."""
    bootstrap, codec = running_router.bootstrap, running_router.codec
    subject = unique_subject()
    enrol, event = enrolment(PROBATION, subject), arrest(POLICE, subject)
    async with AgencyPublisher(bootstrap, PROBATION, codec) as probation:
        await probation.publish(enrol)
    async with AgencyPublisher(bootstrap, POLICE, codec) as police:
        await police.publish(event)
    await disclosures_for(bootstrap, codec, [event["envelope"]["event_id"]], 4)
    context = load_core(running_router.settings).policy_context
    original = read_policy_source(running_router.settings.policy_file)
    current = build_policy(original, context)[0]
    proposed = build_policy(with_gwent_rules(original, ARREST_TO_HOUSING, "proposed"), context)[0]

    traffic = await events_from_kafka(bootstrap, codec, context.agencies)
    report = simulate(traffic, current, proposed)

    assert event["envelope"]["event_id"] in {e.event_id for e in traffic}
    starts = [c for c in report.changes if c.recipient == HOUSING and c.event_type == "arrest"]
    assert [c.change for c in starts] == ["starts"] and starts[0].count >= 1
    assert all(c.recipient == HOUSING and c.event_type == "arrest" for c in report.changes)


async def run_cli(*args: str) -> tuple[int, str, str]:
    """Run ``iom-broker`` in a subprocess without blocking the event loop."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "broker.cli",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    return process.returncode or 0, out.decode(), err.decode()


@pytest.mark.kafka
async def test_the_activate_command_publishes_what_routers_follow(
    running_router: RunningRouter,
) -> None:
    """`policy activate` publishes the directory's version; `policy active` reports it (also as
    JSON valid against its schema)."""
    bootstrap = running_router.bootstrap
    policies = str(running_router.settings.policy_file)
    version = read_policy_source(running_router.settings.policy_file).version
    code, out, err = await run_cli("policy", "activate", policies, "--bootstrap", bootstrap)
    assert code == 0, err
    assert out.strip() == f"activated policy {version}; routers switch to it between batches"
    code, out, err = await run_cli("policy", "active", "--bootstrap", bootstrap)
    assert code == 0, err
    assert out.startswith(f"{version} activated ") and "(4 agreements)" in out
    code, out, err = await run_cli("policy", "active", "--bootstrap", bootstrap, "--json")
    assert code == 0, err
    jsonschema_rs.validate(ACTIVE, json.loads(out))
    assert json.loads(out)["active"]["version"] == version
    await wait_until(lambda: running_router.router.policy_version == version)
