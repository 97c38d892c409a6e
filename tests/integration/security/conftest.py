"""One `dev up` secured stack (issuer, Kafka with OAuth and ACLs, router, log writer, API)
shared by the security tests that act through the agencies' own credentials."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from broker.bootstrap import load_core
from broker.devtools.devstack.stack import DevStack
from broker.settings import load_settings
from tests.support.secured_stack import SecuredDevStack


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
