"""The supervisee portal in headless Chromium: sign in through the development issuer, Welsh,
timeline, tampering, SAR."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.unit.identity.keys import agencies

SUBJ_B_ENTRY = "00000000-0000-5000-8000-000000000005"


def sign_in(
    page: Page, base: str, subject_ref: str = "subj-a", lang: str = "en", *, dpo: str = ""
) -> None:
    """Sign in through the development issuer's page: as the supervisee of ``subject_ref`` on
    the portal, or with ``dpo=AGENCY`` as that agency's DPO on the console."""
    area, user = ("console", f"dpo:{dpo}") if dpo else ("portal", f"supervisee:{subject_ref}")
    page.goto(f"{base}/{area}/sign-in?lang={lang}")
    page.click("#sign-in")
    page.check(f"input[name='user'][value='{user}']")
    page.click("#dev-sign-in")
    expect(page.locator("#sign-out")).to_be_visible()


@pytest.mark.parametrize(
    ("lang", "title", "issuer_title", "heading"),
    [
        ("en", "Sign in", "Choose who to sign in as", "What was shared about you"),
        ("cy", "Mewngofnodi", "Dewiswch pwy i fewngofnodi fel", "Beth a rannwyd amdanoch chi"),
    ],
)
def test_sign_in_through_the_development_issuer(
    page: Page, portal_url: str, lang: str, title: str, issuer_title: str, heading: str
) -> None:
    """The sign-in button leads to the issuer's development-only page in the same language;
    picking a person comes back signed in to their own timeline."""
    page.goto(f"{portal_url}/portal/sign-in?lang={lang}")
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".govuk-warning-text")).to_be_visible()
    screenshot(page, f"sign-in-{lang}")
    page.click("#sign-in")
    expect(page.locator("h1")).to_have_text(issuer_title)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("#dev-banner")).to_contain_text(
        "DEVELOPMENT" if lang == "en" else "DATBLYGU"
    )
    assert page.url.startswith("https://127.0.0.1:")
    screenshot(page, f"dev-issuer-sign-in-{lang}")
    page.check("input[name='user'][value='supervisee:subj-a']")
    page.click("#dev-sign-in")
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator(".portal-entry")).to_have_count(10)
    assert page.url.startswith(portal_url)
    session = {c["name"]: c for c in page.context.cookies()}["iom_session"]  # HTTP here
    assert session["httpOnly"] and session["sameSite"] == "Lax"


def test_choosing_nobody_asks_again(page: Page, portal_url: str) -> None:
    """On the issuer's page, continuing without a person shows an error, not a session."""
    page.goto(f"{portal_url}/portal/sign-in")
    page.click("#sign-in")
    page.click("#dev-sign-in")
    expect(page.locator("#user-error")).to_contain_text("Choose a person")
    page.goto(f"{portal_url}/portal")
    expect(page.locator("h1")).to_have_text("Sign in")


def test_forged_callback_does_not_sign_in(page: Page, portal_url: str) -> None:
    """Arriving at the callback with a made-up code and state shows an error, no session."""
    page.goto(f"{portal_url}/portal/signed-in?code=made-up&state=made-up")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Sign-in did not work")
    assert "made-up" not in page.content()
    page.goto(f"{portal_url}/portal")
    expect(page.locator("h1")).to_have_text("Sign in")


def test_timeline_newest_first_paged_and_filtered(page: Page, portal_url: str) -> None:
    """The timeline shows my sentences newest first, ten a page, prints plainly, by agency."""
    sign_in(page, portal_url)
    entries = page.locator(".portal-entry")
    expect(entries).to_have_count(10)
    expect(page.locator(".portal-day h2").first).to_have_text("22 January 2025")
    expect(entries.first.locator(".portal-sentence")).to_contain_text("Gwent Police told")
    screenshot(page, "timeline-en")
    page.emulate_media(media="print")
    expect(page.locator("#sign-out")).to_be_hidden()
    expect(page.locator("#filters")).to_be_hidden()
    screenshot(page, "timeline-print-en")
    page.emulate_media(media="screen")
    page.click("#older")
    expect(page.locator(".portal-entry")).to_have_count(5)
    expect(page.locator(".portal-day h2").last).to_have_text("6 January 2025")
    page.goto(f"{portal_url}/portal?agency=newport-housing")
    sentences = page.locator(".portal-sentence")
    expect(sentences).to_have_count(6)
    for text in sentences.all_inner_texts():
        assert "Newport" in text


def test_language_switch_is_remembered(page: Page, portal_url: str) -> None:
    """Switching to Welsh shows Welsh sentences and stays Welsh on the next page."""
    sign_in(page, portal_url)
    page.click("#language-switch")
    expect(page.locator("h1")).to_have_text("Beth a rannwyd amdanoch chi")
    expect(page.locator(".portal-sentence").first).to_contain_text("Dywedodd Heddlu Gwent")
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
    dates = page.locator(".portal-day h2").all_inner_texts()
    assert "11 January 2025" not in dates and "17 January 2025" not in dates
    api = page.goto(f"{portal_url}/subjects/subj-b/disclosures")
    assert api is not None and api.status == 401
    assert "subj-b" not in page.content()


def test_signed_out_pages_send_you_to_sign_in(page: Page, portal_url: str) -> None:
    """Without a session every portal page leads to the sign-in form, showing no data."""
    for path in ("/portal", "/portal/subject-access-requests", f"/portal/receipts/{SUBJ_B_ENTRY}"):
        page.goto(f"{portal_url}{path}")
        expect(page.locator("h1")).to_have_text("Sign in")


