"""The statistics database: counts, the offsets they include, and the cohort working table.

SQLite by default, PostgreSQL for deployments (``statistics.store_url``), like the log. One
:meth:`StatisticsStore.apply` is one database transaction holding a batch's counts, the
member states it changed and the next offset of every partition it read: the service resumes
from the stored offsets, so a crash at any point loses and doubles nothing.

``stats_members`` keys each person by a salted SHA-256 digest of their subject reference
(the salt is made once, in ``stats_meta``): it lets the service tell a start from an exit and
measure time in cohort. It is never published or exported; only ``stats_facts`` is.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import sqlite3
import threading
from collections.abc import Collection, Iterator, Mapping
from datetime import date
from typing import Any

import psycopg

from broker.database.postgres_connection import open_postgres
from broker.database.sql_transaction import SqlTransaction
from broker.database.sqlite_connection import open_sqlite
from broker.database.store_url import parse_store_url
from broker.statistics.aggregation import Member
from broker.statistics.facts import DIMENSIONS, Fact

__all__ = ["DEFAULT_SCHEMA", "Position", "StatisticsStore"]

DEFAULT_SCHEMA = "iom_statistics"

#: ``(topic, partition)`` -> (next offset to read, last event id seen there or "").
Position = dict[tuple[str, int], tuple[int, str]]

_KEY = ", ".join(DIMENSIONS)
_DDL = f"""
CREATE TABLE IF NOT EXISTS stats_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stats_facts (
  measure TEXT NOT NULL, month TEXT NOT NULL, area TEXT NOT NULL, cohort TEXT NOT NULL,
  agency TEXT NOT NULL, recipient TEXT NOT NULL, event_type TEXT NOT NULL,
  purpose TEXT NOT NULL, legal_basis TEXT NOT NULL, reason TEXT NOT NULL, days INTEGER NOT NULL,
  n BIGINT NOT NULL, PRIMARY KEY ({_KEY})
);
CREATE TABLE IF NOT EXISTS stats_offsets (
  topic TEXT NOT NULL, partition_no INTEGER NOT NULL, next_offset BIGINT NOT NULL,
  last_event TEXT NOT NULL, PRIMARY KEY (topic, partition_no)
);
CREATE TABLE IF NOT EXISTS stats_members (
  member_key TEXT PRIMARY KEY, area TEXT NOT NULL, cohort TEXT NOT NULL,
  enrolled INTEGER NOT NULL, spell_start TEXT NOT NULL, deselected_before INTEGER NOT NULL
);
"""
_UPSERT_FACT = (
    f"INSERT INTO stats_facts ({_KEY}, n) VALUES ({', '.join('?' for _ in DIMENSIONS)}, ?) "
    f"ON CONFLICT ({_KEY}) DO UPDATE SET n = stats_facts.n + excluded.n"
)
_UPSERT_OFFSET = (
    "INSERT INTO stats_offsets (topic, partition_no, next_offset, last_event) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (topic, partition_no) DO UPDATE SET next_offset = excluded.next_offset, "
    "last_event = excluded.last_event"
)
_UPSERT_MEMBER = (
    "INSERT INTO stats_members (member_key, area, cohort, enrolled, spell_start, "
    "deselected_before) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (member_key) DO UPDATE SET "
    "area = excluded.area, cohort = excluded.cohort, enrolled = excluded.enrolled, "
    "spell_start = excluded.spell_start, deselected_before = excluded.deselected_before"
)


class StatisticsStore:
    """The aggregates and their offsets in one SQLite file or PostgreSQL schema."""

    def __init__(self, url: str) -> None:
        where = parse_store_url(url, DEFAULT_SCHEMA, "statistics store")
        self._postgres = where.kind == "postgresql"
        self._db: sqlite3.Connection | psycopg.Connection[Any]
        if self._postgres:
            self._db = open_postgres(where.location, where.schema, _DDL)
        else:
            self._db = open_sqlite(where.location, _DDL)
        self._lock = threading.Lock()
        with self._transaction() as sql:
            rows = sql.rows("SELECT value FROM stats_meta WHERE name = 'salt'")
            if not rows:
                sql.execute(
                    "INSERT INTO stats_meta (name, value) VALUES ('salt', ?)",
                    (secrets.token_hex(32),),
                )
                rows = sql.rows("SELECT value FROM stats_meta WHERE name = 'salt'")
        self._salt = bytes.fromhex(rows[0][0])

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[SqlTransaction]:
        with self._lock:
            if isinstance(self._db, sqlite3.Connection):
                cursor = self._db.cursor()
                cursor.execute("BEGIN IMMEDIATE")
                try:
                    yield SqlTransaction(cursor, postgres=False)
                    cursor.execute("COMMIT")
                except BaseException:
                    if self._db.in_transaction:
                        cursor.execute("ROLLBACK")
                    raise
            else:
                with self._db.transaction(), self._db.cursor() as pg_cursor:
                    yield SqlTransaction(pg_cursor, postgres=True)

    def member_key(self, subject_ref: str) -> str:
        """The salted digest a person is kept under in the working table."""
        return hashlib.sha256(self._salt + subject_ref.encode()).hexdigest()

    def positions(self) -> Position:
        """Where reading resumes: the next offset (and last event id) of each partition."""
        with self._transaction() as sql:
            rows = sql.rows(
                "SELECT topic, partition_no, next_offset, last_event FROM stats_offsets"
            )
        return {(t, int(p)): (int(o), str(e)) for t, p, o, e in rows}

    def members(self, keys: Collection[str]) -> dict[str, Member]:
        """The working-table state of these members (those known)."""
        found: dict[str, Member] = {}
        wanted = list(keys)
        with self._transaction() as sql:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ", ".join("?" for _ in chunk)
                for key, area, cohort, enrolled, since, before in sql.rows(
                    "SELECT member_key, area, cohort, enrolled, spell_start, deselected_before "
                    f"FROM stats_members WHERE member_key IN ({marks})",
                    chunk,
                ):
                    found[key] = Member(
                        area, cohort, bool(enrolled), date.fromisoformat(since), bool(before)
                    )
        return found

    def apply(
        self,
        counts: Mapping[Fact, int],
        members: Mapping[str, Member],
        positions: Position,
    ) -> None:
        """Add ``counts``, save ``members`` and move the offsets: all or nothing."""
        with self._transaction() as sql:
            sql.executemany(
                _UPSERT_FACT, [(*fact.as_row(), n) for fact, n in counts.items() if n != 0]
            )
            sql.executemany(
                _UPSERT_MEMBER,
                [
                    (
                        key,
                        m.area,
                        m.cohort,
                        int(m.enrolled),
                        m.spell_start.isoformat(),
                        int(m.deselected_before),
                    )
                    for key, m in members.items()
                ],
            )
            sql.executemany(
                _UPSERT_OFFSET,
                [(t, p, offset, event) for (t, p), (offset, event) in positions.items()],
            )

    def facts(
        self,
        measures: Collection[str],
        first_month: str = "0000-00",
        last_month: str = "9999-99",
    ) -> list[tuple[Fact, int]]:
        """Every counter of ``measures`` from ``first_month`` to ``last_month`` inclusive."""
        marks = ", ".join("?" for _ in measures)
        with self._transaction() as sql:
            rows = sql.rows(
                f"SELECT {_KEY}, n FROM stats_facts WHERE measure IN ({marks}) "
                "AND month >= ? AND month <= ?",
                [*measures, first_month, last_month],
            )
        return [(Fact(*row[:-1]), int(row[-1])) for row in rows]

    def version(self) -> int:
        """A number that changes whenever a batch is applied (the sum of stored offsets)."""
        with self._transaction() as sql:
            rows = sql.rows("SELECT COALESCE(SUM(next_offset), 0), COUNT(*) FROM stats_offsets")
        return int(rows[0][0]) * 1_000_003 + int(rows[0][1])

    def period_facts(self, first_month: str, last_month: str) -> list[tuple[Fact, int]]:
        """What a report for the period needs, summed in the database: every counter of the
        period with its months added together (as ``last_month``), and the cohort changes of
        every month up to ``last_month`` month by month (cohort sizes count from the start)."""
        collapsed = ", ".join(d for d in DIMENSIONS if d != "month")
        with self._transaction() as sql:
            rows = sql.rows(
                f"SELECT measure, CAST(? AS TEXT), {collapsed.removeprefix('measure, ')}, SUM(n) "
                "FROM stats_facts WHERE measure <> 'cohort_net' AND month >= ? AND month <= ? "
                f"GROUP BY {collapsed}",
                (last_month, first_month, last_month),
            )
            rows += sql.rows(
                "SELECT measure, month, area, cohort, '', '', '', '', '', '', -1, SUM(n) "
                "FROM stats_facts WHERE measure = 'cohort_net' AND month <= ? "
                "GROUP BY measure, month, area, cohort",
                (last_month,),
            )
        return [(Fact(*row[:-1]), int(row[-1])) for row in rows]

    def clear(self) -> None:
        """Forget every count, member and offset (a rebuild then reads the topics again)."""
        with self._transaction() as sql:
            for table in ("stats_facts", "stats_offsets", "stats_members"):
                sql.execute(f"DELETE FROM {table}")
