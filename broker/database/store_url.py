"""A store URL names the database a store lives in: ``sqlite:///path`` or ``postgresql://...``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["StoreUrl", "parse_store_url"]


@dataclass(frozen=True)
class StoreUrl:
    """The database kind and where it is: a file path (SQLite) or a DSN and schema."""

    kind: Literal["sqlite", "postgresql"]
    location: str
    """The SQLite file path (``:memory:`` for a private in-memory database), or the DSN."""
    schema: str = ""
    """The PostgreSQL schema the store's tables live in."""


def parse_store_url(url: str, default_schema: str, what: str = "store") -> StoreUrl:
    """Read ``sqlite:///path`` or ``postgresql://...[#schema]``; ValueError (one line) otherwise.

    ``what`` names the store in the error, e.g. ``log store``.
    """
    if url.startswith("sqlite:///"):
        return StoreUrl("sqlite", url.removeprefix("sqlite:///"))
    if url.startswith(("postgresql://", "postgres://")):
        dsn, _, schema = url.partition("#")
        return StoreUrl("postgresql", dsn, schema or default_schema)
    scheme = url.partition(":")[0]
    raise ValueError(f"{what} URL scheme {scheme!r} is not sqlite:/// or postgresql://")
