"""Browser fixtures: the app under uvicorn on loopback over a SQLite log, the development
issuer (HTTPS, its sign-in page) the front ends sign in with, and headless Chromium.

Chromium is Debian's package (``make system-deps`` installs it); Playwright's own browser
download is never used. Without it the browser tests fail under ``CI=true`` and skip elsewhere.
"""

from __future__ import annotations

import contextlib
import os
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from broker.catalogue.catalogue import default_catalogue
from broker.devtools.identity.dev_clients import DevClientStore
from broker.devtools.identity.dev_issuer import DevIssuer
from broker.devtools.identity.dev_issuer_server import DevIssuerServer
from broker.devtools.identity.dev_pki import DevPki
from broker.devtools.identity.dev_sign_in import DevSignIn
from broker.devtools.identity.dev_users import add_dev_supervisee
from broker.devtools.identity.web_clients import register_redirect_uris, registered_redirect_uris
from broker.devtools.ports import free_loopback_port
from broker.http.context import ApiContext
from broker.identity.jwks_source import StaticKeySource
from broker.identity.sign_in_flow import RelyingParty
from broker.identity.token_client import load_client_key
from broker.identity.token_validator import TokenValidator
from broker.policy.activation import Activation
from broker.server.app import create_app
from broker.settings import PROJECT_ROOT, ApiSettings, load_settings
from broker.transparency.log import TransparencyLog
from broker.transparency.store.sqlite_store import SqliteStore
from broker.web.static_files import GOVUK_DIST
from tests.integration.api.live_server import live_server
from tests.support.api_context import workspace
from tests.support.log_records import INDEX_KEY, SIGNER, START, Clock, disclosure
from tests.unit.identity.keys import agencies

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
AGENCIES = ["probation-wales", "newport-housing"]
HOUSING_CHANGE = {
    "event_type": "accommodation_change",
    "source_agency": "newport-housing",
    "recipient_agency": "probation-wales",
    "legal_basis": "ukgdpr_6_1_e_public_task",
    "fields_shared": ["payload.postcode", "payload.effective_from"],
    "field_transforms": {"payload.postcode": "generalise"},
    "fields_withheld": ["payload.address_line"],
}
"""Subj-a's entry of 21 January 2025: housing told probation the area of the new address."""


def _need(present: bool, message: str) -> None:
    if not present:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


async def _ready() -> bool:
    return True


def shared_records() -> list[dict[str, Any]]:
    """Fifteen disclosures about subj-a (to two agencies; one a housing change with field
    details) and two about subj-b, a day apart from 6 January 2025."""
    records = [
        disclosure(
            i,
            "subj-b" if i % 6 == 5 else "subj-a",
            decided_at=START + timedelta(days=i),
            recipient_agency=AGENCIES[i % 2],
        )
        for i in range(17)
    ]
    records[15].update(HOUSING_CHANGE)
    return records


@pytest.fixture(scope="module")
def shared_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TransparencyLog]:
    """The log of :func:`shared_records`."""
    store = SqliteStore(tmp_path_factory.mktemp("e2e") / "log.sqlite3")
    log = TransparencyLog(store, SIGNER, INDEX_KEY, "P6Y", Clock())
    log.append_disclosures(shared_records())
    yield log
    store.close()


WEB_CLIENT = "iom-web"
DEV_SUPERVISEES = {"subj-a": "Test person A", "subj-b": "Test person B", "subj-c": "Test person C"}


@dataclass(frozen=True)
class RunningIssuer:
    """The development issuer being served, and its state dir (keys, users, web clients)."""

    issuer: DevIssuer
    state: Path


@pytest.fixture(scope="module")
def dev_issuer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningIssuer]:
    """The development issuer over HTTPS on loopback, listing subj-a, subj-b and subj-c."""
    state = tmp_path_factory.mktemp("dev-issuer")
    port = free_loopback_port()
    issuer = DevIssuer.open(
        state / "identity", load_settings(), agencies(), issuer_url=f"https://127.0.0.1:{port}"
    )
    for subject_ref, label in DEV_SUPERVISEES.items():
        add_dev_supervisee(state / "identity", subject_ref, label)
    cert = DevPki(state / "pki").issue("iom-http")
    sign_in = DevSignIn(issuer, state / "identity", agencies())
    with DevIssuerServer(issuer, port, cert.cert_file, cert.key_file, sign_in):
        yield RunningIssuer(issuer, state)


