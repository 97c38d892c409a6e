"""One `dev up` secured stack (issuer, Kafka with OAuth and ACLs, router, log writer, API)
shared by the security tests that act through the agencies' own credentials."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from broker.bootstrap import load_core
from broker.catalogue.codec import AvroCodec
from broker.devtools.devstack.stack import DevStack, StackInfo
from broker.devtools.devstack.stack_access import StackAccess
from broker.settings import Settings, load_settings


@dataclass(frozen=True)
class SecuredDevStack:
    """The running stack, how to reach it, and the core the router runs with."""

    state: Path
    info: StackInfo
    access: StackAccess
    settings: Settings
    codec: AvroCodec

    def options(self, agency: str) -> dict[str, Any]:
        """aiokafka arguments with ``agency``'s own credentials."""
        principal = load_core(self.settings).agencies.get(agency).principal
        return self.access.client_options(principal, self.settings)

    def admin_options(self) -> dict[str, Any]:
        """aiokafka arguments of the stack's administrator (reads every topic)."""
        return self.access.client_options(self.settings.security.admin_principal, self.settings)


@pytest.fixture(scope="package")
async def secured_stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[SecuredDevStack]:
    """`dev up` (authentication on, the default) in a temporary state dir, down afterwards."""
    state = tmp_path_factory.mktemp("secured-dev-stack")
    settings = load_settings()
    stack = DevStack(state, settings)
    try:
        info = await asyncio.to_thread(stack.up)
        codec = load_core(settings).codec
        yield SecuredDevStack(state, info, stack.access(), settings, codec)
    finally:
        await asyncio.to_thread(stack.down)
