"""Columns added to the records' tables after they were first shipped, applied to older databases.

``CREATE TABLE IF NOT EXISTS`` leaves an existing table as it was, so each added column is
checked for and added (``ALTER TABLE ... ADD COLUMN``; SQLite's ``BEGIN IMMEDIATE`` serialises
openers, PostgreSQL's ``IF NOT EXISTS`` lets them race), then its index is created. Running
them again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from broker.records.database import Transaction

__all__ = ["ADDED_COLUMNS", "AddedColumn", "add_missing_columns"]


@dataclass(frozen=True)
class AddedColumn:
    """A nullable column added to ``table``, with the index that uses it."""

    table: str
    column: str
    sql_type: str
    index_ddl: str


ADDED_COLUMNS = (
    AddedColumn(
        "subject_requests",
        "addressee",
        "TEXT",
        "CREATE INDEX IF NOT EXISTS subject_requests_by_addressee"
        " ON subject_requests (addressee, status)",
    ),
    AddedColumn(
        "subject_requests",
        "reference",
        "TEXT",
        "CREATE UNIQUE INDEX IF NOT EXISTS subject_requests_by_reference"
        " ON subject_requests (reference)",
    ),
    AddedColumn(
        "subject_requests",
        "submission_key",
        "TEXT",
        "CREATE UNIQUE INDEX IF NOT EXISTS subject_requests_by_submission"
        " ON subject_requests (subject_ref, submission_key, addressee)",
    ),
)


def _columns(tx: Transaction, table: str, postgres: bool) -> set[str]:
    if postgres:
        rows = tx.rows(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ?",
            (table,),
        )
        return {str(r[0]) for r in rows}
    return {str(r[1]) for r in tx.rows(f"PRAGMA table_info({table})")}


def add_missing_columns(tx: Transaction, postgres: bool) -> list[str]:
    """Add every column of :data:`ADDED_COLUMNS` a table lacks; ``table.column`` of those added."""
    added = []
    for change in ADDED_COLUMNS:
        if change.column not in _columns(tx, change.table, postgres):
            guard = "IF NOT EXISTS " if postgres else ""  # two PostgreSQL openers may race
            tx.execute(
                f"ALTER TABLE {change.table} ADD COLUMN {guard}{change.column} {change.sql_type}"
            )
            added.append(f"{change.table}.{change.column}")
        tx.execute(change.index_ddl)
    return added
