"""Whether a chosen activation time is acceptable: not past, not beyond the horizon.

The API's ``/activation`` route and the console's schedule form both ask this one function,
so a time one accepts the other accepts too.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

__all__ = ["SKEW", "TimeProblem", "activation_time_problem"]

TimeProblem = Literal["past", "too_far"]

SKEW = timedelta(seconds=5)
"""How far in the past a time may be and still mean "now" (clocks and round trips)."""


def activation_time_problem(at: datetime, now: datetime, horizon_days: int) -> TimeProblem | None:
    """``past``, ``too_far`` (more than ``horizon_days`` ahead), or None when ``at`` is fine."""
    if at < now - SKEW:
        return "past"
    if at - now > timedelta(days=horizon_days):
        return "too_far"
    return None
