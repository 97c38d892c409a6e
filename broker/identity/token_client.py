"""Get access tokens with the OAuth2 client-credentials grant (RFC 6749 §4.4).

Client authentication: ``private_key_jwt`` (RFC 7523: a short-lived assertion signed with
the client's private key; preferred, nothing shared) or ``client_secret_basic``. Errors name
the token URL, the client id and the OAuth error code, never a secret or a token.
"""

from __future__ import annotations

import base64
import ssl
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from joserfc import jwt
from joserfc.jwk import ECKey, OKPKey, RSAKey

from broker.secrets.private_files import read_private_bytes
from broker.settings import IdentitySettings

__all__ = [
    "CLIENT_ASSERTION_TYPE",
    "AccessToken",
    "ClientKey",
    "TokenClient",
    "TokenRequestError",
    "client_assertion",
    "load_client_key",
]

CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
_ASSERTION_LIFETIME_S = 60
_ALG_BY_KEY = {"EC": "ES256", "RSA": "RS256", "OKP": "EdDSA"}

ClientKey = ECKey | RSAKey | OKPKey


class TokenRequestError(RuntimeError):
    """The token endpoint could not be reached or refused the client."""


@dataclass(frozen=True)
class AccessToken:
    """A bearer token and when it expires (epoch seconds); the value is kept out of repr."""

    value: str = field(repr=False)
    expires_at: float
    lifetime_s: float


def load_client_key(path: Path) -> ClientKey:
    """Read a client's private key (PEM: EC, RSA or Ed25519) from an owner-only file."""
    pem = read_private_bytes(path, "client key")
    for key_class in (ECKey, RSAKey, OKPKey):
        try:
            key: ClientKey = key_class.import_key(pem)
        except (ValueError, TypeError):
            continue
        key.ensure_kid()
        return key
    raise TokenRequestError(f"client key {path} is not an EC, RSA or Ed25519 private key")


def client_assertion(client_id: str, token_url: str, key: ClientKey, now: float) -> str:
    """A ``private_key_jwt`` client assertion (RFC 7523) for ``token_url``, valid 60 s."""
    issued = int(now)
    claims: dict[str, Any] = {
        "iss": client_id,
        "sub": client_id,
        "aud": token_url,
        "iat": issued,
        "exp": issued + _ASSERTION_LIFETIME_S,
        "jti": str(uuid.uuid4()),
    }
    header = {"alg": _ALG_BY_KEY[key.key_type], "kid": key.kid, "typ": "JWT"}
    return jwt.encode(header, claims, key)


class TokenClient:
    """Fetches tokens for one client from one token endpoint."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        *,
        private_key: ClientKey | None = None,
        secret: str | None = None,
        ssl_context: ssl.SSLContext | None = None,
        scope: str | None = None,
        timeout_s: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if (private_key is None) == (secret is None):
            raise ValueError(f"client {client_id!r}: give exactly one of a private key or secret")
        self.token_url = token_url
        self.client_id = client_id
        self._key = private_key
        self._secret = secret
        self._verify: ssl.SSLContext | bool = ssl_context or True
        self._scope = scope
        self._timeout_s = timeout_s
        self._clock = clock

    @classmethod
    def from_settings(cls, identity: IdentitySettings) -> TokenClient:
        """The client configured by ``identity.client_id`` and its key or secret file."""
        context = ssl.create_default_context(cafile=identity.ca_file) if identity.ca_file else None
        if identity.client_key_file is not None:
            return cls(
                identity.effective_token_url,
                identity.client_id,
                private_key=load_client_key(identity.client_key_file),
                ssl_context=context,
            )
        if identity.client_secret_file is not None:
            secret = read_private_bytes(identity.client_secret_file, "client secret")
            return cls(
                identity.effective_token_url,
                identity.client_id,
                secret=secret.decode("utf-8").strip(),
                ssl_context=context,
            )
        raise TokenRequestError(
            "identity.client_key_file (IOM_IDENTITY__CLIENT_KEY_FILE) or "
            "identity.client_secret_file is needed to get tokens"
        )

    async def fetch(self) -> AccessToken:
        """Request a new token (async)."""
        headers, form = self._request()
        try:
            async with httpx.AsyncClient(verify=self._verify, timeout=self._timeout_s) as client:
                response = await client.post(self.token_url, data=form, headers=headers)
        except httpx.HTTPError as error:
            raise self._unreachable(error) from None
        return self._parse(response)

    def fetch_sync(self) -> AccessToken:
        """Request a new token (blocking; for librdkafka's ``oauth_cb``)."""
        headers, form = self._request()
        try:
            with httpx.Client(verify=self._verify, timeout=self._timeout_s) as client:
                response = client.post(self.token_url, data=form, headers=headers)
        except httpx.HTTPError as error:
            raise self._unreachable(error) from None
        return self._parse(response)

    def _request(self) -> tuple[dict[str, str], dict[str, str]]:
        headers = {"Accept": "application/json"}
        form = {"grant_type": "client_credentials"}
        if self._scope:
            form["scope"] = self._scope
        if self._key is not None:
            form["client_assertion_type"] = CLIENT_ASSERTION_TYPE
            form["client_assertion"] = self._assertion(self._key)
        else:
            assert self._secret is not None
            pair = f"{quote(self.client_id, safe='')}:{quote(self._secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        return headers, form

    def _assertion(self, key: ClientKey) -> str:
        return client_assertion(self.client_id, self.token_url, key, self._clock())

    def _parse(self, response: httpx.Response) -> AccessToken:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or not isinstance(body, dict):
            code = body.get("error", "no error code") if isinstance(body, dict) else "no error code"
            raise TokenRequestError(
                f"token endpoint {self.token_url} refused client {self.client_id!r}: "
                f"HTTP {response.status_code} {code}"
            )
        value, expires_in = body.get("access_token"), body.get("expires_in")
        if not isinstance(value, str) or not isinstance(expires_in, int | float) or expires_in <= 0:
            raise TokenRequestError(
                f"token endpoint {self.token_url} answered client {self.client_id!r} without "
                "access_token and a positive expires_in"
            )
        return AccessToken(value, self._clock() + float(expires_in), float(expires_in))

    def _unreachable(self, error: httpx.HTTPError) -> TokenRequestError:
        return TokenRequestError(
            f"token endpoint {self.token_url} unreachable for client {self.client_id!r}: "
            f"{type(error).__name__}"
        )
