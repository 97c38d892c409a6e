"""Access tokens for API callers, minted by a test issuer the test validator trusts."""

from __future__ import annotations

from broker.devtools.identity.dev_issuer import DevIssuer
from broker.identity.principal import Principal, Role
from tests.unit.identity.keys import AUDIENCE, ISSUER, issuer_key

ISSUER_APP = DevIssuer(issuer_url=ISSUER, audience=AUDIENCE, signing_key=issuer_key(), clients={})
#: Test modules mint their callers' headers once, at import: the longest lifetime the validator
#: accepts (1 hour), so a token is still valid when a long suite reaches its module.
TOKEN_TTL_S = 3600


def token(role: Role, subject_ref: str | None = None, agency: str | None = None) -> str:
    """A valid access token for a caller of ``role``."""
    sub = f"{role.value}-{subject_ref or agency or 'user'}"
    principal = Principal(sub, role, agency=agency, subject_ref=subject_ref)
    return ISSUER_APP.mint(principal, ttl_s=TOKEN_TTL_S)


def bearer(role: Role, subject_ref: str | None = None, agency: str | None = None) -> dict[str, str]:
    """Authorization headers for a caller of ``role``."""
    return {"Authorization": f"Bearer {token(role, subject_ref, agency)}"}
