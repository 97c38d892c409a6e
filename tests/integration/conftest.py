"""Integration fixtures: the session's router (over the root conftest's real local Kafka)."""

from __future__ import annotations

from tests.integration.router_fixture import running_router

__all__ = ["running_router"]
