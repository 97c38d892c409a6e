"""The supervisee portal in headless Chromium: sign in, Welsh, timeline, tampering, SAR."""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from broker.identity.principal import Role
from tests.e2e.conftest import screenshot
from tests.integration.api.conftest import token

SUBJ_B_ENTRY = "00000000-0000-5000-8000-000000000005"


def sign_in(page: Page, base: str, subject_ref: str = "subj-a", lang: str = "en") -> None:
    """Sign in through the form with a supervisee token for ``subject_ref``."""
    page.goto(f"{base}/portal/sign-in?lang={lang}")
    page.fill("#token", token(Role.SUPERVISEE, subject_ref))
    page.click("#sign-in")
    expect(page.locator("#sign-out")).to_be_visible()


def test_sign_in_page_in_both_languages(page: Page, portal_url: str) -> None:
    """The sign-in page says it is development-only, in English and in Welsh."""
    page.goto(f"{portal_url}/portal/sign-in?lang=en")
    expect(page.locator("h1")).to_have_text("Sign in")
    expect(page.locator(".govuk-warning-text")).to_contain_text("Development only")
    screenshot(page, "sign-in-en")
    page.click("#language-switch")
    expect(page.locator("h1")).to_have_text("Mewngofnodi")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    screenshot(page, "sign-in-cy")


def test_refused_token_shows_an_error_and_no_token(page: Page, portal_url: str) -> None:
    """A bad sign-in code gives a plain error and is not echoed back."""
    page.goto(f"{portal_url}/portal/sign-in")
    page.fill("#token", "not-a-token-secret-xyz")
    page.click("#sign-in")
    expect(page.locator(".govuk-error-summary")).to_contain_text("did not work")
    assert "not-a-token-secret-xyz" not in page.content()


def test_timeline_newest_first_paged_and_filtered(page: Page, portal_url: str) -> None:
    """The timeline shows my sentences newest first, ten a page, prints plainly, by agency."""
    sign_in(page, portal_url)
    entries = page.locator(".portal-entry")
    expect(entries).to_have_count(10)
    expect(entries.first.locator("h2")).to_have_text("22 January 2025")
    expect(entries.first.locator(".portal-sentence")).to_contain_text(
        "On 22 January 2025 Gwent Police told"
    )
    screenshot(page, "timeline-en")
    page.emulate_media(media="print")
    expect(page.locator("#sign-out")).to_be_hidden()
    expect(page.locator("#agency")).to_be_hidden()
    screenshot(page, "timeline-print-en")
    page.emulate_media(media="screen")
    page.click("#older")
    expect(page.locator(".portal-entry")).to_have_count(5)
    expect(page.locator(".portal-entry").last.locator("h2")).to_have_text("6 January 2025")
    page.goto(f"{portal_url}/portal")
    page.select_option("#agency", "newport-housing")
    page.click("#filter")
    sentences = page.locator(".portal-sentence")
    expect(sentences).to_have_count(6)
    for text in sentences.all_inner_texts():
        assert "Newport" in text


def test_language_switch_is_remembered(page: Page, portal_url: str) -> None:
    """Switching to Welsh shows Welsh sentences and stays Welsh on the next page."""
    sign_in(page, portal_url)
    page.click("#language-switch")
    expect(page.locator("h1")).to_have_text("Beth a rannwyd amdanoch chi")
    expect(page.locator(".portal-sentence").first).to_contain_text(
        "Ar 22 Ionawr 2025 dywedodd Heddlu Gwent"
    )
    screenshot(page, "timeline-cy")
    page.click("#sar-link")
    expect(page.locator("h1")).to_have_text("Gofyn am gopi o'ch gwybodaeth")
    expect(page.locator("html")).to_have_attribute("lang", "cy")


def test_receipt_download(page: Page, portal_url: str) -> None:
    """Each entry's proof downloads as a JSON file with the entry and its tlog-proof."""
    sign_in(page, portal_url)
    with page.expect_download() as info:
        page.locator(".portal-entry a[download]").first.click()
    download = info.value
    receipt = json.loads(download.path().read_text())
    assert download.suggested_filename.startswith("receipt-")
    assert receipt["receipt"]["proof"].startswith("c2sp.org/tlog-proof@v1")


def test_another_subjects_data_is_unreachable(page: Page, portal_url: str) -> None:
    """Changing URLs by hand never shows subj-b's entries to subj-a."""
    sign_in(page, portal_url)
    response = page.goto(f"{portal_url}/portal/receipts/{SUBJ_B_ENTRY}")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    assert "2025" not in page.content()
    page.goto(f"{portal_url}/portal?subject_ref=subj-b&agency=probation-wales")
    assert "subj-b" not in page.content()
    dates = page.locator(".portal-entry h2").all_inner_texts()
    assert "11 January 2025" not in dates and "17 January 2025" not in dates
    api = page.goto(f"{portal_url}/subjects/subj-b/disclosures")
    assert api is not None and api.status == 401
    assert "subj-b" not in page.content()


def test_signed_out_pages_send_you_to_sign_in(page: Page, portal_url: str) -> None:
    """Without a session every portal page leads to the sign-in form, showing no data."""
    for path in ("/portal", "/portal/subject-access-requests", f"/portal/receipts/{SUBJ_B_ENTRY}"):
        page.goto(f"{portal_url}{path}")
        expect(page.locator("h1")).to_have_text("Sign in")


def test_subject_access_request(page: Page, portal_url: str) -> None:
    """Asking for a copy shows the request, its status and its one-month deadline."""
    sign_in(page, portal_url, "subj-c")
    page.click("#sar-link")
    expect(page.locator("#requests")).to_have_count(0)
    page.click("#sar-submit")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("We got your request")
    row = page.locator("#requests tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("6 January 2025")
    expect(row).to_contain_text("6 February 2025")
    expect(row).to_contain_text("6 April 2025")
    screenshot(page, "requests-en")
    page.click("#language-switch")
    expect(page.locator("#requests tbody tr")).to_contain_text("6 Chwefror 2025")
    screenshot(page, "requests-cy")
