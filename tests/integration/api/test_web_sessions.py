"""The portal's and console's sessions live server-side: the cookie is an opaque id that no API
accepts, signing out ends it (a copied cookie too) and the provider's session where it offers
logout, and an access token due to expire is renewed with the refresh token or the person signs
in again."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from broker.devtools.identity.dev_issuer_app import create_dev_issuer_app
from broker.http.context import ApiContext
from broker.identity.principal import Role
from broker.identity.session_seal import SessionTokens, seal_tokens, session_hash
from broker.identity.sign_in_flow import RelyingParty
from broker.records.database import RecordsDatabase
from broker.records.web_sessions import WebSessionStore
from broker.server.app import create_app
from broker.web.signed_in_session import keep_session
from tests.support.api_callers import token
from tests.unit.identity.dev_sign_in_setup import (
    URL,
    WEB_CLIENT,
    IssuerUnderTest,
    pick,
    signing_in_through,
)

_SITE = "https://portal.test"
_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
_LOGOUT = f"{URL}/logout"
_REVOKE = f"{URL}/revoke"


class _Provider(httpx.AsyncBaseTransport):
    """The development issuer in process, plus a revocation endpoint that records its calls."""

    def __init__(self, idp: IssuerUnderTest) -> None:
        self.issuer = httpx.ASGITransport(app=create_dev_issuer_app(idp.issuer, idp.sign_in))
        self.revoked: list[dict[str, list[str]]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if str(request.url) == _REVOKE:
            self.revoked.append(parse_qs((await request.aread()).decode()))
            return httpx.Response(200)
        return await self.issuer.handle_async_request(request)


@pytest.fixture
def provider(idp: IssuerUnderTest) -> _Provider:
    """How the app reaches the provider."""
    return _Provider(idp)


@pytest.fixture
def sessions_file(tmp_path: Path) -> Path:
    """The SQLite records database the sessions are kept in."""
    return tmp_path / "records.sqlite3"


def _site(
    context: ApiContext,
    idp: IssuerUnderTest,
    provider: _Provider,
    sessions_file: Path,
    logout: str | None,
) -> ApiContext:
    return signing_in_through(
        context,
        idp,
        provider,
        end_session_url=logout,
        revocation_url=_REVOKE if logout else None,
        web_sessions=WebSessionStore(RecordsDatabase(f"sqlite:///{sessions_file}")),
    )


@pytest.fixture
def site(
    context: ApiContext, idp: IssuerUnderTest, provider: _Provider, sessions_file: Path
) -> ApiContext:
    """The app signing in through the development issuer (which offers no logout)."""
    return _site(context, idp, provider, sessions_file, None)


@pytest.fixture
def site_with_logout(
    context: ApiContext, idp: IssuerUnderTest, provider: _Provider, sessions_file: Path
) -> ApiContext:
    """The same, with a provider that offers RP-initiated logout and token revocation."""
    return _site(context, idp, provider, sessions_file, _LOGOUT)


def _browser(context: ApiContext) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(context)), base_url=_SITE)


async def _sign_in(browser: httpx.AsyncClient, idp: IssuerUnderTest, area: str, user: str) -> str:
    """Sign in to ``area`` as ``user`` through the issuer's page; the first page's CSRF token."""
    start = await browser.get(f"/{area}/sign-in/start")
    chosen = await pick(idp.http, start.headers["location"].removeprefix(URL), user)
    assert (await browser.get(chosen.headers["location"])).status_code == 200
    landing = await browser.get(f"/{area}")
    assert landing.status_code == 200
    found = _FIELD.search(landing.text)
    assert found is not None
    return found.group(1)


_PEOPLE = [
    ("portal", "supervisee:subj-a", "__Host-iom_session"),
    ("console", "dpo:gdas", "__Host-iom_console"),
]


@pytest.mark.parametrize(("area", "user", "cookie"), _PEOPLE)
async def test_after_sign_out_the_old_cookie_gets_the_sign_in_page(
    site: ApiContext, idp: IssuerUnderTest, area: str, user: str, cookie: str
) -> None:
    """Signing out deletes the session: replaying the old cookie leads to the sign-in page."""
    async with _browser(site) as browser:
        csrf = await _sign_in(browser, idp, area, user)
        old = browser.cookies[cookie]
        signed_out = await browser.post(f"/{area}/sign-out", data={"csrf_token": csrf})
        assert signed_out.status_code == 303
        assert signed_out.headers["location"] == f"/{area}/" + (
            "signed-out" if area == "portal" else "sign-in"
        )
        assert cookie not in browser.cookies
    async with _browser(site) as replay:
        replay.cookies.set(cookie, old)
        again = await replay.get(f"/{area}")
    assert again.status_code == 303 and again.headers["location"] == f"/{area}/sign-in"
    assert site.web_sessions.count() == 0


async def test_a_copied_cookie_works_only_until_sign_out(
    site: ApiContext, idp: IssuerUnderTest
) -> None:
    """A cookie copied into another browser opens the portal there too, until the person signs
    out: then it opens nothing (docs/identity-provider.md, "Web sessions")."""
    async with _browser(site) as mine, _browser(site) as thief:
        csrf = await _sign_in(mine, idp, "portal", "supervisee:subj-a")
        thief.cookies.set("__Host-iom_session", mine.cookies["__Host-iom_session"])
        assert (await thief.get("/portal")).status_code == 200
        await mine.post("/portal/sign-out", data={"csrf_token": csrf})
        assert (await thief.get("/portal")).status_code == 303


@pytest.mark.parametrize(("area", "user", "cookie"), _PEOPLE)
async def test_no_cookie_value_is_accepted_as_a_bearer_token(
    site: ApiContext, idp: IssuerUnderTest, area: str, user: str, cookie: str
) -> None:
    """Every cookie a signed-in browser holds is refused as a Bearer token by the JSON API."""
    async with _browser(site) as browser:
        await _sign_in(browser, idp, area, user)
        held = dict(browser.cookies)
        assert cookie in held and "." not in held[cookie], "an opaque id, not a JWT"
        for value in held.values():
            for path in ("/me/disclosures", "/policies"):
                refused = await browser.get(path, headers={"Authorization": f"Bearer {value}"})
                assert refused.status_code == 401, (path, refused.status_code)


async def test_the_records_hold_neither_the_cookie_nor_a_token(
    site: ApiContext, idp: IssuerUnderTest, sessions_file: Path
) -> None:
    """The server keeps a hash of the session id and the tokens sealed: neither the cookie
    value nor any JWT appears in the records database."""
    async with _browser(site) as browser:
        await _sign_in(browser, idp, "portal", "supervisee:subj-a")
        session = browser.cookies["__Host-iom_session"]
    with sqlite3.connect(sessions_file) as db:
        rows = db.execute("SELECT * FROM web_sessions").fetchall()
    kept = repr(rows)
    assert len(rows) == 1 and "supervisee" in kept
    assert session not in kept and "eyJ" not in kept


async def test_sign_out_ends_the_providers_session_where_it_offers_logout(
    site_with_logout: ApiContext, idp: IssuerUnderTest, provider: _Provider
) -> None:
    """With an end_session_endpoint, signing out moves on to it (with the ID token as a hint,
    coming back to "You have signed out") and revokes the refresh token where it can."""
    async with _browser(site_with_logout) as browser:
        csrf = await _sign_in(browser, idp, "portal", "supervisee:subj-a")
        page = await browser.post("/portal/sign-out?lang=cy", data={"csrf_token": csrf})
    assert page.status_code == 200 and "Rydych wedi allgofnodi" in page.text
    found = re.search(r'id="continue" href="([^"]+)"|href="([^"]+)" id="continue"', page.text)
    assert found is not None
    target = (found.group(1) or found.group(2)).replace("&amp;", "&")
    assert target.startswith(f"{_LOGOUT}?")
    asked = {k: v[0] for k, v in parse_qs(urlsplit(target).query).items()}
    assert asked["post_logout_redirect_uri"] == f"{_SITE}/portal/signed-out"
    assert asked["client_id"] == WEB_CLIENT and asked["ui_locales"] == "cy"
    assert asked["id_token_hint"].count(".") == 2
    assert f'content="0;url={found.group(1) or found.group(2)}"' in page.text
    (revoked,) = provider.revoked
    assert revoked["token_type_hint"] == ["refresh_token"] and revoked["client_id"] == [WEB_CLIENT]
    assert "client_assertion" in revoked, "the web client authenticates to revoke"
    assert site_with_logout.web_sessions.count() == 0


class _Later:
    """The real time plus however far the test has moved on."""

    def __init__(self) -> None:
        self.ahead_s = 0.0

    def __call__(self) -> float:
        return time.time() + self.ahead_s


async def test_the_issuers_refresh_token_renews_the_session(
    context: ApiContext, idp: IssuerUnderTest, sessions_file: Path
) -> None:
    """Just before the access token expires, the next page renews it at the development
    issuer's token endpoint with the refresh token from sign-in, and the person stays in."""
    later = _Later()
    store = WebSessionStore(RecordsDatabase(f"sqlite:///{sessions_file}"), clock=later)
    site = signing_in_through(context, idp, web_sessions=store)
    async with _browser(site) as browser:
        await _sign_in(browser, idp, "portal", "supervisee:subj-a")
        with sqlite3.connect(sessions_file) as db:
            ((before, sealed),) = db.execute(
                "SELECT access_expires_at_ms, tokens FROM web_sessions"
            )
        later.ahead_s = idp.issuer.token_ttl_s - 10
        assert (await browser.get("/portal")).status_code == 200
    with sqlite3.connect(sessions_file) as db:
        ((after, resealed),) = db.execute("SELECT access_expires_at_ms, tokens FROM web_sessions")
    assert resealed != sealed and after >= before


