"""A running secured development stack, as the security tests reach it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broker.bootstrap import load_core
from broker.catalogue.codec import AvroCodec
from broker.devtools.devstack.stack import StackInfo
from broker.devtools.devstack.stack_access import StackAccess
from broker.settings import Settings


@dataclass(frozen=True)
class SecuredDevStack:
    """The running stack, how to reach it, and the core the router runs with."""

    state: Path
    info: StackInfo
    access: StackAccess
    settings: Settings
    codec: AvroCodec

    def options(self, agency: str) -> dict[str, Any]:
        """aiokafka arguments with ``agency``'s own credentials."""
        principal = load_core(self.settings).agencies.get(agency).principal
        return self.access.client_options(principal, self.settings)

    def admin_options(self) -> dict[str, Any]:
        """aiokafka arguments of the stack's administrator (reads every topic)."""
        return self.access.client_options(self.settings.security.admin_principal, self.settings)
