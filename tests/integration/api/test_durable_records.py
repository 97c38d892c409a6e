"""Proposals, approvals, activations, their history and subject access requests survive a
restart of the API, on SQLite and on PostgreSQL."""

from __future__ import annotations

import httpx

from broker.identity.principal import Role
from broker.settings import PROJECT_ROOT
from broker.transparency.log import TransparencyLog
from tests.integration.api.api_client import api_client
from tests.support.api_callers import bearer
from tests.support.api_context import api_over

PROBATION = bearer(Role.DPO, agency="probation-wales")
GDAS = bearer(Role.DPO, agency="gdas")
ME = bearer(Role.SUPERVISEE, "subj-a")
PATH = "agreements/gwent-gdas-treatment-dda.yaml"
TEXT = (PROJECT_ROOT / "policies" / PATH).read_text("utf-8")
DUE = "2025-01-07T10:00:00+01:00"


async def _propose(http: httpx.AsyncClient, comment: str) -> str:
    created = await http.post(
        "/policies/proposals", json={"files": {PATH: TEXT + f"# {comment}\n"}}, headers=PROBATION
    )
    assert created.status_code == 201, created.text
    return str(created.json()["proposal_id"])


async def _before_restart(http: httpx.AsyncClient) -> dict[str, str]:
    scheduled = await _propose(http, "scheduled")
    waiting = await _propose(http, "waiting")
    for dpo in (PROBATION, GDAS):
        approved = await http.post(f"/policies/proposals/{scheduled}/approvals", headers=dpo)
        assert approved.status_code == 200
    activation = await http.put(
        f"/policies/proposals/{scheduled}/activation", json={"at": DUE}, headers=GDAS
    )
    assert activation.status_code == 200, activation.text
    to_gdas = {"addressee": "gdas"}
    sar = "/subject-access-requests"
    made = await http.post("/me/subject-access-requests", json=to_gdas, headers=ME)
    answered = str(made.json()[0]["request_id"])
    assert (await http.post(f"{sar}/{answered}/completion", headers=GDAS)).is_success
    made = await http.post("/me/subject-access-requests", json=to_gdas, headers=ME)
    extended = str(made.json()[0]["request_id"])  # a new one: the first is answered
    notice = {"notice": "Your request is complex; we need two more months.", "months": 2}
    assert (await http.post(f"{sar}/{extended}/extension", json=notice, headers=GDAS)).is_success
    return {"scheduled": scheduled, "waiting": waiting, "extended": extended, "answered": answered}


async def test_a_restarted_api_has_every_record(
    records_url: str, transparency_log: TransparencyLog
) -> None:
    """After a restart the proposals, approvals, schedule, history and requests are all there."""
    async with api_client(api_over(records_url, transparency_log)) as http:
        ids = await _before_restart(http)
        before = (await http.get(f"/policies/proposals/{ids['scheduled']}", headers=GDAS)).json()
    async with api_client(api_over(records_url, transparency_log)) as http:
        after = (await http.get(f"/policies/proposals/{ids['scheduled']}", headers=GDAS)).json()
        assert after == before
        assert after["status"] == "scheduled"
        assert after["approvals"] == {"gdas": "dpo-gdas", "probation-wales": "dpo-probation-wales"}
        assert [(e["actor"], e["action"]) for e in after["history"]] == [
            ("dpo-probation-wales", "proposed"),
            ("dpo-probation-wales", "approved"),
            ("dpo-gdas", "approved"),
            ("dpo-gdas", "scheduled"),
        ]
        assert after["activation"]["due_at"] == "2025-01-07T09:00:00Z"
        waiting = (await http.get(f"/policies/proposals/{ids['waiting']}", headers=GDAS)).json()
        assert (waiting["status"], waiting["approvals"]) == ("awaiting_approval", {})
        pending = (await http.get("/policies/activations", headers=GDAS)).json()
        assert [p["proposal_id"] for p in pending] == [ids["scheduled"]]
        mine = {
            r["request_id"]: r
            for r in (await http.get("/me/subject-access-requests", headers=ME)).json()
        }
        assert mine[ids["extended"]]["status"] == "extended"
        assert mine[ids["extended"]]["due_on"] == "2025-04-06"
        assert mine[ids["extended"]]["extension_notice"].startswith("Your request is complex")
        assert (mine[ids["answered"]]["status"], mine[ids["answered"]]["completed_on"]) == (
            "answered",
            "2025-01-06",
        )
        cancelled = await http.delete(
            f"/policies/proposals/{ids['scheduled']}/activation", headers=GDAS
        )
        assert cancelled.json()["state"] == "cancelled"
    async with api_client(api_over(records_url, transparency_log)) as http:
        again = (await http.get(f"/policies/proposals/{ids['scheduled']}", headers=GDAS)).json()
        assert (again["status"], again["activation"]["state"]) == ("approved", "cancelled")
        assert again["history"][-1]["action"] == "cancelled"
