"""Browser fixtures: the app under uvicorn on loopback over a SQLite log, and headless Chromium.

Chromium is Debian's package (``make system-deps`` installs it); Playwright's own browser
download is never used. Without it the browser tests fail under ``CI=true`` and skip elsewhere.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from broker.api.app import create_app
from broker.api.context import ApiContext
from broker.catalogue.catalogue import default_catalogue
from broker.policy.activation import Activation
from broker.settings import PROJECT_ROOT, ApiSettings
from broker.transparency.log import TransparencyLog
from broker.transparency.store.sqlite_store import SqliteStore
from broker.web.static_files import GOVUK_DIST
from tests.integration.api.conftest import workspace
from tests.integration.api.live_server import live_server
from tests.integration.transparency.conftest import INDEX_KEY, SIGNER, START, Clock, disclosure
from tests.unit.identity.keys import agencies, validator

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


def _need(present: bool, message: str) -> None:
    if not present:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


async def _ready() -> bool:
    return True


@pytest.fixture(scope="module")
def shared_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TransparencyLog]:
    """Fifteen disclosures about subj-a (to two agencies) and two about subj-b."""
    store = SqliteStore(tmp_path_factory.mktemp("e2e") / "log.sqlite3")
    log = TransparencyLog(store, SIGNER, INDEX_KEY, "P6Y", Clock())
    records = [
        disclosure(
            i,
            "subj-b" if i % 6 == 5 else "subj-a",
            decided_at=START + timedelta(days=i),
            recipient_agency=AGENCIES[i % 2],
        )
        for i in range(17)
    ]
    log.append_disclosures(records)
    yield log
    store.close()


@pytest.fixture(scope="module")
def portal_url(shared_log: TransparencyLog) -> Iterator[str]:
    """The app (API and portal) served by uvicorn on a free loopback port."""
    _need(GOVUK_DIST.is_dir(), "govuk-frontend is not installed: run 'make test' (npm ci)")
    context = ApiContext(
        settings=ApiSettings(supervisee_rate_per_s=1000.0, supervisee_burst=1000),
        validator=validator(),
        log=shared_log,
        catalogue=default_catalogue(),
        agencies=agencies(),
        kafka_probe=_ready,
        policies=workspace(),
    )
    with live_server(create_app(context)) as url:
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
def activation_url(tmp_path: Path, published: PublishedVersions) -> Iterator[str]:
    """A fresh app whose activations are published (to ``published``); the clock stands still.

    The log's clock reads 09:00 UTC on Monday 6 January 2025 throughout, so a time chosen
    later that day stays scheduled.
    """
    _need(GOVUK_DIST.is_dir(), "govuk-frontend is not installed: run 'make test' (npm ci)")
    store = SqliteStore(tmp_path / "log.sqlite3")
    context = ApiContext(
        settings=ApiSettings(),
        validator=validator(),
        log=TransparencyLog(store, SIGNER, INDEX_KEY, "P6Y", Clock()),
        catalogue=default_catalogue(),
        agencies=agencies(),
        kafka_probe=_ready,
        policies=workspace(),
        policy_publisher=published,
    )
    with live_server(create_app(context)) as url:
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


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies) and page, 1000 px wide."""
    context = browser.new_context(viewport={"width": 1000, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def screenshot(page: Page, name: str) -> None:
    """Save the whole page as ``test-artifacts/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
