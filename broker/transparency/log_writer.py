"""The log writer: consume ``disclosures`` at read_committed and append them to the log.

For each polled batch: decode, append (idempotent by disclosure id, one durable store
transaction), then commit the consumer offsets. A crash before the store commit re-reads
the batch; a crash after it re-reads records already logged, which are skipped. Nothing is
lost and nothing is logged twice. A checkpoint is signed every ``checkpoint_interval_s``
while the tree grows, and once more on shutdown.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition

from broker.catalogue.codec import AvroCodec
from broker.catalogue.errors import CatalogueError
from broker.kafka.client_options import kafka_client_options
from broker.kafka.topics import DISCLOSURES_TOPIC
from broker.settings import Settings
from broker.transparency.errors import EntryError
from broker.transparency.log import TransparencyLog
from broker.transparency.store.protocol import NewLeaf

log = structlog.get_logger(__name__)

READY_EVENT = "log_writer.ready"


class LogWriter:
    """Runs until ``stop`` is set; Kafka or store failures propagate (restart to recover)."""

    def __init__(self, settings: Settings, transparency_log: TransparencyLog, codec: AvroCodec):
        self._settings = settings
        self._log = transparency_log
        self._codec = codec
        self.ready = asyncio.Event()
        self.appended = 0
        self.skipped = 0
        self.undecodable = 0

    async def run(self, stop: asyncio.Event) -> None:
        """Consume and append until ``stop`` is set."""
        options = self._settings.transparency
        client = kafka_client_options(self._settings)
        client["client_id"] = f"{client['client_id']}-log-writer"
        consumer = AIOKafkaConsumer(
            DISCLOSURES_TOPIC,
            **client,
            group_id=options.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
        )
        await consumer.start()
        log.info("log_writer.started", group=options.group_id)
        last_checkpoint = time.monotonic()
        try:
            while not stop.is_set():
                batch = await consumer.getmany(
                    timeout_ms=options.poll_timeout_ms, max_records=options.batch_max_records
                )
                if not self.ready.is_set() and consumer.assignment():
                    self.ready.set()
                    log.info(READY_EVENT, partitions=len(consumer.assignment()))
                if batch:
                    await self._append(batch)
                    await consumer.commit(
                        {tp: messages[-1].offset + 1 for tp, messages in batch.items()}
                    )
                if time.monotonic() - last_checkpoint >= options.checkpoint_interval_s:
                    await asyncio.to_thread(self._log.publish_checkpoint)
                    last_checkpoint = time.monotonic()
            await asyncio.to_thread(self._log.publish_checkpoint)
        finally:
            await consumer.stop()
            log.info(
                "log_writer.stopped",
                appended=self.appended,
                skipped=self.skipped,
                undecodable=self.undecodable,
            )

    async def _append(self, batch: dict[TopicPartition, list[Any]]) -> None:
        leaves: list[NewLeaf] = []
        for partition, messages in batch.items():
            for message in messages:
                try:
                    leaves.append(
                        self._log.leaf_for(self._codec.decode_disclosure(message.value))[1]
                    )
                except (CatalogueError, EntryError) as error:
                    self.undecodable += 1
                    log.error(
                        "log_writer.undecodable",
                        topic=partition.topic,
                        partition=partition.partition,
                        offset=message.offset,
                        error=str(error),
                    )
        result = await asyncio.to_thread(self._log.append_leaves, leaves)
        self.appended += len(result.appended)
        self.skipped += result.skipped
        if result.skipped:
            log.info("log_writer.duplicates_skipped", count=result.skipped, size=result.size)
