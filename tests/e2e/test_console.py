"""The DPO console in headless Chromium: sign in as a DPO through the development issuer, read
the agreements as tables."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.e2e.console_session import sign_in_dpo
from tests.e2e.test_accessibility import serious_violations


def test_dpo_reads_agreements_in_both_languages(page: Page, portal_url: str) -> None:
    """A DPO sees every agreement's rules (from, to, what, why, legal basis) in en and cy."""
    page.goto(f"{portal_url}/console/sign-in?lang=en")
    expect(page.locator(".govuk-warning-text")).to_contain_text("Development only")
    sign_in_dpo(page, portal_url, "gwent-police")
    expect(page.locator("h1")).to_have_text("Sharing agreements")
    page.click("#open-wales-iom-baseline")
    first = page.locator("table.console-rules").first
    expect(first.locator("th")).to_have_count(7)
    expect(first.locator("thead")).to_contain_text("Legal basis")
    assert first.locator("tbody tr").count() >= 1
    assert serious_violations(page) == []
    page.click("#nav-agreements")
    screenshot(page, "console-en")
    page.click("#language-switch")
    expect(page.locator("h1")).to_have_text("Cytundebau rhannu")
    screenshot(page, "console-cy")


def test_supervisee_is_not_a_dpo(page: Page, portal_url: str) -> None:
    """Signing in to the console as a supervisee is refused, and the console stays closed."""
    page.goto(f"{portal_url}/console")
    expect(page.locator("h1")).to_have_text("Sign in")
    page.click("#sign-in")
    page.check("input[name='user'][value='supervisee:subj-a']")
    page.click("#dev-sign-in")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.goto(f"{portal_url}/console")
    expect(page.locator("h1")).to_have_text("Sign in")
