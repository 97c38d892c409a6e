"""The console's activation forms over the real app without a Kafka publisher."""

from __future__ import annotations

import httpx

from broker.identity.principal import Role
from tests.e2e.console_changes import FIXED, PATH
from tests.integration.api.test_console_pages import _as_dpo
from tests.support.api_callers import bearer


async def _approved(client: httpx.AsyncClient) -> str:
    made = await client.post(
        "/policies/proposals",
        json={"files": {PATH: FIXED}},
        headers=bearer(Role.DPO, agency="probation-wales"),
    )
    proposal_id = made.json()["proposal_id"]
    for agency in ("probation-wales", "gdas"):
        url = f"/policies/proposals/{proposal_id}/approvals"
        assert (await client.post(url, headers=bearer(Role.DPO, agency=agency))).is_success
    return f"/console/proposals/{proposal_id}"


async def test_without_a_publisher_activating_now_waits_to_be_published(
    client: httpx.AsyncClient,
) -> None:
    """With no Kafka publisher, "Activate now" stays scheduled and the page says it is due."""
    page = await _approved(client)
    csrf = await _as_dpo(client, "gdas")
    sent = await client.post(f"{page}/activate", data={"csrf_token": csrf})
    assert (sent.status_code, sent.headers["location"]) == (303, f"{page}?activation=activated")
    shown = (await client.get(sent.headers["location"])).text
    assert "Activation requested. The broker publishes it to the routers shortly." in shown
    assert "Due now: waiting to be published to the routers." in shown
    assert 'govuk-tag--blue">Activation scheduled</strong>' in shown
    again = await client.post(f"{page}/activate", data={"csrf_token": csrf})
    assert again.status_code == 409
    assert "can no longer be activated" in again.text


async def test_a_past_time_is_refused_in_welsh_and_the_typed_values_stay(
    client: httpx.AsyncClient,
) -> None:
    """A Welsh reader's past time gets the Welsh error, linked to the day field."""
    page = await _approved(client)
    csrf = await _as_dpo(client, "probation-wales")
    await client.get(f"{page}?lang=cy")
    form = {"day": "5", "month": "1", "year": "2025", "hour": "9", "minute": "00"}
    refused = await client.post(f"{page}/schedule", data={"csrf_token": csrf, **form})
    assert refused.status_code == 422
    assert "<a href=\"#activate-day\">Rhaid i'r dyddiad a'r amser fod yn y dyfodol</a>" in (
        refused.text.replace("&#39;", "'")
    )
    assert 'id="activate-year" name="year" type="text" inputmode="numeric"' in refused.text
    assert 'value="2025"' in refused.text
    activation = f"/policies/proposals/{page.rsplit('/', 1)[1]}/activation"
    nothing = await client.get(activation, headers=bearer(Role.DPO, agency="gdas"))
    assert nothing.status_code == 404


async def test_a_forged_cancel_by_a_non_party_is_refused(client: httpx.AsyncClient) -> None:
    """Scheduling asks first, saying when in UK time and scheduling nothing; once confirmed,
    Gwent Police's DPO cannot cancel the parties' scheduled activation, even with a token."""
    page = await _approved(client)
    csrf = await _as_dpo(client, "gdas")
    form = {"day": "6", "month": "1", "year": "2025", "hour": "11", "minute": "00"}
    asked = await client.post(f"{page}/schedule", data={"csrf_token": csrf, **form})
    assert asked.status_code == 200
    assert "Check the time before you schedule the activation" in asked.text
    assert "6 January 2025 at 11:00 UK time" in asked.text
    assert (
        await client.get(
            f"/policies/proposals/{page.rsplit('/', 1)[1]}/activation",
            headers=bearer(Role.DPO, agency="gdas"),
        )
    ).status_code == 404
    form["confirm"] = "1"
    scheduled = await client.post(f"{page}/schedule", data={"csrf_token": csrf, **form})
    assert scheduled.status_code == 303
    police = await _as_dpo(client, "gwent-police")
    refused = await client.post(f"{page}/cancel-activation", data={"csrf_token": police})
    assert refused.status_code == 403
    assert "Only the DPO of a party to this change can activate it." in refused.text
    assert 'id="activation-state"><strong class="govuk-tag govuk-tag--blue">Scheduled' in (
        refused.text
    )
