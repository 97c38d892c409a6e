"""Signing out in Chromium ends the server-side session: the cookie the browser held, replayed
in another browser, opens nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import new_page
from tests.e2e.test_portal import sign_in


@pytest.mark.parametrize(
    ("area", "cookie", "title"),
    [("portal", "iom_session", "You have signed out"), ("console", "iom_console", "Sign in")],
)
def test_after_sign_out_the_old_cookie_gets_the_sign_in_page(
    page: Page, browser: Browser, portal_url: str, area: str, cookie: str, title: str
) -> None:
    """The session cookie is HttpOnly, SameSite=Lax and host-only (over HTTPS also Secure and
    ``__Host-`` prefixed); after "Sign out" the same cookie in a fresh browser leads to the
    sign-in page."""
    sign_in(page, portal_url, dpo="gdas" if area == "console" else "")
    https = portal_url.startswith("https:")
    held = {c["name"]: c for c in page.context.cookies()}[("__Host-" if https else "") + cookie]
    assert held["httpOnly"] and held["secure"] == https and held["sameSite"] == "Lax"
    assert held["path"] == "/" and not held["domain"].startswith(".")
    page.click("#sign-out")
    expect(page.locator("h1")).to_have_text(title)
    other = new_page(browser)
    try:
        other.context.add_cookies(
            [{"name": held["name"], "value": held["value"], "url": portal_url}]
        )
        other.goto(f"{portal_url}/{area}")
        expect(other.locator("h1")).to_have_text("Sign in")
    finally:
        other.context.close()