def _wide_and_narrow(page: Page, name: str) -> None:
    """Screenshots ``name`` at 1280 px and ``name-375`` at 375 px, then back to 1280 px."""
    screenshot(page, name)
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, f"{name}-375")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_subject_access_request(page: Page, portal_url: str) -> None:
    """Asking one service for a copy goes through a check page (who, what, by when, with
    "Change") to a confirmation page with the reference; the requests page then lists the
    request with its service, status and one-month deadline, and no banner; asking all
    services in Welsh adds one request per service."""
    sign_in(page, portal_url, "subj-c")
    page.click("#sar-link")
    expect(page.locator("#requests")).to_have_count(0)
    expect(page.locator("#addressee-all")).to_be_checked()
    page.check("#addressee-gdas")
    page.click("#sar-continue")
    expect(page.locator("h1")).to_have_text("Check your request before sending it")
    expect(page.locator("#check-asking")).to_have_text("Gwent Drug and Alcohol Service")
    expect(page.locator("#check-due")).to_have_text("By 6 February 2025")
    _wide_and_narrow(page, "check-request-en")
    page.click("#change-asking")
    expect(page.locator("#addressee-gdas")).to_be_checked()
    page.click("#sar-continue")
    page.click("#sar-send")
    expect(page.locator("#confirmation h1")).to_have_text("Request sent")
    expect(page.locator("#confirmation .portal-reference")).to_contain_text("SAR-2025-")
    expect(page.locator("#made-references")).to_contain_text("Gwent Drug and Alcohol Service")
    screenshot(page, "request-sent-en")
    page.click("#all-requests")
    expect(page.locator(".govuk-notification-banner")).to_have_count(0)
    row = page.locator("#requests tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Gwent Drug and Alcohol Service")
    expect(row).to_contain_text("6 January 2025")
    expect(row).to_contain_text("6 February 2025")
    expect(row).to_contain_text("6 April 2025")
    screenshot(page, "requests-en")
    page.click("#language-switch")
    expect(page.locator("#requests tbody tr")).to_contain_text("6 Chwefror 2025")
    expect(page.locator("#requests tbody tr")).to_contain_text("Gwasanaeth Cyffuriau ac Alcohol")
    expect(page.locator("legend")).to_contain_text("Pa wasanaeth ydych chi am ei ofyn?")
    screenshot(page, "requests-cy")
    page.click("#sar-continue")
    expect(page.locator("h1")).to_have_text("Gwiriwch eich cais cyn ei anfon")
    expect(page.locator("#check-asking")).to_contain_text("Pob gwasanaeth")
    screenshot(page, "check-request-cy")
    page.click("#sar-send")
    expect(page.locator("#confirmation h1")).to_have_text("Cais wedi'i anfon")
    expect(page.locator("#made-references li")).to_have_count(len(agencies()))
    _wide_and_narrow(page, "request-sent-cy")
    page.click("#all-requests")
    expect(page.locator("#requests tbody tr")).to_have_count(1 + len(agencies()))


def test_a_service_outside_the_registry_is_an_error(page: Page, portal_url: str) -> None:
    """A form altered to name an unknown service shows a GOV.UK error and makes no request."""
    sign_in(page, portal_url, "subj-b")
    page.goto(f"{portal_url}/portal/subject-access-requests")
    page.locator("#addressee-gdas").evaluate("radio => { radio.value = 'nowhere'; }")
    page.check("#addressee-gdas")
    page.click("#sar-continue")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose all services or one")
    expect(page.locator("#addressee-error")).to_be_visible()
    expect(page.locator("#requests")).to_have_count(0)
    screenshot(page, "requests-error-en")


def _open_filters(page: Page) -> None:
    if page.locator("#filters").get_attribute("open") is None:
        page.click("#filters summary")


def _dates(page: Page, start: tuple[str, str, str], end: tuple[str, str, str]) -> None:
    _open_filters(page)
    for which, (day, month, year) in (("from", start), ("to", end)):
        page.fill(f"#{which}-day", day)
        page.fill(f"#{which}-month", month)
        page.fill(f"#{which}-year", year)
    page.click("#filter")


def test_timeline_filtered_by_date_range_and_agency(page: Page, portal_url: str) -> None:
    """From and to dates (GOV.UK date inputs) narrow the timeline, with or without an agency."""
    sign_in(page, portal_url)
    _dates(page, ("9", "1", "2025"), ("15", "1", "2025"))
    dates = page.locator(".portal-day h2")
    expect(dates).to_have_count(6)
    expect(dates.first).to_have_text("15 January 2025")
    expect(dates.last).to_have_text("9 January 2025")
    expect(page.locator("#from-day")).to_have_value("9")
    page.select_option("#to-org", "newport-housing")
    page.click("#filter")
    expect(dates).to_have_count(3)
    for text in page.locator(".portal-sentence").all_inner_texts():
        assert "Newport" in text
    screenshot(page, "timeline-dates-en")


def test_wrong_dates_get_clear_errors_in_both_languages(page: Page, portal_url: str) -> None:
    """An unreal or out-of-order date shows an error that links to the field, in en and cy."""
    sign_in(page, portal_url)
    _dates(page, ("31", "2", "2025"), ("", "", ""))
    summary = page.locator("#date-errors")
    expect(summary).to_contain_text("The first date must be a real date")
    expect(summary.locator("a")).to_have_attribute("href", "#from-day")
    expect(page.locator("#from-day")).to_have_value("31")
    expect(page.locator("#from-error")).to_be_visible()
    expect(page.locator(".portal-entry")).to_have_count(10)
    _dates(page, ("20", "1", "2025"), ("10", "1", "2025"))
    expect(summary).to_contain_text("The second date must be the same as or after")
    page.click("#language-switch")
    expect(page.locator("#date-errors")).to_contain_text("Rhaid i'r ail ddyddiad")
    expect(page.locator("#to-day")).to_have_value("10")
    screenshot(page, "timeline-date-error-cy")
