"""A router running in the test process against the session's real Kafka broker."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from broker.bootstrap import build_router, load_core
from broker.catalogue.codec import AvroCodec
from broker.router.kafka_router import KafkaRouter
from broker.settings import Settings, load_settings

TEST_MAX_RECORD_BYTES = 64 * 1024


@dataclass(frozen=True)
class RunningRouter:
    """The router under test and what tests need to talk to it."""

    router: KafkaRouter
    settings: Settings
    codec: AvroCodec
    bootstrap: str


@pytest.fixture(scope="session")
async def running_router(
    kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[RunningRouter]:
    """One router for the whole session, consuming every agency's ingress topic."""
    key_file: Path = tmp_path_factory.mktemp("router") / "subject.key"
    settings = load_settings(
        kafka={"bootstrap_servers": kafka_bootstrap},
        router={"max_record_bytes": TEST_MAX_RECORD_BYTES},
        subject_key_file=key_file,
    )
    router, _ = build_router(settings)
    stop = asyncio.Event()
    task = asyncio.create_task(router.run(stop))
    ready = asyncio.create_task(router.ready.wait())
    await asyncio.wait({task, ready}, timeout=90, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        task.result()
    assert router.ready.is_set(), "router did not join its consumer group within 90 s"
    yield RunningRouter(router, settings, load_core(settings).codec, kafka_bootstrap)
    stop.set()
    await task
