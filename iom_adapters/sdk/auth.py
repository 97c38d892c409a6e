"""OAuth2 client-credentials tokens for an adapter, behind a small provider interface.

The broker's Kafka (SASL/OAUTHBEARER) and HTTP APIs take a bearer token. An adapter gets one
with the client-credentials grant from its agency's identity provider and refreshes it before
it expires. The client authenticates with ``private_key_jwt`` (RFC 7523: a 60-second assertion
signed with the agency's own private key; nothing secret is sent) or a client secret. The
local development stack needs none: the default is no authentication.
Errors name the token URL, the client id and the HTTP status; never a secret, key or token.
"""

from __future__ import annotations

import asyncio
import ssl
import time
import warnings
from typing import Any, Protocol, runtime_checkable

import httpx
import structlog
from authlib.deprecate import AuthlibDeprecationWarning  # type: ignore[import-untyped]

with warnings.catch_warnings():
    # authlib 1.9 prefers the httpx2 package and warns when it falls back to httpx, which it
    # supports and which the rest of the project uses.
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import (  # type: ignore[import-untyped]
        AsyncOAuth2Client,
    )
from authlib.oauth2.rfc7523 import (  # type: ignore[import-untyped]
    PrivateKeyJWT,
    private_key_jwt_sign,
)
from joserfc.jwk import ECKey, OKPKey, RSAKey

log = structlog.get_logger(__name__)

DEFAULT_REFRESH_MARGIN_S = 60.0
ASSERTION_LIFETIME_S = 60
_ALG_BY_KEY = {"EC": "ES256", "RSA": "RS256", "OKP": "EdDSA"}

PrivateKey = ECKey | RSAKey | OKPKey


class TokenError(Exception):
    """No token could be obtained; the message says from where and why (one line)."""

    reason = "token_unavailable"


@runtime_checkable
class TokenProvider(Protocol):
    """Something that returns a valid bearer access token, refreshing it as needed."""

    async def token(self) -> str:
        """A token valid for at least the refresh margin."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


class ShortLivedPrivateKeyJWT(PrivateKeyJWT):  # type: ignore[misc]
    """authlib's ``private_key_jwt`` with assertions that live 60 seconds (authlib's default
    is an hour, which strict token endpoints refuse), a fresh ``jti`` each time, and the key's
    ``kid`` and algorithm in the header."""

    def __init__(self, token_endpoint: str, key: PrivateKey) -> None:
        super().__init__(token_endpoint, alg=_ALG_BY_KEY[key.key_type])
        self._key = key

    def sign(self, auth: Any, token_endpoint: str) -> str:
        """A new signed assertion for ``token_endpoint``."""
        header = {"typ": "JWT", **({"kid": self._key.kid} if self._key.kid else {})}
        assertion: str = private_key_jwt_sign(
            self._key,
            client_id=auth.client_id,
            token_endpoint=token_endpoint,
            alg=self.alg,
            header=header,
            expires_in=ASSERTION_LIFETIME_S,
        )
        return assertion


class ClientCredentialsTokenProvider:
    """Client-credentials grant (RFC 6749 section 4.4) with authlib; caches and refreshes.

    The client authenticates with ``private_key`` (``private_key_jwt``, preferred) or with
    ``client_secret`` (``client_secret_basic`` by default, or ``client_secret_post``).
    A token is reused until ``refresh_margin`` seconds before it expires; concurrent callers
    share one refresh.
    """

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str | None = None,
        *,
        private_key: PrivateKey | None = None,
        scope: str | None = None,
        audience: str | None = None,
        auth_method: str = "client_secret_basic",
        refresh_margin: float = DEFAULT_REFRESH_MARGIN_S,
        timeout: float = 10.0,
        verify: str | bool = True,
    ) -> None:
        if (client_secret is None) == (private_key is None):
            raise ValueError(f"client {client_id!r}: give exactly one of a secret or private key")
        self.token_url = token_url
        self.client_id = client_id
        self._scope = scope
        self._audience = audience
        self._margin = refresh_margin
        method: Any = auth_method
        if private_key is not None:
            method = ShortLivedPrivateKeyJWT(token_url, private_key)
        self._client = AsyncOAuth2Client(
            client_id=client_id,
            client_secret=client_secret,
            scope=scope,
            token_endpoint_auth_method=method,
            timeout=timeout,
            verify=ssl.create_default_context(cafile=verify) if isinstance(verify, str) else verify,
        )
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def token(self) -> str:
        """The cached token, or a fresh one when it is within the refresh margin of expiry."""
        if self._token is not None and time.monotonic() < self._expires_at - self._margin:
            return self._token
        async with self._lock:
            if self._token is not None and time.monotonic() < self._expires_at - self._margin:
                return self._token
            return await self._fetch()

    async def _fetch(self) -> str:
        extra: dict[str, Any] = {"audience": self._audience} if self._audience else {}
        started = time.monotonic()
        try:
            response: dict[str, Any] = await self._client.fetch_token(
                self.token_url, grant_type="client_credentials", **extra
            )
        except httpx.HTTPError as error:
            raise TokenError(
                f"token endpoint {self.token_url} unreachable for client {self.client_id!r}: "
                f"{type(error).__name__}"
            ) from None
        except Exception as error:  # authlib's OAuthError and friends: status and error code only
            code = getattr(error, "error", None) or type(error).__name__
            raise TokenError(
                f"token endpoint {self.token_url} refused client {self.client_id!r}: {code}"
            ) from None
        access = response.get("access_token")
        if not isinstance(access, str) or not access:
            raise TokenError(f"token endpoint {self.token_url} returned no access_token")
        expires_in = float(response.get("expires_in") or 300)
        self._token = access
        self._expires_at = started + expires_in
        self.fetches += 1
        log.info("adapter.token.fetched", client_id=self.client_id, expires_in=expires_in)
        return access

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()
