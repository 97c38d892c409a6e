"""Validate a bearer JWT against the issuer's keys and turn it into a :class:`Principal`.

Checks, in order: size and shape; the header's ``alg`` is in the asymmetric allow-list (so
``none`` and HMAC-with-the-public-key are refused before any key is touched); the ``kid``
names a key of the matching type; the signature; ``iss``, ``aud``, ``exp``, ``nbf``, ``iat``
and ``sub``; a lifetime (``exp - iat``) no longer than the configured maximum; for access
tokens, a claim naming the client they were issued to (RFC 9068 ``client_id``, or what the
claim mapping says); then the claim mapping. Every refusal is a :class:`TokenRejected` with a stable
``reason``; no message ever contains the token or a claim value.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any

from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet

from broker.domain.agency import AgencyDirectory
from broker.identity.claims import ClaimsError, principal_from_claims
from broker.identity.jwks_source import JwksError, KeySource
from broker.identity.principal import Principal
from broker.settings import ASYMMETRIC_ALGORITHMS, ClaimMapping, IdentitySettings

__all__ = ["DEFAULT_MAX_LIFETIME_S", "MAX_TOKEN_BYTES", "TokenRejected", "TokenValidator"]

MAX_TOKEN_BYTES = 16 * 1024
DEFAULT_MAX_LIFETIME_S = 3600

_KEY_TYPES = {"RS": "RSA", "PS": "RSA", "ES": "EC", "Ed": "OKP"}
_CLAIM_REASONS = {
    "iss": "wrong_issuer",
    "aud": "wrong_audience",
    "nbf": "not_yet_valid",
    "iat": "issued_in_future",
    "exp": "invalid_expiry",
}


class TokenRejected(Exception):
    """A token was refused; ``reason`` is a stable code such as ``expired`` or ``unknown_kid``."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"token refused ({reason}): {detail}")
        self.reason = reason


class TokenValidator:
    """Checks tokens of one issuer for one audience."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        keys: KeySource,
        algorithms: tuple[str, ...] = ("RS256", "PS256", "ES256", "EdDSA"),
        leeway_s: int = 30,
        max_lifetime_s: int = DEFAULT_MAX_LIFETIME_S,
        mapping: ClaimMapping | None = None,
        agencies: AgencyDirectory | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        unsafe = [a for a in algorithms if a not in ASYMMETRIC_ALGORITHMS]
        if unsafe:
            raise ValueError(f"algorithms {unsafe!r} are not allowed; use asymmetric ones")
        self.issuer = issuer
        self.audience = audience
        self._keys = keys
        self._algorithms = frozenset(algorithms)
        self._leeway_s = leeway_s
        self._max_lifetime_s = max_lifetime_s
        self._mapping = mapping or ClaimMapping()
        self._agencies = agencies
        self._clock = clock

    @classmethod
    def from_settings(
        cls, identity: IdentitySettings, keys: KeySource, agencies: AgencyDirectory | None = None
    ) -> TokenValidator:
        """A validator for the configured issuer, audience, algorithms and claim mapping."""
        return cls(
            issuer=identity.issuer,
            audience=identity.audience,
            keys=keys,
            algorithms=identity.algorithms,
            leeway_s=identity.leeway_seconds,
            max_lifetime_s=identity.max_token_lifetime_seconds,
            mapping=identity.claims,
            agencies=agencies,
        )

    def validate(self, token: str) -> Principal:
        """Return the caller ``token`` authenticates, or raise :class:`TokenRejected`."""
        return self.validate_expiring(token)[0]

    def validate_expiring(self, token: str) -> tuple[Principal, int]:
        """The caller ``token`` authenticates and when the token expires (``exp``, seconds)."""
        claims = self.validate_claims(token)
        names = self._mapping.client_id_claims
        if names and not any(isinstance(claims.get(n), str) and claims[n] for n in names):
            raise TokenRejected(
                "missing_client_id", f"an access token must name its client in one of {names!r}"
            )
        try:
            return principal_from_claims(claims, self._mapping, self._agencies), int(claims["exp"])
        except ClaimsError as error:
            raise TokenRejected(error.reason, str(error)) from None

    def validate_claims(self, token: str) -> dict[str, Any]:
        """Check signature and registered claims; return the claims (no role mapping)."""
        header = _header(token)
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in self._algorithms:
            raise TokenRejected(
                "algorithm_not_allowed", "the header's alg is not in the allow-list"
            )
        key = self._key(header.get("kid"), alg)
        try:
            decoded = jwt.decode(token, key, algorithms=[alg])
        except BadSignatureError:
            raise TokenRejected("bad_signature", "the signature does not verify") from None
        except JoseError as error:
            raise TokenRejected("malformed", f"not a valid JWS ({error.error})") from None
        self._check_claims(decoded.claims)
        return dict(decoded.claims)

    def _key(self, kid: object, alg: str) -> Any:
        if not isinstance(kid, str) or not kid:
            raise TokenRejected("missing_kid", "the header names no key id")
        try:
            key = _find(self._keys.key_set(), kid) or _find(self._keys.refresh(), kid)
        except JwksError as error:
            raise TokenRejected("keys_unavailable", str(error)) from None
        if key is None:
            raise TokenRejected("unknown_kid", "the header's kid is not in the issuer's JWKS")
        if key.key_type != _KEY_TYPES.get(alg[:2]) or (key.alg and key.alg != alg):
            raise TokenRejected(
                "algorithm_not_allowed", f"alg {alg} does not fit a {key.key_type} key"
            )
        return key

    def _check_claims(self, claims: dict[str, Any]) -> None:
        registry = jwt.JWTClaimsRegistry(
            now=lambda: int(self._clock()),
            leeway=self._leeway_s,
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.audience},
            exp={"essential": True},
            iat={"essential": True},
            sub={"essential": True},
        )
        try:
            registry.validate(claims)
        except ExpiredTokenError:
            raise TokenRejected("expired", "the token has expired") from None
        except MissingClaimError as error:
            raise TokenRejected("missing_claim", f"claim {error.claim!r} is required") from None
        except InvalidClaimError as error:
            reason = _CLAIM_REASONS.get(error.claim, "invalid_claim")
            raise TokenRejected(reason, f"claim {error.claim!r} is not acceptable") from None
        except JoseError as error:
            raise TokenRejected("invalid_claim", f"claims refused ({error.error})") from None
        if claims["exp"] - claims["iat"] > self._max_lifetime_s:
            raise TokenRejected(
                "lifetime_too_long",
                f"exp - iat is longer than the allowed {self._max_lifetime_s} seconds",
            )


def _header(token: str) -> dict[str, Any]:
    if not isinstance(token, str) or len(token) > MAX_TOKEN_BYTES:
        raise TokenRejected(
            "malformed", f"a token must be a string of at most {MAX_TOKEN_BYTES} bytes"
        )
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenRejected("malformed", "a JWS compact token has three dot-separated parts")
    try:
        raw = base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4))
        header = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise TokenRejected("malformed", "the header is not base64url JSON") from None
    if not isinstance(header, dict):
        raise TokenRejected("malformed", "the header is not a JSON object")
    return header


def _find(keys: KeySet, kid: str) -> Any:
    return next((k for k in keys.keys if k.kid == kid), None)
