"""Kafka's default key partitioning, remembering the hash of recently used keys.

aiokafka hashes every record key with a pure-Python murmur2. The router writes each event's
deliveries, disclosures and subject updates under one key (the subject's reference), so most
keys it hashes were hashed a moment before; remembering them saves that work. Partitions are
exactly those of Kafka's default partitioner (Java clients and tools agree).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from aiokafka.partitioner import DefaultPartitioner, murmur2

__all__ = ["CachedKeyPartitioner"]


class CachedKeyPartitioner:
    """A drop-in ``partitioner`` for ``AIOKafkaProducer`` that caches key hashes."""

    def __init__(self, cache_size: int = 4096) -> None:
        self._hash: Callable[[bytes], int] = lru_cache(maxsize=cache_size)(murmur2)
        self._unkeyed = DefaultPartitioner()

    def __call__(
        self, key: bytes | None, all_partitions: Sequence[int], available: Sequence[int]
    ) -> int:
        """The partition for ``key``; unkeyed records go where the default partitioner puts them."""
        if key is None:
            return int(self._unkeyed(key, all_partitions, available))
        return all_partitions[(self._hash(key) & 0x7FFFFFFF) % len(all_partitions)]
