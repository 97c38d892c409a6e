"""A proposer withdraws their proposal in the console and over the API, after being asked."""

from __future__ import annotations

import httpx

from broker.identity.principal import Role
from tests.e2e.console_changes import FIXED, PATH
from tests.integration.api.test_console_pages import _as_dpo
from tests.support.api_callers import bearer


async def _made_by_gdas(client: httpx.AsyncClient) -> str:
    made = await client.post(
        "/policies/proposals",
        json={"files": {PATH: FIXED}, "reason": "to be withdrawn"},
        headers=bearer(Role.DPO, agency="gdas"),
    )
    assert made.status_code == 201, made.text
    return str(made.json()["proposal_id"])


async def test_the_proposer_is_asked_then_the_proposal_shows_withdrawn(
    client: httpx.AsyncClient,
) -> None:
    """The proposer's page offers "Withdraw"; the page asks first; afterwards the proposal is
    withdrawn, the task list says so, the history names it, and nobody can approve it."""
    proposal_id = await _made_by_gdas(client)
    page = f"/console/proposals/{proposal_id}"
    csrf = await _as_dpo(client, "gdas")
    assert 'id="withdraw"' in (await client.get(page)).text
    asked = await client.get(f"{page}/withdraw")
    assert "Are you sure you want to withdraw this proposal?" in asked.text
    assert (
        await client.get(
            f"/policies/proposals/{proposal_id}", headers=bearer(Role.DPO, agency="gdas")
        )
    ).json()["status"] == "awaiting_approval"
    done = await client.post(f"{page}/withdraw", data={"csrf_token": csrf})
    assert (done.status_code, done.headers["location"]) == (303, f"{page}?withdrawn=1")
    shown = (await client.get(done.headers["location"])).text
    assert "You withdrew this proposal." in shown
    assert 'govuk-tag--grey">Withdrawn</strong>' in shown
    assert 'id="task-withdrawn"' in shown
    assert 'id="withdraw"' not in shown
    assert "Withdrawn by the proposer" in (await client.get("/console/history")).text
    await _as_dpo(client, "probation-wales")
    assert 'id="approve"' not in (await client.get(page)).text
    refused = await client.post(
        f"/policies/proposals/{proposal_id}/approvals",
        headers=bearer(Role.DPO, agency="probation-wales"),
    )
    assert (refused.status_code, refused.json()["detail"]) == (
        409,
        "this proposal was withdrawn by the DPO who made it",
    )


async def test_only_the_proposer_withdraws_over_the_api(client: httpx.AsyncClient) -> None:
    """Another party's DPO gets 403; the proposer gets the withdrawn proposal; again is 409."""
    proposal_id = await _made_by_gdas(client)
    url = f"/policies/proposals/{proposal_id}/withdrawal"
    other = await client.post(url, headers=bearer(Role.DPO, agency="probation-wales"))
    assert other.status_code == 403
    mine = await client.post(url, headers=bearer(Role.DPO, agency="gdas"))
    assert (mine.status_code, mine.json()["status"]) == (200, "withdrawn")
    again = await client.post(url, headers=bearer(Role.DPO, agency="gdas"))
    assert again.status_code == 409
