"""Carry out scheduled policy activations when they fall due, once across every API process.

Each due activation is claimed by compare-and-set in the records database before it is
published to the compacted ``policies`` topic (as ``iom-broker policy activate`` publishes),
so two API processes sharing the database publish it once. A failed publication is released
and tried again on the next check; a claim whose process died is taken over after the lease
(republishing the same version is harmless: the topic keeps the latest record per key).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import structlog

from broker.policy.activation import Activation
from broker.policy_admin.service import PolicyAdministration

__all__ = ["ActivationRunner", "PolicyPublisher"]

log = structlog.get_logger(__name__)

PolicyPublisher = Callable[[Activation], Awaitable[None]]
"""Publishes an activation to the ``policies`` topic (see ``.activation_publisher``)."""

API_ACTOR = "iom-broker-api"
LEASE_MS = 60_000


class ActivationRunner:
    """Publishes the due activations of ``admin``'s workspace with ``publisher``."""

    def __init__(
        self,
        admin: PolicyAdministration,
        publisher: PolicyPublisher,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.admin = admin
        self.workspace = admin.workspace
        self.publisher = publisher
        self.clock = clock
        self.owner = f"api-{uuid.uuid4()}"
        self._running = asyncio.Lock()

    async def run_due(self) -> list[str]:
        """Publish every activation due now; the ids of the proposals this process activated."""
        async with self._running:
            now = self.clock()
            now_ms = int(now.timestamp() * 1000)
            store = self.workspace.activations
            await asyncio.to_thread(self.workspace.refresh_current)
            await asyncio.to_thread(self.admin.relay_audit)
            done: list[str] = []
            for proposal_id in await asyncio.to_thread(store.due, now_ms, LEASE_MS):
                claimed = await asyncio.to_thread(
                    store.claim, proposal_id, self.owner, now_ms, LEASE_MS
                )
                if claimed and await self._activate(proposal_id, now):
                    done.append(proposal_id)
            return done

    async def _activate(self, proposal_id: str, now: datetime) -> bool:
        store = self.workspace.activations
        proposal = await asyncio.to_thread(self.workspace.get, proposal_id)
        row = store.get(proposal_id)
        assert row is not None
        if (
            proposal is None
            or self.workspace.outdated(proposal)
            or self.workspace.withdrawn(proposal)
        ):
            self.admin.refuse_activation(proposal_id, proposal, self.owner, API_ACTOR, now)
            log.warning("policy.activation_refused", proposal_id=proposal_id, reason="outdated")
            return False
        try:
            await self.publisher(Activation(proposal.source, now, row.requested_by))
        except Exception as error:
            store.release(proposal_id, self.owner)
            log.warning(
                "policy.activation_failed",
                proposal_id=proposal_id,
                error_type=type(error).__name__,
            )
            return False
        if not self.admin.finish_activation(proposal, self.owner, row.requested_by, now):
            return False
        version = proposal.source.version
        log.info("policy.activation_done", proposal_id=proposal.proposal_id, version=version)
        return True

    async def run_forever(self, interval_s: float) -> None:
        """Check every ``interval_s`` seconds until cancelled; a failed check is logged."""
        while True:
            try:
                await self.run_due()
            except Exception as error:
                log.error("policy.activation_check_failed", error_type=type(error).__name__)
            await asyncio.sleep(interval_s)
