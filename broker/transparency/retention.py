"""ISO 8601 durations (``P2Y``, ``P6M``, ``P1Y2M10DT2H``) and when an entry's retention ends."""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from broker.transparency.errors import EntryError

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)


@dataclass(frozen=True)
class Duration:
    """A calendar duration: years and months move the calendar, the rest is exact time."""

    years: int = 0
    months: int = 0
    exact: timedelta = timedelta()

    def after(self, start: datetime) -> datetime:
        """``start`` plus this duration; the day is clamped to the month's end (31 Jan + P1M)."""
        moved = start
        if self.months or self.years:
            month_index = start.month - 1 + self.months + 12 * self.years
            year, month = start.year + month_index // 12, month_index % 12 + 1
            day = start.day
            if day > 28:  # every month has 28 days; only later days may need clamping
                day = min(day, calendar.monthrange(year, month)[1])
            moved = start.replace(year=year, month=month, day=day)
        return moved + self.exact if self.exact else moved


@functools.lru_cache(maxsize=256)
def parse_duration(text: str) -> Duration:
    """Parse an ISO 8601 duration of whole units; raise EntryError naming the bad value."""
    match = _DURATION.match(text)
    if match is None:
        raise EntryError(f"retention {text!r} is not an ISO 8601 duration such as 'P2Y'")
    part = {name: int(value) if value else 0 for name, value in match.groupdict().items()}
    exact = timedelta(
        weeks=part["weeks"],
        days=part["days"],
        hours=part["hours"],
        minutes=part["minutes"],
        seconds=part["seconds"],
    )
    return Duration(part["years"], part["months"], exact)


def retention_ends(decided_at: datetime, retention: str | None, default: str) -> datetime:
    """When an entry decided at ``decided_at`` must lose its content (``default`` if none given)."""
    return parse_duration(retention or default).after(decided_at)
