"""The development issuer's refresh tokens (RFC 6749 section 6): people's sessions renew their
access tokens without signing in again.

DEVELOPMENT ONLY. A refresh token is random, kept in memory (an issuer restart forgets them: the
person signs in again), bound to the web client it was issued to, lives ``ttl_s`` and works
once: each use returns a new one (rotation), and a used one is refused.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import structlog
from authlib.common.security import generate_token  # type: ignore[import-untyped]

from broker.devtools.identity.dev_issuer import DevIssuer, OAuthError
from broker.identity.principal import Principal

__all__ = ["REFRESH_TTL_S", "DevRefreshTokens"]

REFRESH_TTL_S = 10 * 3600
_MAX_KEPT = 10_000

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class _Grant:
    principal: Principal
    client_id: str
    expires_at: float


class DevRefreshTokens:
    """Issues and redeems the refresh tokens of one development issuer."""

    def __init__(
        self, issuer: DevIssuer, ttl_s: int = REFRESH_TTL_S, clock: Callable[[], float] = time.time
    ) -> None:
        self.issuer = issuer
        self._ttl_s = ttl_s
        self._clock = clock
        self._grants: dict[str, _Grant] = {}
        self._lock = threading.Lock()

    def issue(self, principal: Principal, client_id: str) -> str:
        """A new refresh token for ``principal``'s session at ``client_id``."""
        token = str(generate_token(48))
        now = self._clock()
        with self._lock:
            self._grants = {k: v for k, v in self._grants.items() if v.expires_at > now}
            if len(self._grants) >= _MAX_KEPT:
                self._grants.pop(next(iter(self._grants)))
            self._grants[token] = _Grant(principal, client_id, now + self._ttl_s)
        return token

    def redeem(self, form: Mapping[str, str], authorization: str | None) -> dict[str, Any]:
        """Answer a ``refresh_token`` grant: a new access token and a new refresh token."""
        client = self.issuer.authenticate_client(form, authorization)
        with self._lock:
            grant = self._grants.pop(form.get("refresh_token", ""), None)
        if (
            grant is None
            or grant.expires_at <= self._clock()
            or grant.client_id != client.client_id
        ):
            raise OAuthError("invalid_grant", "the refresh token is unknown, expired or used")
        log.info("identity.dev_token_refreshed", client_id=client.client_id)
        return {
            "access_token": self.issuer.mint(grant.principal, client_id=client.client_id),
            "refresh_token": self.issue(grant.principal, client.client_id),
            "token_type": "Bearer",
            "expires_in": self.issuer.token_ttl_s,
        }
