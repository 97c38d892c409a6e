"""The agencies the Kafka-backed tests plan topics for."""

from __future__ import annotations

from broker.agency_registry import load_agencies
from broker.settings import PROJECT_ROOT

#: Every agency of the shipped registry (the router subscribes to all their ingress topics).
TEST_AGENCIES = list(load_agencies(PROJECT_ROOT / "policies" / "agencies.yaml").ids)
