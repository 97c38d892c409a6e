"""The proposer withdraws a proposal in the console after being asked, in English and Welsh."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.e2e.console_changes import AGREEMENT, CURRENT
from tests.e2e.console_session import sign_in_dpo
from tests.e2e.test_accessibility import serious_violations

WORDS = {
    "en": {"status": "Withdrawn", "asked": "Are you sure you want to withdraw this proposal?"},
    "cy": {
        "status": "Wedi'i dynnu'n ôl",
        "asked": "Ydych chi'n siŵr eich bod am dynnu'r cynnig hwn yn ôl?",
    },
}


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_proposer_withdraws_after_being_asked(page: Page, portal_url: str, lang: str) -> None:
    """GDAS's DPO proposes, withdraws after the "are you sure" page; the task list and status
    say withdrawn, and there is nothing left to approve or withdraw."""
    words = WORDS[lang]
    sign_in_dpo(page, portal_url, "gdas", lang=lang)
    page.goto(f"{portal_url}/console/agreements/{AGREEMENT}/edit")
    page.fill("#text", CURRENT.replace("retention: P1Y", "retention: P3Y"))
    page.fill("#reason", "withdraw me")
    page.click("#propose")
    page.click("#send-proposal")
    page.click("#withdraw")
    expect(page.locator("h1")).to_have_text(words["asked"])
    assert serious_violations(page) == []
    screenshot(page, f"console-withdraw-{lang}")
    page.click("#confirm-withdraw")
    expect(page.locator("#withdrawn-banner")).to_be_visible()
    expect(page.locator("#status")).to_have_text(words["status"])
    expect(page.locator("#task-withdrawn")).to_contain_text(words["status"])
    expect(page.locator("#withdraw")).to_have_count(0)
    expect(page.locator("#approve")).to_have_count(0)
    assert serious_violations(page) == []
    screenshot(page, f"console-withdrawn-{lang}")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, f"console-withdrawn-375-{lang}")
