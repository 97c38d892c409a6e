"""Apply the ACL plan to a cluster, idempotently, with confluent-kafka's AdminClient.

aiokafka's admin client has no ACL calls; librdkafka's does. ``ensure_acls`` creates the
planned ACLs that are missing and (with ``prune``) deletes ACLs of the managed principals
that the plan no longer grants, so removing an agency or a permission from the registry
takes effect. ACL changes reach the authorizer asynchronously: callers that test them retry.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog
from confluent_kafka import KafkaException
from confluent_kafka.admin import (  # type: ignore[attr-defined]  # re-exported names
    AclBinding,
    AclBindingFilter,
    AclOperation,
    AclPermissionType,
    AdminClient,
    ResourcePatternType,
    ResourceType,
)

from broker.identity.token_client import TokenClient
from broker.kafka.acls import AclEntry

__all__ = ["AclAdminError", "AclReport", "confluent_admin_config", "ensure_acls"]

_TIMEOUT_S = 30.0
_OURS = {"TOPIC", "GROUP", "TRANSACTIONAL_ID"}

log = structlog.get_logger(__name__)


class AclAdminError(RuntimeError):
    """Kafka refused to list, create or delete ACLs; the message names the ACL and reason."""


@dataclass(frozen=True)
class AclReport:
    """What ``ensure_acls`` changed."""

    created: tuple[AclEntry, ...]
    deleted: tuple[AclEntry, ...]
    unchanged: int


def confluent_admin_config(
    bootstrap_servers: str,
    *,
    security_protocol: str = "PLAINTEXT",
    ca_file: Path | None = None,
    token_client: TokenClient | None = None,
) -> dict[str, Any]:
    """librdkafka settings; with a ``token_client``, OAUTHBEARER using its tokens."""
    config: dict[str, Any] = {
        "bootstrap.servers": bootstrap_servers,
        "security.protocol": security_protocol,
        "client.id": "iom-broker-acls",
    }
    if ca_file is not None:
        config["ssl.ca.location"] = str(ca_file)
    if token_client is not None:
        config["sasl.mechanisms"] = "OAUTHBEARER"

        def oauth_cb(_config: str) -> tuple[str, float]:
            token = token_client.fetch_sync()
            return token.value, token.expires_at

        config["oauth_cb"] = oauth_cb
    return config


async def ensure_acls(
    config: dict[str, Any],
    plan: Sequence[AclEntry],
    *,
    managed_principals: Iterable[str] = (),
    prune: bool = True,
) -> AclReport:
    """Make the cluster's ACLs for ``managed_principals`` equal ``plan`` (create, then prune)."""
    return await asyncio.to_thread(_ensure, config, list(plan), set(managed_principals), prune)


def _ensure(
    config: dict[str, Any], plan: list[AclEntry], managed: set[str], prune: bool
) -> AclReport:
    admin = AdminClient(config)
    admin.poll(0)  # serves oauth_cb so the first request carries a token
    existing = _existing(admin)
    wanted = set(plan)
    missing = sorted(wanted - existing)
    stale = sorted(e for e in existing - wanted if e.principal in managed) if prune else []
    if missing:
        futures = admin.create_acls([_binding(e) for e in missing], request_timeout=_TIMEOUT_S)
        for binding, future in futures.items():
            _wait(future, f"creating ACL {binding}")
    if stale:
        filters = [_binding(e, AclBindingFilter) for e in stale]
        deleting = admin.delete_acls(filters, request_timeout=_TIMEOUT_S)
        for binding, future in deleting.items():
            _wait(future, f"deleting ACL {binding}")
    report = AclReport(tuple(missing), tuple(stale), len(wanted) - len(missing))
    log.info(
        "kafka.acls_ensured",
        created=len(report.created),
        deleted=len(report.deleted),
        unchanged=report.unchanged,
    )
    return report


def _existing(admin: AdminClient) -> set[AclEntry]:
    anything: Any = None  # librdkafka's "match any" for names, principals and hosts
    everything = AclBindingFilter(
        ResourceType.ANY,
        anything,
        ResourcePatternType.ANY,
        anything,
        anything,
        AclOperation.ANY,
        AclPermissionType.ANY,
    )
    bindings = _wait(admin.describe_acls(everything, request_timeout=_TIMEOUT_S), "listing ACLs")
    found: set[AclEntry] = set()
    for b in bindings:
        if (
            b.permission_type == AclPermissionType.ALLOW
            and b.host == "*"
            and b.restype.name in _OURS
            and b.resource_pattern_type.name in ("LITERAL", "PREFIXED")
            and b.operation.name in ("READ", "WRITE")
        ):
            found.add(
                AclEntry(
                    b.principal,
                    b.restype.name,
                    b.name,
                    b.resource_pattern_type.name,
                    b.operation.name,
                )
            )
    return found


def _binding(entry: AclEntry, kind: type[AclBinding] = AclBinding) -> Any:
    return kind(
        ResourceType[entry.resource_type],
        entry.resource_name,
        ResourcePatternType[entry.pattern_type],
        entry.principal,
        "*",
        AclOperation[entry.operation],
        AclPermissionType.ALLOW,
    )


def _wait(future: Any, doing: str) -> Any:
    try:
        return future.result(timeout=_TIMEOUT_S)
    except KafkaException as error:
        raise AclAdminError(f"Kafka refused {doing}: {error.args[0].str()}") from None
    except TimeoutError:
        raise AclAdminError(f"{doing} timed out after {_TIMEOUT_S:.0f}s") from None
