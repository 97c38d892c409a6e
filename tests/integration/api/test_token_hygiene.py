"""The API refuses long-lived tokens and subject references outside the documented characters,
without repeating what was sent."""

from __future__ import annotations

import time
from urllib.parse import quote

import httpx
import pytest

from broker.identity.principal import Role
from tests.identity_attacks import claims_for, sign
from tests.support.api_callers import bearer
from tests.unit.identity.keys import AUDIENCE, ISSUER, issuer_key

PROBLEM = "application/problem+json"
HOSTILE_REFS = {"newline": "subj-a\nsubj-b", "right-to-left override": "subj-\u202eb-jbus"}


def _supervisee_token(subject_ref: str, lifetime_s: int = 300) -> str:
    now = int(time.time())
    claims = claims_for(
        ISSUER,
        AUDIENCE,
        "person-a",
        iom_role="supervisee",
        iom_subject_ref=subject_ref,
        iat=now,
        nbf=now,
        exp=now + lifetime_s,
    )
    return sign(claims, issuer_key())


async def test_a_hundred_year_token_is_refused(client: httpx.AsyncClient) -> None:
    """A supervisee token that is validly signed but expires in 100 years gets 401 naming
    lifetime_too_long; the same person's one-hour token is served."""
    century = _supervisee_token("subj-a", lifetime_s=100 * 365 * 24 * 3600)
    hour = _supervisee_token("subj-a", lifetime_s=3600)

    refused = await client.get("/me/disclosures", headers={"Authorization": f"Bearer {century}"})
    served = await client.get("/me/disclosures", headers={"Authorization": f"Bearer {hour}"})

    assert refused.status_code == 401
    assert refused.headers["content-type"] == PROBLEM
    assert "lifetime_too_long" in refused.json()["detail"]
    assert century not in refused.text and "subj-a" not in refused.text
    assert served.status_code == 200


@pytest.mark.parametrize("name", sorted(HOSTILE_REFS))
async def test_a_token_naming_a_hostile_subject_reference_is_refused(
    client: httpx.AsyncClient, name: str
) -> None:
    """A supervisee token whose subject reference holds a newline or a right-to-left override
    gets 401 invalid_subject_ref, and the reference is not in the answer."""
    ref = HOSTILE_REFS[name]
    token = _supervisee_token(ref)

    response = await client.get("/me/disclosures", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert "invalid_subject_ref" in response.json()["detail"]
    assert "subj-" not in response.text and "\\u202e" not in response.text.lower()


@pytest.mark.parametrize("name", sorted(HOSTILE_REFS))
async def test_a_path_naming_a_hostile_subject_reference_is_refused(
    client: httpx.AsyncClient, name: str
) -> None:
    """/subjects/{ref}/disclosures with a newline or right-to-left override in the reference is
    a 422 problem naming path.subject_ref, without the reference."""
    ref = HOSTILE_REFS[name]

    response = await client.get(
        f"/subjects/{quote(ref, safe='')}/disclosures", headers=bearer(Role.SUPERVISEE, "subj-a")
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["detail"].startswith("path.subject_ref:")
    assert "subj-b" not in response.text and "b-jbus" not in response.text


async def test_a_well_formed_path_reference_still_reaches_the_ownership_check(
    client: httpx.AsyncClient,
) -> None:
    """A reference in the character set passes the syntax check: one's own is served, another
    person's is 403 (so the check refuses only the malformed)."""
    own = await client.get(
        "/subjects/subj-a/disclosures", headers=bearer(Role.SUPERVISEE, "subj-a")
    )
    other = await client.get(
        "/subjects/subj-b/disclosures", headers=bearer(Role.SUPERVISEE, "subj-a")
    )

    assert own.status_code == 200
    assert other.status_code == 403
