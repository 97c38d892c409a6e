"""Receiving: offsets are committed only after the sink's write succeeded."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from pathlib import Path

from iom_adapters.sdk.backoff import Backoff
from iom_adapters.sdk.delivery import Delivery
from iom_adapters.sdk.kafka_options import client_options
from iom_adapters.sdk.sinks import JsonlFolderSink, SinkError
from iom_adapters.sdk.subscriber import AgencySubscriber
from tests.integration.adapters.support import new_person
from tests.integration.adapters.test_round_trip import enrol
from tests.integration.router_fixture import RunningRouter


class BrokenSink:
    """A sink whose every write fails, remembering the first offset it was offered."""

    def __init__(self) -> None:
        self.first_offsets: list[int] = []

    async def write(self, deliveries: Sequence[Delivery]) -> None:
        """Fail, as a full disk or a down endpoint would."""
        self.first_offsets.append(deliveries[0].offset)
        raise SinkError("drop folder unavailable")

    async def aclose(self) -> None:
        """Nothing to release."""


async def test_failed_write_is_not_acknowledged(
    running_router: RunningRouter, tmp_path: Path
) -> None:
    """After writes fail, the group's next subscriber receives the same records from the start."""
    person = new_person()
    await enrol(running_router, person.subject())
    bootstrap, codec = running_router.bootstrap, running_router.codec
    group = f"test-{uuid.uuid4().hex[:8]}"
    broken = BrokenSink()
    failing = AgencySubscriber(
        codec,
        "gwent-police",
        broken,
        client_options(bootstrap, "test-broken"),
        group_id=group,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(failing.run(stop))
    async with asyncio.timeout(60):
        while len(broken.first_offsets) < 2:
            await asyncio.sleep(0.1)
    stop.set()
    await task
    assert broken.first_offsets[0] == broken.first_offsets[1] == 0
    assert failing.written == 0

    folder = tmp_path / "drop"
    subscriber = AgencySubscriber(
        codec,
        "gwent-police",
        JsonlFolderSink(folder),
        client_options(bootstrap, "test-good"),
        group_id=group,
        backoff=Backoff(initial=0.1, maximum=0.5),
    )
    stop = asyncio.Event()
    task = asyncio.create_task(subscriber.run(stop))
    async with asyncio.timeout(60):
        while not any(p.name.endswith("-o0.jsonl") for p in folder.glob("*.jsonl")):
            await asyncio.sleep(0.1)
    stop.set()
    await task
    assert subscriber.written > 0
