"""The portal's session: the access token in an HttpOnly cookie, and the chosen language.

The cookie is ``HttpOnly`` and ``SameSite=Strict`` (so other sites cannot post forms with it)
and ``Secure`` over HTTPS. The token is checked on every request by the API's validator; it is
never logged or shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from fastapi import Request, Response

from broker.http.context import ApiContext
from broker.http.language import choose_language
from broker.http.sentences import Language
from broker.identity.principal import Principal, Role
from broker.identity.token_validator import TokenRejected

__all__ = [
    "LANG_COOKIE",
    "SESSION_COOKIE",
    "RateLimited",
    "SignedOut",
    "portal_language",
    "remember_language",
    "signed_in",
    "start_session",
    "validate_role",
    "validate_supervisee",
]

SESSION_COOKIE = "iom_session"
LANG_COOKIE = "iom_lang"
_MAX_TOKEN = 8192


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


def validate_role(context: ApiContext, token: str, role: Role) -> Principal | None:
    """The caller of ``role`` that ``token`` authenticates, or None (refused, too long, other)."""
    if not token or len(token) > _MAX_TOKEN:
        return None
    try:
        principal = context.validator.validate(token)
    except TokenRejected:
        return None
    return principal if principal.role is role else None


def validate_supervisee(context: ApiContext, token: str) -> Principal | None:
    """The supervisee ``token`` authenticates, or None."""
    return validate_role(context, token, Role.SUPERVISEE)


def signed_in(context: ApiContext, request: Request) -> Principal:
    """The supervisee of the session cookie, within their rate limit."""
    principal = validate_supervisee(context, request.cookies.get(SESSION_COOKIE, ""))
    if principal is None:
        raise SignedOut
    assert context.limiter is not None
    wait = context.limiter.take(principal.subject)
    if wait > 0:
        raise RateLimited(max(1, math.ceil(wait)))
    return principal


def start_session(
    request: Request,
    response: Response,
    token: str,
    name: str = SESSION_COOKIE,
    path: str = "/portal",
) -> None:
    """Set the session cookie ``name`` holding ``token`` for the pages under ``path``."""
    response.set_cookie(
        name,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path=path,
    )