class _TokenEndpoint:
    """A stand-in token endpoint answering refresh-token grants as the test says."""

    def __init__(self, answer: httpx.Response) -> None:
        self.answer = answer
        self.forms: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.forms.append({k: v[0] for k, v in parse_qs(request.content.decode()).items()})
        assert request.headers["authorization"].startswith("Basic ")
        return self.answer


def _refreshing(
    context: ApiContext, endpoint: Callable[[httpx.Request], httpx.Response]
) -> ApiContext:
    return dataclasses.replace(
        context,
        sign_in=RelyingParty(
            issuer=URL,
            authorization_url=f"{URL}/authorize",
            token_url=f"{URL}/token",
            client_id=WEB_CLIENT,
            id_tokens=context.validator,
            secret="web-client-secret",
            transport=httpx.MockTransport(endpoint),
        ),
        limiter=None,
    )


def _due_session(context: ApiContext, refresh: str | None) -> str:
    """A portal session whose access token is due for renewal; its cookie value."""
    access = token(Role.SUPERVISEE, "subj-a")
    principal = context.validator.validate(access)
    tokens = SessionTokens(access, refresh, "id.token.hint")
    return keep_session(context.web_sessions, "portal", tokens, int(time.time()) - 1, principal)


async def test_a_due_access_token_is_renewed_with_the_refresh_token(context: ApiContext) -> None:
    """The page asks the token endpoint for new tokens with the refresh token (rotated) and
    shows the timeline; the next page uses the new access token without asking again."""
    fresh = token(Role.SUPERVISEE, "subj-a")
    answer = {"access_token": fresh, "refresh_token": "rotated", "expires_in": 300}
    endpoint = _TokenEndpoint(httpx.Response(200, json=answer))
    site = _refreshing(context, endpoint)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(site)), base_url="http://portal.test"
    ) as browser:
        browser.cookies.set("iom_session", _due_session(site, "first-refresh"))
        assert (await browser.get("/portal")).status_code == 200
        assert (await browser.get("/portal")).status_code == 200
    assert len(endpoint.forms) == 1
    assert endpoint.forms[0]["grant_type"] == "refresh_token"
    assert endpoint.forms[0]["refresh_token"] == "first-refresh"


