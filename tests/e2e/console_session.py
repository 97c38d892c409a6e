"""Signing in to the DPO console in a browser: the one place the e2e tests do it."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from broker.identity.principal import Role
from tests.integration.api.conftest import token


def offer_console_code(page: Page, base: str, code: str, lang: str = "en") -> None:
    """Open the console's sign-in page and offer ``code`` (any token, valid or not)."""
    page.goto(f"{base}/console/sign-in?lang={lang}")
    page.fill("#token", code)
    page.click("#sign-in")


def sign_in_dpo(page: Page, base: str, agency: str, lang: str = "en") -> None:
    """Sign in to the console as the DPO of ``agency`` and land on the agreements page."""
    offer_console_code(page, base, token(Role.DPO, agency=agency), lang)
    expect(page.locator("#sign-out")).to_be_visible()
