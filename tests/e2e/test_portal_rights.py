"""The portal's information pages in a browser: linked from every footer in both languages,
readable at 1280 and 375 px, axe clean, and true to the registry and the cookies set."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_accessibility import serious_violations
from tests.e2e.test_portal import sign_in
from tests.unit.identity.keys import agencies

PAGES = {
    "rights": ("Your rights", "Eich hawliau"),
    "holders": ("Who holds your information", "Pwy sy'n cadw eich gwybodaeth"),
    "privacy": ("Privacy notice", "Hysbysiad preifatrwydd"),
    "accessibility": ("Accessibility statement", "Datganiad hygyrchedd"),
    "cookies": ("Cookies", "Cwcis"),
}


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_information_page_is_in_the_footer_in_both_languages(
    page: Page, portal_url: str, lang: str
) -> None:
    """From the sign-in page's footer, each page opens in the page's language with its title,
    passes axe, and reads at 1280 px and 375 px."""
    for key, titles in PAGES.items():
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{portal_url}/portal/sign-in?lang={lang}")
        page.click(f"#footer-{key}")
        expect(page.locator("h1")).to_have_text(titles[0] if lang == "en" else titles[1])
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert serious_violations(page) == [], key
        screenshot(page, f"info-{key}-{lang}")
        page.set_viewport_size({"width": 375, "height": 800})
        screenshot(page, f"info-{key}-{lang}-375")


def test_the_rights_page_explains_each_right_and_the_ico(page: Page, portal_url: str) -> None:
    """Signed in, the rights page names access, correction, deletion, objection and the ICO,
    says objection does not apply to work on crime, and leads back to the timeline."""
    sign_in(page, portal_url)
    page.click("#footer-rights")
    for heading in ("See a copy", "put right", "delete or limit", "Object", "Complain"):
        expect(page.locator("h2", has_text=heading)).to_have_count(1)
    expect(page.locator("#object ~ p").nth(1)).to_contain_text("you cannot object")
    expect(page.locator("#ico")).to_contain_text("0303 123 1113")
    expect(page.locator("#sign-out")).to_be_visible()
    page.click("#back-to-start")
    expect(page.locator("h1")).to_have_text("What was shared about you")


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_each_agency_is_listed_with_its_dpo_contact(page: Page, portal_url: str, lang: str) -> None:
    """Every agency of the registry is on the page, named in the page's language, with its
    DPO's email address as a mailto link."""
    page.goto(f"{portal_url}/portal/who-holds-your-information?lang={lang}")
    registry = list(agencies())
    expect(page.locator(".portal-holder")).to_have_count(len(registry))
    for agency in registry:
        card = page.locator(f"#holder-{agency.agency_id}")
        expect(card.locator("h2")).to_have_text(agency.name_cy if lang == "cy" else agency.name_en)
        assert agency.dpo is not None
        expect(card.locator(f"a[href='mailto:{agency.dpo.email}']")).to_have_text(agency.dpo.email)


def test_the_cookies_page_lists_every_cookie_a_person_gets(page: Page, portal_url: str) -> None:
    """After signing in, switching language and opening a form, each cookie the browser holds
    from the service is listed on the cookies page, with what it is for."""
    sign_in(page, portal_url)
    page.click("#language-switch")
    page.goto(f"{portal_url}/portal/subject-access-requests")
    held = {cookie["name"] for cookie in page.context.cookies(f"{portal_url}/portal/")}
    assert {"iom_session", "iom_lang", "iom_csrf"} <= held
    page.goto(f"{portal_url}/portal/cookies")
    listed = set(page.locator(".portal-cookie-name").all_inner_texts())
    assert held <= listed, held - listed
    expect(page.locator("#cookies tbody tr")).to_have_count(len(listed))
