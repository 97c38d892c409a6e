"""Fuzz every operation of the OpenAPI document with schemathesis.

No 5xx, no stack trace, and nothing about another subject in any response, whatever is sent.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.strategies import SearchStrategy

from broker.http.context import ApiContext
from broker.http.rate_limit import TokenBucketLimiter
from broker.identity.principal import Role
from broker.server.app import create_app
from broker.transparency.log import TransparencyLog
from tests.support.api_callers import bearer
from tests.support.log_records import disclosure

OTHERS = [disclosure(100 + i, "subj-b") for i in range(3)]
SUPERVISEE = bearer(Role.SUPERVISEE, "subj-a")
DPO = bearer(Role.DPO, agency="probation-wales")


@pytest.fixture
def api_schema(context: ApiContext, transparency_log: TransparencyLog) -> Any:
    """The app's OpenAPI document over a log holding entries of two subjects."""
    transparency_log.append_disclosures([disclosure(i) for i in range(3)] + OTHERS)
    transparency_log.publish_checkpoint()
    context.limiter = TokenBucketLimiter(rate=1000.0, burst=100_000)
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(context))


def _check(case: Any, statuses: list[int]) -> None:
    headers = DPO if case.path.startswith(("/policies", "/subject-access-requests")) else SUPERVISEE
    response = case.call(headers=headers)
    assert response.status_code < 500, f"{case.method} {case.path}: {response.status_code}"
    statuses.append(response.status_code)
    text = response.text
    assert "Traceback" not in text and 'File "' not in text
    assert "subj-b" not in text
    for record in OTHERS:
        assert record["disclosure_id"] not in text


def test_no_server_errors_traces_or_other_subjects(api_schema: Any) -> None:
    """Any generated request gets a non-5xx answer with no traceback and no other subject."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15
    statuses: list[int] = []
    for operation in operations:
        strategy: SearchStrategy[Any] = operation.as_strategy()

        def run(case: Any) -> None:
            _check(case, statuses)

        fuzz = settings(
            max_examples=15,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )(given(strategy)(run))
        fuzz()
    assert len(statuses) > 3 * len(operations) and 200 in statuses and 422 in statuses
