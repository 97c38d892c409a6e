"""Every response carries the browser security headers; HTML pages a strict CSP, HSTS over
HTTPS only; no template has inline script."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from broker.http.context import ApiContext
from broker.identity.principal import Role
from broker.server.app import create_app
from broker.settings import PROJECT_ROOT
from tests.support.api_callers import bearer

HTML_PAGES = ["/portal/sign-in", "/portal/sign-in?lang=cy", "/console/sign-in", "/docs"]
OTHER = ["/healthz", "/openapi.json", "/docs/assets/swagger-ui.css", "/portal-static/portal.css"]
TEMPLATES = PROJECT_ROOT / "broker" / "web" / "templates"


@pytest.fixture
async def https_client(context: ApiContext) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app whose requests arrive over HTTPS."""
    transport = httpx.ASGITransport(app=create_app(context))
    async with httpx.AsyncClient(transport=transport, base_url="https://api.test") as http:
        yield http


def _directives(policy: str) -> dict[str, str]:
    pairs = (part.strip().partition(" ") for part in policy.split(";") if part.strip())
    return {name: value for name, _, value in pairs}


@pytest.mark.parametrize("path", HTML_PAGES)
async def test_html_pages_send_a_strict_policy(client: httpx.AsyncClient, path: str) -> None:
    """Portal, console and docs pages forbid framing, inline script and other origins, do not
    sniff, and send no referrer."""
    response = await client.get(path)

    assert response.headers["content-type"].startswith("text/html")
    policy = _directives(response.headers["content-security-policy"])
    assert policy["frame-ancestors"] == "'none'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"
    assert "unsafe" not in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("path", OTHER)
async def test_other_responses_may_load_nothing(client: httpx.AsyncClient, path: str) -> None:
    """JSON, stylesheets and other files are nosniff, unframeable and load nothing."""
    response = await client.get(path)

    assert response.status_code == 200
    assert (
        response.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


async def test_errors_and_refusals_carry_the_headers_too(client: httpx.AsyncClient) -> None:
    """A 404, a 401 and a body refused before routing (413) still carry the headers."""
    answers = [
        await client.get("/nowhere"),
        await client.get("/me/disclosures"),
        await client.post(
            "/me/subject-access-requests",
            content=b"x" * 70_000,
            headers=bearer(Role.SUPERVISEE, "subj-a"),
        ),
    ]

    assert [a.status_code for a in answers] == [404, 401, 413]
    for answer in answers:
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]


async def test_hsts_only_over_https(
    client: httpx.AsyncClient, https_client: httpx.AsyncClient
) -> None:
    """Strict-Transport-Security (a year, subdomains) is sent over HTTPS and never over HTTP,
    where a browser would ignore it."""
    secure = await https_client.get("/portal/sign-in")
    plain = await client.get("/portal/sign-in")

    assert secure.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert "strict-transport-security" not in plain.headers


@pytest.mark.parametrize("path", HTML_PAGES)
async def test_served_pages_have_no_inline_script(client: httpx.AsyncClient, path: str) -> None:
    """Every script of a served page is a same-origin file; no element has an event handler."""
    page = (await client.get(path)).text

    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts and all(re.search(r'\ssrc="/[^/]', tag) for tag in scripts)
    assert re.findall(r"<script\b[^>]*>\s*[^<\s]", page) == []
    assert re.findall(r"\son[a-z]+\s*=", page) == []


def test_no_template_has_inline_script_or_handlers() -> None:
    """No portal or console template holds an inline script, event handler, style attribute
    or javascript: URL (the CSP would block them)."""
    offenders = []
    for template in sorted(TEMPLATES.glob("*.html")):
        text = template.read_text("utf-8")
        for found in re.finditer(
            r"<script\b(?![^>]*\ssrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|javascript:", text
        ):
            offenders.append(f"{template.name}: {found.group(0)}")
    assert offenders == []
