"""The development OIDC issuer's logic: signing keys, clients, tokens. No HTTP here.

DEVELOPMENT ONLY. It signs tokens for any registered dev client and for dev DPO and
supervisee users without asking anyone; :meth:`DevIssuer.open` refuses to run when the
settings say production mode. Production uses the agencies' own IdP, configured in
``identity.*`` settings.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import structlog
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from broker.devtools.identity.dev_clients import DevClientStore
from broker.devtools.identity.signing_keys import (
    SigningKey,
    load_or_create_signing_key,
    public_jwks,
)
from broker.domain.agency import AgencyDirectory
from broker.identity.principal import Principal, Role
from broker.settings import Settings

__all__ = [
    "CLIENT_ASSERTION_TYPE",
    "DEV_ACR",
    "DEV_TOKEN_CLIENT",
    "DevClient",
    "DevIssuer",
    "DevelopmentOnlyError",
    "OAuthError",
    "service_clients",
]

CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
DEFAULT_TOKEN_TTL_S = 300
#: The ``acr`` of development ID tokens: a person was picked from a list, nobody authenticated.
DEV_ACR = "urn:iom-broker:development-only:no-authentication"
_MAX_ASSERTION_LIFETIME_S = 300
#: The ``client_id`` of people's tokens minted by ``iom-broker dev token`` (no client asked).
DEV_TOKEN_CLIENT = "iom-dev-token"

log = structlog.get_logger(__name__)


class DevelopmentOnlyError(RuntimeError):
    """The development issuer was asked to run in production mode."""


class OAuthError(Exception):
    """An RFC 6749 error response: ``error`` code, one-line description, HTTP status."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status


@dataclass(frozen=True)
class DevClient:
    """A client the dev issuer knows: who it is and how it proves it."""

    client_id: str
    role: Role
    agency: str | None
    public_jwk: Mapping[str, Any]
    secret_sha256: bytes
    grant_types: frozenset[str] = frozenset({"client_credentials"})


def service_clients(settings: Settings) -> dict[str, Role]:
    """The broker's own client ids (router, log writer, admin tooling) and their role."""
    security = settings.security
    ids = {
        security.router_principal,
        security.log_writer_principal,
        security.statistics_principal,
        security.admin_principal,
    }
    return dict.fromkeys(sorted(ids), Role.SERVICE)


