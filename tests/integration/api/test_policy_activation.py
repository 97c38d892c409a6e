"""DPOs activate an approved proposal now or at a chosen time; it is published once, when due."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
from structlog.testing import capture_logs

from broker.http.context import ApiContext
from broker.identity.principal import Role
from broker.policy.activation import Activation
from broker.records.database import MEMORY_URL
from broker.settings import PROJECT_ROOT
from broker.transparency.log import TransparencyLog
from tests.integration.api.api_client import api_client
from tests.support.api_callers import bearer
from tests.support.api_context import api_over
from tests.support.log_records import Clock

PROBATION = bearer(Role.DPO, agency="probation-wales")
GDAS = bearer(Role.DPO, agency="gdas")
POLICE = bearer(Role.DPO, agency="gwent-police")
PATH = "agreements/gwent-gdas-treatment-dda.yaml"
TEXT = (PROJECT_ROOT / "policies" / PATH).read_text("utf-8")
START = "2025-01-06T09:00:00Z"


class Topic:
    """A stand-in for the policies topic that records what is published (or fails on demand)."""

    def __init__(self) -> None:
        self.published: list[Activation] = []
        self.failures = 0

    async def __call__(self, activation: Activation) -> None:
        await asyncio.sleep(0.01)
        if self.failures:
            self.failures -= 1
            raise ConnectionError("broker unreachable")
        self.published.append(activation)


def _clock(log: TransparencyLog) -> Clock:
    clock = log.clock
    assert isinstance(clock, Clock)
    return clock


async def _approved(http: httpx.AsyncClient, comment: str = "reviewed") -> str:
    created = await http.post(
        "/policies/proposals", json={"files": {PATH: TEXT + f"# {comment}\n"}}, headers=PROBATION
    )
    proposal_id = str(created.json()["proposal_id"])
    for dpo in (PROBATION, GDAS):
        await http.post(f"/policies/proposals/{proposal_id}/approvals", headers=dpo)
    return proposal_id


def _activation(proposal_id: str) -> str:
    return f"/policies/proposals/{proposal_id}/activation"


async def test_activation_time_must_be_zoned_ahead_and_within_the_horizon(
    context: ApiContext,
) -> None:
    """A time without timezone, in the past, or past the horizon is refused naming ``at``."""
    async with api_client(context) as http:
        proposal_id = await _approved(http)
        url = _activation(proposal_id)
        naive = await http.put(url, json={"at": "2025-01-07T09:00:00"}, headers=GDAS)
        past = await http.put(url, json={"at": "2025-01-05T09:00:00+00:00"}, headers=GDAS)
        far = await http.put(url, json={"at": "2027-01-07T09:00:00+00:00"}, headers=GDAS)
        assert [r.status_code for r in (naive, past, far)] == [422, 422, 422]
        assert "at" in naive.text
        assert past.json()["detail"].startswith("body.at: 2025-01-05T09:00:00+00:00 is in the past")
        assert "days ahead" in far.json()["detail"]
        assert (await http.get(url, headers=GDAS)).status_code == 404


async def test_only_approved_proposals_are_activated_by_a_party(context: ApiContext) -> None:
    """Activation waits for every approval, and a non-party DPO cannot activate."""
    async with api_client(context) as http:
        created = await http.post(
            "/policies/proposals", json={"files": {PATH: TEXT + "# x\n"}}, headers=PROBATION
        )
        url = _activation(created.json()["proposal_id"])
        assert (await http.put(url, json={}, headers=PROBATION)).status_code == 409
        approved = _activation(await _approved(http))
        assert (await http.put(approved, json={}, headers=POLICE)).status_code == 403


async def test_activating_now_publishes_and_makes_the_version_current(
    records_url: str, transparency_log: TransparencyLog
) -> None:
    """Activated now, the version is published once, becomes current, and is in the history."""
    topic = Topic()
    with capture_logs() as logs:
        async with api_client(api_over(records_url, transparency_log, publisher=topic)) as http:
            proposal_id = await _approved(http)
            done = await http.put(_activation(proposal_id), json={"at": None}, headers=GDAS)
            assert done.status_code == 200
            assert (done.json()["state"], done.json()["due_at"]) == ("activated", START)
            version = done.json()["version"]
            assert [a.version for a in topic.published] == [version]
            assert topic.published[0].activated_by == "dpo-gdas"
            assert (await http.get("/policies", headers=GDAS)).json()["version"] == version
            history = (await http.get("/policies/history", headers=GDAS)).json()
            assert [h["change"] for h in history[:2]] == [
                "activated",
                f"activation scheduled for {START.replace('Z', '+00:00')}",
            ]
            again = await http.put(_activation(proposal_id), json={}, headers=GDAS)
            assert again.status_code == 409
    async with api_client(api_over(records_url, transparency_log, publisher=topic)) as http:
        assert (await http.get("/policies", headers=GDAS)).json()["version"] == version
    assert "subj" not in str(logs)


async def test_a_scheduled_activation_waits_and_a_cancelled_one_never_happens(
    records_url: str, transparency_log: TransparencyLog
) -> None:
    """Nothing is published before the chosen time; after it, once; a cancelled one never."""
    topic = Topic()
    context = api_over(records_url, transparency_log, publisher=topic)
    clock = _clock(transparency_log)
    assert context.activator is not None
    async with api_client(context) as http:
        kept, dropped = await _approved(http, "kept"), await _approved(http, "dropped")
        at = {"at": "2025-01-06T10:30:00+01:00"}
        for proposal_id in (kept, dropped):
            scheduled = await http.put(_activation(proposal_id), json=at, headers=GDAS)
            assert scheduled.json()["state"] == "scheduled"
        cancelled = await http.delete(_activation(dropped), headers=PROBATION)
        assert cancelled.json()["state"] == "cancelled"
        assert (await http.delete(_activation(dropped), headers=PROBATION)).status_code == 409
        clock.now += timedelta(minutes=29)
        assert await context.activator.run_due() == [] and topic.published == []
        clock.now += timedelta(minutes=2)
        topic.failures = 1
        assert await context.activator.run_due() == []
        assert (await http.get(_activation(kept), headers=GDAS)).json()["state"] == "scheduled"
        assert await context.activator.run_due() == [kept]
        assert await context.activator.run_due() == []
        state = (await http.get(_activation(kept), headers=GDAS)).json()["state"]
        assert (state, len(topic.published)) == ("activated", 1)
        assert (await http.delete(_activation(kept), headers=GDAS)).status_code == 409
        late = (await http.get(f"/policies/proposals/{dropped}", headers=GDAS)).json()
        assert late["status"] == "outdated"
        assert (await http.put(_activation(dropped), json={}, headers=GDAS)).status_code == 409


async def test_two_api_processes_publish_a_due_activation_once(
    records_url: str, transparency_log: TransparencyLog
) -> None:
    """Two APIs sharing the records race for a due activation; it is published once, ever."""
    topic = Topic()
    first = api_over(records_url, transparency_log, publisher=topic)
    second = api_over(records_url, transparency_log, publisher=topic)
    async with api_client(first) as http:
        proposal_id = await _approved(http)
        at = {"at": "2025-01-06T09:05:00Z"}
        assert (await http.put(_activation(proposal_id), json=at, headers=GDAS)).is_success
        _clock(transparency_log).now += timedelta(minutes=10)
        assert first.activator is not None and second.activator is not None
        results = await asyncio.gather(first.activator.run_due(), second.activator.run_due())
        assert sorted(results, key=len) == [[], [proposal_id]]
        second.policies.records.close()
    restarted = api_over(records_url, transparency_log, publisher=topic)
    assert restarted.activator is not None
    assert await restarted.activator.run_due() == []
    restarted.policies.records.close()
    assert len(topic.published) == 1


async def test_a_proposal_overtaken_by_another_activation_is_not_activated(
    transparency_log: TransparencyLog,
) -> None:
    """Of two proposals on the same version, the later-scheduled one is not published."""
    topic = Topic()
    context = api_over(MEMORY_URL, transparency_log, publisher=topic)
    assert context.activator is not None
    async with api_client(context) as http:
        first, second = await _approved(http, "first"), await _approved(http, "second")
        for proposal_id, at in ((first, "2025-01-06T10:00:00Z"), (second, "2025-01-06T10:01:00Z")):
            await http.put(_activation(proposal_id), json={"at": at}, headers=GDAS)
        _clock(transparency_log).now += timedelta(hours=2)
        assert await context.activator.run_due() == [first]
        late = (await http.get(f"/policies/proposals/{second}", headers=GDAS)).json()
        assert (late["activation"]["state"], late["history"][-1]["action"]) == (
            "not activated",
            "not activated",
        )
        assert [a.version for a in topic.published] == [
            (await http.get("/policies", headers=GDAS)).json()["version"]
        ]


async def test_a_proposal_failing_a_scenario_is_refused_when_scheduled(
    records_url: str, transparency_log: TransparencyLog
) -> None:
    """Dropping a field scenario 09 expects is refused, now or later, naming the scenario."""
    topic = Topic()
    async with api_client(api_over(records_url, transparency_log, publisher=topic)) as http:
        created = await http.post(
            "/policies/proposals",
            json={"files": {PATH: TEXT.replace(", payload.outcome]", "]")}},
            headers=PROBATION,
        )
        proposal_id = created.json()["proposal_id"]
        for dpo in (PROBATION, GDAS):
            await http.post(f"/policies/proposals/{proposal_id}/approvals", headers=dpo)
        now = await http.put(_activation(proposal_id), json={}, headers=GDAS)
        later = await http.put(
            _activation(proposal_id), json={"at": "2025-02-01T09:00:00Z"}, headers=GDAS
        )
        for refused in (now, later):
            assert refused.status_code == 422
            assert refused.headers["content-type"] == "application/problem+json"
            body = refused.json()
            assert body["title"] == "A scenario fails"
            assert body["detail"].startswith(
                "scenario 'Treatment progress is shared while consent is given' fails: "
                "scenarios/09-gdas-consent-given.yaml:20: 'probation-wales': expected "
                "'payload.outcome'"
            )
            assert [s["file"] for s in body["scenarios"]] == [
                "scenarios/09-gdas-consent-given.yaml"
            ]
        assert (await http.get(_activation(proposal_id), headers=GDAS)).status_code == 404
        view = (await http.get(f"/policies/proposals/{proposal_id}", headers=GDAS)).json()
        assert view["status"] == "approved"
        assert [e["action"] for e in view["history"]] == ["proposed", "approved", "approved"]
    assert topic.published == []
