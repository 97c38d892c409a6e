"""`dev up` runs with authentication and ACLs on: agencies publish and read only through their
own tokens, and the router delivers to the recipient alone (the package's secured stack)."""

from __future__ import annotations

import asyncio
import os
import re
import ssl
import stat
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.errors import TopicAuthorizationFailedError
from rich.console import Console

from broker.bootstrap import load_core
from broker.catalogue.codec import AvroCodec
from broker.devtools.demo.run_demo import play_story
from broker.devtools.demo.story import demo_story
from broker.devtools.devstack.stack import DevStack
from broker.devtools.identity.signing_keys import load_or_create_signing_key
from broker.kafka.topic_reader import read_topic
from broker.kafka.topics import deliver_topic
from iom_adapters.sdk.publisher import AgencyPublisher
from tests.identity_attacks import ATTACKS, claims_for
from tests.integration.helpers import arrest, enrolment, unique_subject
from tests.integration.security.kafka_probe import ACCEPTED, kafka_verdict
from tests.support.secured_stack import SecuredDevStack

pytestmark = pytest.mark.kafka

POLICE, PROBATION = "gwent-police", "probation-wales"


async def _delivered(options: dict[str, Any], agency: str, codec: AvroCodec) -> list[str]:
    """Event ids in ``deliver.<agency>``, read with ``options``."""
    bootstrap = options["bootstrap_servers"]
    records = await read_topic(bootstrap, deliver_topic(agency), client_options=options)
    return [codec.decode_delivery(r.value)["envelope"]["event_id"] for r in records]


async def _subscribe_once(options: dict[str, Any], topic: str, group: str) -> None:
    consumer = AIOKafkaConsumer(topic, **options, group_id=group, auto_offset_reset="earliest")
    try:
        await consumer.start()
        await asyncio.wait_for(consumer.getone(), 15)
    finally:
        await consumer.stop()


def test_stack_json_names_the_issuer_and_ca(secured_stack: SecuredDevStack) -> None:
    """stack.json records that Kafka authenticates, the issuer URL and the development CA."""
    info = secured_stack.info

    assert info.kafka_auth is True
    assert info.token_issuer_url is not None
    assert info.token_issuer_url.startswith("https://127.0.0.1:")
    assert info.ca_file == str(secured_stack.state.resolve() / "pki" / "ca.crt")


async def test_router_delivers_to_the_recipient_alone_through_agency_tokens(
    secured_stack: SecuredDevStack,
) -> None:
    """An arrest published with the police's own token reaches deliver.probation-wales, which
    probation reads with its own token and the police are refused by Kafka."""
    codec, bootstrap = secured_stack.codec, secured_stack.info.bootstrap_servers
    probation, police = secured_stack.options(PROBATION), secured_stack.options(POLICE)
    subject = unique_subject()
    event = arrest(POLICE, {**subject, "crn": None, "nhs_number": None})
    enrol = enrolment(PROBATION, subject)
    async with AgencyPublisher(bootstrap, PROBATION, codec, kafka_options=probation) as publisher:
        await publisher.publish(enrol)
    async with asyncio.timeout(60):  # the police receive the enrolment: it has been routed
        while enrol["envelope"]["event_id"] not in await _delivered(police, POLICE, codec):
            await asyncio.sleep(0.5)
    async with AgencyPublisher(bootstrap, POLICE, codec, kafka_options=police) as publisher:
        await publisher.publish(event)
    event_id = event["envelope"]["event_id"]

    async with asyncio.timeout(60):
        while event_id not in await _delivered(probation, PROBATION, codec):
            await asyncio.sleep(0.5)

    with pytest.raises(TopicAuthorizationFailedError):
        await _subscribe_once(police, deliver_topic(PROBATION), f"{POLICE}.snoop")


