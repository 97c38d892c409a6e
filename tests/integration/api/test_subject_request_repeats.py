"""The JSON API recognises a repeated subject access request as the portal does: the same
Idempotency-Key, or the same organisations asked again the same day, makes nothing new."""

from __future__ import annotations

import httpx

from broker.identity.principal import Role
from broker.transparency.log import TransparencyLog
from tests.integration.api.api_client import api_client
from tests.support.api_callers import bearer
from tests.support.api_context import api_over

ME = bearer(Role.SUPERVISEE, "subj-a")
MINE = "/me/subject-access-requests"
KEY = "form-key-0123456789abcdef"


async def _ask(
    http: httpx.AsyncClient, addressee: str, key: str | None = None
) -> tuple[int, list[str]]:
    headers = {**ME, **({"Idempotency-Key": key} if key else {})}
    answer = await http.post(MINE, json={"addressee": addressee}, headers=headers)
    return answer.status_code, [r["reference"] for r in answer.json()]


async def test_the_same_request_the_same_day_answers_the_first(
    records_url: str, transparency_log: TransparencyLog
) -> None:
    """Asking GDAS twice, then with a new key, makes one request (201, then 200 with its
    reference); once it is answered, asking again makes a new one."""
    async with api_client(api_over(records_url, transparency_log)) as http:
        status, first = await _ask(http, "gdas")
        assert (status, len(first)) == (201, 1)
        assert await _ask(http, "gdas") == (200, first)
        assert await _ask(http, "gdas", KEY) == (200, first)
        assert len((await http.get(MINE, headers=ME)).json()) == 1
        (made,) = (await http.get(MINE, headers=ME)).json()
        dpo = bearer(Role.DPO, agency="gdas")
        completion = f"/subject-access-requests/{made['request_id']}/completion"
        assert (await http.post(completion, headers=dpo)).is_success
        status, second = await _ask(http, "gdas")
        assert status == 201 and second != first


async def test_an_idempotency_key_sent_again_returns_what_it_made(
    records_url: str, transparency_log: TransparencyLog
) -> None:
    """A key that made a request to probation returns that request again, even if the body
    now names another organisation; a malformed key is refused."""
    async with api_client(api_over(records_url, transparency_log)) as http:
        status, made = await _ask(http, "probation-wales", KEY)
        assert status == 201
        assert await _ask(http, "probation-wales", KEY) == (200, made)
        assert await _ask(http, "all", KEY) == (200, made)
        assert len((await http.get(MINE, headers=ME)).json()) == 1
        refused = await http.post(MINE, json=None, headers={**ME, "Idempotency-Key": "a b"})
        assert refused.status_code == 422
