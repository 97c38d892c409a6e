"""A scheduled activation reaches the real ``policies`` topic after its time, not before; a
cancelled one never does. The API serves with its background runner, as in production."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from broker.identity.principal import Role
from broker.policy.activation import Activation
from broker.policy_admin.activation_publisher import publish_activation, read_active
from broker.policy_admin.policy_directory import read_policy_source
from broker.server.app import create_app
from broker.settings import PROJECT_ROOT, ApiSettings
from broker.transparency.log import TransparencyLog
from broker.transparency.store.sqlite_store import SqliteStore
from tests.integration.api.live_server import live_server
from tests.support.api_callers import bearer
from tests.support.api_context import api_over
from tests.support.log_records import INDEX_KEY, SIGNER
from tests.support.waiting import wait_until

PROBATION = bearer(Role.DPO, agency="probation-wales")
GDAS = bearer(Role.DPO, agency="gdas")
PATH = "agreements/gwent-gdas-treatment-dda.yaml"
TEXT = (PROJECT_ROOT / "policies" / PATH).read_text("utf-8")
AHEAD = timedelta(seconds=8)
LATER = timedelta(seconds=1)


async def _approved(http: httpx.AsyncClient, comment: str) -> dict[str, str]:
    created = await http.post(
        "/policies/proposals", json={"files": {PATH: TEXT + f"# {comment}\n"}}, headers=PROBATION
    )
    proposal = created.json()
    for dpo in (PROBATION, GDAS):
        await http.post(f"/policies/proposals/{proposal['proposal_id']}/approvals", headers=dpo)
    return {"id": proposal["proposal_id"], "version": proposal["version"]}


@pytest.mark.kafka
async def test_scheduled_activation_is_published_after_its_time_and_cancel_works(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    """Before the time the topic's active version is unchanged; after it, the new one."""
    previous = await read_active(kafka_bootstrap)
    store = SqliteStore(tmp_path / "log.sqlite3")
    log = TransparencyLog(store, SIGNER, INDEX_KEY, "P6Y")

    published: list[str] = []

    async def publish(activation: Activation) -> None:
        await publish_activation(kafka_bootstrap, activation)
        published.append(activation.version)

    context = api_over(f"sqlite:///{tmp_path / 'records.sqlite3'}", log, publisher=publish)
    context.settings = ApiSettings(activation_check_s=0.5)
    stamp = datetime.now(UTC).isoformat()
    try:
        with live_server(create_app(context)) as url:
            async with httpx.AsyncClient(base_url=url, timeout=30) as http:
                kept = await _approved(http, f"kept {stamp}")
                dropped = await _approved(http, f"dropped {stamp}")
                # due after the others: once it is settled, their check has long finished
                later = await _approved(http, f"later {stamp}")
                due = datetime.now(UTC) + AHEAD
                for proposal, at in ((kept, due), (dropped, due), (later, due + LATER)):
                    scheduled = await http.put(
                        f"/policies/proposals/{proposal['id']}/activation",
                        json={"at": at.isoformat()},
                        headers=GDAS,
                    )
                    assert scheduled.json()["state"] == "scheduled", scheduled.text
                cancel = await http.delete(
                    f"/policies/proposals/{dropped['id']}/activation", headers=PROBATION
                )
                assert cancel.json()["state"] == "cancelled"
                before = await read_active(kafka_bootstrap)
                assert before is None or before.version not in (kept["version"], dropped["version"])

                async def state(proposal: dict[str, str]) -> str:
                    found = await http.get(
                        f"/policies/proposals/{proposal['id']}/activation", headers=GDAS
                    )
                    return str(found.json()["state"])

                async def activated() -> bool:
                    return await state(kept) == "activated"

                async def later_settled() -> bool:
                    return await state(later) not in ("scheduled", "publishing")

                await wait_until(activated)
                # made against the version ``kept`` replaced, ``later`` is refused, not published
                await wait_until(later_settled)
                pending = (await http.get("/policies/activations", headers=GDAS)).json()
                assert pending == []
                assert published == [kept["version"]]
        active = await read_active(kafka_bootstrap)
        assert active is not None and active.version == kept["version"]
        assert active.activated_at >= due and active.activated_by == "dpo-gdas"
    finally:
        context.policies.records.close()
        store.close()
        restore = previous.source if previous else read_policy_source(PROJECT_ROOT / "policies")
        await publish_activation(
            kafka_bootstrap, Activation(restore, datetime.now(UTC), "integration-test")
        )
