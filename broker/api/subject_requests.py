"""Subject access requests (DPA 2018 s.45): submitted, tracked, answered within a month.

The statutory deadline is one calendar month from receipt (the same day next month, or that
month's last day when it has no such day); the controller may extend it by two further months
with notice. Kept in memory for now: a restart forgets open requests (see docs/api.md).
"""

from __future__ import annotations

import calendar
import threading
import uuid
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

__all__ = [
    "SarStatus",
    "SubjectAccessRequest",
    "SubjectAccessRequests",
    "add_months",
    "statutory_deadline",
]

MAX_OPEN_PER_SUBJECT = 20


class SarStatus(StrEnum):
    """Where a request is."""

    RECEIVED = "received"
    EXTENDED = "extended"
    ANSWERED = "answered"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or that month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def statutory_deadline(received: date, extended: bool = False) -> date:
    """One month from receipt, or three when extended by two with notice."""
    return add_months(received, 3 if extended else 1)


@dataclass(frozen=True)
class SubjectAccessRequest:
    """One request; ``subject_ref`` links it to the person and is never shown in ``repr``."""

    request_id: str
    subject_ref: str
    received_on: date
    status: SarStatus
    extension_notice: str | None = None

    def __repr__(self) -> str:
        return f"SubjectAccessRequest({self.request_id!r}, {self.status.value})"

    @property
    def due_on(self) -> date:
        """The deadline that applies now."""
        return statutory_deadline(self.received_on, self.status is SarStatus.EXTENDED)

    @property
    def latest_possible(self) -> date:
        """The deadline if extended (one month plus two)."""
        return statutory_deadline(self.received_on, extended=True)


class SubjectAccessRequests:
    """Requests by id, each belonging to one subject; thread-safe."""

    def __init__(self) -> None:
        self._requests: dict[str, SubjectAccessRequest] = {}
        self._lock = threading.Lock()

    def submit(self, subject_ref: str, received_on: date) -> SubjectAccessRequest:
        """Record a new request; ValueError when the subject already has too many open."""
        with self._lock:
            open_ = [
                r
                for r in self._requests.values()
                if r.subject_ref == subject_ref and r.status is not SarStatus.ANSWERED
            ]
            if len(open_) >= MAX_OPEN_PER_SUBJECT:
                raise ValueError(f"at most {MAX_OPEN_PER_SUBJECT} open requests per person")
            request = SubjectAccessRequest(
                str(uuid.uuid4()), subject_ref, received_on, SarStatus.RECEIVED
            )
            self._requests[request.request_id] = request
            return request

    def of_subject(self, subject_ref: str) -> list[SubjectAccessRequest]:
        """The subject's requests, newest first."""
        with self._lock:
            mine = [r for r in self._requests.values() if r.subject_ref == subject_ref]
        return sorted(mine, key=lambda r: (r.received_on, r.request_id), reverse=True)

    def get(self, subject_ref: str, request_id: str) -> SubjectAccessRequest | None:
        """The request if it exists and belongs to ``subject_ref``."""
        with self._lock:
            request = self._requests.get(request_id)
        return request if request is not None and request.subject_ref == subject_ref else None

    def extend(self, request_id: str, notice: str) -> SubjectAccessRequest:
        """Extend by two months with the notice given to the person; KeyError if unknown."""
        with self._lock:
            request = replace(
                self._requests[request_id], status=SarStatus.EXTENDED, extension_notice=notice
            )
            self._requests[request_id] = request
            return request
