"""Statistics test data: counters in one line each, a store holding them, the app over it.

``disclosed``, ``refused`` and ``dead_lettered`` build the counters the tests of the report,
the exports and the statistics API share (their defaults are a Gwent arrest in January
2026); the ``store_of`` fixture makes a statistics store holding given counts (closed after
the test) and ``statistics_app`` serves the app over one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from broker.http.context import ApiContext
from broker.server.app import create_app
from broker.settings import Settings
from broker.statistics.facts import Fact, Measure
from broker.statistics.oversight import OversightStatistics
from broker.statistics.store import StatisticsStore
from broker.statistics.wiring import statistics_context

__all__ = ["StoreOf", "dead_lettered", "disclosed", "refused", "statistics_app", "store_of"]

StoreOf = Callable[[Mapping[Fact, int]], StatisticsStore]


def disclosed(
    sender: str,
    recipient: str,
    month: str = "2026-01",
    area: str = "gwent",
    *,
    event_type: str = "arrest",
    purpose: str = "offender_management",
    legal_basis: str = "dpa2018_s35",
) -> Fact:
    """The counter of ``sender``'s disclosures to ``recipient``."""
    return Fact(
        Measure.DISCLOSED, month, area=area, agency=sender, recipient=recipient,
        event_type=event_type, purpose=purpose, legal_basis=legal_basis,
    )  # fmt: skip


def refused(
    sender: str,
    recipient: str,
    month: str = "2026-01",
    area: str = "gwent",
    reason: str = "no_rule",
) -> Fact:
    """The counter of ``sender``'s records refused to ``recipient`` for ``reason``."""
    return Fact(
        Measure.REFUSED, month, area=area, agency=sender, recipient=recipient,
        event_type="arrest", reason=reason,
    )  # fmt: skip


def dead_lettered(
    agency: str, month: str = "2026-01", area: str = "gwent", reason: str = "undecodable"
) -> Fact:
    """The counter of ``agency``'s records dead-lettered for ``reason``."""
    return Fact(Measure.DEAD_LETTERED, month, area=area, agency=agency, reason=reason)


@pytest.fixture
def store_of(tmp_path: Path) -> Iterator[StoreOf]:
    """Make a SQLite statistics store holding the given counts (as one committed batch)."""
    stores: list[StatisticsStore] = []

    def make(counts: Mapping[Fact, int]) -> StatisticsStore:
        store = StatisticsStore(f"sqlite:///{tmp_path / f'statistics-{len(stores)}.sqlite3'}")
        store.apply(dict(counts), {}, {("disclosures", 0): (1, "")})
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.close()


@asynccontextmanager
async def statistics_app(
    context: ApiContext, store: StatisticsStore
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app whose statistics are ``store``'s."""
    context.statistics = OversightStatistics(store, statistics_context(Settings()))
    transport = httpx.ASGITransport(app=create_app(context))
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as http:
        yield http
