"""The month of an instant as people in Wales would name it (UK time, GMT or BST). Pure."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

__all__ = ["UK_TIME", "month_range", "uk_month"]

UK_TIME = ZoneInfo("Europe/London")


def uk_month(at: datetime) -> str:
    """``YYYY-MM`` of ``at`` in UK time; a naive ``at`` is taken as UTC."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(UK_TIME).strftime("%Y-%m")


def month_range(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive (empty when ``last`` < ``first``)."""
    year, month = int(first[:4]), int(first[5:7])
    months: list[str] = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
