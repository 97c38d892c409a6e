"""A DPO checks a change in words before proposing, approving and activating it; follows it on
a task list; reads history by name and agreements in words at 375 px, in English and Welsh."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import new_page, screenshot
from tests.e2e.console_changes import AGREEMENT, CURRENT
from tests.e2e.console_session import sign_in_dpo
from tests.e2e.test_accessibility import serious_violations

LONGER = CURRENT.replace("retention: P1Y", "retention: P2Y")
RULE = "gdas-treatment-progress-to-probation"
WORDS = {
    "en": {
        "reason": "GDAS asked to keep treatment outcomes for two years",
        "kept": "2 years (was 1 year)",
        "missing": "Enter the reason for this change",
        "done": "Completed",
        "waiting": "Waiting",
    },
    "cy": {
        "reason": "Gofynnodd GDAS am gadw canlyniadau triniaeth am ddwy flynedd",
        "kept": "2 flynedd (roedd yn 1 flwyddyn)",
        "missing": "Rhowch y rheswm dros y newid hwn",
        "done": "Wedi'i gwblhau",
        "waiting": "Yn aros",
    },
}


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_propose_after_checking_then_approve_after_checking(
    page: Page, browser: Browser, portal_url: str, lang: str
) -> None:
    """The reason is required; the check page says "kept for 2 years"; the proposal's task
    list shows who proposed and who must still approve; the other party checks, then approves."""
    words = WORDS[lang]
    sign_in_dpo(page, portal_url, "probation-wales", lang=lang)
    page.goto(f"{portal_url}/console/agreements/{AGREEMENT}/edit")
    page.fill("#text", LONGER)
    page.click("#propose")
    expect(page.locator("#reason-error")).to_contain_text(words["missing"])
    page.fill("#reason", words["reason"])
    page.click("#propose")
    card = page.locator(f"#rule-change-{RULE}")
    expect(card.locator("[data-aspect=retention] dd")).to_contain_text(words["kept"])
    expect(page.locator("#check-reason")).to_have_text(words["reason"])
    expect(page.locator("#check-parties li")).to_have_count(2)
    assert serious_violations(page) == []
    screenshot(page, f"console-check-proposal-{lang}")
    page.click("#send-proposal")
    expect(page.locator("#proposal-heading")).to_contain_text(words["reason"])
    expect(page.locator("#task-proposed .govuk-task-list__status")).to_have_text(words["done"])
    expect(page.locator("#task-approved-gdas .govuk-task-list__status")).to_have_text(
        words["waiting"]
    )
    assert serious_violations(page) == []
    screenshot(page, f"console-proposal-tasks-{lang}")
    proposal_url = page.url.split("?")[0]

    gdas = new_page(browser)
    try:
        sign_in_dpo(gdas, portal_url, "gdas", lang=lang)
        gdas.goto(proposal_url)
        gdas.click("#task-approved-gdas a")
        expect(gdas.locator("#check-reason")).to_have_text(words["reason"])
        expect(gdas.locator(f"#rule-change-{RULE} [data-aspect=retention] dd")).to_contain_text(
            words["kept"]
        )
        assert serious_violations(gdas) == []
        screenshot(gdas, f"console-check-approval-{lang}")
        gdas.click("#confirm-approve")
        expect(gdas.locator("#task-approved-gdas .govuk-task-list__status")).to_have_text(
            words["done"]
        )
        gdas.click("#nav-history")
        expect(gdas.locator("#history tbody tr").first).to_contain_text("GDAS")
        expect(gdas.locator("#history")).not_to_contain_text("UTC")
        assert serious_violations(gdas) == []
        screenshot(gdas, f"console-history-names-{lang}")
    finally:
        gdas.context.close()


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_agreements_read_in_words_at_375_px(page: Page, portal_url: str, lang: str) -> None:
    """The index, an agreement and a rule fit a 375 px screen (no sideways scrolling), rules
    become summary cards there, and the Welsh title and description come from the file."""
    sign_in_dpo(page, portal_url, "gdas", lang=lang)
    page.goto(f"{portal_url}/console/agreements/{AGREEMENT}")
    title = "Cynnydd triniaeth GDAS" if lang == "cy" else "GDAS treatment progress"
    expect(page.locator("h1")).to_contain_text(title)
    screenshot(page, f"console-agreement-{lang}")
    page.set_viewport_size({"width": 375, "height": 800})
    for name, path in (
        ("agreements", "/console"),
        ("agreement", f"/console/agreements/{AGREEMENT}"),
        ("rule", f"/console/agreements/{AGREEMENT}/rules/{RULE}"),
    ):
        page.goto(f"{portal_url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways ({width} px)"
        assert serious_violations(page) == [], path
        screenshot(page, f"console-{name}-375-{lang}")
    page.goto(f"{portal_url}/console/agreements/{AGREEMENT}")
    expect(page.locator("table.console-rules")).to_be_hidden()
    expect(page.locator(f"#rule-{RULE}")).to_be_visible()
    page.goto(f"{portal_url}/console/agreements/{AGREEMENT}/rules/{RULE}")
    description = "tra bo'r person yn cytuno" if lang == "cy" else "only while the person agrees"
    expect(page.locator("[data-aspect=description]")).to_contain_text(description)
