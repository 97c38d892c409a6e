"""The DPO console end to end: propose with live validation, simulate, approve, history."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import new_page
from tests.e2e.console_changes import AGREEMENT, CURRENT, FIXED, ONE_WAY
from tests.e2e.console_session import sign_in_dpo

NOTHING = "\u2013"
"""What an empty cell shows (an en dash)."""
REASON = "Probation should hear of breaches so GDAS can adjust treatment"


def _propose(page: Page, base: str) -> str:
    """Propose the fixed change through the editor; the proposal's URL."""
    page.goto(f"{base}/console/agreements/{AGREEMENT}/edit")
    page.fill("#text", FIXED)
    page.fill("#reason", REASON)
    page.click("#propose")
    page.click("#send-proposal")
    expect(page.locator("h1")).to_contain_text("GDAS treatment progress to the Probation Service")
    expect(page.locator("#files-changed")).to_have_text(f"agreements/{AGREEMENT}.yaml")
    return page.url.split("?")[0]


def test_propose_simulate_and_approve_by_both_parties(
    page: Page, browser: Browser, portal_url: str
) -> None:
    """Live validation catches a one-way DDA sharing back; fixed, simulated, both DPOs approve."""
    sign_in_dpo(page, portal_url, "probation-wales")
    page.click(f"#edit-{AGREEMENT}")
    expect(page.locator("#text")).to_have_value(CURRENT)
    page.fill("#text", ONE_WAY)
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("gwent-gdas-treatment-dda.yaml:9:")
    expect(summary).to_contain_text("one-way")
    expect(page.locator("#text-error")).to_be_visible()
    page.fill("#text", FIXED)
    expect(page.locator("#live-status")).to_have_text("No problems found.")
    expect(page.locator("#error-summary")).to_have_count(0)
    page.fill("#reason", REASON)
    page.click("#propose")
    expect(page.locator("#check-reason")).to_have_text(REASON)
    page.click("#send-proposal")
    expect(page.locator("#made-banner")).to_contain_text("Proposal sent")
    expect(page.locator("#status")).to_have_text("Waiting for approval")
    proposal_url = page.url.split("?")[0]
    page.click("#approve")
    expect(page.locator("#check-others")).to_contain_text("Gwent Drug and Alcohol Service")
    page.click("#confirm-approve")
    expect(page.locator("#approved-banner")).to_contain_text("The Probation Service")
    expect(page.locator("#party-probation-wales")).to_contain_text("Approved")
    expect(page.locator("#party-gdas")).to_contain_text("Waiting")
    expect(page.locator("#status")).to_have_text("Waiting for approval")

    page.click("#simulation-link")
    rows = page.locator("#changed-flows tbody tr")
    expect(rows).to_have_count(1)
    cells = rows.first.locator("td")
    expect(cells.nth(0)).to_contain_text("→")
    expect(cells.nth(0)).to_contain_text("Gwent Drug and Alcohol Service")
    expect(cells.nth(1)).to_have_text("breaches of an order or licence")
    expect(cells.nth(2)).to_contain_text("Not shared (no rule allows it)")
    expect(cells.nth(3)).to_contain_text("Shared under rule probation-breach-to-gdas")
    expect(cells.nth(4)).to_have_text("type of order or licence, probation case reference (CRN)")
    expect(cells.nth(5)).to_have_text(NOTHING)

    gdas = new_page(browser)
    try:
        sign_in_dpo(gdas, portal_url, "gdas")
        gdas.click("#nav-queue")
        waiting = gdas.locator("#queue-mine tbody tr")
        expect(waiting).to_have_count(1)
        expect(waiting.first).to_contain_text("The Probation Service in Wales: Approved")
        expect(waiting.first).to_contain_text("Gwent Drug and Alcohol Service: Waiting")
        waiting.first.get_by_role("button").click()
        expect(gdas.locator("#check-others")).to_contain_text("Nobody")
        gdas.click("#confirm-approve")
        assert gdas.url.split("?")[0] == proposal_url
        expect(gdas.locator("#approved-banner")).to_contain_text("Gwent Drug and Alcohol Service")
        expect(gdas.locator("#status")).to_have_text("Approved")
        gdas.click("#nav-queue")
        expect(gdas.locator("#queue-empty")).to_be_visible()
    finally:
        gdas.context.close()

    page.click("#nav-history")
    history = page.locator("#history tbody tr")
    expect(history).to_have_count(3)
    expect(history.nth(0)).to_contain_text("Approved for Gwent Drug and Alcohol Service")
    expect(history.nth(0)).to_contain_text("dpo:dev-dpo-gdas")
    expect(history.nth(1)).to_contain_text("Approved for The Probation Service")
    expect(history.nth(2)).to_contain_text("Proposed")
    expect(history.nth(2)).to_contain_text("dpo:dev-dpo-probation-wales")


def test_dpo_of_another_agency_cannot_approve(
    page: Page, browser: Browser, portal_url: str
) -> None:
    """Gwent Police's DPO sees no approve button, and a forged approval is refused with a 403."""
    sign_in_dpo(page, portal_url, "probation-wales")
    proposal_url = _propose(page, portal_url)
    police = new_page(browser)
    try:
        sign_in_dpo(police, portal_url, "gwent-police")
        police.goto(proposal_url)
        expect(police.locator("#approve")).to_have_count(0)
        expect(police.locator("#not-a-party")).to_contain_text("Gwent Police")
        token = police.locator("input[name=csrf_token]").first.get_attribute("value")
        police.evaluate(
            """([action, token]) => {
                const form = document.createElement('form');
                form.method = 'post';
                form.action = action;
                const field = document.createElement('input');
                field.name = 'csrf_token';
                field.value = token;
                form.appendChild(field);
                document.body.appendChild(form);
                form.submit();
            }""",
            [f"{proposal_url}/approve", token],
        )
        expect(police.locator("#approve-refused")).to_contain_text("You cannot approve")
        expect(police.locator("#party-gwent-police")).to_have_count(0)
        expect(police.locator("#party-gdas")).to_contain_text("Waiting")
    finally:
        police.context.close()


def test_editor_checks_on_the_server_without_javascript(browser: Browser, portal_url: str) -> None:
    """Without JavaScript, sending a broken agreement shows the CLI's problems, text kept."""
    tab = new_page(browser, javascript=False)
    try:
        sign_in_dpo(tab, portal_url, "probation-wales")
        tab.goto(f"{portal_url}/console/agreements/{AGREEMENT}/edit")
        tab.fill("#text", ONE_WAY)
        tab.click("#propose")
        expect(tab.locator("#error-summary")).to_contain_text("gwent-gdas-treatment-dda.yaml:9:")
        expect(tab.locator("#text")).to_have_value(ONE_WAY)
        expect(tab).to_have_title(re.compile(r"^There is a problem: Propose a change"))
    finally:
        tab.context.close()
