"""Signed-in browsers without the sign-in dance: a session kept straight in the app's store."""

from __future__ import annotations

import httpx

from broker.http.context import ApiContext
from broker.identity.session_seal import SessionTokens
from broker.identity.sign_in_flow import Area
from broker.web.signed_in_session import keep_session


def session_cookie(context: ApiContext, access_token: str, area: Area = "console") -> str:
    """The cookie value of a new ``area`` session for the caller of ``access_token``."""
    principal, expires = context.validator.validate_expiring(access_token)
    tokens = SessionTokens(access_token)
    return keep_session(context.web_sessions, area, tokens, expires, principal)


def signed_in_as(client: httpx.AsyncClient, access_token: str, area: Area = "console") -> str:
    """The cookie value of a new ``area`` session in the app ``client`` talks to in process."""
    transport = client._transport
    assert isinstance(transport, httpx.ASGITransport), "an in-process (ASGI) client"
    context = transport.app.state.context  # type: ignore[attr-defined]
    return session_cookie(context, access_token, area)
