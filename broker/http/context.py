"""Everything a request handler needs, built once per process (see ``wiring``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request

from broker.catalogue.catalogue import SchemaCatalogue
from broker.domain.agency import AgencyDirectory
from broker.http.rate_limit import TokenBucketLimiter
from broker.http.witness_names import NamedWitness
from broker.identity.sign_in_flow import RelyingParty
from broker.identity.token_validator import TokenValidator
from broker.kafka.consumer_lag import LagProbe
from broker.package_data import policy_dir
from broker.policy.vocabulary import Vocabulary
from broker.policy_admin.activation_runner import ActivationRunner, PolicyPublisher
from broker.policy_admin.service import PolicyAdministration
from broker.policy_admin.workspace import PolicyWorkspace
from broker.records.subject_requests import SubjectAccessRequests
from broker.records.web_sessions import WebSessionStore
from broker.router.dead_letter_notices import DeadLetterNotice
from broker.settings import ApiSettings
from broker.statistics.oversight import OversightStatistics
from broker.transparency.log import TransparencyLog

__all__ = ["ApiContext", "DeadLetterSource", "KafkaProbe", "api_context"]

KafkaProbe = Callable[[], Awaitable[bool]]
"""Answers whether Kafka is reachable (a describe-cluster with a short timeout)."""

DeadLetterSource = Callable[[str, int], Awaitable[list[DeadLetterNotice]]]
"""The newest dead letters of an agency (agency id, how many), newest first."""


@dataclass
class ApiContext:
    """The API's collaborators: settings, token validator, log, catalogue, vocabularies."""

    settings: ApiSettings
    validator: TokenValidator
    log: TransparencyLog
    catalogue: SchemaCatalogue
    agencies: AgencyDirectory
    kafka_probe: KafkaProbe
    policies: PolicyWorkspace
    subject_requests: SubjectAccessRequests = field(default_factory=SubjectAccessRequests)
    limiter: TokenBucketLimiter | None = None
    router_lag: LagProbe | None = None
    """Measures the router group's consumer lag for ``/metrics`` (none: not reported)."""
    policy_publisher: PolicyPublisher | None = None
    """Publishes policy activations to Kafka; without it, activations wait unpublished."""
    activator: ActivationRunner | None = None
    dead_letters: DeadLetterSource | None = None
    """Reads an agency's ``dlq.<agency>`` headers for its DPO (none: not available)."""
    sign_in: RelyingParty | None = None
    """The front ends' OpenID Connect client; without it the sign-in pages say so."""
    web_sessions: WebSessionStore = field(default_factory=WebSessionStore)
    """The portal's and console's signed-in sessions (default: in memory, for tests)."""
    traffic_dir: Path = field(default_factory=lambda: policy_dir() / "traffic")
    """Recorded traffic files (``events:`` YAML) the console's simulation replays."""
    statistics: OversightStatistics | None = None
    """The published oversight statistics (none: the pages and routes say unavailable)."""
    witnesses: tuple[NamedWitness, ...] = ()
    """The log's witnesses by name: receipts say which of them cosigned their checkpoint."""
    policy_admin: PolicyAdministration = field(init=False)
    """The DPO workflow over ``policies``, audited into the log's store (API and console)."""

    @property
    def vocabulary(self) -> Vocabulary:
        """The current policy's vocabularies (purposes, legal bases, areas)."""
        return self.policies.policy_set.vocabulary

    def __post_init__(self) -> None:
        if self.limiter is None:
            self.limiter = TokenBucketLimiter(
                self.settings.supervisee_rate_per_s, self.settings.supervisee_burst
            )
        self.policy_admin = PolicyAdministration(self.policies, self.log.store, self.log.clock)
        if self.activator is None and self.policy_publisher is not None:
            self.activator = ActivationRunner(
                self.policy_admin, self.policy_publisher, self.log.clock
            )


def api_context(request: Request) -> ApiContext:
    """The context of the app serving ``request`` (a FastAPI dependency)."""
    context = request.app.state.context
    assert isinstance(context, ApiContext)
    return context
