"""Receive what the broker delivers to one agency and hand it to a sink.

Reads ``deliver.<agency>`` at ``read_committed`` in a consumer group, one partition batch at a
time: decode every record, write the batch to the sink, and only when the write succeeded
commit the offsets. A failed write commits nothing; the same records are written again after
a backoff (at-least-once: a receiver deduplicates by ``disclosure_id``). A record that does not
decode as a delivery is reported and skipped, so one bad record cannot block the agency.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition

from broker.catalogue.codec import AvroCodec
from broker.catalogue.errors import CatalogueError
from broker.kafka.topics import deliver_topic
from iom_adapters.sdk.backoff import Backoff
from iom_adapters.sdk.delivery import Delivery
from iom_adapters.sdk.sinks.base import DeliverySink

log = structlog.get_logger(__name__)


class AgencySubscriber:
    """Consumes one agency's deliveries into a sink until stopped."""

    def __init__(
        self,
        codec: AvroCodec,
        agency: str,
        sink: DeliverySink,
        consumer_options: dict[str, Any],
        *,
        group_id: str | None = None,
        batch_size: int = 200,
        backoff: Backoff | None = None,
    ) -> None:
        self.codec = codec
        self.agency = agency
        self.topic = deliver_topic(agency)
        self.sink = sink
        self._options = {
            "group_id": group_id or f"{agency}.adapter",  # the ACLs allow only "<agency>." groups
            "enable_auto_commit": False,
            "auto_offset_reset": "earliest",
            "isolation_level": "read_committed",
            **consumer_options,
        }
        self._batch_size = batch_size
        self._backoff = backoff or Backoff(initial=0.5, maximum=30.0)
        self.written = 0
        self.undecodable = 0
        self.ready = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until ``stop`` is set (reconnecting with backoff if Kafka is unreachable)."""
        while not stop.is_set():
            consumer = AIOKafkaConsumer(self.topic, **self._options)
            try:
                await consumer.start()
                self._backoff.reset()
                await self._consume(consumer, stop)
            except (asyncio.CancelledError, KeyboardInterrupt):
                raise
            except Exception as error:
                log.warning(
                    "adapter.subscriber.error", topic=self.topic, error=type(error).__name__
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self._backoff.next_delay())
            finally:
                with contextlib.suppress(Exception):
                    await consumer.stop()

    async def _consume(self, consumer: AIOKafkaConsumer, stop: asyncio.Event) -> None:
        while not stop.is_set():
            batches = await consumer.getmany(timeout_ms=200, max_records=self._batch_size)
            if consumer.assignment():
                self.ready.set()
            for partition, messages in batches.items():
                if not messages:
                    continue
                deliveries = self._decode(messages)
                await self._write_until_done(
                    consumer, partition, deliveries, messages[0].offset, stop
                )
                if stop.is_set():
                    return
                await consumer.commit({partition: messages[-1].offset + 1})

    def _decode(self, messages: Sequence[Any]) -> list[Delivery]:
        deliveries: list[Delivery] = []
        for message in messages:
            try:
                record = self.codec.decode_delivery(message.value)
            except CatalogueError as error:
                self.undecodable += 1
                log.error(
                    "adapter.subscriber.undecodable",
                    topic=message.topic,
                    partition=message.partition,
                    offset=message.offset,
                    reason=error.reason,
                    detail=str(error),
                )
                continue
            headers = {k: v.decode("utf-8", "replace") for k, v in message.headers or ()}
            deliveries.append(
                Delivery(message.topic, message.partition, message.offset, record, headers)
            )
        return deliveries

    async def _write_until_done(
        self,
        consumer: AIOKafkaConsumer,
        partition: TopicPartition,
        deliveries: list[Delivery],
        first_offset: int,
        stop: asyncio.Event,
    ) -> None:
        backoff = Backoff(initial=0.5, maximum=30.0)
        while not stop.is_set():
            try:
                await self.sink.write(deliveries)
            except Exception as error:
                delay = backoff.next_delay()
                log.warning(
                    "adapter.subscriber.write_failed",
                    topic=self.topic,
                    partition=partition.partition,
                    offset=first_offset,
                    error=type(error).__name__,
                    detail=str(error),
                    retry_in=round(delay, 2),
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), delay)
                continue
            self.written += len(deliveries)
            return
        consumer.seek(partition, first_offset)
