"""The Kafka client quotas of each agency principal, from the registry and settings: pure.

Every agency system (``User:<principal>``) gets the deployment's default quotas
(``security.agency_quotas``), overridden per agency by a ``quotas:`` mapping in the agency
registry (a ``null`` value removes that quota for the agency). Kafka throttles a principal
over its quota by delaying its responses, so one agency flooding its ingress topic cannot
take the broker's bandwidth or request threads from the others. The broker's own principals
have no quota.
"""

from __future__ import annotations

from collections.abc import Mapping

from broker.domain.agency import QUOTA_KEYS, AgencyDirectory

__all__ = ["QUOTA_KEYS", "QuotaPlan", "quota_plan"]

QuotaPlan = dict[str, dict[str, float]]
"""Principal name (without ``User:``) -> quota key -> value."""


def quota_plan(agencies: AgencyDirectory, defaults: Mapping[str, float | None]) -> QuotaPlan:
    """The quotas each agency principal should have; keys with no value are left out."""
    unknown = sorted(set(defaults) - QUOTA_KEYS)
    if unknown:
        raise ValueError(f"unknown quota keys {unknown}; known: {sorted(QUOTA_KEYS)}")
    plan: QuotaPlan = {}
    for agency in agencies:
        merged = {**defaults, **dict(agency.quotas)}
        plan[agency.principal] = {k: float(v) for k, v in sorted(merged.items()) if v is not None}
    return plan
