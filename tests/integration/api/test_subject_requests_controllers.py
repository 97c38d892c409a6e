"""A subject access request is addressed to one agency, and only that agency's DPO handles it."""

from __future__ import annotations

import json

import httpx
import pytest

from broker.identity.principal import Role
from broker.transparency.log import TransparencyLog
from broker.transparency.store.protocol import AuditEvent
from tests.support.api_callers import bearer
from tests.unit.identity.keys import agencies

ME = bearer(Role.SUPERVISEE, "subj-a")
MINE = "/me/subject-access-requests"
CASES = "/subject-access-requests"
REGISTRY = list(agencies().ids)
OTHERS = [a for a in REGISTRY if a != "gdas"]


def dpo(agency: str) -> dict[str, str]:
    """The headers of ``agency``'s DPO."""
    return bearer(Role.DPO, agency=agency)


async def _ask(client: httpx.AsyncClient, addressee: str) -> str:
    made = await client.post(MINE, json={"addressee": addressee}, headers=ME)
    assert made.status_code == 201, made.text
    (request,) = made.json()
    assert made.headers["location"] == f"{MINE}/{request['request_id']}"
    return str(request["request_id"])


def _audit_since(log: TransparencyLog, seen: int) -> list[AuditEvent]:
    return log.store.audit_events()[seen:]


def _detail(event: AuditEvent) -> dict[str, object]:
    detail = json.loads(event.detail)
    assert isinstance(detail, dict)
    return detail


async def test_a_request_to_one_agency_is_seen_by_its_dpo_only(
    client: httpx.AsyncClient,
) -> None:
    """GDAS's DPO lists and opens a request to GDAS; every other agency's DPO sees nothing."""
    request_id = await _ask(client, "gdas")
    listed = await client.get(CASES, params={"within_days": 92}, headers=dpo("gdas"))
    assert [(c["request_id"], c["addressee"]) for c in listed.json()] == [(request_id, "gdas")]
    opened = await client.get(f"{CASES}/{request_id}", headers=dpo("gdas"))
    assert (opened.status_code, opened.json()["status"]) == (200, "received")
    for other in OTHERS:
        theirs = await client.get(CASES, params={"within_days": 92}, headers=dpo(other))
        assert theirs.json() == [], other
    mine = (await client.get(MINE, headers=ME)).json()
    assert [(r["request_id"], r["addressee"]) for r in mine] == [(request_id, "gdas")]


