"""Read typed values out of native records: instants, dates, required and optional text.

Every function takes the source field's name so a failure says where, never what: the
message names the field and the expected form, not the value that was found.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, tzinfo
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from iom_adapters.sdk.outcomes import INVALID_VALUE, MISSING_FIELD, MappingError

#: Local time of every agency in England and Wales: naive times in exports are read in it.
UK_TIME = "Europe/London"

_UK_DATETIME_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y")
_UK_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y")


#: The patterns ``datetime.strptime`` itself matches each numeric directive with (CPython's
#: ``_strptime.TimeRE``), so a format made of these parses to exactly what strptime gives.
_DIRECTIVES = {
    "d": r"(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])",
    "m": r"(1[0-2]|0[1-9]|[1-9])",
    "Y": r"(\d\d\d\d)",
    "H": r"(2[0-3]|[0-1]\d|\d)",
    "M": r"([0-5]\d|\d)",
    "S": r"(6[0-1]|[0-5]\d|\d)",
}
_FIELD_ORDER = ("Y", "m", "d", "H", "M", "S")


@cache
def _numeric_format(fmt: str) -> Callable[[str], datetime] | None:
    """A parser equal to ``datetime.strptime(text, fmt)`` (same result, ValueError for the
    same text) for formats of day, month, year, hour, minute and second only; None for others.

    strptime rebuilds its state and takes the locale lock on every call; for the UK export
    forms (``%d/%m/%Y %H:%M``) this is about five times faster.
    """
    pattern, names, rest = "", [], fmt
    while rest:
        if rest[0] == "%":
            directive = _DIRECTIVES.get(rest[1:2])
            if directive is None or rest[1] in names:
                return None
            names.append(rest[1])
            pattern += directive
            rest = rest[2:]
        else:
            pattern += r"\s+" if rest[0].isspace() else re.escape(rest[0])
            rest = rest[1:].lstrip() if rest[0].isspace() else rest[1:]
    if not {"Y", "m", "d"} <= set(names):
        return None
    compiled = re.compile(pattern, re.IGNORECASE)
    order = [names.index(name) if name in names else -1 for name in _FIELD_ORDER]

    def parse(text: str) -> datetime:
        match = compiled.fullmatch(text)
        if match is None:
            raise ValueError(f"time data does not match format {fmt!r}")
        parts = match.groups()
        year, month, day, hour, minute, second = (int(parts[i]) if i >= 0 else 0 for i in order)
        return datetime(year, month, day, hour, minute, second)

    return parse


def _strptime(raw: str, fmt: str) -> datetime:
    """``datetime.strptime(raw, fmt)``, faster for numeric forms (see :func:`_numeric_format`)."""
    parse = _numeric_format(fmt)
    return parse(raw) if parse is not None else datetime.strptime(raw, fmt)


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
            parsed = _strptime(raw, fmt)
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
            return _strptime(raw, fmt).date()
        except ValueError:
            continue
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        raise MappingError(INVALID_VALUE, field, "not a date (yyyy-mm-dd or dd/mm/yyyy)") from None


def _uk_datetime(raw: str) -> datetime | None:
    for fmt in _UK_DATETIME_FORMATS:
        try:
            return _strptime(raw, fmt)
        except ValueError:
            continue
    return None
