"""Signing in to the DPO console in a browser: the console tests' name for the one sign-in
helper (``tests/e2e/test_portal.py::sign_in``, through the development issuer's page)."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.e2e.test_portal import sign_in


def sign_in_dpo(page: Page, base: str, agency: str, lang: str = "en") -> None:
    """Sign in to the console as the DPO of ``agency`` and land on the agreements page."""
    sign_in(page, base, lang=lang, dpo=agency)
