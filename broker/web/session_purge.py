"""Delete timed-out web sessions in the background, every few minutes, while the app serves."""

from __future__ import annotations

import asyncio

import structlog

from broker.records.web_sessions import WebSessionStore

__all__ = ["PURGE_EVERY_S", "purge_sessions_forever"]

PURGE_EVERY_S = 300.0

log = structlog.get_logger(__name__)


async def purge_sessions_forever(store: WebSessionStore, every_s: float = PURGE_EVERY_S) -> None:
    """Purge ``store`` now and then every ``every_s`` seconds until cancelled; a failure is
    logged and tried again next time."""
    while True:
        try:
            purged = await asyncio.to_thread(store.purge)
        except Exception as error:  # the database may be briefly unreachable
            log.warning("web.sessions_purge_failed", error=type(error).__name__)
        else:
            if purged:
                log.info("web.sessions_purged", sessions=purged)
        await asyncio.sleep(every_s)
