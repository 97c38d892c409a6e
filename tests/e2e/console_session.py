"""Signing in to the console in a browser: the console tests' name for the one sign-in
helper (``tests/e2e/test_portal.py::sign_in``, through the development issuer's page)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.test_portal import sign_in


def sign_in_dpo(page: Page, base: str, agency: str, lang: str = "en") -> None:
    """Sign in to the console as the DPO of ``agency`` and land on the agreements page."""
    sign_in(page, base, lang=lang, dpo=agency)


def sign_in_oversight(page: Page, base: str, lang: str = "en") -> None:
    """Sign in to the console as the national oversight group's member (statistics only)."""
    page.goto(f"{base}/console/sign-in?lang={lang}")
    page.click("#sign-in")
    page.check("input[name='user'][value='oversight']")
    page.click("#dev-sign-in")
    expect(page.locator("#sign-out")).to_be_visible()
