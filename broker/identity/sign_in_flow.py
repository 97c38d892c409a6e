"""The front ends as an OpenID Connect relying party: authorization code with PKCE (S256).

:meth:`RelyingParty.begin` makes a fresh ``state``, ``nonce`` and PKCE verifier, keeps them
server-side under ``state`` (the browser holds only ``state``, in an HttpOnly cookie) and
returns the IdP's authorization URL. :meth:`RelyingParty.finish` requires the callback's
``state`` to equal the cookie's, takes the pending sign-in once (a replayed callback finds
nothing), exchanges the code at the token endpoint with the verifier and the client's own
authentication (``private_key_jwt`` preferred, or ``client_secret_basic``), checks the ID
token (signature against the IdP's JWKS, ``iss``, ``aud`` = our client id, ``exp``, ``nonce``)
and returns the tokens (access, refresh, ID), which the pages keep in a server-side session
and check with the API's own ``TokenValidator``. :meth:`RelyingParty.refresh` renews an
expired access token with the refresh token; :meth:`RelyingParty.revoke` and
:meth:`RelyingParty.logout_url` end the IdP's side when a person signs out.
Failures are :class:`SignInFailed` with a stable reason; no message holds a token or code.
"""

from __future__ import annotations

import base64
import hmac
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import quote, urlencode

import httpx
import structlog
from authlib.common.security import generate_token  # type: ignore[import-untyped]
from authlib.oauth2.rfc7636 import create_s256_code_challenge  # type: ignore[import-untyped]

from broker.identity.jwks_source import KeySource
from broker.identity.provider_metadata import ProviderMetadata
from broker.identity.session_seal import SessionTokens
from broker.identity.token_client import (
    CLIENT_ASSERTION_TYPE,
    ClientKey,
    client_assertion,
    load_client_key,
)
from broker.identity.token_validator import TokenRejected, TokenValidator
from broker.secrets.private_files import read_private_bytes
from broker.settings import Settings

__all__ = [
    "AREAS",
    "SIGNED_IN_PATH",
    "SIGNED_OUT_PATHS",
    "Area",
    "RelyingParty",
    "SignInFailed",
    "SignedIn",
]

Area = Literal["portal", "console"]
AREAS: tuple[Area, ...] = ("portal", "console")
SIGNED_IN_PATH = "signed-in"
"""Each area's redirect URI is ``/<area>/signed-in``."""
SIGNED_OUT_PATHS: dict[Area, str] = {"portal": "signed-out", "console": "sign-in"}
"""Where the IdP sends the browser back after RP-initiated logout: ``/<area>/<path>`` (the
portal's "You have signed out", the console's sign-in page); the IdP must list them exactly."""
PENDING_TTL_S = 600
_MAX_PENDING = 10_000

log = structlog.get_logger(__name__)


