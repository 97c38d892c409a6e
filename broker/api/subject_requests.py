"""Subject access requests (DPA 2018 s.45): submitted, tracked, answered within a month.

The statutory deadline is one calendar month from receipt (the same day next month, or that
month's last day when it has no such day); the controller may extend it by up to two further
months, with notice given to the person within the first month. Requests are kept in the API's
records database (:mod:`broker.api.records`); a record holds only the subject reference the
person's token links to, never anything else about them.
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from broker.api.records.database import RecordsDatabase

__all__ = [
    "MAX_EXTENSION_MONTHS",
    "SarStatus",
    "SubjectAccessRequest",
    "SubjectAccessRequests",
    "add_months",
    "statutory_deadline",
]

MAX_OPEN_PER_SUBJECT = 20
MAX_EXTENSION_MONTHS = 2
MAX_LISTED = 500


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


def statutory_deadline(received: date, extended: bool = False, months: int = 2) -> date:
    """One month from receipt, or one plus ``months`` (at most two) when extended with notice."""
    return add_months(received, 1 + (min(months, MAX_EXTENSION_MONTHS) if extended else 0))


@dataclass(frozen=True)
class SubjectAccessRequest:
    """One request; ``subject_ref`` links it to the person and is never shown in ``repr``."""

    request_id: str
    subject_ref: str
    received_on: date
    status: SarStatus
    extension_notice: str | None = None
    extension_months: int = 0
    extended_on: date | None = None
    completed_on: date | None = None

    def __repr__(self) -> str:
        return f"SubjectAccessRequest({self.request_id!r}, {self.status.value})"

    @property
    def due_on(self) -> date:
        """The deadline that applies now."""
        return statutory_deadline(
            self.received_on, self.extension_months > 0, self.extension_months
        )

    @property
    def latest_possible(self) -> date:
        """The deadline if extended as far as the law allows (one month plus two)."""
        return statutory_deadline(self.received_on, extended=True)

    @property
    def is_open(self) -> bool:
        """Not answered yet."""
        return self.status is not SarStatus.ANSWERED


_COLUMNS = (
    "request_id, subject_ref, received_on, status, extension_notice, extension_months,"
    " extended_on, completed_on"
)


def _day(value: object) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _request(row: tuple[object, ...]) -> SubjectAccessRequest:
    rid, ref, received, status, notice, months, extended, completed = row
    return SubjectAccessRequest(
        str(rid), str(ref), date.fromisoformat(str(received)), SarStatus(str(status)),
        None if notice is None else str(notice), int(str(months)), _day(extended), _day(completed),
    )  # fmt: skip


class SubjectAccessRequests:
    """Requests by id, each belonging to one subject, in a :class:`RecordsDatabase`."""

    def __init__(self, records: RecordsDatabase | None = None) -> None:
        self.records = records or RecordsDatabase()

    def submit(self, subject_ref: str, received_on: date) -> SubjectAccessRequest:
        """Record a new request; ValueError when the subject already has too many open."""
        request = SubjectAccessRequest(
            str(uuid.uuid4()), subject_ref, received_on, SarStatus.RECEIVED
        )
        with self.records.transaction() as tx:
            ((open_,),) = tx.rows(
                "SELECT count(*) FROM subject_requests WHERE subject_ref = ? AND status <> ?",
                (subject_ref, SarStatus.ANSWERED.value),
            )
            if open_ >= MAX_OPEN_PER_SUBJECT:
                raise ValueError(f"at most {MAX_OPEN_PER_SUBJECT} open requests per person")
            tx.execute(
                f"INSERT INTO subject_requests ({_COLUMNS})"
                " VALUES (?, ?, ?, ?, NULL, 0, NULL, NULL)",
                (request.request_id, subject_ref, received_on.isoformat(), request.status.value),
            )
        return request

    def of_subject(self, subject_ref: str) -> list[SubjectAccessRequest]:
        """The subject's requests, newest first."""
        with self.records.transaction() as tx:
            rows = tx.rows(
                f"SELECT {_COLUMNS} FROM subject_requests WHERE subject_ref = ?", (subject_ref,)
            )
        mine = [_request(r) for r in rows]
        return sorted(mine, key=lambda r: (r.received_on, r.request_id), reverse=True)

    def get(self, subject_ref: str, request_id: str) -> SubjectAccessRequest | None:
        """The request if it exists and belongs to ``subject_ref``."""
        request = self.find(request_id)
        return request if request is not None and request.subject_ref == subject_ref else None

    def find(self, request_id: str) -> SubjectAccessRequest | None:
        """The request with this id, whoever it belongs to (for the DPO side)."""
        with self.records.transaction() as tx:
            rows = tx.rows(
                f"SELECT {_COLUMNS} FROM subject_requests WHERE request_id = ?", (request_id,)
            )
        return _request(rows[0]) if rows else None

    def nearing_deadline(self, today: date, within_days: int) -> list[SubjectAccessRequest]:
        """Open requests due within ``within_days`` of ``today`` (overdue too), soonest first."""
        with self.records.transaction() as tx:
            rows = tx.rows(
                f"SELECT {_COLUMNS} FROM subject_requests WHERE status <> ?",
                (SarStatus.ANSWERED.value,),
            )
        horizon = today + timedelta(days=within_days)
        found = [r for r in map(_request, rows) if r.due_on <= horizon]
        return sorted(found, key=lambda r: (r.due_on, r.request_id))[:MAX_LISTED]

    def extend(
        self, request_id: str, notice: str, months: int = 2, on: date | None = None
    ) -> SubjectAccessRequest:
        """Extend by ``months`` (in all at most two) with the notice given to the person.

        KeyError when unknown; ValueError (one line) when answered, past the first month on
        ``on`` (not checked when None), or beyond two months in all.
        """
        request = self.find(request_id)
        if request is None:
            raise KeyError(request_id)
        if not request.is_open:
            raise ValueError("this request is answered already")
        total = request.extension_months + months
        if months < 1 or total > MAX_EXTENSION_MONTHS:
            raise ValueError(
                f"an extension adds at most {MAX_EXTENSION_MONTHS} months in all"
                f" ({request.extension_months} already)"
            )
        if on is not None and on > statutory_deadline(request.received_on):
            raise ValueError("notice of an extension must be given within one month of receipt")
        with self.records.transaction() as tx:
            tx.execute(
                "UPDATE subject_requests SET status = ?, extension_months = ?,"
                " extension_notice = ?, extended_on = ? WHERE request_id = ? AND status <> ?",
                (
                    SarStatus.EXTENDED.value, total, notice, on and on.isoformat(), request_id,
                    SarStatus.ANSWERED.value,
                ),
            )  # fmt: skip
        found = self.find(request_id)
        assert found is not None
        return found

    def complete(self, request_id: str, on: date) -> SubjectAccessRequest:
        """Mark the request answered on ``on``; KeyError when unknown, ValueError if answered."""
        with self.records.transaction() as tx:
            changed = tx.execute(
                "UPDATE subject_requests SET status = ?, completed_on = ?"
                " WHERE request_id = ? AND status <> ?",
                (SarStatus.ANSWERED.value, on.isoformat(), request_id, SarStatus.ANSWERED.value),
            )
        found = self.find(request_id)
        if found is None:
            raise KeyError(request_id)
        if not changed:
            raise ValueError("this request is answered already")
        return found
