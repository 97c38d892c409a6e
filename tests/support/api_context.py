"""The API's collaborators as the tests build them: the shipped policy workspace, a readiness
probe the test controls, and a context over a given records database and log."""

from __future__ import annotations

from functools import cache

from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.http.context import ApiContext
from broker.policy.vocabulary import Vocabulary
from broker.policy_admin.activation_runner import PolicyPublisher
from broker.policy_admin.policy_directory import policy_context, read_policy_source
from broker.policy_admin.workspace import PolicyWorkspace
from broker.records.database import RecordsDatabase
from broker.records.subject_requests import SubjectAccessRequests
from broker.settings import PROJECT_ROOT, ApiSettings
from broker.transparency.log import TransparencyLog
from tests.unit.identity.keys import agencies, validator


def workspace(records: RecordsDatabase | None = None) -> PolicyWorkspace:
    """The shipped policy and scenarios, with the proposals kept in ``records`` (none: memory)."""
    return PolicyWorkspace(
        read_policy_source(PROJECT_ROOT / "policies"),
        policy_context(default_catalogue(), agencies()),
        AvroCodec(default_catalogue()),
        records,
        scenario_root=PROJECT_ROOT / "policies",
    )


@cache
def vocabulary() -> Vocabulary:
    """The shipped purpose and legal-basis vocabularies."""
    return workspace().policy_set.vocabulary


class Kafka:
    """A stand-in readiness probe whose answer the test sets."""

    def __init__(self) -> None:
        self.reachable = True

    async def __call__(self) -> bool:
        return self.reachable


def api_over(
    records_url: str,
    log: TransparencyLog,
    kafka_probe: Kafka | None = None,
    publisher: PolicyPublisher | None = None,
) -> ApiContext:
    """A freshly started API's context whose records live at ``records_url``."""
    records = RecordsDatabase(records_url)
    return ApiContext(
        settings=ApiSettings(),
        validator=validator(),
        log=log,
        catalogue=default_catalogue(),
        agencies=agencies(),
        kafka_probe=kafka_probe or Kafka(),
        policies=workspace(records),
        subject_requests=SubjectAccessRequests(records),
        policy_publisher=publisher,
    )
