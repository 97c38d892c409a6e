"""Signing in to the console and the portal through Keycloak's own sign-in page, in Chromium."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from broker.catalogue.catalogue import default_catalogue
from broker.devtools.identity.dev_clients import DevClientStore
from broker.devtools.keycloak.realm_plan import dev_people
from broker.http.context import ApiContext
from broker.http.sentences import Language
from broker.identity.jwks_source import HttpJwksSource
from broker.identity.provider_metadata import fetch_provider
from broker.identity.session_seal import session_hash
from broker.identity.sign_in_flow import RelyingParty
from broker.identity.token_client import load_client_key
from broker.identity.token_validator import TokenValidator
from broker.records.web_sessions import WebSession, WebSessionStore
from broker.server.app import create_app
from broker.settings import ApiSettings
from broker.transparency.log import TransparencyLog
from broker.web.texts import TEXTS
from tests.e2e.conftest import _ready, new_page, screenshot
from tests.e2e.console_changes import FIXED, PATH
from tests.integration.api.live_server import live_server
from tests.support.api_context import workspace
from tests.support.keycloak_session import SUPERVISEE_REF, KeycloakSession

pytestmark = pytest.mark.kafka

AGENCY = "gwent-police"


@dataclass(frozen=True)
class KeycloakApp:
    """The app's URL and the store its web sessions live in."""

    url: str
    sessions: WebSessionStore


@pytest.fixture(scope="module")
def keycloak_site(keycloak: KeycloakSession, shared_log: TransparencyLog) -> Iterator[KeycloakApp]:
    """The app signing people in through the session's Keycloak, its endpoints taken from the
    realm's discovery document after the API's start-up check, its two callbacks (and the two
    pages logout returns to) registered exactly in the realm."""
    realm = keycloak.realm
    web = keycloak.settings.sign_in.client_id
    context = ssl.create_default_context(cafile=str(realm.ca_file))
    provider = fetch_provider(
        realm.issuer, keycloak.settings.identity.algorithms, ssl_context=context
    )
    keys = HttpJwksSource(provider.jwks_uri, context)
    web_key = DevClientStore(realm.clients_dir).ensure(web).key_file
    sessions = WebSessionStore()
    app_context = ApiContext(
        validator=keycloak.api_validator(),
        catalogue=default_catalogue(),
        agencies=keycloak.agencies,
        kafka_probe=_ready,
        policies=workspace(),
        settings=ApiSettings(),
        log=shared_log,
        sign_in=RelyingParty(
            issuer=provider.issuer,
            authorization_url=provider.authorization_endpoint or "",
            token_url=provider.token_endpoint or "",
            end_session_url=provider.end_session_endpoint,
            revocation_url=provider.revocation_endpoint,
            client_id=web,
            id_tokens=TokenValidator(issuer=realm.issuer, audience=web, keys=keys),
            private_key=load_client_key(web_key),
            ssl_context=context,
        ),
        web_sessions=sessions,
    )
    with live_server(create_app(app_context)) as url:
        keycloak.reapply_realm([f"{url}/portal/signed-in", f"{url}/console/signed-in"])
        yield KeycloakApp(url, sessions)


@pytest.fixture(scope="module")
def keycloak_app(keycloak_site: KeycloakApp) -> str:
    """The URL of the app signing people in through Keycloak."""
    return keycloak_site.url


def _sign_in_at_keycloak(page: Page, keycloak: KeycloakSession, username: str) -> None:
    page.fill("#username", username)
    page.fill("#password", keycloak.realm.password_file.read_text().strip())
    page.click("#kc-login")


def _held_session(page: Page, site: KeycloakApp, cookie: str) -> WebSession:
    """The server-side session behind the browser's ``cookie``."""
    value = {c["name"]: c["value"] for c in page.context.cookies()}[cookie]
    area = "console" if cookie == "iom_console" else "portal"
    found = site.sessions.find(session_hash(value), area)
    assert found is not None
    return found


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


def test_signing_out_ends_keycloaks_session_too(
    page: Page, browser: Browser, keycloak: KeycloakSession, keycloak_site: KeycloakApp
) -> None:
    """Signing out of the console ends Keycloak's session (RP-initiated logout returns to the
    console's sign-in page), the old cookie then gets the sign-in page, and signing in again
    asks for the password again."""
    url = keycloak_site.url
    page.goto(f"{url}/console/sign-in?lang=en")
    page.click("#sign-in")
    _sign_in_at_keycloak(page, keycloak, f"dpo-{AGENCY}")
    expect(page.locator("h1")).to_have_text("Sharing agreements")
    held = {c["name"]: c["value"] for c in page.context.cookies()}["iom_console"]
    refused = httpx.get(f"{url}/policies/history", headers={"Authorization": f"Bearer {held}"})
    assert refused.status_code == 401, "the cookie is no bearer token"

    page.click("#sign-out")

    expect(page.locator("h1")).to_have_text("Sign in")
    assert page.url.split("?")[0] == f"{url}/console/sign-in"
    other = new_page(browser)
    try:
        other.context.add_cookies([{"name": "iom_console", "value": held, "url": url}])
        other.goto(f"{url}/console")
        expect(other.locator("h1")).to_have_text("Sign in")
    finally:
        other.context.close()
    page.click("#sign-in")
    expect(page.locator("#password")).to_be_visible()
    assert page.url.startswith(keycloak.realm.issuer), "Keycloak asks for the password again"


