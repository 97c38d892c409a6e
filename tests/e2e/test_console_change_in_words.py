"""A DPO sees what a proposal does in words, and a simulation that tests every changed rule."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import RunningIssuer, screenshot
from tests.e2e.console_changes import CURRENT, PATH, dpo_bearer
from tests.e2e.console_session import sign_in_dpo
from tests.e2e.test_accessibility import serious_violations

RULE = "gdas-treatment-progress-to-probation"
LONGER = CURRENT.replace("retention: P1Y", "retention: P2Y")
"""Keep GDAS's treatment outcomes for 2 years instead of 1: terms only."""
NO_OUTCOME = CURRENT.replace(", payload.outcome]", "]")
"""Stop telling probation a treatment referral's outcome: the sample month never reaches it."""


def _proposed(base: str, issuer: RunningIssuer, text: str) -> str:
    """Propose ``text`` for the GDAS agreement as probation's DPO (API); its console path."""
    made = httpx.post(
        f"{base}/policies/proposals",
        json={"files": {PATH: text}},
        headers=dpo_bearer(issuer.issuer, "probation-wales"),
    )
    assert made.status_code == 201, made.text
    return f"/console/proposals/{made.json()['proposal_id']}"


@pytest.mark.parametrize(
    ("lang", "kept"),
    [("en", "2 years (was 1 year)"), ("cy", "2 flynedd (roedd yn 1 flwyddyn)")],
)
def test_a_retention_change_reads_kept_for_2_years_instead_of_1(
    page: Page, portal_url: str, dev_issuer: RunningIssuer, lang: str, kept: str
) -> None:
    """The proposal page says, in the DPO's language, that the outcome is kept longer."""
    proposal = _proposed(portal_url, dev_issuer, LONGER)
    sign_in_dpo(page, portal_url, "gdas", lang=lang)
    page.goto(f"{portal_url}{proposal}?lang={lang}")
    card = page.locator(f"#rule-change-{RULE}")
    expect(card).to_have_count(1)
    expect(card.locator("[data-aspect=retention] dd")).to_contain_text(kept)
    expect(card.locator("[data-aspect=retention] .govuk-tag")).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, f"console-change-in-words-{lang}")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, f"console-change-in-words-375-{lang}")


SIMULATED = {
    "en": ("no longer shared", "Tested", "Not reached by the recorded traffic.",
           "Reached by the test events.", "outcome"),
    "cy": ("dim yn cael ei rannu mwyach", "Wedi'i phrofi",
           "Heb ei chyrraedd gan y traffig a gofnodwyd.",
           "Wedi'i chyrraedd gan y digwyddiadau prawf.", "canlyniad"),
}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_detail_removed_from_a_rule_traffic_never_reaches_is_simulated(
    page: Page, portal_url: str, dev_issuer: RunningIssuer, lang: str
) -> None:
    """The recorded month never reaches the GDAS rule; generated events do, and show the
    outcome as no longer shared, so the page does not say "nothing would change"; in the
    DPO's language."""
    gone, tested, not_by_traffic, by_generated, detail = SIMULATED[lang]
    proposal = _proposed(portal_url, dev_issuer, NO_OUTCOME)
    sign_in_dpo(page, portal_url, "gdas", lang=lang)
    page.goto(f"{portal_url}{proposal}?lang={lang}")
    removed = page.locator(f"#rule-change-{RULE} [data-field='payload.outcome']")
    expect(removed).to_contain_text(gone)
    page.click("#simulation-link")
    coverage = page.locator(f"#coverage-{RULE}")
    expect(coverage).to_contain_text(tested)
    expect(coverage).to_contain_text(not_by_traffic)
    expect(coverage).to_contain_text(by_generated)
    generated = page.locator("#generated-flows tbody tr")
    expect(generated).to_have_count(1)
    expect(generated.first.locator("td").nth(5)).to_have_text(detail)
    expect(page.locator("#no-changes")).to_have_count(0)
    assert serious_violations(page) == []
    screenshot(page, f"console-simulation-generated-{lang}")
