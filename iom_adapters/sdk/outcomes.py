"""What converting one native record produced: an event, a deliberate skip, or a rejection.

Adapters never raise for a bad record: they yield a :class:`Rejected` that names where the
record is (``file:line``, record number or JSON path), a stable reason code and a one-line
detail. Details name fields and codes, never values from the record: reports end up in logs
that more people can read than the agency's own data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: Stable reason codes of rejected records (documented in docs/adapters.md).
MALFORMED_INPUT = "malformed_input"
UNMAPPED_EVENT_TYPE = "unmapped_event_type"
NO_CATALOGUE_TYPE = "no_catalogue_type"
MISSING_FIELD = "missing_field"
INVALID_VALUE = "invalid_value"
INVALID_IDENTIFIER = "invalid_identifier"
NO_SUBJECT = "no_subject"
SCHEMA_VIOLATION = "schema_violation"

#: Reason code of records that are understood but deliberately not shared (not an error).
NOT_RELEVANT = "not_relevant"


@dataclass(frozen=True, slots=True)
class Converted:
    """A catalogue event (envelope + payload, Python values) built from a native record."""

    event: dict[str, Any]
    locator: str

    @property
    def event_id(self) -> str:
        """The event's idempotency key."""
        return str(self.event["envelope"]["event_id"])

    @property
    def event_type(self) -> str:
        """The catalogue event type."""
        return str(self.event["envelope"]["event_type"])


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record the adapter understood and deliberately produced no event for."""

    locator: str
    detail: str
    reason: str = NOT_RELEVANT

    def message(self) -> str:
        """One line for logs and reports."""
        return f"{self.locator}: skipped ({self.reason}): {self.detail}"


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record that could not be mapped; ``field`` is the source path at fault, if any."""

    locator: str
    reason: str
    detail: str
    field: str = ""

    def message(self) -> str:
        """One line for logs and reports: where, why, which field (never a value)."""
        at = f" {self.field}:" if self.field else ""
        return f"{self.locator}: {self.reason}:{at} {self.detail}"


Outcome = Converted | Skipped | Rejected


class MappingError(Exception):
    """Raised inside a mapper for one record; the adapter turns it into a :class:`Rejected`."""

    def __init__(self, reason: str, field: str, detail: str) -> None:
        self.reason = reason
        self.field = field
        self.detail = detail
        super().__init__(f"{reason}: {field}: {detail}" if field else f"{reason}: {detail}")

    def at(self, locator: str) -> Rejected:
        """This error as the rejection of the record at ``locator``."""
        return Rejected(locator, self.reason, self.detail, self.field)


class SkipRecord(Exception):
    """Raised inside a mapper when a record is understood but not an IOM event."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(detail)

    def at(self, locator: str) -> Skipped:
        """This signal as the skip of the record at ``locator``."""
        return Skipped(locator, self.detail)


UNEXPECTED_SHAPES = (TypeError, AttributeError, KeyError, IndexError, ValueError)
"""What a mapper raises when a record has a value of the wrong JSON type somewhere."""


def unexpected_shape(locator: str, error: Exception) -> Rejected:
    """The rejection of a record whose shape a mapper did not expect (names no value)."""
    detail = f"record does not have the expected structure ({type(error).__name__})"
    return Rejected(locator, INVALID_VALUE, detail)


def shown_type(value: str, pattern: re.Pattern[str]) -> str:
    """A record type name for a message: quoted if it has the shape of one, never free text."""
    return repr(value) if pattern.fullmatch(value) else "(not a type name)"
