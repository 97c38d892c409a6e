"""DPOs read agreements, propose changes checked like the CLI, and simulate them."""

from __future__ import annotations

import json
from typing import Any

import httpx
from pytest import MonkeyPatch

from broker.identity.principal import Role
from broker.settings import PROJECT_ROOT
from broker.transparency.log import TransparencyLog
from broker.transparency.store.protocol import AuditEvent
from tests.support.api_callers import bearer

DPO = bearer(Role.DPO, agency="probation-wales")
BASELINE = "agreements/wales-iom-baseline.yaml"
TRAFFIC = (PROJECT_ROOT / "policies" / "traffic" / "sample-month.yaml").read_text("utf-8")
FIELDS = "    fields: [subject.pnc_id, payload.order_type, payload.action]\n"


def _baseline() -> str:
    return (PROJECT_ROOT / "policies" / BASELINE).read_text("utf-8")


async def test_dpo_lists_and_reads_agreements(client: httpx.AsyncClient) -> None:
    """The overview lists every agreement; one agreement comes with its YAML text."""
    overview = (await client.get("/policies", headers=DPO)).json()
    assert overview["version"].startswith("sha256:")
    ids = {a["agreement_id"] for a in overview["agreements"]}
    assert "wales-iom-baseline" in ids
    one = (await client.get("/policies/agreements/wales-iom-baseline", headers=DPO)).json()
    assert one["text"] == _baseline()
    assert (await client.get("/policies/agreements/nothing", headers=DPO)).status_code == 404


async def test_only_dpos_reach_policies(client: httpx.AsyncClient) -> None:
    """A supervisee token is refused on the DPO routes."""
    response = await client.get("/policies", headers=bearer(Role.SUPERVISEE, "subj-a"))
    assert response.status_code == 403


async def test_invalid_proposal_gets_the_cli_file_line_messages(
    client: httpx.AsyncClient,
) -> None:
    """An unknown purpose is a 422 problem whose messages name the file and line."""
    broken = _baseline().replace("purpose: iom_case_management", "purpose: curiosity", 1)
    response = await client.post(
        "/policies/proposals", json={"files": {BASELINE: broken}}, headers=DPO
    )
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert any("wales-iom-baseline.yaml:" in p and "'curiosity'" in p for p in problems)


async def test_bad_path_is_refused(client: httpx.AsyncClient) -> None:
    """Only agreement files may be proposed."""
    response = await client.post(
        "/policies/proposals", json={"files": {"../etc/passwd": "x"}}, headers=DPO
    )
    assert response.status_code == 422
    assert "not an agreement path" in response.json()["detail"]


async def test_proposal_is_audited_and_simulated(
    client: httpx.AsyncClient, transparency_log: TransparencyLog
) -> None:
    """A valid proposal is stored and audited; its simulation lists the flow that stops."""
    changed = _baseline().replace(FIELDS, FIELDS + "    when: payload.action != 'WARNING'\n")
    created = await client.post(
        "/policies/proposals", json={"files": {BASELINE: changed}}, headers=DPO
    )
    assert created.status_code == 201
    proposal = created.json()
    assert proposal["changed"] == [BASELINE] and proposal["agency"] == "probation-wales"
    audit = [e for e in transparency_log.store.audit_events() if e.action == "policy.change"]
    assert [json.loads(e.detail) for e in audit] == [{"change": "proposed"}]
    simulated = await client.post(
        f"/policies/proposals/{proposal['proposal_id']}/simulation",
        json={"events": TRAFFIC},
        headers=DPO,
    )
    assert simulated.status_code == 200
    report = simulated.json()
    assert report["events"] == 10 and report["changed_decisions"] == 1
    flow = report["changes"][0]
    assert (flow["source"], flow["recipient"], flow["change"]) == (
        "probation-wales",
        "gwent-police",
        "stops",
    )


async def test_each_party_approves_for_itself_and_history_records_it(
    client: httpx.AsyncClient,
) -> None:
    """Only parties approve, each for their own agency; all of them make it approved."""
    path = "agreements/gwent-gdas-treatment-dda.yaml"
    text = (PROJECT_ROOT / "policies" / path).read_text("utf-8") + "# reviewed\n"
    created = await client.post("/policies/proposals", json={"files": {path: text}}, headers=DPO)
    proposal = created.json()
    assert proposal["affected_agencies"] == ["gdas", "probation-wales"]
    approvals = f"/policies/proposals/{proposal['proposal_id']}/approvals"
    police = await client.post(approvals, headers=bearer(Role.DPO, agency="gwent-police"))
    assert police.status_code == 403
    mine = (await client.post(approvals, headers=DPO)).json()
    assert (mine["status"], mine["approvals"]) == (
        "awaiting_approval",
        {"probation-wales": "dpo-probation-wales"},
    )
    gdas = (await client.post(approvals, headers=bearer(Role.DPO, agency="gdas"))).json()
    assert gdas["status"] == "approved"
    history = (await client.get("/policies/history", headers=DPO)).json()
    assert [(h["actor"], h["change"]) for h in history] == [
        ("dpo:dpo-gdas", "approved for gdas"),
        ("dpo:dpo-probation-wales", "approved for probation-wales"),
        ("dpo:dpo-probation-wales", "proposed"),
    ]


async def test_history_reads_only_the_newest_thousand_policy_changes(
    client: httpx.AsyncClient, transparency_log: TransparencyLog, monkeypatch: MonkeyPatch
) -> None:
    """History shows the newest 1000 policy changes, newest first, reading those rows alone."""
    store = transparency_log.store
    events = []
    for number in range(1005):
        events += [AuditEvent(number, "gwent-police", "disclosure", f"d-{number}")] * 2
        detail = json.dumps({"change": f"change {number}"})
        events.append(AuditEvent(number * 1000, "dpo:x", "policy.change", "policy/v1", detail))
    store.append_audit(events)
    fetched: list[AuditEvent] = []
    audit_events = store.audit_events

    def counted(*args: Any, **kwargs: Any) -> list[AuditEvent]:
        page = audit_events(*args, **kwargs)
        fetched.extend(page)
        return page

    monkeypatch.setattr(store, "audit_events", counted)
    history = (await client.get("/policies/history", headers=DPO)).json()
    assert [h["change"] for h in history] == [f"change {n}" for n in range(1004, 4, -1)]
    assert history[0] == {
        "at": "1970-01-01T00:16:44Z",
        "actor": "dpo:x",
        "policy_version": "v1",
        "change": "change 1004",
    }
    assert len(fetched) == 1000
