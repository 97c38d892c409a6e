"""A DPO follows the subject access requests to its agency to their deadline: list, extend,
answer."""

from __future__ import annotations

from datetime import timedelta

import httpx

from broker.identity.principal import Role
from broker.transparency.log import TransparencyLog
from tests.support.api_callers import bearer
from tests.support.log_records import Clock

DPO = bearer(Role.DPO, agency="probation-wales")
ME = bearer(Role.SUPERVISEE, "subj-a")
CASES = "/subject-access-requests"


def _clock(log: TransparencyLog) -> Clock:
    clock = log.clock
    assert isinstance(clock, Clock)
    return clock


async def _submit(client: httpx.AsyncClient) -> str:
    created = await client.post(
        "/me/subject-access-requests", json={"addressee": "probation-wales"}, headers=ME
    )
    assert created.status_code == 201
    (request,) = created.json()
    return str(request["request_id"])


async def test_nearing_deadline_lists_open_requests_without_the_person(
    client: httpx.AsyncClient, transparency_log: TransparencyLog
) -> None:
    """Open requests due within the window are listed soonest first, with no subject reference."""
    early = await _submit(client)
    _clock(transparency_log).now += timedelta(days=10)
    later = await _submit(client)
    _clock(transparency_log).now += timedelta(days=1)  # the same request a day later is new
    answered = await _submit(client)
    assert (await client.post(f"{CASES}/{answered}/completion", headers=DPO)).is_success
    _clock(transparency_log).now += timedelta(days=14)
    soon = await client.get(CASES, params={"within_days": 10}, headers=DPO)
    assert [(c["request_id"], c["days_left"]) for c in soon.json()] == [(early, 6)]
    wide = await client.get(CASES, params={"within_days": 30}, headers=DPO)
    assert [c["request_id"] for c in wide.json()] == [early, later]
    assert "subj-a" not in wide.text and "subject_ref" not in wide.text
    assert (await client.get(CASES, headers=ME)).status_code == 403
    assert (await client.get(CASES, params={"within_days": 93}, headers=DPO)).status_code == 422


async def test_the_person_sees_the_extension_notice_and_the_answer(
    client: httpx.AsyncClient,
) -> None:
    """An extension moves the deadline and shows its notice; completion shows as answered."""
    request_id = await _submit(client)
    notice = {"notice": "We need more time to gather records from four agencies.", "months": 1}
    extended = await client.post(f"{CASES}/{request_id}/extension", json=notice, headers=DPO)
    assert (extended.json()["due_on"], extended.json()["extension_months"]) == ("2025-03-06", 1)
    mine = (await client.get(f"/me/subject-access-requests/{request_id}", headers=ME)).json()
    assert (mine["status"], mine["due_on"]) == ("extended", "2025-03-06")
    assert mine["extension_notice"] == notice["notice"]
    more = await client.post(
        f"{CASES}/{request_id}/extension",
        json={"notice": "Still gathering.", "months": 1},
        headers=DPO,
    )
    assert more.json()["due_on"] == "2025-04-06"
    too_far = await client.post(
        f"{CASES}/{request_id}/extension", json={"notice": "More.", "months": 1}, headers=DPO
    )
    assert too_far.status_code == 409 and "at most 2 months" in too_far.json()["detail"]
    done = await client.post(f"{CASES}/{request_id}/completion", headers=DPO)
    assert done.json()["completed_on"] == "2025-01-06"
    mine = (await client.get(f"/me/subject-access-requests/{request_id}", headers=ME)).json()
    assert (mine["status"], mine["completed_on"]) == ("answered", "2025-01-06")
    assert (await client.post(f"{CASES}/{request_id}/completion", headers=DPO)).status_code == 409


async def test_an_extension_must_be_notified_within_the_first_month(
    client: httpx.AsyncClient, transparency_log: TransparencyLog
) -> None:
    """Past the one-month deadline, the deadline can no longer be extended."""
    request_id = await _submit(client)
    _clock(transparency_log).now += timedelta(days=32)
    late = await client.post(
        f"{CASES}/{request_id}/extension", json={"notice": "Sorry."}, headers=DPO
    )
    assert late.status_code == 409 and "within one month" in late.json()["detail"]
    unknown = f"{CASES}/00000000-0000-4000-8000-000000000000/completion"
    assert (await client.post(unknown, headers=DPO)).status_code == 404
