"""The statistics store on SQLite and PostgreSQL: counts add up, offsets and members persist
with them, a period's counters are summed in the database."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest

from broker.statistics.aggregation import Member
from broker.statistics.facts import Fact, Measure
from broker.statistics.store import StatisticsStore
from tests.support.postgres import postgres_dsn

FLOW = Fact(Measure.DISCLOSED, "2026-01", area="gwent", agency="gwent-police", recipient="gdas")


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty statistics database: once an SQLite file, once a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'statistics.sqlite3'}"
        return
    dsn = postgres_dsn()
    schema = f"stats_{uuid.uuid4().hex[:12]}"
    yield f"{dsn}#{schema}"
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def test_batches_add_up_and_their_offsets_and_members_survive_a_reopen(store_url: str) -> None:
    """Two batches add their counts; a reopened store has the offsets, members and salt."""
    store = StatisticsStore(store_url)
    key = store.member_key("subj-a")
    member = Member("gwent", "FLEX", True, date(2026, 1, 5))
    store.apply({FLOW: 3}, {key: member}, {("disclosures", 1): (10, "e1")})
    store.apply({FLOW: 4}, {}, {("disclosures", 1): (17, "e2"), ("subjects", 0): (2, "")})
    store.close()
    again = StatisticsStore(store_url)
    assert again.member_key("subj-a") == key
    assert again.facts([Measure.DISCLOSED]) == [(FLOW, 7)]
    assert again.positions() == {("disclosures", 1): (17, "e2"), ("subjects", 0): (2, "")}
    assert again.members([key, "unknown"]) == {key: member}
    again.close()


def test_a_period_sums_its_months_and_keeps_every_cohort_change_before_it(store_url: str) -> None:
    """January and February flows are summed as one; cohort changes stay month by month,
    from before the period too; March is left out."""
    store = StatisticsStore(store_url)
    february = Fact(FLOW.measure, "2026-02", area="gwent", agency="gwent-police", recipient="gdas")
    march = Fact(FLOW.measure, "2026-03", area="gwent", agency="gwent-police", recipient="gdas")
    joined = Fact(Measure.COHORT_NET, "2025-11", area="gwent", cohort="FIXED")
    store.apply({FLOW: 5, february: 6, march: 7, joined: 12}, {}, {})
    found = dict(store.period_facts("2026-01", "2026-02"))
    summed = Fact(FLOW.measure, "2026-02", area="gwent", agency="gwent-police", recipient="gdas")
    assert found == {summed: 11, joined: 12}
    store.clear()
    assert store.period_facts("2026-01", "2026-02") == [] and store.positions() == {}
    store.close()
