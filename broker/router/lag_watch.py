"""Edge-triggered lag alarm: one event when lag goes high, one when it recovers. Pure.

Hysteresis (a high mark and a lower recovery mark) keeps a lag hovering around one value
from logging on every batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["LagChange", "LagWatch"]

LagChange = Literal["high", "recovered"]


@dataclass
class LagWatch:
    """Tracks total consumer lag against ``high`` and ``recovered`` marks (records)."""

    high: int
    recovered: int
    is_high: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.recovered < self.high:
            raise ValueError(f"recovery mark {self.recovered} must be in [0, {self.high})")

    def observe(self, lag: int) -> LagChange | None:
        """``"high"`` when lag first exceeds the high mark, ``"recovered"`` when it first falls
        to the recovery mark or below after that; otherwise None."""
        if not self.is_high and lag > self.high:
            self.is_high = True
            return "high"
        if self.is_high and lag <= self.recovered:
            self.is_high = False
            return "recovered"
        return None
