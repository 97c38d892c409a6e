"""Signing in to the console and the portal through Keycloak's own sign-in page, in Chromium."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from broker.catalogue.catalogue import default_catalogue
from broker.devtools.identity.dev_clients import DevClientStore
from broker.http.context import ApiContext
from broker.identity.jwks_source import HttpJwksSource
from broker.identity.sign_in_flow import RelyingParty
from broker.identity.token_client import load_client_key
from broker.identity.token_validator import TokenValidator
from broker.server.app import create_app
from broker.settings import ApiSettings
from broker.transparency.log import TransparencyLog
from tests.e2e.conftest import _ready, screenshot
from tests.integration.api.live_server import live_server
from tests.support.api_context import workspace
from tests.support.keycloak_session import SUPERVISEE_REF, KeycloakSession

pytestmark = pytest.mark.kafka

AGENCY = "gwent-police"


@pytest.fixture(scope="module")
def keycloak_app(keycloak: KeycloakSession, shared_log: TransparencyLog) -> Iterator[str]:
    """The app signing people in through the session's Keycloak, its two callbacks registered
    exactly in the realm."""
    realm = keycloak.realm
    web = keycloak.settings.sign_in.client_id
    context = ssl.create_default_context(cafile=str(realm.ca_file))
    keys = HttpJwksSource(realm.jwks_url, context)
    web_key = DevClientStore(realm.clients_dir).ensure(web).key_file
    app_context = ApiContext(
        validator=keycloak.api_validator(),
        catalogue=default_catalogue(),
        agencies=keycloak.agencies,
        kafka_probe=_ready,
        policies=workspace(),
        settings=ApiSettings(),
        log=shared_log,
        sign_in=RelyingParty(
            issuer=realm.issuer,
            authorization_url=realm.authorization_url,
            token_url=realm.token_url,
            client_id=web,
            id_tokens=TokenValidator(issuer=realm.issuer, audience=web, keys=keys),
            private_key=load_client_key(web_key),
            ssl_context=context,
        ),
    )
    with live_server(create_app(app_context)) as url:
        keycloak.reapply_realm([f"{url}/portal/signed-in", f"{url}/console/signed-in"])
        yield url


def _sign_in_at_keycloak(page: Page, keycloak: KeycloakSession, username: str) -> None:
    page.fill("#username", username)
    page.fill("#password", keycloak.realm.password_file.read_text().strip())
    page.click("#kc-login")


def test_a_dpo_signs_in_to_the_console_through_keycloak(
    page: Page, keycloak: KeycloakSession, keycloak_app: str
) -> None:
    """A DPO is sent to Keycloak's own sign-in page, signs in with their password and lands on
    the console's agreements."""
    page.goto(f"{keycloak_app}/console?lang=en")
    page.click("#sign-in")
    expect(page.locator("#kc-login")).to_be_visible()
    assert page.url.startswith(keycloak.realm.issuer)
    screenshot(page, "keycloak-sign-in-en")

    _sign_in_at_keycloak(page, keycloak, f"dpo-{AGENCY}")

    expect(page.locator("h1")).to_have_text("Sharing agreements")
    assert page.url.startswith(keycloak_app)


def test_keycloaks_page_speaks_welsh_when_asked(
    page: Page, keycloak: KeycloakSession, keycloak_app: str
) -> None:
    """From the Welsh portal, Keycloak's sign-in page is in Welsh (the realm's texts), and the
    supervisee lands on their Welsh portal."""
    page.goto(f"{keycloak_app}/portal/sign-in?lang=cy")
    page.click("#sign-in")
    expect(page.locator("#kc-login")).to_have_text("Mewngofnodi")
    expect(page.locator("h1")).to_have_text("Mewngofnodi i'ch cyfrif")
    screenshot(page, "keycloak-sign-in-cy")

    _sign_in_at_keycloak(page, keycloak, f"supervisee-{SUPERVISEE_REF}")

    assert page.url.startswith(f"{keycloak_app}/portal")
    expect(page.locator("html")).to_have_attribute("lang", "cy")


def test_a_wrong_password_stays_on_keycloaks_page(
    page: Page, keycloak: KeycloakSession, keycloak_app: str
) -> None:
    """A wrong password is refused on Keycloak's page and the console stays closed."""
    page.goto(f"{keycloak_app}/console?lang=en")
    page.click("#sign-in")
    page.fill("#username", f"dpo-{AGENCY}")
    page.fill("#password", "not-the-password")
    page.click("#kc-login")

    expect(page.locator("main")).to_contain_text("Invalid username or password")
    page.goto(f"{keycloak_app}/console")
    expect(page.locator("h1")).to_have_text("Sign in")
