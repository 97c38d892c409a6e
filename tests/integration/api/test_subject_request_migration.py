"""A records database from before requests had an addressee keeps working, on SQLite and
PostgreSQL: its requests go to every agency, as a request to "all" does."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import psycopg
from psycopg import sql

from broker.records.database import RecordsDatabase
from broker.records.subject_requests import SarStatus, SubjectAccessRequests

OLD_TABLE = """
CREATE TABLE subject_requests (
  request_id TEXT PRIMARY KEY,
  subject_ref TEXT NOT NULL, received_on TEXT NOT NULL, status TEXT NOT NULL,
  extension_months INTEGER NOT NULL DEFAULT 0, extension_notice TEXT, extended_on TEXT,
  completed_on TEXT
)
"""
OLD_ROWS = [
    ("11111111-1111-4111-8111-111111111111", "subj-a", "2025-01-02", "extended", 1, "Complex."),
    ("22222222-2222-4222-8222-222222222222", "subj-b", "2025-01-03", "received", 0, None),
]
CONTROLLERS = ("probation-wales", "gwent-police", "gdas")


def _create_old_database(url: str, statements: Sequence[tuple[str, tuple[object, ...]]]) -> None:
    """Make the records as the previous version left them (the old table, with rows)."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            for statement, params in statements:
                db.execute(statement, params)
        return
    dsn, schema = url.split("#")
    with psycopg.connect(dsn, autocommit=True) as db:
        db.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        db.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
        for statement, params in statements:
            db.execute(statement.replace("?", "%s").encode(), params)


def test_old_requests_are_addressed_to_every_agency_once(records_url: str) -> None:
    """Opening an old database adds the addressee; each old request keeps its id for the first
    agency and gets a copy with its own id, dates and status for each other; twice is once."""
    insert = (
        "INSERT INTO subject_requests (request_id, subject_ref, received_on, status,"
        " extension_months, extension_notice) VALUES (?, ?, ?, ?, ?, ?)"
    )
    _create_old_database(records_url, [(OLD_TABLE, ())] + [(insert, row) for row in OLD_ROWS])
    records = RecordsDatabase(records_url)
    try:
        requests = SubjectAccessRequests(records, CONTROLLERS)
        again = SubjectAccessRequests(records, CONTROLLERS)
        assert again.address_unaddressed(CONTROLLERS) == 0
        mine = requests.of_subject("subj-a")
        assert sorted(r.addressee for r in mine) == sorted(CONTROLLERS)
        kept = requests.addressed_to("probation-wales", OLD_ROWS[0][0])
        assert kept is not None and kept.subject_ref == "subj-a"
        assert len({r.request_id for r in mine}) == len(CONTROLLERS)
        assert {(r.status, r.extension_months, r.extension_notice) for r in mine} == {
            (SarStatus.EXTENDED, 1, "Complex.")
        }
        police = requests.nearing_deadline("gwent-police", kept.received_on, 92)
        assert [(r.subject_ref, r.status) for r in police] == [
            ("subj-b", SarStatus.RECEIVED),
            ("subj-a", SarStatus.EXTENDED),
        ], "soonest deadline first"
        (new,) = requests.submit("subj-b", ["gdas"], kept.received_on)
        assert requests.addressed_to("gdas", new.request_id) == new
    finally:
        records.close()


def test_old_requests_get_references_and_new_ones_follow_them(records_url: str) -> None:
    """Opening an old database gives each old request its own SAR reference, oldest first;
    a new request of the same year takes the next number."""
    insert = (
        "INSERT INTO subject_requests (request_id, subject_ref, received_on, status,"
        " extension_months, extension_notice) VALUES (?, ?, ?, ?, ?, ?)"
    )
    _create_old_database(records_url, [(OLD_TABLE, ())] + [(insert, row) for row in OLD_ROWS])
    records = RecordsDatabase(records_url)
    try:
        requests = SubjectAccessRequests(records, CONTROLLERS)
        old = requests.of_subject("subj-a") + requests.of_subject("subj-b")
        assert sorted(r.reference for r in old) == [
            f"SAR-2025-{n:06d}" for n in range(1, 2 * len(CONTROLLERS) + 1)
        ]
        (new,) = requests.submit("subj-b", ["gdas"], old[0].received_on)
        assert new.reference == f"SAR-2025-{2 * len(CONTROLLERS) + 1:06d}"
    finally:
        records.close()
