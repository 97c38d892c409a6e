"""Exponential backoff with full jitter, for retries towards Kafka and webhooks."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """Delays ``initial * 2**n`` capped at ``maximum``, each drawn uniformly from [d/2, d]."""

    initial: float = 0.2
    maximum: float = 30.0
    attempts: int = 0
    _random: random.Random = field(default_factory=random.Random, repr=False)

    def next_delay(self) -> float:
        """The delay before the next attempt; counts the attempt."""
        ceiling = min(self.maximum, self.initial * 2**self.attempts)
        self.attempts += 1
        return self._random.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        """Start again from the initial delay (after a success)."""
        self.attempts = 0
