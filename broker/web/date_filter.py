"""The timeline's date filter: two GOV.UK date inputs (day, month, year), checked. Pure.

Each date is optional but must be complete when any part is given, a real calendar date with
a four-digit year, and "to" may not be before "from". Errors name the date and the first field
to fix (for the error summary's link); the values typed are kept so the page can show them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

__all__ = ["DATE_FIELDS", "DateError", "DateRange", "read_date_range"]

PARTS = ("day", "month", "year")
DATE_FIELDS = tuple(f"{which}-{part}" for which in ("from", "to") for part in PARTS)
"""Query parameter names: ``from-day`` … ``to-year``."""
_MAX_LEN = 8
"""Longer input is cut to this before it is shown again (it is refused anyway)."""
_DIGITS = {"day": 2, "month": 2, "year": 4}


@dataclass(frozen=True)
class DateError:
    """One problem: which date (``from``/``to``), the field to focus, the message key."""

    which: str
    field_id: str
    message: str


@dataclass(frozen=True)
class DateRange:
    """The checked range (``None`` = open), the typed values, and any errors."""

    since: date | None = None
    until: date | None = None
    values: dict[str, str] = field(default_factory=dict)
    errors: list[DateError] = field(default_factory=list)

    @property
    def query(self) -> list[tuple[str, str]]:
        """The filled-in date fields, to keep in links (only when the range is valid)."""
        if self.errors:
            return []
        return [(k, v) for k, v in self.values.items() if v]


def _one(which: str, values: Mapping[str, str]) -> tuple[date | None, DateError | None]:
    parts = {p: values.get(f"{which}-{p}", "") for p in PARTS}
    given = [p for p in PARTS if parts[p]]
    if not given:
        return None, None
    missing = [p for p in PARTS if not parts[p]]
    if missing:
        return None, DateError(which, f"{which}-{missing[0]}", f"date_{which}_incomplete")
    bad = next(
        (
            p
            for p in PARTS
            if not (parts[p].isascii() and parts[p].isdigit())
            or len(parts[p]) > _DIGITS[p]
            or (p == "year" and len(parts[p]) != 4)
        ),
        None,
    )
    if bad is not None:
        return None, DateError(which, f"{which}-{bad}", f"date_{which}_invalid")
    if not 1 <= int(parts["month"]) <= 12:
        return None, DateError(which, f"{which}-month", f"date_{which}_invalid")
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"])), None
    except ValueError:
        return None, DateError(which, f"{which}-day", f"date_{which}_invalid")


def read_date_range(params: Mapping[str, str]) -> DateRange:
    """Check the date fields of ``params`` (query parameters)."""
    values = {k: params.get(k, "").strip()[:_MAX_LEN] for k in DATE_FIELDS}
    since, since_error = _one("from", values)
    until, until_error = _one("to", values)
    errors = [e for e in (since_error, until_error) if e is not None]
    if since and until and until < since:
        errors.append(DateError("to", "to-day", "date_order"))
    if errors:
        return DateRange(values=values, errors=errors)
    return DateRange(since, until, values)
