"""A DPO changes a rule through the form (no YAML), another DPO approves it; the YAML editor
numbers its lines and each problem's link moves the caret to its line; in English and Welsh."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import new_page, screenshot
from tests.e2e.console_changes import AGREEMENT, CURRENT
from tests.e2e.console_session import sign_in_dpo
from tests.e2e.test_accessibility import serious_violations

RULE = "gdas-treatment-progress-to-probation"
WORDS = {
    "en": {
        "reason": "Probation needs the outcome for two years, without the referral number",
        "kept": "2 years (was 1 year)",
        "done": "Completed",
        "missing": "Select at least one detail",
    },
    "cy": {
        "reason": "Mae angen y canlyniad ar y gwasanaeth prawf am ddwy flynedd, heb y rhif",
        "kept": "2 flynedd (roedd yn 1 flwyddyn)",
        "done": "Wedi'i gwblhau",
        "missing": "Dewiswch o leiaf un manylyn",
    },
}


BY_HAND = CURRENT.replace(
    "    fields: [subject.crn, payload.referral_id, payload.service, payload.outcome]\n"
    "    retention: P1Y\n",
    "    fields: [subject.crn, payload.service, payload.outcome]\n    retention: P2Y\n",
)
"""The agreement as a DPO would edit it by hand for the same change (nothing else moves)."""


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_form_edit_is_proposed_and_approved(
    page: Page, browser: Browser, portal_url: str, lang: str
) -> None:
    """GDAS's DPO changes the retention to 2 years and stops sharing the referral number with
    the form; the check page says so in words, and the text it would propose is exactly the
    hand-written YAML for that change; probation's DPO approves the proposal."""
    words = WORDS[lang]
    sign_in_dpo(page, portal_url, "gdas", lang=lang)
    page.goto(f"{portal_url}/console/agreements/{AGREEMENT}/rules/{RULE}")
    page.click("#change-rule")
    expect(page.locator("#form-title")).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, f"console-rule-form-{lang}")
    for box in page.locator("input[name=fields]:visible").all():
        box.uncheck()
    page.click("#continue")
    expect(page.locator("#error-summary")).to_contain_text(words["missing"])
    page.click("#error-summary a[href='#fields']")
    expect(page.locator("#fields")).to_be_focused()
    screenshot(page, f"console-rule-form-errors-{lang}")
    for field in ("subject.crn", "payload.service", "payload.outcome"):
        page.check(f"input[name=fields][value='{field}']")
    page.fill("#retention_years", "2")
    page.fill("#reason", words["reason"])
    page.set_viewport_size({"width": 375, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the form scrolls sideways ({width} px)"
    screenshot(page, f"console-rule-form-375-{lang}")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("#continue")
    card = page.locator(f"#rule-change-{RULE}")
    expect(card.locator("[data-aspect=retention] dd")).to_contain_text(words["kept"])
    assert page.locator("input[name=text]").first.input_value() == BY_HAND
    expect(card.locator("[data-field='payload.referral_id']")).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, f"console-rule-form-check-{lang}")
    page.click("#back-to-editor")
    expect(page.locator("#retention_years")).to_have_value("2")
    expect(page.locator("input[name=fields][value='payload.referral_id']")).not_to_be_checked()
    page.click("#continue")
    page.click("#send-proposal")
    expect(page.locator("#proposal-heading")).to_contain_text(words["reason"])
    proposal_url = page.url.split("?")[0]

    probation = new_page(browser)
    try:
        sign_in_dpo(probation, portal_url, "probation-wales", lang=lang)
        probation.goto(proposal_url)
        probation.click("#task-approved-probation-wales a")
        expect(
            probation.locator(f"#rule-change-{RULE} [data-aspect=retention] dd")
        ).to_contain_text(words["kept"])
        probation.click("#confirm-approve")
        expect(
            probation.locator("#task-approved-probation-wales .govuk-task-list__status")
        ).to_have_text(words["done"])
    finally:
        probation.context.close()


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_yaml_editor_numbers_lines_and_links_problems_to_them(
    page: Page, portal_url: str, lang: str
) -> None:
    """A hand edit of the approvals is refused; the error's link puts the caret on line 16,
    which the gutter numbers."""
    sign_in_dpo(page, portal_url, "probation-wales", lang=lang)
    page.goto(f"{portal_url}/console/agreements/{AGREEMENT}/edit")
    expect(page.locator(".console-gutter")).to_contain_text("16")
    page.fill("#text", CURRENT.replace("dpo: Mark Thomas", "dpo: Siân Morgan"))
    page.fill("#reason", "approvals")
    page.click("#propose")
    link = page.locator("#problems a[data-line='16']")
    expect(link).to_contain_text(":16:")
    link.click()
    expect(page.locator("#text")).to_be_focused()
    start = page.evaluate("document.getElementById('text').selectionStart")
    assert CURRENT[:start].count("\n") == 15
    assert serious_violations(page) == []
    screenshot(page, f"console-yaml-lines-{lang}")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, f"console-yaml-lines-375-{lang}")


def test_without_javascript_a_problem_links_to_its_numbered_line(
    browser: Browser, portal_url: str
) -> None:
    """Without JavaScript the problem's link opens the numbered listing at line 16."""
    page = new_page(browser, javascript=False)
    try:
        sign_in_dpo(page, portal_url, "probation-wales")
        page.goto(f"{portal_url}/console/agreements/{AGREEMENT}/edit")
        page.fill("#text", CURRENT.replace("dpo: Mark Thomas", "dpo: Siân Morgan"))
        page.fill("#reason", "approvals")
        page.click("#propose")
        page.click("#problems a[href='#line-16']")
        expect(page.locator("#line-16")).to_be_in_viewport()
        expect(page.locator("#line-16")).to_contain_text("Siân Morgan")
        screenshot(page, "console-yaml-lines-no-js")
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_details_follow_the_ticked_events(page: Page, portal_url: str, lang: str) -> None:
    """Ticking another event offers its details at once (no round trip); unticking it hides
    them again, unticked."""
    sign_in_dpo(page, portal_url, "gdas", lang=lang)
    page.goto(f"{portal_url}/console/agreements/{AGREEMENT}/rules/{RULE}/change")
    urgency = page.locator("input[name=fields][value='payload.urgency']")
    expect(urgency).to_be_hidden()
    page.check("input[name=events][value='referral']")
    expect(urgency).to_be_visible()
    expect(page.locator("#details-status")).to_contain_text("1")
    urgency.check()
    assert serious_violations(page) == []
    screenshot(page, f"console-rule-form-details-follow-{lang}")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, f"console-rule-form-details-follow-375-{lang}")
    page.uncheck("input[name=events][value='referral']")
    expect(urgency).to_be_hidden()
    expect(urgency).not_to_be_checked()
    expect(page.locator("input[name=fields][value='payload.outcome']")).to_be_checked()


def test_without_javascript_continue_shows_a_ticked_events_details(
    browser: Browser, portal_url: str
) -> None:
    """Without JavaScript a newly ticked event's details appear after "Continue" once."""
    page = new_page(browser, javascript=False)
    try:
        sign_in_dpo(page, portal_url, "gdas")
        page.goto(f"{portal_url}/console/agreements/{AGREEMENT}/rules/{RULE}/change")
        urgency = page.locator("input[name=fields][value='payload.urgency']")
        page.check("input[name=events][value='referral']")
        expect(urgency).to_be_hidden()
        page.click("#continue")
        expect(page.locator("#error-summary")).to_be_visible()  # no reason given yet
        expect(urgency).to_be_visible()
        expect(urgency).not_to_be_checked()
    finally:
        page.context.close()
