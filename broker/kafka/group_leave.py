"""Take a static member out of its consumer group at once (LeaveGroup v3, KIP-345).

A consumer with a ``group.instance.id`` (static membership) keeps its partitions when it
disconnects, so a router restarted by its supervisor gets them straight back instead of
waiting for the session timeout. The other side of that: aiokafka sends no LeaveGroup for a
static member, so a router stopped on purpose would leave its partitions unread until the
session timeout. :func:`leave_group` sends the request Kafka's own admin client uses to
remove a member by instance id (API key 13, version 3, Kafka 2.4+); aiokafka has only
versions 0 and 1, so the version is added here in its protocol framework (pinned with
aiokafka's exact version, like the quota requests).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import structlog
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError
from aiokafka.protocol.api import Request, RequestStruct, Response
from aiokafka.protocol.types import Array, Int16, Int32, Schema, String

__all__ = ["leave_group"]

log = structlog.get_logger(__name__)

_UNKNOWN_MEMBER_ID = ""  # the coordinator finds the member by its instance id
_LEAVE_TIMEOUT_S = 10.0


class LeaveGroupResponse_v3(Response):  # type: ignore[misc]
    """The group's error and each named member's."""

    API_KEY = 13
    API_VERSION = 3
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        ("error_code", Int16),
        (
            "members",
            Array(
                ("member_id", String("utf-8")),
                ("group_instance_id", String("utf-8")),
                ("error_code", Int16),
            ),
        ),
    )


class LeaveGroupRequest_v3(RequestStruct):  # type: ignore[misc]
    """Remove the listed members (by member id or instance id) from a group."""

    API_KEY = 13
    API_VERSION = 3
    RESPONSE_TYPE = LeaveGroupResponse_v3
    SCHEMA = Schema(
        ("group_id", String("utf-8")),
        ("members", Array(("member_id", String("utf-8")), ("group_instance_id", String("utf-8")))),
    )


class LeaveGroupRequest(Request[LeaveGroupRequest_v3]):  # type: ignore[misc]
    """Builds LeaveGroup v3 for one static member."""

    API_KEY = 13

    def __init__(self, group_id: str, instance_id: str) -> None:
        self._group_id = group_id
        self._instance_id = instance_id

    def build(self, request_struct_class: type[LeaveGroupRequest_v3]) -> LeaveGroupRequest_v3:
        return request_struct_class(self._group_id, [(_UNKNOWN_MEMBER_ID, self._instance_id)])


async def leave_group(options: Mapping[str, Any], group_id: str, instance_id: str) -> bool:
    """Ask the group's coordinator to drop static member ``instance_id`` so the group
    rebalances now; return whether Kafka agreed. Best effort: failures are logged (error
    codes only), never raised, as after this the member is gone anyway at its session timeout.
    """
    admin = AIOKafkaAdminClient(**{**options, "client_id": "iom-router-leave"})
    try:
        async with asyncio.timeout(_LEAVE_TIMEOUT_S):  # closing included: a stop stays bounded
            try:
                await admin.start()
                coordinator = await admin.find_coordinator(group_id)
                response = await admin._send_request_to_node(
                    coordinator, LeaveGroupRequest(group_id, instance_id)
                )
            finally:
                await admin.close()
    except (KafkaError, OSError, TimeoutError) as error:
        log.warning("router.leave_group_failed", error=type(error).__name__)
        return False
    codes = [response.error_code, *(code for _, _, code in response.members)]
    if any(codes):
        log.warning("router.leave_group_refused", error_codes=codes)
        return False
    log.info("router.left_group")
    return True
