"""The portal tells a person plainly what went, what did not, why, and what the list leaves
out; the law is one click away; days and UK times head the entries; signing out says so."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_accessibility import serious_violations
from tests.e2e.test_portal import sign_in

HOUSING = "#timeline .portal-entry:has-text('Newport City Council Housing told')"


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_housing_entry_says_what_went_and_what_did_not(
    page: Page, portal_url: str, lang: str
) -> None:
    """The address change names the area (first half of the postcode) and says the full
    postcode and street address were not shared; the law sits behind a details component."""
    sign_in(page, portal_url, lang=lang)
    page.goto(f"{portal_url}/portal?lang={lang}")
    if lang == "cy":
        entry = page.locator("#timeline .portal-entry:has-text('Dywedodd Tai Cyngor')")
        expect(entry.locator(".portal-sentence")).to_have_text(
            "Dywedodd Tai Cyngor Dinas Casnewydd wrth y Gwasanaeth Prawf yng Nghymru "
            "bod eich llety wedi newid."
        )
        expect(entry.locator(".portal-shared")).to_contain_text("hanner cyntaf y cod post")
        expect(entry.locator(".portal-kept-back")).to_contain_text("eich cyfeiriad stryd")
    else:
        entry = page.locator(HOUSING)
        expect(entry.locator(".portal-shared")).to_contain_text(
            "the area of your address (first half of the postcode)"
        )
        expect(entry.locator(".portal-kept-back")).to_have_text(
            "Not shared: your full postcode and your street address."
        )
        expect(entry.locator(".portal-why")).to_contain_text("IOM team")
    law = entry.locator(".portal-law")
    expect(law.locator(".govuk-details__text")).to_be_hidden()
    law.locator("summary").click()
    expect(law.locator(".govuk-details__text")).to_contain_text(
        "Public task" if lang == "en" else "Tasg gyhoeddus"
    )
    expect(entry.locator("h3")).to_have_text("At 09:00" if lang == "en" else "Am 09:00")
    expect(page.locator("#not-shown")).to_be_visible()
    expect(page.locator("#iom-explained")).to_contain_text("IOM")
    assert serious_violations(page) == []
    screenshot(page, f"timeline-plain-{lang}")


def test_receipt_links_have_unique_names(page: Page, portal_url: str) -> None:
    """Each "Download a receipt" link names its own entry, so a screen reader can tell them
    apart."""
    sign_in(page, portal_url)
    links = page.locator(".portal-entry a[download]").all_inner_texts()
    names = [" ".join(name.split()) for name in links]
    assert len(names) == 10 and len(set(names)) == 10
    assert names[0].startswith("Download a receipt for 22 January 2025 at")


def test_paging_uses_a_stable_cursor_without_dots(page: Page, portal_url: str) -> None:
    """ "Older entries" carries a before=<ms>-<index> cursor, never a decimal number, and
    "Newer entries" beside it leads back to the same first page."""
    sign_in(page, portal_url)
    expect(page.locator("#newer")).to_have_count(0)
    first = page.locator(".portal-sentence").all_inner_texts()
    href = page.locator("#older").get_attribute("href") or ""
    assert "before=" in href and "." not in href.split("before=")[1].split("&")[0]
    page.click("#older")
    expect(page.locator(".portal-entry")).to_have_count(5)
    expect(page.locator("#older")).to_have_count(0)
    screenshot(page, "timeline-older-en")
    page.click("#newer")
    expect(page.locator(".portal-entry")).to_have_count(10)
    assert page.locator(".portal-sentence").all_inner_texts() == first


def test_filters_list_only_organisations_in_my_log_and_say_what_matched_nothing(
    page: Page, portal_url: str
) -> None:
    """ "From" offers only the services that told something about me; an empty result
    repeats the filter in words."""
    sign_in(page, portal_url)
    page.click("#filters summary")
    options = page.locator("#from-org option").all_inner_texts()
    assert options == ["Any service", "Gwent Police", "Newport City Council Housing"]
    page.select_option("#from-org", "newport-housing")
    page.select_option("#to-org", "newport-housing")
    page.click("#filter")
    expect(page.locator("#nothing")).to_contain_text("from Newport City Council Housing")
    expect(page.locator("#nothing")).to_contain_text("to Newport City Council Housing")
    screenshot(page, "timeline-nothing-matches-en")


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_first_entry_is_visible_on_a_small_phone(
    page: Page, portal_url: str, lang: str
) -> None:
    """At 375 px the filters are folded away and the first entry starts on the first screen."""
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in(page, portal_url, lang=lang)
    expect(page.locator(".portal-entry").first).to_be_in_viewport()
    screenshot(page, f"timeline-{lang}-375")


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_signing_out_says_so(page: Page, portal_url: str, lang: str) -> None:
    """After "Sign out" the person reads that they signed out, with a way back in."""
    sign_in(page, portal_url, lang=lang)
    page.click("#sign-out")
    expect(page.locator("h1")).to_have_text(
        "You have signed out" if lang == "en" else "Rydych wedi allgofnodi"
    )
    assert serious_violations(page) == []
    screenshot(page, f"signed-out-{lang}")
    page.goto(f"{portal_url}/portal")
    expect(page.locator("h1")).to_have_text("Sign in" if lang == "en" else "Mewngofnodi")
