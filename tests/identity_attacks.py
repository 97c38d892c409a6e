"""Hostile tokens shared by the validator unit tests and the Kafka attack tests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey

from broker.devtools.identity.signing_keys import SigningKey

__all__ = ["ATTACKS", "claims_for", "sign"]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims_for(issuer: str, audience: str, subject: str, **extra: Any) -> dict[str, Any]:
    """Claims of a token that would be valid for ``subject`` right now."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": f"attack-{now}",
        "client_id": subject,
        "iom_role": "agency_system",
    }
    claims.update(extra)
    return claims


def sign(claims: dict[str, Any], key: SigningKey, **header: Any) -> str:
    """Sign ``claims`` with ``key`` (RS256, the key's kid unless overridden)."""
    return jwt.encode({"alg": "RS256", "kid": key.kid, **header}, claims, key)


def _forged(key: SigningKey, claims: dict[str, Any]) -> str:
    """Right kid, wrong key: an attacker's own RSA key claiming the issuer's kid."""
    other = RSAKey.generate_key(2048)
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, other)


def _expired(key: SigningKey, claims: dict[str, Any]) -> str:
    now = int(time.time())
    return sign({**claims, "iat": now - 7200, "nbf": now - 7200, "exp": now - 3600}, key)


def _wrong_audience(key: SigningKey, claims: dict[str, Any]) -> str:
    return sign({**claims, "aud": "some-other-service"}, key)


def _wrong_issuer(key: SigningKey, claims: dict[str, Any]) -> str:
    return sign({**claims, "iss": "https://issuer.attacker.example"}, key)


def _alg_none(key: SigningKey, claims: dict[str, Any]) -> str:
    header = {"alg": "none", "typ": "JWT", "kid": key.kid}
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}."


def _unknown_kid(key: SigningKey, claims: dict[str, Any]) -> str:
    other = RSAKey.generate_key(2048)
    return jwt.encode({"alg": "RS256", "kid": "kid-the-issuer-never-published"}, claims, other)


def _hmac_with_public_key(key: SigningKey, claims: dict[str, Any]) -> str:
    """HS256 keyed with the issuer's public key PEM (the classic algorithm confusion)."""
    header = {"alg": "HS256", "typ": "JWT", "kid": key.kid}
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    secret = key.as_pem(private=False)
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(mac)}"


ATTACKS: dict[str, Callable[[SigningKey, dict[str, Any]], str]] = {
    "forged": _forged,
    "expired": _expired,
    "wrong_audience": _wrong_audience,
    "wrong_issuer": _wrong_issuer,
    "alg_none": _alg_none,
    "unknown_kid": _unknown_kid,
    "hmac_with_public_key": _hmac_with_public_key,
}
"""Each attack builds a token from the issuer's real key and otherwise valid claims."""