def test_the_portals_sign_out_returns_to_its_signed_out_page_in_welsh(
    page: Page, keycloak: KeycloakSession, keycloak_app: str
) -> None:
    """A supervisee signing out of the Welsh portal passes through Keycloak's logout and comes
    back to the portal's own "signed out" page, still in Welsh."""
    page.goto(f"{keycloak_app}/portal/sign-in?lang=cy")
    page.click("#sign-in")
    _sign_in_at_keycloak(page, keycloak, f"supervisee-{SUPERVISEE_REF}")
    expect(page.locator("#sign-out")).to_be_visible()

    page.click("#sign-out")

    page.wait_for_url(f"{keycloak_app}/portal/signed-out*")
    expect(page.locator("html")).to_have_attribute("lang", "cy")


def test_an_expired_access_token_is_renewed_with_keycloaks_refresh_token(
    page: Page, keycloak: KeycloakSession, keycloak_site: KeycloakApp
) -> None:
    """When the session's access token has expired, the next page renews it with Keycloak's
    refresh token (new tokens kept server-side) and the supervisee keeps reading their
    portal without signing in again."""
    url = keycloak_site.url
    page.goto(f"{url}/portal/sign-in?lang=en")
    page.click("#sign-in")
    _sign_in_at_keycloak(page, keycloak, f"supervisee-{SUPERVISEE_REF}")
    expect(page.locator("#sign-out")).to_be_visible()
    first = _held_session(page, keycloak_site, "iom_session")
    keycloak_site.sessions.replace_tokens(first.session_hash, first.tokens, first.tokens, 0)

    page.goto(f"{url}/portal")

    expect(page.locator("#sign-out")).to_be_visible()
    renewed = _held_session(page, keycloak_site, "iom_session")
    assert renewed.tokens != first.tokens
    assert renewed.access_expires_at_ms > keycloak_site.sessions.now_ms()


def test_a_dpos_name_from_keycloak_shows_on_the_proposal_and_history(
    page: Page, keycloak: KeycloakSession, keycloak_app: str
) -> None:
    """A DPO signed in through Keycloak who approves a proposal is shown by the name Keycloak
    holds for them ("First Last (role)") on the proposal and in the history, in English and
    Welsh."""
    proposer = keycloak.person_token("dpo-probation-wales")
    made = httpx.post(
        f"{keycloak_app}/policies/proposals",
        json={"files": {PATH: FIXED}},
        headers={"Authorization": f"Bearer {proposer}"},
    )
    assert made.status_code == 201, made.text
    [gdas] = [p for p in dev_people(keycloak.agencies, []) if p.username == "dpo-gdas"]
    name = f"{gdas.first_name} {gdas.last_name}"
    page.goto(f"{keycloak_app}/console/sign-in?lang=en")
    page.click("#sign-in")
    _sign_in_at_keycloak(page, keycloak, "dpo-gdas")
    page.goto(f"{keycloak_app}/console/proposals/{made.json()['proposal_id']}")

    page.click("#approve")
    page.click("#confirm-approve")

    expect(page.locator("#party-gdas")).to_contain_text(f"{name} (")
    page.goto(f"{keycloak_app}/console/history")
    expect(page.locator("main")).to_contain_text(f"{name} (")
    page.goto(f"{keycloak_app}/console/history?lang=cy")
    expect(page.locator("main")).to_contain_text(f"{name} (Swyddog Diogelu Data")


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("width", [1280, 375])
def test_keycloaks_sign_in_page_at_desk_and_phone_widths(
    browser: Browser, keycloak_app: str, lang: Language, width: int
) -> None:
    """Keycloak's sign-in page, reached from the portal, names the service by the portal's own
    plain name and says "Sign in" in the person's language, at 1280 and 375 px (screenshots
    for review)."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, ignore_https_errors=True
    )
    page = context.new_page()
    try:
        page.goto(f"{keycloak_app}/portal/sign-in?lang={lang}")
        page.click("#sign-in")
        expect(page.locator("#kc-header-wrapper")).to_have_text(TEXTS[lang]["service"])
        expect(page.locator("#kc-login")).to_have_text(TEXTS[lang]["sign_in_title"])
        screenshot(page, f"keycloak-sign-in-{lang}-{width}")
    finally:
        context.close()
