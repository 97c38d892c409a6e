"""The console's "activate at a chosen time" form: a GOV.UK date input and a time, UK time.

The DPO types the date and time as a clock in the UK shows it (Europe/London, so British
Summer Time is taken care of); the form gives back an aware datetime, or the field in error
and which message to show. In the hour the clocks go back, the earlier (summer time) hour is
meant; a time skipped when the clocks go forward is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from broker.policy_admin.activation_time import activation_time_problem

__all__ = ["FIELDS", "UK", "ChosenTime", "read_chosen_time", "uk_time"]

UK = ZoneInfo("Europe/London")
FIELDS = ("day", "month", "year", "hour", "minute")

TimeError = Literal["when_missing", "date_real", "time_real", "time_gap", "past", "too_far"]
"""Which message to show (``error_<name>`` in the console's texts)."""


@dataclass(frozen=True)
class ChosenTime:
    """What was typed (to show again), and the time it means or what is wrong with it."""

    typed: Mapping[str, str] = field(default_factory=dict)
    at: datetime | None = None
    error: TimeError | None = None
    field: Literal["day", "hour"] = "day"
    """The input the error summary links to (``activate-day`` or ``activate-hour``)."""


def uk_time(at: datetime) -> datetime:
    """``at`` as a clock in the UK shows it."""
    return at.astimezone(UK)


def _number(text: str, low: int, high: int) -> int | None:
    text = text.strip()
    if not text.isdigit() or len(text) > 4:
        return None
    value = int(text)
    return value if low <= value <= high else None


def read_chosen_time(form: Mapping[str, str], now: datetime, horizon_days: int) -> ChosenTime:
    """The UK date and time in ``form``'s fields (:data:`FIELDS`), checked against ``now``."""
    typed = {name: form.get(name, "").strip()[:4] for name in FIELDS}
    if not any(typed.values()):
        return ChosenTime(typed, error="when_missing")
    day, month = _number(typed["day"], 1, 31), _number(typed["month"], 1, 12)
    year = _number(typed["year"], 1000, 9999)
    if day is None or month is None or year is None:
        return ChosenTime(typed, error="date_real")
    hour, minute = _number(typed["hour"], 0, 23), _number(typed["minute"], 0, 59)
    if hour is None or minute is None:
        return ChosenTime(typed, error="time_real", field="hour")
    try:
        local = datetime(year, month, day, hour, minute, tzinfo=UK)
    except ValueError:
        return ChosenTime(typed, error="date_real")
    back = local.astimezone(UTC).astimezone(UK)
    if back.replace(tzinfo=None) != local.replace(tzinfo=None):
        return ChosenTime(typed, error="time_gap", field="hour")
    problem = activation_time_problem(local, now, horizon_days)
    if problem is not None:
        return ChosenTime(typed, error=problem)
    return ChosenTime(typed, at=local)
