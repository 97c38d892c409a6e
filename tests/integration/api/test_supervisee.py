"""A supervisee sees only their own disclosures, in English or Welsh, each with a receipt."""

from __future__ import annotations

import base64
import json
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from broker.http.context import ApiContext
from broker.http.rate_limit import TokenBucketLimiter
from broker.identity.principal import Role
from broker.transparency.log import TransparencyLog
from broker.transparency.restrictions import restrict_entry
from broker.transparency.verifier import verify_entry_proof
from tests.support.api_callers import bearer
from tests.support.log_records import SIGNER, START, disclosure

ME = bearer(Role.SUPERVISEE, "subj-a")


def _ids(page: dict[str, Any]) -> list[str]:
    return [item["disclosure_id"] for item in page["items"]]


@pytest.fixture
def shared(transparency_log: TransparencyLog) -> list[dict[str, Any]]:
    """Six disclosures about subj-a (one a refusal), three about subj-b, a day apart."""
    records = [
        disclosure(
            i,
            "subj-b" if i % 3 == 2 else "subj-a",
            decided_at=START + timedelta(days=i),
            recipient_agency="probation-wales" if i % 2 else "newport-housing",
        )
        for i in range(9)
    ]
    records[0].update(permitted=False, reason="no_rule", fields_shared=[])
    transparency_log.append_disclosures(records)
    return records


async def test_newest_first_with_sentences_and_receipts(
    client: httpx.AsyncClient, shared: list[dict[str, Any]]
) -> None:
    """My disclosures come newest first, refusals and others' left out, each receipt verifies."""
    response = await client.get("/me/disclosures", headers=ME)
    assert response.status_code == 200
    page = response.json()
    expected = [r["disclosure_id"] for r in reversed(shared[1:]) if r["subject_ref"] == "subj-a"]
    assert _ids(page) == expected
    first = page["items"][0]
    assert first["sentence"].startswith("On 13 January 2025 Gwent Police told")
    assert "that you were arrested" in first["sentence"]
    for item in page["items"]:
        receipt = item["receipt"]
        verify_entry_proof(receipt["proof"], base64.b64decode(receipt["entry"]), SIGNER.verifier)
    assert "subj-b" not in response.text


async def test_welsh_by_parameter_or_header(
    client: httpx.AsyncClient, shared: list[dict[str, Any]]
) -> None:
    """?lang=cy or Accept-Language: cy gives Welsh sentences and names."""
    by_param = (await client.get("/me/disclosures", params={"lang": "cy"}, headers=ME)).json()
    by_header = await client.get("/me/disclosures", headers={**ME, "Accept-Language": "cy-GB"})
    assert by_header.headers["content-language"] == "cy"
    assert by_param["items"][0]["sentence"] == by_header.json()["items"][0]["sentence"]
    assert by_param["items"][0]["sentence"].startswith("Ar 13 Ionawr 2025 dywedodd Heddlu Gwent")


async def test_paging_and_filters(client: httpx.AsyncClient, shared: list[dict[str, Any]]) -> None:
    """Pages of two cover everything once; agency and date filters narrow the list."""
    seen: list[str] = []
    params: dict[str, Any] = {"page_size": 2}
    while True:
        page = (await client.get("/me/disclosures", params=params, headers=ME)).json()
        seen += _ids(page)
        if page["next_page"] is None:
            break
        params["page"] = page["next_page"]
    assert seen == _ids((await client.get("/me/disclosures", headers=ME)).json())
    housing = await client.get("/me/disclosures", params={"agency": "newport-housing"}, headers=ME)
    assert {i["recipient_agency"]["id"] for i in housing.json()["items"]} == {"newport-housing"}
    window = {"since": str(date(2025, 1, 8)), "until": str(date(2025, 1, 11))}
    dated = (await client.get("/me/disclosures", params=window, headers=ME)).json()
    assert _ids(dated) == [shared[i]["disclosure_id"] for i in (4, 3)]


async def test_restricted_entries_are_omitted(
    client: httpx.AsyncClient, shared: list[dict[str, Any]], transparency_log: TransparencyLog
) -> None:
    """An entry under an s.45(4) restriction is neither listed nor given a receipt."""
    hidden = shared[4]["disclosure_id"]
    restrict_entry(
        transparency_log.store, hidden, "live investigation", "dpo", date(2025, 6, 1), START
    )
    page = await client.get("/me/disclosures", headers=ME)
    assert hidden not in _ids(page.json()) and "live investigation" not in page.text
    receipt = await client.get(f"/me/disclosures/{hidden}/receipt", headers=ME)
    assert receipt.status_code == 404


async def test_receipt_of_my_disclosure(
    client: httpx.AsyncClient, shared: list[dict[str, Any]]
) -> None:
    """One disclosure's receipt verifies offline against the signed checkpoint."""
    response = await client.get(f"/me/disclosures/{shared[1]['disclosure_id']}/receipt", headers=ME)
    assert response.status_code == 200
    receipt = response.json()["receipt"]
    verify_entry_proof(receipt["proof"], base64.b64decode(receipt["entry"]), SIGNER.verifier)


async def test_another_subject_is_unreachable_by_every_route(
    client: httpx.AsyncClient, shared: list[dict[str, Any]], transparency_log: TransparencyLog
) -> None:
    """Asking for someone else's list or receipt fails, and the list attempt is audited."""
    other = shared[2]["disclosure_id"]
    listed = await client.get("/subjects/subj-b/disclosures", headers=ME)
    assert listed.status_code == 403
    assert (await client.get(f"/me/disclosures/{other}/receipt", headers=ME)).status_code == 404
    own = await client.get("/subjects/subj-a/disclosures", headers=ME)
    assert own.status_code == 200 and other not in own.text
    refusals = [
        e
        for e in transparency_log.store.audit_events()
        if json.loads(e.detail).get("refused") is True
    ]
    assert [(e.actor, e.target) for e in refusals] == [
        ("supervisee:supervisee-subj-a", transparency_log.subject_index("subj-b"))
    ]


async def test_supervisee_endpoints_are_rate_limited(
    client: httpx.AsyncClient, context: ApiContext
) -> None:
    """After the burst is spent the caller gets 429 with Retry-After; others are unaffected."""
    context.limiter = TokenBucketLimiter(rate=0.01, burst=3)
    statuses = [(await client.get("/me/disclosures", headers=ME)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = await client.get("/me/disclosures", headers=ME)
    assert limited.headers["retry-after"].isdigit()
    other = bearer(Role.SUPERVISEE, "subj-b")
    assert (await client.get("/me/disclosures", headers=other)).status_code == 200


async def test_subject_access_request_and_deadline(client: httpx.AsyncClient) -> None:
    """A request is received today (the test clock), due in a month, extendable to three."""
    created = await client.post(
        "/me/subject-access-requests", json={"addressee": "gwent-police"}, headers=ME
    )
    assert created.status_code == 201
    (body,) = created.json()
    assert body["addressee"] == "gwent-police"
    assert (body["status"], body["received_on"], body["due_on"]) == (
        "received",
        "2025-01-06",
        "2025-02-06",
    )
    assert body["latest_possible_due_on"] == "2025-04-06"
    status = await client.get(created.headers["location"], headers=ME)
    assert status.json() == body
    other = bearer(Role.SUPERVISEE, "subj-b")
    assert (await client.get(created.headers["location"], headers=other)).status_code == 404
    assert (await client.get("/me/subject-access-requests", headers=other)).json() == []