@pytest.mark.parametrize("body", [None, {"addressee": "all"}])
async def test_all_makes_one_request_per_agency_each_with_its_own_reference(
    client: httpx.AsyncClient, body: dict[str, str] | None
) -> None:
    """Asking all (or sending no addressee) makes one request per registry agency, distinct ids,
    each listed by its own agency's DPO alone."""
    made = await client.post(MINE, json=body, headers=ME)
    assert made.status_code == 201
    assert made.headers["location"] == MINE
    requests = made.json()
    assert sorted(r["addressee"] for r in requests) == sorted(REGISTRY)
    assert len({r["request_id"] for r in requests}) == len(REGISTRY)
    by_agency = {r["addressee"]: r["request_id"] for r in requests}
    for agency in REGISTRY:
        listed = await client.get(CASES, params={"within_days": 92}, headers=dpo(agency))
        assert [c["request_id"] for c in listed.json()] == [by_agency[agency]], agency
    assert len((await client.get(MINE, headers=ME)).json()) == len(REGISTRY)


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("POST", "/extension", {"notice": "We need more time.", "months": 2}),
        ("POST", "/completion", None),
    ],
    ids=["view", "extend", "complete"],
)
async def test_every_cross_agency_attempt_is_a_404_with_an_audit_row(
    client: httpx.AsyncClient,
    transparency_log: TransparencyLog,
    method: str,
    suffix: str,
    body: dict[str, object] | None,
) -> None:
    """Each other agency's DPO gets the same 404 as for an unknown id, the request is unchanged,
    and the s.62 audit records the refused attempt without the person."""
    request_id = await _ask(client, "gdas")
    unknown = "00000000-0000-4000-8000-000000000000"
    for other in OTHERS:
        seen = len(transparency_log.store.audit_events())
        refused = await client.request(
            method, f"{CASES}/{request_id}{suffix}", json=body, headers=dpo(other)
        )
        missing = await client.request(
            method, f"{CASES}/{unknown}{suffix}", json=body, headers=dpo(other)
        )
        assert refused.status_code == missing.status_code == 404, other
        assert refused.json()["detail"].replace(request_id, unknown) == missing.json()["detail"]
        rows = _audit_since(transparency_log, seen)
        assert [(r.actor, r.target) for r in rows] == [
            (f"dpo:dpo-{other}", f"subject-access-request/{request_id}"),
            (f"dpo:dpo-{other}", f"subject-access-request/{unknown}"),
        ]
        assert all(_detail(r)["refused"] is True for r in rows)
        assert _detail(rows[0])["reason"] == "not_addressee"
        assert _detail(rows[0])["agency"] == other
        assert not any("subj-a" in f"{r.target}{r.detail}" for r in rows)
    still = (await client.get(f"{CASES}/{request_id}", headers=dpo("gdas"))).json()
    assert (still["status"], still["extension_months"]) == ("received", 0)


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.AUDITOR, Role.SERVICE, Role.SUPERVISEE])
async def test_callers_who_are_not_a_dpo_are_refused_and_audited(
    client: httpx.AsyncClient, transparency_log: TransparencyLog, role: Role
) -> None:
    """Operators, auditors, services and supervisees get 403 on every DPO route, each audited."""
    request_id = await _ask(client, "gdas")
    caller = bearer(role, "subj-a" if role is Role.SUPERVISEE else None)
    seen = len(transparency_log.store.audit_events())
    attempts = [
        ("GET", CASES, None),
        ("GET", f"{CASES}/{request_id}", None),
        ("POST", f"{CASES}/{request_id}/extension", {"notice": "More time."}),
        ("POST", f"{CASES}/{request_id}/completion", None),
    ]
    for method, url, body in attempts:
        refused = await client.request(method, url, json=body, headers=caller)
        assert refused.status_code == 403, url
        assert "needs the role dpo" in refused.json()["detail"]
    rows = _audit_since(transparency_log, seen)
    assert [(_detail(r)["operation"], r.action) for r in rows] == [
        ("list", "consultation"),
        ("view", "consultation"),
        ("extend", "alteration"),
        ("complete", "alteration"),
    ]
    assert all(_detail(r)["reason"] == "not_a_dpo" for r in rows)
    assert all(r.actor.startswith(f"{role.value}:") for r in rows)


async def test_the_addressed_dpo_extends_and_completes_with_an_audit_row(
    client: httpx.AsyncClient, transparency_log: TransparencyLog
) -> None:
    """The owning DPO's extension and completion work, show to the person, and are audited."""
    request_id = await _ask(client, "gdas")
    seen = len(transparency_log.store.audit_events())
    notice = {"notice": "Records are held in three places.", "months": 1}
    extended = await client.post(
        f"{CASES}/{request_id}/extension", json=notice, headers=dpo("gdas")
    )
    assert (extended.status_code, extended.json()["due_on"]) == (200, "2025-03-06")
    done = await client.post(f"{CASES}/{request_id}/completion", headers=dpo("gdas"))
    assert (done.status_code, done.json()["status"]) == (200, "answered")
    mine = (await client.get(f"{MINE}/{request_id}", headers=ME)).json()
    assert (mine["status"], mine["extension_notice"]) == ("answered", notice["notice"])
    rows = _audit_since(transparency_log, seen)
    assert [(r.actor, r.action, _detail(r)["operation"]) for r in rows] == [
        ("dpo:dpo-gdas", "alteration", "extend"),
        ("dpo:dpo-gdas", "alteration", "complete"),
    ]
    assert not any(_detail(r).get("refused") for r in rows)


@pytest.mark.parametrize(
    ("addressee", "where"),
    [("nowhere-council", "not an agency in the registry"), ("Gdas\n", "body.addressee")],
)
async def test_an_addressee_outside_the_registry_is_refused(
    client: httpx.AsyncClient, addressee: str, where: str
) -> None:
    """An unknown or malformed addressee is a 422 naming the field, and records nothing."""
    refused = await client.post(MINE, json={"addressee": addressee}, headers=ME)
    assert refused.status_code == 422
    assert where in refused.json()["detail"]
    assert (await client.get(MINE, headers=ME)).json() == []
