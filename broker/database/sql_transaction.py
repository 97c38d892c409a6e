"""Statements inside one open transaction, written once for SQLite and PostgreSQL.

Statements use ``?`` placeholders; on PostgreSQL they become ``%s`` (no statement of ours
contains a literal ``?``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

import psycopg

__all__ = ["SqlTransaction"]


class SqlTransaction:
    """Statements run through ``cursor`` inside a transaction its owner opened and will close."""

    def __init__(self, cursor: sqlite3.Cursor | psycopg.Cursor[Any], postgres: bool) -> None:
        self._cursor = cursor
        self.postgres = postgres

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.postgres else statement

    def execute(self, statement: str, params: Sequence[object] = ()) -> int:
        """Run ``statement``; the number of rows it changed."""
        self._cursor.execute(self._sql(statement), tuple(params))
        return int(self._cursor.rowcount)

    def executemany(self, statement: str, rows: Iterable[Sequence[object]]) -> None:
        """Run ``statement`` once per parameter row."""
        self._cursor.executemany(self._sql(statement), rows)

    def rows(self, statement: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Run a query; its rows."""
        self.execute(statement, params)
        return [tuple(row) for row in self._cursor.fetchall()]
