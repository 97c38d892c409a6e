"""Read typed values out of native records: instants, dates, required and optional text.

Every function takes the source field's name so a failure says where, never what: the
message names the field and the expected form, not the value that was found.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, tzinfo
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from iom_adapters.sdk.outcomes import INVALID_VALUE, MISSING_FIELD, MappingError

#: Local time of every agency in England and Wales: naive times in exports are read in it.
UK_TIME = "Europe/London"

_UK_DATETIME_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y")
_UK_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y")


@cache
def zone(name: str) -> tzinfo:
    """The time zone called ``name`` (cached)."""
    return ZoneInfo(name)


def text(record: Mapping[str, Any], key: str, field: str | None = None) -> str:
    """A required, non-blank string value (stripped)."""
    value = record.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise MappingError(MISSING_FIELD, field or key, "required value is missing")
    if not isinstance(value, str | int):
        raise MappingError(INVALID_VALUE, field or key, "expected text")
    return str(value).strip()


def optional_text(record: Mapping[str, Any], key: str, field: str | None = None) -> str | None:
    """A string value, or None when absent or blank."""
    value = record.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str | int):
        raise MappingError(INVALID_VALUE, field or key, "expected text")
    return str(value).strip()


def instant(
    value: Any, field: str, *, local_zone: str = UK_TIME, formats: tuple[str, ...] = ()
) -> datetime:
    """A timezone-aware UTC datetime from ISO 8601 text or a UK ``dd/mm/yyyy HH:MM`` form.

    Text without an offset is local time in ``local_zone`` (the exporting system's clock).
    """
    if not isinstance(value, str) or not value.strip():
        raise MappingError(MISSING_FIELD, field, "required date-time is missing")
    raw = value.strip()
    parsed: datetime | None = None
    for fmt in formats:
        try:
            parsed = datetime.strptime(raw, fmt)
            break
        except ValueError:
            continue
    if parsed is None:
        try:
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            parsed = _uk_datetime(raw)
    if parsed is None:
        raise MappingError(INVALID_VALUE, field, "not a date-time (ISO 8601 or dd/mm/yyyy HH:MM)")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone(local_zone))
    return parsed.astimezone(UTC)


def calendar_date(value: Any, field: str, *, formats: tuple[str, ...] = ()) -> date:
    """A date from ISO ``yyyy-mm-dd``, a UK ``dd/mm/yyyy`` form, or one of ``formats``."""
    if not isinstance(value, str) or not value.strip():
        raise MappingError(MISSING_FIELD, field, "required date is missing")
    raw = value.strip()
    for fmt in (*formats, *_UK_DATE_FORMATS):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        raise MappingError(INVALID_VALUE, field, "not a date (yyyy-mm-dd or dd/mm/yyyy)") from None


def _uk_datetime(raw: str) -> datetime | None:
    for fmt in _UK_DATETIME_FORMATS:
        try:
            return datetime.strptime(raw, fmt)
        except ValueError:
            continue
    return None
