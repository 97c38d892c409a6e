"""The DPO console activates an approved proposal: at a chosen UK time, cancelled, now.

The app's clock stands at 09:00 UTC on Monday 6 January 2025 (GMT, so UK time is UTC).
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import PublishedVersions, RunningIssuer, screenshot
from tests.e2e.console_changes import BREAKS_SCENARIO, approved_through_api
from tests.e2e.console_session import sign_in_dpo
from tests.e2e.test_accessibility import serious_violations


def choose_time(page: Page, day: str, month: str, year: str, hour: str, minute: str) -> None:
    """Type a date and time in the schedule form and send it."""
    for name, value in (
        ("day", day), ("month", month), ("year", year), ("hour", hour), ("minute", minute)
    ):  # fmt: skip
        page.fill(f"#activate-{name}", value)
    page.click("#schedule")


def test_schedule_cancel_then_activate_now(
    page: Page, activation_url: str, dev_issuer: RunningIssuer, published: PublishedVersions
) -> None:
    """A past time is refused; a later one is scheduled, then cancelled; activating now works."""
    proposal = approved_through_api(activation_url, dev_issuer.issuer)
    sign_in_dpo(page, activation_url, "gdas")
    page.goto(f"{activation_url}{proposal}")
    expect(page.locator("#status")).to_have_text("Approved")
    expect(page.locator("#activation")).to_have_count(0)

    choose_time(page, "6", "1", "2025", "8", "30")
    expect(page.locator("#error-summary")).to_contain_text(
        "The date and time must be in the future"
    )
    expect(page.locator("#date-error")).to_contain_text("must be in the future")
    expect(page.locator("#activate-hour")).to_have_value("8")
    expect(page).to_have_title(re.compile(r"^There is a problem: Proposal"))

    choose_time(page, "6", "1", "2025", "10", "15")
    expect(page.locator("#scheduled-for")).to_contain_text("6 January 2025 at 10:15 UK time")
    expect(page.locator("#what-happens")).to_contain_text("can cancel the activation")
    screenshot(page, "console-confirm-schedule-en")
    expect(page.locator("#status")).to_have_count(0)
    page.click("#confirm-activate")
    expect(page.locator("#activation-banner")).to_contain_text(
        "The proposal will be activated on 6 January 2025 at 10:15 UK time."
    )
    expect(page.locator("#status")).to_have_text("Activation scheduled")
    expect(page.locator("#activation-state")).to_have_text("Scheduled")
    expect(page.locator("#activation-due")).to_have_text("6 January 2025 at 10:15 UK time")
    expect(page.locator("#activation-by")).to_have_text("dev-dpo-gdas")
    expect(page.locator("#activate-now")).to_have_count(0)

    page.click("#cancel-activation")
    expect(page.locator("#activation-banner")).to_contain_text("was cancelled")
    expect(page.locator("#activation-state")).to_have_text("Cancelled")
    expect(page.locator("#status")).to_have_text("Approved")
    assert published.versions == []

    page.click("#activate-now")
    expect(page.locator("#live-sharing")).to_contain_text("changes what is shared")
    page.click("#confirm-activate")
    expect(page.locator("#activation-banner")).to_contain_text(
        "This proposal is the sharing policy now."
    )
    expect(page.locator("#activation-state")).to_have_text("Activated")
    expect(page.locator("#status")).to_have_text("Activated")
    expect(page.locator("#activation-done")).to_have_text("6 January 2025 at 09:00 UK time")
    expect(page.locator("#cancel-activation")).to_have_count(0)
    expect(page.locator("#activate-now")).to_have_count(0)
    assert len(published.versions) == 1
    expect(page.locator("#proposal-summary")).to_contain_text(published.versions[0])

    page.click("#nav-history")
    rows = page.locator("#history tbody tr")
    expect(rows).to_have_count(7)
    expect(rows.nth(0)).to_contain_text("Activated")
    expect(rows.nth(1)).to_contain_text("Activation scheduled for 6 January 2025 at 09:00 UK time")
    expect(rows.nth(2)).to_contain_text("Scheduled activation cancelled")
    expect(rows.nth(3)).to_contain_text("Activation scheduled for 6 January 2025 at 10:15 UK time")
    for row in range(3):
        expect(rows.nth(row)).to_contain_text("dpo:dev-dpo-gdas")


def test_a_proposal_failing_a_scenario_is_not_activated(
    page: Page, activation_url: str, dev_issuer: RunningIssuer, published: PublishedVersions
) -> None:
    """Activating a change that breaks scenario 09 is refused, naming it; nothing is published."""
    proposal = approved_through_api(activation_url, dev_issuer.issuer, BREAKS_SCENARIO)
    sign_in_dpo(page, activation_url, "probation-wales", lang="cy")
    page.goto(f"{activation_url}{proposal}")
    choose_time(page, "7", "1", "2025", "9", "00")
    expect(page.locator("h1")).to_have_text("Gwiriwch yr amser cyn trefnu'r gweithredu")
    screenshot(page, "console-confirm-schedule-cy")
    page.click("#confirm-activate")
    refused = page.locator("#scenario-refused")
    expect(refused).to_contain_text("Ni ellir gweithredu'r cynnig hwn")
    expect(refused).to_contain_text("Treatment progress is shared while consent is given")
    expect(refused).to_contain_text("scenarios/09-gdas-consent-given.yaml:20:")
    expect(page.locator("#activation")).to_have_count(0)
    expect(page.locator("#status")).to_have_text("Wedi'i gymeradwyo")
    assert published.versions == []


def test_another_agencys_dpo_cannot_activate(
    page: Page, activation_url: str, dev_issuer: RunningIssuer
) -> None:
    """Gwent Police's DPO, not a party to the change, is offered no activation at all."""
    proposal = approved_through_api(activation_url, dev_issuer.issuer)
    sign_in_dpo(page, activation_url, "gwent-police")
    page.goto(f"{activation_url}{proposal}")
    expect(page.locator("#activation-not-party")).to_contain_text("Only the DPO of a party")
    expect(page.locator("#activate-now")).to_have_count(0)
    expect(page.locator("#schedule")).to_have_count(0)


def test_activate_now_asks_first_in_welsh(
    page: Page, activation_url: str, dev_issuer: RunningIssuer, published: PublishedVersions
) -> None:
    """In Welsh too, "Activate now" opens a page saying in words what happens to live sharing;
    nothing is published until the DPO confirms."""
    proposal = approved_through_api(activation_url, dev_issuer.issuer)
    sign_in_dpo(page, activation_url, "gdas", lang="cy")
    page.goto(f"{activation_url}{proposal}?lang=cy")
    page.click("#activate-now")
    expect(page.locator("#live-sharing")).to_contain_text(
        "Mae hyn yn newid yr hyn a rennir am bobl go iawn, ar unwaith."
    )
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert published.versions == []
    assert serious_violations(page) == []
    screenshot(page, "console-confirm-activate-now-cy")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "console-confirm-activate-now-375-cy")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("#confirm-activate")
    expect(page.locator("#activation-banner")).to_contain_text(
        "Y cynnig hwn yw'r polisi rhannu nawr."
    )
    expect(page.locator("#activation-state")).to_have_text("Wedi'i weithredu")
    assert len(published.versions) == 1
