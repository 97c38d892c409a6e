"""The s.62 audit's page query, run against SQLite and PostgreSQL alike."""

from __future__ import annotations

import sqlite3
from typing import Any

import psycopg

from broker.transparency.store.protocol import AuditEvent, LogStore
from broker.transparency.store.sql_store import audit_query

CHANGE = "policy.change"


def filled(store: LogStore, disclosures: int = 40, changes: int = 5) -> list[AuditEvent]:
    """``disclosures`` disclosure records with a policy change after every eighth; the changes."""
    events = []
    for number in range(disclosures):
        events.append(AuditEvent(number, "gwent-police", "disclosure", f"d-{number}"))
        if number % 8 == 7 and len([e for e in events if e.action == CHANGE]) < changes:
            events.append(AuditEvent(number, "dpo:x", CHANGE, f"policy/v{number}"))
    store.append_audit(events)
    return [e for e in store.audit_events() if e.action == CHANGE]


def test_pages_of_one_action_come_newest_first_from_a_cursor(store: LogStore) -> None:
    """Paging policy changes newest first, two at a time, yields each once and nothing else."""
    changes = filled(store)
    pages = []
    after = None
    while page := store.audit_events(after, 2, action=CHANGE, newest_first=True):
        pages.append([e.target for e in page])
        after = page[-1].seq
    assert pages == [["policy/v39", "policy/v31"], ["policy/v23", "policy/v15"], ["policy/v7"]]
    assert [t for page in pages for t in page] == [e.target for e in reversed(changes)]


def test_pages_come_oldest_first_after_a_sequence_number(store: LogStore) -> None:
    """Without options, records come in sequence order strictly after the cursor."""
    filled(store, disclosures=10, changes=1)
    every = store.audit_events()
    assert [e.seq for e in every] == sorted(e.seq for e in every if e.seq is not None)
    middle = every[4].seq
    assert store.audit_events(middle, 3) == every[5:8]
    assert [e.target for e in store.audit_events(middle, 10, action=CHANGE)] == ["policy/v7"]
    assert store.audit_events(every[-1].seq, 10) == []


def test_the_action_page_is_read_through_its_index(store: LogStore) -> None:
    """The database plans the newest-first action page on the (action, seq) index, not a scan."""
    filled(store, disclosures=2000, changes=5)
    sql, params = audit_query(None, 1000, CHANGE, newest_first=True)
    connection: Any = store._db  # type: ignore[attr-defined]
    if isinstance(connection, sqlite3.Connection):
        connection.execute("ANALYZE")
        plan = " ".join(row[-1] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    else:
        assert isinstance(connection, psycopg.Connection)
        with connection.transaction():
            connection.execute("ANALYZE audit")
            connection.execute("SET LOCAL enable_seqscan = off")
            rows = connection.execute(f"EXPLAIN {sql.replace('?', '%s')}".encode(), params)
            plan = " ".join(row[0] for row in rows)
    assert "audit_by_action" in plan
