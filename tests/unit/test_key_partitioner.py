"""The router's key partitioner puts records where Kafka's default partitioner does."""

from __future__ import annotations

import hashlib

from aiokafka.partitioner import DefaultPartitioner

from broker.kafka.key_partitioner import CachedKeyPartitioner


def test_keyed_records_land_on_the_default_partitioners_partition() -> None:
    """Every key, asked once or again, maps to the partition Kafka's default partitioner picks."""
    partitioner = CachedKeyPartitioner(cache_size=16)
    default = DefaultPartitioner()
    keys = [hashlib.sha256(str(n).encode()).hexdigest().encode() for n in range(200)]
    for partitions in ([0, 1, 2], list(range(12))):
        for key in keys + keys[:50]:
            assert partitioner(key, partitions, partitions) == default(key, partitions, partitions)


def test_unkeyed_records_go_to_an_available_partition() -> None:
    """A record without a key goes to one of the available partitions."""
    partitioner = CachedKeyPartitioner()
    assert {partitioner(None, [0, 1, 2], [2]) for _ in range(20)} == {2}
