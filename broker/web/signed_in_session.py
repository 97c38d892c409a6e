"""The portal's and the console's sessions: an opaque id in the cookie, everything else
server-side (:class:`~broker.records.web_sessions.WebSessionStore`).

The cookie (``__Host-iom_session`` / ``__Host-iom_console`` over HTTPS: ``Secure``, path ``/``,
no domain; ``HttpOnly``, ``SameSite=Lax``) holds a random id that is not a token: the JSON API
and Kafka refuse it. Each request finds the session by the id's hash, unseals its tokens with
the id and checks the access token with the API's validator (role, and the person who signed
in). An access token about to expire is renewed with the refresh token; when the provider
refuses, or gave none, the session ends and the person signs in again. Signing out deletes the
session, so a copied cookie stops working too (docs/identity-provider.md, "Web sessions").
"""

from __future__ import annotations

import structlog
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from broker.http.context import ApiContext
from broker.identity.principal import Principal, Role
from broker.identity.session_seal import (
    MAX_SESSION_ID,
    SessionTokens,
    new_session_id,
    seal_tokens,
    session_hash,
    unseal_tokens,
)
from broker.identity.sign_in_flow import Area, SignInFailed
from broker.identity.token_validator import TokenRejected
from broker.records.web_sessions import WebSession, WebSessionStore

__all__ = [
    "AREA_COOKIES",
    "HOST_PREFIX",
    "cookie_name",
    "end_session",
    "forget_cookie",
    "has_session",
    "keep_session",
    "session_principal",
    "start_session",
]

AREA_COOKIES: dict[Area, str] = {"portal": "iom_session", "console": "iom_console"}
HOST_PREFIX = "__Host-"
"""Over HTTPS the cookie can only be set by this host, for every path, and only securely."""
REFRESH_BEFORE_MS = 15_000
"""An access token expiring sooner than this is renewed before it is used."""

log = structlog.get_logger(__name__)


def _https(request: Request) -> bool:
    return request.url.scheme == "https"


def cookie_name(request: Request, area: Area) -> str:
    """The session cookie's name for ``area`` (``__Host-`` prefixed over HTTPS)."""
    base = AREA_COOKIES[area]
    return HOST_PREFIX + base if _https(request) else base


def session_id(request: Request, area: Area) -> str | None:
    """The session id the browser sent for ``area``, if it looks like one."""
    value = request.cookies.get(cookie_name(request, area), "")
    return value if 0 < len(value) <= MAX_SESSION_ID else None


def _checked(
    context: ApiContext, token: str, roles: tuple[Role, ...], session: WebSession
) -> tuple[Principal, int] | None:
    """The principal and expiry of a session's access token, if it is still the same
    role (one of ``roles``) and person who signed in."""
    try:
        principal, expires = context.validator.validate_expiring(token)
    except TokenRejected as rejected:
        log.info("web.session_token_refused", area=session.area, reason=rejected.reason)
        return None
    if principal.role not in roles or principal.subject != session.subject:
        return None
    return principal, expires


def keep_session(
    store: WebSessionStore,
    area: Area,
    tokens: SessionTokens,
    expires_at_s: int,
    principal: Principal,
) -> str:
    """Keep a new session of ``area`` for ``principal``; the id for the browser's cookie."""
    fresh = new_session_id()
    now = store.now_ms()
    kept = WebSession(
        session_hash(fresh), area, principal.role.value, principal.subject, principal.agency,
        now, now, expires_at_s * 1000, seal_tokens(fresh, tokens),
    )  # fmt: skip
    store.create(kept)
    return fresh


