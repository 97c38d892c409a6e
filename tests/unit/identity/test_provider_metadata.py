"""The API refuses to start with an identity provider whose discovery document or JWKS does
not offer what the broker needs, saying what is missing in one line."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from joserfc.jwk import ECKey, OKPKey

from broker.devtools.identity.dev_issuer import DevIssuer
from broker.devtools.identity.signing_keys import public_jwks
from broker.identity.provider_metadata import ProviderRefused, check_provider, fetch_provider
from tests.unit.identity.keys import AUDIENCE, ISSUER, issuer_key

ALGORITHMS = ("RS256", "PS256", "ES256", "EdDSA")


def _document(**changes: Any) -> dict[str, Any]:
    """A Keycloak-like discovery document that meets every need, with ``changes``."""
    document: dict[str, Any] = {
        "issuer": ISSUER,
        "jwks_uri": f"{ISSUER}/certs",
        "token_endpoint": f"{ISSUER}/token",
        "authorization_endpoint": f"{ISSUER}/auth",
        "end_session_endpoint": f"{ISSUER}/logout",
        "revocation_endpoint": f"{ISSUER}/revoke",
        "token_endpoint_auth_methods_supported": ["private_key_jwt", "client_secret_basic"],
        "code_challenge_methods_supported": ["plain", "S256"],
    }
    document.update(changes)
    return {k: v for k, v in document.items() if v is not None}


def _jwks() -> dict[str, Any]:
    return public_jwks([issuer_key()])


def _refusal(document: dict[str, Any], jwks: dict[str, Any] | None = None) -> str:
    with pytest.raises(ProviderRefused) as refused:
        check_provider(
            document, _jwks() if jwks is None else jwks, issuer=ISSUER, algorithms=ALGORITHMS
        )
    message = str(refused.value)
    assert "\n" not in message and message.startswith(f"identity provider {ISSUER}: ")
    return message


def test_a_provider_that_offers_everything_gives_its_endpoints() -> None:
    """A fitting provider passes; its token, logout and revocation endpoints are used."""
    found = check_provider(_document(), _jwks(), issuer=ISSUER + "/", algorithms=ALGORITHMS)

    assert found.jwks_uri == f"{ISSUER}/certs" and found.token_endpoint == f"{ISSUER}/token"
    assert found.end_session_endpoint == f"{ISSUER}/logout"
    assert found.revocation_endpoint == f"{ISSUER}/revoke"


def test_the_development_issuer_passes() -> None:
    """Today's development issuer meets the check (it offers no RP-initiated logout)."""
    issuer = DevIssuer(issuer_url=ISSUER, audience=AUDIENCE, signing_key=issuer_key(), clients={})

    found = check_provider(issuer.discovery(), issuer.jwks(), issuer=ISSUER, algorithms=ALGORITHMS)

    assert found.end_session_endpoint is None


def test_another_issuer_is_refused() -> None:
    """A document naming another issuer is refused, naming what it says."""
    assert "names issuer 'https://other.test'" in _refusal(_document(issuer="https://other.test"))


def test_a_missing_jwks_uri_is_refused() -> None:
    """Without a jwks_uri tokens cannot be checked."""
    assert "has no jwks_uri" in _refusal(_document(jwks_uri=None))


def test_a_provider_without_private_key_jwt_is_refused() -> None:
    """Client secrets only (or the default when the list is absent) are refused."""
    only_secrets = _document(token_endpoint_auth_methods_supported=["client_secret_post"])
    assert "lacks private_key_jwt" in _refusal(only_secrets)
    assert "['client_secret_basic'] lacks private_key_jwt" in _refusal(
        _document(token_endpoint_auth_methods_supported=None)
    )


def test_a_provider_without_pkce_s256_is_refused() -> None:
    """PKCE with S256 is needed for people's sign-in; plain or nothing is refused."""
    assert "lacks S256" in _refusal(_document(code_challenge_methods_supported=["plain"]))
    assert "lacks S256" in _refusal(_document(code_challenge_methods_supported=None))


def test_pkce_may_be_taken_as_read_for_a_provider_that_does_not_list_it() -> None:
    """With ``pkce_s256_unadvertised`` (Entra ID), a document silent on PKCE passes; one
    listing only ``plain`` is still refused."""
    silent = _document(code_challenge_methods_supported=None)
    check_provider(silent, _jwks(), issuer=ISSUER, algorithms=ALGORITHMS, pkce_unadvertised=True)
    with pytest.raises(ProviderRefused, match="lacks S256"):
        check_provider(
            _document(code_challenge_methods_supported=["plain"]),
            _jwks(),
            issuer=ISSUER,
            algorithms=ALGORITHMS,
            pkce_unadvertised=True,
        )


def test_a_jwks_without_a_usable_signing_key_is_refused() -> None:
    """Encryption-only keys, P-384 and secp256k1 keys, or no keys, give nothing to check with."""
    encryption = {**_jwks()["keys"][0], "use": "enc"}
    p384 = ECKey.generate_key("P-384").as_dict(private=False)
    x25519 = OKPKey.generate_key("X25519").as_dict(private=False)
    for keys in ([], [encryption], [p384, x25519]):
        assert "has no signing key for RS256, ES256, EdDSA" in _refusal(_document(), {"keys": keys})


def test_a_key_the_settings_do_not_allow_is_refused() -> None:
    """An RSA key does not do when the settings allow only ES256."""
    with pytest.raises(ProviderRefused, match="no signing key for ES256"):
        check_provider(_document(), _jwks(), issuer=ISSUER, algorithms=("ES256",))


def test_an_unreachable_or_failing_provider_is_refused() -> None:
    """A discovery document that cannot be fetched, or a JWKS that is not JSON, is refused."""

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    def broken_jwks(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("openid-configuration"):
            return httpx.Response(200, json=_document())
        return httpx.Response(500, text="oops")

    with pytest.raises(ProviderRefused, match=r"discovery document .* unreachable"):
        fetch_provider(ISSUER, ALGORITHMS, transport=httpx.MockTransport(down))
    with pytest.raises(ProviderRefused, match=r"JWKS .*/certs answered HTTP 500"):
        fetch_provider(ISSUER, ALGORITHMS, transport=httpx.MockTransport(broken_jwks))


def test_a_fitting_provider_is_fetched_and_checked() -> None:
    """Discovery at ``/.well-known/openid-configuration``, then the JWKS it names."""
    asked: list[str] = []

    def provider(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        document = request.url.path.endswith("openid-configuration")
        return httpx.Response(200, json=_document() if document else _jwks())

    found = fetch_provider(ISSUER, ALGORITHMS, transport=httpx.MockTransport(provider))

    assert asked == ["/.well-known/openid-configuration", "/certs"]
    assert found.authorization_endpoint == f"{ISSUER}/auth"
