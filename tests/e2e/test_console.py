"""The DPO console in headless Chromium: sign in as a DPO, read the agreements as tables."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from broker.identity.principal import Role
from tests.e2e.conftest import screenshot
from tests.e2e.console_session import offer_console_code, sign_in_dpo
from tests.e2e.test_accessibility import serious_violations
from tests.integration.api.conftest import token


def test_dpo_reads_agreements_in_both_languages(page: Page, portal_url: str) -> None:
    """A DPO sees every agreement's rules (from, to, what, why, legal basis) in en and cy."""
    page.goto(f"{portal_url}/console/sign-in?lang=en")
    expect(page.locator(".govuk-warning-text")).to_contain_text("--dpo")
    sign_in_dpo(page, portal_url, "gwent-police")
    expect(page.locator("h1")).to_have_text("Sharing agreements")
    first = page.locator("table.console-rules").first
    expect(first.locator("th")).to_have_count(7)
    expect(first.locator("thead")).to_contain_text("Legal basis")
    assert first.locator("tbody tr").count() >= 1
    assert serious_violations(page) == []
    screenshot(page, "console-en")
    page.click("#language-switch")
    expect(page.locator("h1")).to_have_text("Cytundebau rhannu")
    screenshot(page, "console-cy")


def test_supervisee_token_is_not_a_dpo(page: Page, portal_url: str) -> None:
    """A supervisee's code does not open the console, and the signed-out console asks to sign in."""
    page.goto(f"{portal_url}/console")
    expect(page.locator("h1")).to_have_text("Sign in")
    offer_console_code(page, portal_url, token(Role.SUPERVISEE, "subj-a"))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.goto(f"{portal_url}/console")
    expect(page.locator("h1")).to_have_text("Sign in")
