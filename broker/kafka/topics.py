"""Topic names and the topic plan of the broker: pure, no I/O.

Per agency: ``ingress.<agency>`` (adapters publish), ``deliver.<agency>`` (the router delivers
what that agency may receive) and ``dlq.<agency>`` (rejected input, with a reason). Shared:
``disclosures`` (one record per disclosure or refusal, for the transparency log) and
``subjects`` (compacted cohort-membership table the router resolves subjects against) and
``policies`` (compacted: the active sharing-policy version every router follows).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = [
    "DISCLOSURES_TOPIC",
    "POLICIES_TOPIC",
    "SUBJECTS_TOPIC",
    "TopicSpec",
    "agency_of_ingress_topic",
    "deliver_topic",
    "dlq_topic",
    "ingress_topic",
    "topic_plan",
    "validate_agency",
]

DISCLOSURES_TOPIC = "disclosures"
SUBJECTS_TOPIC = "subjects"
POLICIES_TOPIC = "policies"

INGRESS_PREFIX = "ingress."
DELIVER_PREFIX = "deliver."
DLQ_PREFIX = "dlq."

INGRESS_PARTITIONS = 6
"""Six, so one, two, three or six routers each own an equal share (with three, two routers
split them two to one and the busier one bounds the pair at 1.5 times one router)."""
DELIVER_PARTITIONS = 1
DLQ_PARTITIONS = 1
DISCLOSURES_PARTITIONS = 3
SUBJECTS_PARTITIONS = 1
POLICIES_PARTITIONS = 1

_AGENCY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")


@dataclass(frozen=True)
class TopicSpec:
    """A topic the broker needs: name, partition count, replication factor, topic configs."""

    name: str
    partitions: int
    replication_factor: int
    config: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        if self.partitions < 1:
            raise ValueError(f"topic {self.name!r} partitions {self.partitions} must be >= 1")
        if self.replication_factor < 1:
            raise ValueError(
                f"topic {self.name!r} replication factor {self.replication_factor} must be >= 1"
            )
        object.__setattr__(self, "config", MappingProxyType(dict(self.config)))


def validate_agency(agency: str) -> str:
    """Return ``agency`` if it is a valid agency id (lower-case slug), else raise ValueError."""
    if not _AGENCY.match(agency):
        raise ValueError(
            f"agency id {agency!r} must be a lower-case slug of letters, digits, '-' or '_'"
        )
    return agency


def ingress_topic(agency: str) -> str:
    """Return the topic an agency's adapter publishes to."""
    return INGRESS_PREFIX + validate_agency(agency)


def deliver_topic(agency: str) -> str:
    """Return the topic an agency's adapter receives permitted records from."""
    return DELIVER_PREFIX + validate_agency(agency)


def dlq_topic(agency: str) -> str:
    """Return the topic where the router puts an agency's rejected records."""
    return DLQ_PREFIX + validate_agency(agency)


def agency_of_ingress_topic(topic: str) -> str:
    """Return the agency that owns ingress ``topic``, or raise ValueError naming the topic."""
    agency = topic.removeprefix(INGRESS_PREFIX)
    if agency == topic or not _AGENCY.match(agency):
        raise ValueError(f"topic {topic!r} is not an ingress topic 'ingress.<agency>'")
    return agency


def topic_plan(
    agencies: Sequence[str],
    replication_factor: int = 1,
    min_insync_replicas: int | None = None,
) -> list[TopicSpec]:
    """Return every topic the broker needs for ``agencies``, in a stable order.

    By default, with 3 or more replicas, topics require 2 in-sync replicas for a write to
    succeed (producers use ``acks=all``); ``min_insync_replicas`` sets another number.
    """
    if isinstance(agencies, str):
        raise TypeError(f"agencies must be a sequence of ids, not the string {agencies!r}")
    if replication_factor < 1:
        raise ValueError(f"replication_factor {replication_factor} must be at least 1")
    seen: set[str] = set()
    for agency in agencies:
        validate_agency(agency)
        if agency in seen:
            raise ValueError(f"agency id {agency!r} is listed twice")
        seen.add(agency)
    if min_insync_replicas is not None and not 1 <= min_insync_replicas <= replication_factor:
        raise ValueError(
            f"min_insync_replicas {min_insync_replicas} must be between 1 and the "
            f"replication factor {replication_factor}"
        )
    durable: dict[str, str] = {}
    if min_insync_replicas is not None:
        durable["min.insync.replicas"] = str(min_insync_replicas)
    elif replication_factor >= 3:
        durable["min.insync.replicas"] = "2"

    def spec(name: str, partitions: int, **config: str) -> TopicSpec:
        return TopicSpec(name, partitions, replication_factor, {**durable, **config})

    plan: list[TopicSpec] = []
    for agency in agencies:
        plan.append(spec(ingress_topic(agency), INGRESS_PARTITIONS))
        plan.append(spec(deliver_topic(agency), DELIVER_PARTITIONS))
        plan.append(spec(dlq_topic(agency), DLQ_PARTITIONS))
    plan.append(spec(DISCLOSURES_TOPIC, DISCLOSURES_PARTITIONS))
    plan.append(spec(SUBJECTS_TOPIC, SUBJECTS_PARTITIONS, **{"cleanup.policy": "compact"}))
    plan.append(spec(POLICIES_TOPIC, POLICIES_PARTITIONS, **{"cleanup.policy": "compact"}))
    return plan