def _signing_in_context(dev_issuer: RunningIssuer, **fields: Any) -> ApiContext:
    """An app context trusting the development issuer's tokens and signing in through it."""
    issuer = dev_issuer.issuer
    state = dev_issuer.state
    keys = StaticKeySource(issuer.jwks())
    web_key = DevClientStore(state / "identity" / "clients").ensure(WEB_CLIENT).key_file
    return ApiContext(
        validator=TokenValidator(
            issuer=issuer.issuer_url, audience=issuer.audience, keys=keys, agencies=agencies()
        ),
        catalogue=default_catalogue(),
        agencies=agencies(),
        kafka_probe=_ready,
        policies=workspace(),
        sign_in=RelyingParty(
            issuer=issuer.issuer_url,
            authorization_url=issuer.authorization_endpoint,
            token_url=issuer.token_endpoint,
            client_id=WEB_CLIENT,
            id_tokens=TokenValidator(issuer=issuer.issuer_url, audience=WEB_CLIENT, keys=keys),
            private_key=load_client_key(web_key),
            ssl_context=ssl.create_default_context(cafile=state / "pki" / "ca.crt"),
        ),
        **fields,
    )


@contextlib.contextmanager
def _served(context: ApiContext, dev_issuer: RunningIssuer) -> Iterator[str]:
    """Serve the app on loopback, its two callbacks registered at the issuer (beside any
    other app's of the same module)."""
    identity = dev_issuer.state / "identity"
    with live_server(create_app(context)) as url:
        known = registered_redirect_uris(identity, WEB_CLIENT)
        ours = [f"{url}/portal/signed-in", f"{url}/console/signed-in"]
        register_redirect_uris(identity, WEB_CLIENT, [*known, *ours])
        yield url


@pytest.fixture(scope="module")
def portal_url(shared_log: TransparencyLog, dev_issuer: RunningIssuer) -> Iterator[str]:
    """The app (API, portal, console) served by uvicorn on a free loopback port, signing in
    through the development issuer."""
    _need(GOVUK_DIST.is_dir(), "govuk-frontend is not installed: run 'make test' (npm ci)")
    context = _signing_in_context(
        dev_issuer,
        settings=ApiSettings(supervisee_rate_per_s=1000.0, supervisee_burst=1000),
        log=shared_log,
    )
    with _served(context, dev_issuer) as url:
        yield url


class PublishedVersions:
    """Stands in for the ``policies`` topic: the versions the API published, in order.

    The real topic is exercised by ``tests/integration/api/test_activation_kafka.py``.
    """

    def __init__(self) -> None:
        self.versions: list[str] = []

    async def __call__(self, activation: Activation) -> None:
        self.versions.append(activation.version)


@pytest.fixture
def published() -> PublishedVersions:
    """What the activation app published to its stand-in topic."""
    return PublishedVersions()


@pytest.fixture
def activation_url(
    tmp_path: Path, published: PublishedVersions, dev_issuer: RunningIssuer
) -> Iterator[str]:
    """A fresh app whose activations are published (to ``published``); the clock stands still.

    The log's clock reads 09:00 UTC on Monday 6 January 2025 throughout, so a time chosen
    later that day stays scheduled.
    """
    _need(GOVUK_DIST.is_dir(), "govuk-frontend is not installed: run 'make test' (npm ci)")
    store = SqliteStore(tmp_path / "log.sqlite3")
    context = _signing_in_context(
        dev_issuer,
        settings=ApiSettings(),
        log=TransparencyLog(store, SIGNER, INDEX_KEY, "P6Y", Clock()),
        policy_publisher=published,
    )
    with _served(context, dev_issuer) as url:
        yield url
    store.close()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium under Playwright, closed after this package's tests.

    Playwright's sync API keeps an event loop on the main thread while it runs, so it must stop
    before the asyncio tests of other packages start.
    """
    _need(CHROMIUM.exists(), f"{CHROMIUM} is missing: run 'make system-deps' (apt chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_page(browser: Browser, *, javascript: bool = True) -> Page:
    """A page in a fresh browser context (no cookies), 1000 px wide; close its context after.

    The context accepts the development issuer's certificate (signed by a CA made for the
    test run, which Chromium's own trust store cannot be given here) and lets axe-core be
    injected into the issuer's page despite its strict Content-Security-Policy.
    """
    context = browser.new_context(
        viewport={"width": 1000, "height": 900},
        accept_downloads=True,
        ignore_https_errors=True,
        bypass_csp=True,
        java_script_enabled=javascript,
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    return tab


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page (:func:`new_page`), its context closed after the test."""
    tab = new_page(browser)
    yield tab
    tab.context.close()


def screenshot(page: Page, name: str) -> None:
    """Save the whole page as ``test-artifacts/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
