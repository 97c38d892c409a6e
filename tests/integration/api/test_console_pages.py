"""The console's pages over the real app: approving by party only, simulation, history, areas."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from broker.http.context import ApiContext
from broker.identity.principal import Role
from tests.e2e.console_changes import AGREEMENT, CURRENT, FIXED, PATH
from tests.support.api_callers import bearer, token
from tests.support.web_sessions import signed_in_as
from tests.unit.identity.keys import issuer_key

_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


async def _as_dpo(client: httpx.AsyncClient, agency: str) -> str:
    """Sign the client in as ``agency``'s DPO; the CSRF token of its pages."""
    client.cookies.clear()
    client.cookies.set("iom_console", signed_in_as(client, token(Role.DPO, agency=agency)))
    page = await client.get("/console")
    assert page.status_code == 200
    found = _FIELD.search(page.text)
    assert found is not None
    return found.group(1)


async def _proposal(client: httpx.AsyncClient) -> str:
    made = await client.post(
        "/policies/proposals",
        json={"files": {PATH: FIXED}},
        headers=bearer(Role.DPO, agency="probation-wales"),
    )
    assert made.status_code == 201
    return f"/console/proposals/{made.json()['proposal_id']}"


async def test_only_the_parties_approve_and_then_it_is_approved(client: httpx.AsyncClient) -> None:
    """A non-party's approval is a 403 page; both parties' approvals make the proposal approved."""
    page = await _proposal(client)
    police = await _as_dpo(client, "gwent-police")
    shown = await client.get(page)
    assert 'id="approve"' not in shown.text and 'id="not-a-party"' in shown.text
    refused = await client.post(f"{page}/approve", data={"csrf_token": police})
    assert refused.status_code == 403
    assert "You cannot approve this proposal" in refused.text
    assert f'href="{page}?lang=cy"' in refused.text, "the language switch stays on a GET page"
    for agency in ("probation-wales", "gdas"):
        csrf = await _as_dpo(client, agency)
        approved = await client.post(f"{page}/approve", data={"csrf_token": csrf})
        assert approved.status_code == 303
    final = await client.get(page)
    assert 'govuk-tag--green">Approved</strong></dd>' in final.text
    queue = await client.get("/console/proposals")
    assert page not in queue.text, "an approved proposal leaves the queue"


async def test_history_reads_in_welsh(client: httpx.AsyncClient) -> None:
    """History names each action in Welsh, with the agency's Welsh name."""
    page = await _proposal(client)
    csrf = await _as_dpo(client, "gdas")
    await client.post(f"{page}/approve", data={"csrf_token": csrf})
    history = (await client.get("/console/history?lang=cy")).text
    assert "Cymeradwywyd ar gyfer Gwasanaeth Cyffuriau ac Alcohol Gwent" in history
    assert "Cynigiwyd" in history


async def test_unchanged_text_is_not_proposed(client: httpx.AsyncClient) -> None:
    """Sending the agreement as it is asks for a change and makes no proposal."""
    csrf = await _as_dpo(client, "gdas")
    editor = await client.get(f"/console/agreements/{AGREEMENT}/edit")
    assert editor.status_code == 200
    sent = await client.post(
        f"/console/agreements/{AGREEMENT}/edit", data={"csrf_token": csrf, "text": CURRENT}
    )
    assert sent.status_code == 422 and "You have not changed anything" in sent.text
    assert "queue-mine" not in (await client.get("/console/proposals")).text


async def test_bad_traffic_file_is_a_problem_not_a_crash(
    client: httpx.AsyncClient, context: ApiContext, tmp_path: Path
) -> None:
    """A broken recorded-traffic file shows its file:line problem on the simulation page."""
    page = await _proposal(client)
    (tmp_path / "broken.yaml").write_text("events:\n  - type: nonsense\n", "utf-8")
    context.traffic_dir = tmp_path
    await _as_dpo(client, "gdas")
    shown = await client.get(f"{page}/simulation")
    assert shown.status_code == 200
    assert "broken.yaml:2:" in shown.text and "changed-flows" not in shown.text


async def test_unknown_things_are_page_not_found(client: httpx.AsyncClient) -> None:
    """Unknown or malformed proposal and agreement ids give the console's "Page not found"."""
    await _as_dpo(client, "gdas")
    for path in (
        "/console/proposals/00000000-0000-4000-8000-000000000000",
        "/console/proposals/not-an-id/simulation",
        "/console/agreements/nothing/edit",
        "/console/agreements/" + "x" * 500 + "/edit",
    ):
        missing = await client.get(path)
        assert missing.status_code == 404 and "Page not found" in missing.text, path
        assert "x" * 100 not in missing.text


async def test_areas_page_compares_and_ignores_unknown_areas(client: httpx.AsyncClient) -> None:
    """Two areas give their differing flows; an unknown area falls back and is not echoed."""
    await _as_dpo(client, "gdas")
    compared = await client.get("/console/areas?left=gwent&right=dyfed-powys")
    assert "dp-arrest-to-health-planning" in compared.text
    unknown = await client.get("/console/areas?left=<script>&right=gwent")
    assert unknown.status_code == 200 and "<script>&" not in unknown.text
    same = await client.get("/console/areas?left=gwent&right=gwent")
    assert "Choose two different areas." in same.text


async def test_console_pages_have_the_consoles_own_footer(client: httpx.AsyncClient) -> None:
    """A DPO's footer links to cookies and the API reference, not the supervisee's rights."""
    await _as_dpo(client, "gdas")
    page = (await client.get("/console")).text
    assert 'id="footer-console-cookies"' in page and 'href="/docs"' in page
    assert "Your rights" not in page and "Who holds your information" not in page


def _named_token(agency: str, name: str) -> str:
    """A DPO's access token that also carries the OpenID Connect ``name`` claim (as Keycloak's
    and Entra ID's do), signed by the test issuer."""
    from joserfc import jwt

    key = issuer_key()
    claims = dict(jwt.decode(token(Role.DPO, agency=agency), key).claims)
    header = {"alg": key.alg or "RS256", "kid": key.kid, "typ": "at+jwt"}
    return jwt.encode(header, claims | {"name": name}, key)


async def test_history_and_task_list_name_a_named_dpo(client: httpx.AsyncClient) -> None:
    """A DPO whose token says their name is shown as "Name (role)" on the task list and in the
    history, in English and Welsh; one without a name by their role as before."""
    page = await _proposal(client)
    client.cookies.clear()
    client.cookies.set("iom_console", signed_in_as(client, _named_token("gdas", "Rhian Evans")))
    form = await client.get(page)
    found = _FIELD.search(form.text)
    assert found is not None
    approved = await client.post(f"{page}/approve", data={"csrf_token": found.group(1)})
    assert approved.status_code == 303
    shown = (await client.get(page)).text
    assert "Rhian Evans (" in shown
    history = (await client.get("/console/history")).text
    assert "Rhian Evans (" in history
    assert (
        "Rhian Evans (Swyddog Diogelu Data" in (await client.get("/console/history?lang=cy")).text
    )
    assert "Data Protection Officer" in history  # probation's DPO, whose token had no name
