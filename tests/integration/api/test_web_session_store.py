"""Web sessions kept in the API's records database, on SQLite and on PostgreSQL: found by hash,
timed out when idle or too old, purged, taken once at sign-out, refreshed once."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from broker.records.database import RecordsDatabase
from broker.records.web_sessions import TOUCH_EVERY_MS, WebSession, WebSessionStore
from broker.web.session_purge import purge_sessions_forever

IDLE_S, ABSOLUTE_S = 600, 3600


class _Clock:
    """Seconds the test moves on by hand."""

    def __init__(self) -> None:
        self.now = 1_750_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> _Clock:
    """The store's clock."""
    return _Clock()


@pytest.fixture
def store(records_url: str, clock: _Clock) -> Iterator[WebSessionStore]:
    """An empty session store (10 minutes idle, 1 hour absolute) in a fresh records database."""
    database = RecordsDatabase(records_url)
    yield WebSessionStore(database, idle_s=IDLE_S, absolute_s=ABSOLUTE_S, clock=clock)
    database.close()


def _kept(store: WebSessionStore, name: str = "h1", area: str = "portal") -> WebSession:
    now = store.now_ms()
    session = WebSession(name, area, "supervisee", "person-1", None, now, now, now + 300_000, "s1")
    store.create(session)
    return session


def test_a_session_is_found_by_its_hash_in_its_own_area(store: WebSessionStore) -> None:
    """The console cannot use a portal session, and an unknown hash finds nothing."""
    kept = _kept(store)

    assert store.find("h1", "portal") == kept
    assert store.find("h1", "console") is None
    assert store.find("h2", "portal") is None


def test_an_idle_session_ends_but_use_keeps_it_alive(store: WebSessionStore, clock: _Clock) -> None:
    """Used every few minutes a session lives on; left for the idle timeout, it is gone."""
    _kept(store)
    for _ in range(5):
        clock.now += IDLE_S - TOUCH_EVERY_MS / 1000
        assert store.find("h1", "portal") is not None
    clock.now += IDLE_S
    assert store.find("h1", "portal") is None


def test_a_busy_session_still_ends_at_the_absolute_timeout(
    store: WebSessionStore, clock: _Clock
) -> None:
    """However busy, a session ends the absolute timeout after sign-in."""
    _kept(store)
    while clock.now < 1_750_000_000.0 + ABSOLUTE_S - 300:
        clock.now += 300
        assert store.find("h1", "portal") is not None
    clock.now += 300
    assert store.find("h1", "portal") is None


def test_purge_deletes_only_timed_out_sessions(store: WebSessionStore, clock: _Clock) -> None:
    """Purging removes what timed out and keeps what is live."""
    _kept(store, "old")
    clock.now += IDLE_S - 60
    _kept(store, "new")
    clock.now += 120

    assert store.purge() == 1
    assert store.count() == 1 and store.find("new", "portal") is not None


def test_sign_out_takes_the_session_once(store: WebSessionStore) -> None:
    """Taking a session returns it and deletes it; a second take finds nothing."""
    kept = _kept(store)

    assert store.take("h1") == kept
    assert store.take("h1") is None and store.find("h1", "portal") is None


def test_tokens_are_replaced_once_by_compare_and_set(store: WebSessionStore) -> None:
    """Of two requests refreshing the same tokens, only the first swaps them in."""
    _kept(store)

    assert store.replace_tokens("h1", "s1", "s2", 123)
    assert not store.replace_tokens("h1", "s1", "s3", 456)
    found = store.find("h1", "portal")
    assert found is not None and (found.tokens, found.access_expires_at_ms) == ("s2", 123)


async def test_the_app_purges_timed_out_sessions_in_the_background(
    store: WebSessionStore, clock: _Clock
) -> None:
    """The purge task deletes sessions that timed out while no one asked for them."""
    _kept(store)
    clock.now += IDLE_S + 1
    task = asyncio.create_task(purge_sessions_forever(store, every_s=0.01))
    try:
        for _ in range(500):
            if store.count() == 0:
                break
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
    assert store.count() == 0
