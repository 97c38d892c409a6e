"""axe-core (from npm) finds no serious or critical accessibility violations on any page."""

from __future__ import annotations

from typing import Any, cast

import httpx
import pytest
from playwright.sync_api import Page, expect

from broker.devtools.identity.dev_issuer import DevIssuer
from broker.settings import PROJECT_ROOT
from tests.e2e.conftest import RunningIssuer, screenshot
from tests.e2e.console_changes import (
    AGREEMENT,
    BREAKS_SCENARIO,
    FIXED,
    ONE_WAY,
    PATH,
    approved_through_api,
    dpo_bearer,
)
from tests.e2e.console_session import sign_in_dpo
from tests.e2e.test_portal import sign_in

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "/portal",
    "/portal?from-day=31&from-month=2&from-year=2025",
    "/portal/subject-access-requests",
    "/portal/subject-access-requests/check?addressee=gdas",
]


def serious_violations(page: Page) -> list[str]:
    """The ids and first targets of axe's serious and critical WCAG 2.2 AA violations."""
    page.add_script_tag(path=AXE)
    result = cast(
        dict[str, Any],
        page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
        ),
    )
    assert result["passes"], "axe checked nothing"
    return [
        f"{v['id']}: {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_pages_have_no_serious_violations(page: Page, portal_url: str, lang: str) -> None:
    """Sign-in (ours and the development issuer's), timeline and request pages pass axe in
    English and Welsh."""
    assert AXE.exists(), "axe-core is not installed: run 'make test' (npm ci)"
    page.goto(f"{portal_url}/portal/sign-in?lang={lang}")
    assert serious_violations(page) == []
    page.click("#sign-in")
    page.wait_for_selector("#dev-sign-in")
    assert serious_violations(page) == [], "development issuer's sign-in page"
    sign_in(page, portal_url, lang=lang)
    for path in PAGES:
        page.goto(f"{portal_url}{path}")
        assert serious_violations(page) == [], path


def _console_pages(base: str, issuer: DevIssuer) -> list[tuple[str, str]]:
    """(screenshot name, path) of every console page, with a proposal made through the API."""
    made = httpx.post(
        f"{base}/policies/proposals",
        json={"files": {PATH: FIXED}},
        headers=dpo_bearer(issuer, "probation-wales"),
    )
    assert made.status_code == 201, made.text
    proposal = f"/console/proposals/{made.json()['proposal_id']}"
    return [
        ("agreement", f"/console/agreements/{AGREEMENT}"),
        ("rule", f"/console/agreements/{AGREEMENT}/rules/gdas-treatment-progress-to-probation"),
        ("editor", f"/console/agreements/{AGREEMENT}/edit"),
        (
            "rule-form",
            f"/console/agreements/{AGREEMENT}/rules/gdas-treatment-progress-to-probation/change",
        ),
        ("proposal", proposal),
        ("check-approval", f"{proposal}/approve"),
        ("simulation", f"{proposal}/simulation"),
        ("queue", "/console/proposals"),
        ("history", "/console/history"),
        ("areas", "/console/areas?left=gwent&right=dyfed-powys"),
    ]


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_console_pages_have_no_serious_violations(
    page: Page, portal_url: str, dev_issuer: RunningIssuer, lang: str
) -> None:
    """Every console page, the editor's live errors and the refused-form page pass axe."""
    sign_in_dpo(page, portal_url, "gdas", lang=lang)
    for name, path in _console_pages(portal_url, dev_issuer.issuer):
        page.goto(f"{portal_url}{path}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert serious_violations(page) == [], path
        screenshot(page, f"console-{name}-{lang}")
    page.goto(f"{portal_url}/console/agreements/{AGREEMENT}/edit")
    page.fill("#text", ONE_WAY)
    expect(page.locator("#error-summary")).to_be_visible()
    assert serious_violations(page) == [], "editor with live errors"
    screenshot(page, f"console-editor-errors-{lang}")
    page.evaluate(
        "document.querySelectorAll('input[name=csrf_token]').forEach(f => { f.value = 'forged'; })"
    )
    page.click("#propose")
    expect(page.locator("#form-refused")).to_be_visible()
    assert serious_violations(page) == [], "refused form"
    screenshot(page, f"form-refused-{lang}")


def _check(page: Page, name: str, lang: str) -> None:
    assert serious_violations(page) == [], name
    screenshot(page, f"console-activation-{name}-{lang}")


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_activation_states_have_no_serious_violations(
    page: Page, activation_url: str, dev_issuer: RunningIssuer, lang: str
) -> None:
    """The schedule form with an error, its confirmation, scheduled, cancelled, activated and
    refused states pass."""
    proposal = approved_through_api(activation_url, dev_issuer.issuer)
    refused = approved_through_api(activation_url, dev_issuer.issuer, BREAKS_SCENARIO)
    sign_in_dpo(page, activation_url, "gdas", lang=lang)
    page.goto(f"{activation_url}{proposal}")
    _check(page, "approved", lang)
    page.click("#schedule")
    expect(page.locator("#error-summary")).to_be_visible()
    _check(page, "error", lang)
    for name, value in (("day", "6"), ("month", "1"), ("year", "2025"), ("hour", "10")):
        page.fill(f"#activate-{name}", value)
    page.fill("#activate-minute", "15")
    page.click("#schedule")
    expect(page.locator("#scheduled-for")).to_be_visible()
    _check(page, "confirm-schedule", lang)
    page.click("#confirm-activate")
    expect(page.locator("#cancel-activation")).to_be_visible()
    _check(page, "scheduled", lang)
    page.click("#cancel-activation")
    expect(page.locator("#activate-now")).to_be_visible()
    _check(page, "cancelled", lang)
    page.goto(f"{activation_url}{refused}")
    page.click("#activate-now")
    page.click("#confirm-activate")
    expect(page.locator("#scenario-refused")).to_be_visible()
    _check(page, "scenario-refused", lang)
    page.goto(f"{activation_url}{proposal}")
    page.click("#activate-now")
    expect(page.locator("#live-sharing")).to_be_visible()
    _check(page, "confirm", lang)
    page.click("#confirm-activate")
    expect(page.locator("#activation-done")).to_be_visible()
    _check(page, "activated", lang)
    page.goto(f"{activation_url}/console/history")
    _check(page, "history", lang)