@pytest.mark.parametrize("refresh", ["refused-refresh", None])
async def test_without_renewal_the_person_signs_in_again(
    context: ApiContext, refresh: str | None
) -> None:
    """When the provider refuses the refresh token, or gave none, the session ends and the
    page sends the person to sign in."""
    endpoint = _TokenEndpoint(httpx.Response(400, json={"error": "invalid_grant"}))
    site = _refreshing(context, endpoint)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(site)), base_url="http://portal.test"
    ) as browser:
        browser.cookies.set("iom_session", _due_session(site, refresh))
        page = await browser.get("/portal")
    assert page.status_code == 303 and page.headers["location"] == "/portal/sign-in"
    assert len(endpoint.forms) == (1 if refresh else 0)
    assert site.web_sessions.count() == 0


async def test_a_page_refused_because_another_renewed_first_keeps_the_session(
    context: ApiContext,
) -> None:
    """With a provider that rotates refresh tokens, two pages renewing at once do not sign the
    person out: the page whose refresh is refused uses the tokens the other page stored."""
    holder: dict[str, ApiContext | str] = {}

    def other_page_renewed_first(request: httpx.Request) -> httpx.Response:
        site, cookie = holder["site"], holder["cookie"]
        assert isinstance(site, ApiContext) and isinstance(cookie, str)
        kept = site.web_sessions.find(session_hash(cookie), "portal")
        assert kept is not None
        newer = seal_tokens(cookie, SessionTokens(token(Role.SUPERVISEE, "subj-a"), "rotated"))
        later = kept.access_expires_at_ms + 600_000
        assert site.web_sessions.replace_tokens(kept.session_hash, kept.tokens, newer, later)
        return httpx.Response(400, json={"error": "invalid_grant"})

    site = _refreshing(context, other_page_renewed_first)
    holder.update(site=site, cookie=_due_session(site, "used-by-the-other-page"))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(site)), base_url="http://portal.test"
    ) as browser:
        browser.cookies.set("iom_session", str(holder["cookie"]))
        assert (await browser.get("/portal")).status_code == 200
    assert site.web_sessions.count() == 1
