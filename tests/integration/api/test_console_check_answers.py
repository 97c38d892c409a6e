"""The console's check-answers pages, task list, history and agreements in words, in process."""

from __future__ import annotations

import re
from html import unescape

import httpx

from broker.identity.principal import Role
from tests.e2e.console_changes import AGREEMENT, CURRENT, FIXED, PATH
from tests.integration.api.test_console_pages import _as_dpo
from tests.support.api_callers import bearer

LONGER = CURRENT.replace("retention: P1Y", "retention: P2Y")
REASON = "GDAS asked to keep treatment outcomes for two years"
_LOCATION = re.compile(r"/console/proposals/[0-9a-f-]{36}")


def _text(html: str) -> str:
    """The page's words, tags removed and spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


async def _proposed(client: httpx.AsyncClient, text: str = FIXED, reason: str = REASON) -> str:
    made = await client.post(
        "/policies/proposals",
        json={"files": {PATH: text}, "reason": reason},
        headers=bearer(Role.DPO, agency="probation-wales"),
    )
    assert made.status_code == 201, made.text
    return f"/console/proposals/{made.json()['proposal_id']}"


async def test_a_change_without_a_reason_is_refused_and_nothing_is_proposed(
    client: httpx.AsyncClient,
) -> None:
    """The reason for change is required: the editor says so, and no proposal is made."""
    csrf = await _as_dpo(client, "gdas")
    sent = await client.post(
        f"/console/agreements/{AGREEMENT}/edit", data={"csrf_token": csrf, "text": LONGER}
    )
    assert sent.status_code == 422
    assert '<a href="#reason">Enter the reason for this change</a>' in sent.text
    assert "queue-mine" not in (await client.get("/console/proposals")).text


async def test_check_your_proposal_then_send_it(client: httpx.AsyncClient) -> None:
    """A valid change with a reason shows the change in words and who approves; nothing is
    proposed until "Send the proposal", which keeps the exact text and the reason."""
    csrf = await _as_dpo(client, "gdas")
    form = {"csrf_token": csrf, "text": LONGER, "reason": f"  {REASON} "}
    check = await client.post(f"/console/agreements/{AGREEMENT}/edit", data=form)
    assert check.status_code == 200
    words = _text(check.text)
    assert "Check your proposal before sending it" in words
    assert "Kept for 2 years (was 1 year" in words
    assert "Gwent Drug and Alcohol Service The Probation Service in Wales" in words
    assert REASON in words
    assert "queue-mine" not in (await client.get("/console/proposals")).text
    sent = await client.post(f"/console/agreements/{AGREEMENT}/propose", data=form)
    assert sent.status_code == 303
    page = _LOCATION.search(sent.headers["location"])
    assert page is not None
    shown = _text((await client.get(page.group(0))).text)
    assert f"(Gwent) - data disclosure agreement: {REASON}" in shown
    proposal = await client.get(
        f"/policies/proposals/{page.group(0).rsplit('/', 1)[1]}",
        headers=bearer(Role.DPO, agency="gdas"),
    )
    assert proposal.json()["reason"] == REASON


async def test_approving_and_activating_ask_first(client: httpx.AsyncClient) -> None:
    """Approve shows who still has to approve after you; "Activate now" says in plain words
    what happens to live sharing before anything is published."""
    page = await _proposed(client)
    await _as_dpo(client, "gdas")
    approve = _text((await client.get(f"{page}/approve")).text)
    assert "Check the change before you approve it" in approve
    assert "Still to approve after you The Probation Service in Wales" in approve
    for agency in ("probation-wales", "gdas"):
        csrf = await _as_dpo(client, agency)
        assert (await client.post(f"{page}/approve", data={"csrf_token": csrf})).status_code == 303
    confirm = await client.get(f"{page}/activate")
    words = _text(confirm.text)
    assert "Are you sure you want to start this change now?" in words
    assert "Nothing already shared is changed or taken back." in words
    assert 'action="' + page + '/activate"' in confirm.text
    shown = _text((await client.get(page)).text)
    assert "Activation asked for Waiting" in shown


async def test_the_task_list_names_each_step(client: httpx.AsyncClient) -> None:
    """Proposed (by whom, UK time), each party's approval, then scheduling and activation."""
    page = await _proposed(client)
    csrf = await _as_dpo(client, "gdas")
    await client.post(f"{page}/approve", data={"csrf_token": csrf})
    html = (await client.get(page)).text
    words = _text(html)
    assert (
        "Proposed by Probation Service Data Protection Officer (The Probation Service in Wales)"
        in words
    )
    assert "UK time" in words and "UTC" not in words
    assert re.search(r'id="task-approved-gdas" data-state="done"', html)
    assert re.search(r'id="task-approved-probation-wales" data-state="waiting"', html)
    assert re.search(r'id="task-active" data-state="cannot_start"', html)


async def test_history_names_people_and_links_the_proposal(client: httpx.AsyncClient) -> None:
    """History says who by name (the account kept for audit), in UK time, with the proposal."""
    page = await _proposed(client)
    csrf = await _as_dpo(client, "gdas")
    await client.post(f"{page}/approve", data={"csrf_token": csrf})
    html = (await client.get("/console/history")).text
    words = _text(html)
    assert "GDAS Data Protection Officer (Gwent Drug and Alcohol Service)" in words
    assert "Probation Service Data Protection Officer (The Probation Service in Wales)" in words
    assert "UK time" in words and "UTC" not in words
    assert f'href="{page}"' in html and f'href="{page}#change-heading"' in html
    assert REASON in words


async def test_agreements_read_in_welsh_from_the_file(client: httpx.AsyncClient) -> None:
    """The index, an agreement and a rule use the file's Welsh title and rule description."""
    await _as_dpo(client, "gdas")
    index = _text((await client.get("/console?lang=cy")).text)
    assert "Cynnydd triniaeth GDAS i'r Gwasanaeth Prawf (Gwent) - cytundeb datgelu data" in index
    rule = f"/console/agreements/{AGREEMENT}/rules/gdas-treatment-progress-to-probation"
    words = _text((await client.get(rule)).text)
    assert "dim ond tra bo'r person yn cytuno" in words
    assert "Cedwir am 1 flwyddyn" in words
    assert (await client.get(f"/console/agreements/{AGREEMENT}/rules/nothing")).status_code == 404


async def test_a_validation_problem_reads_in_welsh(client: httpx.AsyncClient) -> None:
    """The editor's problems come from a Welsh message catalogue, file and line kept."""
    csrf = await _as_dpo(client, "gdas")
    bad = CURRENT.replace("purpose: substance_misuse_treatment", "purpose: curiosity")
    sent = await client.post(
        f"/console/agreements/{AGREEMENT}/edit?lang=cy",
        data={"csrf_token": csrf, "text": bad, "reason": "Prawf"},
    )
    assert sent.status_code == 422
    assert "rheol 'gdas-treatment-progress-to-probation': diben anhysbys 'curiosity'" in unescape(
        sent.text
    )
