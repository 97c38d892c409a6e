"""Apply the quota plan to a cluster, idempotently, over Kafka's own admin protocol.

Neither aiokafka's admin client nor confluent-kafka's has an AlterClientQuotas call;
aiokafka ships the protocol framework and a DescribeClientQuotas v0 request, so this module
adds the AlterClientQuotas v0 request (API key 49, Kafka 2.6+) in that framework and sends
both through an authenticated :class:`AIOKafkaAdminClient` (any broker forwards quota
changes to the controller). ``ensure_quotas`` sets the planned values that differ and, for
the managed principals, removes quotas the plan no longer gives, so a registry change takes
effect. Relies on aiokafka's protocol classes, pinned with aiokafka's exact version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import structlog
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.protocol.admin import DescribeClientQuotasRequest
from aiokafka.protocol.api import Request, RequestStruct, Response
from aiokafka.protocol.types import Array, Boolean, Float64, Int16, Int32, Schema, String

from broker.kafka.quotas import QuotaPlan

__all__ = ["QuotaAdminError", "QuotaReport", "describe_user_quotas", "ensure_quotas"]

log = structlog.get_logger(__name__)

_USER = "user"
_ENTITY = Array(("entity_type", String("utf-8")), ("entity_name", String("utf-8")))
_MATCH_SPECIFIED = 2  # DescribeClientQuotas: any entity that names a user


class QuotaAdminError(RuntimeError):
    """Kafka refused to describe or alter quotas; the message names the principal and reason."""


@dataclass(frozen=True)
class QuotaReport:
    """What ``ensure_quotas`` changed: principals whose quotas were set or removed."""

    altered: tuple[str, ...]
    unchanged: int


class AlterClientQuotasResponse_v0(Response):  # type: ignore[misc]
    """Per-entity results of an AlterClientQuotas request."""

    API_KEY = 49
    API_VERSION = 0
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        (
            "entries",
            Array(
                ("error_code", Int16),
                ("error_message", String("utf-8")),
                (
                    "entity",
                    Array(("entity_type", String("utf-8")), ("entity_name", String("utf-8"))),
                ),
            ),
        ),
    )


class AlterClientQuotasRequest_v0(RequestStruct):  # type: ignore[misc]
    """Set (``remove=False``) or remove quota values of entities."""

    API_KEY = 49
    API_VERSION = 0
    RESPONSE_TYPE = AlterClientQuotasResponse_v0
    SCHEMA = Schema(
        (
            "entries",
            Array(
                (
                    "entity",
                    Array(("entity_type", String("utf-8")), ("entity_name", String("utf-8"))),
                ),
                ("ops", Array(("key", String("utf-8")), ("value", Float64), ("remove", Boolean))),
            ),
        ),
        ("validate_only", Boolean),
    )


class AlterClientQuotasRequest(Request[AlterClientQuotasRequest_v0]):  # type: ignore[misc]
    """Builds the AlterClientQuotas request for the negotiated version (v0)."""

    API_KEY = 49

    def __init__(self, entries: list[Any], validate_only: bool = False) -> None:
        self._entries = entries
        self._validate_only = validate_only

    def build(
        self, request_struct_class: type[AlterClientQuotasRequest_v0]
    ) -> AlterClientQuotasRequest_v0:
        return request_struct_class(self._entries, self._validate_only)


def _admin(options: Mapping[str, Any]) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(**{**options, "client_id": "iom-broker-quotas"})


async def describe_user_quotas(options: Mapping[str, Any]) -> QuotaPlan:
    """Every quota Kafka holds for a named user (``User:<name>``), by user name."""
    admin = _admin(options)
    await admin.start()
    try:
        return await _describe(admin)
    finally:
        await admin.close()


async def ensure_quotas(
    options: Mapping[str, Any], plan: QuotaPlan, *, managed_principals: Iterable[str] = ()
) -> QuotaReport:
    """Make the quotas of the plan's and the managed principals equal ``plan``.

    ``options``: aiokafka client arguments (``kafka_client_options`` of an admin principal).
    """
    managed = set(managed_principals) | set(plan)
    admin = _admin(options)
    await admin.start()
    try:
        existing = await _describe(admin)
        entries = []
        for user in sorted(managed):
            wanted, held = plan.get(user, {}), existing.get(user, {})
            ops = [(k, v, False) for k, v in sorted(wanted.items()) if held.get(k) != v]
            ops += [(k, 0.0, True) for k in sorted(set(held) - set(wanted))]
            if ops:
                entries.append(([(_USER, user)], ops))
        if entries:
            response = await admin._send_request(AlterClientQuotasRequest(entries))
            for error_code, message, entity in response.entries:
                if error_code:
                    name = entity[0][1] if entity else "?"
                    raise QuotaAdminError(
                        f"Kafka refused the quotas of User:{name}: error {error_code} ({message})"
                    )
    finally:
        await admin.close()
    report = QuotaReport(
        tuple(user for (((_, user),), _ops) in entries), len(managed) - len(entries)
    )
    log.info("kafka.quotas_ensured", altered=len(report.altered), unchanged=report.unchanged)
    return report


async def _describe(admin: AIOKafkaAdminClient) -> QuotaPlan:
    request = DescribeClientQuotasRequest([(_USER, _MATCH_SPECIFIED, None)], False)
    response = await admin._send_request(request)
    if response.error_code:
        raise QuotaAdminError(
            f"Kafka refused to describe quotas: error {response.error_code} "
            f"({response.error_message})"
        )
    found: QuotaPlan = {}
    for entity, values in response.entries:
        if len(entity) == 1 and entity[0][0] == _USER and entity[0][1] is not None:
            found[entity[0][1]] = {name: float(value) for name, value in values}
    return found
