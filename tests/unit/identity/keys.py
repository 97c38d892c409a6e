"""A fixed issuer key and validator for the identity unit tests (generated once per run)."""

from __future__ import annotations

from functools import cache
from typing import Any

from joserfc.jwk import RSAKey

from broker.agency_registry import load_agencies
from broker.devtools.identity.signing_keys import public_jwks
from broker.domain.agency import AgencyDirectory
from broker.identity.jwks_source import StaticKeySource
from broker.identity.token_validator import TokenValidator
from broker.settings import PROJECT_ROOT

ISSUER = "https://issuer.test"
AUDIENCE = "iom-broker"


@cache
def issuer_key() -> RSAKey:
    """The test issuer's signing key."""
    return RSAKey.generate_key(2048, parameters={"alg": "RS256", "use": "sig"}, auto_kid=True)


@cache
def agencies() -> AgencyDirectory:
    """The shipped agency registry."""
    return load_agencies(PROJECT_ROOT / "policies" / "agencies.yaml")


def validator(**overrides: Any) -> TokenValidator:
    """A validator trusting only :func:`issuer_key`."""
    options: dict[str, Any] = {
        "issuer": ISSUER,
        "audience": AUDIENCE,
        "keys": StaticKeySource(public_jwks([issuer_key()])),
        "agencies": agencies(),
    }
    options.update(overrides)
    return TokenValidator(**options)