async def start_session(
    request: Request,
    response: Response,
    context: ApiContext,
    area: Area,
    tokens: SessionTokens,
    expires_at_s: int,
    principal: Principal,
) -> None:
    """Keep a new session for ``principal`` (ending the browser's previous one of ``area``)
    and give the browser its cookie."""
    store = context.web_sessions
    previous = session_id(request, area)
    if previous is not None:
        await run_in_threadpool(store.delete, session_hash(previous))
    fresh = await run_in_threadpool(keep_session, store, area, tokens, expires_at_s, principal)
    response.set_cookie(
        cookie_name(request, area),
        fresh,
        httponly=True,
        samesite="lax",
        secure=_https(request),
        path="/",
    )


def forget_cookie(request: Request, response: Response, area: Area) -> None:
    """Tell the browser to drop ``area``'s session cookie."""
    response.delete_cookie(
        cookie_name(request, area), path="/", secure=_https(request), httponly=True, samesite="lax"
    )


async def session_principal(
    context: ApiContext, request: Request, area: Area, roles: tuple[Role, ...]
) -> Principal | None:
    """The signed-in person (of one of ``roles``) of this browser's ``area`` session,
    renewing its access token when due; None when there is no live session (the page asks
    the person to sign in)."""
    found_id = session_id(request, area)
    if found_id is None:
        return None
    store = context.web_sessions
    session = await run_in_threadpool(store.find, session_hash(found_id), area)
    tokens = unseal_tokens(found_id, session.tokens) if session is not None else None
    if session is None or tokens is None:
        return None
    if store.now_ms() < session.access_expires_at_ms - REFRESH_BEFORE_MS:
        checked = _checked(context, tokens.access_token, roles, session)
        return checked[0] if checked else None
    return await _renewed(context, found_id, session, tokens, roles)


async def _renewed(
    context: ApiContext,
    found_id: str,
    session: WebSession,
    tokens: SessionTokens,
    roles: tuple[Role, ...],
) -> Principal | None:
    """Renew the session's tokens with its refresh token, or end the session."""
    store, flow = context.web_sessions, context.sign_in
    if flow is None or tokens.refresh_token is None:
        await run_in_threadpool(store.delete, session.session_hash)
        return None
    try:
        fresh = await flow.refresh(tokens)
    except SignInFailed as failed:
        log.info("web.session_refresh_refused", area=session.area, reason=failed.reason)
        return await _renewed_elsewhere(context, found_id, session, roles)
    checked = _checked(context, fresh.access_token, roles, session)
    if checked is None:
        await run_in_threadpool(store.delete, session.session_hash)
        return None
    sealed = seal_tokens(found_id, fresh)
    await run_in_threadpool(
        store.replace_tokens, session.session_hash, session.tokens, sealed, checked[1] * 1000
    )
    return checked[0]


async def _renewed_elsewhere(
    context: ApiContext, found_id: str, session: WebSession, roles: tuple[Role, ...]
) -> Principal | None:
    """After a refused refresh: the tokens another request renewed meanwhile (a provider that
    rotates refresh tokens refuses the second use), else the session ends."""
    store = context.web_sessions
    again = await run_in_threadpool(store.find, session.session_hash, session.area)
    if again is not None and again.tokens != session.tokens:
        newer = unseal_tokens(found_id, again.tokens)
        checked = _checked(context, newer.access_token, roles, again) if newer else None
        if checked is not None:
            return checked[0]
    await run_in_threadpool(store.delete, session.session_hash)
    return None


def has_session(context: ApiContext, request: Request, area: Area) -> bool:
    """Whether the browser holds a live session of ``area`` (for showing "Sign out")."""
    found_id = session_id(request, area)
    if found_id is None:
        return False
    session = context.web_sessions.find(session_hash(found_id), area)
    return session is not None and unseal_tokens(found_id, session.tokens) is not None


async def end_session(context: ApiContext, request: Request, area: Area) -> SessionTokens | None:
    """Delete the browser's ``area`` session; its tokens, to end the provider's side too."""
    found_id = session_id(request, area)
    if found_id is None:
        return None
    taken = await run_in_threadpool(context.web_sessions.take, session_hash(found_id))
    return unseal_tokens(found_id, taken.tokens) if taken is not None else None
