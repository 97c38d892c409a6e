"""Every error is problem+json without internals; callers are authenticated by bearer token."""

from __future__ import annotations

import httpx

from broker.http.context import ApiContext
from broker.identity.principal import Role
from tests.support.api_callers import bearer, token
from tests.support.api_context import Kafka

PROBLEM = "application/problem+json"


async def test_health_answers_without_a_token(client: httpx.AsyncClient) -> None:
    """/healthz is 200 for anyone."""
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_unknown_route_is_a_problem_document(client: httpx.AsyncClient) -> None:
    """A path that does not exist is a 404 problem, not an HTML or plain-text page."""
    response = await client.get("/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["status"] == 404


async def test_missing_token_is_401_with_a_challenge(client: httpx.AsyncClient) -> None:
    """A supervisee route without a token says how to authenticate."""
    response = await client.get("/me/disclosures")
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_refused_token_names_the_reason_not_the_token(client: httpx.AsyncClient) -> None:
    """A tampered token is refused with a reason code; the response never echoes the token."""
    forged = token(Role.SUPERVISEE, "subj-a")[:-4] + "AAAA"
    response = await client.get("/me/disclosures", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    assert "bad_signature" in response.json()["detail"]
    assert forged not in response.text and "subj-a" not in response.text


async def test_wrong_role_is_403(client: httpx.AsyncClient) -> None:
    """An auditor's valid token does not open a supervisee's route."""
    response = await client.get("/me/disclosures", headers=bearer(Role.AUDITOR))
    assert response.status_code == 403
    assert "supervisee" in response.json()["detail"]


async def test_bad_query_names_the_field_not_the_value(client: httpx.AsyncClient) -> None:
    """An out-of-range page size is a 422 problem naming query.page_size, without the value."""
    response = await client.get(
        "/me/disclosures", params={"page_size": 987654}, headers=bearer(Role.SUPERVISEE, "subj-a")
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["detail"].startswith("query.page_size:")
    assert "987654" not in response.text


async def test_oversized_body_is_413(client: httpx.AsyncClient) -> None:
    """A body over the configured limit is refused before any handler reads it."""
    response = await client.post(
        "/me/subject-access-requests",
        content=b"x" * 70_000,
        headers=bearer(Role.SUPERVISEE, "subj-a"),
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM


async def test_unexpected_failure_is_a_bare_500(
    client: httpx.AsyncClient, context: ApiContext
) -> None:
    """An internal error becomes a 500 problem with no exception text or traceback."""

    class Broken:
        def submit(self, subject_ref: str, addressees: object, received_on: object) -> None:
            raise RuntimeError("secret internals subj-a")

    context.subject_requests = Broken()  # type: ignore[assignment]
    response = await client.post(
        "/me/subject-access-requests", headers=bearer(Role.SUPERVISEE, "subj-a")
    )
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert "secret" not in response.text and "Traceback" not in response.text


async def test_readiness_follows_kafka(client: httpx.AsyncClient, kafka: Kafka) -> None:
    """/readyz is 200 while store and Kafka answer, and a 503 naming Kafka when it does not."""
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"store": "ok", "records": "ok", "kafka": "ok"}
    kafka.reachable = False
    down = await client.get("/readyz")
    assert down.status_code == 503
    assert down.json()["detail"] == "not ready: kafka unreachable"


async def test_readiness_follows_the_records_database(
    client: httpx.AsyncClient, context: ApiContext
) -> None:
    """/readyz is a 503 naming the records when the API's records database does not answer."""
    context.policies.records.close()
    down = await client.get("/readyz")
    assert down.status_code == 503
    assert down.json()["detail"] == "not ready: records unreachable"


async def test_openapi_document_is_published(client: httpx.AsyncClient) -> None:
    """The OpenAPI document lists the supervisee, auditor and registry routes."""
    paths = (await client.get("/openapi.json")).json()["paths"]
    for path in ("/me/disclosures", "/log/checkpoint", "/schemas/ids/{schema_id}", "/metrics"):
        assert path in paths
