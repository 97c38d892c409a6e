"""Subject access requests (DPA 2018 s.45): submitted, tracked, answered within a month.

The statutory deadline is one calendar month from receipt (the same day next month, or that
month's last day when it has no such day); the controller may extend it by up to two further
months, with notice given to the person within the first month. Requests are kept in the API's
records database (:mod:`broker.records`); a record holds only the subject reference the
person's token links to, never anything else about them.

Each request is addressed to one agency, the data controller that answers it: only that
agency's DPO finds, extends or completes it (every method on that side takes the agency). A
request to "all" is one request per agency, each with its own id.

A submission may carry a key (the portal's form, the API's ``Idempotency-Key``): sending the
same key again returns the requests it made, never new ones (a unique index decides between
processes racing with one key).
"""

from __future__ import annotations

import calendar
import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import psycopg

from broker.records.database import RecordsDatabase, Transaction
from broker.records.sar_references import next_reference

__all__ = [
    "MAX_EXTENSION_MONTHS",
    "MAX_OPEN_PER_CONTROLLER",
    "SarStatus",
    "SubjectAccessRequest",
    "SubjectAccessRequests",
    "Submission",
    "add_months",
    "statutory_deadline",
]

MAX_OPEN_PER_CONTROLLER = 20
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
    """One request to one agency (``addressee``, the controller that answers it).

    ``subject_ref`` links it to the person and is never shown in ``repr``.
    """

    request_id: str
    subject_ref: str
    addressee: str
    received_on: date
    status: SarStatus
    extension_notice: str | None = None
    extension_months: int = 0
    extended_on: date | None = None
    completed_on: date | None = None
    reference: str = ""
    """The human reference (``SAR-2026-000123``), unique across requests."""

    def __repr__(self) -> str:
        return (
            f"SubjectAccessRequest({self.request_id!r}, to {self.addressee!r}, {self.status.value})"
        )

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
    "request_id, subject_ref, addressee, received_on, status, extension_notice, extension_months,"
    " extended_on, completed_on, reference"
)


def _day(value: object) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _request(row: tuple[object, ...]) -> SubjectAccessRequest:
    rid, ref, addressee, received, status, notice, months, extended, completed, reference = row
    return SubjectAccessRequest(
        str(rid), str(ref), "" if addressee is None else str(addressee),
        date.fromisoformat(str(received)), SarStatus(str(status)),
        None if notice is None else str(notice), int(str(months)), _day(extended), _day(completed),
        "" if reference is None else str(reference),
    )  # fmt: skip


@dataclass(frozen=True)
class Submission:
    """The requests one submission stands for, and whether it repeated one made that day."""

    requests: list[SubjectAccessRequest]
    repeated: bool


