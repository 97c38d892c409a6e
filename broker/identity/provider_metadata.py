"""The start-up check of the identity provider: its discovery document and JWKS must offer
what the broker needs, or the API refuses to start with one line saying what is missing.

Needed (docs/identity-provider.md): the ``issuer`` the settings name (exactly: tokens are
checked against it); a ``jwks_uri`` whose keys include one for RS256, ES256 or EdDSA (within
``identity.algorithms``); ``private_key_jwt`` among the token endpoint's client authentication
methods (agency systems and the front ends authenticate with keys, never shared secrets); and
PKCE with ``S256`` for the people's sign-in. The endpoints the broker calls are taken from the
document unless a setting names them.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

__all__ = ["ProviderMetadata", "ProviderRefused", "check_provider", "fetch_provider"]

DISCOVERY_PATH = "/.well-known/openid-configuration"
_KEY_ALGORITHMS: dict[tuple[object, object], str] = {
    ("RSA", None): "RS256",
    ("EC", "P-256"): "ES256",
    ("OKP", "Ed25519"): "EdDSA",
}
"""The key types behind the signature algorithms the broker expects a provider to offer."""


class ProviderRefused(ValueError):
    """The identity provider does not offer what the broker needs; one line saying what."""


@dataclass(frozen=True)
class ProviderMetadata:
    """What the broker uses of a checked discovery document."""

    issuer: str
    jwks_uri: str
    token_endpoint: str | None = None
    authorization_endpoint: str | None = None
    end_session_endpoint: str | None = None
    revocation_endpoint: str | None = None


def _string(document: Mapping[str, Any], name: str) -> str | None:
    value = document.get(name)
    return value if isinstance(value, str) and value else None


def _listed(document: Mapping[str, Any], name: str, default: list[str]) -> list[str]:
    value = document.get(name, default)
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _usable_algorithms(jwks: Mapping[str, Any], allowed: tuple[str, ...]) -> set[str]:
    found = set()
    keys = jwks.get("keys")
    for key in keys if isinstance(keys, list) else []:
        if not isinstance(key, dict) or key.get("use", "sig") != "sig":
            continue
        kty, crv = key.get("kty"), key.get("crv")
        alg = _KEY_ALGORITHMS.get((kty, None if kty == "RSA" else crv))
        if alg is not None and alg in allowed and key.get("alg", alg) == alg:
            found.add(alg)
    return found


def check_provider(
    document: Mapping[str, Any],
    jwks: Mapping[str, Any],
    *,
    issuer: str,
    algorithms: tuple[str, ...],
    pkce_unadvertised: bool = False,
) -> ProviderMetadata:
    """The metadata of a provider that meets the broker's needs, else :class:`ProviderRefused`.

    With ``pkce_unadvertised``, a document that says nothing about PKCE is taken to support
    S256 (Entra ID); one that lists methods without S256 is still refused.
    """
    where = f"identity provider {issuer}"
    named = _string(document, "issuer")
    if named is None or named.rstrip("/") != issuer.rstrip("/"):
        raise ProviderRefused(
            f"{where}: its discovery document names issuer {named!r}, "
            "not the one in identity.issuer (IOM_IDENTITY__ISSUER)"
        )
    jwks_uri = _string(document, "jwks_uri")
    if jwks_uri is None:
        raise ProviderRefused(f"{where}: its discovery document has no jwks_uri")
    methods = _listed(document, "token_endpoint_auth_methods_supported", ["client_secret_basic"])
    if "private_key_jwt" not in methods:
        raise ProviderRefused(
            f"{where}: token_endpoint_auth_methods_supported {methods!r} lacks private_key_jwt"
        )
    challenges = _listed(
        document, "code_challenge_methods_supported", ["S256"] if pkce_unadvertised else []
    )
    if "S256" not in challenges:
        raise ProviderRefused(
            f"{where}: code_challenge_methods_supported {challenges!r} lacks S256 (PKCE;"
            " identity.pkce_s256_unadvertised accepts a document that does not list it)"
        )
    wanted = tuple(a for a in algorithms if a in _KEY_ALGORITHMS.values())
    if not _usable_algorithms(jwks, wanted):
        raise ProviderRefused(
            f"{where}: the JWKS at {jwks_uri} has no signing key for {', '.join(wanted) or '-'}"
            " (identity.algorithms)"
        )
    return ProviderMetadata(
        issuer=issuer.rstrip("/"),
        jwks_uri=jwks_uri,
        token_endpoint=_string(document, "token_endpoint"),
        authorization_endpoint=_string(document, "authorization_endpoint"),
        end_session_endpoint=_string(document, "end_session_endpoint"),
        revocation_endpoint=_string(document, "revocation_endpoint"),
    )


def _get_json(client: httpx.Client, url: str, what: str, issuer: str) -> dict[str, Any]:
    try:
        response = client.get(url)
    except httpx.HTTPError as error:
        raise ProviderRefused(
            f"identity provider {issuer}: {what} {url} unreachable ({type(error).__name__})"
        ) from None
    try:
        body = response.json() if response.status_code == 200 else None
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ProviderRefused(
            f"identity provider {issuer}: {what} {url} answered HTTP {response.status_code}"
            " without a JSON object"
        )
    return body


def fetch_provider(
    issuer: str,
    algorithms: tuple[str, ...],
    *,
    ssl_context: ssl.SSLContext | None = None,
    pkce_unadvertised: bool = False,
    timeout_s: float = 10.0,
    transport: httpx.BaseTransport | None = None,
) -> ProviderMetadata:
    """Fetch ``issuer``'s discovery document and JWKS and check them (:func:`check_provider`)."""
    discovery = issuer.rstrip("/") + DISCOVERY_PATH
    with httpx.Client(verify=ssl_context or True, timeout=timeout_s, transport=transport) as client:
        document = _get_json(client, discovery, "discovery document", issuer)
        jwks_uri = _string(document, "jwks_uri")
        jwks = _get_json(client, jwks_uri, "JWKS", issuer) if jwks_uri else {}
    return check_provider(
        document, jwks, issuer=issuer, algorithms=algorithms, pkce_unadvertised=pkce_unadvertised
    )
