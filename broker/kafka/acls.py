"""The Kafka ACLs the broker needs, derived from the agency registry: pure, no I/O.

Agency system ``A`` (principal ``User:<A's principal>``) may:

- write ``ingress.A`` (and nothing else);
- read ``deliver.A``, ``dlq.A`` and its own ``ingress.A`` (and nothing else): the outbox relay
  reads back a batch whose commit went unanswered, to learn whether Kafka committed it;
- use consumer groups and transactional ids starting with ``A.`` (e.g. ``A.adapter``).

The router reads every ``ingress.*``, writes ``deliver.*``, ``dlq.*``, ``disclosures`` and
``subjects``, reads ``subjects`` and ``policies`` (the active policy version; written
only by admin tooling), and uses its own group and transactional-id prefixes. The
log writer reads ``disclosures``; the statistics service reads ``subjects``, ``disclosures``
and every ``dlq.*`` (partitions assigned, no group) and writes nothing. Admin tooling and
the Kafka node are super users (see :mod:`broker.devtools.kafka.server_security`).
Everything else is denied by ``StandardAuthorizer``.
READ and WRITE imply DESCRIBE in Kafka, so DESCRIBE is not granted separately.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from broker.domain.agency import AgencyDirectory
from broker.kafka.topics import (
    DELIVER_PREFIX,
    DISCLOSURES_TOPIC,
    DLQ_PREFIX,
    INGRESS_PREFIX,
    POLICIES_TOPIC,
    SUBJECTS_TOPIC,
    deliver_topic,
    dlq_topic,
    ingress_topic,
)

__all__ = ["AclEntry", "BrokerPrincipals", "acl_plan", "agency_group_prefix"]

ResourceType = Literal["TOPIC", "GROUP", "TRANSACTIONAL_ID"]
PatternType = Literal["LITERAL", "PREFIXED"]
Operation = Literal["READ", "WRITE"]


@dataclass(frozen=True, order=True)
class AclEntry:
    """One ALLOW rule: ``principal`` may ``operation`` on a resource, from any host."""

    principal: str
    resource_type: ResourceType
    resource_name: str
    pattern_type: PatternType
    operation: Operation

    def __str__(self) -> str:
        return (
            f"{self.principal} {self.operation} {self.resource_type} "
            f"{self.pattern_type.lower()} {self.resource_name!r}"
        )


@dataclass(frozen=True)
class BrokerPrincipals:
    """The broker's own principal names and the group/transactional-id prefixes they use."""

    router: str = "iom-router"
    log_writer: str = "iom-log-writer"
    statistics: str = "iom-statistics"
    router_group_prefix: str = "iom-router"
    router_transactional_id_prefix: str = "iom-router"
    log_writer_group_prefix: str = "iom-log-writer"


def agency_group_prefix(agency_id: str) -> str:
    """Prefix an agency's consumer groups and transactional ids must start with."""
    return f"{agency_id}."


def acl_plan(agencies: AgencyDirectory, broker: BrokerPrincipals | None = None) -> list[AclEntry]:
    """Every ACL the registry implies, sorted and without duplicates."""
    broker = broker or BrokerPrincipals()
    entries: set[AclEntry] = set()
    for agency in agencies:
        user = f"User:{agency.principal}"
        prefix = agency_group_prefix(agency.agency_id)
        entries.update(
            [
                AclEntry(user, "TOPIC", ingress_topic(agency.agency_id), "LITERAL", "WRITE"),
                AclEntry(user, "TOPIC", ingress_topic(agency.agency_id), "LITERAL", "READ"),
                AclEntry(user, "TOPIC", deliver_topic(agency.agency_id), "LITERAL", "READ"),
                AclEntry(user, "TOPIC", dlq_topic(agency.agency_id), "LITERAL", "READ"),
                AclEntry(user, "GROUP", prefix, "PREFIXED", "READ"),
                AclEntry(user, "TRANSACTIONAL_ID", prefix, "PREFIXED", "WRITE"),
            ]
        )
    entries.update(_router(broker))
    entries.update(_log_writer(broker))
    entries.update(_statistics(broker))
    return sorted(entries)


def _router(broker: BrokerPrincipals) -> Iterable[AclEntry]:
    user = f"User:{broker.router}"
    return [
        AclEntry(user, "TOPIC", INGRESS_PREFIX, "PREFIXED", "READ"),
        AclEntry(user, "TOPIC", DELIVER_PREFIX, "PREFIXED", "WRITE"),
        AclEntry(user, "TOPIC", DLQ_PREFIX, "PREFIXED", "WRITE"),
        AclEntry(user, "TOPIC", DISCLOSURES_TOPIC, "LITERAL", "WRITE"),
        AclEntry(user, "TOPIC", SUBJECTS_TOPIC, "LITERAL", "WRITE"),
        AclEntry(user, "TOPIC", SUBJECTS_TOPIC, "LITERAL", "READ"),
        AclEntry(user, "TOPIC", POLICIES_TOPIC, "LITERAL", "READ"),
        AclEntry(user, "GROUP", broker.router_group_prefix, "PREFIXED", "READ"),
        AclEntry(
            user, "TRANSACTIONAL_ID", broker.router_transactional_id_prefix, "PREFIXED", "WRITE"
        ),
    ]


def _log_writer(broker: BrokerPrincipals) -> Iterable[AclEntry]:
    user = f"User:{broker.log_writer}"
    return [
        AclEntry(user, "TOPIC", DISCLOSURES_TOPIC, "LITERAL", "READ"),
        AclEntry(user, "GROUP", broker.log_writer_group_prefix, "PREFIXED", "READ"),
    ]


def _statistics(broker: BrokerPrincipals) -> Iterable[AclEntry]:
    user = f"User:{broker.statistics}"
    return [
        AclEntry(user, "TOPIC", SUBJECTS_TOPIC, "LITERAL", "READ"),
        AclEntry(user, "TOPIC", DISCLOSURES_TOPIC, "LITERAL", "READ"),
        AclEntry(user, "TOPIC", DLQ_PREFIX, "PREFIXED", "READ"),
    ]