class DevIssuer:
    """Signs access tokens for registered clients and development users."""

    def __init__(
        self,
        *,
        issuer_url: str,
        audience: str,
        signing_key: SigningKey,
        clients: Mapping[str, DevClient],
        token_ttl_s: int = DEFAULT_TOKEN_TTL_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.issuer_url = issuer_url.rstrip("/")
        self.audience = audience
        self._key = signing_key
        self._clients = dict(clients)
        self.token_ttl_s = token_ttl_s
        self._clock = clock
        self._seen_jti: dict[str, float] = {}
        self._lock = threading.Lock()

    @classmethod
    def open(
        cls,
        state_dir: Path,
        settings: Settings,
        agencies: AgencyDirectory,
        *,
        issuer_url: str | None = None,
        token_ttl_s: int = DEFAULT_TOKEN_TTL_S,
    ) -> DevIssuer:
        """Load (creating on first use) the issuer's key and clients from ``state_dir``.

        Clients: each agency's principal (role ``agency_system``) and the broker's own
        principals (role ``service``). Raises :class:`DevelopmentOnlyError` in production.
        """
        if settings.security.mode != "development":
            raise DevelopmentOnlyError(
                "the development issuer refuses to start: security.mode is "
                f"{settings.security.mode!r} (IOM_SECURITY__MODE)"
            )
        state_dir = Path(state_dir)
        key = load_or_create_signing_key(state_dir / "issuer-signing.key", "RS256")
        store = DevClientStore(state_dir / "clients")
        roles: dict[str, tuple[Role, str | None]] = {
            a.principal: (Role.AGENCY_SYSTEM, a.agency_id) for a in agencies
        }
        roles.update({cid: (role, None) for cid, role in service_clients(settings).items()})
        clients = {
            cid: DevClient(cid, role, agency, store.public_jwk(cid), store.secret_digest(cid))
            for cid, (role, agency) in roles.items()
        }
        web = settings.sign_in.client_id
        clients[web] = DevClient(
            web,
            Role.SERVICE,
            None,
            store.public_jwk(web),
            store.secret_digest(web),
            grant_types=frozenset({"authorization_code"}),
        )
        return cls(
            issuer_url=issuer_url or settings.identity.issuer,
            audience=settings.identity.audience,
            signing_key=key,
            clients=clients,
            token_ttl_s=token_ttl_s,
        )

    def record(self, state_dir: Path) -> None:
        """Write ``issuer.json`` (where this issuer answers) for ``dev token`` and clients."""
        record = {"issuer": self.issuer_url, "jwks_uri": self.jwks_uri}
        (Path(state_dir) / "issuer.json").write_text(json.dumps(record, indent=1), "utf-8")

    @staticmethod
    def recorded_url(state_dir: Path) -> str | None:
        """The issuer URL last recorded in ``state_dir``, if any."""
        try:
            url = json.loads((Path(state_dir) / "issuer.json").read_text("utf-8"))["issuer"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return url if isinstance(url, str) else None

    @property
    def token_endpoint(self) -> str:
        """URL of the token endpoint (the audience of client assertions)."""
        return f"{self.issuer_url}/token"

    @property
    def authorization_endpoint(self) -> str:
        """URL of the development sign-in page (authorization endpoint)."""
        return f"{self.issuer_url}/authorize"

    @property
    def jwks_uri(self) -> str:
        """URL of the JWKS document."""
        return f"{self.issuer_url}/jwks.json"

    def client_ids(self) -> list[str]:
        """Registered client ids, sorted."""
        return sorted(self._clients)

    def is_web_client(self, client_id: str) -> bool:
        """Whether ``client_id`` is a registered client of the sign-in page."""
        client = self._clients.get(client_id)
        return client is not None and "authorization_code" in client.grant_types

    def jwks(self) -> dict[str, Any]:
        """The public signing keys."""
        return public_jwks([self._key])

    def discovery(self) -> dict[str, Any]:
        """The OpenID Provider metadata (``/.well-known/openid-configuration``)."""
        return {
            "issuer": self.issuer_url,
            "jwks_uri": self.jwks_uri,
            "token_endpoint": self.token_endpoint,
            "authorization_endpoint": self.authorization_endpoint,
            "grant_types_supported": ["client_credentials", "authorization_code", "refresh_token"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt", "client_secret_basic"],
            "token_endpoint_auth_signing_alg_values_supported": ["ES256"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid"],
            "ui_locales_supported": ["en", "cy"],
            "subject_types_supported": ["public"],
            "claims_supported": [
                "sub",
                "iss",
                "aud",
                "exp",
                "iat",
                "nbf",
                "nonce",
                "iom_role",
                "iom_agency",
                "iom_subject_ref",
            ],
            "x_iom_development_only": True,
        }

    def mint(
        self, principal: Principal, ttl_s: int | None = None, client_id: str | None = None
    ) -> str:
        """Sign an RFC 9068 access token for ``principal`` (dev users and clients alike).

        ``client_id`` is the client that asked; default: a system's own id (client
        credentials), else :data:`DEV_TOKEN_CLIENT`.
        """
        if client_id is None:
            systems = (Role.AGENCY_SYSTEM, Role.SERVICE)
            client_id = principal.subject if principal.role in systems else DEV_TOKEN_CLIENT
        now = int(self._clock())
        claims: dict[str, Any] = {
            "iss": self.issuer_url,
            "sub": principal.subject,
            "aud": self.audience,
            "iat": now,
            "nbf": now,
            "exp": now + (ttl_s or self.token_ttl_s),
            "jti": str(uuid.uuid4()),
            "client_id": client_id,
            "iom_role": principal.role.value,
        }
        if principal.agency:
            claims["iom_agency"] = principal.agency
        if principal.subject_ref:
            claims["iom_subject_ref"] = principal.subject_ref
        header = {"alg": self._key.alg or "RS256", "kid": self._key.kid, "typ": "at+jwt"}
        return jwt.encode(header, claims, self._key)

    def id_token(self, principal: Principal, client_id: str, nonce: str) -> str:
        """Sign an OpenID Connect ID token for ``principal``, audience ``client_id``.

        ``acr`` says no one was authenticated: the development page just picks a person.
        """
        now = int(self._clock())
        claims: dict[str, Any] = {
            "iss": self.issuer_url,
            "sub": principal.subject,
            "aud": client_id,
            "azp": client_id,
            "iat": now,
            "exp": now + self.token_ttl_s,
            "auth_time": now,
            "nonce": nonce,
            "acr": DEV_ACR,
            "iom_role": principal.role.value,
        }
        if principal.agency:
            claims["iom_agency"] = principal.agency
        if principal.subject_ref:
            claims["iom_subject_ref"] = principal.subject_ref
        return jwt.encode(
            {"alg": self._key.alg or "RS256", "kid": self._key.kid}, claims, self._key
        )

    def client_principal(self, client_id: str) -> Principal:
        """The principal a registered client's tokens describe."""
        client = self._clients.get(client_id)
        if client is None:
            raise KeyError(f"no development client {client_id!r}")
        return Principal(subject=client.client_id, role=client.role, agency=client.agency)

    def token_response(self, form: Mapping[str, str], authorization: str | None) -> dict[str, Any]:
        """Answer a token request (RFC 6749 §4.4) or raise :class:`OAuthError`."""
        if form.get("grant_type") != "client_credentials":
            raise OAuthError("unsupported_grant_type", "only client_credentials is supported")
        client = self.authenticate_client(form, authorization)
        if "client_credentials" not in client.grant_types:
            raise OAuthError("unauthorized_client", "this client may not use client_credentials")
        token = self.mint(self.client_principal(client.client_id), client_id=client.client_id)
        log.info("identity.dev_token_issued", client_id=client.client_id)
        return {"access_token": token, "token_type": "Bearer", "expires_in": self.token_ttl_s}

    def authenticate_client(self, form: Mapping[str, str], authorization: str | None) -> DevClient:
        """The client a token request authenticates as (``private_key_jwt`` or Basic)."""
        assertion = form.get("client_assertion")
        if assertion is not None:
            if form.get("client_assertion_type") != CLIENT_ASSERTION_TYPE:
                raise OAuthError("invalid_client", "client_assertion_type is not jwt-bearer", 401)
            return self._check_assertion(assertion, form.get("client_id"))
        if authorization and authorization.lower().startswith("basic "):
            return self._check_basic(authorization[6:])
        raise OAuthError("invalid_client", "no client authentication was presented", 401)

    def _check_basic(self, encoded: str) -> DevClient:
        try:
            decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            raise OAuthError("invalid_client", "malformed Basic credentials", 401) from None
        client_id, sep, secret = decoded.partition(":")
        client = self._clients.get(unquote(client_id))
        digest = hashlib.sha256(unquote(secret).encode()).digest()
        if not sep or client is None or not hmac.compare_digest(digest, client.secret_sha256):
            raise OAuthError("invalid_client", "client authentication failed", 401)
        return client

    def _check_assertion(self, assertion: str, claimed_id: str | None) -> DevClient:
        fail = OAuthError("invalid_client", "client authentication failed", 401)
        client_id = _unverified_subject(assertion)
        client = self._clients.get(client_id) if isinstance(client_id, str) else None
        if client is None or (claimed_id is not None and claimed_id != client.client_id):
            raise fail
        try:
            key = ECKey.import_key(dict(client.public_jwk))
            claims = jwt.decode(assertion, key, algorithms=["ES256"]).claims
            jwt.JWTClaimsRegistry(
                now=lambda: int(self._clock()),
                leeway=30,
                iss={"essential": True, "value": client.client_id},
                sub={"essential": True, "value": client.client_id},
                aud={"essential": True, "values": [self.token_endpoint, self.issuer_url]},
                exp={"essential": True},
                jti={"essential": True},
            ).validate(claims)
        except JoseError:
            raise fail from None
        if int(claims["exp"]) - self._clock() > _MAX_ASSERTION_LIFETIME_S:
            raise OAuthError("invalid_client", "client assertion lives too long", 401)
        self._remember_jti(client.client_id, str(claims["jti"]), float(claims["exp"]))
        return client

    def _remember_jti(self, client_id: str, jti: str, expires: float) -> None:
        now = self._clock()
        with self._lock:
            self._seen_jti = {k: v for k, v in self._seen_jti.items() if v > now}
            key = f"{client_id}/{jti}"
            if key in self._seen_jti:
                raise OAuthError("invalid_client", "client assertion was already used", 401)
            self._seen_jti[key] = expires + 60


def _unverified_subject(assertion: str) -> str | None:
    """The ``sub`` of an assertion before its signature is checked: only to pick the key."""
    try:
        payload = json.loads(jws.extract_compact(assertion.encode()).payload)
    except (JoseError, ValueError, UnicodeDecodeError):
        return None
    subject = payload.get("sub") if isinstance(payload, dict) else None
    return subject if isinstance(subject, str) else None
