"""Admin requests from synchronous launcher code: each on a private event loop in a thread.

The launcher waits for readiness and in-sync replicas from plain (blocking) code, which may
itself run inside an event loop (a test, ``dev up`` from async code); :func:`admin_call` runs
one request with a fresh aiokafka admin client on its own loop in a helper thread, so it
works from both.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiokafka.admin import AIOKafkaAdminClient

__all__ = ["PROBE_TIMEOUT_S", "admin_call", "describe_cluster"]

PROBE_TIMEOUT_S = 5.0
T = TypeVar("T")


def describe_cluster(bootstrap: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Ask the broker for cluster metadata, on a private event loop in a helper thread."""

    async def describe(admin: AIOKafkaAdminClient) -> dict[str, Any]:
        cluster: dict[str, Any] = await admin.describe_cluster()
        return cluster

    return admin_call(bootstrap, describe, options)


def admin_call(
    bootstrap: str,
    call: Callable[[AIOKafkaAdminClient], Awaitable[T]],
    options: dict[str, Any] | None = None,
    timeout: float = PROBE_TIMEOUT_S,
) -> T:
    """Run ``call`` with a fresh admin client on a private event loop in a helper thread
    (usable from synchronous code and from inside a running loop alike)."""
    result: list[T] = []
    failure: list[BaseException] = []

    async def with_admin() -> T:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=bootstrap,
            client_id="iom-broker-readiness",
            request_timeout_ms=int(timeout * 1000),
            **(options or {}),
        )
        try:
            await admin.start()
            return await call(admin)
        finally:
            await admin.close()

    def run() -> None:
        try:
            result.append(asyncio.run(asyncio.wait_for(with_admin(), timeout)))
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=run, name="kafka-admin", daemon=True)
    thread.start()
    thread.join(timeout + 5.0)
    if failure:
        raise failure[0]
    if thread.is_alive() or not result:
        raise TimeoutError(f"admin request to {bootstrap} did not return")
    return result[0]
