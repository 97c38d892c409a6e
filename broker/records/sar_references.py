"""Human references for subject access requests: ``SAR-<year>-<number>``, e.g. SAR-2026-000123.

A person can read one out on the phone or write it in a letter. Numbers count up within the
year the request was received; the records' unique index on ``reference`` makes two processes
that picked the same number fail instead of sharing it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from broker.records.database import Transaction

__all__ = ["REFERENCE_PATTERN", "format_reference", "is_reference", "next_reference"]

REFERENCE_PATTERN = r"^SAR-[0-9]{4}-[0-9]{6,9}$"
_REFERENCE = re.compile(REFERENCE_PATTERN)
_NUMBER_STARTS = len("SAR-2026-") + 1
"""Where the number starts in a reference (SQL ``substr`` counts from 1)."""


def format_reference(year: int, number: int) -> str:
    """``SAR-<year>-<number>``, the number zero-padded to six digits."""
    return f"SAR-{year:04d}-{number:06d}"


def is_reference(text: str) -> bool:
    """``text`` is written as a reference (not whether one exists)."""
    return bool(_REFERENCE.match(text))


def next_reference(tx: Transaction, year: int) -> str:
    """The first reference of ``year`` not yet given, inside the caller's transaction."""
    ((highest,),) = tx.rows(
        f"SELECT max(CAST(substr(reference, {_NUMBER_STARTS}) AS INTEGER))"
        " FROM subject_requests WHERE reference LIKE ?",
        (f"SAR-{year:04d}-%",),
    )
    return format_reference(year, int(highest or 0) + 1)