class SubjectAccessRequests:
    """Requests by id, each of one subject to one agency, in a :class:`RecordsDatabase`.

    ``controllers`` (the registry's agency ids, in order) addresses requests stored before
    requests had an addressee: see :meth:`address_unaddressed`. Requests stored before they had
    a reference get one when the database is opened (:meth:`give_references`).
    """

    def __init__(
        self, records: RecordsDatabase | None = None, controllers: Sequence[str] = ()
    ) -> None:
        self.records = records or RecordsDatabase()
        if controllers:
            self.address_unaddressed(controllers)
        self.give_references()

    def submit(
        self,
        subject_ref: str,
        addressees: Sequence[str],
        received_on: date,
        key: str | None = None,
    ) -> list[SubjectAccessRequest]:
        """Record one new request per addressee, all or none, in ``addressees`` order, each
        marked with the submission ``key`` if given.

        ValueError (one line) when ``addressees`` is empty or repeats one, or when the subject
        already has too many open requests to one of them.
        """
        if not addressees:
            raise ValueError("a subject access request needs an organisation to ask")
        if len(set(addressees)) != len(addressees):
            raise ValueError("each organisation can be asked only once in one request")
        made = []
        with self.records.transaction() as tx:
            for addressee in addressees:
                request = SubjectAccessRequest(
                    str(uuid.uuid4()), subject_ref, addressee, received_on, SarStatus.RECEIVED,
                    reference=next_reference(tx, received_on.year),
                )  # fmt: skip
                made.append(request)
                ((open_,),) = tx.rows(
                    "SELECT count(*) FROM subject_requests"
                    " WHERE subject_ref = ? AND addressee = ? AND status <> ?",
                    (subject_ref, request.addressee, SarStatus.ANSWERED.value),
                )
                if open_ >= MAX_OPEN_PER_CONTROLLER:
                    raise ValueError(
                        f"at most {MAX_OPEN_PER_CONTROLLER} open requests per person"
                        f" to one organisation ({request.addressee})"
                    )
                tx.execute(
                    f"INSERT INTO subject_requests ({_COLUMNS}, submission_key)"
                    " VALUES (?, ?, ?, ?, ?, NULL, 0, NULL, NULL, ?, ?)",
                    (
                        request.request_id, subject_ref, request.addressee,
                        received_on.isoformat(), request.status.value, request.reference, key,
                    ),
                )  # fmt: skip
        return made

    def submit_once(
        self,
        subject_ref: str,
        addressees: Sequence[str],
        received_on: date,
        key: str | None = None,
    ) -> Submission:
        """As :meth:`submit`, unless the submission ``key`` was sent before (then the requests
        it made), or every addressee already has an open request from the subject received
        that day (then those): marked ``repeated`` (a double click or a second try the same day
        makes nothing new). Another process making the same requests at the same moment makes
        this one find them."""
        try:
            return self._submit_once(subject_ref, addressees, received_on, key)
        except (sqlite3.IntegrityError, psycopg.IntegrityError):
            return self._submit_once(subject_ref, addressees, received_on, key)

    def _submit_once(
        self, subject_ref: str, addressees: Sequence[str], received_on: date, key: str | None
    ) -> Submission:
        with self.records.transaction() as tx:
            if key is not None:
                rows = tx.rows(
                    f"SELECT {_COLUMNS} FROM subject_requests"
                    " WHERE subject_ref = ? AND submission_key = ?",
                    (subject_ref, key),
                )
                if rows:
                    made = sorted(map(_request, rows), key=lambda r: r.reference)
                    return Submission(made, repeated=True)
            earlier = self._open_on(tx, subject_ref, received_on)
            if addressees and all(a in earlier for a in addressees):
                return Submission([earlier[a] for a in addressees], repeated=True)
            made = self.submit(subject_ref, addressees, received_on, key)
            return Submission(made, repeated=False)

    def _open_on(
        self, tx: Transaction, subject_ref: str, received_on: date
    ) -> dict[str, SubjectAccessRequest]:
        """The subject's open requests received on ``received_on``, latest per addressee."""
        rows = tx.rows(
            f"SELECT {_COLUMNS} FROM subject_requests"
            " WHERE subject_ref = ? AND received_on = ? AND status <> ?",
            (subject_ref, received_on.isoformat(), SarStatus.ANSWERED.value),
        )
        found = sorted(map(_request, rows), key=lambda r: r.reference)
        return {r.addressee: r for r in found}

    def by_reference(self, subject_ref: str, reference: str) -> SubjectAccessRequest | None:
        """The request with ``reference`` if it belongs to ``subject_ref``."""
        with self.records.transaction() as tx:
            rows = tx.rows(
                f"SELECT {_COLUMNS} FROM subject_requests WHERE reference = ? AND subject_ref = ?",
                (reference, subject_ref),
            )
        return _request(rows[0]) if rows else None

    def give_references(self) -> int:
        """Give each request stored without a reference one, oldest first; how many."""
        with self.records.transaction() as tx:
            rows = tx.rows(
                "SELECT request_id, received_on FROM subject_requests WHERE reference IS NULL"
                " ORDER BY received_on, request_id"
            )
            for rid, received in rows:
                year = date.fromisoformat(str(received)).year
                tx.execute(
                    "UPDATE subject_requests SET reference = ? WHERE request_id = ?",
                    (next_reference(tx, year), rid),
                )
        return len(rows)

    def of_subject(self, subject_ref: str) -> list[SubjectAccessRequest]:
        """The subject's requests, newest first."""
        with self.records.transaction() as tx:
            rows = tx.rows(
                f"SELECT {_COLUMNS} FROM subject_requests WHERE subject_ref = ?", (subject_ref,)
            )
        mine = [_request(r) for r in rows]
        return sorted(mine, key=lambda r: (r.received_on, r.addressee, r.request_id), reverse=True)

    def get(self, subject_ref: str, request_id: str) -> SubjectAccessRequest | None:
        """The request if it exists and belongs to ``subject_ref``."""
        request = self._find(request_id)
        return request if request is not None and request.subject_ref == subject_ref else None

    def addressed_to(self, agency: str, request_id: str) -> SubjectAccessRequest | None:
        """The request if it exists and is addressed to ``agency`` (for that agency's DPO)."""
        request = self._find(request_id)
        return request if request is not None and request.addressee == agency else None

    def nearing_deadline(
        self, agency: str, today: date, within_days: int
    ) -> list[SubjectAccessRequest]:
        """Open requests to ``agency`` due within ``within_days`` of ``today`` (overdue too),
        soonest first."""
        with self.records.transaction() as tx:
            rows = tx.rows(
                f"SELECT {_COLUMNS} FROM subject_requests WHERE addressee = ? AND status <> ?",
                (agency, SarStatus.ANSWERED.value),
            )
        horizon = today + timedelta(days=within_days)
        found = [r for r in map(_request, rows) if r.due_on <= horizon]
        return sorted(found, key=lambda r: (r.due_on, r.request_id))[:MAX_LISTED]

    def extend(
        self, agency: str, request_id: str, notice: str, months: int = 2, on: date | None = None
    ) -> SubjectAccessRequest:
        """Extend ``agency``'s request by ``months`` (in all at most two) with the notice given
        to the person.

        KeyError when unknown or addressed to another agency; ValueError (one line) when
        answered, past the first month on ``on`` (not checked when None), or beyond two months.
        """
        request = self.addressed_to(agency, request_id)
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
                " extension_notice = ?, extended_on = ?"
                " WHERE request_id = ? AND addressee = ? AND status <> ?",
                (
                    SarStatus.EXTENDED.value, total, notice, on and on.isoformat(), request_id,
                    agency, SarStatus.ANSWERED.value,
                ),
            )  # fmt: skip
        found = self._find(request_id)
        assert found is not None
        return found

    def complete(self, agency: str, request_id: str, on: date) -> SubjectAccessRequest:
        """Mark ``agency``'s request answered on ``on``.

        KeyError when unknown or addressed to another agency; ValueError if answered already.
        """
        if self.addressed_to(agency, request_id) is None:
            raise KeyError(request_id)
        with self.records.transaction() as tx:
            changed = tx.execute(
                "UPDATE subject_requests SET status = ?, completed_on = ?"
                " WHERE request_id = ? AND addressee = ? AND status <> ?",
                (
                    SarStatus.ANSWERED.value, on.isoformat(), request_id, agency,
                    SarStatus.ANSWERED.value,
                ),
            )  # fmt: skip
        if not changed:
            raise ValueError("this request is answered already")
        found = self._find(request_id)
        assert found is not None
        return found

    def address_unaddressed(self, controllers: Sequence[str]) -> int:
        """Give each request stored without an addressee one per controller, as "all" does.

        Requests made before they had an addressee were made to the whole partnership: the
        stored request keeps its id and goes to the first controller; a copy (new id, same
        dates, status and notice) goes to each other one. Returns how many were addressed.
        """
        if not controllers:
            raise ValueError("addressing old requests needs at least one organisation")
        first, *others = controllers
        with self.records.transaction() as tx:
            rows = tx.rows(
                "SELECT request_id, subject_ref, received_on, status, extension_notice,"
                " extension_months, extended_on, completed_on"
                " FROM subject_requests WHERE addressee IS NULL"
            )
            for rid, *facts in rows:
                tx.execute(
                    "UPDATE subject_requests SET addressee = ? WHERE request_id = ?", (first, rid)
                )
                for other in others:
                    ref, received, status, notice, months, extended, completed = facts
                    tx.execute(
                        f"INSERT INTO subject_requests ({_COLUMNS})"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                        (
                            str(uuid.uuid4()), ref, other, received, status, notice, months,
                            extended, completed,
                        ),
                    )  # fmt: skip
        return len(rows)

    def _find(self, request_id: str) -> SubjectAccessRequest | None:
        with self.records.transaction() as tx:
            rows = tx.rows(
                f"SELECT {_COLUMNS} FROM subject_requests WHERE request_id = ?", (request_id,)
            )
        return _request(rows[0]) if rows else None
