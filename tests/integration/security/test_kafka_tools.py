"""Kafka's own command-line tools run against the secured `dev up` stack through
`iom-broker kafka tool`, with the client properties it writes (the package's secured stack)."""

from __future__ import annotations

import asyncio
import stat
import subprocess
import sys

import pytest

from broker.bootstrap import load_core
from tests.support.secured_stack import SecuredDevStack

pytestmark = pytest.mark.kafka


async def _kafka_tool(stack: SecuredDevStack, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "broker.cli", "kafka", "tool", "--state", str(stack.state)]
    return await asyncio.to_thread(
        subprocess.run, [*command, *args], capture_output=True, text=True, timeout=240
    )


async def test_consumer_groups_tool_describes_the_routers_group_as_the_admin(
    secured_stack: SecuredDevStack,
) -> None:
    """`kafka tool consumer-groups --describe --all-groups` authenticates as iom-admin over
    TLS and lists the router's group on its ingress partitions; the properties are 0600."""
    result = await _kafka_tool(secured_stack, "consumer-groups", "--describe", "--all-groups")

    assert result.returncode == 0, result.stderr[-2000:]
    rows = [line.split() for line in result.stdout.splitlines()]
    router_rows = [row for row in rows if row and row[0] == secured_stack.settings.router.group_id]
    assert any(row[1] == "ingress.gwent-police" for row in router_rows), result.stdout[-2000:]
    properties = secured_stack.state / "kafka-tools" / "iom-admin.properties"
    assert stat.S_IMODE(properties.stat().st_mode) == 0o600
    assert "security.protocol=SASL_SSL" in properties.read_text("utf-8").splitlines()


async def test_an_agency_principal_lists_only_its_own_topics(
    secured_stack: SecuredDevStack,
) -> None:
    """As an agency's principal (`--as`), `kafka tool topics --list` shows that agency's
    topics alone: the stack's ACLs hold for Kafka's own tools too."""
    principal = load_core(secured_stack.settings).agencies.get("gwent-police").principal

    result = await _kafka_tool(secured_stack, "--as", principal, "topics", "--list")

    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == [
        "deliver.gwent-police",
        "dlq.gwent-police",
        "ingress.gwent-police",
    ]
