"""The development issuer's sign-in: OAuth 2.0 authorization code with PKCE, OpenID Connect.

DEVELOPMENT ONLY: the page lets anyone pick a development user; nobody is authenticated (the
ID token's ``acr`` says so). The protocol is nevertheless strict, so the front ends are built
and tested against the same rules a real IdP applies:

* ``response_type=code`` only; ``state``, ``nonce`` and a PKCE ``code_challenge`` with method
  ``S256`` are required (``plain`` is refused);
* the client must be a registered web client and ``redirect_uri`` one of its registered URIs,
  compared exactly; otherwise the issuer shows an error page and never redirects;
* a code lives 60 seconds, is bound to its client, redirect URI and challenge, and works once;
  a second use is refused;
* the tokens come with a refresh token (:mod:`.dev_refresh_tokens`).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode

import structlog
from authlib.common.security import generate_token  # type: ignore[import-untyped]
from authlib.oauth2.rfc7636 import create_s256_code_challenge  # type: ignore[import-untyped]

from broker.devtools.identity.dev_issuer import DevIssuer, OAuthError
from broker.devtools.identity.dev_refresh_tokens import DevRefreshTokens
from broker.devtools.identity.dev_users import DevUser, dev_users
from broker.devtools.identity.web_clients import registered_redirect_uris
from broker.domain.agency import AgencyDirectory
from broker.identity.principal import Principal

__all__ = ["AuthorizationRequest", "DevSignIn", "RedirectedError", "SignInPageError"]

CODE_TTL_S = 60
REQUEST_TTL_S = 600
_MAX_PENDING = 10_000
_VERIFIER = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")
_CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{43}$")
_OPAQUE = re.compile(r"^[\x21-\x7e]{1,512}$")

log = structlog.get_logger(__name__)


class SignInPageError(Exception):
    """The request cannot be trusted to redirect anywhere: show an error page instead."""


@dataclass(frozen=True)
class AuthorizationRequest:
    """A checked authorization request, waiting for the person to be picked."""

    client_id: str
    redirect_uri: str
    state: str
    nonce: str
    code_challenge: str
    lang: Literal["en", "cy"]
    expires_at: float


@dataclass
class _Code:
    request: AuthorizationRequest
    principal: Principal
    expires_at: float
    used: bool = False


class DevSignIn:
    """Authorization requests, the pick-a-user step, codes and their exchange for tokens."""

    def __init__(
        self,
        issuer: DevIssuer,
        identity_dir: Path,
        agencies: AgencyDirectory,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.issuer = issuer
        self._identity_dir = Path(identity_dir)
        self._agencies = agencies
        self._clock = clock
        self._pending: dict[str, AuthorizationRequest] = {}
        self._codes: dict[str, _Code] = {}
        self._lock = threading.Lock()
        self.refresh_tokens = DevRefreshTokens(issuer, clock=clock)

    def users(self) -> list[DevUser]:
        """The development users the page offers (re-read each time: the demo adds one)."""
        return dev_users(self._agencies, self._identity_dir)

    def check(self, params: Mapping[str, str]) -> AuthorizationRequest:
        """Check an authorization request.

        Raises :class:`SignInPageError` when the client or redirect URI is not registered
        (nothing may be redirected), else :class:`RedirectedError` for the client to receive.
        """
        client_id = params.get("client_id", "")
        redirect_uri = params.get("redirect_uri", "")
        if not self.issuer.is_web_client(client_id):
            raise SignInPageError("the client_id is not a registered web client")
        if redirect_uri not in registered_redirect_uris(self._identity_dir, client_id):
            raise SignInPageError("the redirect_uri is not registered for this client")
        state = params.get("state", "")

        def refuse(error: str, description: str) -> RedirectedError:
            return RedirectedError(redirect_uri, state, error, description)

        if params.get("response_type") != "code":
            raise refuse("unsupported_response_type", "only response_type=code is supported")
        if "openid" not in params.get("scope", "").split():
            raise refuse("invalid_scope", "scope must include openid")
        if not _OPAQUE.match(state):
            raise refuse("invalid_request", "state is required")
        nonce = params.get("nonce", "")
        if not _OPAQUE.match(nonce):
            raise refuse("invalid_request", "nonce is required")
        if params.get("code_challenge_method") != "S256":
            raise refuse("invalid_request", "code_challenge_method must be S256")
        challenge = params.get("code_challenge", "")
        if not _CHALLENGE.match(challenge):
            raise refuse("invalid_request", "code_challenge must be a base64url SHA-256")
        lang: Literal["en", "cy"] = "cy" if params.get("ui_locales", "").startswith("cy") else "en"
        return AuthorizationRequest(
            client_id,
            redirect_uri,
            state,
            nonce,
            challenge,
            lang,
            self._clock() + REQUEST_TTL_S,
        )

    def hold(self, request: AuthorizationRequest) -> str:
        """Keep ``request`` until a person is picked; return its opaque transaction id."""
        transaction = str(generate_token(32))
        now = self._clock()
        with self._lock:
            self._pending = {k: v for k, v in self._pending.items() if v.expires_at > now}
            if len(self._pending) >= _MAX_PENDING:
                self._pending.pop(next(iter(self._pending)))
            self._pending[transaction] = request
        return transaction

    def held(self, transaction: str) -> AuthorizationRequest | None:
        """The waiting request of ``transaction``, unless unknown or expired."""
        with self._lock:
            request = self._pending.get(transaction)
        return request if request is not None and request.expires_at > self._clock() else None

    def approve(self, transaction: str, user_id: str) -> str:
        """Issue a code for ``user_id``; return the redirect URL (with ``code`` and ``state``).

        Raises :class:`SignInPageError` for an unknown transaction and ``KeyError`` for an
        unknown user (the page asks again).
        """
        with self._lock:
            request = self._pending.get(transaction)
        if request is None or request.expires_at <= self._clock():
            raise SignInPageError("this sign-in has expired; start again from the service")
        user = next((u for u in self.users() if u.user_id == user_id), None)
        if user is None:
            raise KeyError("no such development user")
        code = str(generate_token(48))
        now = self._clock()
        with self._lock:
            self._pending.pop(transaction, None)
            self._codes = {k: v for k, v in self._codes.items() if v.expires_at + 600 > now}
            self._codes[code] = _Code(request, user.principal, now + CODE_TTL_S)
        log.info("identity.dev_sign_in_code_issued", client_id=request.client_id)
        return _with_query(request.redirect_uri, {"code": code, "state": request.state})

    def exchange(self, form: Mapping[str, str], authorization: str | None) -> dict[str, Any]:
        """Answer an ``authorization_code`` token request or raise :class:`OAuthError`."""
        client = self.issuer.authenticate_client(form, authorization)
        if "authorization_code" not in client.grant_types:
            raise OAuthError("unauthorized_client", "this client may not use authorization_code")
        refused = OAuthError("invalid_grant", "the code is unknown, expired or already used")
        verifier = form.get("code_verifier", "")
        if not _VERIFIER.match(verifier):
            raise OAuthError("invalid_request", "code_verifier is required (43-128 characters)")
        with self._lock:
            found = self._codes.get(form.get("code", ""))
            reused = found is not None and found.used
            if found is not None:
                found.used = True
        if found is None or reused or found.expires_at <= self._clock():
            if reused:
                log.warning("identity.dev_sign_in_code_reused", client_id=client.client_id)
            raise refused
        request = found.request
        if request.client_id != client.client_id:
            raise refused
        if form.get("redirect_uri") != request.redirect_uri:
            raise OAuthError("invalid_grant", "redirect_uri differs from the authorization's")
        if create_s256_code_challenge(verifier) != request.code_challenge:
            raise OAuthError("invalid_grant", "code_verifier does not match the code_challenge")
        issuer = self.issuer
        return {
            "access_token": issuer.mint(found.principal, client_id=client.client_id),
            "id_token": issuer.id_token(found.principal, client.client_id, request.nonce),
            "refresh_token": self.refresh_tokens.issue(found.principal, client.client_id),
            "token_type": "Bearer",
            "expires_in": issuer.token_ttl_s,
        }


class RedirectedError(OAuthError):
    """An authorization error the client receives at its (registered) redirect URI."""

    def __init__(self, redirect_uri: str, state: str, error: str, description: str) -> None:
        super().__init__(error, description)
        self.redirect_uri = redirect_uri
        self.state = state

    def location(self) -> str:
        """The redirect URL carrying the error (and ``state``, when one was sent)."""
        params = {"error": self.error, "error_description": self.description}
        if _OPAQUE.match(self.state):
            params["state"] = self.state
        return _with_query(self.redirect_uri, params)


def _with_query(uri: str, params: dict[str, str]) -> str:
    return f"{uri}{'&' if '?' in uri else '?'}{urlencode(params)}"
