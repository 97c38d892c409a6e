"""The timeline's days and paging: entries grouped by their UK date, cursors without dots.

Times are shown in UK time (Europe/London: GMT in winter, BST in summer), so an entry made at
23:30 UTC on 30 June is listed on 1 July at 00:30. The paging cursor names the last entry
shown (its time in milliseconds and its log index) as ``<ms>-<index>``: stable while new
entries arrive, and never a decimal number in the address bar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from broker.supervisee.disclosures import Disclosure

__all__ = ["UK_TIME", "Day", "by_day", "cursor_param", "page_token", "uk_time"]

UK_TIME = ZoneInfo("Europe/London")
_CURSOR = re.compile(r"^([0-9]{1,16})-([0-9]{1,16})$")


@dataclass(frozen=True)
class Day:
    """One UK calendar day of the timeline and its entries, newest first."""

    day: date
    entries: list[tuple[str, Disclosure]]
    """``(HH:MM in UK time, entry)``"""


def uk_time(moment: datetime) -> datetime:
    """``moment`` on the UK's clocks."""
    return moment.astimezone(UK_TIME)


def by_day(items: list[Disclosure]) -> list[Day]:
    """The entries grouped by UK date, keeping their order (newest first)."""
    days: list[Day] = []
    for item in items:
        local = uk_time(item.shared_at)
        if not days or days[-1].day != local.date():
            days.append(Day(local.date(), []))
        days[-1].entries.append((local.strftime("%H:%M"), item))
    return days


def cursor_param(token: str | None) -> str | None:
    """The service's page token ``<ms>.<index>`` as the portal's ``before`` value."""
    return token.replace(".", "-", 1) if token else None


def page_token(value: str | None) -> str | None:
    """A ``before`` value back to the service's page token; None when malformed."""
    match = _CURSOR.match(value or "")
    return f"{match.group(1)}.{match.group(2)}" if match else None