async def test_dev_token_is_accepted_by_the_running_kafka(secured_stack: SecuredDevStack) -> None:
    """`dev token --agency` prints a token that the stack's Kafka authenticates."""
    command = [sys.executable, "-m", "broker.cli", "dev", "token"]
    command += ["--state", str(secured_stack.state), "--agency", POLICE]
    result = await asyncio.to_thread(
        subprocess.run, command, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    context = ssl.create_default_context(cafile=str(secured_stack.info.ca_file))

    verdict = await kafka_verdict(
        secured_stack.info.bootstrap_servers, context, result.stdout.strip()
    )

    assert verdict == ACCEPTED


async def test_demo_story_runs_through_authentication(secured_stack: SecuredDevStack) -> None:
    """The demo's publishers, observer and readers all connect with their own credentials."""
    steps = demo_story()
    console = Console(record=True, width=120)

    report = await play_story(
        secured_stack.access,
        load_core(secured_stack.settings),
        secured_stack.settings,
        console,
        steps,
    )

    assert report.dead_letters == [
        ("newport-housing", "not_cohort_authority"),
        ("newport-housing", "undecodable"),
    ]
    assert any(d["permitted"] for d in report.disclosures)
    assert report.deliveries[PROBATION]


def test_dpo_signs_in_to_the_console_through_the_running_issuer(
    secured_stack: SecuredDevStack,
) -> None:
    """`dev up` wires the console to the issuer's sign-in page: picking a DPO there opens it."""
    info = secured_stack.info
    assert info.api_url is not None and info.ca_file is not None
    tls = ssl.create_default_context(cafile=info.ca_file)
    with httpx.Client(verify=tls, timeout=15) as browser:
        start = browser.get(f"{info.api_url}/console/sign-in/start")
        assert start.status_code == 303
        page = browser.get(start.headers["location"])
        assert page.status_code == 200 and "DEVELOPMENT ONLY" in page.text
        found = re.search(r'name="transaction" value="([^"]+)"', page.text)
        assert found is not None
        issuer = str(page.url).split("/authorize")[0]
        chosen = browser.post(
            f"{issuer}/authorize",
            data={"transaction": found.group(1), "user": f"dpo:{PROBATION}"},
        )
        assert chosen.headers["location"].startswith(f"{info.api_url}/console/signed-in?")
        assert browser.get(chosen.headers["location"]).status_code == 200
        console = browser.get(f"{info.api_url}/console")
    assert console.status_code == 200
    assert "Sharing agreements" in console.text


def _open_to_others(state: Path) -> list[str]:
    """Every folder or file under ``state`` (itself included) that group or others may read,
    write or enter, with its mode; symbolic links are not followed."""
    found = []
    for folder, folders, files in os.walk(state, followlinks=False):
        for path in (Path(folder), *(Path(folder) / name for name in (*folders, *files))):
            mode = path.lstat().st_mode
            if not stat.S_ISLNK(mode) and stat.S_IMODE(mode) & 0o077:
                found.append(f"{path.relative_to(state)} {stat.S_IMODE(mode):04o}")
    return sorted(set(found))


def _kafka_segments(state: Path) -> list[Path]:
    """Kafka's log segment files (the records at rest) in the stack's data folder."""
    return [p for p in (state / "kafka" / "data").rglob("*.log") if p.stat().st_size > 0]


async def test_state_is_owner_only_and_server_log_keeps_no_token(
    secured_stack: SecuredDevStack,
) -> None:
    """After two refused tokens (a forged signature, an expired one) and agency traffic,
    nothing in the state folder (Kafka segments, databases, keys, logs) is open to group or
    others, and Kafka's server.log holds neither token nor any of their claims."""
    codec, bootstrap = secured_stack.codec, secured_stack.info.bootstrap_servers
    key = load_or_create_signing_key(secured_stack.state / "identity" / "issuer-signing.key")
    marker = f"claim-marker-{uuid.uuid4().hex}"
    claims = claims_for(
        str(secured_stack.info.token_issuer_url),
        secured_stack.settings.identity.audience,
        "gwent-police-adapter",
        jti=marker,
        iom_note=marker,
    )
    tokens = [ATTACKS[attack](key, claims) for attack in ("forged", "expired")]
    assert secured_stack.info.ca_file is not None
    context = ssl.create_default_context(cafile=secured_stack.info.ca_file)
    for token in tokens:  # Kafka validates (and would log) before it answers
        assert await kafka_verdict(bootstrap, context, token) == "invalid_token"
    probation, police = secured_stack.options(PROBATION), secured_stack.options(POLICE)
    subject = unique_subject()
    enrol, event = enrolment(PROBATION, subject), arrest(POLICE, subject)
    async with AgencyPublisher(bootstrap, PROBATION, codec, kafka_options=probation) as publisher:
        await publisher.publish(enrol)
    async with AgencyPublisher(bootstrap, POLICE, codec, kafka_options=police) as publisher:
        await publisher.publish(event)
    async with asyncio.timeout(60):
        while event["envelope"]["event_id"] not in await _delivered(probation, PROBATION, codec):
            await asyncio.sleep(0.5)

    logged = (secured_stack.state / "kafka" / "server.log").read_text(errors="replace")
    for token in tokens:
        _header, payload, signature = token.split(".")
        assert token not in logged and payload not in logged and signature not in logged
    assert marker not in logged
    assert _kafka_segments(secured_stack.state), "no Kafka segment was written"
    assert _open_to_others(secured_stack.state) == []


async def test_dev_up_tightens_a_reused_state_folder(secured_stack: SecuredDevStack) -> None:
    """`dev up` over a folder whose keys, databases, logs and Kafka segments were loosened
    (0755 folders, 0644 files) makes all of them owner-only again."""
    state = secured_stack.state
    loosened = [
        state,
        state / "keys",
        state / "pki",
        state / "kafka" / "data",
        state / "identity" / "clients",
    ]
    files = [
        state / "api" / "records.sqlite3",
        state / "transparency" / "log.sqlite3",
        state / "kafka" / "server.log",
        state / "router.log",
        state / "pki" / "ca.key",
        _kafka_segments(state)[0],
    ]
    for folder in loosened:
        folder.chmod(0o755)
    for path in files:
        path.chmod(0o644)
    assert len(_open_to_others(state)) >= len(loosened) + len(files)

    await asyncio.to_thread(DevStack(state, secured_stack.settings).up)

    assert _open_to_others(state) == []
