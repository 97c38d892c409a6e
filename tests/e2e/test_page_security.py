"""Under the pages' own Content-Security-Policy (not bypassed), every portal, console and /docs
page works and loads nothing from any host but the app's own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, expect

from tests.e2e.conftest import RunningIssuer, screenshot
from tests.e2e.console_changes import AGREEMENT, ONE_WAY
from tests.e2e.test_accessibility import PAGES, _console_pages
from tests.e2e.test_portal import sign_in


@dataclass
class Traffic:
    """Every request a browser context made, and every CSP complaint or script error."""

    requests: list[Request] = field(default_factory=list)
    complaints: list[str] = field(default_factory=list)
    pages: list[Response] = field(default_factory=list)

    def request(self, request: Request) -> None:
        """Keep a request the browser made."""
        self.requests.append(request)

    def response(self, response: Response) -> None:
        """Keep the responses that are pages (HTML documents)."""
        if response.request.resource_type == "document":
            self.pages.append(response)

    def unprotected(self, own: str) -> list[str]:
        """The app's pages that lack the anti-framing policy, nosniff or no-referrer."""
        return [
            r.url
            for r in self.pages
            if _origin(r.url) == own
            and not (
                "frame-ancestors 'none'" in r.headers.get("content-security-policy", "")
                and r.headers.get("x-content-type-options") == "nosniff"
                and r.headers.get("referrer-policy") == "no-referrer"
            )
        ]

    def console(self, message: ConsoleMessage) -> None:
        """Keep console errors: CSP and integrity refusals, script errors. An HTTP error status
        (the 400 of a bad date filter, a missing favicon) is the page's answer, not a fault."""
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.complaints.append(message.text)

    def foreign(self, own: str, issuer: str) -> list[str]:
        """Requests to any origin but ``own``, except navigations to the sign-in ``issuer``."""
        return [
            f"{r.resource_type} {r.url}"
            for r in self.requests
            if _origin(r.url) != own
            and not (r.resource_type == "document" and _origin(r.url) == issuer)
        ]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def strict_page(browser: Browser) -> Iterator[tuple[Page, Traffic]]:
    """A page whose context enforces the sites' CSP, recording its requests and errors."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, ignore_https_errors=True, bypass_csp=False
    )
    traffic = Traffic()
    context.on("request", traffic.request)
    context.on("response", traffic.response)
    tab = context.new_page()
    tab.on("console", traffic.console)
    tab.on("pageerror", lambda error: traffic.complaints.append(str(error)))
    tab.set_default_timeout(10_000)
    yield tab, traffic
    context.close()


def _scripts_ran(page: Page) -> None:
    """GOV.UK Frontend's start-up files ran: the body is marked and components started."""
    expect(page.locator("body")).to_have_class(re.compile(r"js-enabled govuk-frontend-supported"))


def test_portal_pages_work_and_load_only_from_the_app(
    strict_page: tuple[Page, Traffic], portal_url: str, dev_issuer: RunningIssuer
) -> None:
    """Sign-in, timeline (with its print link) and request pages run their scripts under the
    CSP, raise no CSP error, and request nothing from another host."""
    page, traffic = strict_page
    page.goto(f"{portal_url}/portal/sign-in?lang=cy")
    _scripts_ran(page)
    sign_in(page, portal_url)
    for path in PAGES:
        page.goto(f"{portal_url}{path}")
        _scripts_ran(page)
    page.goto(f"{portal_url}/portal")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.click("#print-page")
    assert page.evaluate("window.printed === true"), "the print link did nothing"

    assert traffic.complaints == []
    assert traffic.foreign(portal_url, dev_issuer.issuer.issuer_url) == []
    assert traffic.pages and traffic.unprotected(portal_url) == []
    assert any(r.url.endswith("/portal-static/govuk-init.js") for r in traffic.requests)


def test_console_pages_work_and_load_only_from_the_app(
    strict_page: tuple[Page, Traffic], portal_url: str, dev_issuer: RunningIssuer
) -> None:
    """Every console page (the editor's live check included) works under the CSP and requests
    nothing from another host."""
    page, traffic = strict_page
    sign_in(page, portal_url, dpo="gdas")
    for _, path in _console_pages(portal_url, dev_issuer.issuer):
        page.goto(f"{portal_url}{path}")
        _scripts_ran(page)
    page.goto(f"{portal_url}/console/agreements/{AGREEMENT}/edit")
    page.fill("#text", ONE_WAY)
    expect(page.locator("#error-summary")).to_be_visible()

    assert traffic.complaints == []
    assert traffic.foreign(portal_url, dev_issuer.issuer.issuer_url) == []
    assert traffic.pages and traffic.unprotected(portal_url) == []


def test_docs_render_swagger_ui_from_the_app_alone(
    strict_page: tuple[Page, Traffic], portal_url: str, dev_issuer: RunningIssuer
) -> None:
    """/docs shows Swagger UI with the API's operations, its files come from the app (integrity
    checked by the browser), no CSP error, and no request leaves the app's host."""
    page, traffic = strict_page
    page.goto(f"{portal_url}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("iom-broker API")
    expect(page.locator(".opblock-summary-path[data-path='/me/disclosures']")).to_be_visible()
    page.locator(".opblock-summary-path[data-path='/me/disclosures']").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    screenshot(page, "api-docs")

    assert traffic.complaints == []
    assert traffic.foreign(portal_url, dev_issuer.issuer.issuer_url) == []
    assert traffic.pages and traffic.unprotected(portal_url) == []
    loaded = {urlsplit(r.url).path for r in traffic.requests}
    assert {"/docs/assets/swagger-ui-bundle.js", "/openapi.json"} <= loaded
