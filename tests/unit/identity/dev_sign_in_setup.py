"""A development issuer with its sign-in page, in a temp dir, for the sign-in tests."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from authlib.oauth2.rfc7636 import create_s256_code_challenge  # type: ignore[import-untyped]

from broker.devtools.identity.dev_clients import DevClientStore
from broker.devtools.identity.dev_issuer import DevIssuer
from broker.devtools.identity.dev_issuer_app import create_dev_issuer_app
from broker.devtools.identity.dev_sign_in import DevSignIn
from broker.devtools.identity.dev_users import add_dev_supervisee
from broker.devtools.identity.web_clients import register_redirect_uris
from broker.http.context import ApiContext
from broker.identity.jwks_source import StaticKeySource
from broker.identity.sign_in_flow import RelyingParty
from broker.identity.token_client import load_client_key
from broker.identity.token_validator import TokenValidator
from broker.settings import load_settings
from tests.unit.identity.keys import agencies

URL = "https://127.0.0.1:8443"
WEB_CLIENT = "iom-web"
PORTAL_CALLBACK = "https://portal.test/portal/signed-in"
CONSOLE_CALLBACK = "https://portal.test/console/signed-in"
VERIFIER = "v" * 43 + "-correct-verifier"


@dataclass
class IssuerUnderTest:
    """The issuer, its sign-in logic, its state dir and an in-process HTTP client."""

    issuer: DevIssuer
    sign_in: DevSignIn
    state: Path
    http: httpx.AsyncClient

    @property
    def web_key_file(self) -> Path:
        """The web client's private key (what the front ends hold)."""
        return DevClientStore(self.state / "clients").ensure(WEB_CLIENT).key_file


def issuer_under_test(state: Path) -> IssuerUnderTest:
    """An issuer in ``state`` with subj-a listed and both callbacks registered."""
    issuer = DevIssuer.open(state, load_settings(), agencies(), issuer_url=URL)
    register_redirect_uris(state, WEB_CLIENT, [PORTAL_CALLBACK, CONSOLE_CALLBACK])
    add_dev_supervisee(state, "subj-a", "Test person A")
    sign_in = DevSignIn(issuer, state, agencies())
    transport = httpx.ASGITransport(app=create_dev_issuer_app(issuer, sign_in))
    return IssuerUnderTest(
        issuer, sign_in, state, httpx.AsyncClient(transport=transport, base_url=URL)
    )


def authorize_params(**overrides: str) -> dict[str, str]:
    """A valid authorization request for the portal, with ``overrides``."""
    params = {
        "response_type": "code",
        "client_id": WEB_CLIENT,
        "redirect_uri": PORTAL_CALLBACK,
        "scope": "openid",
        "state": "state-123",
        "nonce": "nonce-456",
        "code_challenge": create_s256_code_challenge(VERIFIER),
        "code_challenge_method": "S256",
    }
    params.update(overrides)
    return params


def transaction_of(page: str) -> str:
    """The hidden transaction id on the sign-in page."""
    found = re.search(r'name="transaction" value="([^"]+)"', page)
    assert found, "the page has no transaction"
    return found.group(1)


async def pick(http: httpx.AsyncClient, location: str, user_id: str) -> httpx.Response:
    """Open the sign-in page at ``location`` and choose ``user_id``."""
    page = await http.get(location)
    assert page.status_code == 200, page.text
    form = {"transaction": transaction_of(page.text), "user": user_id}
    return await http.post("/authorize", data=form)


def query_of(location: str) -> dict[str, str]:
    """The query parameters of a redirect."""
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def relying_party(
    idp: IssuerUnderTest, transport: httpx.AsyncBaseTransport | None = None, **options: Any
) -> RelyingParty:
    """The front ends' client of ``idp`` (reached by ``transport``, else in process)."""
    keys = StaticKeySource(idp.issuer.jwks())
    return RelyingParty(
        issuer=URL,
        authorization_url=f"{URL}/authorize",
        token_url=f"{URL}/token",
        client_id=WEB_CLIENT,
        id_tokens=TokenValidator(issuer=URL, audience=WEB_CLIENT, keys=keys),
        private_key=load_client_key(idp.web_key_file),
        transport=transport
        or httpx.ASGITransport(app=create_dev_issuer_app(idp.issuer, idp.sign_in)),
        **options,
    )


def signing_in_through(
    context: ApiContext,
    idp: IssuerUnderTest,
    transport: httpx.AsyncBaseTransport | None = None,
    **changes: Any,
) -> ApiContext:
    """``context`` trusting ``idp``'s tokens and signing people in through it (reached by
    ``transport``, else in process), without the supervisee rate limit, with ``changes``."""
    endpoints = ("end_session_url", "revocation_url")
    options = {k: changes.pop(k) for k in endpoints if k in changes}
    keys = StaticKeySource(idp.issuer.jwks())
    return dataclasses.replace(
        context,
        validator=TokenValidator(
            issuer=URL, audience=idp.issuer.audience, keys=keys, agencies=agencies()
        ),
        sign_in=relying_party(idp, transport, **options),
        limiter=None,
        **changes,
    )