class SignInFailed(Exception):
    """The sign-in did not complete; ``reason`` is a stable code (``state_mismatch``, …)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"sign-in refused ({reason})")
        self.reason = reason


@dataclass(frozen=True)
class SignedIn:
    """A completed sign-in: the IdP's tokens and the ID token's ``sub``."""

    tokens: SessionTokens
    subject: str


@dataclass(frozen=True)
class _Pending:
    nonce: str
    verifier: str = field(repr=False)
    redirect_uri: str
    area: Area
    expires_at: float


class RelyingParty:
    """One client of one IdP, serving the portal's and the console's sign-in."""

    def __init__(
        self,
        *,
        issuer: str,
        authorization_url: str,
        token_url: str,
        client_id: str,
        id_tokens: TokenValidator,
        private_key: ClientKey | None = None,
        secret: str | None = None,
        ssl_context: ssl.SSLContext | None = None,
        scope: str = "openid",
        public_url: str | None = None,
        end_session_url: str | None = None,
        revocation_url: str | None = None,
        development: bool = True,
        timeout_s: float = 10.0,
        clock: Callable[[], float] = time.time,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if (private_key is None) == (secret is None):
            raise ValueError(f"sign-in client {client_id!r}: give exactly one key or secret")
        self.issuer = issuer
        self.authorization_url = authorization_url
        self.token_url = token_url
        self.end_session_url = end_session_url
        self.revocation_url = revocation_url
        self.client_id = client_id
        self.development = development
        self._id_tokens = id_tokens
        self._key = private_key
        self._secret = secret
        self._verify: ssl.SSLContext | bool = ssl_context or True
        self._scope = scope
        self._public_url = public_url.rstrip("/") if public_url else None
        self._timeout_s = timeout_s
        self._clock = clock
        self._transport = transport
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(
        cls, settings: Settings, keys: KeySource, provider: ProviderMetadata | None = None
    ) -> RelyingParty:
        """The relying party ``settings.sign_in`` describes, checking ID tokens with ``keys``.

        Endpoints not set in ``sign_in`` come from ``provider`` (the issuer's discovery
        document, when the sign-in issuer is the API's), else the development issuer's paths.
        Raises ValueError (naming the setting) when no client credential is configured, or
        in production mode without ``sign_in.public_url``.
        """
        sign_in, identity = settings.sign_in, settings.identity
        production = settings.security.mode == "production"
        if production and sign_in.public_url is None:
            raise ValueError(
                "sign_in.public_url (IOM_SIGN_IN__PUBLIC_URL) is required in production mode"
            )
        issuer = (sign_in.issuer or identity.issuer).rstrip("/")
        ca_file = sign_in.ca_file or identity.ca_file
        key = secret = None
        if sign_in.client_key_file is not None:
            key = load_client_key(sign_in.client_key_file)
        elif sign_in.client_secret_file is not None:
            raw = read_private_bytes(sign_in.client_secret_file, "sign-in client secret")
            secret = raw.decode("utf-8").strip()
        else:
            raise ValueError(
                "sign_in.client_key_file (IOM_SIGN_IN__CLIENT_KEY_FILE) or "
                "sign_in.client_secret_file is needed for the front ends' sign-in"
            )
        if provider is None or provider.issuer != issuer:
            provider = ProviderMetadata(issuer=issuer, jwks_uri="")
        return cls(
            issuer=issuer,
            authorization_url=sign_in.authorization_url
            or provider.authorization_endpoint
            or f"{issuer}/authorize",
            token_url=sign_in.token_url
            or identity.token_url
            or provider.token_endpoint
            or f"{issuer}/token",
            end_session_url=sign_in.end_session_url or provider.end_session_endpoint,
            revocation_url=sign_in.revocation_url or provider.revocation_endpoint,
            client_id=sign_in.client_id,
            id_tokens=TokenValidator(
                issuer=issuer,
                audience=sign_in.client_id,
                keys=keys,
                algorithms=identity.algorithms,
                leeway_s=identity.leeway_seconds,
                max_lifetime_s=identity.max_token_lifetime_seconds,
            ),
            private_key=key,
            secret=secret,
            ssl_context=ssl.create_default_context(cafile=ca_file) if ca_file else None,
            scope=sign_in.scope,
            public_url=sign_in.public_url,
            development=not production,
        )

    def redirect_uri(self, request_base_url: str, area: Area, path: str = SIGNED_IN_PATH) -> str:
        """Where the IdP sends the browser back (``public_url`` if set, else the request's)."""
        base = self._public_url or request_base_url.rstrip("/")
        return f"{base}/{area}/{path}"

    def begin(self, redirect_uri: str, area: Area, lang: str) -> tuple[str, str]:
        """Start a sign-in; return the IdP's authorization URL and the ``state`` to keep."""
        state, nonce, verifier = (str(generate_token(n)) for n in (32, 32, 64))
        now = self._clock()
        with self._lock:
            self._pending = {k: v for k, v in self._pending.items() if v.expires_at > now}
            if len(self._pending) >= _MAX_PENDING:
                self._pending.pop(next(iter(self._pending)))
            expires = now + PENDING_TTL_S
            self._pending[state] = _Pending(nonce, verifier, redirect_uri, area, expires)
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": redirect_uri,
                "scope": self._scope,
                "state": state,
                "nonce": nonce,
                "code_challenge": create_s256_code_challenge(verifier),
                "code_challenge_method": "S256",
                "ui_locales": lang,
            }
        )
        separator = "&" if "?" in self.authorization_url else "?"
        return f"{self.authorization_url}{separator}{query}", state

    async def finish(
        self,
        area: Area,
        *,
        state: str | None,
        expected_state: str | None,
        code: str | None,
        error: str | None = None,
    ) -> SignedIn:
        """Complete the sign-in the IdP answered: the tokens and the ID token's ``sub`` (the
        caller checks the access token names the same person)."""
        if not state or not expected_state or not hmac.compare_digest(state, expected_state):
            raise SignInFailed("state_mismatch")
        with self._lock:
            pending = self._pending.pop(state, None)
        if pending is None or pending.expires_at <= self._clock() or pending.area != area:
            raise SignInFailed("unknown_or_expired_state")
        if error:
            raise SignInFailed("idp_refused")
        if not code:
            raise SignInFailed("missing_code")
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": pending.redirect_uri,
            "code_verifier": pending.verifier,
        }
        answer = await self._token_request(form, "code_refused")
        access, id_token = answer.get("access_token"), answer.get("id_token")
        if not isinstance(access, str) or not isinstance(id_token, str):
            raise SignInFailed("token_response_incomplete")
        try:
            claims = self._id_tokens.validate_claims(id_token)
        except TokenRejected as rejected:
            raise SignInFailed(f"id_token_{rejected.reason}") from None
        if not hmac.compare_digest(str(claims.get("nonce", "")), pending.nonce):
            raise SignInFailed("nonce_mismatch")
        refresh = answer.get("refresh_token")
        tokens = SessionTokens(access, refresh if isinstance(refresh, str) else None, id_token)
        return SignedIn(tokens, str(claims["sub"]))

    async def refresh(self, tokens: SessionTokens) -> SessionTokens:
        """New tokens for a session whose access token expired (``grant_type=refresh_token``);
        :class:`SignInFailed` when there is no refresh token or the IdP refuses it."""
        if tokens.refresh_token is None:
            raise SignInFailed("no_refresh_token")
        form = {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token}
        answer = await self._token_request(form, "refresh_refused")
        access, refresh, id_token = (
            answer.get(name) for name in ("access_token", "refresh_token", "id_token")
        )
        if not isinstance(access, str):
            raise SignInFailed("token_response_incomplete")
        return SessionTokens(
            access,
            refresh if isinstance(refresh, str) else tokens.refresh_token,
            id_token if isinstance(id_token, str) else tokens.id_token,
        )

    async def revoke(self, tokens: SessionTokens) -> None:
        """Revoke a signed-out session's refresh token (RFC 7009) where the IdP offers it;
        a failure is logged and otherwise ignored (the token still expires)."""
        if self.revocation_url is None or tokens.refresh_token is None:
            return
        form = {"token": tokens.refresh_token, "token_type_hint": "refresh_token"}
        try:
            await self._post(self.revocation_url, form)
        except httpx.HTTPError as error:
            log.warning("web.sign_out_revocation_failed", error=type(error).__name__)

    def logout_url(self, tokens: SessionTokens, after: str, lang: str) -> str | None:
        """Where to send the browser to end its IdP session too (RP-initiated logout), coming
        back to ``after``; None when the IdP offers no ``end_session_endpoint``."""
        if self.end_session_url is None:
            return None
        query = {"client_id": self.client_id, "post_logout_redirect_uri": after}
        if tokens.id_token is not None:
            query["id_token_hint"] = tokens.id_token
        query["ui_locales"] = lang
        separator = "&" if "?" in self.end_session_url else "?"
        return f"{self.end_session_url}{separator}{urlencode(query)}"

    async def _token_request(self, form: dict[str, str], refused: str) -> dict[str, object]:
        try:
            response = await self._post(self.token_url, form)
        except httpx.HTTPError as error:
            log.warning("web.sign_in_token_endpoint_unreachable", error=type(error).__name__)
            raise SignInFailed("token_endpoint_unreachable") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code != 200 or not isinstance(body, dict):
            code_name = body.get("error") if isinstance(body, dict) else None
            log.warning(f"web.sign_in_{refused}", status=response.status_code, error=str(code_name))
            raise SignInFailed(refused)
        return body

    async def _post(self, url: str, form: dict[str, str]) -> httpx.Response:
        """POST ``form`` with the client's own authentication (key assertion or Basic)."""
        headers = {"Accept": "application/json"}
        form = dict(form)
        if self._key is not None:
            form["client_id"] = self.client_id
            form["client_assertion_type"] = CLIENT_ASSERTION_TYPE
            form["client_assertion"] = client_assertion(
                self.client_id, self.token_url, self._key, self._clock()
            )
        else:
            assert self._secret is not None
            pair = f"{quote(self.client_id, safe='')}:{quote(self._secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        async with httpx.AsyncClient(
            verify=self._verify, timeout=self._timeout_s, transport=self._transport
        ) as client:
            return await client.post(url, data=form, headers=headers)
