"""The portal's session as its pages see it: the signed-in supervisee, and the chosen language.

The session itself (an opaque id in an HttpOnly cookie, the tokens server-side) is
:mod:`broker.web.signed_in_session`; the access token is checked on every request by the API's
validator and never logged or shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from fastapi import Request, Response

from broker.http.context import ApiContext
from broker.http.language import choose_language
from broker.http.sentences import Language
from broker.identity.principal import Principal, Role
from broker.web.signed_in_session import AREA_COOKIES, session_principal

__all__ = [
    "LANG_COOKIE",
    "SESSION_COOKIE",
    "RateLimited",
    "SignedOut",
    "portal_language",
    "remember_language",
    "signed_in",
]

SESSION_COOKIE = AREA_COOKIES["portal"]
LANG_COOKIE = "iom_lang"


class SignedOut(Exception):
    """No valid supervisee session: the page sends the person to sign in."""


@dataclass
class RateLimited(Exception):
    """The supervisee asked too often; wait ``retry_after`` seconds."""

    retry_after: int


def portal_language(request: Request) -> Language:
    """``?lang=`` first, then the language cookie, then ``Accept-Language``, else English."""
    for value in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if value in ("en", "cy"):
            return "cy" if value == "cy" else "en"
    return choose_language(None, request.headers.get("accept-language"))


def remember_language(request: Request, response: Response, lang: Language) -> None:
    """Keep the language chosen with ``?lang=`` in a cookie for later pages."""
    if request.query_params.get("lang") in ("en", "cy"):
        response.set_cookie(
            LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True
        )


async def signed_in(context: ApiContext, request: Request) -> Principal:
    """The supervisee of the portal's session, within their rate limit."""
    principal = await session_principal(context, request, "portal", (Role.SUPERVISEE,))
    if principal is None:
        raise SignedOut
    assert context.limiter is not None
    wait = context.limiter.take(principal.subject)
    if wait > 0:
        raise RateLimited(max(1, math.ceil(wait)))
    return principal
