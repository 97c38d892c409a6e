"""One custody export row (CSV or JSON, same logical fields) to a catalogue draft."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from iom_adapters.police.columns import normalise_code
from iom_adapters.sdk import identifiers
from iom_adapters.sdk.outcomes import INVALID_VALUE, MISSING_FIELD, MappingError
from iom_adapters.sdk.values import calendar_date, instant

if TYPE_CHECKING:
    from iom_adapters.police.adapter import PoliceOptions


@dataclass(frozen=True, slots=True)
class Draft:
    """The catalogue event a row describes."""

    event_type: str
    key: tuple[str, ...]
    occurred_at: datetime
    pnc_id: str
    payload: dict[str, Any]


class Row:
    """Reads logical fields from a row through the configured column names."""

    def __init__(self, values: Mapping[str, Any], options: PoliceOptions) -> None:
        self._values = values
        self._columns = options.column_names

    def column(self, field: str) -> str:
        """The column that holds a logical field."""
        return self._columns[field]

    def get(self, field: str) -> str | None:
        """A field's text, or None when absent or blank."""
        value = self._values.get(self._columns[field])
        if value is None:
            return None
        text = str(value).strip()
        return text or None

    def require(self, field: str) -> str:
        """A field's text; MappingError naming the column when it is missing."""
        value = self.get(field)
        if value is None:
            raise MappingError(MISSING_FIELD, self.column(field), "required value is missing")
        return value


def map_row(values: Mapping[str, Any], options: PoliceOptions) -> Draft:
    """The draft event of one export row."""
    row = Row(values, options)
    kind = options.event_types.get(normalise_code(row.require("event_type")))
    if kind is None:
        raise MappingError(INVALID_VALUE, row.column("event_type"), "not ARREST, CHARGE or RELEASE")
    pnc = identifiers.pnc_id(
        row.require("pnc_id"), row.column("pnc_id"), check_letter=options.check_pnc_letter
    )
    occurred = instant(
        row.require("event_time"),
        row.column("event_time"),
        local_zone=options.local_zone,
        formats=options.datetime_formats,
    )
    key = (row.require("custody_number"), kind, row.get("event_seq") or "1")
    return Draft(kind, key, occurred, pnc, _PAYLOADS[kind](row, options))


def _arrest(row: Row, options: PoliceOptions) -> dict[str, Any]:
    force = row.get("arresting_force")
    return {
        "offence_category": row.require("offence_category"),
        "offence_description": row.require("offence_description"),
        "custody_suite": row.require("custody_suite"),
        "location_postcode": row.get("arrest_postcode"),
        "arresting_force": None if force in (None, options.own_force) else force,
    }


def _charge(row: Row, options: PoliceOptions) -> dict[str, Any]:
    hearing = row.get("first_hearing_date")
    return {
        "offence_category": row.require("offence_category"),
        "offence_description": row.require("offence_description"),
        "court": row.require("court"),
        "first_hearing_date": (
            calendar_date(hearing, row.column("first_hearing_date")) if hearing else None
        ),
    }


def _release(row: Row, options: PoliceOptions) -> dict[str, Any]:
    outcome = options.disposals.get(normalise_code(row.require("disposal")))
    if outcome is None:
        raise MappingError(INVALID_VALUE, row.column("disposal"), "disposal has no mapping")
    return {"outcome": outcome, "bail_conditions": row.get("bail_conditions")}


_PAYLOADS = {"arrest": _arrest, "charge": _charge, "custody_release": _release}
