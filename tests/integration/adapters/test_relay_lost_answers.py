"""The relay when Kafka's answer is lost after Kafka wrote a batch.

Two cases, each forced deterministically by a producer that lets the real write happen and
then withholds the answer:

- the records were written and acknowledged, then Kafka was killed (SIGKILL) before the relay
  saw the acknowledgements: the batch is sent again and the first, unfinished transaction is
  aborted;
- the transaction was committed, but the relay was told the connection dropped: it finds the
  batch committed and does not send it again. (Kafka is not killed here: a single node killed
  right after a commit can restart with the commit's markers skipped, leaving the partitions
  in an open transaction; docs/adapters.md.)

Uses its own LocalKafka (not the session's), because it kills and restarts the broker.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, ClassVar

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaConnectionError

from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.devtools.kafka.local_kafka import LocalKafka
from broker.kafka.topic_admin import ensure_topics
from broker.kafka.topic_reader import read_topic
from broker.kafka.topics import ingress_topic, topic_plan
from iom_adapters.sdk.backoff import Backoff
from iom_adapters.sdk.event_factory import EventFactory
from iom_adapters.sdk.kafka_options import client_options
from iom_adapters.sdk.outbox import Outbox
from iom_adapters.sdk.relay import OutboxRelay
from tests.integration.adapters.test_outbox_outage import AGENCY, BATCH, add, batch
from tests.support.waiting import wait_until


class AnswerLosingProducer(AIOKafkaProducer):  # type: ignore[misc]
    """A real producer whose first batch reaches Kafka, after which Kafka is killed.

    ``lose`` is "acks" (the records' acknowledgements are lost) or "commit" (the commit's
    answer is lost); ``kafka`` is the broker to kill. Later producers behave normally.
    """

    lose: ClassVar[str] = "acks"
    kafka: ClassVar[LocalKafka | None] = None
    created: ClassVar[int] = 0

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        AnswerLosingProducer.created += 1
        self._first = AnswerLosingProducer.created == 1
        self._real: list[asyncio.Future[Any]] = []
        self._told: list[asyncio.Future[Any]] = []

    async def send(self, topic: str, value: bytes, key: bytes | None = None) -> Any:
        """Send for real; on the first producer, answer only with a lost connection."""
        real = await super().send(topic, value, key=key)
        if not (self._first and self.lose == "acks"):
            return real
        told: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._real.append(real)
        self._told.append(told)
        if len(self._real) == BATCH:
            self._killer = asyncio.create_task(self._kill_after_writes())
        return told

    async def _kill_after_writes(self) -> None:
        await asyncio.gather(*self._real)
        await asyncio.to_thread(self._kill_kafka)
        for told in self._told:
            told.set_exception(KafkaConnectionError("connection lost before the answer"))

    def _kill_kafka(self) -> None:
        assert self.kafka is not None
        self.kafka.kill()

    async def commit_transaction(self) -> None:
        """Commit for real; on the first producer, report a lost connection instead."""
        await super().commit_transaction()
        if self._first and self.lose == "commit":
            raise KafkaConnectionError("connection lost before the commit's answer")


async def publish_through_a_kill(tmp_path: Path, lose: str) -> tuple[list[str], set[str], int]:
    """Publish one batch while losing Kafka's answer; ids read committed, ids sent, raw count."""
    catalogue = default_catalogue()
    codec = AvroCodec(catalogue)
    kafka = LocalKafka(tmp_path / "kafka-state")
    outbox = Outbox(tmp_path / "outbox.sqlite")
    stop = asyncio.Event()
    relay_task: asyncio.Task[None] | None = None
    AnswerLosingProducer.lose, AnswerLosingProducer.created = lose, 0
    AnswerLosingProducer.kafka = kafka
    try:
        bootstrap = await asyncio.to_thread(kafka.start)
        await ensure_topics(bootstrap, topic_plan([AGENCY]))
        expected = add(outbox, codec, batch(EventFactory(catalogue, AGENCY), 0))
        relay = OutboxRelay(
            outbox,
            AGENCY,
            client_options(bootstrap, "lost-answer-test"),
            batch_size=BATCH,
            backoff=Backoff(initial=0.2, maximum=1.0),
            producer_factory=AnswerLosingProducer,
        )
        relay_task = asyncio.create_task(relay.run(stop))
        await wait_until(lambda: relay.failed_batches > 0, timeout=60)
        if not kafka.is_running():
            assert outbox.pending == BATCH, "an unanswered batch must stay in the outbox"
            await asyncio.to_thread(kafka.start)
        assert await relay.drained(60), f"{outbox.pending} events still pending after restart"
        records = await read_topic(bootstrap, ingress_topic(AGENCY))
        ids = [codec.decode_event(r.value).record["envelope"]["event_id"] for r in records]
        return (
            ids,
            expected,
            len(
                await read_topic(
                    bootstrap, ingress_topic(AGENCY), isolation_level="read_uncommitted"
                )
            ),
        )
    finally:
        stop.set()
        if relay_task is not None:
            await relay_task
        outbox.close()
        await asyncio.to_thread(kafka.stop)


@pytest.mark.timeout(240)
async def test_a_batch_written_but_not_acknowledged_is_read_exactly_once(tmp_path: Path) -> None:
    """Kafka killed after writing a batch but before acknowledging it: each event is read once."""
    ids, expected, raw = await publish_through_a_kill(tmp_path, "acks")
    assert raw == 2 * BATCH, "the first, unanswered write must really be in the log"
    assert set(ids) == expected, "events lost"
    assert len(ids) == len(expected), "events duplicated"


@pytest.mark.timeout(240)
async def test_a_batch_committed_without_an_answer_is_not_sent_again(tmp_path: Path) -> None:
    """A batch committed whose answer never reached the relay is not sent again."""
    ids, expected, raw = await publish_through_a_kill(tmp_path, "commit")
    assert set(ids) == expected, "events lost"
    assert len(ids) == len(expected), "events duplicated"
    assert raw == BATCH, "the committed batch must not be written a second time"
